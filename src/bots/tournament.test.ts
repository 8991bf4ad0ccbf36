import { test } from "node:test";
import assert from "node:assert/strict";
import { parseArgs, runTournament } from "./tournament-cli.ts";
import { contestants, meanCi, playDuplicate } from "./tournament.ts";

test("duplicate deals: a deterministic bot against itself scores exactly zero on every deal (the luck cancels)", () => {
  const who = contestants("easy", "easy");
  for (let i = 0; i < 20; i++) assert.equal(playDuplicate("dup", i, who).score, 0);
});

test("a tiny tournament on worker threads gives the summary the issue asks for, the same as in one thread", async () => {
  const { summary, results } = await runTournament({ a: "easy", b: "random", deals: 6, seed: "tiny", workers: 2, chunk: 2 });
  assert.deepEqual(Object.keys(summary).sort(), ["a", "b", "ciHigh", "ciLow", "deals", "meanScoreA", "msPerDecisionA", "winRateA"].sort());
  assert.equal(summary.deals, 6);
  assert.ok(summary.ciLow <= summary.meanScoreA && summary.meanScoreA <= summary.ciHigh);
  assert.ok(summary.winRateA >= 0 && summary.winRateA <= 1);
  const who = contestants("easy", "random");
  results.forEach((r, i) => assert.equal(r.score, playDuplicate("tiny", i, who).score, `deal ${i}`));
});

test("the interval: mean ± 1.96 standard errors", () => {
  const { mean, low, high } = meanCi([1, 2, 3, 4]);
  assert.equal(mean, 2.5);
  assert.ok(Math.abs(high - mean - 1.96 * Math.sqrt(5 / 3 / 4)) < 1e-12);
  assert.equal(mean - low, high - mean);
});

test("command line: the issue's flags, and clear errors", () => {
  assert.deepEqual(parseArgs(["--a", "hard", "--b", "normal", "--deals", "2000", "--seed", "1", "--budget-ms", "30", "--json"]), {
    a: "hard",
    b: "normal",
    deals: 2000,
    seed: "1",
    budgetMs: 30,
    json: true,
  });
  assert.throws(() => parseArgs(["--a", "hard"]), /--a and --b/);
  assert.throws(() => parseArgs(["--a", "hard", "--b", "nope"]), /bot level/);
  assert.throws(() => parseArgs(["--a", "hard", "--b", "easy", "--deals", "0"]), /--deals/);
  assert.throws(() => parseArgs(["--a", "hard", "--b", "easy", "--fast"]), /Unknown option/);
});
