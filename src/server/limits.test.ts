import { test } from "node:test";
import assert from "node:assert/strict";
import { FALLBACK_MAX_CONNECTIONS, connectionCap, openFilesLimit } from "./limits.ts";

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1200                 524288               files
Max locked memory         8388608              8388608              bytes
`;

test("the open-files limit is the soft limit of /proc/self/limits", () => {
  assert.equal(openFilesLimit(LIMITS), 1200);
  assert.equal(openFilesLimit(LIMITS.replace("1200 ", "unlimited ")), Number.POSITIVE_INFINITY);
  assert.equal(openFilesLimit(null), null);
  assert.equal(openFilesLimit("Max cpu time unlimited"), null);
  if (process.platform === "linux") assert.ok((openFilesLimit() ?? 0) > 0, "this process's own limit is read");
});

test("the socket cap keeps a margin below the open-files limit, and lowers a configured cap above it", () => {
  // The machine: 1,200 files, MAX_CONNECTIONS 100,000. The 503 must come first.
  assert.deepEqual(connectionCap(null, 1200), { cap: 1080, lowered: false });
  assert.deepEqual(connectionCap(100_000, 1200), { cap: 1080, lowered: true });
  assert.deepEqual(connectionCap(100_000, 20_000), { cap: 18_000, lowered: true });
  assert.deepEqual(connectionCap(500, 1200), { cap: 500, lowered: false });
  assert.deepEqual(connectionCap(null, 100), { cap: 36, lowered: false });
  assert.deepEqual(connectionCap(null, null), { cap: FALLBACK_MAX_CONNECTIONS, lowered: false });
  assert.deepEqual(connectionCap(null, Number.POSITIVE_INFINITY), { cap: FALLBACK_MAX_CONNECTIONS, lowered: false });
});
