import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_VARIANT, resolveVariant } from "./variant.ts";
import type { Variant } from "./types.ts";

describe("resolveVariant", () => {
  test("the defaults of RULES.md", () => {
    assert.deepEqual(DEFAULT_VARIANT, {
      suitOrder: "DCHS",
      straights: "classic",
      flushOrder: "rank",
      firstPlayMustContainStart: true,
      passLocksTrick: false,
      winnerLeadsNextDeal: false,
      doubleAt: 10,
      tripleIfUnplayed: true,
      twosDouble: false,
    });
    assert.ok(Object.isFrozen(DEFAULT_VARIANT));
    assert.equal(resolveVariant(), DEFAULT_VARIANT);
    assert.equal(resolveVariant({}), DEFAULT_VARIANT);
  });

  test("omitted fields take defaults; equal settings give the same frozen object", () => {
    const v = resolveVariant({ straights: "taiwan", suitOrder: "CDHS" });
    assert.equal(v.straights, "taiwan");
    assert.equal(v.suitOrder, "CDHS");
    assert.equal(v.doubleAt, 10);
    assert.ok(Object.isFrozen(v));
    assert.equal(resolveVariant({ suitOrder: "CDHS", straights: "taiwan" }), v);
    assert.equal(resolveVariant(v), v);
    assert.equal(resolveVariant({ ...v }), v);
  });

  test("a changed input object is resolved again, not served stale from the cache", () => {
    const input: Partial<Variant> = { straights: "poker" };
    assert.equal(resolveVariant(input).straights, "poker");
    input.straights = "taiwan";
    assert.equal(resolveVariant(input).straights, "taiwan");
  });

  test("bad values throw a TypeError naming the field", () => {
    const cases: [unknown, RegExp][] = [
      [{ straights: "wrap" }, /^Expected `straights` to be one of classic, poker, taiwan, got "wrap"$/],
      [{ suitOrder: "SHCD" }, /^Expected `suitOrder` to be one of DCHS, CDHS, got "SHCD"$/],
      [{ flushOrder: 1 }, /^Expected `flushOrder` to be one of rank, suit, got 1$/],
      [{ passLocksTrick: "yes" }, /^Expected `passLocksTrick` to be a boolean, got "yes"$/],
      [{ doubleAt: 0 }, /^Expected `doubleAt` to be a whole number from 1 and up, got 0$/],
      [{ doubleAt: 9.5 }, /`doubleAt`/],
      [{ doubleAt: null }, /`doubleAt`/],
      [{ twoDouble: true }, /^Unknown variant field `twoDouble`/],
      ["classic", /^Expected `variant` to be an object/],
    ];
    for (const [input, message] of cases) {
      assert.throws(() => resolveVariant(input as Partial<Variant>), (e: unknown) => e instanceof TypeError && message.test(e.message));
    }
  });
});
