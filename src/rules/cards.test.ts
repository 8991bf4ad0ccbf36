import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { cardName, compareCards, formatCards, fullDeck, parseCard, parseCards, sortCards } from "./cards.ts";
import type { Card } from "./types.ts";

describe("parseCard / parseCards", () => {
  test("canonical, lower case, 10 for T, suit symbols", () => {
    assert.equal(parseCard("3D"), "3D");
    assert.equal(parseCard("qh"), "QH");
    assert.equal(parseCard("10s"), "TS");
    assert.equal(parseCard("10♠"), "TS");
    assert.equal(parseCard("a♥"), "AH");
    assert.equal(parseCard("2♣"), "2C");
    assert.equal(parseCard("7♦"), "7D");
    assert.equal(parseCard(" k♠️ "), "KS");
  });

  test("lists separated by spaces and/or commas", () => {
    assert.deepEqual(parseCards("3D 3C"), ["3D", "3C"]);
    assert.deepEqual(parseCards("3d,3c , 10♥\tJ♠\n2s"), ["3D", "3C", "TH", "JS", "2S"]);
    assert.deepEqual(parseCards(""), []);
    assert.deepEqual(parseCards("  , "), []);
  });

  test("a bad token throws a RangeError naming it", () => {
    for (const bad of ["1D", "3X", "11H", "D3", "", "TT", "3", "10", "ZZ"]) {
      assert.throws(() => parseCard(bad), (e: unknown) => e instanceof RangeError && e.message.includes(JSON.stringify(bad.trim())));
    }
    assert.throws(() => parseCards("3D 4Q 5S"), (e: unknown) => e instanceof RangeError && e.message.includes('"4Q"'));
  });

  test("format writes the canonical form and round-trips", () => {
    assert.equal(formatCards(parseCards("3d, 3c")), "3D 3C");
    assert.equal(formatCards([]), "");
    const deck = fullDeck();
    assert.deepEqual(parseCards(formatCards(deck)), deck);
  });
});

describe("fullDeck", () => {
  test("52 distinct cards, 3D first and 2S last", () => {
    const deck = fullDeck();
    assert.equal(deck.length, 52);
    assert.equal(new Set(deck).size, 52);
    assert.equal(deck[0], "3D");
    assert.equal(deck[51], "2S");
    deck.pop();
    assert.equal(fullDeck().length, 52, "returns a fresh array");
  });
});

describe("compareCards / sortCards", () => {
  test("rank first, then suit D < C < H < S", () => {
    assert.ok(compareCards("3D", "3C") < 0);
    assert.ok(compareCards("3S", "4D") < 0);
    assert.ok(compareCards("2D", "AS") > 0);
    assert.equal(compareCards("TH", "TH"), 0);
    assert.ok(compareCards("2S", "2H") > 0);
  });

  test("CDHS puts clubs below diamonds", () => {
    assert.ok(compareCards("3C", "3D", { suitOrder: "CDHS" }) < 0);
    assert.ok(compareCards("3C", "3D") > 0);
  });

  test("sortCards by rank and by suit, input untouched", () => {
    const cards: Card[] = ["2S", "3C", "3D", "KH", "5D"];
    const copy = cards.slice();
    assert.deepEqual(sortCards(cards), ["3D", "3C", "5D", "KH", "2S"]);
    assert.deepEqual(sortCards(cards, undefined, "suit"), ["3D", "5D", "3C", "KH", "2S"]);
    assert.deepEqual(sortCards(cards, { suitOrder: "CDHS" }), ["3C", "3D", "5D", "KH", "2S"]);
    assert.deepEqual(sortCards(cards, { suitOrder: "CDHS" }, "suit"), ["3C", "3D", "5D", "KH", "2S"]);
    assert.deepEqual(cards, copy);
  });

  test("a string that is not a card throws", () => {
    assert.throws(() => compareCards("3D", "XX" as Card), RangeError);
    assert.throws(() => sortCards(["3D", "1S" as Card]), RangeError);
  });
});

describe("cardName", () => {
  test("spoken names", () => {
    assert.equal(cardName("7H"), "seven of hearts");
    assert.equal(cardName("TS"), "ten of spades");
    assert.equal(cardName("3D"), "three of diamonds");
    assert.equal(cardName("AC"), "ace of clubs");
    assert.equal(cardName("2S"), "two of spades");
    assert.equal(cardName("JD"), "jack of diamonds");
  });
});
