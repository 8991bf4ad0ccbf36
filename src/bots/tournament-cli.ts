// npm run tournament -- --a hard --b normal --deals 2000 --seed 1 [--budget-ms N] [--workers N] [--json]
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { median, parseLevel, summarize, type DuplicateResult, type Summary } from "./tournament.ts";
import type { WorkerJob, WorkerReply, WorkerSetup } from "./tournament-worker.ts";

export interface TournamentOptions {
  a: string;
  b: string;
  deals: number;
  seed: string;
  budgetMs?: number;
  workers?: number;
  /** Deals handed to a worker at a time. */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface TournamentResult {
  summary: Summary;
  results: DuplicateResult[];
  /** Median ms of A's decisions that had more than one legal choice. */
  contestedMs: number;
  seconds: number;
}

/**
 * Worker threads do not inherit the tsx loader that `node --import tsx` gave this thread (on
 * Node 20 `execArgv: ["--import", "tsx"]` does not reach a worker's module loader either), so
 * each worker registers tsx itself before importing the TypeScript worker module.
 */
function bootstrap(worker: URL): string {
  const api = import.meta.resolve("tsx/esm/api");
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(worker.href)}); });`;
}

/** Play the tournament on worker threads (one per core by default); deals are shared out in chunks. */
export async function runTournament(o: TournamentOptions): Promise<TournamentResult> {
  const setup: WorkerSetup = { a: parseLevel(o.a), b: parseLevel(o.b), seed: o.seed, budgetMs: o.budgetMs };
  const workers = Math.max(1, Math.min(o.workers ?? availableParallelism(), o.deals));
  const chunk = o.chunk ?? Math.max(1, Math.min(10, Math.ceil(o.deals / (workers * 4))));
  const results: DuplicateResult[] = new Array(o.deals);
  const t0 = performance.now();
  let next = 0;
  let done = 0;
  const url = new URL("./tournament-worker.ts", import.meta.url);
  await Promise.all(
    Array.from({ length: workers }, () =>
      new Promise<void>((resolve, reject) => {
        const w = new Worker(bootstrap(url), { eval: true, workerData: setup });
        const give = () => {
          const job: WorkerJob = next < o.deals ? { from: next, to: Math.min(o.deals, next + chunk) } : null;
          if (job) next = job.to;
          w.postMessage(job);
        };
        w.on("message", (reply: WorkerReply) => {
          reply.results.forEach((r, i) => (results[reply.from + i] = r));
          done += reply.results.length;
          o.onProgress?.(done, o.deals);
          give();
        });
        w.on("error", reject);
        w.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`tournament worker exited with code ${code}`))));
        give();
      }),
    ),
  );
  const times = results.flatMap((r) => r.times);
  const contested = results.flatMap((r) => r.contested);
  return {
    summary: summarize(o.a, o.b, results, times),
    results,
    contestedMs: Math.round(median(contested) * 1000) / 1000,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
  };
}

const USAGE = "Usage: npm run tournament -- --a LEVEL --b LEVEL [--deals N] [--seed S] [--budget-ms N] [--workers N] [--json]\n" +
  "Levels: random, easy (greedy), normal (expert), hard (search).";

export function parseArgs(argv: string[]): TournamentOptions & { json: boolean } {
  const out: TournamentOptions & { json: boolean } = { a: "", b: "", deals: 2000, seed: "1", json: false };
  const int = (flag: string, raw: string | undefined, min: number): number => {
    const n = Number(raw);
    if (raw === undefined || !Number.isInteger(n) || n < min) throw new TypeError(`Expected ${flag} to be a whole number from ${min}, got ${JSON.stringify(raw)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--a":
        out.a = value();
        break;
      case "--b":
        out.b = value();
        break;
      case "--deals":
        out.deals = int(flag, value(), 1);
        break;
      case "--seed":
        out.seed = value();
        break;
      case "--budget-ms":
        out.budgetMs = int(flag, value(), 1);
        break;
      case "--workers":
        out.workers = int(flag, value(), 1);
        break;
      case "--json":
        out.json = true;
        break;
      default:
        throw new TypeError(`Unknown option ${JSON.stringify(flag)}.\n${USAGE}`);
    }
  }
  if (!out.a || !out.b) throw new TypeError(`Name both sides with --a and --b.\n${USAGE}`);
  parseLevel(out.a);
  parseLevel(out.b);
  if (out.seed === undefined) throw new TypeError("--seed needs a value");
  return out;
}

async function main(): Promise<void> {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  let last = 0;
  const { summary, contestedMs, seconds } = await runTournament({
    ...opts,
    onProgress: (done, total) => {
      if (!process.stderr.isTTY && done !== total && done - last < Math.max(1, total / 20)) return;
      last = done;
      process.stderr.write(`${process.stderr.isTTY ? "\r" : ""}${done}/${total} deals${process.stderr.isTTY ? "" : "\n"}`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write("\n");
  if (opts.json) {
    process.stdout.write(JSON.stringify(summary) + "\n");
    return;
  }
  const s = summary;
  const sign = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(2);
  process.stdout.write(
    [
      `${s.a} (A) vs ${s.b} (B): ${s.deals} duplicate deals (${s.deals * 2} games), seed ${JSON.stringify(opts.seed)}` +
        (opts.budgetMs ? `, search budget ${opts.budgetMs} ms` : ""),
      `  A's mean score per deal: ${sign(s.meanScoreA)}  (95% CI ${sign(s.ciLow)} .. ${sign(s.ciHigh)})`,
      `  A's win rate: ${(s.winRateA * 100).toFixed(1)}%  (par 25%)`,
      `  A's median decision time: ${s.msPerDecisionA} ms (${contestedMs} ms when there was a choice)`,
      `  ${seconds} s on ${opts.workers ?? availableParallelism()} worker thread(s)`,
    ].join("\n") + "\n",
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
