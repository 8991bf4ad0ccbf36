import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { BOT_SKILL, placesFromTotals, rateMatch, shownRating, START, type Entrant } from "./ratings.ts";

const skill = fc.record({ mu: fc.double({ min: 5, max: 45, noNaN: true }), sigma: fc.double({ min: 1, max: 8.4, noNaN: true }) });
const places = (n: number) => fc.array(fc.integer({ min: 1, max: n }), { minLength: n, maxLength: n });

test("a newcomer shows 1000; winning raises, losing lowers", () => {
  assert.equal(shownRating(START), 1000);
  const [a, b] = rateMatch([
    { skill: START, place: 1, fixed: false },
    { skill: START, place: 2, fixed: false },
  ]);
  assert.ok(a.mu > START.mu && b.mu < START.mu);
  assert.ok(a.sigma < START.sigma && b.sigma < START.sigma);
});

test("property: with equal uncertainty, the mean changes sum to zero (ties included)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 4 }).chain((n) => fc.tuple(fc.array(fc.double({ min: 5, max: 45, noNaN: true }), { minLength: n, maxLength: n }), places(n), fc.double({ min: 1, max: 8.4, noNaN: true }))),
      ([mus, ps, sigma]) => {
        const entrants = mus.map((mu, i) => ({ skill: { mu, sigma }, place: ps[i], fixed: false }));
        const out = rateMatch(entrants);
        const sum = out.reduce((acc, s, i) => acc + (s.mu - mus[i]), 0);
        assert.ok(Math.abs(sum) < 1e-9, `mean changes sum to ${sum}`);
      },
    ),
  );
});

test("property: the order entrants are listed in changes nobody's result", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 4 }).chain((n) => fc.tuple(fc.array(skill, { minLength: n, maxLength: n }), places(n), fc.array(fc.boolean(), { minLength: n, maxLength: n }))),
      ([skills, ps, bots]) => {
        const entrants: Entrant[] = skills.map((s, i) => ({ skill: s, place: ps[i], fixed: bots[i] }));
        const order = entrants.map((_, i) => i).reverse();
        const a = rateMatch(entrants);
        const b = rateMatch(order.map((i) => entrants[i]));
        order.forEach((from, k) => {
          assert.ok(Math.abs(b[k].mu - a[from].mu) < 1e-9 && Math.abs(b[k].sigma - a[from].sigma) < 1e-9);
        });
      },
    ),
  );
});

test("property: bots are never updated, and a person who beats everyone gains", () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...Object.keys(BOT_SKILL)), { minLength: 1, maxLength: 3 }), skill, (levels, me) => {
      const entrants: Entrant[] = [{ skill: me, place: 1, fixed: false }, ...levels.map((l, i) => ({ skill: BOT_SKILL[l], place: i + 2, fixed: true }))];
      const out = rateMatch(entrants);
      levels.forEach((l, i) => assert.deepEqual(out[i + 1], BOT_SKILL[l]));
      assert.ok(out[0].mu > me.mu);
    }),
  );
});

test("places from totals: ties share the better place", () => {
  assert.deepEqual(placesFromTotals([14, -3, -6, -5]), [1, 2, 4, 3]);
  assert.deepEqual(placesFromTotals([0, 5, 5, -10]), [3, 1, 1, 4]);
});
