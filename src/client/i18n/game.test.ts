import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { cardName as engineCardName, classify, describeCombo, fullDeck, legalPlays, parseCards } from "../../rules/index.ts";
import type { Card } from "../../rules/types.ts";
import { cardName, comboText } from "./game.ts";
import { getLang, setLang } from "./index.ts";

test("in English the catalogue names every combination exactly as the rules engine does", () => {
  setLang("en");
  const deck = fullDeck();
  fc.assert(
    fc.property(fc.subarray(deck, { minLength: 1, maxLength: 9 }), fc.constantFrom("classic", "poker", "taiwan" as const), (hand, straights) => {
      for (const combo of legalPlays(hand, null, { straights })) assert.equal(comboText(combo), describeCombo(combo));
    }),
    { numRuns: 150 },
  );
  for (const c of deck) assert.equal(cardName(c), engineCardName(c));
});

test("the rules' names in Chinese, Vietnamese and Filipino", () => {
  const was = getLang();
  const combo = (s: string) => {
    const c = classify(parseCards(s) as Card[]);
    assert.ok(c, s);
    return c;
  };
  try {
    setLang("zh-Hant");
    assert.equal(comboText(combo("7D 7S")), "一對 7");
    assert.equal(comboText(combo("5D 5C 5H 5S KD")), "鐵支 5");
    assert.equal(cardName("7H"), "紅心7");
    setLang("zh-Hans");
    assert.equal(comboText(combo("4D 4C 8D 8C 8S")), "葫芦，三条 8");
    setLang("vi");
    assert.equal(comboText(combo("7H 8H 9H TH JH")), "thùng phá sảnh đến J♥");
    assert.equal(cardName("AS"), "át bích");
    setLang("fil");
    assert.equal(cardName("QH"), "reyna ng puso");
  } finally {
    setLang(was);
  }
});
