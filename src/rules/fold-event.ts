// The one place where turn order and trick ends are decided. The deal reducer (server) and the
// view reducer (clients, bots, spectators) both fold events through `foldPublic`, so a client
// that applies the server's events holds exactly the view the server would send it.
import type { Card, DealEvent, PublicDeal } from "./types.ts";

/** The seat after `from` that may act: with passLocksTrick, seats that passed are skipped. */
function nextSeat(from: number, seats: number, passed: readonly boolean[], skipPassed: boolean): number {
  let s = (from + 1) % seats;
  // The last player of the trick never has a pass flag, so this loop always stops.
  while (skipPassed && passed[s]) s = (s + 1) % seats;
  return s;
}

/** `xs` with `x` after it, as a new array of exactly that length (no `[x]` made for concat). */
function appended<T>(xs: readonly T[], x: T): T[] {
  const out = new Array<T>(xs.length + 1);
  for (let i = 0; i < xs.length; i++) out[i] = xs[i];
  out[xs.length] = x;
  return out;
}

/** `xs` then `ys`, as a new array: the same as concat, without its generic path. */
function concatenated<T>(xs: readonly T[], ys: readonly T[]): T[] {
  const out = new Array<T>(xs.length + ys.length);
  for (let i = 0; i < xs.length; i++) out[i] = xs[i];
  for (let i = 0; i < ys.length; i++) out[xs.length + i] = ys[i];
  return out;
}

/** True when every seat except the last player has passed: the trick is over. */
function trickOver(top: number, passed: readonly boolean[]): boolean {
  for (let s = 0; s < passed.length; s++) if (s !== top && !passed[s]) return false;
  return true;
}

/**
 * The deal's `history` and `played` after an event, supplied by a caller that keeps them itself
 * (see `applyEvent`), so the fold does not copy them.
 */
export interface FoldedLists {
  history: DealEvent[];
  played: Card[];
}

/**
 * The public fields of a deal after `event`. Trusts the event (the reducer has checked it).
 * Returns a new object with exactly the fields of PublicDeal; the input is not changed.
 * `lists`, when given, are used as the new `history` and `played` as they are.
 *
 * `passed` holds the seats that passed since the last play. With passLocksTrick a pass holds
 * until the trick ends (the seat is skipped by turn order), so it is not cleared by later plays.
 */
export function foldPublic(pub: PublicDeal, event: DealEvent, lists?: FoldedLists): PublicDeal {
  const n = pub.seats;
  const s = event.seat;
  const locks = pub.variant.passLocksTrick;
  const history = lists ? lists.history : appended(pub.history, event);
  if (event.type === "play") {
    const cards = event.combo.cards;
    const counts = pub.counts.slice();
    counts[s] -= cards.length;
    const playedAny = pub.playedAny[s] ? pub.playedAny : pub.playedAny.map((p, i) => p || i === s);
    const passed = locks ? pub.passed : new Array<boolean>(n).fill(false);
    const over = counts[s] === 0;
    return {
      variant: pub.variant,
      seats: n,
      counts,
      turn: over ? -1 : nextSeat(s, n, passed, true),
      top: { seat: s, combo: event.combo },
      passed,
      playedAny,
      mustContain: null,
      played: lists ? lists.played : concatenated(pub.played, cards),
      history,
      winner: over ? s : null,
    };
  }
  const passed = pub.passed.slice();
  passed[s] = true;
  const top = pub.top;
  const trickEnds = top !== null && trickOver(top.seat, passed);
  // Object literals, not spreads: this runs for every action on the server and every event
  // in every client and bot.
  return {
    variant: pub.variant,
    seats: n,
    counts: pub.counts,
    turn: trickEnds ? top.seat : nextSeat(s, n, passed, locks),
    top: trickEnds ? null : top,
    passed: trickEnds ? new Array<boolean>(n).fill(false) : passed,
    playedAny: pub.playedAny,
    mustContain: pub.mustContain,
    played: lists ? lists.played : pub.played,
    history,
    winner: pub.winner,
  };
}
