import type { Card, PlayerView, Rng } from "../rules/index.ts";

/** What a bot answers with: the same two moves a player has. */
export type BotAction = { type: "play"; cards: Card[] } | { type: "pass" };

/**
 * A strategy sees exactly one player's view (its own hand and the public deal) and nothing
 * else: it cannot read another player's cards because it is never given them.
 */
export type Strategy = (view: PlayerView, rng: Rng) => BotAction;

/**
 * A strategy whose answer may come later: a search on a worker thread (src/server/search-pool.ts).
 * The brain sends the answer only if the deal is still where it was when it asked.
 */
export type AsyncStrategy = (view: PlayerView, rng: Rng) => BotAction | Promise<BotAction>;
