// The records pages' frame: a header that leads back to the game, the page the route names, and
// the account dialog. The game itself (lobby, table) is Root, at `/`.
import { h } from "preact";
import type { AppState } from "../app.ts";
import type { Route } from "../router.ts";
import "../records.css";
import { AccountChip } from "./account.ts";
import { LeaderboardPage } from "./leaderboard.ts";
import { PageLink } from "./page-bits.ts";
import { ProfilePage } from "./profile.ts";
import { ReplayPage } from "./replay.ts";
import { useServices } from "./services.ts";

export function Pages(props: { route: Exclude<Route, { page: "game" }>; state: AppState }) {
  const { route } = props;
  const page =
    route.page === "replay"
      ? h(ReplayPage, { matchId: route.matchId, deal: route.deal })
      : route.page === "profile"
        ? h(ProfilePage, { playerId: route.playerId })
        : h(LeaderboardPage, null);
  return h(
    "div",
    { class: "app pages" },
    h(
      "header",
      { class: "pages-head" },
      h(PageLink, { to: "/", class: "logo-link", label: "Big Two: back to the game" }, h("span", { class: "logo" }, "Big Two", h("span", { class: "logo-suits", "aria-hidden": "true" }, " ♠♥♣♦"))),
      h(
        "nav",
        { class: "pages-nav", "aria-label": "Pages" },
        h(PageLink, { to: "/", class: "btn small ghost" }, props.state.table ? "Back to the table" : "Play"),
        h(PageLink, { to: "/leaderboard", class: `btn small ghost${route.page === "leaderboard" ? " on" : ""}`, testid: "nav-leaderboard" }, "Leaderboard"),
        h(AccountChip, null),
      ),
    ),
    page,
    h(PageToasts, { state: props.state }),
  );
}

function PageToasts(props: { state: AppState }) {
  const { app } = useServices();
  return h(
    "div",
    { class: "toasts", "aria-live": "assertive" },
    props.state.toasts.map((t) =>
      h(
        "div",
        { key: t.id, class: `toast ${t.kind}`, role: t.kind === "error" ? "alert" : "status", "data-testid": "toast" },
        h("span", null, t.text),
        h("button", { type: "button", class: "x", "aria-label": "Dismiss", onClick: () => app.dismissToast(t.id) }, "✕"),
      ),
    ),
  );
}
