// The records pages' frame: a header that leads back to the game, the page the route names, and
// the account dialog. The game itself (lobby, table) is Root, at `/`.
import { h } from "preact";
import type { AppState } from "../app.ts";
import type { Route } from "../router.ts";
import { t } from "../i18n/index.ts";
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
      h(PageLink, { to: "/", class: "logo-link", label: t("page.home", { game: t("app.name") }) }, h("span", { class: "logo" }, t("app.name"), h("span", { class: "logo-suits", "aria-hidden": "true" }, " ♠♥♣♦"))),
      h(
        "nav",
        { class: "pages-nav", "aria-label": t("page.nav") },
        h(PageLink, { to: "/", class: "btn small ghost" }, props.state.table ? t("page.backToTable") : t("page.toGame")),
        h(PageLink, { to: "/leaderboard", class: `btn small ghost${route.page === "leaderboard" ? " on" : ""}`, testid: "nav-leaderboard" }, t("board.title")),
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
    props.state.toasts.map((toast) =>
      h(
        "div",
        { key: toast.id, class: `toast ${toast.kind}`, role: toast.kind === "error" ? "alert" : "status", "data-testid": "toast" },
        h("span", null, toast.text),
        h("button", { type: "button", class: "x", "aria-label": t("btn.dismiss"), onClick: () => app.dismissToast(toast.id) }, "✕"),
      ),
    ),
  );
}
