import { legalActions, type Card, type Combo, type PlayerView } from "../../rules/index.ts";
import type { BotAction } from "../strategy.ts";

const rankOf = (c: Card) => c[0];

/**
 * Plays the cheapest combination that beats the table without breaking up the hand's pairs,
 * triples and five-card hands, and holds its 2s until an opponent is close to going out or its
 * own hand is nearly done. Leads the lowest card in the largest combination that contains it.
 */
export function greedyStrategy(view: PlayerView): BotAction {
  const { canPass, plays } = legalActions(view);
  if (plays.length === 0) return { type: "pass" };

  const rankCount = new Map<string, number>();
  for (const c of view.hand) rankCount.set(rankOf(c), (rankCount.get(rankOf(c)) ?? 0) + 1);
  const fives = plays.filter((p) => p.cards.length === 5);
  const inFive = new Set<Card>(fives.length > 0 ? fives[0].cards : []);

  const opponentsLow = view.counts.some((n, s) => s !== view.seat && n > 0 && n <= 3);
  const late = opponentsLow || view.hand.length <= 4;

  // Cost of a play: how much of the hand's structure it breaks, and whether it spends a 2 early.
  const cost = (p: Combo): number => {
    let c = 0;
    for (const card of p.cards) {
      const group = rankCount.get(rankOf(card)) ?? 0;
      if (p.cards.length < group && p.cards.length < 5) c += 10; // breaks a pair or triple
      if (p.cards.length < 5 && inFive.has(card)) c += 3; // takes from a five-card hand
      if (rankOf(card) === "2" && !late) c += 20;
    }
    return c;
  };

  // Going out or nearly out: play the biggest legal combination.
  const all = plays.find((p) => p.cards.length === view.hand.length);
  if (all) return { type: "play", cards: all.cards };

  if (view.top === null) {
    // Lead: the lowest card, in the largest combination containing it that costs nothing.
    const lowest = view.mustContain ?? view.hand[0];
    const withLowest = plays.filter((p) => p.cards.includes(lowest));
    const pool = withLowest.length > 0 ? withLowest : plays;
    const best = [...pool].sort((a, b) => cost(a) - cost(b) || b.cards.length - a.cards.length)[0];
    return { type: "play", cards: best.cards };
  }

  // Follow: plays come ordered low to high; take the first one that is cheap enough.
  let best: Combo | null = null;
  let bestCost = Infinity;
  for (const p of plays) {
    const c = cost(p);
    if (c < bestCost) {
      best = p;
      bestCost = c;
    }
  }
  if (best && (bestCost < 10 || !canPass || late)) return { type: "play", cards: best.cards };
  return { type: "pass" };
}
