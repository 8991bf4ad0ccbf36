import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { beats, classify } from "./combos.ts";
import { parseCards } from "./cards.ts";
import type { Combo, ComboKind, Variant } from "./types.ts";
import { comboArb, variantArb } from "./helpers.test.ts";

const c = (text: string, variant?: Partial<Variant>): Combo => {
  const combo = classify(parseCards(text), variant);
  assert.ok(combo !== null, `${text} should be a combination`);
  return combo;
};
const kind = (text: string, variant?: Partial<Variant>): ComboKind | null =>
  classify(parseCards(text), variant)?.kind ?? null;
const wins = (a: string, b: string, variant?: Partial<Variant>): boolean => beats(c(a, variant), c(b, variant), variant);

describe("classify", () => {
  test("every kind, cards sorted by single order", () => {
    assert.deepEqual(c("2S"), { kind: "single", cards: ["2S"] });
    assert.deepEqual(c("7S 7D"), { kind: "pair", cards: ["7D", "7S"] });
    assert.deepEqual(c("9H 9D 9C"), { kind: "triple", cards: ["9D", "9C", "9H"] });
    assert.deepEqual(c("7C 3D 5H 4S 6D"), { kind: "straight", cards: ["3D", "4S", "5H", "6D", "7C"] });
    assert.deepEqual(c("KH 3H 8H 5H TH"), { kind: "flush", cards: ["3H", "5H", "8H", "TH", "KH"] });
    assert.equal(kind("8D 8C 8S 4H 4D"), "fullHouse");
    assert.equal(kind("4H 4D 8D 8C 8S"), "fullHouse");
    assert.equal(kind("5D 5C 5H 5S KD"), "fourOfAKind");
    assert.equal(kind("3S 5D 5C 5H 5S"), "fourOfAKind");
    assert.deepEqual(c("JH 7H 8H 9H TH"), { kind: "straightFlush", cards: ["7H", "8H", "9H", "TH", "JH"] });
  });

  test("anything else is not a combination", () => {
    for (const bad of [
      "", "3D 4D", "3D 3C 4D", "3D 3C 3H 3S", "3D 3C 4D 4C 5H", "3D 4C 5H 6S 8D", "3D 3C 3H 3S 4D 4C",
      "3D 4D 5D 6D 7D 8D", "3D 3D", "3D 3C 3H 3S 3D", "3D 4C 5H 6S 6D",
    ]) {
      assert.equal(classify(parseCards(bad)), null, bad);
    }
  });

  test("a string that is not a card throws a RangeError", () => {
    assert.throws(() => classify(["3D", "ZZ" as never]), RangeError);
  });

  test("straight sets: JQKA2, A2345 and 23456", () => {
    const cases: [string, Record<Variant["straights"], ComboKind | null>][] = [
      ["JD QC KH AS 2D", { classic: "straight", poker: null, taiwan: null }],
      ["AD 2C 3H 4S 5D", { classic: null, poker: "straight", taiwan: "straight" }],
      ["2C 3H 4S 5D 6D", { classic: null, poker: "straight", taiwan: "straight" }],
      ["TD JC QH KS AD", { classic: "straight", poker: "straight", taiwan: "straight" }],
      ["QD KC AH 2S 3D", { classic: null, poker: null, taiwan: null }],
      ["KD AC 2H 3S 4D", { classic: null, poker: null, taiwan: null }],
      ["AH 2H 3H 4H 5H", { classic: "flush", poker: "straightFlush", taiwan: "straightFlush" }],
      ["JH QH KH AH 2H", { classic: "straightFlush", poker: "flush", taiwan: "flush" }],
    ];
    for (const [cards, bySet] of cases) {
      for (const straights of ["classic", "poker", "taiwan"] as const) {
        assert.equal(kind(cards, { straights }), bySet[straights], `${cards} under ${straights}`);
      }
    }
  });
});

describe("beats", () => {
  test("singles: rank, then suit", () => {
    assert.ok(wins("4D", "3S"));
    assert.ok(wins("3S", "3H"));
    assert.ok(wins("2D", "AS"));
    assert.ok(!wins("3D", "3D"));
    assert.ok(wins("3D", "3C", { suitOrder: "CDHS" }));
    assert.ok(!wins("3D", "3C"));
  });

  test("pairs are decided by the higher card, so by suit within a rank", () => {
    assert.ok(wins("7D 7S", "7C 7H"));
    assert.ok(!wins("7C 7H", "7D 7S"));
    assert.ok(wins("8D 8C", "7H 7S"));
    assert.ok(!wins("7D 7S", "7C 7S"), "same higher card: neither beats the other");
    assert.ok(!wins("7C 7S", "7D 7S"));
    assert.ok(wins("JD JS", "JC JH", { suitOrder: "CDHS" }));
    assert.ok(!wins("5C 5D", "5C 5D"));
  });

  test("triples by rank", () => {
    assert.ok(wins("4D 4C 4H", "3C 3H 3S"));
    assert.ok(wins("2D 2C 2H", "AC AH AS"));
    assert.ok(!wins("9D 9C 9H", "9D 9C 9S"), "same rank ties (only possible across hands in theory)");
  });

  test("different sizes never beat each other", () => {
    assert.ok(!wins("2S 2H", "3D"));
    assert.ok(!wins("2D 2C 2H", "3D 3C"));
    assert.ok(!wins("5D 5C 5H 5S 3D", "2S"));
  });

  test("five-card categories: straight < flush < full house < four < straight flush", () => {
    const ladder = ["TD JC QH KS AD", "3H 5H 7H 9H JH", "3D 3C 3H 4D 4C", "3D 3C 3H 3S 4D", "3C 4C 5C 6C 7C"];
    for (let i = 0; i < ladder.length; i++) {
      for (let j = 0; j < ladder.length; j++) {
        assert.equal(wins(ladder[i], ladder[j]), i > j, `${ladder[i]} vs ${ladder[j]}`);
      }
    }
    assert.ok(wins("3H 5H 7H 9H JH", "JD QC KH AS 2S"), "the lowest flush beats the highest straight");
  });

  test("straights: JQKA2 beats TJQKA (classic); sequence first, then the highest card's suit", () => {
    assert.ok(wins("JD QC KH AS 2D", "TS JS QS KS AH"));
    assert.ok(wins("4D 5C 6H 7S 8D", "3S 4S 5S 6H 7S"));
    assert.ok(wins("3D 4D 5D 6D 7S", "3S 4S 5S 6S 7H"), "7S beats 7H whatever the other suits");
    assert.ok(!wins("3S 4S 5S 6S 7H", "3D 4D 5D 6C 7S"));
  });

  test("poker straights: A2345 lowest, then 23456, TJQKA highest", () => {
    const v = { straights: "poker" } as const;
    assert.ok(wins("2D 3C 4H 5S 6D", "AS 2S 3S 4S 5H", v));
    assert.ok(wins("3D 4C 5H 6S 7D", "2S 3S 4S 5S 6H", v));
    assert.ok(wins("TD JC QH KS AD", "9S TS JS QS KH", v));
    assert.ok(!wins("AS 2S 3D 4D 5D", "3D 4C 5H 6S 7D", v), "the 2S does not lift A2345");
    assert.ok(wins("AD 2S 3D 4D 5D", "AS 2H 3S 4S 5S", v), "same sequence: the 2's suit decides");
  });

  test("taiwan straights: 34567 lowest, TJQKA < 23456 < A2345", () => {
    const v = { straights: "taiwan" } as const;
    assert.ok(wins("2D 3C 4H 5S 6D", "TS JS QS KS AH", v));
    assert.ok(wins("AD 2C 3H 4S 5D", "2S 3S 4S 5S 6H", v));
    assert.ok(wins("4D 5C 6H 7S 8D", "3S 4S 5S 6S 7H", v));
    assert.ok(wins("AH 2H 3H 4H 5H", "2S 3S 4S 5S 6S", v), "straight flushes follow the same order");
  });

  test("flushes: ranks from the top, then suit (flushOrder rank)", () => {
    assert.ok(wins("3D 4D 5D 6D 9D", "3S 4S 5S 6S 8S"));
    assert.ok(wins("3D 5D 7D 9D KD", "4S 6S 8S TS QS"), "K high beats Q high");
    assert.ok(!wins("3D 5D 7D 9D KD", "2S 6S 8S TS QS"), "2 high beats K high");
    assert.ok(wins("4D 5D 7D 9D KD", "3S 5S 7S 9S KS"), "second-lowest card decides");
    assert.ok(wins("3S 5S 7S 9S KS", "3D 5D 7D 9D KD"), "same ranks: the suit decides");
    assert.ok(wins("3D 5D 7D 9D KD", "3C 5C 7C 9C KC", { suitOrder: "CDHS" }));
  });

  test("flushes under flushOrder suit: suit first, then ranks", () => {
    const v = { flushOrder: "suit" } as const;
    assert.ok(wins("3S 4S 5S 6S 8S", "3H 5H 7H 9H 2H", v));
    assert.ok(!wins("3S 4S 5S 6S 8S", "3H 5H 7H 9H 2H"), "the default orders by rank");
    assert.ok(wins("3S 4S 5S 6S 9S", "3S 4S 5S 6S 8S", v), "same suit: ranks decide");
    assert.ok(wins("3D 4D 5D 6D 8D", "3C 4C 5C 6C 9C", { flushOrder: "suit", suitOrder: "CDHS" }));
  });

  test("full house by the triple, four of a kind by the four", () => {
    assert.ok(wins("4D 4C 4H 3D 3C", "3H 3S 3D 2D 2C"));
    assert.ok(wins("9D 9C 9H 3D 3C", "8D 8C 8H AD AC"));
    assert.ok(wins("6D 6C 6H 6S 3D", "5D 5C 5H 5S 2S"));
    assert.ok(!wins("5D 5C 5H 5S 3D", "5D 5C 5H 5S 2S"), "the kicker does not count");
  });

  test("straight flushes: sequence, then suit", () => {
    assert.ok(wins("4D 5D 6D 7D 8D", "3S 4S 5S 6S 7S"));
    assert.ok(wins("3S 4S 5S 6S 7S", "3H 4H 5H 6H 7H"));
    assert.ok(wins("JD QD KD AD 2D", "TS JS QS KS AS"));
  });

  test("a non-combination throws a TypeError", () => {
    assert.throws(() => beats({ kind: "pair", cards: ["3D", "4D"] }, c("3C 3H")), TypeError);
    assert.throws(() => beats(c("3C 3H"), { kind: "pair", cards: ["3D"] }), TypeError);
  });

  test("property: a strict order within each size (irreflexive, asymmetric, transitive)", () => {
    fc.assert(
      fc.property(
        variantArb.chain((v) => fc.tuple(fc.constant(v), comboArb(v), comboArb(v), comboArb(v))),
        ([v, a, b, x]) => {
          assert.ok(!beats(a, a, v));
          if (beats(a, b, v)) assert.ok(!beats(b, a, v));
          if (beats(a, b, v) && beats(b, x, v)) assert.ok(beats(a, x, v));
          if (a.cards.length !== b.cards.length) assert.ok(!beats(a, b, v) && !beats(b, a, v));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("property: singles and flushes are totally ordered (distinct ones never tie)", () => {
    fc.assert(
      fc.property(
        variantArb.chain((v) => fc.tuple(fc.constant(v), comboArb(v), comboArb(v))),
        ([v, a, b]) => {
          const total = (k: ComboKind): boolean => k === "single" || k === "flush";
          if (a.kind === b.kind && total(a.kind) && a.cards.join() !== b.cards.join()) {
            assert.notEqual(beats(a, b, v), beats(b, a, v));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
