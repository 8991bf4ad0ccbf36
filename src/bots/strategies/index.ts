import type { Strategy } from "../strategy.ts";
import { expertStrategy } from "./expert.ts";
import { greedyStrategy } from "./greedy.ts";
import { randomStrategy } from "./random.ts";
import { DEFAULT_SEARCH, searchStrategy } from "./search.ts";

export type BotLevel = "random" | "easy" | "normal" | "hard";

export interface StrategyOptions {
  /** The search bot's time per decision, ms (hard only). */
  budgetMs?: number;
}

/** The strategy of a difficulty level: easy = greedy, normal = expert, hard = search. */
export function strategyFor(level: BotLevel, options: StrategyOptions = {}): Strategy {
  switch (level) {
    case "random":
      return randomStrategy;
    case "easy":
      return greedyStrategy;
    case "normal":
      return expertStrategy;
    case "hard":
      return searchStrategy({ budgetMs: options.budgetMs ?? DEFAULT_SEARCH.budgetMs });
  }
}

export { expertStrategy, greedyStrategy, randomStrategy, searchStrategy };
