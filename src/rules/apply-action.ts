// The deal reducer: (state, action) -> new state + one public event, or a rejection that
// changes nothing. Turn order lives in fold-event.ts, shared with the view reducer.
import type { Action, ApplyResult, Card, DealEvent, DealState } from "./types.ts";
import { reject } from "./errors.ts";
import { foldPublic, type FoldedLists } from "./fold-event.ts";
import { checkPlayFor, checkTurn } from "./legal-actions.ts";
import { compiled, indexOf } from "./tables.ts";

/**
 * For a caller that keeps a deal's `history` and `played` itself, as the table that alone owns its
 * deal does: called once for an accepted action, with its event and the state it applies to, and
 * returns the lists the new state is to hold (see FoldedLists). Never called for a rejection.
 */
export type ListKeeper = (event: DealEvent, state: DealState) => FoldedLists;

/** The new state after a checked event: the shared public fold plus the hands. */
export function applyChecked(state: DealState, event: DealEvent, lists?: FoldedLists): DealState {
  let hands = state.hands;
  if (event.type === "play") {
    const cards = event.combo.cards;
    hands = state.hands.slice();
    hands[event.seat] = state.hands[event.seat].filter((c) => !cards.includes(c));
  }
  const p = foldPublic(state, event, lists);
  // Written out rather than spread: this runs once per action, millions of times in bot play.
  return {
    variant: p.variant,
    seats: p.seats,
    counts: p.counts,
    turn: p.turn,
    top: p.top,
    passed: p.passed,
    playedAny: p.playedAny,
    mustContain: p.mustContain,
    played: p.played,
    history: p.history,
    winner: p.winner,
    hands,
    setAside: state.setAside,
  };
}

/**
 * What the turn clock does for the seat to act (RULES.md "Turn clock"): pass if passing is
 * allowed, otherwise play the must-contain card alone, otherwise the lowest single.
 * Throws if the deal is over.
 */
export function autoAction(state: DealState): Action {
  const seat = state.turn;
  if (state.winner !== null || seat < 0) throw new Error("autoAction: the deal is over");
  if (state.top !== null) return { type: "pass", seat };
  if (state.mustContain !== null) return { type: "play", seat, cards: [state.mustContain] };
  const t = compiled(state.variant).suit;
  let lowest: Card = state.hands[seat][0];
  for (const card of state.hands[seat]) if (indexOf(card, t) < indexOf(lowest, t)) lowest = card;
  return { type: "play", seat, cards: [lowest] };
}

function validSeat(state: DealState, seat: unknown): boolean {
  return typeof seat === "number" && Number.isInteger(seat) && seat >= 0 && seat < state.seats;
}

/**
 * Checks `action` against `state` and applies it. A rejection carries a stable RuleCode and
 * leaves `state` as it was; an accepted action gives a new state and its public event.
 * Without `keep` the new state has new `history` and `played` arrays and `state` is not changed;
 * with it, the new state holds whatever lists `keep` returns for the event.
 */
export function applyAction(state: DealState, action: Action, keep?: ListKeeper): ApplyResult {
  if (state.winner !== null || state.turn < 0) return reject("deal/over", "The deal is over.");
  if (!validSeat(state, action.seat)) {
    return reject("seat/invalid", `Seat ${String(action.seat)} is not a seat of this ${state.seats}-player deal.`);
  }
  const notYours = checkTurn(state, action.seat);
  if (notYours !== null) return notYours;

  let auto = false;
  let act: Action = action;
  if (act.type === "timeout") {
    auto = true;
    act = autoAction(state);
  }
  let event: DealEvent;
  if (act.type === "pass") {
    if (state.top === null) return reject("pass/leader-cannot-pass", "You lead this trick: play a combination.");
    event = { type: "pass", seat: act.seat, auto };
  } else if (act.type === "play") {
    const check = checkPlayFor(state, act.seat, state.hands[act.seat], act.cards);
    if (!check.ok) return check;
    event = { type: "play", seat: act.seat, combo: check.combo, auto };
  } else {
    throw new TypeError(`Unknown action type ${JSON.stringify((act as { type: unknown }).type)}`);
  }
  return { ok: true, state: applyChecked(state, event, keep?.(event, state)), event };
}
