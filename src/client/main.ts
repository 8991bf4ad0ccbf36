import { h, render } from "preact";
import { AccountStore } from "./account.ts";
import { App } from "./app.ts";
import { t as tr } from "./i18n/index.ts";
import { registerServiceWorker } from "./pwa.ts";
import { Router } from "./router.ts";
import { load, save } from "./storage.ts";
import { AccountDialog } from "./views/account.ts";
import { Pages } from "./views/pages.ts";
import { Root } from "./views/root.ts";
import { ServicesContext, type Services } from "./views/services.ts";
import "./style.css";

const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
// Tests (and impatient players) can shorten the pause between plays: localStorage bigtwo.pace.
const pace = Number(load("pace") ?? "1");
const app = new App({ wsUrl, pace: Number.isFinite(pace) && pace >= 0 ? pace : 1 });

const router = new Router();
const account = new AccountStore({
  guestToken: () => load("token"),
  // Signing in or out changes who this browser plays as: say hello again with the new token.
  onToken: (token, acct) => {
    if (token !== null && token === load("token")) return;
    save("token", token);
    if (acct && !app.state.name) app.setName(acct.name);
    else if (app.state.name) app.retryNow();
  },
});
let dialog: Services["dialog"] = null;

const root = document.getElementById("app") as HTMLElement;
let scheduled = false;
const draw = () => {
  scheduled = false;
  const route = router.route;
  const services: Services = { app, router, account, dialog, openDialog };
  render(
    h(
      ServicesContext.Provider,
      { value: services },
      route.page === "game" ? h(Root, { app, state: app.state }) : h(Pages, { route, state: app.state }),
      dialog ? h(AccountDialog, { key: dialog }) : null,
    ),
    root,
  );
  document.title = route.page === "game" ? title() : pageTitle(route.page);
  if (app.state.lang !== describedIn) {
    describedIn = app.state.lang;
    document.querySelector('meta[name="description"]')?.setAttribute("content", tr("app.tagline"));
  }
};
/** index.html's description is English; like the title, it follows the chosen language (set once per change). */
let describedIn: string | null = null;

function openDialog(d: Services["dialog"]): void {
  dialog = d;
  schedule();
}

function pageTitle(page: string): string {
  return `${tr(page === "replay" ? "replay.title" : page === "profile" ? "profile.title" : "board.title")} · ${tr("app.name")}`;
}

/** The tab title says when it is your turn, for a player who is in another tab meanwhile. */
function title(): string {
  const t = app.state.table;
  const deal = t?.deal;
  if (t && deal && "hand" in deal && deal.winner === null && deal.turn === t.seat && t.status === "playing") {
    return tr("title.yourTurn", { game: tr("app.name") });
  }
  return t ? `${t.settings.name} · ${tr("app.name")}` : tr("app.name");
}
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(draw);
}
app.subscribe(schedule);
router.subscribe(schedule);
account.subscribe(schedule);
draw();
app.start();
registerServiceWorker();
void account.refresh();

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
