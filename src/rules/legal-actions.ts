// What a seat may do now. The reducer and the browser run the same checks: `checkPlayFor` is
// the only implementation of "may these cards be played", and `legalActions` enumerates exactly
// the plays it accepts (a property test holds the two together).
import type { Card, Combo, LegalActions, PlayerView, PublicDeal, Rejection } from "./types.ts";
import { describeCombo } from "./describe.ts";
import { reject } from "./errors.ts";
import { comboOf, valueOfCombo, valueOfSorted } from "./combos.ts";
import { enumeratePlays, handIndices } from "./legal-plays.ts";
import { compiled, indexOf, sortNumbers } from "./tables.ts";

export type PlayCheck = { ok: true; combo: Combo } | Rejection;

/** Deal still running and `seat` to act; the seat number itself was checked by the caller. */
export function checkTurn(pub: PublicDeal, seat: number): Rejection | null {
  if (pub.winner !== null || pub.turn < 0) return reject("deal/over", "The deal is over.");
  if (seat !== pub.turn) return reject("turn/not-yours", `It is seat ${pub.turn}'s turn, not seat ${seat}'s.`);
  return null;
}

/** May `seat`, holding `hand`, play `cards` now? The reducer's check and the browser's. */
export function checkPlayFor(pub: PublicDeal, seat: number, hand: readonly Card[], cards: readonly Card[]): PlayCheck {
  const turn = checkTurn(pub, seat);
  if (turn !== null) return turn;
  if (!Array.isArray(cards) || cards.length === 0) return reject("play/empty", "Choose at least one card to play.");
  for (let i = 1; i < cards.length; i++) {
    if (cards.indexOf(cards[i]) !== i) return reject("play/duplicate-cards", `${String(cards[i])} is chosen twice.`);
  }
  const missing = cards.filter((card) => !hand.includes(card));
  if (missing.length > 0) {
    return reject("play/cards-not-in-hand", `Not in your hand: ${missing.map((m) => String(m)).join(" ")}.`);
  }
  const c = compiled(pub.variant);
  const sorted = new Array<number>(cards.length);
  for (let i = 0; i < cards.length; i++) sorted[i] = indexOf(cards[i], c.suit);
  sortNumbers(sorted);
  const value = valueOfSorted(sorted, c);
  if (value < 0) {
    return reject("play/not-a-combination", `${cards.join(" ")} is not a combination: play a single, a pair, a triple or a five-card hand.`);
  }
  const combo = comboOf(sorted, value, c);
  if (pub.mustContain !== null && !cards.includes(pub.mustContain)) {
    return reject("play/must-include-start", `The first play of the deal must include ${pub.mustContain}.`);
  }
  const top = pub.top;
  if (top !== null) {
    const size = top.combo.cards.length;
    if (cards.length !== size) {
      return reject("play/wrong-size", `Play ${size} card${size === 1 ? "" : "s"} to follow ${describeCombo(top.combo)}.`);
    }
    if (value <= valueOfCombo(top.combo, c, "table")) {
      return reject("play/not-higher", `${describeCombo(combo)} does not beat ${describeCombo(top.combo)}.`);
    }
  }
  return { ok: true, combo };
}

/** The browser's instant check for the view's own seat: the reducer's code path. */
export function checkPlay(view: PlayerView, cards: readonly Card[]): PlayCheck {
  return checkPlayFor(view, view.seat, view.hand, cards);
}

/** The legal plays of `seat` holding `hand` now, honouring the must-contain card. */
export function playsFor(pub: PublicDeal, seat: number, hand: readonly Card[]): Combo[] {
  if (checkTurn(pub, seat) !== null) return [];
  const c = compiled(pub.variant);
  const idx = handIndices(hand, c);
  const must = pub.mustContain === null ? -1 : indexOf(pub.mustContain, c.suit);
  const top = pub.top;
  if (top === null) return enumeratePlays(idx, 0, -1, c, must);
  return enumeratePlays(idx, top.combo.cards.length, valueOfCombo(top.combo, c, "table"), c, must);
}

/**
 * What the view's seat may do now: pass unless it leads the trick, and every legal play
 * (ordered as by legalPlays). Nothing when it is not the seat's turn or the deal is over.
 */
export function legalActions(view: PlayerView): LegalActions {
  const plays = playsFor(view, view.seat, view.hand);
  const canPass = checkTurn(view, view.seat) === null && view.top !== null;
  return { canPass, plays };
}
