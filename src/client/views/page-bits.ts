// Small pieces the records pages share.
import { h, type ComponentChildren } from "preact";
import { useServices } from "./services.ts";

export function Loading(props: { what: string }) {
  return h("main", { class: "page" }, h("p", { class: "panel muted loading", role: "status" }, props.what));
}

export function ErrorPanel(props: { text: string; retry: (() => void) | null }) {
  return h(
    "main",
    { class: "page" },
    h(
      "div",
      { class: "panel page-error", role: "alert", "data-testid": "page-error" },
      h("p", null, props.text),
      h("div", { class: "row" }, props.retry ? h("button", { type: "button", class: "btn", onClick: props.retry }, "Try again") : null, h(PageLink, { to: "/", class: "btn ghost" }, "Back to the game")),
    ),
  );
}

/** A link within the app: a real <a href> (open in a new tab works), moved by the router on a plain click. */
export function PageLink(props: { to: string; class?: string; children?: ComponentChildren; testid?: string; label?: string }) {
  const { router } = useServices();
  return h(
    "a",
    {
      href: props.to,
      class: props.class,
      "aria-label": props.label,
      "data-testid": props.testid,
      onClick: (e: MouseEvent) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        router.go(props.to);
      },
    },
    props.children,
  );
}

const dateFmt = typeof Intl !== "undefined" ? new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }) : null;

/** "Sun 6 Dec, 18:30" in the reader's locale and time zone. */
export function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return dateFmt ? dateFmt.format(d) : d.toISOString().slice(0, 16).replace("T", " ");
}
