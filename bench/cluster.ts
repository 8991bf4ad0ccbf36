// `npm run bench:cluster [-- --quick] [-- --only=failover,cost,capacity] [-- --tables=N] [-- --nodes=N] [-- --lease-ms=N] [-- --cap-tables=N] [-- --cap-hold-s=N]`
//
// The cluster benchmark (issue 16): nodes sharing the Redis at REDIS_URL (default
// redis://127.0.0.1:6379) under a key prefix of the run's own, deleted at the end. Failover after
// kill -9, the CPU cost of Redis against the memory store, and two nodes' capacity. Servers on
// core 0, load generators on core 1; 127.0.0.1 only; every scenario is bounded and stops by
// itself. Results go to bench/results/cluster-*.json (ignored by git). See docs/cluster-benchmarks.md.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { stderrLog } from "./lib/log.ts";
import { killAll } from "./lib/proc.ts";
import { round } from "./lib/stats.ts";
import { failover, type FailoverResult } from "./scenarios/failover.ts";
import { redisCost, type CostResult } from "./scenarios/redis-cost.ts";
import { clusterCapacity, type ClusterCapacityResult } from "./scenarios/cluster-capacity.ts";

const SCENARIOS = ["failover", "cost", "capacity"] as const;
type Scenario = (typeof SCENARIOS)[number];

function parseArgs(argv: string[]) {
  const o = { quick: false, only: [...SCENARIOS] as Scenario[], tables: 0, nodes: 3, leaseMs: 3000, capTables: 0, capHoldS: 0 };
  const int = (a: string, name: string, min: number) => {
    const v = Number(a.slice(name.length + 3));
    if (!Number.isInteger(v) || v < min) throw new TypeError(`Expected --${name} to be a whole number from ${min}, got ${a}`);
    return v;
  };
  for (const a of argv) {
    if (a === "--quick") o.quick = true;
    else if (a.startsWith("--tables=")) o.tables = int(a, "tables", 1);
    else if (a.startsWith("--nodes=")) o.nodes = int(a, "nodes", 2);
    else if (a.startsWith("--lease-ms=")) o.leaseMs = int(a, "lease-ms", 300);
    else if (a.startsWith("--cap-tables=")) o.capTables = int(a, "cap-tables", 2);
    else if (a.startsWith("--cap-hold-s=")) o.capHoldS = int(a, "cap-hold-s", 5);
    else if (a.startsWith("--only=")) {
      const names = a.slice("--only=".length).split(",");
      const bad = names.filter((n) => !SCENARIOS.includes(n as Scenario));
      if (bad.length) throw new TypeError(`Expected --only to list some of ${SCENARIOS.join(", ")}, got ${bad.join(", ")}`);
      o.only = names as Scenario[];
    } else throw new TypeError(`Unknown option ${a}. Known: --quick, --only=${SCENARIOS.join(",")}, --tables=N, --nodes=N, --lease-ms=N, --cap-tables=N, --cap-hold-s=N`);
  }
  return o;
}

const args = parseArgs(process.argv.slice(2));
const log = stderrLog();
const boundMs = (args.quick ? 6 : 30) * 60_000;
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

const machine = {
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.cpus().length,
  memoryGiB: round(os.totalmem() / 2 ** 30, 1),
  node: process.version,
  loadAverage: {} as Record<string, number>,
};
const startedAt = new Date();
log(`cluster bench (${args.quick ? "quick" : "full"}): ${args.only.join(", ")}; ${machine.cores} cores, ${machine.cpu}, load average ${os.loadavg()[0].toFixed(1)}`);

let fo: FailoverResult | null = null;
let cost: CostResult | null = null;
let cap: ClusterCapacityResult | null = null;
try {
  if (args.only.includes("failover")) {
    machine.loadAverage.failover = round(os.loadavg()[0], 2);
    fo = await failover(
      {
        nodes: args.nodes,
        tables: args.tables || (args.quick ? 300 : 3000),
        leaseMs: args.leaseMs,
        warmS: args.quick ? 8 : 20,
        afterS: args.quick ? 5 : 10,
        generators: args.quick ? 1 : 2,
        checkSample: args.quick ? 50 : 300,
      },
      log,
    );
  }
  if (args.only.includes("cost")) {
    machine.loadAverage.cost = round(os.loadavg()[0], 2);
    cost = await redisCost({ tables: args.quick ? 100 : 300, warmS: args.quick ? 5 : 10, windows: args.quick ? 2 : 6, windowS: args.quick ? 5 : 10 }, log);
  }
  if (args.only.includes("capacity")) {
    machine.loadAverage.capacity = round(os.loadavg()[0], 2);
    cap = await clusterCapacity({ tables: args.capTables || (args.quick ? 200 : 9000), holdS: args.capHoldS || (args.quick ? 10 : 300) }, log);
  }
} catch (e) {
  log(`cluster bench failed: ${(e as Error).stack ?? String(e)}`);
  killAll();
  process.exit(1);
}
machine.loadAverage.end = round(os.loadavg()[0], 2);

const verdict = (ok: boolean) => (ok ? "MET" : "MISSED");
const targets = {
  adoptedP99: fo ? `${verdict(fo.adoptedMs.p99 < 5000)} every table of the dead node adopted: p99 ${fo.adoptedMs.p99} ms (target < 5000)` : "not run",
  backP99: fo ? `${verdict(fo.backMs.p99 < 8000 && fo.backMs.notBack === 0)} players back in their seats: p99 ${fo.backMs.p99} ms, ${fo.backMs.notBack} not back (target < 8000, 0)` : "not run",
  lost: fo ? `${verdict(fo.check.lost === 0)} actions lost: ${fo.check.lost} of ${fo.check.actionsChecked} checked (target 0)` : "not run",
  costRatio: cost ? `${verdict(cost.ratio <= 1.3)} CPU per action, Redis / memory: ${cost.ratio} (target ≤ 1.3)` : "not run",
  capacity: cap ? `${cap.tables >= 9000 && cap.holdS >= 300 ? verdict(cap.passed) : "SCALED DOWN"} ${cap.tables} tables on 2 nodes for ${cap.holdS} s: p99 ${cap.latency.p99} ms, ${cap.errors} errors (target 9000 tables, 300 s, p99 < 50 ms, 0 errors)` : "not run",
};
const result = { plan: args.quick ? "quick" : "full", startedAt: startedAt.toISOString(), machine, targets, failover: fo, cost, capacity: cap };
mkdirSync("bench/results", { recursive: true });
const file = `bench/results/cluster-${startedAt.toISOString().replace(/[:.]/g, "-")}-${result.plan}.json`;
writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
process.stdout.write([`Big Two Online cluster benchmark (${result.plan}), ${result.startedAt}`, ...Object.entries(targets).map(([k, v]) => `  ${k.padEnd(11)} ${v}`), `Full result: ${file}`].join("\n") + "\n");
process.exit(0);
