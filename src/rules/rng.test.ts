import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createRng, shuffle } from "./rng.ts";

test("createRng: the same seed gives the same sequence; different seeds differ", () => {
  const a = createRng("0123456789abcdef0123456789abcdef");
  const b = createRng("0123456789abcdef0123456789abcdef");
  const c = createRng("0123456789abcdef0123456789abcdee");
  const xs = Array.from({ length: 8 }, () => a.nextUint32());
  assert.deepEqual(Array.from({ length: 8 }, () => b.nextUint32()), xs);
  assert.notDeepEqual(Array.from({ length: 8 }, () => c.nextUint32()), xs);
  for (const x of xs) assert.ok(Number.isInteger(x) && x >= 0 && x < 2 ** 32);
});

test("createRng: a pinned sequence, so a change of generator is noticed (replays depend on it)", () => {
  const r = createRng("big two");
  assert.deepEqual(Array.from({ length: 4 }, () => r.nextUint32()), [1511617004, 1505279288, 1869305362, 1572602691]);
});

test("int(n): in range and roughly uniform (chi-square over 10 buckets)", () => {
  const r = createRng("uniform");
  const counts = new Array<number>(10).fill(0);
  const draws = 100_000;
  for (let i = 0; i < draws; i++) counts[r.int(10)]++;
  const expected = draws / 10;
  const chi = counts.reduce((s, n) => s + (n - expected) ** 2 / expected, 0);
  assert.ok(chi < 30, `chi-square ${chi} (9 degrees of freedom; 30 is p < 0.001)`);
  assert.equal(r.int(1), 0);
  const big = r.int(2 ** 32);
  assert.ok(big >= 0 && big < 2 ** 32);
});

test("int(n): rejects n that is not a whole number from 1 to 2^32", () => {
  const r = createRng("x");
  for (const n of [0, -1, 1.5, 2 ** 32 + 1, Number.NaN]) assert.throws(() => r.int(n), RangeError);
});

test("shuffle: a permutation, input untouched, deterministic per seed", () => {
  fc.assert(
    fc.property(fc.array(fc.integer(), { maxLength: 60 }), fc.string(), (items, seed) => {
      const copy = items.slice();
      const out = shuffle(items, createRng(seed));
      assert.deepEqual(items, copy);
      assert.deepEqual(out.slice().sort(), items.slice().sort());
      assert.deepEqual(shuffle(items, createRng(seed)), out);
    }),
    { numRuns: 200 },
  );
});

test("shuffle: every position equally likely for a 4-item list", () => {
  const r = createRng("positions");
  const counts = new Map<string, number>();
  const runs = 24_000;
  for (let i = 0; i < runs; i++) {
    const key = shuffle(["a", "b", "c", "d"], r).join("");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 24);
  for (const n of counts.values()) assert.ok(Math.abs(n - 1000) < 200, `permutation count ${n}`);
});
