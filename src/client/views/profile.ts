// A player's page (/profile/PLAYER): name, rating and its history, recent matches with replays.
import { h } from "preact";
import { api, apiErrorText, type Profile, type RecentMatch } from "../api.ts";
import { listParts, num, t, tOrdinal } from "../i18n/index.ts";
import { profilePath, replayPath } from "../router.ts";
import { signed } from "./format.ts";
import { ErrorPanel, Loading, PageLink, when } from "./page-bits.ts";
import { RatingChart } from "./rating-chart.ts";
import { useServices } from "./services.ts";
import { useApi } from "./use-api.ts";

const WEEK_MS = 7 * 24 * 3600 * 1000;
const CHART_POINTS = 30;

export function ProfilePage(props: { playerId: string }) {
  const [loaded, reload] = useApi(`player:${props.playerId}`, () => api.player(props.playerId));
  const { app } = useServices();
  if (loaded.loading) return h(Loading, { what: t("profile.loading") });
  if (!loaded.ok) {
    const mine = app.state.playerId === props.playerId;
    const text =
      loaded.code === "player/not-found" && mine
        ? t("profile.notYet")
        : apiErrorText(loaded);
    return h(ErrorPanel, { text, retry: loaded.status === 0 || loaded.status >= 500 ? reload : null });
  }
  return h(ProfileView, { p: loaded.data, mine: app.state.playerId === props.playerId });
}

/** The change over the last week: the latest rating minus the one before the week's first match. */
export function weekChange(p: Pick<Profile, "ratingHistory" | "rating">, now: number): number | null {
  const hist = p.ratingHistory;
  const first = hist.findIndex((x) => now - Date.parse(x.endedAt) <= WEEK_MS);
  if (first < 0) return null;
  const before = first > 0 ? hist[first - 1].rating : NEW_PLAYER;
  return p.rating - before;
}

/** The API keeps the last 100 points, each the rating after a match. */
const HISTORY_KEPT = 100;

/**
 * The chart's points: the last CHART_POINTS ratings, starting from a new player's 1000 when the
 * whole history is there, so even one ranked match draws a line from where the player began.
 */
export function chartRatings(history: number[]): number[] {
  const whole = history.length > 0 && history.length < HISTORY_KEPT;
  const points = whole ? [NEW_PLAYER, ...history] : history;
  return points.slice(-(CHART_POINTS + (whole && history.length <= CHART_POINTS ? 1 : 0)));
}
const NEW_PLAYER = 1000;

function ProfileView(props: { p: Profile; mine: boolean }) {
  const { p, mine } = props;
  const week = weekChange(p, Date.now());
  const ratings = chartRatings(p.ratingHistory.map((x) => x.rating));
  const charted = Math.min(p.ratingHistory.length, CHART_POINTS);
  return h(
    "main",
    { class: "page profile", "data-testid": "profile" },
    h(
      "section",
      { class: "panel profile-head" },
      h(
        "div",
        { class: "who" },
        h("h1", { "data-testid": "profile-name" }, p.name, p.guest ? h("span", { class: "badge" }, t("badge.guest")) : null, mine ? h("span", { class: "badge you" }, t("badge.you")) : null),
        h(
          "p",
          { class: "stats" },
          h("span", { class: "rating", "data-testid": "profile-rating" }, "★ ", num(p.rating)),
          week !== null && week !== 0 ? h("span", { class: week > 0 ? "pos" : "neg" }, t("profile.week", { change: signed(week) })) : null,
          h("span", { class: "muted" }, ["", t("profile.matches", { n: p.matches }), t("profile.wins", { n: p.wins }), t("profile.ranked", { n: p.ranked })].join(" · ")),
        ),
      ),
      ratings.length > 0
        ? h(RatingChart, { ratings, label: t("profile.chart", { n: charted }) })
        : h("p", { class: "muted" }, t("profile.noRanked")),
      mine && p.guest ? h(SaveNudge, null) : null,
    ),
    h(
      "section",
      { class: "panel" },
      h("h2", null, t("profile.recent")),
      p.recent.length === 0
        ? h("p", { class: "muted" }, t("profile.noMatches"))
        : h("ul", { class: "recent", "data-testid": "recent" }, p.recent.map((m) => h(RecentRow, { key: m.matchId, m, playerId: p.playerId }))),
    ),
  );
}

function SaveNudge() {
  const { openDialog } = useServices();
  return h(
    "p",
    { class: "nudge" },
    `${t("profile.nudge")} `,
    h("button", { type: "button", class: "btn small primary", onClick: () => openDialog("save") }, t("acct.save")),
  );
}

function RecentRow(props: { m: RecentMatch; playerId: string }) {
  const { m } = props;
  const others = m.players.filter((x) => x.playerId !== props.playerId);
  const change = m.ratingBefore !== null && m.ratingAfter !== null ? m.ratingAfter - m.ratingBefore : null;
  let seen = 0;
  return h(
    "li",
    { class: `recent-row${m.won ? " won" : ""}`, "data-match": m.matchId },
    h("span", { class: "r-when muted" }, when(m.endedAt)),
    h("span", { class: "r-place" }, tOrdinal("place.n", { n: m.place }), m.won ? h("span", { class: "sr-only" }, ` ${t("profile.won")}`) : null),
    h(
      "span",
      { class: "r-who" },
      // The language's own list ("Lin, Raj and Ana", "Lin、Raj和Ana"), each name a link where it can be.
      listParts(others.map((x) => x.name)).map((part, k) => {
        if (part.type !== "element") return h("span", { key: k, class: "muted" }, part.value);
        const x = others[seen++];
        return x.human && x.playerId ? h(PageLink, { key: k, to: profilePath(x.playerId) }, x.name) : h("span", { key: k, class: "muted" }, x.name);
      }),
    ),
    h("span", { class: `r-total num ${m.total < 0 ? "neg" : m.total > 0 ? "pos" : ""}` }, signed(m.total)),
    h("span", { class: `r-rating num ${change === null ? "muted" : change >= 0 ? "pos" : "neg"}` }, change === null ? t("match.unranked") : `${signed(change)} ★`),
    h(PageLink, { to: replayPath(m.matchId), class: "btn small", testid: "replay-link", label: t("profile.replayLabel", { when: when(m.endedAt) }) }, t("btn.replay")),
  );
}
