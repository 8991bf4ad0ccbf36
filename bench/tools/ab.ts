// A/B two builds of the game server under the throughput load, taking turns in short windows as
// the throughput scenario does (ABBA), so both see the same machine. A change to the server's hot
// path is a few percent of its CPU per frame, below what two runs one after the other can tell
// apart on a shared machine; side by side, the median of many pairs can.
//
//   node --import tsx bench/tools/ab.ts OTHER_CHECKOUT [tables=500] [pairs=12] [windowS=5]
//
// A is this checkout's server, B is OTHER_CHECKOUT's src/server/main.ts (it needs its own
// node_modules). The harness, the generators and their bots are this checkout's, so B must speak
// the same protocol. AB_FLAGS_A / AB_FLAGS_B give a side Node flags other than `npm start`'s
// (pass `.` as OTHER_CHECKOUT to compare flags on one build). Read the median against a run of
// one build against itself, not against 1: such runs gave 1.02-1.03 (the tool leans towards B).
import { resolve } from "node:path";
import { Gen, serverFlags } from "../lib/gen.ts";
import { counters, diffCounters, SERVER_CORE, spawnPinned } from "../lib/proc.ts";
import { sleep } from "../lib/stats.ts";
import type { GenStats } from "../lib/ipc.ts";
import { LOAD_SETTINGS } from "../plan.ts";

const other = process.argv[2];
if (!other) throw new TypeError("usage: ab.ts OTHER_CHECKOUT [tables=500] [pairs=12] [windowS=5]");
function count(i: number, name: string, fallback: number): number {
  const n = Number(process.argv[i] ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`Expected ${name} to be a whole number from 1, got ${process.argv[i]}`);
  return n;
}
const tables = count(3, "tables", 500);
const pairs = count(4, "pairs", 12);
const windowS = count(5, "windowS", 5);
// A side is frozen for up to two windows in a row (ABBA); its tables must not reach their turn clock.
if (2 * (windowS + 2) >= LOAD_SETTINGS.turnSeconds) throw new TypeError(`windowS ${windowS} is too long for the ${LOAD_SETTINGS.turnSeconds} s turn clock`);
process.env.BENCH_NICE ??= "-10";

interface Side {
  name: "A" | "B";
  pid: number;
  gen: Gen;
  stop: () => Promise<void>;
}

/** A side: its server, and a generator that opens the tables, warms up for 5 s and freezes. */
async function start(name: "A" | "B", root: string): Promise<Side> {
  const proc = spawnPinned(SERVER_CORE, resolve(root, "src/server/main.ts"), {
    env: { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", RATE_PER_SECOND: "10000", RATE_BURST: "20000" },
    nodeArgs: process.env[`AB_FLAGS_${name}`]?.split(" ").filter(Boolean) ?? serverFlags(),
  });
  const gen = new Gen(1, { semiSpaceMB: 32 });
  const stop = async () => void (await Promise.allSettled([gen.stop(), proc.stop()]));
  try {
    const url = (await proc.waitFor(/Big Two Online on (http:\/\/[^\s]+)/))[1];
    const opened = await gen.request({ cmd: "open", url, tables, mode: "zero", settings: LOAD_SETTINGS, concurrency: 50 });
    if (opened.failed > 0) throw new Error(`${name}: ${opened.failed} tables failed to open: ${opened.firstError}`);
    await sleep(5000);
    await gen.request({ cmd: "mode", mode: "frozen" });
  } catch (e) {
    await stop();
    throw e;
  }
  return { name, pid: proc.pid, gen, stop };
}

async function measure(side: Side): Promise<{ perFrame: number; plays: number }> {
  await side.gen.request({ cmd: "mode", mode: "zero" });
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
const b = await start("B", other).catch(async (e: unknown) => {
  await a.stop();
  throw e;
});
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
console.log(
  `median A/B ${median.toFixed(3)} (range ${ratios[0].toFixed(3)}-${ratios[ratios.length - 1].toFixed(3)}; ` +
    `${ratios.filter((r) => r < 1).length} of ${ratios.length} pairs under 1)`,
);
process.exit(0);
