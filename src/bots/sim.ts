// A fast deal simulator for the bots' own thinking (playouts, hand planning). It mirrors the
// rules engine on the rules' integer card index (rank * 4 + suit position under the variant's
// suit order, so comparing indices is the single-card order) and reuses the rules' combination
// values, so a move's value here is exactly its value there. It is never the authority: the
// server and the tournament apply every real action with src/rules; sim.test.ts holds the two
// together on random deals.
import { FIVE_CATEGORY, valueOfSorted } from "../rules/combos.ts";
import { compiled, indexOf, RANK_TWO, type Compiled } from "../rules/tables.ts";
import type { Card, Combo, PlayerView, Variant } from "../rules/index.ts";

/** A play: `cards` are ascending card indices; `value` compares plays of the same size. */
export interface Move {
  size: number;
  value: number;
  cards: number[];
}

/** Bits set in a 4-bit suit mask. */
export const POP = new Uint8Array(16).map((_, m) => (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) + ((m >> 3) & 1));
/** Lowest / highest set bit of a 4-bit suit mask (-1 for 0). */
export const LOW = new Int8Array(16).map((_, m) => (m === 0 ? -1 : Math.log2(m & -m)));
export const HIGH = new Int8Array(16).map((_, m) => (m === 0 ? -1 : Math.floor(Math.log2(m))));

export const rankOf = (card: number) => card >> 2;
export const suitOf = (card: number) => card & 3;

/** The value of ascending distinct indices as a combination, or -1. */
export function valueOf(cards: readonly number[], c: Compiled): number {
  return valueOfSorted(cards, c);
}

export function fiveCategory(value: number): number {
  return Math.floor(value / FIVE_CATEGORY);
}

/** Card text <-> index under a variant. */
export function toIndex(card: Card, c: Compiled): number {
  return indexOf(card, c.suit);
}
export function toCards(cards: readonly number[], c: Compiled): Card[] {
  return cards.map((i) => c.suit.text[i]);
}
export function moveOfCombo(combo: Combo, c: Compiled): Move {
  const cards = combo.cards.map((card) => indexOf(card, c.suit)).sort((a, b) => a - b);
  return { size: cards.length, value: valueOfSorted(cards, c), cards };
}

/**
 * A deal in integers. `hands` holds one 4-bit suit mask per rank per seat (seat * 13 + rank).
 * Seats whose cards are unknown to the owner of a view are filled in by a determinization
 * (sample.ts) before the simulator plays on.
 */
export class SimDeal {
  readonly n: number;
  readonly c: Compiled;
  readonly variant: Variant;
  hands: Uint8Array;
  counts: Int32Array;
  turn = 0;
  /** Last play of the trick: seat, size and value; topSeat -1 when the seat to act leads. */
  topSeat = -1;
  topSize = 0;
  topValue = -1;
  /** Bit s: seat s passed since the last play. */
  passed = 0;
  /** Bit s: seat s has played a card this deal. */
  playedAny = 0;
  /** The card the next play must contain, or -1. */
  must = -1;
  winner = -1;
  /** Rank masks of every card played so far. */
  played: Uint8Array;

  constructor(n: number, variant: Variant) {
    this.n = n;
    this.variant = variant;
    this.c = compiled(variant);
    this.hands = new Uint8Array(n * 13);
    this.counts = new Int32Array(n);
    this.played = new Uint8Array(13);
  }

  clone(): SimDeal {
    const d = new SimDeal(this.n, this.variant);
    d.hands.set(this.hands);
    d.counts.set(this.counts);
    d.played.set(this.played);
    d.turn = this.turn;
    d.topSeat = this.topSeat;
    d.topSize = this.topSize;
    d.topValue = this.topValue;
    d.passed = this.passed;
    d.playedAny = this.playedAny;
    d.must = this.must;
    d.winner = this.winner;
    return d;
  }

  /** Copy every field of `o` (same seats and variant) into this deal, without allocating. */
  copyFrom(o: SimDeal): void {
    this.hands.set(o.hands);
    this.counts.set(o.counts);
    this.played.set(o.played);
    this.turn = o.turn;
    this.topSeat = o.topSeat;
    this.topSize = o.topSize;
    this.topValue = o.topValue;
    this.passed = o.passed;
    this.playedAny = o.playedAny;
    this.must = o.must;
    this.winner = o.winner;
  }

  /** The public part of a view and its own hand; other hands are left empty. */
  static fromView(view: PlayerView): SimDeal {
    const d = new SimDeal(view.seats, view.variant);
    const c = d.c;
    for (let s = 0; s < view.seats; s++) d.counts[s] = view.counts[s];
    for (const card of view.hand) d.addCard(view.seat, indexOf(card, c.suit));
    for (const card of view.played) {
      const i = indexOf(card, c.suit);
      d.played[i >> 2] |= 1 << (i & 3);
    }
    d.turn = view.turn;
    d.winner = view.winner ?? -1;
    if (view.top) {
      const m = moveOfCombo(view.top.combo, c);
      d.topSeat = view.top.seat;
      d.topSize = m.size;
      d.topValue = m.value;
    }
    view.passed.forEach((p, s) => p && (d.passed |= 1 << s));
    view.playedAny.forEach((p, s) => p && (d.playedAny |= 1 << s));
    d.must = view.mustContain === null ? -1 : indexOf(view.mustContain, c.suit);
    return d;
  }

  addCard(seat: number, card: number): void {
    this.hands[seat * 13 + (card >> 2)] |= 1 << (card & 3);
  }

  has(seat: number, card: number): boolean {
    return (this.hands[seat * 13 + (card >> 2)] & (1 << (card & 3))) !== 0;
  }

  /** The ascending card indices of a seat's hand. */
  handOf(seat: number): number[] {
    const out: number[] = [];
    const o = seat * 13;
    for (let r = 0; r < 13; r++) {
      const m = this.hands[o + r];
      for (let p = 0; p < 4; p++) if (m & (1 << p)) out.push(r * 4 + p);
    }
    return out;
  }

  get over(): boolean {
    return this.winner >= 0;
  }

  #next(from: number, skipPassed: boolean): number {
    let s = (from + 1) % this.n;
    while (skipPassed && this.passed & (1 << s)) s = (s + 1) % this.n;
    return s;
  }

  /** The seat to act plays `move` (trusted: the caller only plays legal moves). */
  play(move: Move): void {
    const s = this.turn;
    const o = s * 13;
    for (const card of move.cards) {
      const bit = 1 << (card & 3);
      this.hands[o + (card >> 2)] &= ~bit;
      this.played[card >> 2] |= bit;
    }
    this.counts[s] -= move.size;
    this.playedAny |= 1 << s;
    if (!this.variant.passLocksTrick) this.passed = 0;
    this.must = -1;
    this.topSeat = s;
    this.topSize = move.size;
    this.topValue = move.value;
    if (this.counts[s] === 0) {
      this.winner = s;
      this.turn = -1;
      return;
    }
    this.turn = this.#next(s, true);
  }

  /** The seat to act passes (trusted: it does not lead). */
  pass(): void {
    const s = this.turn;
    this.passed |= 1 << s;
    const all = (1 << this.n) - 1;
    if ((this.passed | (1 << this.topSeat)) === all) {
      this.turn = this.topSeat;
      this.topSeat = -1;
      this.topSize = 0;
      this.topValue = -1;
      this.passed = 0;
      return;
    }
    this.turn = this.#next(s, this.variant.passLocksTrick);
  }

  act(move: Move | null): void {
    if (move === null) this.pass();
    else this.play(move);
  }

  /** A loser's penalty under the variant (RULES.md "Scoring a deal"). */
  penalty(seat: number): number {
    const left = this.counts[seat];
    const v = this.variant;
    let mult = v.tripleIfUnplayed && !(this.playedAny & (1 << seat)) ? 3 : left >= v.doubleAt ? 2 : 1;
    if (v.twosDouble) {
      const twos = POP[this.hands[seat * 13 + RANK_TWO]];
      for (let i = 0; i < twos; i++) mult *= 2;
    }
    return left * mult;
  }

  /** A finished deal's score change for `seat` (zero-sum over the seats). */
  delta(seat: number): number {
    if (this.winner < 0) throw new Error("SimDeal.delta: the deal has no winner yet");
    if (seat !== this.winner) return -this.penalty(seat);
    let gain = 0;
    for (let s = 0; s < this.n; s++) if (s !== seat) gain += this.penalty(s);
    return gain;
  }
}
