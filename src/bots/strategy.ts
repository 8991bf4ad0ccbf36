import type { Card, PlayerView, Rng } from "../rules/index.ts";

/** What a bot answers with: the same two moves a player has. */
export type BotAction = { type: "play"; cards: Card[] } | { type: "pass" };

/**
 * A strategy sees exactly one player's view (its own hand and the public deal) and nothing
 * else: it cannot read another player's cards because it is never given them.
 */
export type Strategy = (view: PlayerView, rng: Rng) => BotAction;
