import { h, render } from "preact";
import { App } from "./app.ts";
import { t as tr } from "./i18n/index.ts";
import { registerServiceWorker } from "./pwa.ts";
import { load } from "./storage.ts";
import { Root } from "./views/root.ts";
import "./style.css";

const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
// Tests (and impatient players) can shorten the pause between plays: localStorage bigtwo.pace.
const pace = Number(load("pace") ?? "1");
const app = new App({ wsUrl, pace: Number.isFinite(pace) && pace >= 0 ? pace : 1 });

const root = document.getElementById("app") as HTMLElement;
let scheduled = false;
const draw = () => {
  scheduled = false;
  render(h(Root, { app, state: app.state }), root);
  document.title = title();
};

/** The tab title says when it is your turn, for a player who is in another tab meanwhile. */
function title(): string {
  const t = app.state.table;
  const deal = t?.deal;
  if (t && deal && "hand" in deal && deal.winner === null && deal.turn === t.seat && t.status === "playing") {
    return tr("title.yourTurn", { game: tr("app.name") });
  }
  return t ? `${t.settings.name} · ${tr("app.name")}` : tr("app.name");
}
app.subscribe(() => {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(draw);
});
draw();
app.start();
registerServiceWorker();

// Come back promptly after the laptop wakes or the phone regains signal.
window.addEventListener("online", () => {
  if (app.state.conn.phase === "reconnecting" || app.state.conn.phase === "connecting") app.retryNow();
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && app.state.conn.phase === "reconnecting") app.retryNow();
});

declare global {
  interface Window {
    bigTwo?: App;
  }
}
// A handle for debugging from the console and for the e2e tests' assertions.
window.bigTwo = app;
