// The fast policy the search bot plays its simulated deals out with. Greedy in spirit (cheapest
// play that keeps pairs and triples whole, 2s held until late, the lowest card led in the
// largest simple combination that holds it), written on the simulator's suit masks so that a
// whole deal plays out in microseconds. Each seat decides from its own hand and the public
// counts only.
import { FIVE_CATEGORY, FLUSH, FOUR_OF_A_KIND, FULL_HOUSE, STRAIGHT_FLUSH } from "../rules/combos.ts";
import { RANK_TWO, type Compiled } from "../rules/tables.ts";
import { HIGH, LOW, POP, valueOf, type Move, type SimDeal } from "./sim.ts";

/** Tuning of the playout policy. */
export const PLAYOUT = {
  /** Break pairs and spend 2s once an opponent holds this few cards (or we hold 4 or fewer). */
  lateOpp: 5,
  /** Beat anything beatable when the player on top holds this few cards. */
  contestTop: 7,
  /** Lead a five-card hand that breaks at most this many pairs/triples (-1: never lead fives first). */
  leadFiveBreaks: 1,
};

function cardsOfRank(mask: number, r: number, n: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < 4 && out.length < n; p++) if (mask & (1 << p)) out.push(r * 4 + p);
  return out;
}

function single(card: number): Move {
  return { size: 1, value: card, cards: [card] };
}

/** The lowest pair of rank `r` (suit masks `m`) that beats `tv`, or null. */
function pairAbove(m: number, r: number, tv: number): Move | null {
  const cards = cardsOfRank(m, r, 4);
  for (let j = 1; j < cards.length; j++) if (cards[j] > tv) return { size: 2, value: cards[j], cards: [cards[0], cards[j]] };
  return null;
}

/**
 * The lowest five-card combination in hand `h` (13 suit masks from offset `o`) beating `tv`
 * (-1: any), searched category by category. Not every five is tried, only the natural ones:
 * enough for a playout policy, and every move it returns is legal.
 */
export function lowestFiveAbove(h: Uint8Array, o: number, tv: number, c: Compiled): Move | null {
  const cat = tv < 0 ? 0 : Math.floor(tv / FIVE_CATEGORY);
  const found = (cards: number[]): Move | null => {
    cards.sort((a, b) => a - b);
    const value = valueOf(cards, c);
    return value > tv ? { size: 5, value, cards } : null;
  };
  if (cat === 0) {
    for (const seq of c.sequences) {
      let ok = true;
      for (const r of seq.ranks) if (h[o + r] === 0) ok = false;
      if (!ok) continue;
      const top = seq.ranks[4];
      const rest = seq.ranks.slice(0, 4).map((r) => r * 4 + LOW[h[o + r]]);
      for (let p = 0; p < 4; p++) {
        if (!(h[o + top] & (1 << p))) continue;
        const m = found([...rest, top * 4 + p]);
        if (m) return m;
      }
    }
  }
  if (cat <= FLUSH) {
    let best: Move | null = null;
    for (let p = 0; p < 4; p++) {
      const s: number[] = [];
      for (let r = 0; r < 13; r++) if (h[o + r] & (1 << p)) s.push(r * 4 + p);
      if (s.length < 5) continue;
      const m = found(s.slice(0, 5)) ?? found(s.slice(-5));
      if (m && (best === null || m.value < best.value)) best = m;
    }
    if (best) return best;
  }
  if (cat <= FULL_HOUSE) {
    for (let t = 0; t < 13; t++) {
      if (POP[h[o + t]] < 3 || FULL_HOUSE * FIVE_CATEGORY + t <= tv) continue;
      for (let q = 0; q < 13; q++) {
        if (q === t || POP[h[o + q]] < 2) continue;
        const m = found([...cardsOfRank(h[o + t], t, 3), ...cardsOfRank(h[o + q], q, 2)]);
        if (m) return m;
      }
    }
  }
  if (cat <= FOUR_OF_A_KIND) {
    for (let f = 0; f < 13; f++) {
      if (h[o + f] !== 15 || FOUR_OF_A_KIND * FIVE_CATEGORY + f <= tv) continue;
      for (let r = 0; r < 13; r++) {
        if (r === f || h[o + r] === 0) continue;
        const m = found([f * 4, f * 4 + 1, f * 4 + 2, f * 4 + 3, r * 4 + LOW[h[o + r]]]);
        if (m) return m;
      }
    }
  }
  if (cat <= STRAIGHT_FLUSH) {
    for (const seq of c.sequences) {
      let common = 15;
      for (const r of seq.ranks) common &= h[o + r];
      for (let p = 0; p < 4; p++) {
        if (!(common & (1 << p))) continue;
        const m = found(seq.ranks.map((r) => r * 4 + p));
        if (m) return m;
      }
    }
  }
  return null;
}

/** How many of a five's cards come out of a pair or triple that the five does not take whole. */
function breaks(h: Uint8Array, o: number, m: Move): number {
  let n = 0;
  for (const x of m.cards) {
    const k = POP[h[o + (x >> 2)]];
    if (k >= 2 && k <= 3 && m.cards.filter((y) => y >> 2 === x >> 2).length < k) n++;
  }
  return n;
}

/** The whole hand, if it is one combination. */
function wholeHand(h: Uint8Array, o: number, n: number, c: Compiled): Move | null {
  if (n > 5 || n === 4) return null;
  const cards: number[] = [];
  for (let r = 0; r < 13; r++) for (let p = 0; p < 4; p++) if (h[o + r] & (1 << p)) cards.push(r * 4 + p);
  const value = valueOf(cards, c);
  return value >= 0 ? { size: n, value, cards } : null;
}

function leadMove(d: SimDeal, o: number, oppMin: number): Move {
  const h = d.hands;
  const c = d.c;
  const n = d.counts[d.turn];
  if (d.must >= 0) {
    const r = d.must >> 2;
    const m = h[o + r];
    const k = Math.min(POP[m], 3);
    if (k === 1) return single(d.must);
    const cards = [d.must, ...cardsOfRank(m & ~(1 << (d.must & 3)), r, k - 1)].sort((a, b) => a - b);
    return { size: k, value: k === 2 ? cards[1] : r, cards };
  }
  const all = wholeHand(h, o, n, c);
  if (all) return all;
  let low = 0;
  while (h[o + low] === 0) low++;
  const lm = h[o + low];
  const cnt = POP[lm];
  if (oppMin === 1) {
    // Someone is one card from going out: lead anything but a small single.
    for (let r = 0; r < 13; r++) {
      const k = POP[h[o + r]];
      if (k >= 2) return k >= 3 ? { size: 3, value: r, cards: cardsOfRank(h[o + r], r, 3) } : { size: 2, value: r * 4 + HIGH[h[o + r]], cards: cardsOfRank(h[o + r], r, 2) };
    }
    let top = 12;
    while (h[o + top] === 0) top--;
    return single(top * 4 + HIGH[h[o + top]]);
  }
  if (PLAYOUT.leadFiveBreaks >= 0 && n >= 5) {
    const five = lowestFiveAbove(h, o, -1, c);
    if (five && breaks(h, o, five) <= PLAYOUT.leadFiveBreaks) return five;
  }
  if (cnt >= 3) return { size: 3, value: low, cards: cardsOfRank(lm, low, 3) };
  if (cnt === 2) return { size: 2, value: low * 4 + HIGH[lm], cards: cardsOfRank(lm, low, 2) };
  if (n >= 5) {
    // A straight that carries the lowest card away.
    for (const seq of c.sequences) {
      if (!(seq.mask & (1 << low))) continue;
      let ok = true;
      for (const r of seq.ranks) if (h[o + r] === 0 || (r !== low && POP[h[o + r]] >= 3)) ok = false;
      if (!ok) continue;
      const cards = seq.ranks.map((r) => r * 4 + LOW[h[o + r]]).sort((a, b) => a - b);
      const value = valueOf(cards, c);
      if (value >= 0) return { size: 5, value, cards };
    }
  }
  return single(low * 4 + LOW[lm]);
}

/** The playout policy's action for the seat to act: a move, or null to pass. */
export function playoutMove(d: SimDeal): Move | null {
  const s = d.turn;
  const o = s * 13;
  const h = d.hands;
  let oppMin = 99;
  for (let t = 0; t < d.n; t++) if (t !== s && d.counts[t] < oppMin) oppMin = d.counts[t];
  if (d.topSeat < 0) return leadMove(d, o, oppMin);
  const n = d.counts[s];
  const tv = d.topValue;
  const late = n <= 4 || oppMin <= PLAYOUT.lateOpp || d.counts[d.topSeat] <= PLAYOUT.contestTop;
  const all = n === d.topSize ? wholeHand(h, o, n, d.c) : null;
  if (all && all.value > tv) return all;
  switch (d.topSize) {
    case 1: {
      if (oppMin === 1) {
        let top = 12;
        while (h[o + top] === 0) top--;
        const card = top * 4 + HIGH[h[o + top]];
        return card > tv ? single(card) : null;
      }
      for (let r = tv >> 2; r < 13; r++) {
        const m = h[o + r];
        if (m === 0 || (POP[m] !== 1 && !late) || (r === RANK_TWO && !late)) continue;
        for (let p = 0; p < 4; p++) if (m & (1 << p) && r * 4 + p > tv) return single(r * 4 + p);
      }
      return null;
    }
    case 2:
      for (let r = tv >> 2; r < 13; r++) {
        const k = POP[h[o + r]];
        if (k < 2 || (k > 2 && !late) || (r === RANK_TWO && !late)) continue;
        const m = pairAbove(h[o + r], r, tv);
        if (m) return m;
      }
      return null;
    case 3:
      for (let r = tv + 1; r < 13; r++) {
        if (POP[h[o + r]] >= 3 && (r !== RANK_TWO || late)) return { size: 3, value: r, cards: cardsOfRank(h[o + r], r, 3) };
      }
      return null;
    default:
      return n >= 5 ? lowestFiveAbove(h, o, tv, d.c) : null;
  }
}

/** Play the deal to its end with the playout policy. */
export function playout(d: SimDeal): void {
  while (d.winner < 0) d.act(playoutMove(d));
}

// ---------------------------------------------------------------- the planned playout policy

/** Tuning of the planned policy. */
export const PLANNED = {
  /** Contest (break the plan, spend controls) when the player on top holds this few cards. */
  contestTop: 9,
  /** Spend a control on a trick when some opponent holds this few cards. */
  spendAt: 4,
};

function isBeatenBy(size: number, value: number, u: Uint8Array): boolean {
  // Can the unseen cards `u` (13 masks) make a play of this size above `value`?
  switch (size) {
    case 1:
      for (let r = 12; r >= value >> 2; r--) if (u[r] && r * 4 + HIGH[u[r]] > value) return true;
      return false;
    case 2:
      for (let r = 12; r >= value >> 2; r--) if (POP[u[r]] >= 2 && r * 4 + HIGH[u[r]] > value) return true;
      return false;
    case 3:
      for (let r = 12; r > value; r--) if (POP[u[r]] >= 3) return true;
      return false;
    default:
      // Five-card hands: only fours and straight flushes count as sure winners.
      return value < FOUR_OF_A_KIND * FIVE_CATEGORY;
  }
}

/** Nobody can beat `m`: no opponent holds enough cards, or the unseen cards cannot make a higher one. */
function sure(m: Move, oppMax: number, u: Uint8Array): boolean {
  return oppMax < m.size || !isBeatenBy(m.size, m.value, u);
}

function splitRest(cards: number[], out: Move[]): void {
  let i = 0;
  while (i < cards.length) {
    let j = i + 1;
    while (j < cards.length && cards[j] >> 2 === cards[i] >> 2) j++;
    const g = cards.slice(i, j);
    if (g.length === 1) out.push(single(g[0]));
    else if (g.length === 2) out.push({ size: 2, value: g[1], cards: g });
    else if (g.length === 3) out.push({ size: 3, value: g[0] >> 2, cards: g });
    else out.push({ size: 2, value: g[1], cards: g.slice(0, 2) }, { size: 2, value: g[3], cards: g.slice(2) });
    i = j;
  }
}

function sameCards(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Take `m`'s cards out of a plan: the combination itself, or the pieces of those it breaks. */
export function removeFromPlan(plan: Move[], m: Move): void {
  for (let i = 0; i < plan.length; i++) {
    const x = plan[i];
    if (x === m || (x.size === m.size && sameCards(x.cards, m.cards))) {
      plan.splice(i, 1);
      return;
    }
  }
  const rest: number[] = [];
  for (let k = plan.length - 1; k >= 0; k--) {
    const x = plan[k];
    if (!x.cards.some((c) => m.cards.includes(c))) continue;
    for (const c of x.cards) if (!m.cards.includes(c)) rest.push(c);
    plan.splice(k, 1);
  }
  rest.sort((a, b) => a - b);
  splitRest(rest, plan);
}

/**
 * The planned policy: each seat follows a plan of its hand (plan.ts, made once per playout):
 * it leads its weakest combination, or its controls and then its last combination when that
 * finishes; it follows with the lowest plan combination that beats the table; it breaks its
 * plan or spends a control only to stop an opponent close to going out.
 */
export function plannedMove(d: SimDeal, plan: Move[], u: Uint8Array): Move | null {
  const s = d.turn;
  let oppMin = 99, oppMax = 0;
  for (let t = 0; t < d.n; t++) {
    if (t === s) continue;
    if (d.counts[t] < oppMin) oppMin = d.counts[t];
    if (d.counts[t] > oppMax) oppMax = d.counts[t];
  }
  if (d.topSeat < 0) {
    if (d.must >= 0) {
      for (const m of plan) if (m.cards.includes(d.must)) return m;
      return leadMove(d, s * 13, oppMin);
    }
    if (plan.length === 1) return plan[0];
    let losers = 0;
    for (const m of plan) if (!sure(m, oppMax, u)) losers++;
    if (losers <= 1) {
      let best = plan[0];
      for (const m of plan) if (sure(m, oppMax, u) && (!sure(best, oppMax, u) || m.size > best.size)) best = m;
      return best;
    }
    let best = plan[0];
    let bestScore = Infinity;
    for (const m of plan) {
      const strength = m.size === 3 ? m.value / 13 : m.size === 5 ? 0.5 : m.value / 52;
      let score = strength - (m.size === 5 ? 0.3 : m.size === 3 ? 0.2 : m.size === 2 ? 0.12 : 0);
      if (sure(m, oppMax, u)) score += 2;
      if (m.size <= oppMin && oppMin <= 2) score += 3 - strength;
      if (score < bestScore) {
        bestScore = score;
        best = m;
      }
    }
    return best;
  }
  const size = d.topSize;
  const tv = d.topValue;
  const contest = d.counts[d.topSeat] <= PLANNED.contestTop || oppMin <= 2;
  if (oppMin === 1 && size === 1) {
    // Stop the last card: the highest single, from the plan or not.
    const o = s * 13;
    let top = 12;
    while (d.hands[o + top] === 0) top--;
    const card = top * 4 + HIGH[d.hands[o + top]];
    return card > tv ? single(card) : null;
  }
  let pick: Move | null = null;
  for (const m of plan) if (m.size === size && m.value > tv && (pick === null || m.value < pick.value)) pick = m;
  if (pick !== null) {
    if (!sure(pick, oppMax, u) || contest || oppMin <= PLANNED.spendAt || plan.length <= 2) return pick;
    return null;
  }
  if (!contest) return null;
  return playoutMove(d);
}

/** The 13 unseen-card masks from seat `s`'s side: not in its hand, not played. */
export function unseenOf(d: SimDeal, s: number, out: Uint8Array): Uint8Array {
  for (let r = 0; r < 13; r++) out[r] = 15 & ~d.hands[s * 13 + r] & ~d.played[r];
  return out;
}

/** Play the deal out with the planned policy; `plans[s]` is seat s's plan and is used up. */
export function plannedPlayout(d: SimDeal, plans: Move[][]): void {
  const u = new Uint8Array(13);
  while (d.winner < 0) {
    const s = d.turn;
    const m = plannedMove(d, plans[s], unseenOf(d, s, u));
    if (m !== null) removeFromPlan(plans[s], m);
    d.act(m);
  }
}
