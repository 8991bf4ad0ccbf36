import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { BotAction } from "../bots/strategy.ts";
import type { PlayerView } from "../rules/index.ts";
import type { SearchReply, SearchRequest } from "./search-worker.ts";

/**
 * Worker threads for in-process hard bots' search (issue 19): a search takes 20 ms by default, and
 * on the event loop it held every other table's play behind it (300 hard-bot tables beside the
 * 4,000-table hold took its p99 from 43 to 165 ms, with the per-node budget already capping the
 * search to a fifth of the loop). Here the loop only posts the view and later sends the answer.
 *
 * Bounded: at most `maxQueued` searches wait for a worker; past that `search` answers null and
 * the bot plays its fallback move at once. Workers start on the first search (most nodes never
 * seat a hard bot), and a worker that dies is replaced; its search is answered with an error.
 * A search that does not answer within 20 times its budget (at least 2 s, counted from when the
 * worker is ready) has its worker stopped. Three workers in a row that die or fail to start without answering stop the pool:
 * every search then answers null (the fallback), and the error is logged once.
 */
export class SearchPool {
  readonly #size: number;
  readonly #maxQueued: number;
  readonly #log: Logger;
  readonly #start: () => Worker;
  readonly #idle: Worker[] = [];
  readonly #busy = new Map<Worker, Job>();
  readonly #queue: Job[] = [];
  #workers = 0;
  #nextId = 1;
  #closed = false;
  /** Workers that said they are ready (their search deadlines run from then). */
  readonly #ready = new WeakSet<Worker>();
  /** Workers that exited in a row without answering; at MAX_FAILURES the pool stops starting them. */
  #failures = 0;

  /** `start`: how a worker is made (tests hand in workers that fail in chosen ways). */
  constructor(opts: { workers: number; maxQueued: number; log: Logger; start?: () => Worker }) {
    if (!Number.isInteger(opts.workers) || opts.workers < 1) throw new TypeError(`Expected \`workers\` to be a whole number from 1, got ${opts.workers}`);
    this.#size = opts.workers;
    this.#maxQueued = opts.maxQueued;
    this.#log = opts.log;
    this.#start = opts.start ?? startWorker;
  }

  /** Searches running or waiting. */
  get pending(): number {
    return this.#busy.size + this.#queue.length;
  }

  /** The workers searching now (diagnostics; the tests stop one to stand for a crash). */
  busyWorkers(): Worker[] {
    return [...this.#busy.keys()];
  }

  /** The move a search finds for `view`, or null at once when too many searches already wait. */
  search(view: PlayerView, seed: string, budgetMs: number): Promise<{ action: BotAction; ms: number }> | null {
    if (this.#stopped()) return null;
    // Jobs wait only while every worker is busy (#pump runs them at once otherwise).
    if (this.#queue.length >= this.#maxQueued) return null;
    return new Promise((resolve, reject) => {
      // The bot's view grows its history and played lists in place (src/bots/brain.ts): a search
      // that waits for a worker must search the view as it was asked.
      const asked = { ...view, history: view.history.slice(), played: view.played.slice() };
      this.#queue.push({ req: { id: this.#nextId++, view: asked, seed, budgetMs }, resolve, reject });
      this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error("the search pool closed"));
    const all = [...this.#idle, ...this.#busy.keys()];
    for (const [, job] of this.#busy) {
      clearTimeout(job.deadline);
      job.reject(new Error("the search pool closed"));
    }
    this.#busy.clear();
    this.#idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  #pump(): void {
    while (this.#queue.length > 0 && !this.#stopped()) {
      let worker = this.#idle.pop();
      if (!worker) {
        if (this.#workers >= this.#size) return;
        try {
          worker = this.#spawn();
        } catch (err) {
          // `new Worker` can throw at once (no thread to be had): count it as a worker that died.
          this.#log.error({ err }, "a search worker could not start");
          this.#failed(this.#queue.shift()!, new Error(`the search worker could not start: ${(err as Error).message}`));
          continue;
        }
      }
      const job = this.#queue.shift()!;
      this.#busy.set(worker, job);
      if (this.#ready.has(worker)) this.#arm(worker, job);
      // A worker with work keeps the process alive until it answers; an idle one does not.
      worker.ref();
      worker.postMessage(job.req);
    }
  }

  /**
   * A search that never answers (a bug, a thread starved of CPU) is given up: the worker is
   * stopped, its exit answers the job with an error and a new worker takes its place. The time
   * runs from when the worker is ready (its start may take seconds under load).
   */
  #arm(worker: Worker, job: Job): void {
    job.deadline = setTimeout(() => {
      this.#log.warn({ budgetMs: job.req.budgetMs }, "a search did not answer in time: its worker is stopped");
      void worker.terminate();
    }, Math.max(2000, 20 * job.req.budgetMs));
  }

  #stopped(): boolean {
    return this.#closed || this.#failures >= MAX_FAILURES;
  }

  /** A search lost with its worker (or a worker that never started): once too often in a row, the pool stops. */
  #failed(job: Job | undefined, error: Error): void {
    if (job) {
      clearTimeout(job.deadline);
      job.reject(error);
    }
    if (++this.#failures >= MAX_FAILURES) {
      // A worker that cannot start (a missing build file, say) would otherwise be started again for every search.
      this.#log.error(`${MAX_FAILURES} search workers in a row failed without answering: hard bots play the normal bot's move from now on`);
      for (const waiting of this.#queue.splice(0)) waiting.reject(new Error("the search pool stopped"));
    }
  }

  #spawn(): Worker {
    const worker = this.#start();
    this.#workers++;
    // A worker that never gets ready is stopped too (its exit counts as a failure).
    const starting = setTimeout(() => {
      this.#log.warn("a search worker did not start in time: it is stopped");
      void worker.terminate();
    }, START_MS);
    worker.on("message", (reply: SearchReply) => {
      if ("ready" in reply) {
        clearTimeout(starting);
        this.#ready.add(worker);
        const waiting = this.#busy.get(worker);
        if (waiting) this.#arm(worker, waiting);
        return;
      }
      const job = this.#busy.get(worker);
      if (!job || job.req.id !== reply.id) return;
      clearTimeout(job.deadline);
      this.#failures = 0;
      this.#busy.delete(worker);
      worker.unref();
      if (reply.ok) job.resolve({ action: reply.action, ms: reply.ms });
      else job.reject(new Error(`search failed: ${reply.error}`));
      if (!this.#closed) {
        this.#idle.push(worker);
        this.#pump();
      }
    });
    worker.on("error", (err) => this.#log.error({ err }, "a search worker failed; another takes its place"));
    worker.on("exit", (code) => {
      clearTimeout(starting);
      if (this.#closed) return;
      this.#workers--;
      const i = this.#idle.indexOf(worker);
      if (i >= 0) this.#idle.splice(i, 1);
      const job = this.#busy.get(worker);
      this.#busy.delete(worker);
      if (job) this.#failed(job, new Error(`the search worker exited (code ${code})`));
      this.#pump();
    });
    return worker;
  }
}

const MAX_FAILURES = 3;
/** How long a worker may take to load its module. */
const START_MS = 60_000;

interface Job {
  req: SearchRequest;
  deadline?: NodeJS.Timeout;
  resolve: (r: { action: BotAction; ms: number }) => void;
  reject: (e: Error) => void;
}

/**
 * The worker module: compiled JavaScript beside this file in production (dist/node), TypeScript
 * under tsx in development and tests. A worker thread does not inherit the tsx loader the main
 * thread was started with (on Node 20 not even through `execArgv`), so there it registers tsx
 * itself before importing the module (as the tournament's workers do).
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith(".js")) return new Worker(new URL("./search-worker.js", here));
  const api = import.meta.resolve("tsx/esm/api");
  const url = new URL("./search-worker.ts", here).href;
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); });`, { eval: true });
}
