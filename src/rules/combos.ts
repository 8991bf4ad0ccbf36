// Classification and comparison. Every combination gets one integer "value": two combinations
// of the same size compare exactly as their values do (RULES.md "Combinations").
//   single: the card index          pair: the higher card's index          triple: the rank
//   five:   category * FIVE_CATEGORY + the value within the category (below)
import type { Card, Combo, ComboKind, Variant } from "./types.ts";
import { compiled, indicesOf, sortNumbers, type Compiled } from "./tables.ts";

export const FIVE_CATEGORY = 1 << 22;
export const STRAIGHT = 0;
export const FLUSH = 1;
export const FULL_HOUSE = 2;
export const FOUR_OF_A_KIND = 3;
export const STRAIGHT_FLUSH = 4;

const FIVE_KINDS: readonly ComboKind[] = ["straight", "flush", "fullHouse", "fourOfAKind", "straightFlush"];
const SMALL_KINDS: readonly (ComboKind | undefined)[] = [undefined, "single", "pair", "triple"];

/** 13^5: the flush rank keys below stay under this. */
const RANK_KEYS = 371293;

/** A straight or straight flush: sequence order, then the suit of the highest single card. */
export function sequenceValue(order: number, highestIndex: number): number {
  return order * 4 + (highestIndex & 3);
}

/**
 * A flush of five ascending indices of one suit: ranks from the highest down, then the suit
 * (flushOrder "rank"), or the suit first (flushOrder "suit").
 */
export function flushValue(a: number, b: number, c: number, d: number, e: number, bySuit: boolean): number {
  const key = ((((e >> 2) * 13 + (d >> 2)) * 13 + (c >> 2)) * 13 + (b >> 2)) * 13 + (a >> 2);
  return bySuit ? (e & 3) * RANK_KEYS + key : key * 4 + (e & 3);
}

/** Value of five distinct ascending indices, or -1 if they are not a five-card combination. */
function fiveValue(x: readonly number[], c: Compiled): number {
  const a = x[0], b = x[1], cc = x[2], d = x[3], e = x[4];
  const ra = a >> 2, rb = b >> 2, rc = cc >> 2, rd = d >> 2, re = e >> 2;
  if (ra !== rb && rb !== rc && rc !== rd && rd !== re) {
    const order = c.seqOrderOfMask[(1 << ra) | (1 << rb) | (1 << rc) | (1 << rd) | (1 << re)];
    const suit = a & 3;
    const flush = (b & 3) === suit && (cc & 3) === suit && (d & 3) === suit && (e & 3) === suit;
    if (order >= 0) return (flush ? STRAIGHT_FLUSH : STRAIGHT) * FIVE_CATEGORY + sequenceValue(order, e);
    return flush ? FLUSH * FIVE_CATEGORY + flushValue(a, b, cc, d, e, c.flushBySuit) : -1;
  }
  // Sorted ranks: the middle card always belongs to the four or to the triple.
  if ((ra === rd || rb === re) && ra !== re) return FOUR_OF_A_KIND * FIVE_CATEGORY + rc;
  if ((ra === rc && rd === re && rc !== rd) || (ra === rb && rc === re && rb !== rc)) {
    return FULL_HOUSE * FIVE_CATEGORY + rc;
  }
  return -1;
}

/** Value of distinct ascending indices, or -1 if they are not a combination. */
export function valueOfSorted(x: readonly number[], c: Compiled): number {
  for (let i = 1; i < x.length; i++) if (x[i] === x[i - 1]) return -1;
  switch (x.length) {
    case 1:
      return x[0];
    case 2:
      return x[0] >> 2 === x[1] >> 2 ? x[1] : -1;
    case 3:
      return x[0] >> 2 === x[2] >> 2 ? x[0] >> 2 : -1;
    case 5:
      return fiveValue(x, c);
    default:
      return -1;
  }
}

export function kindOf(size: number, value: number): ComboKind {
  return size === 5 ? FIVE_KINDS[Math.floor(value / FIVE_CATEGORY)] : (SMALL_KINDS[size] as ComboKind);
}

export function comboOf(sorted: readonly number[], value: number, c: Compiled): Combo {
  const cards = new Array<Card>(sorted.length);
  for (let i = 0; i < sorted.length; i++) cards[i] = c.suit.text[sorted[i]];
  return { kind: kindOf(sorted.length, value), cards };
}

/** The value of a combination's cards; throws a TypeError if they are not a combination of its kind. */
export function valueOfCombo(combo: Combo, c: Compiled, role: string): number {
  const v = valueOfSorted(sortNumbers(indicesOf(combo.cards, c.suit)), c);
  if (v < 0 || kindOf(combo.cards.length, v) !== combo.kind) {
    throw new TypeError(`Expected \`${role}\` to be a combination, got ${combo.kind} ${combo.cards.join(" ")}`);
  }
  return v;
}

/**
 * The combination these cards make under the variant, or null if they make none (or repeat a
 * card). `cards` of the result are sorted ascending by single-card order. Throws a RangeError
 * for a string that is not a card.
 */
export function classify(cards: readonly Card[], variant?: Partial<Variant>): Combo | null {
  const c = compiled(variant);
  const sorted = sortNumbers(indicesOf(cards, c.suit));
  const v = valueOfSorted(sorted, c);
  return v < 0 ? null : comboOf(sorted, v, c);
}

/**
 * True if `play` may be played on `table`: same number of cards and strictly higher. Throws a
 * TypeError if either's cards are not a combination of its `kind` under the variant.
 */
export function beats(play: Combo, table: Combo, variant?: Partial<Variant>): boolean {
  const c = compiled(variant);
  const pv = valueOfCombo(play, c, "play");
  const tv = valueOfCombo(table, c, "table");
  return play.cards.length === table.cards.length && pv > tv;
}
