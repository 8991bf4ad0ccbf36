// Enumerates the legal combinations of a hand by grouping it by rank and by suit: singles,
// pairs and triples from each rank group, straights from the sequences of the straight set,
// flushes from each suit group, full houses and fours from the rank groups. Never by trying
// every subset: a 13-card hand has 1,287 five-card subsets but usually a few dozen plays.
import type { Card, Combo, Variant } from "./types.ts";
import {
  comboOf,
  FIVE_CATEGORY,
  FLUSH,
  flushValue,
  FOUR_OF_A_KIND,
  FULL_HOUSE,
  sequenceValue,
  STRAIGHT,
  STRAIGHT_FLUSH,
  valueOfCombo,
} from "./combos.ts";
import { compiled, indexOf, type Compiled } from "./tables.ts";

interface Found {
  v: number;
  x: number[];
}

/** Colex order: compare from the highest card down. Ties of equal strength sort by this. */
function colex(a: readonly number[], b: readonly number[]): number {
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** True if `must` is negative (no constraint) or one of `x`. */
function contains(x: readonly number[], must: number): boolean {
  return must < 0 || x.includes(must);
}

function byValueThenCards(a: Found, b: Found): number {
  return a.v - b.v || colex(a.x, b.x);
}

function merge(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] < b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

function pairsOf(g: readonly number[]): number[][] {
  const out: number[][] = [];
  // Outer loop on the higher card: the pairs come out in ascending strength.
  for (let j = 1; j < g.length; j++) for (let i = 0; i < j; i++) out.push([g[i], g[j]]);
  return out;
}

function triplesOf(g: readonly number[]): number[][] {
  if (g.length === 3) return [g.slice()];
  const out: number[][] = [];
  for (let i = 0; i < g.length; i++)
    for (let j = i + 1; j < g.length; j++) for (let k = j + 1; k < g.length; k++) out.push([g[i], g[j], g[k]]);
  return out;
}

function fives(byRank: number[][], bySuit: number[][], hand: readonly number[], tableValue: number, c: Compiled, out: Found[]): void {
  const minCategory = tableValue < 0 ? 0 : Math.floor(tableValue / FIVE_CATEGORY);

  // Straights and straight flushes, one sequence at a time.
  for (const seq of c.sequences) {
    const [r0, r1, r2, r3, r4] = seq.ranks;
    const g0 = byRank[r0], g1 = byRank[r1], g2 = byRank[r2], g3 = byRank[r3], g4 = byRank[r4];
    if (g0.length === 0 || g1.length === 0 || g2.length === 0 || g3.length === 0 || g4.length === 0) continue;
    if (minCategory > STRAIGHT) {
      // Only straight flushes can beat the table: one per suit at most.
      for (const e of g4) {
        const p = e & 3;
        const a = r0 * 4 + p, b = r1 * 4 + p, cc = r2 * 4 + p, d = r3 * 4 + p;
        if (g0.includes(a) && g1.includes(b) && g2.includes(cc) && g3.includes(d)) {
          const v = STRAIGHT_FLUSH * FIVE_CATEGORY + sequenceValue(seq.order, e);
          if (v > tableValue) out.push({ v, x: [a, b, cc, d, e] });
        }
      }
      continue;
    }
    for (const a of g0)
      for (const b of g1)
        for (const cc of g2)
          for (const d of g3)
            for (const e of g4) {
              const p = a & 3;
              const flush = (b & 3) === p && (cc & 3) === p && (d & 3) === p && (e & 3) === p;
              const v = (flush ? STRAIGHT_FLUSH : STRAIGHT) * FIVE_CATEGORY + sequenceValue(seq.order, e);
              if (v > tableValue) out.push({ v, x: [a, b, cc, d, e] });
            }
  }

  if (minCategory <= FLUSH) {
    for (const s of bySuit) {
      const n = s.length;
      if (n < 5) continue;
      for (let i = 0; i < n - 4; i++)
        for (let j = i + 1; j < n - 3; j++)
          for (let k = j + 1; k < n - 2; k++)
            for (let l = k + 1; l < n - 1; l++)
              for (let m = l + 1; m < n; m++) {
                const a = s[i], b = s[j], cc = s[k], d = s[l], e = s[m];
                const mask = (1 << (a >> 2)) | (1 << (b >> 2)) | (1 << (cc >> 2)) | (1 << (d >> 2)) | (1 << (e >> 2));
                if (c.seqOrderOfMask[mask] >= 0) continue; // a straight flush, found above
                const v = FLUSH * FIVE_CATEGORY + flushValue(a, b, cc, d, e, c.flushBySuit);
                if (v > tableValue) out.push({ v, x: [a, b, cc, d, e] });
              }
    }
  }

  if (minCategory <= FULL_HOUSE) {
    for (let t = 0; t < 13; t++) {
      if (byRank[t].length < 3) continue;
      const v = FULL_HOUSE * FIVE_CATEGORY + t;
      if (v <= tableValue) continue;
      const triples = triplesOf(byRank[t]);
      for (let p = 0; p < 13; p++) {
        if (p === t || byRank[p].length < 2) continue;
        const pairs = pairsOf(byRank[p]);
        for (const tr of triples) for (const pr of pairs) out.push({ v, x: merge(tr, pr) });
      }
    }
  }

  if (minCategory <= FOUR_OF_A_KIND) {
    for (let f = 0; f < 13; f++) {
      if (byRank[f].length < 4) continue;
      const v = FOUR_OF_A_KIND * FIVE_CATEGORY + f;
      if (v <= tableValue) continue;
      for (const k of hand) if (k >> 2 !== f) out.push({ v, x: merge(byRank[f], [k]) });
    }
  }
}

/**
 * The legal plays of ascending distinct card indices against a table (size 0 = leading).
 * With `must` >= 0 only plays containing that card. Order: size, then value, then colex.
 */
export function enumeratePlays(hand: readonly number[], tableSize: number, tableValue: number, c: Compiled, must: number): Combo[] {
  const out: Combo[] = [];
  const lead = tableSize === 0;
  const tv = lead ? -1 : tableValue;

  const byRank: number[][] = [[], [], [], [], [], [], [], [], [], [], [], [], []];
  for (const x of hand) byRank[x >> 2].push(x);

  if (lead || tableSize === 1) {
    for (const x of hand) if (x > tv && (must < 0 || x === must)) out.push(comboOf([x], x, c));
  }
  if (lead || tableSize === 2) {
    for (const g of byRank) {
      if (g.length < 2 || g[g.length - 1] <= tv) continue;
      for (const pr of pairsOf(g)) if (pr[1] > tv && contains(pr, must)) out.push(comboOf(pr, pr[1], c));
    }
  }
  if (lead || tableSize === 3) {
    for (let r = 0; r < 13; r++) {
      if (byRank[r].length < 3 || r <= tv) continue;
      for (const tr of triplesOf(byRank[r])) if (contains(tr, must)) out.push(comboOf(tr, r, c));
    }
  }
  if ((lead || tableSize === 5) && hand.length >= 5) {
    const bySuit: number[][] = [[], [], [], []];
    for (const x of hand) bySuit[x & 3].push(x);
    const found: Found[] = [];
    fives(byRank, bySuit, hand, tv, c, found);
    found.sort(byValueThenCards);
    for (const f of found) if (contains(f.x, must)) out.push(comboOf(f.x, f.v, c));
  }
  return out;
}

/** Ascending distinct indices of a hand; throws a RangeError for a string that is not a card. */
export function handIndices(hand: readonly Card[], c: Compiled): number[] {
  const seen = new Uint8Array(52);
  for (const card of hand) {
    const i = indexOf(card, c.suit);
    if (i < 0) throw new RangeError(`Not a card: ${JSON.stringify(card)}`);
    seen[i] = 1;
  }
  const out: number[] = [];
  for (let i = 0; i < 52; i++) if (seen[i] === 1) out.push(i);
  return out;
}

/**
 * Every distinct legal combination in `hand` that beats `table`, or every legal combination
 * when `table` is null (leading). Ascending: by size (1, 2, 3, 5), then by strength (a later
 * play of the same size beats or ties an earlier one), then equal strengths by their cards
 * compared from the highest card down. Each combo's cards are ascending by single-card order.
 */
export function legalPlays(hand: readonly Card[], table: Combo | null, variant?: Partial<Variant>): Combo[] {
  const c = compiled(variant);
  const idx = handIndices(hand, c);
  if (table === null) return enumeratePlays(idx, 0, -1, c, -1);
  const tv = valueOfCombo(table, c, "table");
  return enumeratePlays(idx, table.cards.length, tv, c, -1);
}
