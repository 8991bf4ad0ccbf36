import { test } from "node:test";
import assert from "node:assert/strict";
import type { PlayerView } from "../rules/index.ts";
import { createRng } from "../rules/index.ts";
import type { Strategy } from "../bots/strategy.ts";
import { SearchBudget, budgeted } from "./search-budget.ts";

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
