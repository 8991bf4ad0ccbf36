import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { newMatch, nextDealLeader, recordDeal } from "./match.ts";
import { newDeal } from "./deal.ts";
import type { DealState, MatchSettings, Variant } from "./types.ts";
import { playOut, stateFrom } from "./helpers.test.ts";
import { resolveVariant } from "./variant.ts";

/** A finished 4-seat deal won by `winner`, the others holding `left` cards each (all played). */
function won(winner: number, left: number, variant: Partial<Variant> = {}): DealState {
  const deck = "3D 3C 3H 3S 4D 4C 4H 4S 5D 5C 5H 5S 6D 6C 6H 6S 7D 7C 7H 7S 8D 8C 8H 8S 9D 9C 9H 9S".split(" ");
  const hands = [0, 1, 2, 3].map((s) => (s === winner ? "" : deck.splice(0, left).join(" ")));
  return { ...stateFrom(hands, { turn: 0, variant }), winner, turn: -1, playedAny: [true, true, true, true] };
}

describe("newMatch", () => {
  test("starts at zero", () => {
    const m = newMatch({ seats: 4, settings: { deals: 3, lossLimit: null } });
    assert.deepEqual(m.totals, [0, 0, 0, 0]);
    assert.equal(m.dealsPlayed, 0);
    assert.equal(m.lastWinner, null);
    assert.equal(m.over, false);
    assert.equal(m.variant.straights, "classic");
  });

  test("bad settings throw a TypeError", () => {
    const bad: [number, MatchSettings, RegExp][] = [
      [4, { deals: null, lossLimit: null }, /must end/],
      [4, { deals: 0, lossLimit: null }, /`settings.deals`/],
      [4, { deals: 2.5, lossLimit: null }, /`settings.deals`/],
      [4, { deals: null, lossLimit: -10 }, /`settings.lossLimit`/],
      [5, { deals: 1, lossLimit: null }, /`seats`/],
    ];
    for (const [seats, settings, message] of bad) assert.throws(() => newMatch({ seats, settings }), (e: unknown) => e instanceof TypeError && message.test(e.message));
  });
});

describe("recordDeal", () => {
  test("ends after the configured number of deals", () => {
    let m = newMatch({ seats: 4, settings: { deals: 2, lossLimit: null } });
    m = recordDeal(m, won(1, 3));
    assert.deepEqual(m.totals, [-3, 9, -3, -3]);
    assert.equal(m.lastWinner, 1);
    assert.equal(m.over, false);
    m = recordDeal(m, won(2, 5));
    assert.deepEqual(m.totals, [-8, 4, 12, -8]);
    assert.equal(m.dealsPlayed, 2);
    assert.equal(m.over, true);
    assert.throws(() => recordDeal(m, won(0, 1)), /over/);
  });

  test("ends when a total reaches the loss limit", () => {
    let m = newMatch({ seats: 4, settings: { deals: null, lossLimit: 20 } });
    m = recordDeal(m, won(0, 9));
    assert.equal(m.over, false, "-9 is above -20");
    m = recordDeal(m, won(0, 9));
    assert.equal(m.over, false, "-18");
    const before = structuredClone(m);
    const after = recordDeal(m, won(1, 2));
    assert.deepEqual(m, before, "input untouched");
    assert.deepEqual(after.totals, [52, -12, -20, -20]);
    assert.equal(after.over, true, "-20 reaches the limit");
  });

  test("whichever comes first: deals and loss limit together", () => {
    let m = newMatch({ seats: 4, settings: { deals: 5, lossLimit: 15 } });
    m = recordDeal(m, won(0, 10));
    assert.equal(m.over, true, "10 cards double to 20");
  });

  test("a deal still running, or of another size, throws", () => {
    const m = newMatch({ seats: 4, settings: { deals: 1, lossLimit: null } });
    assert.throws(() => recordDeal(m, newDeal({ seats: 4, seed: "x" })), /no winner/);
    assert.throws(() => recordDeal(m, { ...won(0, 1), seats: 3 }), /3-seat/);
    const other = { ...won(0, 1), variant: resolveVariant({ twosDouble: true }) };
    assert.throws(() => recordDeal(m, other), /another variant/);
  });

  test("totals stay zero-sum over random deals", () => {
    let m = newMatch({ seats: 3, settings: { deals: 6, lossLimit: null } });
    for (let i = 0; !m.over; i++) m = recordDeal(m, playOut(newDeal({ seats: 3, seed: `m${i}` }), `p${i}`).states.at(-1) as DealState);
    assert.equal(m.dealsPlayed, 6);
    assert.equal(m.totals.reduce((a, b) => a + b, 0), 0);
  });

  test("a match without a deal limit stays the same size however many deals it runs", () => {
    let m = newMatch({ seats: 4, settings: { deals: null, lossLimit: 1_000_000 } });
    let after10 = 0;
    for (let i = 1; i <= 300; i++) {
      m = recordDeal(m, won(i % 4, 1 + (i % 9)));
      if (i === 10) after10 = JSON.stringify(m).length;
    }
    assert.equal(m.dealsPlayed, 300);
    assert.equal(m.over, false);
    // Only the totals' digits may grow (and their signs): no per-deal record is kept.
    assert.ok(JSON.stringify(m).length - after10 <= 16, `${after10} -> ${JSON.stringify(m).length} bytes`);
  });
});

describe("nextDealLeader", () => {
  test("the previous winner with winnerLeadsNextDeal, else null", () => {
    const plain = recordDeal(newMatch({ seats: 4, settings: { deals: 3, lossLimit: null } }), won(2, 1));
    assert.equal(nextDealLeader(plain), null);
    const m = newMatch({ seats: 4, variant: { winnerLeadsNextDeal: true }, settings: { deals: 3, lossLimit: null } });
    assert.equal(nextDealLeader(m), null, "no previous winner yet");
    const after = recordDeal(m, won(2, 1, { winnerLeadsNextDeal: true }));
    assert.equal(nextDealLeader(after), 2);
    const next = newDeal({ seats: 4, seed: "n", variant: after.variant, leader: nextDealLeader(after) });
    assert.equal(next.turn, 2);
    assert.equal(next.mustContain, null);
  });
});
