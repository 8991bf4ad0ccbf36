// A/B two builds of the game server under the throughput load, taking turns in short windows as
// the throughput scenario does (ABBA), so both see the same machine. A change to the server's hot
// path is a few percent of its CPU per frame, below what two runs one after the other can tell
// apart on this machine; side by side, the median of many pairs can.
// Usage: node --import tsx bench/tools/ab.ts OTHER_CHECKOUT [tables=500] [pairs=12] [windowS=5]
// OTHER_CHECKOUT is another checkout of this project (B), with its node_modules (a copy or a
// link); A is this one (or `.` for both, to compare flags). AB_FLAGS_A and AB_FLAGS_B replace
// that side's Node flags (by default both get `npm start`'s). Prints each pair and the median
// ratio A/B of CPU per delivered frame. AB_MODE=paced plays at the paced load instead (each
// player thinks PACED_THINK_MS; give it 1000 tables, as the throughput scenario does).
// Set BENCH_NICE=-10 as `npm run bench` does, when permitted.
import { resolve } from "node:path";
import { Gen } from "../lib/gen.ts";
import { counters, diffCounters, SERVER_CORE, spawnPinned } from "../lib/proc.ts";
import { sleep } from "../lib/stats.ts";
import type { GenStats, ThinkMode } from "../lib/ipc.ts";
import { LOAD_SETTINGS } from "../plan.ts";
import { serverFlags } from "../lib/gen.ts";

const other = process.argv[2];
if (!other) throw new TypeError("usage: ab.ts OTHER_CHECKOUT [tables] [pairs] [windowS]");
const tables = Number(process.argv[3] ?? 500);
const pairs = Number(process.argv[4] ?? 12);
const windowS = Number(process.argv[5] ?? 5);
const mode = (process.env.AB_MODE ?? "zero") as ThinkMode;
if (mode !== "zero" && mode !== "paced") throw new TypeError(`AB_MODE is zero or paced, not ${mode}`);

interface Side {
  name: "A" | "B";
  pid: number;
  gen: Gen;
  stop: () => Promise<void>;
}

async function start(name: "A" | "B", root: string): Promise<Side> {
  const proc = spawnPinned(SERVER_CORE, resolve(root, "src/server/main.ts"), {
    env: { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", RATE_PER_SECOND: "10000", RATE_BURST: "20000" },
    nodeArgs: process.env[`AB_FLAGS_${name}`]?.split(" ").filter(Boolean) ?? serverFlags(),
  });
  const url = (await proc.waitFor(/Big Two Online on (http:\/\/[^\s]+)/))[1];
  const gen = new Gen(1, { semiSpaceMB: 32 });
  const opened = (await gen.request({ cmd: "open", url, tables, mode, settings: LOAD_SETTINGS, concurrency: 50 })) as { failed: number };
  if (opened.failed > 0) throw new Error(`${name}: ${opened.failed} tables failed to open`);
  await sleep(5000);
  await gen.request({ cmd: "mode", mode: "frozen" });
  return { name, pid: proc.pid, gen, stop: async () => void (await Promise.allSettled([gen.stop(), proc.stop()])) };
}

async function measure(side: Side): Promise<{ perFrame: number; plays: number }> {
  await side.gen.request({ cmd: "mode", mode });
  await sleep(1000);
  await side.gen.procs[0].request({ cmd: "stats" });
  const k0 = counters(side.pid);
  await sleep(windowS * 1000);
  const s = (await side.gen.procs[0].request({ cmd: "stats" })) as GenStats;
  const k = diffCounters(k0, counters(side.pid));
  await side.gen.request({ cmd: "mode", mode: "frozen" });
  return { perFrame: (k.cpu * 1e6) / s.framesIn, plays: s.actions / s.seconds };
}

const a = await start("A", process.cwd());
const b = await start("B", other);
const ratios: number[] = [];
try {
  for (let p = 0; p < pairs; p++) {
    const order = p % 4 === 0 || p % 4 === 3 ? [a, b] : [b, a];
    const got: Record<string, { perFrame: number; plays: number }> = {};
    for (const side of order) got[side.name] = await measure(side);
    const r = got.A.perFrame / got.B.perFrame;
    ratios.push(r);
    console.log(
      `pair ${p + 1}: A ${got.A.perFrame.toFixed(2)} µs/frame at ${got.A.plays.toFixed(0)} plays/s, ` +
        `B ${got.B.perFrame.toFixed(2)} at ${got.B.plays.toFixed(0)}, A/B ${r.toFixed(3)}`,
    );
  }
} finally {
  await Promise.all([a.stop(), b.stop()]);
}
ratios.sort((x, y) => x - y);
const mid = ratios.length / 2;
const median = ratios.length % 2 ? ratios[Math.floor(mid)] : (ratios[mid - 1] + ratios[mid]) / 2;
console.log(`median A/B ${median.toFixed(3)} (range ${ratios[0].toFixed(3)}-${ratios[ratios.length - 1].toFixed(3)}, ${ratios.length} pairs)`);
process.exit(0);
