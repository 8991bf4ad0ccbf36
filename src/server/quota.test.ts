import { test } from "node:test";
import assert from "node:assert/strict";
import { KeyedQuota } from "./quota.ts";

test("a key gets its burst, then one token per 60/perMinute seconds; other keys are not touched", () => {
  let t = 0;
  const q = new KeyedQuota(6, 3, () => t);
  assert.deepEqual([q.take("a"), q.take("a"), q.take("a"), q.take("a")], [true, true, true, false]);
  assert.equal(q.take("b"), true, "another key has its own bucket");
  assert.equal(q.waitMs("a"), 10_000);
  t = 9_999;
  assert.equal(q.allows("a"), false);
  t = 10_000;
  assert.equal(q.take("a"), true);
  assert.equal(q.take("a"), false);
});

test("keys whose buckets filled up again are forgotten", () => {
  let t = 0;
  const q = new KeyedQuota(60, 2, () => t);
  for (let i = 0; i < 100; i++) q.take(`k${i}`);
  assert.equal(q.size, 100);
  t = 61_000;
  q.take("late");
  assert.equal(q.size, 1);
});
