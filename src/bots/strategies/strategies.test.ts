import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  applyAction,
  createRng,
  DEFAULT_VARIANT,
  newDeal,
  shuffle,
  viewFor,
  type Card,
  type DealState,
  type PlayerView,
  type Variant,
} from "../../rules/index.ts";
import type { Strategy } from "../strategy.ts";
import { playGame } from "../tournament.ts";
import { expertStrategy, greedyStrategy, randomStrategy, searchStrategy, strategyFor } from "./index.ts";

const STRATEGIES: [string, Strategy][] = [
  ["random", randomStrategy],
  ["easy (greedy)", greedyStrategy],
  ["normal (expert)", expertStrategy],
  ["hard (search)", searchStrategy({ iterations: 12 })],
];

/** Play `steps` actions of a deal with the greedy strategy, to reach a mid-deal state. */
function advance(state: DealState, steps: number): DealState {
  for (let i = 0; i < steps && state.winner === null; i++) {
    const seat = state.turn;
    const a = greedyStrategy(viewFor(state, seat));
    const r = applyAction(state, a.type === "play" ? { type: "play", seat, cards: a.cards } : { type: "pass", seat });
    assert.ok(r.ok);
    state = r.state;
  }
  return state;
}

/** The same deal with the opponents' cards dealt among them differently (same counts). */
function reshuffleOpponents(state: DealState, seat: number, seed: string): DealState {
  const others = state.hands.flatMap((h, s) => (s === seat ? [] : h));
  const pool = shuffle([...others, ...state.setAside], createRng(seed));
  let k = 0;
  const hands = state.hands.map((h, s) => {
    if (s === seat) return h.slice();
    const mine = pool.slice(k, k + h.length);
    k += h.length;
    return mine;
  });
  return { ...state, hands, setAside: pool.slice(k) };
}

/** A view that fails the test if a strategy reads any field a PlayerView does not have. */
function guarded(view: PlayerView): PlayerView {
  const allowed = new Set(Object.keys(view));
  return new Proxy(view, {
    get(target, key, receiver) {
      if (typeof key === "string" && !allowed.has(key) && !(key in Object.prototype)) {
        throw new Error(`a strategy read view.${key}, which a PlayerView does not have`);
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

test("no strategy can read another player's cards: same view and rng seed, same decision, whatever the opponents hold", () => {
  fc.assert(
    fc.property(fc.string(), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 2, max: 4 }), (seed, steps, seats) => {
      const state = advance(newDeal({ seats, seed }), steps);
      if (state.winner !== null) return;
      const seat = state.turn;
      const other = reshuffleOpponents(state, seat, seed + "!");
      const view = viewFor(state, seat);
      assert.deepEqual(viewFor(other, seat), view, "the two deals look the same from this seat");
      for (const [name, strategy] of STRATEGIES) {
        const a = strategy(guarded(viewFor(state, seat)), createRng("same"));
        const b = strategy(guarded(viewFor(other, seat)), createRng("same"));
        assert.deepEqual(a, b, `${name} decided differently on two deals with the same view`);
      }
    }),
    { numRuns: 25 },
  );
});

test("every strategy plays whole deals legally, under several variants and seat counts", () => {
  const variants: Partial<Variant>[] = [{}, { passLocksTrick: true, straights: "taiwan" }, { suitOrder: "CDHS", flushOrder: "suit", straights: "poker" }];
  variants.forEach((variant, i) => {
    for (const seats of [2, 3, 4]) {
      for (const [name, strategy] of STRATEGIES) {
        // playGame throws on any illegal move; other seats mix in the other strategies.
        const table = Array.from({ length: seats }, (_, s) => (s === 0 ? strategy : STRATEGIES[(s + i) % STRATEGIES.length][1]));
        const rngs = table.map((_, s) => createRng(`${name}:${s}`));
        const deltas = playGame(`legal:${i}:${seats}`, table, table.map(() => false), rngs, [], [], variant);
        assert.equal(deltas.reduce((x, y) => x + y, 0), 0, `${name}: scores are zero-sum`);
      }
    }
  });
});

function view(partial: Partial<PlayerView> & { hand: Card[] }): PlayerView {
  const seats = 4;
  return {
    variant: DEFAULT_VARIANT,
    seats,
    counts: [partial.hand.length, 13, 13, 13],
    turn: 0,
    top: null,
    passed: [false, false, false, false],
    playedAny: [true, true, true, true],
    mustContain: null,
    played: [],
    history: [],
    winner: null,
    seat: 0,
    ...partial,
  };
}

test("expert plays out when it can finish: controls first, the last loser last", () => {
  const a = expertStrategy(view({ hand: ["4D", "2S"], counts: [2, 9, 9, 9] }));
  assert.deepEqual(a, { type: "play", cards: ["2S"] });
});

test("expert keeps its 2 while nobody is close to going out, and spends it when someone is", () => {
  const hand: Card[] = ["3D", "3C", "4D", "4C", "2S"];
  const top = { seat: 3, combo: { kind: "single" as const, cards: ["9H" as Card] } };
  assert.deepEqual(expertStrategy(view({ hand, top, counts: [5, 12, 12, 12] })), { type: "pass" });
  assert.deepEqual(expertStrategy(view({ hand, top, counts: [5, 12, 12, 2] })), { type: "play", cards: ["2S"] });
});

test("difficulty levels: easy = greedy, normal = expert, hard = search", () => {
  assert.equal(strategyFor("random"), randomStrategy);
  assert.equal(strategyFor("easy"), greedyStrategy);
  assert.equal(strategyFor("normal"), expertStrategy);
  const hard = strategyFor("hard", { budgetMs: 5 });
  const state = advance(newDeal({ seats: 4, seed: "lv" }), 3);
  const t0 = performance.now();
  hard(viewFor(state, state.turn), createRng("h"));
  assert.ok(performance.now() - t0 < 1000, "the budget bounds a decision");
});
