import type { Strategy } from "../strategy.ts";
import { greedyStrategy } from "./greedy.ts";
import { randomStrategy } from "./random.ts";

export type BotLevel = "random" | "easy" | "normal" | "hard";

const byLevel: Record<BotLevel, Strategy> = {
  random: randomStrategy,
  easy: greedyStrategy,
  normal: greedyStrategy,
  hard: greedyStrategy,
};

export function strategyFor(level: BotLevel): Strategy {
  return byLevel[level];
}

export { greedyStrategy, randomStrategy };
