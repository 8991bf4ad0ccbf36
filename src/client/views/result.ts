import { h } from "preact";
import type { App, AppState } from "../app.ts";
import { seatName, type TableModel } from "../table-model.ts";
import { CardRow } from "./cards.ts";
import { signed } from "./format.ts";
import { seconds, useNow } from "./hooks.ts";
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
  const title = over
    ? winners.length === 0
      ? "Match over"
      : winners.includes(t.seat ?? -1)
        ? winners.length > 1
          ? "Match over: you share the win!"
          : "Match over: you win!"
        : `Match over: ${winners.map((s) => seatName(t, s)).join(" and ")} ${winners.length > 1 ? "win" : "wins"}`
    : r
      ? r.result.winner === t.seat
        ? `You win deal ${r.dealNo}!`
        : `${seatName(t, r.result.winner)} wins deal ${r.dealNo}`
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
          h("tr", null, h("th", null, "Player"), h("th", { class: "left-cards" }, "Cards left"), h("th", null, "Penalty"), h("th", null, "Deal"), h("th", null, "Total")),
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
              h("th", { scope: "row" }, t.players[s]?.name ?? seatName(t, s), t.players[s]?.bot ? h("span", { class: "badge bot" }, "bot") : null),
              h("td", { class: "left-cards" }, left.length ? h(CardRow, { cards: left, size: "sm" }) : r ? h("span", { class: "muted" }, "out!") : null),
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
            h("button", { type: "button", class: t.rematch?.outcome === null ? "btn" : "btn primary", onClick: () => app.leaveTable(), "data-testid": "back-to-lobby" }, "Back to lobby"),
          )
        : h(
            "div",
            { class: "row end next" },
            h(
              "span",
              { class: "muted", role: "timer" },
              r && r.nextAt !== null ? `Next deal in ${seconds(r.nextAt - now)}` : "Next deal soon",
            ),
            t.seat !== null
              ? h(
                  "button",
                  { type: "button", class: "btn primary", disabled: state.ui.readySent, onClick: () => app.ready(), "data-testid": "next-deal" },
                  state.ui.readySent ? "Ready ✓" : "Next deal",
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
