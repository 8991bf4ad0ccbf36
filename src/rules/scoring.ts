import type { Card, DealResult, DealState, SeatScore, Variant } from "./types.ts";

/**
 * A loser's penalty (RULES.md "Scoring a deal"): cards left, times 3 if the seat never played
 * (tripleIfUnplayed), otherwise times 2 from `doubleAt` cards; then times 2 for each 2 left
 * with twosDouble. The triple replaces the double, as in the Hong Kong tables: 13 unplayed
 * cards cost 39, not 78.
 */
export function penaltyFor(hand: readonly Card[], playedAny: boolean, v: Variant): number {
  const left = hand.length;
  let multiplier = v.tripleIfUnplayed && !playedAny ? 3 : left >= v.doubleAt ? 2 : 1;
  if (v.twosDouble) for (const card of hand) if (card[0] === "2") multiplier *= 2;
  return left * multiplier;
}

/** The scores of a finished deal; zero-sum. Throws an Error while the deal has no winner. */
export function scoreDeal(state: DealState): DealResult {
  const winner = state.winner;
  if (winner === null) throw new Error("scoreDeal: the deal has no winner yet");
  const scores: SeatScore[] = state.hands.map((hand, seat) => {
    const penalty = seat === winner ? 0 : penaltyFor(hand, state.playedAny[seat], state.variant);
    return { cardsLeft: hand.length, penalty, delta: -penalty };
  });
  const gain = scores.reduce((sum, s) => sum + s.penalty, 0);
  scores[winner] = { ...scores[winner], delta: gain };
  return { winner, scores, hands: state.hands.map((h) => h.slice()) };
}
