// The only place hands are filtered. A view carries the public part of the deal plus, for a
// player, that seat's own hand: never another seat's cards, never the set-aside cards.
import type { DealEvent, DealState, PlayerView, PublicDeal, PublicView } from "./types.ts";
import { foldPublic } from "./fold-event.ts";

function copyPublic(state: DealState, seat: number): PublicDeal {
  // The must-contain card is shown only to the seat that holds it: with 2 or 3 players it can
  // be the leader's lowest card rather than the start card, and even 3D tells a 2-player
  // opponent that it was not set aside.
  const mustContain = state.mustContain !== null && seat >= 0 && state.hands[seat].includes(state.mustContain)
    ? state.mustContain
    : null;
  return {
    variant: state.variant,
    seats: state.seats,
    counts: state.counts.slice(),
    turn: state.turn,
    top: state.top,
    passed: state.passed.slice(),
    playedAny: state.playedAny.slice(),
    mustContain,
    played: state.played.slice(),
    history: state.history.slice(),
    winner: state.winner,
  };
}

/** What `seat` may see: the public deal plus its own hand. Throws a RangeError for a bad seat. */
export function viewFor(state: DealState, seat: number): PlayerView {
  if (!Number.isInteger(seat) || seat < 0 || seat >= state.seats) {
    throw new RangeError(`Expected \`seat\` to be a seat from 0 to ${state.seats - 1}, got ${String(seat)}`);
  }
  return { ...copyPublic(state, seat), seat, hand: state.hands[seat].slice() };
}

/** What a spectator may see: the public deal, no cards in hand. */
export function publicView(state: DealState): PublicView {
  return copyPublic(state, -1);
}

/**
 * Folds a public event into a PlayerView or a PublicView (any object with the public fields;
 * other fields are kept). A player's view also loses the played cards from `hand` when the
 * event is its own play. Uses the deal reducer's turn and trick code, so applying the server's
 * events to a view gives exactly the view the server would send.
 */
export function applyEvent<T extends PublicDeal>(view: T, event: DealEvent): T {
  const next = { ...view, ...foldPublic(view, event) };
  const own = next as unknown as Partial<PlayerView>;
  if (event.type === "play" && Array.isArray(own.hand) && own.seat === event.seat) {
    const cards = event.combo.cards;
    own.hand = own.hand.filter((c) => !cards.includes(c));
  }
  return next;
}
