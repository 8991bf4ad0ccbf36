import { h } from "preact";
import type { App, AppState } from "../app.ts";
import type { ConnReason } from "../connection.ts";
import { inSecs, LANGS, t, type Key, type Lang } from "../i18n/index.ts";
import { useNow } from "./hooks.ts";
import { LobbyScreen } from "./lobby.ts";
import { NameScreen } from "./name.ts";
import { TableScreen } from "./table.ts";

export function Root(props: { app: App; state: AppState }) {
  const { app, state } = props;
  const screen =
    state.view === "name" || !state.name
      ? h(NameScreen, { app, state })
      : state.view === "table" && state.table
        ? h(TableScreen, { app, state })
        : h(LobbyScreen, { app, state });
  return h("div", { class: "app" }, h(Banner, { app, state }), screen, h(Toasts, { app, state }));
}

const REASON: Record<ConnReason, Key> = {
  lost: "conn.lost",
  unreachable: "conn.unreachable",
  failed: "conn.failed",
  restarting: "conn.restarting",
  replaced: "conn.replaced",
  version: "conn.version",
};

function Banner(props: { app: App; state: AppState }) {
  const { app, state } = props;
  const c = state.conn;
  const showing = state.name !== null && c.phase !== "open" && (c.everOpen || c.attempt > 0 || c.phase === "stopped");
  const now = useNow(500, showing && c.retryAt !== null);
  if (!showing) return null;
  // Each part is a whole sentence with its own stop: "The server is restarting. Reconnecting in 2 seconds…"
  const parts: string[] = [];
  if (c.reason) parts.push(t(REASON[c.reason]));
  if (c.phase !== "stopped") {
    if (c.retryAt !== null && c.retryAt > now) parts.push(t("conn.retryIn", { in: inSecs(c.retryAt - now) }));
    else parts.push(t(c.everOpen ? "conn.reconnecting" : "conn.connecting"));
  }
  const reload = c.reason === "version";
  return h(
    "div",
    { class: `banner${c.phase === "stopped" ? " stopped" : ""}`, role: "status", "aria-live": "polite", "data-testid": "conn-banner" },
    h("span", { class: "dot", "aria-hidden": "true" }),
    h("span", null, parts.join(" ")),
    h(
      "button",
      { type: "button", class: "btn small", onClick: () => (reload ? location.reload() : app.retryNow()) },
      c.phase === "stopped" ? t(reload ? "btn.reload" : "btn.playHere") : t("btn.retryNow"),
    ),
  );
}

function Toasts(props: { app: App; state: AppState }) {
  const { app, state } = props;
  return h(
    "div",
    { class: "toasts", "aria-live": "assertive" },
    state.toasts.map((toast) =>
      h(
        "div",
        { key: toast.id, class: `toast ${toast.kind}`, role: toast.kind === "error" ? "alert" : "status", "data-testid": "toast" },
        h("span", null, toast.text),
        h("button", { type: "button", class: "x", "aria-label": t("btn.dismiss"), onClick: () => app.dismissToast(toast.id) }, "✕"),
      ),
    ),
  );
}

/** The language switch (remembered; <html lang> follows). */
export function LangSwitch(props: { app: App; state: AppState }) {
  return h(
    "label",
    { class: "lang-switch" },
    h("span", { class: "sr-only" }, t("lang.label")),
    h(
      "svg",
      { class: "globe", width: 18, height: 18, viewBox: "0 0 24 24", "aria-hidden": "true", fill: "none", stroke: "currentColor", "stroke-width": 2 },
      h("circle", { cx: 12, cy: 12, r: 9 }),
      h("path", { d: "M3 12h18M12 3c3 3.5 3 14.5 0 18M12 3c-3 3.5-3 14.5 0 18" }),
    ),
    h(
      "select",
      {
        value: props.state.lang,
        "data-testid": "lang",
        onChange: (e: Event) => props.app.setLanguage((e.currentTarget as HTMLSelectElement).value as Lang),
      },
      LANGS.map((l) => h("option", { key: l.code, value: l.code, lang: l.code }, l.label)),
    ),
  );
}

/** Sound on/off (remembered). */
export function MuteButton(props: { app: App; state: AppState }) {
  const { app, state } = props;
  return h(
    "button",
    {
      type: "button",
      class: "btn small ghost icon",
      "aria-label": t(state.muted ? "sound.off" : "sound.on"),
      title: t(state.muted ? "sound.off" : "sound.on"),
      onClick: () => app.setMuted(!state.muted),
      "data-testid": "mute",
    },
    // A drawn speaker (emoji fonts are not everywhere): waves when on, a cross when muted.
    h(
      "svg",
      { width: 20, height: 20, viewBox: "0 0 24 24", "aria-hidden": "true", fill: "none", stroke: "currentColor", "stroke-width": 2, "stroke-linecap": "round" },
      h("path", { d: "M4 9h4l5-4v14l-5-4H4z", fill: "currentColor" }),
      state.muted ? h("path", { d: "M16 9l6 6M22 9l-6 6" }) : h("path", { d: "M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12" }),
    ),
  );
}
