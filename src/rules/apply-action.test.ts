import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { applyAction, autoAction } from "./apply-action.ts";
import { legalActions } from "./legal-actions.ts";
import { newDeal } from "./deal.ts";
import { viewFor } from "./view.ts";
import { scoreDeal } from "./scoring.ts";
import { fullDeck, parseCards, sortCards } from "./cards.ts";
import type { Action, DealEvent, DealState, RuleCode } from "./types.ts";
import type { ListKeeper } from "./apply-action.ts";
import { pass, play, playOut, run, setKey, stateFrom, subsetsOf, variantArb } from "./helpers.test.ts";

const HANDS = ["3D 4D 5D 9S KS", "3C 6C 6D TD AD", "3H 4H 7H JD 2D", "3S 4S 8S QD 2S"];
const start = (variant = {}): DealState => stateFrom(HANDS, { variant, mustContain: "3D" });

/** Applies an action that must be refused with `code`, and checks nothing changed. */
function refused(state: DealState, action: Action, code: RuleCode): void {
  const before = structuredClone(state);
  const r = applyAction(state, action);
  assert.equal(r.ok, false, `${JSON.stringify(action)} should be refused`);
  if (!r.ok) {
    assert.equal(r.code, code, r.message);
    assert.ok(r.message.length > 0);
  }
  assert.deepEqual(state, before);
}

describe("applyAction: checks", () => {
  test("every rejection code, each leaving the state unchanged", () => {
    const s = start();
    assert.equal(s.turn, 0);
    refused(s, play(1, "3C"), "turn/not-yours");
    refused(s, pass(0), "pass/leader-cannot-pass");
    refused(s, { type: "pass", seat: 4 }, "seat/invalid");
    refused(s, { type: "pass", seat: 1.5 }, "seat/invalid");
    refused(s, { type: "pass", seat: -1 }, "seat/invalid");
    refused(s, { type: "play", seat: 0, cards: [] }, "play/empty");
    refused(s, play(0, "3D 3D"), "play/duplicate-cards");
    refused(s, play(0, "3C"), "play/cards-not-in-hand");
    refused(s, { type: "play", seat: 0, cards: ["XX" as never] }, "play/cards-not-in-hand");
    refused(s, play(0, "3D 4D"), "play/not-a-combination");
    refused(s, play(0, "4D"), "play/must-include-start");

    const s1 = run(s, [play(0, "3D")]);
    refused(s1, play(1, "6C 6D"), "play/wrong-size");
    const s2 = run(s1, [play(1, "TD")]);
    refused(s2, play(2, "7H"), "play/not-higher");
    refused(s2, play(2, "3H 4H 7H JD 2D"), "play/not-a-combination");
  });

  test("a play: hand, counts, top, played, playedAny, history and the turn move on", () => {
    const r = applyAction(start(), play(0, "3D"));
    assert.ok(r.ok);
    assert.deepEqual(r.event, { type: "play", seat: 0, combo: { kind: "single", cards: ["3D"] }, auto: false });
    const s = r.state;
    assert.deepEqual(s.hands[0], parseCards("4D 5D 9S KS"));
    assert.deepEqual(s.counts, [4, 5, 5, 5]);
    assert.deepEqual(s.top, { seat: 0, combo: { kind: "single", cards: ["3D"] } });
    assert.deepEqual(s.played, ["3D"]);
    assert.deepEqual(s.playedAny, [true, false, false, false]);
    assert.equal(s.mustContain, null);
    assert.equal(s.turn, 1);
    assert.deepEqual(s.history, [r.event]);
  });

  test("the played cards are stored sorted, whatever order they were sent in", () => {
    const s = stateFrom(["3D 3S 9D", "4D 5D"]);
    const r = applyAction(s, play(0, "3S 3D"));
    assert.ok(r.ok);
    assert.deepEqual(r.event.type === "play" && r.event.combo.cards, ["3D", "3S"]);
  });

  test("the trick ends when everyone else has passed; the last player leads anything", () => {
    let s = run(start(), [play(0, "3D"), play(1, "TD"), pass(2), play(3, "QD"), pass(0), pass(1)]);
    assert.deepEqual(s.passed, [true, true, false, false]);
    assert.equal(s.turn, 2);
    s = run(s, [pass(2)]);
    assert.equal(s.top, null);
    assert.equal(s.turn, 3);
    assert.deepEqual(s.passed, [false, false, false, false]);
    refused(s, pass(3), "pass/leader-cannot-pass");
    s = run(s, [play(3, "3S")]);
    assert.equal(s.turn, 0);
  });

  test("default: a player who passed may play again later in the same trick", () => {
    const s = run(start(), [play(0, "3D"), pass(1), play(2, "7H"), play(3, "QD"), play(0, "KS")]);
    assert.equal(s.turn, 1);
    assert.deepEqual(s.passed, [false, false, false, false]);
    const after = run(s, [play(1, "AD")]);
    assert.equal(after.top?.seat, 1);
  });

  test("passLocksTrick: a player who passed is skipped until the trick ends", () => {
    const v = { passLocksTrick: true };
    let s = run(start(v), [play(0, "3D"), pass(1), play(2, "7H"), play(3, "QD"), play(0, "KS")]);
    assert.deepEqual(s.passed, [false, true, false, false]);
    assert.equal(s.turn, 2, "seat 1 is skipped");
    refused(s, play(1, "AD"), "turn/not-yours");
    s = run(s, [pass(2), play(3, "2S")]);
    assert.equal(s.turn, 0, "seat 0 has not passed: it may still answer");
    s = run(s, [pass(0)]);
    assert.equal(s.top, null, "0, 1 and 2 locked: the trick ends");
    assert.equal(s.turn, 3);
    assert.deepEqual(s.passed, [false, false, false, false]);
  });

  test("passLocksTrick: the trick ends as soon as all but the last player are locked", () => {
    const s = run(start({ passLocksTrick: true }), [play(0, "3D"), pass(1), play(2, "7H"), pass(3), pass(0)]);
    assert.equal(s.top, null);
    assert.equal(s.turn, 2);
  });

  test("the deal ends when a hand is empty; the winner is set and nothing more is accepted", () => {
    const s = run(stateFrom(["3D 9S", "4D 5D", "6D 7D"], { mustContain: "3D" }), [play(0, "3D"), play(1, "5D"), play(2, "7D"), pass(0), pass(1)]);
    assert.equal(s.turn, 2);
    const end = run(s, [play(2, "6D")]);
    assert.equal(end.winner, 2);
    assert.equal(end.turn, -1);
    assert.deepEqual(end.counts, [1, 1, 0]);
    refused(end, play(0, "9S"), "deal/over");
    refused(end, { type: "pass", seat: 9 }, "deal/over");
    assert.throws(() => autoAction(end), /over/);
  });
});

describe("applyAction: timeout", () => {
  test("the leader with a start card plays it, marked auto", () => {
    const r = applyAction(start(), { type: "timeout", seat: 0 });
    assert.ok(r.ok);
    assert.deepEqual(r.event, { type: "play", seat: 0, combo: { kind: "single", cards: ["3D"] }, auto: true });
  });

  test("a follower passes; a free leader plays the lowest single", () => {
    let s = run(start(), [play(0, "3D")]);
    const r = applyAction(s, { type: "timeout", seat: 1 });
    assert.ok(r.ok);
    assert.deepEqual(r.event, { type: "pass", seat: 1, auto: true });
    s = stateFrom(HANDS, { turn: 2 });
    assert.deepEqual(autoAction(s), { type: "play", seat: 2, cards: ["3H"] });
    const r2 = applyAction(s, { type: "timeout", seat: 2 });
    assert.ok(r2.ok && r2.event.type === "play" && r2.event.auto);
  });

  test("the lowest single follows the suit order", () => {
    const s = stateFrom(["3D 3C 5S", "4D"], { turn: 0, variant: { suitOrder: "CDHS" } });
    assert.deepEqual(autoAction(s), { type: "play", seat: 0, cards: ["3C"] });
  });

  test("a timeout for a seat whose turn it is not is refused", () => {
    refused(start(), { type: "timeout", seat: 2 }, "turn/not-yours");
  });
});

const dealArb = fc.record({
  variant: variantArb,
  seats: fc.integer({ min: 2, max: 4 }),
  seed: fc.string({ maxLength: 12 }),
  leader: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 3 }),
});

function dealOf(d: { variant: DealState["variant"]; seats: number; seed: string; leader: number | null }): DealState {
  return newDeal({ variant: d.variant, seats: d.seats, seed: d.seed, leader: d.leader === null ? null : d.leader % d.seats });
}

describe("applyAction: properties", () => {
  test("random legal play ends with exactly one winner, 52 cards conserved, zero-sum scores", () => {
    fc.assert(
      fc.property(dealArb, fc.string({ maxLength: 8 }), (d, playSeed) => {
        const initial = dealOf(d);
        const { states, events } = playOut(initial, playSeed);
        for (const s of states) {
          const cards = [...s.hands.flat(), ...s.played, ...s.setAside];
          assert.equal(cards.length, 52);
          assert.equal(new Set(cards).size, 52);
          assert.deepEqual(s.counts, s.hands.map((h) => h.length));
          for (const h of s.hands) assert.deepEqual(h, sortCards(h, s.variant));
        }
        const end = states[states.length - 1];
        assert.ok(end.winner !== null);
        assert.equal(end.turn, -1);
        assert.deepEqual(end.hands.map((h, i) => i).filter((i) => end.hands[i].length === 0), [end.winner]);
        assert.deepEqual(end.history, events);
        const score = scoreDeal(end);
        assert.equal(score.scores.reduce((sum, x) => sum + x.delta, 0), 0);
        assert.equal(score.winner, end.winner);
      }),
      { numRuns: 150 },
    );
  });

  test("an illegal action never changes the state, and no action mutates its input", () => {
    const deck = fullDeck();
    const probe = fc.record({
      type: fc.constantFrom("play" as const, "pass" as const, "timeout" as const),
      seatShift: fc.integer({ min: -1, max: 4 }),
      own: fc.boolean(),
      picks: fc.array(fc.nat({ max: 51 }), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(dealArb, fc.array(probe, { minLength: 1, maxLength: 20 }), (d, probes) => {
        const { states } = playOut(dealOf(d), "probe");
        states.forEach((s, i) => {
          const p = probes[i % probes.length];
          const seat = p.seatShift === -1 ? -1 : (Math.max(s.turn, 0) + p.seatShift) % (s.seats + 1);
          const pool = p.own && seat >= 0 && seat < s.seats && s.hands[seat].length > 0 ? s.hands[seat] : deck;
          const cards = p.picks.map((k) => pool[k % pool.length]);
          const action: Action = p.type === "play" ? { type: "play", seat, cards } : { type: p.type, seat };
          const before = structuredClone(s);
          const r = applyAction(s, action);
          assert.deepEqual(s, before);
          if (r.ok && action.type === "play") {
            const legal = legalActions(viewFor(s, seat)).plays.map((c) => setKey(c.cards));
            assert.ok(legal.includes(setKey(cards)), `accepted ${cards} must be a legal play`);
          }
        });
      }),
      { numRuns: 60 },
    );
  });

  test("every enumerated legal play is accepted by the reducer, and nothing else; pass iff canPass", () => {
    fc.assert(
      fc.property(dealArb, (d) => {
        const { states } = playOut(dealOf(d), "oracle");
        for (let i = 0; i < states.length - 1; i += 9) {
          const s = states[i];
          const seat = s.turn;
          const la = legalActions(viewFor(s, seat));
          const legal = new Set(la.plays.map((c) => setKey(c.cards)));
          const accepted = new Set<string>();
          const hand = s.hands[seat];
          for (let size = 1; size <= Math.min(5, hand.length); size++) {
            for (const cards of subsetsOf(hand, size)) if (applyAction(s, { type: "play", seat, cards }).ok) accepted.add(setKey(cards));
          }
          assert.deepEqual([...accepted].sort(), [...legal].sort());
          assert.equal(applyAction(s, { type: "pass", seat }).ok, la.canPass);
        }
      }),
      { numRuns: 25 },
    );
  });

  test("a keeper that grows history and played in place gets the same states, and runs once per accepted action only", () => {
    const deck = fullDeck();
    fc.assert(
      fc.property(dealArb, fc.nat(), (d, pick) => {
        const initial = dealOf(d);
        const { states, events } = playOut(initial, "keeper");
        let s = structuredClone(initial);
        const { history, played } = s;
        const calls: DealEvent[] = [];
        // What the table does: the current state's own arrays take the event.
        const keep: ListKeeper = (event, state) => {
          assert.equal(state, s, "the state the action applies to");
          calls.push(event);
          state.history.push(event);
          if (event.type === "play") state.played.push(...event.combo.cards);
          return { history: state.history, played: state.played };
        };
        events.forEach((event, i) => {
          // Two refusals first (not the seat to act; a card not in hand): the keeper must not run.
          const other = (s.turn + 1) % s.seats;
          assert.equal(applyAction(s, { type: "pass", seat: other }, keep).ok, false);
          const absent = deck.filter((c) => !s.hands[s.turn].includes(c));
          assert.equal(applyAction(s, { type: "play", seat: s.turn, cards: [absent[pick % absent.length]] }, keep).ok, false);
          assert.equal(calls.length, i);
          const action: Action = event.auto
            ? { type: "timeout", seat: event.seat }
            : event.type === "play"
              ? { type: "play", seat: event.seat, cards: event.combo.cards }
              : { type: "pass", seat: event.seat };
          const r = applyAction(s, action, keep);
          assert.ok(r.ok);
          assert.deepEqual(r.event, event);
          assert.equal(r.state.history, history, "the keeper's arrays, not copies");
          assert.equal(r.state.played, played);
          assert.deepEqual(r.state, states[i + 1]);
          s = r.state;
        });
        assert.deepEqual(calls, events);
      }),
      { numRuns: 60 },
    );
  });
});
