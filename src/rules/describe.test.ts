import { test } from "node:test";
import assert from "node:assert/strict";
import { describeCombo } from "./describe.ts";
import { classify } from "./combos.ts";
import { parseCards } from "./cards.ts";
import type { Variant } from "./types.ts";

const say = (text: string, variant?: Partial<Variant>): string => {
  const c = classify(parseCards(text), variant);
  assert.ok(c !== null, text);
  return describeCombo(c);
};

test("describeCombo: short plain language for every kind", () => {
  assert.equal(say("3D"), "3♦");
  assert.equal(say("TS"), "10♠");
  assert.equal(say("7D 7S"), "pair of 7s");
  assert.equal(say("TD TS"), "pair of 10s");
  assert.equal(say("9D 9C 9S"), "triple 9s");
  assert.equal(say("5D 6C 7H 8S 9S"), "straight to 9♠");
  assert.equal(say("JD QC KH AS 2D"), "straight to 2♦");
  assert.equal(say("3H 6H 8H TH KH"), "flush, K high");
  assert.equal(say("4D 4C 8D 8C 8S"), "full house, 8s");
  assert.equal(say("5D 5C 5H 5S KD"), "four 5s");
  assert.equal(say("3D 5D 5C 5H 5S"), "four 5s");
  assert.equal(say("7H 8H 9H TH JH"), "straight flush to J♥");
});

test("describeCombo: the wrap-around straights name the run and the deciding 2", () => {
  assert.equal(say("AD 2S 3H 4S 5D", { straights: "poker" }), "straight A–5, 2♠ high");
  assert.equal(say("2C 3H 4S 5D 6D", { straights: "taiwan" }), "straight 2–6, 2♣ high");
  assert.equal(say("AH 2H 3H 4H 5H", { straights: "taiwan" }), "straight flush A–5, 2♥ high");
});
