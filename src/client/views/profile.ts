// A player's page (/profile/PLAYER): name, rating and its history, recent matches with replays.
import { h } from "preact";
import { api, apiErrorText, type Profile, type RecentMatch } from "../api.ts";
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
  if (loaded.loading) return h(Loading, { what: "Loading the profile…" });
  if (!loaded.ok) {
    const mine = app.state.playerId === props.playerId;
    const text =
      loaded.code === "player/not-found" && mine
        ? "Your profile appears here once you finish a match. Play one, then come back."
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
  return h(
    "main",
    { class: "page profile", "data-testid": "profile" },
    h(
      "section",
      { class: "panel profile-head" },
      h(
        "div",
        { class: "who" },
        h("h1", { "data-testid": "profile-name" }, p.name, p.guest ? h("span", { class: "badge" }, "guest") : null, mine ? h("span", { class: "badge you" }, "you") : null),
        h(
          "p",
          { class: "stats" },
          h("span", { class: "rating", "data-testid": "profile-rating" }, "★ ", p.rating.toLocaleString("en")),
          week !== null && week !== 0 ? h("span", { class: week > 0 ? "pos" : "neg" }, ` (${signed(week)} this week)`) : null,
          h("span", { class: "muted" }, ` · ${p.matches} match${p.matches === 1 ? "" : "es"} · ${p.wins} win${p.wins === 1 ? "" : "s"} · ${p.ranked} ranked`),
        ),
      ),
      ratings.length > 0
        ? h(RatingChart, { ratings, label: `Rating over the last ${Math.min(p.ratingHistory.length, CHART_POINTS)} ranked match${p.ratingHistory.length === 1 ? "" : "es"}` })
        : h("p", { class: "muted" }, "No ranked matches yet: play a table with another person to get a rating history."),
      mine && p.guest ? h(SaveNudge, null) : null,
    ),
    h(
      "section",
      { class: "panel" },
      h("h2", null, "Recent matches"),
      p.recent.length === 0
        ? h("p", { class: "muted" }, "No finished matches yet.")
        : h("ul", { class: "recent", "data-testid": "recent" }, p.recent.map((m) => h(RecentRow, { key: m.matchId, m, playerId: p.playerId }))),
    ),
  );
}

function SaveNudge() {
  const { openDialog } = useServices();
  return h(
    "p",
    { class: "nudge" },
    "This progress lives in this browser only. ",
    h("button", { type: "button", class: "btn small primary", onClick: () => openDialog("save") }, "Save my progress"),
  );
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th";
  return `${n}${s}`;
}

function RecentRow(props: { m: RecentMatch; playerId: string }) {
  const { m } = props;
  const others = m.players.filter((x) => x.playerId !== props.playerId);
  const change = m.ratingBefore !== null && m.ratingAfter !== null ? m.ratingAfter - m.ratingBefore : null;
  return h(
    "li",
    { class: `recent-row${m.won ? " won" : ""}`, "data-match": m.matchId },
    h("span", { class: "r-when muted" }, when(m.endedAt)),
    h("span", { class: "r-place" }, ordinal(m.place), m.won ? h("span", { class: "sr-only" }, " (won)") : null),
    h(
      "span",
      { class: "r-who" },
      others.map((x, i) => [
        i > 0 ? ", " : "",
        x.human && x.playerId ? h(PageLink, { key: i, to: profilePath(x.playerId) }, x.name) : h("span", { key: i, class: "muted" }, x.name),
      ]),
    ),
    h("span", { class: `r-total num ${m.total < 0 ? "neg" : m.total > 0 ? "pos" : ""}` }, signed(m.total)),
    h("span", { class: `r-rating num ${change === null ? "muted" : change >= 0 ? "pos" : "neg"}` }, change === null ? "unranked" : `${signed(change)} ★`),
    h(PageLink, { to: replayPath(m.matchId), class: "btn small", testid: "replay-link", label: `Replay the match of ${when(m.endedAt)}` }, "Replay"),
  );
}
