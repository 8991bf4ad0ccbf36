// Small pieces the records pages share.
import { h, type ComponentChildren } from "preact";
import { dateTime, t } from "../i18n/index.ts";
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
      h("div", { class: "row" }, props.retry ? h("button", { type: "button", class: "btn", onClick: props.retry }, t("btn.tryAgain")) : null, h(PageLink, { to: "/", class: "btn ghost" }, t("page.backToGame"))),
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

/** "Sun 6 Dec, 18:30" in the chosen language and the reader's time zone. */
export function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return dateTime(d);
}
