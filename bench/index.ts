// `npm run bench [-- --quick] [-- --json] [-- --peers] [-- --rounds=N] [-- --nice=N] [-- --max-tables=N] [-- --only=throughput,memory,capacity,storm]`
//
// The capacity benchmark: the game server and a bare ws relay side by side on this machine. The
// servers run on core 0 and the load generators on core 1 (taskset); everything targets
// 127.0.0.1, is bounded in connections and time, and stops by itself. Results go to
// bench/results/ (ignored by git); a full run also redraws docs/benchmarks-latency.svg. `--peers`
// (`npm run bench:peers`) runs the peers comparison instead (scenarios/peers.ts), after installing
// bench/peers/ (its own package.json and lockfile) on its first run.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { latencyChart } from "./chart.ts";
import { stderrLog } from "./lib/log.ts";
import { serverFlags } from "./lib/gen.ts";
import { LOADGEN_CORE, fdLimit, killAll } from "./lib/proc.ts";
import { round } from "./lib/stats.ts";
import { FULL, QUICK, TARGETS } from "./plan.ts";
import { capacity, type CapacityResult } from "./scenarios/capacity.ts";
import { memory, type MemoryResult } from "./scenarios/memory.ts";
import { peers, peersTable } from "./scenarios/peers.ts";
import { storm, type StormReport } from "./scenarios/storm.ts";
import { throughput, type ThroughputResult } from "./scenarios/throughput.ts";

const SCENARIOS = ["throughput", "memory", "capacity", "storm"] as const;
type Scenario = (typeof SCENARIOS)[number];

function parseArgs(argv: string[]) {
  let quick = false;
  let json = false;
  let peersRun = false;
  let only: Scenario[] = [...SCENARIOS];
  let rounds: number | null = null;
  let nice = -10;
  let maxTables: number | null = null;
  for (const a of argv) {
    if (a === "--quick") quick = true;
    else if (a.startsWith("--rounds=")) {
      rounds = Number(a.slice("--rounds=".length));
      if (!Number.isInteger(rounds) || rounds < 1) throw new TypeError(`Expected --rounds to be a whole number from 1, got ${a}`);
    } else if (a.startsWith("--nice=")) {
      nice = Number(a.slice("--nice=".length));
      if (!Number.isInteger(nice) || nice < -20 || nice > 19) throw new TypeError(`Expected --nice to be a whole number from -20 to 19, got ${a}`);
    } else if (a.startsWith("--max-tables=")) {
      maxTables = Number(a.slice("--max-tables=".length));
      if (!Number.isInteger(maxTables) || maxTables < 1) throw new TypeError(`Expected --max-tables to be a whole number from 1, got ${a}`);
    } else if (a === "--json") json = true;
    else if (a === "--peers") peersRun = true;
    else if (a.startsWith("--only=")) {
      const names = a.slice("--only=".length).split(",");
      const bad = names.filter((n) => !SCENARIOS.includes(n as Scenario));
      if (bad.length) throw new TypeError(`Expected --only to list some of ${SCENARIOS.join(", ")}, got ${bad.join(", ")}`);
      only = names as Scenario[];
    } else throw new TypeError(`Unknown option ${a}. Known: --quick, --json, --peers, --rounds=N, --nice=N, --max-tables=N, --only=${SCENARIOS.join(",")}`);
  }
  return { quick, json, peers: peersRun, only, rounds, nice, maxTables };
}

const args = parseArgs(process.argv.slice(2));
const base = args.quick ? QUICK : FULL;
let plan = args.rounds ? { ...base, throughput: { ...base.throughput, rounds: args.rounds } } : base;
// --max-tables: a shorter capacity ramp, held 30 s there.
if (args.maxTables) {
  const m = args.maxTables;
  plan = { ...plan, capacity: { ...plan.capacity, maxTables: m, holdAt: Math.min(plan.capacity.holdAt, m), holdS: Math.min(plan.capacity.holdS, 30) } };
}
const log = stderrLog();
process.env.BENCH_NICE = String(args.nice);

// The orchestrator only waits and scrapes; it shares the generator's core, leaving core 0 to the server.
try {
  execFileSync("taskset", ["-a", "-p", "-c", String(LOADGEN_CORE), String(process.pid)], { stdio: "ignore" });
} catch {
  log("taskset not available: processes are not pinned, CPU figures are less meaningful");
}

// Bounded in time whatever happens: a stuck run kills its children and exits.
const boundMs = (args.quick ? 8 : 30) * 60_000;
setTimeout(() => {
  log(`time bound of ${boundMs / 60_000} min reached; stopping`);
  killAll();
  process.exit(3);
}, boundMs).unref();
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}
process.on("exit", () => killAll());

/** The niceness the bench processes really get (a non-root user may not raise priority). */
function grantedNice(n: number): number {
  try {
    return Number(execFileSync("nice", ["-n", String(n), "sh", "-c", "cut -d' ' -f19 /proc/self/stat"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
  } catch {
    return 0;
  }
}

const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model ?? "unknown",
  cores: cpus.length,
  memoryGiB: round(os.totalmem() / 2 ** 30, 1),
  kernel: `${os.type()} ${os.release()}`,
  node: process.version,
  openFiles: fdLimit("self"),
  pinning: `servers on core 0, load generators and orchestrator on core ${LOADGEN_CORE}`,
  niceness: grantedNice(args.nice),
  /** The flags the game server and the relay ran with: npm start's (package.json). */
  serverFlags: serverFlags().join(" "),
  autogroupScheduling: readFileSync("/proc/sys/kernel/sched_autogroup_enabled", "utf8").trim() === "1",
  /** Other tenants' load: the 1-minute load average when each scenario started and when the run ended. */
  loadAverage: {} as Record<string, number>,
};

const startedAt = new Date();
log(
  `bench (${plan.name}): ${args.peers ? "peers" : args.only.join(", ")}; ${machine.cores} cores, ${machine.cpu}, node ${machine.node}, ` +
    `open files ${machine.openFiles.soft}/${machine.openFiles.hard}, niceness ${machine.niceness}, load average ${os.loadavg()[0].toFixed(1)}, ` +
    `server flags "${machine.serverFlags}"`,
);

const stamp = startedAt.toISOString().replace(/[:.]/g, "-");

if (args.peers) {
  // Colyseus's packages live in bench/peers/, out of the project's own install: install them from
  // its lockfile on the first run (and again when the lockfile changes).
  const lock = "bench/peers/package-lock.json";
  const installed = "bench/peers/node_modules/.package-lock.json";
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
    log("installing bench/peers/ (npm ci)");
    execFileSync("npm", ["ci", "--prefix", "bench/peers", "--no-audit", "--no-fund"], { stdio: ["ignore", process.stderr, process.stderr] });
  }
  try {
    machine.loadAverage.start = round(os.loadavg()[0], 2);
    const r = await peers(plan, log);
    const result = { plan: plan.name, startedAt: startedAt.toISOString(), machine: { ...machine, loadAverageEnd: round(os.loadavg()[0], 2) }, ...r };
    mkdirSync("bench/results", { recursive: true });
    const file = `bench/results/${stamp}-peers-${plan.name}.json`;
    writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
    log(`results written to ${file}`);
    if (args.json) process.stdout.write(JSON.stringify(r.figures) + "\n");
    else process.stdout.write(`Big Two Online peers comparison (${plan.name}), ${startedAt.toISOString()}, ${machine.cpu}\n\n${peersTable(r)}\n\nFull result: ${file}\n`);
  } catch (e) {
    log(`bench failed: ${(e as Error).stack ?? String(e)}`);
    killAll();
    process.exit(1);
  }
  process.exit(0);
}

let tp: ThroughputResult | null = null;
let mem: MemoryResult | null = null;
let cap: CapacityResult | null = null;
let st: StormReport | null = null;
const durations: Record<string, number> = {};
const time = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  machine.loadAverage[name] = round(os.loadavg()[0], 2);
  try {
    return await fn();
  } finally {
    durations[name] = round((performance.now() - t0) / 1000, 1);
  }
};

try {
  if (args.only.includes("throughput")) tp = await time("throughput", () => throughput(plan, log));
  if (args.only.includes("memory")) mem = await time("memory", () => memory(plan, log));
  if (args.only.includes("capacity")) cap = await time("capacity", () => capacity(plan, log));
  if (args.only.includes("storm")) st = await time("storm", () => storm(plan, log));
} catch (e) {
  log(`bench failed: ${(e as Error).stack ?? String(e)}`);
  killAll();
  process.exit(1);
}

machine.loadAverage.end = round(os.loadavg()[0], 2);

const eq = tp?.equalRates ?? null;
const free = tp?.unequalRates ?? null;
const summary = {
  // The headline: the game server against the relay held to its rate, the median of the rounds.
  cpuRatio: eq?.cpuRatio ?? null,
  cpuMicrosPerMessage: tp?.ours.cpuMicrosPerMessage ?? null,
  relayCpuMicrosPerMessage: eq?.other.cpuMicrosPerMessage ?? null,
  playsPerSec: tp?.ours.playsPerSec ?? null,
  relayPlaysPerSec: eq?.other.playsPerSec ?? null,
  relayRateRatio: eq?.rateRatio ?? null,
  relayClientWorkUs: eq ? eq.clientWorkUs[eq.clientWorkUs.length - 1] : null,
  loadgenCpu: tp?.ours.loadgenCpu ?? null,
  // The same rounds' free-running relay (the one generator core drives it 1.6-1.7 times as fast).
  cpuRatioUnequalRates: free?.cpuRatio ?? null,
  relayUnequalRatesCpuMicrosPerMessage: free?.other.cpuMicrosPerMessage ?? null,
  relayUnequalRatesPlaysPerSec: free?.other.playsPerSec ?? null,
  cpuRatioPaced: tp?.paced?.relay.cpuRatio ?? null,
  pacedCpuMicrosPerMessage: tp?.paced?.ours.cpuMicrosPerMessage ?? null,
  pacedRelayCpuMicrosPerMessage: tp?.paced?.relay.other.cpuMicrosPerMessage ?? null,
  throughputP50ms: tp?.ours.p50ms ?? null,
  throughputP99ms: tp?.ours.p99ms ?? null,
  // The capacity hold's client-side p99 (human pace, at the hold's table count).
  p99ms: cap?.hold?.latency.p99 ?? null,
  p50ms: cap?.hold?.latency.p50 ?? null,
  serverP99ms: cap?.hold?.serverP99ms ?? null,
  holdTables: cap?.hold?.tables ?? null,
  holdSeconds: cap?.hold?.seconds ?? null,
  holdErrors: cap?.hold?.errors ?? null,
  bytesPerPlayer: mem?.bytesPerPlayer ?? null,
  relayBytesPerConnection: mem?.relayBytesPerConnection ?? null,
  memoryRatio: mem?.memoryRatio ?? null,
  rssPerPlayer: mem?.ours.rssPerConnection ?? null,
  relayRssPerConnection: mem?.relay.rssPerConnection ?? null,
  // Hard-bot tables beside the hold: every load player's p99 with them there, and how the cap went.
  hardBotsP99ms: cap?.hardBots?.latency.p99 ?? null,
  hardBotTables: cap?.hardBots?.hardTables ?? null,
  hardBotSearches: cap?.hardBots?.searches ?? null,
  hardBotFallbacks: cap?.hardBots?.fallbacks ?? null,
  hardBotSearchMsPerSecond: cap?.hardBots?.searchMsPerSecond ?? null,
  tablesHeld: cap?.tablesHeld ?? null,
  connectionsHeld: cap?.connectionsHeld ?? null,
  capacityStop: cap?.stopReason ?? null,
  reconnectSeconds: st?.seconds ?? null,
  reconnectTables: st?.tables ?? null,
  reconnectVerified: st ? st.verifiedTables === st.tables && st.failedSockets === 0 : null,
};

const verdict = (ok: boolean | null) => (ok === null ? "not run" : ok ? "MET" : "MISSED");
const holdFull = args.quick ? null : cap?.hold ? cap.hold.tables >= TARGETS.tables && cap.hold.seconds >= TARGETS.holdSeconds - 1 : false;
const targets = {
  cpuRatio: {
    target: `≤ ${TARGETS.cpuRatio} (the relay held to the game server's rate)`,
    value: summary.cpuRatio,
    result: verdict(eq ? eq.cpuRatio <= TARGETS.cpuRatio : null) + (args.quick && eq ? ` (quick: ${eq.pairs.length} rounds)` : ""),
  },
  memoryRatio: { target: `≤ ${TARGETS.memoryRatio}`, value: summary.memoryRatio, result: verdict(mem ? mem.memoryRatio <= TARGETS.memoryRatio : null) },
  capacity: {
    target: `${TARGETS.tables} tables for ${TARGETS.holdSeconds} s, p99 < ${TARGETS.p99ms} ms, 0 errors`,
    value: cap?.hold ? `${cap.hold.tables} tables for ${cap.hold.seconds} s, p99 ${cap.hold.latency.p99} ms, ${cap.hold.errors} errors` : null,
    result: cap === null ? "not run" : args.quick ? `quick run (${cap.hold?.passed ? "hold passed" : "hold failed"} at ${cap.hold?.tables ?? 0} tables)` : verdict(Boolean(holdFull && cap.hold?.passed)),
  },
  hardBots: {
    target: `p99 < ${TARGETS.p99ms} ms, 0 errors with hard-bot tables beside the hold`,
    value: cap?.hardBots ? `${cap.hardBots.hardTables} hard-bot tables beside ${cap.hardBots.heldTables}: p99 ${cap.hardBots.latency.p99} ms, ${cap.hardBots.errors} errors` : null,
    result: cap?.hardBots ? (args.quick ? `quick run (${cap.hardBots.passed ? "passed" : "failed"})` : verdict(cap.hardBots.passed)) : "not run",
  },
  reconnect: {
    target: `${TARGETS.stormTables} tables back in < ${TARGETS.reconnectSeconds} s, state identical`,
    value: st ? `${st.tables} tables in ${st.seconds} s, ${st.verifiedTables} identical` : null,
    result:
      st === null
        ? "not run"
        : args.quick
          ? `quick run (${st.tables} tables)`
          : verdict(st.tables >= TARGETS.stormTables && st.seconds < TARGETS.reconnectSeconds && summary.reconnectVerified === true),
  },
};

const result = { plan: plan.name, startedAt: startedAt.toISOString(), durations, machine, summary, targets, throughput: tp, memory: mem, capacity: cap, storm: st };
mkdirSync("bench/results", { recursive: true });
const file = `bench/results/${stamp}-${plan.name}.json`;
writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
writeFileSync(`bench/results/latest-${plan.name}.json`, JSON.stringify(result, null, 2) + "\n");
if (cap && cap.steps.length > 0) {
  const title = `Action latency vs tables (${plan.name} run ${startedAt.toISOString().slice(0, 10)}, ${machine.cores} cores)`;
  const svg = latencyChart(cap, title, TARGETS.p99ms, TARGETS.rampStopP99ms);
  writeFileSync(`bench/results/latency-${plan.name}.svg`, svg);
  if (plan.name === "full" && args.only.length === SCENARIOS.length) writeFileSync("docs/benchmarks-latency.svg", svg);
}
log(`results written to ${file}`);

if (args.json) {
  process.stdout.write(JSON.stringify(summary) + "\n");
} else {
  const rows: [string, unknown][] = Object.entries(summary);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [`Big Two Online capacity benchmark (${plan.name}), ${startedAt.toISOString()}`, ""];
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(width)}  ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`);
  lines.push("", "Targets:");
  const keyWidth = Math.max(...Object.keys(targets).map((k) => k.length));
  for (const [k, t] of Object.entries(targets)) lines.push(`  ${k.padEnd(keyWidth)} ${String(t.result).padEnd(8)} ${t.target}; measured: ${t.value ?? "-"}`);
  lines.push("", `Durations (s): ${JSON.stringify(durations)}`, `Full result: ${file}`);
  process.stdout.write(lines.join("\n") + "\n");
}
process.exit(0);
