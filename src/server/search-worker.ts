// A hard bot's search, on a worker thread (src/server/search-pool.ts): the 20 ms a decision that
// would otherwise hold every other table's play on the node's event loop.
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { searchStrategy } from "../bots/strategies/index.ts";
import type { BotAction, Strategy } from "../bots/strategy.ts";
import { createRng, resolveVariant, type PlayerView } from "../rules/index.ts";

/** Parent -> worker: one search. Worker -> parent: its move and how long it took. */
export interface SearchRequest {
  id: number;
  view: PlayerView;
  seed: string;
  budgetMs: number;
}
export type SearchReply = { id: number; ok: true; action: BotAction; ms: number } | { id: number; ok: false; error: string } | { ready: true };

const port = parentPort;
if (!port) throw new Error("search-worker.ts runs as a worker thread");
const strategies = new Map<number, Strategy>();

// The lowest scheduling priority, for this thread only: a search runs in what the node's event
// loop leaves, and never holds a play back where the two share a core. Measured beside the
// 4,000-table hold with the server on one core (bench, capacity scenario): at the node's
// priority the p99 went to 464 ms. Linux only: there setpriority(PRIO_PROCESS, 0) is the calling
// thread; on macOS and the BSDs it is the whole process, on Windows the process's class, which
// would lower the event loop too.
if (process.platform === "linux") {
  try {
    setPriority(19);
  } catch {
    // Not permitted: the search runs at the node's priority.
  }
}

// Said once, when the module has loaded: a search's deadline runs from here, not from a start
// that may take seconds under load (tsx compiles the modules in development).
port.postMessage({ ready: true } satisfies SearchReply);

port.on("message", (req: SearchRequest) => {
  const t0 = performance.now();
  try {
    let search = strategies.get(req.budgetMs);
    if (!search) strategies.set(req.budgetMs, (search = searchStrategy({ budgetMs: req.budgetMs })));
    // The view came through structured clone: the engine's own (frozen) variant is looked up faster.
    const view = { ...req.view, variant: resolveVariant(req.view.variant) };
    const action = search(view, createRng(req.seed));
    port.postMessage({ id: req.id, ok: true, action, ms: performance.now() - t0 } satisfies SearchReply);
  } catch (error) {
    port.postMessage({ id: req.id, ok: false, error: (error as Error).stack ?? String(error) } satisfies SearchReply);
  }
});
