// The match-end screen's additions: the rematch offer ("Play again" with its countdown), the
// replay of this match when the server names it in `matchEnd`, and the player's profile.
import { h } from "preact";
import { t as tr } from "../i18n/index.ts";
import { rematchLine } from "../rematch.ts";
import { seatName, type TableModel } from "../table-model.ts";
import { profilePath, replayPath } from "../router.ts";
import { seconds, useNow } from "./hooks.ts";
import { PageLink } from "./page-bits.ts";
import { useServices } from "./services.ts";

export function MatchEndLinks(props: { t: TableModel }) {
  const { app } = useServices();
  const { t } = props;
  const matchId = t.matchEnd?.matchId ?? null;
  const me = app.state.playerId;
  return [
    matchId ? h(PageLink, { key: "r", to: replayPath(matchId), class: "btn", testid: "match-replay" }, tr("btn.replay")) : null,
    // A practice match (in this browser alone) is in nobody's records: its player id is "practice".
    t.seat !== null && me && !app.conn.isLocal ? h(PageLink, { key: "p", to: profilePath(me), class: "btn ghost", testid: "match-profile" }, tr("match.mine")) : null,
  ];
}

/** "Play again": the same seats and settings, once everyone agrees, with the offer's countdown. */
export function RematchOffer(props: { t: TableModel }) {
  const { app } = useServices();
  const { t } = props;
  const r = t.rematch;
  const now = useNow(250, !!r && r.deadline !== null);
  if (!r || t.seat === null) return null;
  const names = t.players.map((_, s) => seatName(t, s));
  const mine = r.answers[t.seat];
  const open = r.outcome === null && r.deadline !== null;
  const left = open && r.deadline !== null ? Math.max(0, r.deadline - now) : 0;
  return h(
    "div",
    { class: "rematch", role: "group", "aria-labelledby": "rematch-title", "data-testid": "rematch" },
    h(
      "div",
      { class: "rematch-head" },
      h("strong", { id: "rematch-title" }, tr("rematch.title")),
      open ? h("span", { class: "rematch-clock", role: "timer", "aria-live": "off", "data-testid": "rematch-clock" }, seconds(left)) : null,
    ),
    open ? h("div", { class: "rematch-bar", "aria-hidden": "true" }, h("span", { style: { width: `${Math.min(100, (left / REMATCH_SHOWN_MS) * 100)}%` } })) : null,
    h(
      "div",
      { class: "row" },
      h(
        "button",
        {
          type: "button",
          class: "btn primary",
          disabled: !open || mine !== "pending",
          onClick: () => app.rematch(true),
          "data-testid": "play-again",
        },
        mine === "yes" ? tr("rematch.in") : tr("rematch.yes"),
      ),
      h(
        "span",
        { class: "muted rematch-line", "aria-live": "polite", "data-testid": "rematch-line" },
        rematchLine(r, names, t.seat).map((part, i) => [i > 0 ? " · " : null, h("span", { key: i, class: "part" }, part)]),
      ),
    ),
  );
}

/** The bar's full width: the server's default offer (REMATCH_SECONDS, 20 s). */
const REMATCH_SHOWN_MS = 20_000;
