// Every string of the practice feature a player reads, in one place for the language catalogue.
import type { BotLevel } from "../../bots/strategies/index.ts";

export const practiceText = {
  title: "Practice offline",
  about: "A match against 3 bots that runs in this browser: no server, no connection needed, no turn clock.",
  start: "Practice",
  deals: "Deals",
  bots: "Bots",
  tableName: "Practice",
  failed: "Practice could not start in this browser. Reload the page and try again.",
  level: { random: "random", easy: "easy", normal: "normal", hard: "hard" } satisfies Record<BotLevel, string>,
};
