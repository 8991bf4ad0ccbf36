// The only place hands are filtered. A view carries the public part of the deal plus, for a
// player, that seat's own hand: never another seat's cards, never the set-aside cards.
import type { DealEvent, DealState, PlayerView, PublicDeal, PublicView } from "./types.ts";
import { foldPublic, type FoldedLists } from "./fold-event.ts";

function hiddenMustContain(state: DealState, seat: number): DealState["mustContain"] {
  // The must-contain card is shown only to the seat that holds it: with 2 or 3 players it can
  // be the leader's lowest card rather than the start card, and even 3D tells a 2-player
  // opponent that it was not set aside.
  const must = state.mustContain;
  return must !== null && seat >= 0 && state.hands[seat].includes(must) ? must : null;
}

/** What `seat` may see: the public deal plus its own hand. Throws a RangeError for a bad seat. */
export function viewFor(state: DealState, seat: number): PlayerView {
  if (!Number.isInteger(seat) || seat < 0 || seat >= state.seats) {
    throw new RangeError(`Expected \`seat\` to be a seat from 0 to ${state.seats - 1}, got ${String(seat)}`);
  }
  // Written out rather than spread: bots build a view per decision and spreads cost here.
  return {
    variant: state.variant,
    seats: state.seats,
    counts: state.counts.slice(),
    turn: state.turn,
    top: state.top,
    passed: state.passed.slice(),
    playedAny: state.playedAny.slice(),
    mustContain: hiddenMustContain(state, seat),
    played: state.played.slice(),
    history: state.history.slice(),
    winner: state.winner,
    seat,
    hand: state.hands[seat].slice(),
  };
}

/** What a spectator may see: the public deal, no cards in hand. */
export function publicView(state: DealState): PublicView {
  return {
    variant: state.variant,
    seats: state.seats,
    counts: state.counts.slice(),
    turn: state.turn,
    top: state.top,
    passed: state.passed.slice(),
    playedAny: state.playedAny.slice(),
    mustContain: hiddenMustContain(state, -1),
    played: state.played.slice(),
    history: state.history.slice(),
    winner: state.winner,
  };
}

/**
 * Folds a public event into a PlayerView or a PublicView (any object with the public fields;
 * other fields are kept). A player's view also loses the played cards from `hand` when the
 * event is its own play. Uses the deal reducer's turn and trick code, so applying the server's
 * events to a view gives exactly the view the server would send. Throws a TypeError for a
 * DealState (it would not update `hands`): the server uses applyAction.
 *
 * `lists` is for a caller that keeps the deal's `history` and `played` itself, as a bot that owns
 * its view appends to its own arrays: they become the new view's, as given, instead of copies of
 * the old view's with the event appended (two arrays as long as the deal so far, on every event).
 */
export function applyEvent<T extends PublicDeal>(view: T, event: DealEvent, lists?: FoldedLists): T {
  if ("hands" in view) throw new TypeError("applyEvent folds views; advance a DealState with applyAction");
  const p = foldPublic(view, event, lists);
  const own = view as unknown as Partial<PlayerView>;
  let out: PublicDeal;
  if (typeof own.seat === "number" && Array.isArray(own.hand)) {
    const cards = event.type === "play" && own.seat === event.seat ? event.combo.cards : null;
    const hand = cards === null ? own.hand : own.hand.filter((c) => !cards.includes(c));
    const mine: PlayerView = {
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
      seat: own.seat,
      hand,
    };
    out = mine;
  } else {
    out = p;
  }
  // Keep any fields a caller added to its view (written out above for speed: spreads cost).
  const extra = out as unknown as Record<string, unknown>;
  for (const key of Object.keys(view)) if (!(key in extra)) extra[key] = (view as Record<string, unknown>)[key];
  return out as T;
}
