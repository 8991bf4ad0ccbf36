import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { applyAction, createRng, legalActions, newDeal, resolveVariant, scoreDeal, viewFor } from "../rules/index.ts";
import type { Action, DealState, Variant } from "../rules/types.ts";
import { buildReplay, clampStep, dealFromHands, trickAt, type RecordedDeal } from "./replay-model.ts";

/** A whole deal played by random legal choices (and some clock timeouts), recorded as the API keeps it. */
function playRandomDeal(variant: Partial<Variant>, seats: number, seed: string, leader: number | null, choices: string): RecordedDeal {
  const start = newDeal({ variant, seats, seed, leader });
  const rng = createRng(choices);
  const actions: Action[] = [];
  let state: DealState = start;
  while (state.winner === null) {
    const seat = state.turn;
    const legal = legalActions(viewFor(state, seat));
    const roll = rng.int(100);
    let action: Action;
    if (roll < 10) action = { type: "timeout", seat };
    else if (legal.canPass && (roll < 40 || legal.plays.length === 0)) action = { type: "pass", seat };
    else action = { type: "play", seat, cards: legal.plays[rng.int(legal.plays.length)].cards.slice() };
    const r = applyAction(state, action);
    assert.ok(r.ok, `the generator made an illegal action: ${JSON.stringify(action)}`);
    actions.push(action);
    state = r.state;
  }
  return { seed, leader, hands: start.hands.map((h) => h.slice()), actions, result: scoreDeal(state) };
}

const variantArb = fc.record({
  suitOrder: fc.constantFrom("DCHS" as const, "CDHS" as const),
  straights: fc.constantFrom("classic" as const, "poker" as const, "taiwan" as const),
  passLocksTrick: fc.boolean(),
  firstPlayMustContainStart: fc.boolean(),
  twosDouble: fc.boolean(),
});

const recordArb = fc
  .record({ variant: variantArb, seats: fc.constantFrom(2, 3, 4), seed: fc.string({ minLength: 1, maxLength: 12 }), choices: fc.string(), lead: fc.nat(3), withLeader: fc.boolean() })
  .map(({ variant, seats, seed, choices, lead, withLeader }) => {
    const leader = withLeader ? lead % seats : null;
    return { variant, deal: playRandomDeal(variant, seats, seed, leader, choices) };
  });

describe("replay stepper", () => {
  test("the last step's result equals the deal's recorded result, and every hand is as dealt at step 0", () => {
    fc.assert(
      fc.property(recordArb, ({ variant, deal }) => {
        const built = buildReplay(variant, deal);
        assert.ok(built.ok, !built.ok ? built.message : "");
        const { frames, events, result } = built.replay;
        assert.equal(frames.length, deal.actions.length + 1);
        assert.equal(events.length, deal.actions.length);
        assert.deepEqual(frames[0].hands, deal.hands);
        const last = frames[frames.length - 1];
        assert.notEqual(last.winner, null);
        assert.deepEqual(scoreDeal(last), deal.result);
        assert.deepEqual(result, deal.result);
      }),
      { numRuns: 150 },
    );
  });

  test("stepping forward then back returns to the same state", () => {
    fc.assert(
      fc.property(recordArb, fc.nat(), fc.nat(), ({ variant, deal }, from, by) => {
        const built = buildReplay(variant, deal);
        assert.ok(built.ok);
        const r = built.replay;
        const at = clampStep(r, from % r.frames.length);
        const before = structuredClone(r.frames[at]);
        let i = at;
        const steps = by % r.frames.length;
        for (let k = 0; k < steps; k++) i = clampStep(r, i + 1);
        const forward = i - at;
        for (let k = 0; k < forward; k++) i = clampStep(r, i - 1);
        assert.equal(i, at);
        // Frames share nothing mutable with later ones: looking at the end changed nothing here.
        assert.deepEqual(r.frames[i], before);
        assert.deepEqual(r.frames[i].history, r.events.slice(0, i));
      }),
      { numRuns: 100 },
    );
  });

  test("a record without a seed deals the same state from its hands", () => {
    fc.assert(
      fc.property(recordArb, ({ variant, deal }) => {
        const fromSeed = newDeal({ variant, seats: deal.hands.length, seed: deal.seed!, leader: deal.leader });
        const fromHands = dealFromHands(resolveVariant(variant), deal.hands, deal.leader ?? null);
        assert.deepEqual({ ...fromHands, setAside: [] }, { ...fromSeed, setAside: [] });
        const built = buildReplay(variant, { ...deal, seed: null });
        assert.ok(built.ok);
        assert.deepEqual(built.replay.result, deal.result);
      }),
      { numRuns: 100 },
    );
  });

  test("the trick at a step starts at the play that opened it", () => {
    const deal = playRandomDeal({}, 4, "trick", null, "passes");
    const built = buildReplay({}, deal);
    assert.ok(built.ok);
    const r = built.replay;
    assert.deepEqual(trickAt(r, 0), []);
    assert.deepEqual(trickAt(r, 1), [r.events[0]]);
    for (let i = 1; i < r.frames.length; i++) {
      const trick = trickAt(r, i);
      if (r.frames[i].top === null) {
        assert.deepEqual(trick, []);
        continue;
      }
      assert.equal(trick[0].type, "play");
      assert.deepEqual(trick[trick.length - 1], r.events[i - 1]);
      const last = [...trick].reverse().find((e) => e.type === "play");
      assert.deepEqual(last && last.type === "play" ? last.combo : null, r.frames[i].top?.combo);
    }
  });

  test("a record that does not hold together is refused with a stable code", () => {
    const deal = playRandomDeal({}, 4, "tamper", null, "x");
    const swapped = deal.hands.map((h) => h.slice());
    [swapped[0][0], swapped[1][0]] = [swapped[1][0], swapped[0][0]];
    const mismatch = buildReplay({}, { ...deal, hands: swapped });
    assert.equal(mismatch.ok ? "ok" : mismatch.code, "replay/hands-mismatch");

    const illegal = buildReplay({}, { ...deal, actions: [{ type: "pass", seat: 3 }, ...deal.actions] });
    assert.equal(illegal.ok ? "ok" : illegal.code, "replay/illegal-action");

    const cut = buildReplay({}, { ...deal, actions: deal.actions.slice(0, -1) });
    assert.equal(cut.ok ? "ok" : cut.code, "replay/unfinished");

    const wrong = { ...deal.result, winner: (deal.result.winner + 1) % 4 };
    const lying = buildReplay({}, { ...deal, result: wrong });
    assert.equal(lying.ok ? "ok" : lying.code, "replay/result-mismatch");

    const empty = buildReplay({}, { hands: [], actions: [], result: deal.result } as RecordedDeal);
    assert.equal(empty.ok ? "ok" : empty.code, "replay/bad-record");
  });
});
