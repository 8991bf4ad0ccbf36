import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { applyAction, createRng, legalActions, newDeal, scoreDeal, viewFor, type Card, type DealState, type Variant } from "../rules/index.ts";
import { knowledge, plan } from "./plan.ts";
import { plannedMove, playoutMove, removeFromPlan, unseenOf } from "./playout.ts";
import { sampler } from "./sample.ts";
import { moveOfCombo, SimDeal, toCards, type Move } from "./sim.ts";

/** The simulator's picture of a real deal: every hand, the public fields. */
function simOf(state: DealState): SimDeal {
  const d = SimDeal.fromView(viewFor(state, 0));
  const index = (card: Card) => moveOfCombo({ kind: "single", cards: [card] }, d.c).cards[0];
  for (let s = 1; s < state.seats; s++) for (const card of state.hands[s]) d.addCard(s, index(card));
  // Only the holder's view names the card the first play must contain.
  d.must = state.mustContain === null ? -1 : index(state.mustContain);
  return d;
}

function assertSame(d: SimDeal, state: DealState, where: string): void {
  const e = simOf(state);
  assert.deepEqual([...d.hands], [...e.hands], `hands ${where}`);
  assert.deepEqual([...d.counts], [...e.counts], `counts ${where}`);
  assert.deepEqual([...d.played], [...e.played], `played ${where}`);
  assert.deepEqual(
    [d.turn, d.topSeat, d.topSize, d.topValue, d.passed, d.playedAny, d.must, d.winner],
    [e.turn, e.topSeat, e.topSize, e.topValue, e.passed, e.playedAny, e.must, e.winner],
    `public fields ${where}`,
  );
}

const variantArb = fc.record<Partial<Variant>>({
  suitOrder: fc.constantFrom("DCHS", "CDHS"),
  straights: fc.constantFrom("classic", "poker", "taiwan"),
  flushOrder: fc.constantFrom("rank", "suit"),
  passLocksTrick: fc.boolean(),
  twosDouble: fc.boolean(),
});

test("the simulator follows the rules engine move for move, and every move of both playout policies is legal", () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 4 }), fc.string(), variantArb, fc.integer({ min: 0, max: 3 }), fc.boolean(), (seats, seed, variant, mix, usePlans) => {
      let state = newDeal({ seats, seed, variant });
      const d = simOf(state);
      const rng = createRng(seed);
      const plans = Array.from({ length: seats }, (_, s) => {
        const hand = d.hands.slice(s * 13, s * 13 + 13);
        return plan(hand, knowledge(d.c, hand, d.played, 13)).combos as Move[];
      });
      const u = new Uint8Array(13);
      for (let n = 0; state.winner === null; n++) {
        assert.ok(n < 1000, "the deal ends");
        const seat = state.turn;
        // Mostly the playout policy; sometimes a random legal action, to reach other states.
        let move = usePlans ? plannedMove(d, plans[seat], unseenOf(d, seat, u)) : playoutMove(d);
        if (rng.int(4) < mix) {
          const { canPass, plays } = legalActions(viewFor(state, seat));
          const k = rng.int(plays.length + (canPass ? 1 : 0));
          move = k === plays.length ? null : moveOfCombo(plays[k], d.c);
        }
        const action = move === null ? { type: "pass" as const, seat } : { type: "play" as const, seat, cards: toCards(move.cards, d.c) };
        const result = applyAction(state, action);
        assert.ok(result.ok, `policy move accepted: ${JSON.stringify(action)} ${result.ok ? "" : result.message}`);
        state = result.state;
        d.act(move);
        if (move !== null) removeFromPlan(plans[seat], move);
        assert.deepEqual(plans[seat].flatMap((m) => m.cards).sort((a, b) => a - b), d.handOf(seat), "the plan covers the hand");
        assertSame(d, state, `after ${n + 1} actions`);
      }
      const scores = scoreDeal(state).scores;
      for (let s = 0; s < seats; s++) assert.equal(d.delta(s), scores[s].delta, `delta of seat ${s}`);
    }),
    { numRuns: 150 },
  );
});

test("a determinization keeps the view's own hand, the counts and the played cards, and deals every unseen card once", () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 4 }), fc.string(), fc.integer({ min: 0, max: 30 }), (seats, seed, steps) => {
      let state = newDeal({ seats, seed });
      for (let i = 0; i < steps && state.winner === null; i++) {
        const d = simOf(state);
        const m = playoutMove(d);
        const seat = state.turn;
        const r = applyAction(state, m === null ? { type: "pass", seat } : { type: "play", seat, cards: toCards(m.cards, d.c) });
        assert.ok(r.ok);
        state = r.state;
      }
      if (state.winner !== null) return;
      const view = viewFor(state, state.turn);
      const sample = sampler(view);
      const rng = createRng(seed);
      const real = SimDeal.fromView(view);
      for (let k = 0; k < 5; k++) {
        const { deal, weight } = sample(rng);
        assert.ok(weight > 0 && weight <= 1);
        assert.deepEqual([...deal.counts], view.counts);
        assert.deepEqual(deal.handOf(view.seat), real.handOf(view.seat));
        const seen = new Set<number>();
        for (let s = 0; s < seats; s++) {
          const hand = deal.handOf(s);
          assert.equal(hand.length, view.counts[s]);
          for (const x of hand) {
            assert.ok(!seen.has(x), "no card dealt twice");
            assert.equal(real.played[x >> 2] & (1 << (x & 3)), 0, "no played card dealt");
            seen.add(x);
          }
        }
      }
    }),
    { numRuns: 100 },
  );
});
