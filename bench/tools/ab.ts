// A/B two builds of the game server under the throughput load, taking turns in short windows as
// the throughput scenario does (ABBA), so both see the same machine. A change to the server's hot
// path is a few percent of its CPU per frame, below what two runs one after the other can tell
// apart on this machine; side by side, the median of many pairs can.
// Usage: node --import tsx bench/tools/ab.ts OTHER_CHECKOUT [tables=500] [pairs=12] [windowS=5]
// Prints each pair and the median ratio A/B of CPU per delivered frame.
// - A is this checkout's server; B is OTHER_CHECKOUT's src/server/main.ts (it needs its own
//   node_modules, a copy or a link). Everything else is this checkout's: the harness, the
//   generators and their bots, tsx, and `npm start`'s Node flags for both sides. So B must speak
//   the same protocol; pass `.` as OTHER_CHECKOUT to compare flags or generators on one build.
// - AB_FLAGS_A / AB_FLAGS_B: that side's Node flags instead of `npm start`'s.
// - AB_SEMI_A / AB_SEMI_B: that side's generator semi-space in MB (default 32, as in the
//   throughput scenario): a faster or slower generator, to see what the rate does.
// - AB_MODE=paced: the paced load (each player thinks PACED_THINK_MS; give it 1000 tables).
// - AB_THINK_A / AB_THINK_B=LO,HI: that side's players think LO-HI ms (uniform) instead: a side
//   held to a lower rate, to see what the rate does to the cost of a frame (`.` for both; think
//   time also changes how the plays arrive, which this cannot tell apart from the rate).
// - AB_RELAY=1: both sides are the bare relay (bench/relay.ts, frames of the game server's mean
//   sizes) instead of game servers (pass `.` as OTHER_CHECKOUT); AB_CLIENT_US_A / AB_CLIENT_US_B: that
//   side's relay clients busy-wait this many µs before each play, so the same relay runs at a
//   lower rate: what the rate alone does to its CPU per frame (see docs/benchmarks.md, "The rate").
// - BENCH_NICE=-10, as `npm run bench` sets, when permitted.
import { resolve } from "node:path";
import { Gen, serverFlags, startRelay } from "../lib/gen.ts";
import { counters, diffCounters, SERVER_CORE, spawnPinned } from "../lib/proc.ts";
import { sleep } from "../lib/stats.ts";
import type { GenStats, ThinkMode } from "../lib/ipc.ts";
import { LOAD_SETTINGS } from "../plan.ts";

const other = process.argv[2];
if (!other) throw new TypeError("usage: ab.ts OTHER_CHECKOUT [tables=500] [pairs=12] [windowS=5]");
function count(i: number, name: string, fallback: number, min: number): number {
  const n = Number(process.argv[i] ?? fallback);
  if (!Number.isInteger(n) || n < min) throw new TypeError(`Expected ${name} to be a whole number of at least ${min}, got ${process.argv[i]}`);
  return n;
}
const tables = count(3, "tables", 500, 1);
const pairs = count(4, "pairs", 12, 1);
const windowS = count(5, "windowS", 5, 1);
// A side is frozen for up to two windows in a row (ABBA); its tables must not reach their turn clock.
if (2 * (windowS + 2) >= LOAD_SETTINGS.turnSeconds) throw new TypeError(`windowS ${windowS} is too long for the ${LOAD_SETTINGS.turnSeconds} s turn clock`);
const mode = (process.env.AB_MODE ?? "zero") as ThinkMode;
if (mode !== "zero" && mode !== "paced") throw new TypeError(`AB_MODE is zero or paced, not ${mode}`);

/** A side's think time: AB_THINK_<name> as "LO,HI" ms, or the mode's own. */
function thinkOf(name: "A" | "B"): { mode: ThinkMode; pacedMs?: [number, number] } {
  const text = process.env[`AB_THINK_${name}`];
  if (text === undefined) return { mode };
  const m = /^\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  const [lo, hi] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  // A think time near the turn clock would have the clock play for the bots.
  const most = (LOAD_SETTINGS.turnSeconds * 1000) / 10;
  if (!m || lo > hi || hi > most) {
    throw new TypeError(`Expected AB_THINK_${name} to be LO,HI in ms (0 <= LO <= HI <= ${most}), got ${text}`);
  }
  return { mode: "paced", pacedMs: [lo, hi] };
}
const think = { A: thinkOf("A"), B: thinkOf("B") };

interface Side {
  name: "A" | "B";
  pid: number;
  gen: Gen;
  stop: () => Promise<void>;
}

/** The game server's mean frame sizes in the throughput scenario (its runs print them). */
const RELAY_IN_BYTES = 24;
const RELAY_OUT_BYTES = 146;

// A setting that does not apply to this run would be silently ignored: refuse it instead.
for (const name of ["A", "B"]) {
  if (process.env.AB_RELAY === "1" && process.env[`AB_FLAGS_${name}`] !== undefined) throw new TypeError(`AB_FLAGS_${name} applies to game servers, not to AB_RELAY=1`);
  if (process.env.AB_RELAY !== "1" && process.env[`AB_CLIENT_US_${name}`] !== undefined) throw new TypeError(`AB_CLIENT_US_${name} applies only with AB_RELAY=1`);
}

/**
 * A side: its server (already started) and a generator that `open`s the load on it, warms up for
 * 5 s and freezes. On a failure both are stopped.
 */
async function sideOf(name: "A" | "B", server: { pid: number; stop: () => Promise<unknown> }, open: (gen: Gen) => Promise<void>): Promise<Side> {
  const gen = new Gen(1, { semiSpaceMB: Number(process.env[`AB_SEMI_${name}`] ?? 32) });
  const stop = async () => void (await Promise.allSettled([gen.stop(), server.stop()]));
  try {
    await open(gen);
    await sleep(5000);
    await gen.request({ cmd: "mode", mode: "frozen" });
  } catch (e) {
    await stop();
    throw e;
  }
  return { name, pid: server.pid, gen, stop };
}

async function startRelaySide(name: "A" | "B"): Promise<Side> {
  const workUs = Number(process.env[`AB_CLIENT_US_${name}`] ?? 0);
  if (!(workUs >= 0 && workUs <= 1000)) throw new TypeError(`Expected AB_CLIENT_US_${name} to be 0-1000 µs, got ${process.env[`AB_CLIENT_US_${name}`]}`);
  const pad = RELAY_OUT_BYTES - RELAY_IN_BYTES - `{"f":,"p":""}`.length;
  const relay = await startRelay({ RELAY_PAD_BYTES: String(pad) });
  return sideOf(name, { pid: relay.pid, stop: () => relay.proc.stop() }, async (gen) => {
    const opened = (await gen.request({ cmd: "relayOpen", url: relay.url, groups: tables, mode, inBytes: RELAY_IN_BYTES, concurrency: 50 })) as { failed: number };
    if (opened.failed > 0) throw new Error(`${name}: ${opened.failed} relay groups failed to open`);
    await gen.request({ cmd: "relayWork", us: workUs });
    await gen.request({ cmd: "relayKick" });
  });
}

async function start(name: "A" | "B", root: string): Promise<Side> {
  if (process.env.AB_RELAY === "1") return startRelaySide(name);
  const proc = spawnPinned(SERVER_CORE, resolve(root, "src/server/main.ts"), {
    env: { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", RATE_PER_SECOND: "10000", RATE_BURST: "20000" },
    nodeArgs: process.env[`AB_FLAGS_${name}`]?.split(" ").filter(Boolean) ?? serverFlags(),
  });
  const url = (await proc.waitFor(/Big Two Online on (http:\/\/[^\s]+)/))[1];
  return sideOf(name, { pid: proc.pid, stop: () => proc.stop() }, async (gen) => {
    const opened = (await gen.request({ cmd: "open", url, tables, mode, settings: LOAD_SETTINGS, concurrency: 50 })) as { failed: number };
    if (opened.failed > 0) throw new Error(`${name}: ${opened.failed} tables failed to open`);
  });
}

async function measure(side: Side): Promise<{ perFrame: number; plays: number }> {
  await side.gen.request({ cmd: "mode", ...think[side.name] });
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
const under = ratios.filter((r) => r < 1).length;
console.log(
  `median A/B ${median.toFixed(3)} (range ${ratios[0].toFixed(3)}-${ratios[ratios.length - 1].toFixed(3)}; ` +
    `${under} of ${ratios.length} pairs under 1)`,
);
process.exit(0);
