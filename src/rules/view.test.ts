import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { applyEvent, publicView, viewFor } from "./view.ts";
import { newDeal } from "./deal.ts";
import { applyAction } from "./apply-action.ts";
import { checkPlay, legalActions } from "./legal-actions.ts";
import { parseCards } from "./cards.ts";
import type { Card, DealState, PlayerView } from "./types.ts";
import { play, playOut, run, stateFrom, variantArb } from "./helpers.test.ts";

const cardsIn = (value: unknown): Set<string> => new Set(JSON.stringify(value).match(/\b[3-9TJQKA2][DCHS]\b/g) ?? []);

describe("viewFor / publicView", () => {
  test("a player sees its own hand and the public deal, nothing else", () => {
    const s = newDeal({ seats: 4, seed: "views" });
    const v = viewFor(s, 1);
    assert.deepEqual(v.hand, s.hands[1]);
    assert.equal(v.seat, 1);
    assert.deepEqual(Object.keys(v).sort(), [
      "counts", "hand", "history", "mustContain", "passed", "played", "playedAny", "seat", "seats", "top", "turn", "variant", "winner",
    ]);
    for (const other of [0, 2, 3]) for (const card of s.hands[other]) assert.ok(!cardsIn(v).has(card));
    const p = publicView(s);
    assert.ok(!("hand" in p) && !("hands" in p) && !("setAside" in p));
    assert.deepEqual(cardsIn(p), new Set());
  });

  test("the must-contain card is shown only to the seat that holds it", () => {
    const s = newDeal({ seats: 4, seed: "views" });
    for (let seat = 0; seat < 4; seat++) assert.equal(viewFor(s, seat).mustContain, seat === s.turn ? "3D" : null);
    assert.equal(publicView(s).mustContain, null);
  });

  test("a view is a copy: changing it does not change the state", () => {
    const s = newDeal({ seats: 4, seed: "copy" });
    const v = viewFor(s, 0);
    v.hand.pop();
    v.counts[0] = 99;
    assert.equal(s.hands[0].length, 13);
    assert.equal(s.counts[0], 13);
  });

  test("a bad seat throws a RangeError", () => {
    const s = newDeal({ seats: 2, seed: "x" });
    assert.throws(() => viewFor(s, 2), RangeError);
    assert.throws(() => viewFor(s, -1), RangeError);
  });
});

describe("applyEvent", () => {
  test("folds a play into the player's view, removing its own cards; keeps extra fields", () => {
    const s = stateFrom(["3D 4D 9S", "5D 6D 7D"], { mustContain: "3D" });
    const r = applyAction(s, play(0, "3D"));
    assert.ok(r.ok);
    const mine = { ...viewFor(s, 0), note: "kept" };
    const next = applyEvent(mine, r.event);
    assert.deepEqual(next.hand, parseCards("4D 9S"));
    assert.equal(next.note, "kept");
    assert.deepEqual(mine.hand, parseCards("3D 4D 9S"), "input untouched");
    const theirs = applyEvent(viewFor(s, 1), r.event);
    assert.deepEqual(theirs.hand, parseCards("5D 6D 7D"));
    assert.deepEqual(theirs, viewFor(r.state, 1));
    assert.deepEqual(next, { ...viewFor(r.state, 0), note: "kept" });
    assert.throws(() => applyEvent(s, r.event), TypeError, "a DealState is advanced by applyAction");
  });

  test("property: events folded into the initial views give every later view, for every seat and spectators", () => {
    fc.assert(
      fc.property(
        variantArb,
        fc.integer({ min: 2, max: 4 }),
        fc.string({ maxLength: 10 }),
        fc.boolean(),
        (variant, seats, seed, withLeader) => {
          const initial = newDeal({ variant, seats, seed, leader: withLeader ? seats - 1 : null });
          const { states, events } = playOut(initial, seed);
          const views: PlayerView[] = Array.from({ length: seats }, (_, seat) => viewFor(initial, seat));
          let spectator = publicView(initial);
          events.forEach((event, i) => {
            const s = states[i + 1];
            for (let seat = 0; seat < seats; seat++) {
              views[seat] = applyEvent(views[seat], event);
              assert.deepEqual(views[seat], viewFor(s, seat));
            }
            spectator = applyEvent(spectator, event);
            assert.deepEqual(spectator, publicView(s));
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  test("property: a caller that keeps history and played itself gets the same views, holding its arrays", () => {
    fc.assert(
      fc.property(variantArb, fc.integer({ min: 2, max: 4 }), fc.string({ maxLength: 10 }), (variant, seats, seed) => {
        const initial = newDeal({ variant, seats, seed });
        const { states, events } = playOut(initial, seed);
        let view = viewFor(initial, 0);
        const history = view.history.slice();
        const played = view.played.slice();
        events.forEach((event, i) => {
          history.push(event);
          if (event.type === "play") played.push(...event.combo.cards);
          view = applyEvent(view, event, { history, played });
          assert.equal(view.history, history);
          assert.equal(view.played, played);
          assert.deepEqual(view, viewFor(states[i + 1], 0));
        });
      }),
      { numRuns: 40 },
    );
  });

  test("property: no view ever holds another seat's cards or the set-aside cards", () => {
    fc.assert(
      fc.property(variantArb, fc.integer({ min: 2, max: 4 }), fc.string({ maxLength: 10 }), (variant, seats, seed) => {
        const { states } = playOut(newDeal({ variant, seats, seed }), seed);
        for (const s of states) {
          const played = new Set<string>(s.played);
          for (let seat = 0; seat < seats; seat++) {
            const allowed = new Set<string>([...played, ...s.hands[seat]]);
            for (const card of cardsIn(viewFor(s, seat))) assert.ok(allowed.has(card), `seat ${seat} sees ${card}`);
          }
          for (const card of cardsIn(publicView(s))) assert.ok(played.has(card), `spectators see ${card}`);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("legalActions / checkPlay on a view", () => {
  test("the leader cannot pass and must include the start card", () => {
    const s = stateFrom(["3D 3C 9S", "5D 6D 7D"], { mustContain: "3D" });
    const la = legalActions(viewFor(s, 0));
    assert.equal(la.canPass, false);
    assert.deepEqual(la.plays.map((c) => c.cards.join(" ")), ["3D", "3D 3C"]);
    assert.deepEqual(legalActions(viewFor(s, 1)), { canPass: false, plays: [] }, "not its turn");
  });

  test("a follower may pass; checkPlay gives the reducer's answers", () => {
    const s = run(stateFrom(["3D 3C 9S", "5D 5C 7D"], { mustContain: "3D" }), [play(0, "3D")]);
    const v = viewFor(s, 1);
    assert.equal(legalActions(v).canPass, true);
    assert.deepEqual(checkPlay(v, parseCards("7D")), { ok: true, combo: { kind: "single", cards: ["7D"] } });
    const bad = checkPlay(v, parseCards("5D 5C"));
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.code, "play/wrong-size");
    assert.equal((checkPlay(viewFor(s, 0), parseCards("9S")) as { code: string }).code, "turn/not-yours");
  });

  test("checkPlay agrees with applyAction on random plays", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (seed, picks) => {
        const { states } = playOut(newDeal({ seats: 4, seed }), seed);
        for (const s of states.slice(0, -1)) {
          const hand = s.hands[s.turn];
          const cards = [...new Set(picks.map((k) => hand[k % hand.length]))] as Card[];
          const a = checkPlay(viewFor(s, s.turn), cards);
          const b = applyAction(s as DealState, { type: "play", seat: s.turn, cards });
          assert.equal(a.ok, b.ok);
          if (!a.ok && !b.ok) assert.equal(a.code, b.code);
        }
      }),
      { numRuns: 40 },
    );
  });
});
