// `npm run bots -- --server ws://127.0.0.1:8080/ws --tables 20 --think 0`
// Fills tables with four bots each over real WebSockets, plays every match to the end, prints a
// summary and exits 0 only if every table finished without an error.
import { parseArgs } from "node:util";
import type { ServerMessage } from "../protocol/index.ts";
import { strategyFor, type BotLevel } from "./strategies/index.ts";
import { WsBot } from "./ws-bot.ts";

const USAGE = `Usage: npm run bots -- [--server ws://127.0.0.1:8080/ws] [--tables 20] [--think ms] [--level easy]
       [--deals 4] [--turn-seconds 30] [--timeout 600]
  --think    think time per action in ms (default 1500, spread ±40%; 0 answers at once)
  --level    random | easy | normal | hard (the bots' strategy)
  --timeout  give up after this many seconds (exit 1)`;

function fail(message: string): never {
  process.stderr.write(`bots: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const options = {
  server: { type: "string", default: "ws://127.0.0.1:8080/ws" },
  tables: { type: "string", default: "20" },
  think: { type: "string", default: "1500" },
  level: { type: "string", default: "easy" },
  deals: { type: "string", default: "4" },
  "turn-seconds": { type: "string", default: "30" },
  timeout: { type: "string", default: "600" },
  help: { type: "boolean", default: false },
} as const;
let values!: ReturnType<typeof parseArgs<{ options: typeof options }>>["values"];
try {
  ({ values } = parseArgs({
    options,
  }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help) {
  process.stdout.write(USAGE + "\n");
  process.exit(0);
}
const int = (name: string, raw: string, min: number, max: number) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) fail(`Expected --${name} to be a whole number from ${min} to ${max}, got "${raw}".`);
  return n;
};
const tables = int("tables", values.tables, 1, 5000);
const think = int("think", values.think, 0, 60000);
const deals = int("deals", values.deals, 1, 100);
const turnSeconds = int("turn-seconds", values["turn-seconds"], 0, 300);
const timeout = int("timeout", values.timeout, 1, 86400);
const levels = ["random", "easy", "normal", "hard"];
if (!levels.includes(values.level)) fail(`Expected --level to be one of ${levels.join(", ")}, got "${values.level}".`);
if (!/^wss?:\/\//.test(values.server)) fail(`Expected --server to be a ws:// or wss:// URL, got "${values.server}".`);

/** Failed reconnects in a row before a bot gives up (0.5 s apart: a node's lease runs out meanwhile). */
const RECONNECT_ATTEMPTS = 30;
const strategy = strategyFor(values.level as BotLevel);
const thinkMs = think === 0 ? () => 0 : () => think * (0.6 + Math.random() * 0.8);

interface TableRun {
  bots: WsBot[];
  finished: number;
  errors: string[];
}

async function runTable(i: number): Promise<TableRun> {
  const run: TableRun = { bots: [], finished: 0, errors: [] };
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const onMessage = (msg: ServerMessage) => {
    // A rate-limited move is repeated by the brain a moment later: a throttle, not a failure.
    if (msg.type === "error" && msg.code === "rate/limited") throttled++;
    else if (msg.type === "error") run.errors.push(`${msg.code}: ${msg.message}`);
    if (msg.type === "closed") {
      run.errors.push(`table closed: ${msg.code}`);
      resolveDone();
    }
    if (msg.type === "matchEnd" && ++run.finished === 4) resolveDone();
  };
  // A bot whose node dies finds another through welcome.nodes (in a cluster, the table's new owner).
  const onGone = (reason: string) => {
    if (run.finished < 4) {
      run.errors.push(reason);
      resolveDone();
    }
  };
  run.bots = [0, 1, 2, 3].map(
    (s) => new WsBot({ url: values.server, name: `bot${i}-${s}`, strategy, thinkMs, onMessage, onGone, reconnectAttempts: RECONNECT_ATTEMPTS }),
  );
  await Promise.all(run.bots.map((b) => b.connect()));
  const [host, ...guests] = run.bots;
  host.send({ type: "table.create", settings: { name: `Bots ${i}`, deals, turnSeconds } });
  while (!host.tableId && run.errors.length === 0) await new Promise((r) => setTimeout(r, 5));
  for (const g of guests) g.send({ type: "table.join", tableId: host.tableId ?? "" });
  await done;
  for (const b of run.bots) b.close();
  return run;
}

let throttled = 0;
const started = performance.now();
const runs: TableRun[] = [];
const all = Promise.all(
  Array.from({ length: tables }, (_, i) =>
    runTable(i).then(
      (r) => runs.push(r),
      (e: Error) => runs.push({ bots: [], finished: 0, errors: [`could not connect: ${e.message}`] }),
    ),
  ),
);
const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeout * 1000).unref())]);
const seconds = (performance.now() - started) / 1000;
const finished = runs.filter((r) => r.finished === 4 && r.errors.length === 0).length;
const actions = runs.reduce((n, r) => n + r.bots.reduce((m, b) => m + b.brain.stats.actions, 0), 0);
const errors = runs.flatMap((r) => r.errors);
process.stdout.write(
  [
    `tables:   ${finished}/${tables} finished${timedOut ? ` (timed out after ${timeout} s)` : ""}`,
    `actions:  ${actions} (${Math.round(actions / seconds)}/s)`,
    `throttled: ${throttled} (moves the server's rate limit made the bots repeat)`,
    `errors:   ${errors.length}${errors.length ? " — " + [...new Set(errors)].slice(0, 5).join("; ") : ""}`,
    `time:     ${seconds.toFixed(1)} s`,
  ].join("\n") + "\n",
);
process.exit(finished === tables && errors.length === 0 && !timedOut ? 0 : 1);
