import type { Card, Combo } from "./types.ts";
import { rankLabel, SUIT_SYMBOLS } from "./cards.ts";
import { indexOf, RANK_TWO, RANK_ACE, suitTables } from "./tables.ts";

const CANONICAL = suitTables("DCHS");

function rankOf(card: Card): number {
  const i = indexOf(card, CANONICAL);
  if (i < 0) throw new RangeError(`Not a card: ${JSON.stringify(card)}`);
  return i >> 2;
}

function show(card: Card): string {
  return `${rankLabel(rankOf(card))}${SUIT_SYMBOLS[card[1]]}`;
}

function plural(rank: number): string {
  return `${rankLabel(rank)}s`;
}

/** The rank held by most cards (the triple of a full house, the four of a four of a kind). */
function mainRank(cards: readonly Card[]): number {
  const counts = new Array<number>(13).fill(0);
  for (const c of cards) counts[rankOf(c)]++;
  let best = 0;
  for (let r = 1; r < 13; r++) if (counts[r] > counts[best]) best = r;
  return best;
}

function sequence(cards: readonly Card[], name: string): string {
  const ranks = cards.map(rankOf);
  const top = cards[ranks.indexOf(Math.max(...ranks))];
  // A2345 and 23456 (poker and taiwan sets): the 2 is the highest single card but not the top
  // of the run, so name the run and the deciding card.
  if (ranks.includes(RANK_TWO) && ranks.includes(0)) {
    const low = ranks.includes(RANK_ACE) ? "A" : "2";
    const high = ranks.includes(3) ? "6" : "5";
    return `${name} ${low}–${high}, ${show(top)} high`;
  }
  return `${name} to ${show(top)}`;
}

/**
 * A short plain-language description: "3♦", "pair of 7s", "triple 9s", "straight to 9♠",
 * "flush, K high", "full house, 8s", "four 5s", "straight flush to J♥".
 */
export function describeCombo(combo: Combo): string {
  const cards = combo.cards;
  switch (combo.kind) {
    case "single":
      return show(cards[0]);
    case "pair":
      return `pair of ${plural(rankOf(cards[0]))}`;
    case "triple":
      return `triple ${plural(rankOf(cards[0]))}`;
    case "straight":
      return sequence(cards, "straight");
    case "flush":
      return `flush, ${rankLabel(Math.max(...cards.map(rankOf)))} high`;
    case "fullHouse":
      return `full house, ${plural(mainRank(cards))}`;
    case "fourOfAKind":
      return `four ${plural(mainRank(cards))}`;
    case "straightFlush":
      return sequence(cards, "straight flush");
    default:
      throw new TypeError(`Unknown combination kind ${JSON.stringify((combo as { kind: unknown }).kind)}`);
  }
}
