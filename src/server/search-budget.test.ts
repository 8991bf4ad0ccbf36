import { test } from "node:test";
import assert from "node:assert/strict";
import type { PlayerView } from "../rules/index.ts";
import { createRng } from "../rules/index.ts";
import type { Strategy } from "../bots/strategy.ts";
import { SearchBudget, budgeted, pooled } from "./search-budget.ts";

test("hard bots share one budget of search time per second; past it they play the fallback", () => {
  let t = 0;
  const budget = new SearchBudget(100, () => t);
  // A search that takes 20 ms of (fake) time, and a fallback that takes none.
  const search: Strategy = () => {
    t += 20;
    return { type: "pass" };
  };
  const calls: string[] = [];
  const fallback: Strategy = () => {
    calls.push("fallback");
    return { type: "pass" };
  };
  const told: string[] = [];
  let searchedMs = 0;
  const bots = [0, 1, 2].map(() =>
    budgeted(search, fallback, budget, 20, (by, ms) => {
      told.push(by);
      searchedMs += ms;
    }),
  );
  const view = {} as PlayerView;
  const rng = createRng("x");
  for (let i = 0; i < 9; i++) bots[i % 3](view, rng);
  // 100 ms a second: five 20 ms searches (plus what refilled while they ran), then fallbacks.
  assert.ok(budget.searches >= 5 && budget.searches <= 7, `searches ${budget.searches}`);
  assert.equal(budget.searches + budget.fallbacks, 9);
  assert.equal(calls.length, budget.fallbacks);
  // The observer (the node's metrics) is told of every move, and of each search's time.
  assert.equal(told.filter((b) => b === "search").length, budget.searches);
  assert.equal(told.filter((b) => b === "fallback").length, budget.fallbacks);
  assert.equal(searchedMs, 20 * budget.searches);
  t += 1000;
  bots[0](view, rng);
  assert.equal(calls.length, budget.fallbacks, "a second later the bucket is full again");
});

test("pooled: a search goes to the pool within the budget; a full pool, a spent budget or a failed search plays the fallback", async () => {
  let t = 0;
  const budget = new SearchBudget(50, () => t);
  const answers: ((r: { action: { type: "pass" }; ms: number }) => void)[] = [];
  let failNext = false;
  let full = false;
  const pool = {
    search: () => {
      if (full) return null;
      if (failNext) return Promise.reject(new Error("worker died"));
      return new Promise<{ action: { type: "pass" }; ms: number }>((resolve) => answers.push(resolve));
    },
  };
  const fallback: Strategy = () => ({ type: "play", cards: [] });
  const told: string[] = [];
  const bot = pooled(pool, fallback, budget, 20, (by) => told.push(by));
  const view = {} as PlayerView;
  const rng = createRng("x");
  const first = bot(view, rng);
  assert.ok(first instanceof Promise, "sent to the pool");
  const second = bot(view, rng);
  assert.ok(second instanceof Promise, "50 ms a second holds two 20 ms searches");
  assert.deepEqual(bot(view, rng), { type: "play", cards: [] }, "charged when sent: the third finds the bucket short");
  answers[0]({ action: { type: "pass" }, ms: 5 });
  assert.deepEqual(await first, { type: "pass" });
  // Settled with the time it took: 15 ms of the 20 charged come back.
  assert.ok(budget.available() >= 25);
  answers[1]({ action: { type: "pass" }, ms: 20 });
  await second;
  t += 1000;
  full = true;
  assert.deepEqual(bot(view, rng), { type: "play", cards: [] }, "the pool's queue is full: the fallback, at once");
  full = false;
  failNext = true;
  assert.deepEqual(await bot(view, rng), { type: "play", cards: [] }, "a failed search: the fallback");
  assert.deepEqual(told, ["fallback", "search", "search", "fallback", "fallback"]);
  assert.equal(budget.searches, 2);
  assert.equal(budget.fallbacks, 3);
});
