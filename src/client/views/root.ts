import { h } from "preact";
import type { App, AppState } from "../app.ts";
import { seconds, useNow } from "./hooks.ts";
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

function Banner(props: { app: App; state: AppState }) {
  const { app, state } = props;
  const c = state.conn;
  const showing = state.name !== null && c.phase !== "open" && (c.everOpen || c.attempt > 0 || c.phase === "stopped");
  const now = useNow(500, showing && c.retryAt !== null);
  if (!showing) return null;
  let text: string;
  if (c.phase === "stopped") text = c.reason ?? "Disconnected.";
  else if (c.retryAt !== null && c.retryAt > now) text = `${c.reason ?? "Connection lost"}. Reconnecting in ${seconds(c.retryAt - now)}…`;
  else text = c.everOpen ? "Reconnecting…" : "Connecting…";
  return h(
    "div",
    { class: `banner${c.phase === "stopped" ? " stopped" : ""}`, role: "status", "aria-live": "polite", "data-testid": "conn-banner" },
    h("span", { class: "dot", "aria-hidden": "true" }),
    h("span", null, text),
    h(
      "button",
      { type: "button", class: "btn small", onClick: () => (c.reason?.includes("reload") ? location.reload() : app.retryNow()) },
      c.phase === "stopped" ? (c.reason?.includes("reload") ? "Reload" : "Play here") : "Retry now",
    ),
  );
}

function Toasts(props: { app: App; state: AppState }) {
  const { app, state } = props;
  return h(
    "div",
    { class: "toasts", "aria-live": "assertive" },
    state.toasts.map((t) =>
      h(
        "div",
        { key: t.id, class: `toast ${t.kind}`, role: t.kind === "error" ? "alert" : "status", "data-testid": "toast" },
        h("span", null, t.text),
        h("button", { type: "button", class: "x", "aria-label": "Dismiss", onClick: () => app.dismissToast(t.id) }, "✕"),
      ),
    ),
  );
}
