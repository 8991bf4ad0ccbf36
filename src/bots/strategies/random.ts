import { legalActions, type PlayerView, type Rng } from "../../rules/index.ts";
import type { BotAction } from "../strategy.ts";

/** A uniformly random legal action (passing counts as one choice when allowed). */
export function randomStrategy(view: PlayerView, rng: Rng): BotAction {
  const { canPass, plays } = legalActions(view);
  const choices = plays.length + (canPass ? 1 : 0);
  const pick = rng.int(choices);
  if (pick === plays.length) return { type: "pass" };
  return { type: "play", cards: plays[pick].cards };
}
