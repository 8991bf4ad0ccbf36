import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chartGeometry } from "./rating-chart.ts";

const pts = (s: string) => s.split(" ").map((p) => p.split(",").map(Number));

describe("rating chart geometry", () => {
  test("spans the box: lowest rating at the bottom edge, highest at the top, first left, last right", () => {
    const g = chartGeometry([1000, 1040, 1020, 1080], 300, 64, 4);
    assert.deepEqual(pts(g.points), [
      [0, 60],
      [100, 32],
      [200, 46],
      [300, 4],
    ]);
    assert.equal(g.min, 1000);
    assert.equal(g.max, 1080);
  });

  test("a flat or single-point history sits in the middle; none draws nothing", () => {
    assert.deepEqual(pts(chartGeometry([1000, 1000], 300, 64).points), [
      [0, 32],
      [300, 32],
    ]);
    assert.deepEqual(pts(chartGeometry([1000], 300, 64).points), [[150, 32]]);
    assert.equal(chartGeometry([], 300, 64).points, "");
  });
});
