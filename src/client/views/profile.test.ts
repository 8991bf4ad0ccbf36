import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chartRatings, weekChange } from "./profile.ts";

describe("profile figures", () => {
  test("the chart starts from a new player's 1000 while the whole history is kept", () => {
    assert.deepEqual(chartRatings([]), []);
    assert.deepEqual(chartRatings([952]), [1000, 952]);
    const long = Array.from({ length: 40 }, (_, i) => 1000 + i);
    assert.deepEqual(chartRatings(long), long.slice(-30));
    const kept = Array.from({ length: 100 }, (_, i) => 900 + i);
    assert.deepEqual(chartRatings(kept), kept.slice(-30));
  });

  test("this week's change counts from the rating before the week's first match", () => {
    const now = Date.parse("2026-12-06T12:00:00Z");
    const day = 24 * 3600e3;
    const at = (d: number) => new Date(now - d * day).toISOString();
    const p = (hist: [number, number][], rating: number) => ({ rating, ratingHistory: hist.map(([d, r]) => ({ matchId: "m", endedAt: at(d), rating: r })) });
    assert.equal(weekChange(p([[10, 1020], [3, 1050], [1, 1040]], 1040), now), 20);
    assert.equal(weekChange(p([[2, 980]], 980), now), -20);
    assert.equal(weekChange(p([[9, 1100]], 1100), now), null);
  });
});
