import type { AsyncStrategy, BotAction, Strategy } from "../bots/strategy.ts";
import type { PlayerView, Rng } from "../rules/index.ts";

/**
 * The share of this node's event loop that in-process "hard" bots may spend searching. A search
 * runs on the loop every other table shares (20 ms a decision by default), and any table.create
 * may ask for three such bots: a few hundred sockets asking for them saturated a node (issue 19).
 * Every hard bot of the node draws from one bucket of `msPerSecond` milliseconds a second; a bot
 * that finds it empty plays its "normal" (expert) move, which takes well under a millisecond.
 */
export class SearchBudget {
  #available: number;
  #at: number;
  /** Searches made, and moves played by the fallback because the bucket was empty. */
  searches = 0;
  fallbacks = 0;

  constructor(
    readonly msPerSecond: number,
    readonly now: () => number = () => performance.now(),
  ) {
    this.#available = msPerSecond;
    this.#at = now();
  }

  /** Milliseconds of search the node may spend now. */
  available(): number {
    const t = this.now();
    this.#available = Math.min(this.msPerSecond, this.#available + ((t - this.#at) / 1000) * this.msPerSecond);
    this.#at = t;
    return this.#available;
  }

  /** Spend `ms` (negative: give back), never above a full bucket. */
  charge(ms: number): void {
    this.available();
    this.#available = Math.min(this.msPerSecond, this.#available - ms);
  }
}

/** Told of every move: searched (and how long it took) or played by the fallback. */
export type SearchObserver = (by: "search" | "fallback", ms: number) => void;

/** `search` while the node's budget holds a whole search (`searchMs`), `fallback` otherwise. */
export function budgeted(search: Strategy, fallback: Strategy, budget: SearchBudget, searchMs: number, observe?: SearchObserver): Strategy {
  return (view, rng) => {
    if (budget.available() < searchMs) {
      budget.fallbacks++;
      observe?.("fallback", 0);
      return fallback(view, rng);
    }
    budget.searches++;
    const start = budget.now();
    try {
      return search(view, rng);
    } finally {
      const ms = budget.now() - start;
      budget.charge(ms);
      observe?.("search", ms);
    }
  };
}

/** Where searches run off the event loop: src/server/search-pool.ts. */
export interface SearchRunner {
  search(view: PlayerView, seed: string, budgetMs: number): Promise<{ action: BotAction; ms: number }> | null;
}

/**
 * A hard bot whose search runs on `pool`, within the node's `budget`: the bucket is charged a
 * whole search when it is sent and settled with the time the worker reports. With the bucket
 * short, the pool's queue full, or the search failed, the bot plays `fallback` on the loop (well
 * under a millisecond) rather than hold its table up.
 */
export function pooled(pool: SearchRunner, fallback: Strategy, budget: SearchBudget, searchMs: number, observe?: SearchObserver): AsyncStrategy {
  const fall = (view: PlayerView, rng: Rng) => {
    budget.fallbacks++;
    observe?.("fallback", 0);
    return fallback(view, rng);
  };
  return (view, rng) => {
    if (budget.available() < searchMs) return fall(view, rng);
    // The worker's generator is seeded from the bot's own: a bot's moves stay reproducible.
    const job = pool.search(view, String(rng.nextUint32()), searchMs);
    if (!job) return fall(view, rng);
    budget.charge(searchMs);
    return job.then(
      ({ action, ms }) => {
        budget.searches++;
        budget.charge(ms - searchMs);
        observe?.("search", ms);
        return action;
      },
      () => {
        budget.charge(-searchMs);
        return fall(view, rng);
      },
    );
  };
}
