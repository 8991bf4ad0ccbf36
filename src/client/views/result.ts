import { h } from "preact";
import type { App, AppState } from "../app.ts";
import { inSecs, list, t as tr } from "../i18n/index.ts";
import { displayName, seatName, type TableModel } from "../table-model.ts";
import { CardRow } from "./cards.ts";
import { signed } from "./format.ts";
import { useNow } from "./hooks.ts";
import { MatchEndLinks, RematchOffer } from "./match-end.ts";

export function ResultPanel(props: { app: App; state: AppState; t: TableModel }) {
  const { app, state, t } = props;
  const r = t.result;
  const over = t.matchEnd !== null || t.status === "over";
  const now = useNow(500, !!r && r.nextAt !== null);
  const seats = Array.from({ length: t.settings.seats }, (_, i) => i);
  const totals = t.matchEnd?.totals ?? r?.totals ?? t.totals;
  const ranked = over ? seats.slice().sort((a, b) => totals[b] - totals[a]) : seats;
  const winners = t.matchEnd?.winners ?? (over ? leaders(totals) : []);
  const names = list(winners.map((s) => seatName(t, s)));
  const title = over
    ? winners.length === 0
      ? tr("result.matchOver")
      : winners.includes(t.seat ?? -1)
        ? winners.length > 1
          ? tr("result.youShare")
          : tr("result.youWin")
        : tr(winners.length > 1 ? "result.theyShare" : "result.theyWin", { names })
    : r
      ? r.result.winner === t.seat
        ? tr("result.youWinDeal", { n: r.dealNo })
        : tr("result.winsDeal", { name: seatName(t, r.result.winner), n: r.dealNo })
      : "";
  return h(
    "div",
    { class: "overlay", role: "dialog", "aria-modal": "false", "aria-labelledby": "result-title", "data-testid": over ? "match-end" : "deal-result" },
    h(
      "div",
      { class: "panel result" },
      h("h2", { id: "result-title" }, title),
      h(
        "table",
        { class: "scores" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            h("th", { scope: "col" }, tr("col.player")),
            h("th", { scope: "col", class: "left-cards" }, tr("col.left")),
            h("th", { scope: "col" }, tr("col.penalty")),
            h("th", { scope: "col" }, tr("col.deal")),
            h("th", { scope: "col" }, tr("col.total")),
          ),
        ),
        h(
          "tbody",
          null,
          ranked.map((s) => {
            const sc = r?.result.scores[s];
            const left = r?.result.hands[s] ?? [];
            return h(
              "tr",
              { key: s, class: `${r?.result.winner === s ? "won" : ""}${s === t.seat ? " me" : ""}` },
              h(
                "th",
                { scope: "row" },
                h("span", { class: "nm" }, t.players[s] ? displayName(t.players[s]) : seatName(t, s)),
                s === t.seat ? h("span", { class: "you-mark" }, ` (${tr("seat.you")})`) : null,
                t.players[s]?.bot ? h("span", { class: "badge bot" }, tr("seat.bot")) : null,
              ),
              h("td", { class: "left-cards" }, left.length ? h(CardRow, { cards: left, size: "sm" }) : r ? h("span", { class: "muted" }, tr("result.out")) : null),
              h("td", { class: "num" }, sc ? (sc.penalty ? String(sc.penalty) : "–") : ""),
              h("td", { class: `num ${sc && sc.delta < 0 ? "neg" : "pos"}` }, sc ? signed(sc.delta) : ""),
              h("td", { class: `num strong ${totals[s] < 0 ? "neg" : totals[s] > 0 ? "pos" : ""}` }, signed(totals[s] ?? 0)),
            );
          }),
        ),
      ),
      over ? h(RematchOffer, { t }) : null,
      over
        ? h(
            "div",
            { class: "row end" },
            h(MatchEndLinks, { t }),
            // While "Play again" is on offer it is the one primary button.
            h("button", { type: "button", class: t.rematch?.outcome === null ? "btn" : "btn primary", onClick: () => app.leaveTable(), "data-testid": "back-to-lobby" }, tr("btn.backToLobby")),
          )
        : h(
            "div",
            { class: "row end next" },
            h(
              "span",
              { class: "muted", role: "timer" },
              r && r.nextAt !== null ? tr("result.nextIn", { in: inSecs(r.nextAt - now) }) : tr("result.nextSoon"),
            ),
            t.seat !== null
              ? h(
                  "button",
                  { type: "button", class: "btn primary", disabled: state.ui.readySent, onClick: () => app.ready(), "data-testid": "next-deal" },
                  state.ui.readySent ? tr("btn.ready") : tr("btn.nextDeal"),
                )
              : null,
          ),
    ),
  );
}

function leaders(totals: number[]): number[] {
  const best = Math.max(...totals);
  return totals.flatMap((x, i) => (x === best ? [i] : []));
}
