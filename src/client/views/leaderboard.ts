// The leaderboard (/leaderboard): best first, each name a link to its profile; your own row is
// always visible (highlighted in the list, or below it when you are not on it).
import { h } from "preact";
import { api, apiErrorText, type LeaderRow, type Profile } from "../api.ts";
import { num, t } from "../i18n/index.ts";
import { profilePath } from "../router.ts";
import { ErrorPanel, Loading, PageLink } from "./page-bits.ts";
import { useServices } from "./services.ts";
import { useApi } from "./use-api.ts";

export function LeaderboardPage() {
  const [loaded, reload] = useApi("leaderboard", () => api.leaderboard(100));
  const { app, account } = useServices();
  const me = app.state.playerId;
  // Our own row below the list only for an account: a guest who has not finished a match has no
  // profile, and asking for it would be a 404 on every visit.
  const acct = account.state.account?.playerId ?? null;
  const listed = !loaded.loading && loaded.ok && me !== null && loaded.data.players.some((p) => p.playerId === me);
  // Not on the list: fetch our own numbers to show below it.
  const ask = !listed && acct !== null && acct === me && !loaded.loading;
  const [mine] = useApi(`lb-me:${ask ? acct : ""}`, () =>
    ask ? api.player(acct) : Promise.resolve({ ok: false as const, status: 0, code: "none", message: "", retryAfter: null }),
  );
  if (loaded.loading) return h(Loading, { what: t("board.loading") });
  if (!loaded.ok) return h(ErrorPanel, { text: apiErrorText(loaded), retry: loaded.status === 0 || loaded.status >= 500 ? reload : null });
  const { players, minMatches } = loaded.data;
  const myProfile: Profile | null = !mine.loading && mine.ok ? mine.data : null;
  return h(
    "main",
    { class: "page leaderboard", "data-testid": "leaderboard" },
    h(
      "section",
      { class: "panel" },
      h("h1", null, t("board.title")),
      h("p", { class: "muted fine" }, t("board.about", { n: minMatches })),
      players.length === 0
        ? h("p", { class: "muted" }, t("board.empty"))
        : h(
            "table",
            { class: "lb" },
            h(
              "thead",
              null,
              h(
                "tr",
                null,
                h("th", { class: "num" }, t("board.rank")),
                h("th", null, t("col.player")),
                h("th", { class: "num" }, t("board.rating")),
                h("th", { class: "num" }, t("board.matches")),
                h("th", { class: "num" }, t("board.wins")),
              ),
            ),
            h(
              "tbody",
              null,
              players.map((p, i) => h(Row, { key: p.playerId, p, rank: i + 1, me: p.playerId === me })),
              !listed && myProfile
                ? [
                    h("tr", { key: "gap", class: "gap", "aria-hidden": "true" }, h("td", { colSpan: 5 }, "⋯")),
                    h(Row, {
                      key: "me",
                      p: myProfile,
                      rank: null,
                      me: true,
                      note: myProfile.ranked < minMatches ? t("board.toList", { n: minMatches - myProfile.ranked }) : null,
                    }),
                  ]
                : null,
            ),
          ),
    ),
  );
}

function Row(props: { p: Pick<LeaderRow, "playerId" | "name" | "guest" | "rating" | "matches" | "wins">; rank: number | null; me: boolean; note?: string | null }) {
  const { p } = props;
  return h(
    "tr",
    { class: props.me ? "me" : "", "data-player": p.playerId },
    h("td", { class: "num rank" }, props.rank === null ? "–" : num(props.rank)),
    h(
      "th",
      { scope: "row" },
      h(PageLink, { to: profilePath(p.playerId) }, p.name),
      p.guest ? h("span", { class: "badge" }, t("badge.guest")) : null,
      props.me ? h("span", { class: "badge you" }, t("badge.you")) : null,
      props.note ? h("span", { class: "muted fine note" }, props.note) : null,
    ),
    h("td", { class: "num strong" }, num(p.rating)),
    h("td", { class: "num" }, num(p.matches)),
    h("td", { class: "num" }, num(p.wins)),
  );
}
