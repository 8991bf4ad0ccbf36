// A tournament worker thread: plays the duplicate deals it is sent and posts their results.
import { parentPort, workerData } from "node:worker_threads";
import { contestants, playDuplicate, type DuplicateResult } from "./tournament.ts";
import type { BotLevel } from "./strategies/index.ts";

export interface WorkerSetup {
  a: BotLevel;
  b: BotLevel;
  seed: string;
  budgetMs?: number;
}
/** Parent -> worker: deals [from, to); null: stop. Worker -> parent: their results. */
export type WorkerJob = { from: number; to: number } | null;
export interface WorkerReply {
  from: number;
  results: DuplicateResult[];
}

const setup = workerData as WorkerSetup;
const who = contestants(setup.a, setup.b, setup.budgetMs);
const port = parentPort;
if (!port) throw new Error("tournament-worker.ts runs as a worker thread");
port.on("message", (job: WorkerJob) => {
  if (job === null) return port.close();
  const results: DuplicateResult[] = [];
  for (let i = job.from; i < job.to; i++) results.push(playDuplicate(setup.seed, i, who));
  port.postMessage({ from: job.from, results } satisfies WorkerReply);
});
