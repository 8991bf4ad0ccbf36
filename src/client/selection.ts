// The live line under the hand: what the selection is and whether it can be played. Every
// verdict comes from the rules engine (checkPlay, classify, beats); this only words it.
import type { Card, PlayerView } from "../rules/types.ts";
import { beats, checkPlay, classify, describeCombo } from "../rules/index.ts";

export interface SelectionLine {
  text: string;
  /** good: can be played now; bad: cannot; idle: nothing selected or not our turn. */
  tone: "good" | "bad" | "idle";
}

const SUIT: Record<string, string> = { D: "♦", C: "♣", H: "♥", S: "♠" };

export function shortCard(card: Card): string {
  return (card[0] === "T" ? "10" : card[0]) + SUIT[card[1]];
}

export function selectionLine(view: PlayerView, selected: readonly Card[]): SelectionLine {
  const myTurn = view.winner === null && view.turn === view.seat;
  const top = view.top;
  if (view.winner !== null) return { text: view.winner === view.seat ? "You went out first!" : "The deal is over.", tone: "idle" };
  if (selected.length === 0) {
    if (!myTurn) return { text: "Select cards to plan your next play.", tone: "idle" };
    if (top) return { text: `Your turn: beat ${describeCombo(top.combo)}, or pass.`, tone: "idle" };
    if (view.mustContain) return { text: `Your lead: your play must include ${shortCard(view.mustContain)}.`, tone: "idle" };
    return { text: "Your lead: play any combination.", tone: "idle" };
  }
  const combo = classify(selected, view.variant);
  const what = combo ? describeCombo(combo) : null;
  const r = checkPlay(view, selected);
  if (r.ok) return { text: top ? `${describeCombo(r.combo)}, beats the table` : `${describeCombo(r.combo)}, ready to lead`, tone: "good" };
  switch (r.code) {
    case "turn/not-yours":
    case "deal/over": {
      if (!what || !combo) return { text: "not a combination", tone: "bad" };
      if (!top) return { text: what, tone: "idle" };
      if (combo.cards.length !== top.combo.cards.length) return { text: `${what}, the table needs ${size(top.combo.cards.length)}`, tone: "idle" };
      return { text: `${what}, ${beats(combo, top.combo, view.variant) ? "beats" : "does not beat"} the table`, tone: "idle" };
    }
    case "play/not-a-combination":
      return { text: "not a combination", tone: "bad" };
    case "play/wrong-size":
      return { text: `${what ?? "selection"}: must be ${size(top ? top.combo.cards.length : 0)}`, tone: "bad" };
    case "play/not-higher":
      return { text: `${what}, does not beat ${top ? describeCombo(top.combo) : "the table"}`, tone: "bad" };
    case "play/must-include-start":
      return { text: `${what ?? "selection"}: the first play must include ${view.mustContain ? shortCard(view.mustContain) : "the lowest card"}`, tone: "bad" };
    default:
      return { text: r.message, tone: "bad" };
  }
}

function size(n: number): string {
  return `${n} card${n === 1 ? "" : "s"}`;
}
