import { test } from "node:test";
import assert from "node:assert/strict";
import { scoreDeal } from "./scoring.ts";
import { newDeal } from "./deal.ts";
import type { DealState, Variant } from "./types.ts";
import { parseCards } from "./cards.ts";
import { stateFrom } from "./helpers.test.ts";

/** A finished deal: seat 0 won; `played` marks who played at least one card. */
function finished(hands: string[], played: boolean[], variant: Partial<Variant> = {}): DealState {
  const s = stateFrom(hands, { variant, turn: 0 });
  return { ...s, winner: 0, turn: -1, playedAny: played };
}

const THIRTEEN = "3D 4D 5D 6D 7D 8D 9D TD JD QD KD AD 3C";

test("penalty: cards left; doubled from 10; tripled if never played; zero-sum", () => {
  const s = finished(["", "3S 4S 5S 6S 7S 8S 9S TS JS", "3H 4H 5H 6H 7H 8H 9H TH JH QH", THIRTEEN], [true, true, true, false]);
  const r = scoreDeal(s);
  assert.equal(r.winner, 0);
  assert.deepEqual(r.scores, [
    { cardsLeft: 0, penalty: 0, delta: 9 + 20 + 39 },
    { cardsLeft: 9, penalty: 9, delta: -9 },
    { cardsLeft: 10, penalty: 20, delta: -20 },
    { cardsLeft: 13, penalty: 39, delta: -39 },
  ]);
  assert.deepEqual(r.hands[1], parseCards("3S 4S 5S 6S 7S 8S 9S TS JS"));
});

test("13 cards left after playing is only doubled; tripleIfUnplayed false doubles the unplayed hand", () => {
  const s = finished(["", THIRTEEN], [true, true]);
  assert.equal(scoreDeal(s).scores[1].penalty, 26);
  const t = finished(["", THIRTEEN], [true, false], { tripleIfUnplayed: false });
  assert.equal(scoreDeal(t).scores[1].penalty, 26);
});

test("doubleAt moves the doubling threshold", () => {
  const s = finished(["", "3S 4S 5S 6S 7S", "3H 4H 5H 6H"], [true, true, true], { doubleAt: 5 });
  assert.deepEqual(scoreDeal(s).scores.map((x) => x.penalty), [0, 10, 4]);
});

test("twosDouble: each 2 left doubles the penalty once more", () => {
  const hands = ["", "2S 2H 5S", "2D 4H", "5H"];
  const on = scoreDeal(finished(hands, [true, true, true, true], { twosDouble: true }));
  assert.deepEqual(on.scores.map((x) => x.penalty), [0, 12, 4, 1]);
  assert.equal(on.scores[0].delta, 17);
  const off = scoreDeal(finished(hands, [true, true, true, true]));
  assert.deepEqual(off.scores.map((x) => x.penalty), [0, 3, 2, 1]);
});

test("twosDouble stacks with the triple: 13 unplayed cards with two 2s", () => {
  const s = finished(["", "3D 4D 5D 6D 7D 8D 9D TD JD QD KD 2D 2C"], [true, false], { twosDouble: true });
  assert.equal(scoreDeal(s).scores[1].penalty, 13 * 3 * 4);
});

test("a deal without a winner throws", () => {
  assert.throws(() => scoreDeal(newDeal({ seats: 4, seed: "x" })), /no winner/);
});
