import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { legalPlays } from "./legal-plays.ts";
import { beats, classify } from "./combos.ts";
import { compareCards, formatCards, parseCards } from "./cards.ts";
import type { Combo, Variant } from "./types.ts";
import { bruteForcePlays, comboArb, handArb, setKey, subsetsOf, variantArb } from "./helpers.test.ts";
import { resolveVariant } from "./variant.ts";

const combo = (text: string, variant?: Partial<Variant>): Combo => {
  const c = classify(parseCards(text), variant);
  assert.ok(c !== null);
  return c;
};
const list = (plays: Combo[]): string[] => plays.map((p) => formatCards(p.cards));

test("the test oracle: subsetsOf counts binomials and bruteForcePlays agrees on a tiny hand", () => {
  assert.equal(subsetsOf([1, 2, 3, 4, 5, 6], 3).length, 20);
  assert.deepEqual(
    bruteForcePlays(parseCards("3D 3C 4D"), null, resolveVariant()).map((c) => setKey(c.cards)),
    ["3D", "3C", "4D", "3C 3D"],
  );
});

describe("legalPlays", () => {
  test("leading: every combination, ascending by size then strength", () => {
    const hand = parseCards("3D 3C 3H 4S 5D 6C 7H 9S");
    assert.deepEqual(list(legalPlays(hand, null)), [
      "3D", "3C", "3H", "4S", "5D", "6C", "7H", "9S",
      "3D 3C", "3D 3H", "3C 3H",
      "3D 3C 3H",
      "3D 4S 5D 6C 7H", "3C 4S 5D 6C 7H", "3H 4S 5D 6C 7H",
    ]);
  });

  test("following: only the same size and higher", () => {
    const hand = parseCards("3D 3C 3H 4S 5D 6C 7H 9S 9H");
    assert.deepEqual(list(legalPlays(hand, combo("7S"))), ["9H", "9S"]);
    assert.deepEqual(list(legalPlays(hand, combo("3D 3S"))), ["9H 9S"]);
    assert.deepEqual(list(legalPlays(hand, combo("3C 3S"))), ["9H 9S"]);
    assert.deepEqual(list(legalPlays(hand, combo("3D 3C"))), ["3D 3H", "3C 3H", "9H 9S"]);
    assert.deepEqual(list(legalPlays(hand, combo("2D 2C 2H"))), []);
    assert.deepEqual(list(legalPlays(hand, combo("3D 4D 5D 6D 8D"))), ["3D 3C 3H 9H 9S"], "a full house beats a flush");
    assert.deepEqual(list(legalPlays(hand, combo("4D 4C 4H 5C 5H"))), []);
    assert.deepEqual(list(legalPlays(hand, combo("3S 4D 5C 6H 7D"))), [
      "3D 4S 5D 6C 7H", "3C 4S 5D 6C 7H", "3H 4S 5D 6C 7H", "3D 3C 3H 9H 9S",
    ]);
    assert.deepEqual(list(legalPlays(hand, combo("3S 4D 5C 6H 7S"))), ["3D 3C 3H 9H 9S"]);
  });

  test("five-card hands of every category, and only higher categories over a four", () => {
    const hand = parseCards("5D 5C 5H 5S 6S 7S 8S 9S KD KC");
    const lead = legalPlays(hand, null).filter((c) => c.cards.length === 5);
    const kinds = new Set(lead.map((c) => c.kind));
    assert.deepEqual([...kinds].sort(), ["fourOfAKind", "fullHouse", "straight", "straightFlush"]);
    assert.deepEqual(list(legalPlays(hand, combo("4D 4C 4H 4S 2S"))), [
      "5D 5C 5H 5S 6S", "5D 5C 5H 5S 7S", "5D 5C 5H 5S 8S", "5D 5C 5H 5S 9S", "5D 5C 5H 5S KD", "5D 5C 5H 5S KC",
      "5S 6S 7S 8S 9S",
    ]);
    assert.deepEqual(list(legalPlays(hand, combo("4S 5S 6S 7S 8S"))), ["5S 6S 7S 8S 9S"]);
    assert.deepEqual(list(legalPlays(hand, combo("5H 6H 7H 8H 9H"))), ["5S 6S 7S 8S 9S"]);
  });

  test("the straight set decides what is enumerated", () => {
    const hand = parseCards("AD 2C 3H 4S 5D 6C");
    const fives = (straights: Variant["straights"]) =>
      list(legalPlays(hand, null, { straights }).filter((c) => c.cards.length === 5));
    assert.deepEqual(fives("classic"), []);
    assert.deepEqual(fives("poker"), ["3H 4S 5D AD 2C", "3H 4S 5D 6C 2C"]);
    assert.deepEqual(fives("taiwan"), ["3H 4S 5D 6C 2C", "3H 4S 5D AD 2C"]);
  });

  test("the input hand is not changed; repeated cards count once; an empty hand has no plays", () => {
    const hand = parseCards("9S 3D 9H");
    const copy = hand.slice();
    legalPlays(hand, null);
    assert.deepEqual(hand, copy);
    assert.deepEqual(list(legalPlays(parseCards("3D 3D 3C"), null)), ["3D", "3C", "3D 3C"]);
    assert.deepEqual(legalPlays([], null), []);
    assert.deepEqual(legalPlays([], combo("3D")), []);
  });

  test("a table that is not a combination throws a TypeError", () => {
    assert.throws(() => legalPlays(parseCards("3D"), { kind: "pair", cards: parseCards("3C 4C") }), TypeError);
  });

  test("property: equals the brute-force set of subsets (sizes 1, 2, 3, 5) that classify and beat the table", () => {
    fc.assert(
      fc.property(
        variantArb.chain((v) => fc.tuple(fc.constant(v), handArb, fc.option(comboArb(v), { freq: 4 }))),
        ([v, hand, table]) => {
          const got = legalPlays(hand, table, v);
          const want = bruteForcePlays(hand, table, v);
          const gotKeys = got.map((c) => setKey(c.cards));
          assert.equal(new Set(gotKeys).size, gotKeys.length, "distinct card sets");
          assert.deepEqual(gotKeys.slice().sort(), want.map((c) => setKey(c.cards)).sort());
          for (const c of got) assert.deepEqual(c, classify(c.cards, v), "each combo as classify gives it");
        },
      ),
      { numRuns: 250 },
    );
  });

  test("property: ascending order (size, then strength, then ties by cards from the highest down)", () => {
    fc.assert(
      fc.property(
        variantArb.chain((v) => fc.tuple(fc.constant(v), handArb, fc.option(comboArb(v), { freq: 4 }))),
        ([v, hand, table]) => {
          const got = legalPlays(hand, table, v);
          for (let i = 1; i < got.length; i++) {
            const [a, b] = [got[i - 1], got[i]];
            assert.ok(a.cards.length <= b.cards.length);
            if (a.cards.length !== b.cards.length) continue;
            assert.ok(!beats(a, b, v), `${a.cards} before ${b.cards}`);
            if (!beats(b, a, v)) {
              // Equal strength: ordered by their cards from the highest card down.
              const k = a.cards.length - 1;
              let j = k;
              while (j > 0 && a.cards[j] === b.cards[j]) j--;
              assert.ok(compareCards(a.cards[j], b.cards[j], v) < 0, `${a.cards} before ${b.cards}`);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
