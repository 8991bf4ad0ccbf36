// The hand planner: splits a hand into combinations and knows which of them still control their
// kind of trick. A hand is 13 suit masks, one per rank (see sim.ts). What the planner knows about
// the other players is only public: the cards not yet seen (neither in this hand nor played) and
// how many cards each opponent holds.
import { FIVE_CATEGORY, FOUR_OF_A_KIND, FULL_HOUSE } from "../rules/combos.ts";
import type { Compiled } from "../rules/tables.ts";
import { HIGH, LOW, POP, valueOf, type Move } from "./sim.ts";

/** What the public cards tell: the best combination of each size the unseen cards could make. */
export interface Knowledge {
  c: Compiled;
  /** Highest unseen single (card index), pair (value), triple (rank), five (value); -1 if none. */
  maxSingle: number;
  maxPair: number;
  maxTriple: number;
  maxFive: number;
  /** Most cards any opponent holds: a combination larger than that cannot be answered. */
  oppMax: number;
}

/** The knowledge of a seat holding `hand` (13 suit masks) when `played` (13 masks) is public. */
export function knowledge(c: Compiled, hand: Uint8Array, played: Uint8Array, oppMax: number): Knowledge {
  const u = new Uint8Array(13);
  let total = 0;
  for (let r = 0; r < 13; r++) {
    u[r] = 15 & ~hand[r] & ~played[r];
    total += POP[u[r]];
  }
  let maxSingle = -1, maxPair = -1, maxTriple = -1;
  for (let r = 12; r >= 0; r--) {
    const n = POP[u[r]];
    if (n >= 1 && maxSingle < 0) maxSingle = r * 4 + HIGH[u[r]];
    if (n >= 2 && maxPair < 0) maxPair = r * 4 + HIGH[u[r]];
    if (n >= 3 && maxTriple < 0) maxTriple = r;
  }
  return { c, maxSingle, maxPair, maxTriple, maxFive: total >= 5 ? bestFive(u, c) : -1, oppMax };
}

/** The value of the strongest five-card combination in a set of cards (13 masks), or -1. */
export function bestFive(u: Uint8Array, c: Compiled): number {
  let best = -1;
  // Straight flushes and straights, by sequence.
  const five = [0, 0, 0, 0, 0];
  for (const seq of c.sequences) {
    let common = 15;
    let all = true;
    for (const r of seq.ranks) {
      common &= u[r];
      if (u[r] === 0) all = false;
    }
    if (!all) continue;
    for (let i = 0; i < 5; i++) {
      const r = seq.ranks[i];
      five[i] = r * 4 + HIGH[common !== 0 ? common : u[r]];
    }
    const v = valueOf(five.slice().sort(ascending), c);
    if (v > best) best = v;
  }
  if (best >= 4 * FIVE_CATEGORY) return best;
  let total = 0;
  for (let r = 0; r < 13; r++) total += POP[u[r]];
  for (let r = 12; r >= 0; r--) {
    if (u[r] === 15 && total >= 5) return Math.max(best, FOUR_OF_A_KIND * FIVE_CATEGORY + r);
  }
  for (let t = 12; t >= 0; t--) {
    if (POP[u[t]] < 3) continue;
    for (let p = 0; p < 13; p++) if (p !== t && POP[u[p]] >= 2) return Math.max(best, FULL_HOUSE * FIVE_CATEGORY + t);
  }
  for (let p = 0; p < 4; p++) {
    const cards: number[] = [];
    for (let r = 12; r >= 0 && cards.length < 5; r--) if (u[r] & (1 << p)) cards.push(r * 4 + p);
    if (cards.length === 5) best = Math.max(best, valueOf(cards.reverse(), c));
  }
  return best;
}

/** Every five-card combination worth planning with in a hand (see the comment on straights). */
function pushFive(out: Move[], cards: number[], c: Compiled): void {
  cards.sort(ascending);
  const value = valueOf(cards, c);
  if (value >= 0) out.push({ size: 5, value, cards });
}

function ascending(a: number, b: number): number {
  return a - b;
}

export function allFives(h: Uint8Array, c: Compiled): Move[] {
  const out: Move[] = [];
  // Straights: the top card's suit sets the value; the other ranks give their lowest card, so
  // higher cards stay behind as singles. Straight flushes are found per suit.
  for (const seq of c.sequences) {
    let ok = true;
    let common = 15;
    for (const r of seq.ranks) {
      if (h[r] === 0) ok = false;
      common &= h[r];
    }
    if (!ok) continue;
    const [r0, r1, r2, r3, top] = seq.ranks;
    const a = r0 * 4 + LOW[h[r0]], b = r1 * 4 + LOW[h[r1]], cc = r2 * 4 + LOW[h[r2]], d = r3 * 4 + LOW[h[r3]];
    for (let p = 0; p < 4; p++) if (h[top] & (1 << p)) pushFive(out, [a, b, cc, d, top * 4 + p], c);
    // A straight flush not found above (its lower cards are not the lowest of their ranks).
    for (let p = 0; p < 4; p++) {
      if (!(common & (1 << p))) continue;
      if ((a & 3) === p && (b & 3) === p && (cc & 3) === p && (d & 3) === p) continue;
      pushFive(out, [r0 * 4 + p, r1 * 4 + p, r2 * 4 + p, r3 * 4 + p, top * 4 + p], c);
    }
  }
  // Flushes (a straight flush among them is classified as one).
  for (let p = 0; p < 4; p++) {
    let s: number[] = [];
    for (let r = 0; r < 13; r++) if (h[r] & (1 << p)) s.push(r * 4 + p);
    if (s.length < 5) continue;
    if (s.length > 8) s = [...s.slice(0, 7), s[s.length - 1]];
    const n = s.length;
    for (let i = 0; i < n - 4; i++)
      for (let j = i + 1; j < n - 3; j++)
        for (let k = j + 1; k < n - 2; k++)
          for (let l = k + 1; l < n - 1; l++)
            for (let m = l + 1; m < n; m++) {
              const mask = (1 << (s[i] >> 2)) | (1 << (s[j] >> 2)) | (1 << (s[k] >> 2)) | (1 << (s[l] >> 2)) | (1 << (s[m] >> 2));
              if (c.seqOrderOfMask[mask] >= 0) continue;
              pushFive(out, [s[i], s[j], s[k], s[l], s[m]], c);
            }
  }
  // Full houses: the lowest three of the triple's rank and the lowest two of the pair's.
  for (let t = 0; t < 13; t++) {
    if (POP[h[t]] < 3) continue;
    const triple = lowest(h[t], 3).map((p) => t * 4 + p);
    for (let q = 0; q < 13; q++) {
      if (q === t || POP[h[q]] < 2) continue;
      const pair = lowest(h[q], 2);
      pushFive(out, [triple[0], triple[1], triple[2], q * 4 + pair[0], q * 4 + pair[1]], c);
    }
  }
  // Four of a kind with each lone card as the kicker (or the lowest other card).
  for (let f = 0; f < 13; f++) {
    if (h[f] !== 15) continue;
    const four = [0, 1, 2, 3].map((p) => f * 4 + p);
    let any = false;
    for (let r = 0; r < 13; r++) {
      if (r !== f && POP[h[r]] === 1) {
        pushFive(out, [...four, r * 4 + LOW[h[r]]], c);
        any = true;
      }
    }
    if (!any) {
      for (let r = 0; r < 13 && !any; r++) {
        if (r !== f && h[r] !== 0) {
          pushFive(out, [...four, r * 4 + LOW[h[r]]], c);
          any = true;
        }
      }
    }
  }
  return out;
}

function lowest(mask: number, n: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < 4 && out.length < n; p++) if (mask & (1 << p)) out.push(p);
  return out;
}

/** One combination of a plan. */
export interface PlanCombo extends Move {
  /** No unseen cards can beat it (or no opponent holds enough cards to answer it). */
  control: boolean;
  /** 0..1: how high it is within its kind, for choosing what to lead. */
  strength: number;
}

export interface Plan {
  cost: number;
  combos: PlanCombo[];
  losers: number;
  controls: number;
}

/** Weights of the plan cost; exported so the tuning runs can vary them. */
export const PLAN_WEIGHTS = {
  /** Each combination is a turn spent getting rid of it. */
  combo: 10,
  /** Each combination that can be beaten needs the lead (or luck) to be played. */
  loser: 7,
  /** A control regains the lead: worth keeping. */
  control: 8,
  /** A higher loser is easier to play on a trick. */
  strength: 14,
};

export function isControl(size: number, value: number, k: Knowledge): boolean {
  if (k.oppMax < size) return true;
  switch (size) {
    case 1:
      return value > k.maxSingle;
    case 2:
      return value > k.maxPair;
    case 3:
      return value > k.maxTriple;
    default:
      return value > k.maxFive;
  }
}

export function strengthOf(size: number, value: number): number {
  switch (size) {
    case 1:
    case 2:
      return value / 52;
    case 3:
      return value / 13;
    default:
      return Math.min(1, (Math.floor(value / FIVE_CATEGORY) + (value % FIVE_CATEGORY) / FIVE_CATEGORY) / 3);
  }
}

function comboCost(size: number, value: number, k: Knowledge): number {
  const w = PLAN_WEIGHTS;
  if (isControl(size, value, k)) return w.combo - w.control;
  return w.combo + w.loser - w.strength * strengthOf(size, value);
}

/** The cost of the cards outside the chosen fives: rank groups as singles, pairs and triples. */
function restCost(h: Uint8Array, used: Uint8Array, k: Knowledge): number {
  let cost = 0;
  for (let r = 0; r < 13; r++) {
    const m = h[r] & ~used[r];
    if (m === 0) continue;
    const n = POP[m];
    if (n === 1) cost += comboCost(1, r * 4 + LOW[m], k);
    else if (n === 2) cost += comboCost(2, r * 4 + HIGH[m], k);
    else if (n === 3) cost += comboCost(3, r, k);
    else cost += comboCost(2, r * 4 + 1, k) + comboCost(2, r * 4 + 3, k);
  }
  return cost;
}

function restCombos(h: Uint8Array, used: Uint8Array, out: Move[]): void {
  for (let r = 0; r < 13; r++) {
    const m = h[r] & ~used[r];
    if (m === 0) continue;
    const cards = [0, 1, 2, 3].filter((p) => m & (1 << p)).map((p) => r * 4 + p);
    if (cards.length === 1) out.push({ size: 1, value: cards[0], cards });
    else if (cards.length === 2) out.push({ size: 2, value: cards[1], cards });
    else if (cards.length === 3) out.push({ size: 3, value: r, cards });
    else {
      out.push({ size: 2, value: cards[1], cards: cards.slice(0, 2) });
      out.push({ size: 2, value: cards[3], cards: cards.slice(2) });
    }
  }
}

interface FiveSearch {
  fives: Move[];
  fiveCost: number[];
  h: Uint8Array;
  k: Knowledge;
  used: Uint8Array;
  chosen: number[];
  bestCost: number;
  bestSet: number[];
}

/** Try every set of disjoint fives from `start` on; the rest of the hand goes by rank. */
function searchFives(st: FiveSearch, start: number, acc: number, left: number): void {
  const { fives, used } = st;
  for (let i = start; i < fives.length; i++) {
    const m = fives[i].cards;
    let free = true;
    for (let j = 0; j < 5; j++) if (used[m[j] >> 2] & (1 << (m[j] & 3))) free = false;
    if (!free) continue;
    for (let j = 0; j < 5; j++) used[m[j] >> 2] |= 1 << (m[j] & 3);
    st.chosen.push(i);
    const cost = acc + st.fiveCost[i];
    const total = cost + restCost(st.h, used, st.k);
    if (total < st.bestCost) {
      st.bestCost = total;
      st.bestSet = st.chosen.slice();
    }
    if (left - 5 >= 5) searchFives(st, i + 1, cost, left - 5);
    st.chosen.pop();
    for (let j = 0; j < 5; j++) used[m[j] >> 2] &= ~(1 << (m[j] & 3));
  }
}

/** Cap on five-card candidates: a hand of 8+ cards of one suit would otherwise explode. */
const MAX_FIVES = 48;

/**
 * The cheapest split of a hand into combinations: the fewest turns, then the fewest combinations
 * that can be beaten, keeping controls and high cards. `cost` alone when `full` is false.
 */
export function plan(h: Uint8Array, k: Knowledge, full = true): Plan {
  let fives = allFives(h, k.c);
  if (fives.length > MAX_FIVES) {
    // Keep the fives that leave pairs and triples whole.
    const breaks = (m: Move) => m.cards.reduce((acc, x) => acc + (POP[h[x >> 2]] > 1 && POP[h[x >> 2]] < 4 ? 1 : 0), 0);
    fives = fives.map((m) => ({ m, b: breaks(m) })).sort((a, b) => a.b - b.b || a.m.value - b.m.value).slice(0, MAX_FIVES).map((x) => x.m);
  }
  const fiveCost = fives.map((m) => comboCost(5, m.value, k));
  let cards = 0;
  for (let r = 0; r < 13; r++) cards += POP[h[r]];

  const st: FiveSearch = { fives, fiveCost, h, k, used: new Uint8Array(13), chosen: [], bestCost: 0, bestSet: [] };
  st.bestCost = restCost(h, st.used, k);
  if (cards >= 5) searchFives(st, 0, 0, cards);
  const { bestCost, bestSet, used } = st;
  if (!full) return { cost: bestCost, combos: [], losers: 0, controls: 0 };

  const moves: Move[] = bestSet.map((i) => fives[i]);
  used.fill(0);
  for (const m of moves) for (const x of m.cards) used[x >> 2] |= 1 << (x & 3);
  restCombos(h, used, moves);
  const combos = moves.map((m) => ({ ...m, control: isControl(m.size, m.value, k), strength: strengthOf(m.size, m.value) }));
  const controls = combos.filter((m) => m.control).length;
  return { cost: bestCost, combos, losers: combos.length - controls, controls };
}

/** A copy of `h` without `cards`. */
export function without(h: Uint8Array, cards: readonly number[]): Uint8Array {
  const out = h.slice();
  for (const x of cards) out[x >> 2] &= ~(1 << (x & 3));
  return out;
}
