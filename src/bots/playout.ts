// The fast policy the search bot plays its simulated deals out with. Greedy in spirit (cheapest
// play that keeps pairs and triples whole, 2s held until late, the lowest card led in the
// largest simple combination that holds it), written on the simulator's suit masks so that a
// whole deal plays out in microseconds. Each seat decides from its own hand and the public
// counts only.
import { FIVE_CATEGORY, FLUSH, FOUR_OF_A_KIND, FULL_HOUSE, STRAIGHT_FLUSH } from "../rules/combos.ts";
import { RANK_TWO, type Compiled } from "../rules/tables.ts";
import { HIGH, LOW, POP, valueOf, type Move, type SimDeal } from "./sim.ts";

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
  const late = n <= 4 || oppMin <= 3;
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
