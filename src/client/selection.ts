// The live line under the hand: what the selection is and whether it can be played. Every
// verdict comes from the rules engine (checkPlay, classify, beats); this only words it, in the
// player's language.
import type { Card, PlayerView } from "../rules/types.ts";
import { beats, checkPlay, classify } from "../rules/index.ts";
import { comboText, shortCard } from "./i18n/game.ts";
import { t } from "./i18n/index.ts";

export { shortCard };

export interface SelectionLine {
  text: string;
  /** good: can be played now; bad: cannot; idle: nothing selected or not our turn. */
  tone: "good" | "bad" | "idle";
}

export function selectionLine(view: PlayerView, selected: readonly Card[]): SelectionLine {
  const myTurn = view.winner === null && view.turn === view.seat;
  const top = view.top;
  if (view.winner !== null) return { text: view.winner === view.seat ? t("sel.youOut") : t("sel.dealOver"), tone: "idle" };
  if (selected.length === 0) {
    if (!myTurn) return { text: t("sel.plan"), tone: "idle" };
    if (top) return { text: t("sel.beatOrPass", { combo: comboText(top.combo) }), tone: "idle" };
    if (view.mustContain) return { text: t("sel.leadMust", { card: shortCard(view.mustContain) }), tone: "idle" };
    return { text: t("sel.leadAny"), tone: "idle" };
  }
  const combo = classify(selected, view.variant);
  const what = combo ? comboText(combo) : null;
  const r = checkPlay(view, selected);
  if (r.ok) return { text: t(top ? "sel.beats" : "sel.readyLead", { combo: comboText(r.combo) }), tone: "good" };
  switch (r.code) {
    case "turn/not-yours":
    case "deal/over": {
      if (!what || !combo) return { text: t("sel.notCombo"), tone: "bad" };
      if (!top) return { text: what, tone: "idle" };
      if (combo.cards.length !== top.combo.cards.length) return { text: t("sel.needs", { combo: what, size: size(top.combo.cards.length) }), tone: "idle" };
      return { text: t(beats(combo, top.combo, view.variant) ? "sel.beats" : "sel.notBeatsTable", { combo: what }), tone: "idle" };
    }
    case "play/not-a-combination":
      return { text: t("sel.notCombo"), tone: "bad" };
    case "play/wrong-size":
      return { text: t("sel.mustBe", { combo: what ?? t("sel.selection"), size: size(top ? top.combo.cards.length : 0) }), tone: "bad" };
    case "play/not-higher":
      return { text: top ? t("sel.notBeat", { combo: what ?? t("sel.selection"), top: comboText(top.combo) }) : t("sel.notBeatsTable", { combo: what ?? t("sel.selection") }), tone: "bad" };
    case "play/must-include-start":
      return {
        text: t("sel.mustInclude", { combo: what ?? t("sel.selection"), card: view.mustContain ? shortCard(view.mustContain) : t("sel.lowest") }),
        tone: "bad",
      };
    default:
      return { text: t("sel.notCombo"), tone: "bad" };
  }
}

function size(n: number): string {
  return t("seat.cards", { n });
}
