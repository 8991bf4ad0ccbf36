import type { Card, Variant } from "./types.ts";
import { compiled, indexOf, RANK_CHARS, suitTables } from "./tables.ts";

const SUIT_ALIASES: Record<string, string> = {
  D: "D", C: "C", H: "H", S: "S",
  "♦": "D", "♣": "C", "♥": "H", "♠": "S",
  "♢": "D", "♧": "C", "♡": "H", "♤": "S",
};

const CANONICAL = suitTables("DCHS");

/**
 * One card from text: rank then suit, `10` for `T`, any case, suit letters or symbols.
 * Throws a RangeError naming the token if it is not a card.
 */
export function parseCard(text: string): Card {
  const token = String(text).trim();
  // Emoji presentation selectors ("♠️") carry no meaning here.
  const upper = token.replace(/\uFE0F/g, "").toUpperCase();
  const suitChar = upper.slice(-1);
  const suit = SUIT_ALIASES[suitChar];
  let rank = upper.slice(0, -1);
  if (rank === "10") rank = "T";
  const card = `${rank}${suit ?? "?"}`;
  if (suit === undefined || indexOf(card, CANONICAL) < 0) {
    throw new RangeError(`Not a card: ${JSON.stringify(token)} (expected rank 3-9, T/10, J, Q, K, A, 2 then suit D, C, H, S)`);
  }
  return card as Card;
}

/** Cards separated by spaces and/or commas: `"3D 3C"`, `"10♠, j♥"`. Empty text gives []. */
export function parseCards(text: string): Card[] {
  return String(text)
    .split(/[\s,]+/)
    .filter((t) => t.length > 0)
    .map(parseCard);
}

/** The canonical text of a list of cards, in the given order: `"3D 3C"`. */
export function formatCards(cards: readonly Card[]): string {
  return cards.join(" ");
}

/** The 52 cards, ascending by the default single-card order (3D, 3C, 3H, 3S, 4D, ..., 2S). */
export function fullDeck(): Card[] {
  return CANONICAL.text.slice();
}

function indexOrThrow(card: Card, t = CANONICAL): number {
  const i = indexOf(card, t);
  if (i < 0) throw new RangeError(`Not a card: ${JSON.stringify(card)}`);
  return i;
}

/** Single-card order: negative if a < b, 0 if the same card, positive if a > b. */
export function compareCards(a: Card, b: Card, variant?: Partial<Variant>): number {
  const t = compiled(variant).suit;
  return indexOrThrow(a, t) - indexOrThrow(b, t);
}

/**
 * A sorted copy. `by: "rank"` (default) is the single-card order; `by: "suit"` groups by suit
 * (in the variant's suit order), each suit ascending by rank.
 */
export function sortCards(cards: readonly Card[], variant?: Partial<Variant>, by: "rank" | "suit" = "rank"): Card[] {
  const t = compiled(variant).suit;
  const keyed = cards.map((c) => {
    const i = indexOrThrow(c, t);
    return by === "suit" ? (i & 3) * 16 + (i >> 2) : i;
  });
  const order = keyed.map((_, i) => i).sort((x, y) => keyed[x] - keyed[y]);
  return order.map((i) => cards[i]);
}

const RANK_NAMES = ["three", "four", "five", "six", "seven", "eight", "nine", "ten", "jack", "queen", "king", "ace", "two"];
const SUIT_NAMES: Record<string, string> = { D: "diamonds", C: "clubs", H: "hearts", S: "spades" };

/** The spoken name of a card, for accessible labels: `"seven of hearts"`. */
export function cardName(card: Card): string {
  const i = indexOrThrow(card);
  return `${RANK_NAMES[i >> 2]} of ${SUIT_NAMES[card[1]]}`;
}

export const SUIT_SYMBOLS: Record<string, string> = { D: "♦", C: "♣", H: "♥", S: "♠" };

/** Short display of a rank: `10` for the ten, the letter or digit otherwise. */
export function rankLabel(rank: number): string {
  return rank === 7 ? "10" : RANK_CHARS[rank];
}
