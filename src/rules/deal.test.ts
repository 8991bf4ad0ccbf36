import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { newDeal } from "./deal.ts";
import { fullDeck, sortCards } from "./cards.ts";
import { createRng, shuffle } from "./rng.ts";
import type { Card, DealState, Variant } from "./types.ts";

const all = (s: DealState): Card[] => [...s.hands.flat(), ...s.setAside];
const holder = (s: DealState, card: Card): number => s.hands.findIndex((h) => h.includes(card));

/** The first seed "<prefix>0", "<prefix>1", ... whose shuffled deck satisfies `pred`. */
function findSeed(prefix: string, pred: (deck: Card[]) => boolean): string {
  for (let i = 0; i < 10_000; i++) {
    const seed = `${prefix}${i}`;
    if (pred(shuffle(fullDeck(), createRng(seed)))) return seed;
  }
  throw new Error("no seed found");
}

describe("newDeal", () => {
  test("4 seats: 13 sorted cards each, 52 distinct, the 3D holder leads and must play it", () => {
    const s = newDeal({ seats: 4, seed: "four" });
    assert.deepEqual(s.counts, [13, 13, 13, 13]);
    assert.deepEqual(s.hands.map((h) => h.length), [13, 13, 13, 13]);
    assert.equal(new Set(all(s)).size, 52);
    for (const h of s.hands) assert.deepEqual(h, sortCards(h));
    assert.equal(s.turn, holder(s, "3D"));
    assert.equal(s.mustContain, "3D");
    assert.deepEqual(s.setAside, []);
    assert.equal(s.top, null);
    assert.equal(s.winner, null);
    assert.deepEqual(s.passed, [false, false, false, false]);
    assert.deepEqual(s.playedAny, [false, false, false, false]);
    assert.deepEqual(s.played, []);
    assert.deepEqual(s.history, []);
  });

  test("the same seed deals the same cards; another seed does not", () => {
    assert.deepEqual(newDeal({ seats: 4, seed: "a" }), newDeal({ seats: 4, seed: "a" }));
    assert.notDeepEqual(newDeal({ seats: 4, seed: "a" }).hands, newDeal({ seats: 4, seed: "b" }).hands);
  });

  test("suit order CDHS: the 3C holder leads with 3C; hands sorted clubs first", () => {
    const v: Partial<Variant> = { suitOrder: "CDHS" };
    const s = newDeal({ seats: 4, seed: "taiwan", variant: v });
    assert.equal(s.turn, holder(s, "3C"));
    assert.equal(s.mustContain, "3C");
    for (const h of s.hands) assert.deepEqual(h, sortCards(h, v));
  });

  test("firstPlayMustContainStart false: the start-card holder leads with anything", () => {
    const s = newDeal({ seats: 4, seed: "free", variant: { firstPlayMustContainStart: false } });
    assert.equal(s.turn, holder(s, "3D"));
    assert.equal(s.mustContain, null);
  });

  test("3 seats: 17 each and the 52nd card to the start-card holder, who leads", () => {
    for (let i = 0; i < 40; i++) {
      const s = newDeal({ seats: 3, seed: `three${i}` });
      const starter = holder(s, "3D");
      assert.equal(all(s).length, 52);
      assert.equal(new Set(all(s)).size, 52);
      assert.deepEqual(s.counts, [0, 1, 2].map((seat) => (seat === starter ? 18 : 17)));
      assert.equal(s.turn, starter);
      assert.equal(s.mustContain, "3D");
    }
  });

  test("3 seats, the 52nd card is the start card: it goes to the holder of the lowest dealt card", () => {
    const seed = findSeed("last", (deck) => deck[51] === "3D");
    const deck = shuffle(fullDeck(), createRng(seed));
    const s = newDeal({ seats: 3, seed });
    const lowestOf51 = sortCards(deck.slice(0, 51))[0];
    const starter = holder(s, "3D");
    assert.ok(s.hands[starter].includes(lowestOf51));
    assert.equal(s.counts[starter], 18);
    assert.equal(s.turn, starter);
    assert.equal(s.mustContain, "3D");
  });

  test("3 seats under CDHS: the 3C holder gets the 52nd card", () => {
    const s = newDeal({ seats: 3, seed: "three-cdhs", variant: { suitOrder: "CDHS" } });
    assert.equal(s.counts[holder(s, "3C")], 18);
    assert.equal(s.turn, holder(s, "3C"));
    assert.equal(s.mustContain, "3C");
  });

  test("2 seats: 13 each, 26 set aside; the start-card holder leads when 3D is dealt", () => {
    const seed = findSeed("two", (deck) => deck.slice(0, 26).includes("3D"));
    const s = newDeal({ seats: 2, seed });
    assert.deepEqual(s.counts, [13, 13]);
    assert.equal(s.setAside.length, 26);
    assert.equal(new Set(all(s)).size, 52);
    assert.equal(s.turn, holder(s, "3D"));
    assert.equal(s.mustContain, "3D");
  });

  test("2 seats, 3D set aside: the holder of the lowest dealt card leads and must play it", () => {
    const seed = findSeed("aside", (deck) => deck.slice(26).includes("3D"));
    const s = newDeal({ seats: 2, seed });
    assert.ok(s.setAside.includes("3D"));
    const lowest = sortCards(s.hands.flat())[0];
    assert.notEqual(lowest, "3D");
    assert.equal(s.turn, holder(s, lowest));
    assert.equal(s.mustContain, lowest);
  });

  test("2 seats under CDHS, 3C set aside: the lowest dealt card under CDHS", () => {
    const v: Partial<Variant> = { suitOrder: "CDHS" };
    const seed = findSeed("aside-cdhs", (deck) => {
      const dealt = deck.slice(0, 26);
      return !dealt.includes("3C") && dealt.includes("3D") && dealt.some((c) => c[0] === "4" && c[1] === "C");
    });
    const s = newDeal({ seats: 2, seed, variant: v });
    assert.equal(s.mustContain, "3D", "3D is the lowest card left once 3C is set aside");
    assert.equal(s.turn, holder(s, "3D"));
  });

  test("leader: that seat leads with anything (winnerLeadsNextDeal)", () => {
    const s = newDeal({ seats: 4, seed: "next", leader: 2, variant: { winnerLeadsNextDeal: true } });
    assert.equal(s.turn, 2);
    assert.equal(s.mustContain, null);
    assert.equal(newDeal({ seats: 4, seed: "next", leader: null }).mustContain, "3D");
  });

  test("bad options throw a TypeError", () => {
    assert.throws(() => newDeal({ seats: 5, seed: "x" }), /Expected `seats` to be 2, 3 or 4, got 5/);
    assert.throws(() => newDeal({ seats: 1, seed: "x" }), TypeError);
    assert.throws(() => newDeal({ seats: 4, seed: 7 as unknown as string }), /`seed`/);
    assert.throws(() => newDeal({ seats: 4, seed: "x", leader: 4 }), /`leader`/);
    assert.throws(() => newDeal({ seats: 4, seed: "x", leader: -1 }), TypeError);
    assert.throws(() => newDeal({ seats: 4, seed: "x", variant: { straights: "x" as never } }), /`straights`/);
  });
});
