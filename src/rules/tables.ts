// The internal integer representation. A card is `rank * 4 + suitPosition` where rank is 0 (the
// 3) .. 12 (the 2) and suitPosition is the suit's place in the table's suit order, so comparing
// two indices IS the single-card order. Everything public takes and returns `Card` strings; the
// conversion happens at the boundary through the lookup tables built here, once per variant.
import type { Card, RankChar, StraightSet, SuitChar, SuitOrder, Variant } from "./types.ts";
import { resolveVariant, variantKey } from "./variant.ts";

export const RANK_CHARS = "3456789TJQKA2";
export const RANK_TWO = 12;
export const RANK_ACE = 11;

const RANK_OF_CODE = new Int8Array(128).fill(-1);
for (let r = 0; r < 13; r++) RANK_OF_CODE[RANK_CHARS.charCodeAt(r)] = r;

/** Per suit order: suit letter -> position, index -> card text. */
export interface SuitTables {
  order: SuitOrder;
  /** char code of a suit letter -> its position in the order, -1 elsewhere. */
  posOfCode: Int8Array;
  /** card index -> canonical card text. */
  text: readonly Card[];
  /** position -> suit letter. */
  suits: readonly SuitChar[];
}

function buildSuitTables(order: SuitOrder): SuitTables {
  const posOfCode = new Int8Array(128).fill(-1);
  const suits = order.split("") as SuitChar[];
  suits.forEach((s, i) => (posOfCode[s.charCodeAt(0)] = i));
  const text: Card[] = [];
  for (let r = 0; r < 13; r++) for (let p = 0; p < 4; p++) text.push(`${RANK_CHARS[r] as RankChar}${suits[p]}`);
  return { order, posOfCode, text, suits };
}

const SUIT_TABLES: Record<SuitOrder, SuitTables> = {
  DCHS: buildSuitTables("DCHS"),
  CDHS: buildSuitTables("CDHS"),
};

export function suitTables(order: SuitOrder): SuitTables {
  return SUIT_TABLES[order];
}

/** Index of a card under a suit order, or -1 if `card` is not a card. */
export function indexOf(card: string, t: SuitTables): number {
  if (typeof card !== "string" || card.length !== 2) return -1;
  const rc = card.charCodeAt(0);
  const sc = card.charCodeAt(1);
  if (rc > 127 || sc > 127) return -1;
  const r = RANK_OF_CODE[rc];
  const p = t.posOfCode[sc];
  return r < 0 || p < 0 ? -1 : r * 4 + p;
}

export interface Sequence {
  /** Bit r set for each rank of the sequence. */
  mask: number;
  /** Ranks ascending by rank value (not by sequence position): the highest single card's rank is last. */
  ranks: readonly number[];
  /** Place in the straight order of the straight set, 0 = lowest. */
  order: number;
}

function rankMask(ranks: readonly number[]): number {
  let m = 0;
  for (const r of ranks) m |= 1 << r;
  return m;
}

function run(start: number): number[] {
  return [0, 1, 2, 3, 4].map((i) => (start + i) % 13);
}

/** The legal sequences of a straight set, lowest first (RULES.md "Straight sets"). */
function sequencesOf(set: StraightSet): Sequence[] {
  // Rank numbers: 3=0 ... T=7, J=8, Q=9, K=10, A=11, 2=12. run(s) starts at rank s.
  const normal = [0, 1, 2, 3, 4, 5, 6, 7].map(run); // 34567 .. TJQKA
  const jqka2 = run(8);
  const a2345 = [11, 12, 0, 1, 2];
  const twoTo6 = [12, 0, 1, 2, 3];
  const lists =
    set === "classic" ? [...normal, jqka2] : set === "poker" ? [a2345, twoTo6, ...normal] : [...normal, twoTo6, a2345];
  return lists.map((ranks, order) => ({ mask: rankMask(ranks), ranks: [...ranks].sort((a, b) => a - b), order }));
}

/** Everything the hot paths need about one variant, computed once. */
export interface Compiled {
  variant: Variant;
  suit: SuitTables;
  sequences: readonly Sequence[];
  /** rank mask (13 bits) -> sequence order, or -1 if the ranks are not a straight. */
  seqOrderOfMask: Int8Array;
  flushBySuit: boolean;
}

const compiledByKey = new Map<string, Compiled>();
const compiledByVariant = new WeakMap<Variant, Compiled>();

function compile(variant: Variant): Compiled {
  const sequences = sequencesOf(variant.straights);
  const seqOrderOfMask = new Int8Array(1 << 13).fill(-1);
  for (const s of sequences) seqOrderOfMask[s.mask] = s.order;
  return {
    variant,
    suit: SUIT_TABLES[variant.suitOrder],
    sequences,
    seqOrderOfMask,
    flushBySuit: variant.flushOrder === "suit",
  };
}

/** The compiled tables for a (partial) variant. Cached by the resolved variant object. */
export function compiled(partial?: Partial<Variant>): Compiled {
  // Fast path: a resolved variant (frozen, so it cannot have changed) seen before.
  if (partial !== undefined && Object.isFrozen(partial)) {
    const hit = compiledByVariant.get(partial as Variant);
    if (hit !== undefined) return hit;
  }
  const variant = resolveVariant(partial);
  let c = compiledByVariant.get(variant);
  if (c === undefined) {
    const key = variantKey(variant);
    c = compiledByKey.get(key);
    if (c === undefined || c.variant !== variant) {
      c = compile(variant);
      compiledByKey.set(key, c);
    }
    compiledByVariant.set(variant, c);
  }
  return c;
}

/** Indices of `cards`, throwing a RangeError for anything that is not a card. */
export function indicesOf(cards: readonly Card[], t: SuitTables): number[] {
  const out = new Array<number>(cards.length);
  for (let i = 0; i < cards.length; i++) {
    const x = indexOf(cards[i], t);
    if (x < 0) throw new RangeError(`Not a card: ${JSON.stringify(cards[i])}`);
    out[i] = x;
  }
  return out;
}

export function sortNumbers(xs: number[]): number[] {
  // Insertion sort: the lists are at most a hand long and usually almost sorted.
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i];
    let j = i - 1;
    while (j >= 0 && xs[j] > x) {
      xs[j + 1] = xs[j];
      j--;
    }
    xs[j + 1] = x;
  }
  return xs;
}
