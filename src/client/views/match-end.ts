// The match-end screen's way to the records: the replay of this match when the server names it
// in `matchEnd`, and the player's profile (every recent match, each with its replay).
import { h } from "preact";
import type { TableModel } from "../table-model.ts";
import { profilePath, replayPath } from "../router.ts";
import { PageLink } from "./page-bits.ts";
import { useServices } from "./services.ts";

export function MatchEndLinks(props: { t: TableModel }) {
  const { app } = useServices();
  const { t } = props;
  const matchId = t.matchEnd?.matchId ?? null;
  const me = app.state.playerId;
  return [
    matchId ? h(PageLink, { key: "r", to: replayPath(matchId), class: "btn", testid: "match-replay" }, "Replay") : null,
    t.seat !== null && me ? h(PageLink, { key: "p", to: profilePath(me), class: "btn ghost", testid: "match-profile" }, "My matches") : null,
  ];
}
