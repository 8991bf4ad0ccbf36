// Shared test support: arbitraries, a brute-force oracle, hand-made states and a random
// player. Named *.test.ts so it is never part of the shipped engine; it holds no tests itself.
import fc from "fast-check";
import type { Action, Card, Combo, ComboKind, DealEvent, DealState, Variant } from "./types.ts";
import { fullDeck, parseCards } from "./cards.ts";
import { beats, classify } from "./combos.ts";
import { legalPlays } from "./legal-plays.ts";
import { legalActions } from "./legal-actions.ts";
import { applyAction } from "./apply-action.ts";
import { viewFor } from "./view.ts";
import { createRng, type Rng } from "./rng.ts";
import { resolveVariant } from "./variant.ts";

export const variantArb: fc.Arbitrary<Variant> = fc
  .record({
    suitOrder: fc.constantFrom("DCHS" as const, "CDHS" as const),
    straights: fc.constantFrom("classic" as const, "poker" as const, "taiwan" as const),
    flushOrder: fc.constantFrom("rank" as const, "suit" as const),
    firstPlayMustContainStart: fc.boolean(),
    passLocksTrick: fc.boolean(),
    winnerLeadsNextDeal: fc.boolean(),
    doubleAt: fc.integer({ min: 1, max: 14 }),
    tripleIfUnplayed: fc.boolean(),
    twosDouble: fc.boolean(),
  })
  .map((v) => resolveVariant(v));

const DECK = fullDeck();

/** Hands that often hold pairs, triples, fours, flushes and straight flushes. */
export const handArb: fc.Arbitrary<Card[]> = fc.oneof(
  fc.shuffledSubarray(DECK, { minLength: 0, maxLength: 13 }),
  fc
    .tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 5, max: 8 }))
    .chain(([start, width]) => {
      const ranks = Array.from({ length: width }, (_, i) => (start + i) % 13);
      const pool = DECK.filter((_, i) => ranks.includes(i >> 2));
      return fc.shuffledSubarray(pool, { minLength: 5, maxLength: 13 });
    }),
  fc.subarray(["D", "C", "H", "S"], { minLength: 1, maxLength: 2 }).chain((suits) => {
    const pool = DECK.filter((c) => suits.includes(c[1]));
    return fc.shuffledSubarray(pool, { minLength: 5, maxLength: 13 });
  }),
);

const ALL_COMBOS = new Map<string, Map<ComboKind, Combo[]>>();

/** Every combination of the deck under `variant`, by kind (cached). */
export function deckCombos(variant: Variant): Map<ComboKind, Combo[]> {
  // Only the ordering switches change which combinations exist and how they sort.
  const key = `${variant.suitOrder} ${variant.straights} ${variant.flushOrder}`;
  let byKind = ALL_COMBOS.get(key);
  if (byKind === undefined) {
    byKind = new Map();
    for (const c of legalPlays(DECK, null, variant)) {
      const list = byKind.get(c.kind) ?? [];
      list.push(c);
      byKind.set(c.kind, list);
    }
    ALL_COMBOS.set(key, byKind);
  }
  return byKind;
}

export const KINDS: ComboKind[] = ["single", "pair", "triple", "straight", "flush", "fullHouse", "fourOfAKind", "straightFlush"];

/** A random combination of the deck: a kind uniformly, then one of that kind. */
export function comboArb(variant: Variant): fc.Arbitrary<Combo> {
  return fc.tuple(fc.constantFrom(...KINDS), fc.nat()).map(([kind, n]) => {
    const list = deckCombos(variant).get(kind) ?? [];
    return list[n % list.length];
  });
}

export function subsetsOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  const pick: T[] = [];
  const go = (from: number): void => {
    if (pick.length === size) {
      out.push(pick.slice());
      return;
    }
    for (let i = from; i <= items.length - (size - pick.length); i++) {
      pick.push(items[i]);
      go(i + 1);
      pick.pop();
    }
  };
  go(0);
  return out;
}

/** The oracle: every subset of size 1, 2, 3 or 5 that classifies and beats the table. */
export function bruteForcePlays(hand: readonly Card[], table: Combo | null, variant: Variant): Combo[] {
  const out: Combo[] = [];
  for (const size of [1, 2, 3, 5]) {
    for (const s of subsetsOf(hand, size)) {
      const c = classify(s, variant);
      if (c !== null && (table === null || beats(c, table, variant))) out.push(c);
    }
  }
  return out;
}

/** A card set as a sortable key. */
export function setKey(cards: readonly Card[]): string {
  return cards.slice().sort().join(" ");
}

/** A deal state from hand-made hands; `turn` defaults to the holder of the lowest card. */
export function stateFrom(
  hands: string[],
  opts: { variant?: Partial<Variant>; turn?: number; mustContain?: Card | null; setAside?: string } = {},
): DealState {
  const variant = resolveVariant(opts.variant);
  const parsed = hands.map((h) => parseCards(h));
  const seats = parsed.length;
  let turn = opts.turn ?? 0;
  if (opts.turn === undefined) {
    const order = legalPlays(parsed.flat(), null, variant).filter((c) => c.kind === "single");
    turn = parsed.findIndex((h) => h.includes(order[0].cards[0]));
  }
  return {
    variant,
    seats,
    counts: parsed.map((h) => h.length),
    turn,
    top: null,
    passed: new Array<boolean>(seats).fill(false),
    playedAny: new Array<boolean>(seats).fill(false),
    mustContain: opts.mustContain ?? null,
    played: [],
    history: [],
    winner: null,
    hands: parsed,
    setAside: parseCards(opts.setAside ?? ""),
  };
}

/** Applies actions that must all be accepted. */
export function run(state: DealState, actions: Action[]): DealState {
  let s = state;
  for (const a of actions) {
    const r = applyAction(s, a);
    if (!r.ok) throw new Error(`rejected ${JSON.stringify(a)}: ${r.code} ${r.message}`);
    s = r.state;
  }
  return s;
}

export const play = (seat: number, cards: string): Action => ({ type: "play", seat, cards: parseCards(cards) });
export const pass = (seat: number): Action => ({ type: "pass", seat });

/** A random legal action for the seat to act (from its own view, as a bot would). */
export function randomAction(state: DealState, rng: Rng, passWeight = 1): Action {
  const seat = state.turn;
  const { canPass, plays } = legalActions(viewFor(state, seat));
  const n = plays.length + (canPass ? passWeight : 0);
  const k = rng.int(n);
  return k < plays.length ? { type: "play", seat, cards: plays[k].cards } : { type: "pass", seat };
}

/** Plays a deal to its end with random legal actions; returns every state and event. */
export function playOut(initial: DealState, seed: string): { states: DealState[]; events: DealEvent[] } {
  const rng = createRng(seed);
  const states = [initial];
  const events: DealEvent[] = [];
  let s = initial;
  for (let guard = 0; s.winner === null; guard++) {
    if (guard > 10_000) throw new Error("deal does not end");
    const r = applyAction(s, randomAction(s, rng));
    if (!r.ok) throw new Error(`random legal action rejected: ${r.code} ${r.message}`);
    s = r.state;
    states.push(s);
    events.push(r.event);
  }
  return { states, events };
}
