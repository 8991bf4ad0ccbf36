// Determinization: deal the cards a player cannot see among the opponents, consistently with
// what the table has shown. Hard constraints: each opponent gets exactly as many cards as it
// holds, and no card already played or in the player's own hand. Soft evidence: a pass over a
// play the opponent could have beaten cheaply (a lone card, a natural pair or triple, a
// five-card hand) is unlikely, so such a sample gets a smaller importance weight.
import type { PlayerView, Rng } from "../rules/index.ts";
import { lowestFiveAbove } from "./playout.ts";
import { moveOfCombo, POP, SimDeal } from "./sim.ts";

/** Likelihood factor of one pass the sampled hand could have answered cheaply. */
export const SAMPLING = { passEvidence: 0.35 };
/** Only the most recent passes count (older ones say less about a hand that has changed). */
const MAX_PASSES = 24;

interface PassRecord {
  seat: number;
  size: number;
  value: number;
  /** Cards the seat played after passing, as 13 suit masks: they were in its hand then. */
  later: Uint8Array;
}

export interface Sample {
  deal: SimDeal;
  weight: number;
}

function passRecords(view: PlayerView, base: SimDeal): PassRecord[] {
  const c = base.c;
  const n = view.seats;
  const records: PassRecord[] = [];
  let topSeat = -1, size = 0, value = -1, passed = 0;
  for (const e of view.history) {
    if (e.type === "play") {
      const m = moveOfCombo(e.combo, c);
      for (const r of records) if (r.seat === e.seat) for (const x of m.cards) r.later[x >> 2] |= 1 << (x & 3);
      topSeat = e.seat;
      size = m.size;
      value = m.value;
      if (!view.variant.passLocksTrick) passed = 0;
      continue;
    }
    if (e.seat !== view.seat && !e.auto && topSeat >= 0) records.push({ seat: e.seat, size, value, later: new Uint8Array(13) });
    passed |= 1 << e.seat;
    if ((passed | (1 << topSeat)) === (1 << n) - 1) {
      topSeat = -1;
      passed = 0;
    }
  }
  return records.slice(-MAX_PASSES);
}

/** Could a hand (13 masks at offset o of h) have beaten (size, value) without breaking anything? */
export function couldBeatCheaply(h: Uint8Array, o: number, size: number, value: number, base: SimDeal): boolean {
  switch (size) {
    case 1:
      for (let r = value >> 2; r < 12; r++) {
        const m = h[o + r];
        if (POP[m] === 1 && r * 4 + (31 - Math.clz32(m)) > value) return true;
      }
      return false;
    case 2:
      for (let r = value >> 2; r < 12; r++) {
        const m = h[o + r];
        if (POP[m] === 2 && r * 4 + (31 - Math.clz32(m)) > value) return true;
      }
      return false;
    case 3:
      for (let r = value + 1; r < 12; r++) if (POP[h[o + r]] === 3) return true;
      return false;
    default:
      return lowestFiveAbove(h, o, value, base.c) !== null;
  }
}

/**
 * A sampler for one view: each call deals the unseen cards afresh. The returned deal is the
 * view's deal with every hand filled in; the view's own hand is exactly its own.
 */
export function sampler(view: PlayerView): (rng: Rng) => Sample {
  const base = SimDeal.fromView(view);
  const me = view.seat;
  const seen = new Uint8Array(52);
  for (let r = 0; r < 13; r++) {
    const m = base.hands[me * 13 + r] | base.played[r];
    for (let p = 0; p < 4; p++) if (m & (1 << p)) seen[r * 4 + p] = 1;
  }
  const unseen: number[] = [];
  for (let i = 0; i < 52; i++) if (!seen[i]) unseen.push(i);
  const others: number[] = [];
  for (let s = 0; s < view.seats; s++) if (s !== me) others.push(s);
  const need = others.reduce((acc, s) => acc + view.counts[s], 0);
  if (need > unseen.length) throw new Error(`sampler: opponents hold ${need} cards but only ${unseen.length} are unseen`);
  const records = passRecords(view, base);
  const scratch = new Uint8Array(view.seats * 13);
  const pool = unseen.slice();

  return (rng: Rng) => {
    // A partial Fisher-Yates: the first `need` places are a uniform deal of the unseen cards.
    for (let i = 0; i < need; i++) {
      const j = i + rng.int(pool.length - i);
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    const deal = base.clone();
    let k = 0;
    for (const s of others) for (let i = 0; i < view.counts[s]; i++) deal.addCard(s, pool[k++]);
    let weight = 1;
    if (records.length > 0) {
      for (const r of records) {
        const o = r.seat * 13;
        for (let x = 0; x < 13; x++) scratch[o + x] = deal.hands[o + x] | r.later[x];
        if (couldBeatCheaply(scratch, o, r.size, r.value, base)) weight *= SAMPLING.passEvidence;
      }
    }
    return { deal, weight };
  };
}
