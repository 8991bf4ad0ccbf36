import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { legalPlays, parseCards } from "../rules/index.ts";
import type { Card } from "../rules/types.ts";
import { hintOrder, shapeOf } from "./hints.ts";

test("hint offers something different before another suit choice of the same pair", () => {
  const hand = parseCards("7D 7C 7H 9S JD") as Card[];
  const plays = legalPlays(hand, null).filter((p) => p.kind === "pair" || p.kind === "single");
  const order = hintOrder(plays);
  const shapes = order.map(shapeOf);
  // The first pair of 7s is followed by no other pair of 7s until every distinct shape was offered.
  const distinct = new Set(shapes).size;
  assert.equal(new Set(shapes.slice(0, distinct)).size, distinct, `first ${distinct} hints are all different: ${shapes.join(" ")}`);
  const sevens = order.filter((p) => p.kind === "pair");
  assert.equal(sevens.length, 3, "every pair of 7s is still offered");
  assert.ok(order.indexOf(sevens[1]) >= distinct, "the second pair of 7s comes after every shape");
});

test("hint order is a permutation of the engine's list that keeps its order among first shapes", () => {
  const deck = parseCards("3D 3C 3H 3S 4D 4C 5H 6S 7D 7C 7H 8S 9D TD JD QD KD AD 2D 2S") as Card[];
  fc.assert(
    fc.property(fc.subarray(deck, { minLength: 1, maxLength: 13 }), (hand) => {
      const plays = legalPlays(hand, null);
      const order = hintOrder(plays);
      assert.equal(order.length, plays.length);
      assert.deepEqual(new Set(order), new Set(plays));
      const shapes = order.map(shapeOf);
      const distinct = new Set(shapes).size;
      assert.equal(new Set(shapes.slice(0, distinct)).size, distinct);
      const firsts = order.slice(0, distinct);
      assert.deepEqual(firsts, plays.filter((p) => firsts.includes(p)), "engine order kept");
    }),
    { numRuns: 200 },
  );
});
