import type { Card, DealState, Variant } from "./types.ts";
import { fullDeck } from "./cards.ts";
import { createRng, shuffle } from "./rng.ts";
import { compiled, indexOf, type SuitTables } from "./tables.ts";
import { resolveVariant } from "./variant.ts";

export interface NewDealOptions {
  variant?: Partial<Variant>;
  seats: number;
  /** Shuffle seed: the server draws 32 hex characters from a CSPRNG. */
  seed: string;
  /**
   * The seat that leads with any combination (winnerLeadsNextDeal after a previous deal, see
   * nextDealLeader); null or omitted: the start-card rule.
   */
  leader?: number | null;
}

function sortHand(hand: readonly Card[], t: SuitTables): Card[] {
  return hand
    .map((card) => indexOf(card, t))
    .sort((a, b) => a - b)
    .map((i) => t.text[i]);
}

/** The holder of the lowest card among `hands` under the suit order, and that card. */
function lowestHolder(hands: readonly (readonly Card[])[], t: SuitTables): { seat: number; card: Card } {
  let seat = -1;
  let best = 52;
  hands.forEach((hand, s) => {
    for (const card of hand) {
      const i = indexOf(card, t);
      if (i < best) {
        best = i;
        seat = s;
      }
    }
  });
  return { seat, card: t.text[best] };
}

/**
 * A freshly shuffled and dealt deal (RULES.md "A deal"). The deck is the canonical 52 cards
 * shuffled by `createRng(seed)`, dealt in consecutive blocks: seat 0 gets the first block.
 * - 4 seats: 13 each. 3 seats: 17 each; the 52nd card goes to the holder of the lowest of the
 *   51 dealt cards, which is the start-card holder (or, if the 52nd card is the start card
 *   itself, the holder of the next lowest card, who then holds the start card).
 * - 2 seats: 13 each; the other 26 cards are set aside, unseen.
 * - The holder of the lowest dealt card (the start card, 3D / 3C, whenever it is dealt) leads,
 *   and with firstPlayMustContainStart the first play must contain that card.
 * - With `leader`, that seat leads with any combination and nothing must be contained.
 * Hands are sorted by single-card order. Throws a TypeError for bad options.
 */
export function newDeal(opts: NewDealOptions): DealState {
  const variant = resolveVariant(opts.variant);
  const seats = opts.seats;
  if (seats !== 2 && seats !== 3 && seats !== 4) {
    throw new TypeError(`Expected \`seats\` to be 2, 3 or 4, got ${String(seats)}`);
  }
  if (typeof opts.seed !== "string") throw new TypeError(`Expected \`seed\` to be a string, got ${typeof opts.seed}`);
  const leader = opts.leader ?? null;
  if (leader !== null && !(Number.isInteger(leader) && leader >= 0 && leader < seats)) {
    throw new TypeError(`Expected \`leader\` to be null or a seat from 0 to ${seats - 1}, got ${String(leader)}`);
  }
  const t = compiled(variant).suit;
  const deck = shuffle(fullDeck(), createRng(opts.seed));
  const size = seats === 3 ? 17 : 13;
  const dealt: Card[][] = [];
  for (let s = 0; s < seats; s++) dealt.push(deck.slice(s * size, (s + 1) * size));
  let setAside: Card[] = [];
  if (seats === 3) dealt[lowestHolder(dealt, t).seat].push(deck[51]);
  if (seats === 2) setAside = sortHand(deck.slice(26), t);
  const hands = dealt.map((h) => sortHand(h, t));

  const first = lowestHolder(hands, t);
  const turn = leader ?? first.seat;
  const mustContain = leader === null && variant.firstPlayMustContainStart ? first.card : null;
  return {
    variant,
    seats,
    counts: hands.map((h) => h.length),
    turn,
    top: null,
    passed: new Array<boolean>(seats).fill(false),
    playedAny: new Array<boolean>(seats).fill(false),
    mustContain,
    played: [],
    history: [],
    winner: null,
    hands,
    setAside,
  };
}
