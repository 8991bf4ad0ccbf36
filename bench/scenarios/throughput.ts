// Scenario 1: zero-think bots in a closed loop at a fixed number of tables, on the game server
// and on the bare relay, at equal rates. The fair comparison is server CPU per delivered frame at
// the same plays/s: a server's cost per frame falls as its rate rises, and the one generator core
// drives the relay's light clients 1.6-1.7 times as fast as game clients, so the relay's clients
// busy-wait the difference before each play (calibrated, then corrected round by round).
//
// Both servers run for the whole scenario, each with its own generator, and they take turns:
// one side's bots play while the others' are frozen, in short windows (relay held, game server,
// relay free; the next round the other way round). The machine is
// shared and its speed drifts by tens of percent within a minute (neighbours' load); windows
// seconds apart see nearly the same machine, where back-to-back runs of 25 s each did not (one
// full run's four rounds gave ratios from 0.87 to 1.27). Each side's figures are its windows
// summed; each round gives a ratio, and cpuRatio is their median (robust to the machine's spikes,
// which hit one window of a round); the pooled ratio and the spread are kept. Each round also
// measures the free-running relay: the unequal-rate ratio, kept beside the headline.
import { Gen, startColyseus, startGameServer, startRelay, type ServerHandle } from "../lib/gen.ts";
import { PACED_THINK_MS, type GenStats, type ThinkMode } from "../lib/ipc.ts";
import { counters, diffCounters, type ProcCounters } from "../lib/proc.ts";
import { histogramQuantile, scrape, value, type Samples as Prom } from "../lib/prom.ts";
import { round, sleep, summarize } from "../lib/stats.ts";
import { LOAD_SETTINGS, type Plan } from "../plan.ts";
import type { Log } from "../lib/log.ts";

export interface ThroughputSide {
  playsPerSec: number;
  framesPerSec: number;
  cpuMicrosPerMessage: number;
  /** Server CPU in cores over the windows (1 = one core busy). */
  serverCpu: number;
  loadgenCpu: number;
  p50ms: number;
  p99ms: number;
  /** The server's own action latency (its histogram), where it has one. */
  serverP99ms: number | null;
  meanFrameToClient: number;
  meanFrameFromClient: number;
  errors: number;
  bottleneck: "server" | "loadgen" | "neither";
  /** Frames the server says it handed to sockets, per second (game server only). */
  serverFramesOutPerSec: number | null;
  /** Where the server's time per delivered frame goes (kernel counters over the windows). */
  perFrame: { userMicros: number; systemMicros: number; readSyscalls: number; writeSyscalls: number; contextSwitches: number };
  /** Seconds per second the server's main thread was runnable but waiting for the core (other load). */
  runqueueWaitPerSec: number;
  /** Measured seconds (the windows' sum). */
  seconds: number;
}

export interface WindowPair {
  /** Each side's CPU per delivered frame (µs) and plays/s in its window of the round. */
  ours: number;
  other: number;
  oursPlaysPerSec: number;
  otherPlaysPerSec: number;
  /** ours / other CPU per delivered frame in this round. */
  cpuRatio: number;
}

export interface Spread {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/** The game server's windows against one other side's (the relay, or a peer), round by round. */
export interface Comparison {
  other: ThroughputSide;
  /** The median of the rounds' ratios: the figure a target is judged on. */
  cpuRatio: number;
  /** ours / other CPU per delivered frame with each side's windows summed (beside the median). */
  pooledRatio: number;
  pairs: WindowPair[];
  spread: Spread;
  /** The other side's plays/s over the game server's in the same rounds (about 1 when held to its rate). */
  rateRatio: number;
  /** µs its clients busy-waited before each play, round by round (0: free-running). */
  clientWorkUs: number[];
}

export interface ThroughputResult {
  tables: number;
  windowS: number;
  ours: ThroughputSide;
  /** The headline: the relay held to the game server's rate, in the same rounds. */
  equalRates: Comparison;
  /** The same rounds' free-running relay (the one generator core drives it faster). */
  unequalRates: Comparison;
  /** The same comparison at a paced load (each player thinks PACED_THINK_MS), equal rates by construction. */
  paced: { tables: number; ours: ThroughputSide; relay: Comparison } | null;
}

export type Kind = "ours" | "relay" | "colyseus";

/** One server with its own generator. */
export interface Side {
  kind: Kind;
  server: ServerHandle;
  gen: Gen;
  /** Its generator's figures over the warm-up (free-running). */
  warm: GenStats;
}

/** A place in each round: a side, held to the game server's rate or running free. */
interface Slot {
  label: string;
  side: Side;
  held: boolean;
  /** µs its clients busy-wait before each play (held slots); corrected round by round. */
  workUs: number;
}

/** What one window measured: the server's kernel counters and its generator's view. */
interface Window {
  seconds: number;
  k: ProcCounters;
  s: GenStats;
  samples: number[];
  /** Game server only: its /metrics before and after, and the seconds between the two scrapes. */
  m0: Prom | null;
  m1: Prom | null;
  scrapeSeconds: number;
}

/** The generator's semi-space here: the same for every server; see Gen. */
const THROUGHPUT_SEMI_MB = 32;
/** After a side is thawed, time for its loop to reach its steady rate before the window opens. */
const SETTLE_MS = 1000;

interface Sizes {
  in: number;
  out: number;
}

/** Where bench/peers/ keeps the Colyseus SDK the generators load. */
export const COLYSEUS_SDK = new URL("../peers/node_modules/@colyseus/sdk/build/index.mjs", import.meta.url).href;

/**
 * Start a server and its generator, open `tables` on it and warm it up for `warmupS` (free-running),
 * then freeze it. The relay and the peer pad their frames to `sizes` (the game server's means).
 */
export async function startSide(kind: Kind, tables: number, mode: ThinkMode, sizes: Sizes | null, warmupS: number): Promise<Side> {
  const sz = sizes ?? { in: 0, out: 0 };
  const server =
    kind === "ours"
      ? // Zero-think bots act far faster than the people the rate limit is for; lift it for this run.
        await startGameServer({ RATE_PER_SECOND: "10000", RATE_BURST: "20000" })
      : kind === "relay"
        ? // The relay wraps the frame in as {"f":<in>,"p":"<pad>"}.
          await startRelay({ RELAY_PAD_BYTES: String(Math.max(0, Math.round(sz.out - sz.in - `{"f":,"p":""}`.length))) })
        : // Colyseus sends msgpack [13,"p",{s,n,x:<the client's pad>,p:<pad>}]: about 17 bytes around the
          // two pads, and the client's pad is 6 bytes short of its frame (loadgen.ts).
          await startColyseus({ COLYSEUS_PAD_BYTES: String(Math.max(0, Math.round(sz.out - sz.in - 11))) });
  let gen: Gen | null = null;
  try {
    gen = new Gen(1, { semiSpaceMB: THROUGHPUT_SEMI_MB });
    const opened =
      kind === "ours"
        ? await gen.request({ cmd: "open", url: server.url, tables, mode, settings: LOAD_SETTINGS, concurrency: 50 })
        : kind === "relay"
          ? await gen.request({ cmd: "relayOpen", url: server.url, groups: tables, mode, inBytes: sz.in, concurrency: 50 })
          : await gen.request({ cmd: "colyseusOpen", url: server.url, rooms: tables, mode, inBytes: sz.in, concurrency: 50, sdk: COLYSEUS_SDK });
    if (opened.failed > 0) throw new Error(`throughput: ${opened.failed} ${kind} tables failed to open: ${opened.firstError}`);
    if (kind !== "ours") await gen.request({ cmd: "kick" });
    await gen.request({ cmd: "stats" });
    await sleep(warmupS * 1000);
    const warm = await gen.request({ cmd: "stats" });
    await gen.request({ cmd: "mode", mode: "frozen" });
    return { kind, server, gen, warm };
  } catch (e) {
    await Promise.allSettled([gen?.stop(), server.proc.stop()]);
    throw e;
  }
}

export async function stopSide(side: Side): Promise<void> {
  await Promise.allSettled([side.gen.stop(), side.server.proc.stop()]);
}

/** Measure one side over `windowS` (its bots playing). */
async function window(side: Side, windowS: number): Promise<Window> {
  const m0 = side.kind === "ours" ? await scrape(side.server.url) : null;
  const scraped = performance.now();
  const proc = side.gen.procs[0];
  await proc.request({ cmd: "stats" });
  const k0 = counters(side.server.pid);
  const t0 = performance.now();
  await sleep(windowS * 1000);
  const s = (await proc.request({ cmd: "stats" })) as GenStats;
  const k = diffCounters(k0, counters(side.server.pid));
  const seconds = (performance.now() - t0) / 1000;
  const m1 = side.kind === "ours" ? await scrape(side.server.url) : null;
  const scrapeSeconds = (performance.now() - scraped) / 1000;
  const samples = s.samples ?? [];
  delete s.samples;
  return { seconds, k, s, samples, m0, m1, scrapeSeconds };
}

const sumOf = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);

/** A side's figures from its windows, summed. */
function summarizeSide(ws: Window[]): ThroughputSide {
  const seconds = sumOf(ws, (w) => w.seconds);
  // Total CPU from the scheduler's nanoseconds; the tick-based user/system only split it.
  const cpu = sumOf(ws, (w) => w.k.cpu);
  const ticks = sumOf(ws, (w) => w.k.user + w.k.system);
  const user = ticks > 0 ? (cpu * sumOf(ws, (w) => w.k.user)) / ticks : 0;
  const system = ticks > 0 ? cpu - user : 0;
  const framesIn = sumOf(ws, (w) => w.s.framesIn);
  const framesOut = sumOf(ws, (w) => w.s.framesOut);
  const loadgenCpu = sumOf(ws, (w) => w.s.cpu * w.s.seconds) / sumOf(ws, (w) => w.s.seconds);
  const latency = summarize(ws.flatMap((w) => w.samples));
  const serverCpu = cpu / seconds;
  const metric = (name: string, labels?: string) => sumOf(ws, (w) => (w.m0 && w.m1 ? value(w.m1, name, labels) - value(w.m0, name, labels) : 0));
  const withMetrics = ws.every((w) => w.m0 && w.m1);
  const serverErrors = withMetrics
    ? metric("bigtwo_actions_total", 'result="rejected"') + metric("bigtwo_protocol_errors_total") + metric("bigtwo_disconnects_total")
    : 0;
  // The server's latency histogram over the windows only: each window's bucket counts, summed.
  const buckets: Prom = new Map();
  for (const w of ws) {
    if (!w.m0 || !w.m1) continue;
    for (const [key, v] of w.m1) {
      if (key.startsWith("bigtwo_action_latency_seconds_bucket{")) buckets.set(key, (buckets.get(key) ?? 0) + v - (w.m0.get(key) ?? 0));
    }
  }
  return {
    playsPerSec: round(sumOf(ws, (w) => w.s.actions) / seconds, 0),
    framesPerSec: round(framesIn / seconds, 0),
    // Frames delivered = frames the clients received: counted the same way for both servers.
    cpuMicrosPerMessage: round((cpu * 1e6) / framesIn, 2),
    serverCpu: round(serverCpu, 3),
    loadgenCpu: round(loadgenCpu, 3),
    p50ms: round(latency.p50, 2),
    p99ms: round(latency.p99, 2),
    serverP99ms: withMetrics ? round(histogramQuantile(new Map(), buckets, "bigtwo_action_latency_seconds", 0.99) * 1000, 2) : null,
    meanFrameToClient: round(sumOf(ws, (w) => w.s.bytesIn) / framesIn, 1),
    meanFrameFromClient: round(sumOf(ws, (w) => w.s.bytesOut) / framesOut, 1),
    errors: sumOf(ws, (w) => w.s.errors) + serverErrors,
    bottleneck: serverCpu >= 0.85 ? "server" : loadgenCpu >= 0.85 ? "loadgen" : "neither",
    // Counted between the scrapes, which bracket the window: divided by that span.
    serverFramesOutPerSec: withMetrics ? round(metric("bigtwo_frames_out_total") / sumOf(ws, (w) => w.scrapeSeconds), 0) : null,
    perFrame: {
      userMicros: round((user * 1e6) / framesIn, 2),
      systemMicros: round((system * 1e6) / framesIn, 2),
      readSyscalls: round(sumOf(ws, (w) => w.k.syscr) / framesIn, 3),
      writeSyscalls: round(sumOf(ws, (w) => w.k.syscw) / framesIn, 3),
      contextSwitches: round(sumOf(ws, (w) => w.k.voluntary + w.k.involuntary) / framesIn, 3),
    },
    runqueueWaitPerSec: round(sumOf(ws, (w) => w.k.runqueueWait) / seconds, 3),
    seconds: round(seconds, 1),
  };
}

const perFrame = (w: Window) => (w.k.cpu * 1e6) / w.s.framesIn;
const rate = (w: Window) => Math.round(w.s.actions / w.s.seconds);
/** The generator's CPU per play (µs): what sets the rate a saturated generator drives. */
export const genPerPlay = (s: GenStats) => (s.actions > 0 ? (s.cpu * s.seconds * 1e6) / s.actions : 0);
const clampWork = (us: number) => Math.round(Math.min(2000, Math.max(0, us)));
/**
 * The change in client work (µs a play) that would bring window `w`'s rate to window `o`'s: its
 * generator, at the share of its core it had (`cpu`), spends `us / cpu` more wall time a play.
 */
const workGap = (o: Window, w: Window) => (w.s.seconds / w.s.actions - o.s.seconds / o.s.actions) * -1e6 * w.s.cpu;

function comparison(o: Window[], other: Window[], work: number[]): Comparison {
  const pairs = o.map((w, i): WindowPair => ({
    ours: round(perFrame(w), 2),
    other: round(perFrame(other[i]), 2),
    oursPlaysPerSec: rate(w),
    otherPlaysPerSec: rate(other[i]),
    cpuRatio: round(perFrame(w) / perFrame(other[i]), 3),
  }));
  const ratios = pairs.map((x) => x.cpuRatio).sort((a, b) => a - b);
  const median = round(interpolated(ratios, 0.5), 3);
  const os = summarizeSide(o);
  const side = summarizeSide(other);
  return {
    other: side,
    cpuRatio: median,
    pooledRatio: round(os.cpuMicrosPerMessage / side.cpuMicrosPerMessage, 3),
    pairs,
    spread: { min: ratios[0], q1: round(interpolated(ratios, 0.25), 3), median, q3: round(interpolated(ratios, 0.75), 3), max: ratios[ratios.length - 1] },
    rateRatio: round(side.playsPerSec / os.playsPerSec, 3),
    clientWorkUs: work,
  };
}

/**
 * `rounds` rounds of windows: in each, every slot and the game server take a turn (thaw, settle,
 * measure, freeze), the game server in the middle so its bots are never frozen for more than two
 * windows, the order reversed every other round (with one other slot: ABBA). A held slot's clients
 * start from `workUs` (the warm-ups' difference in generator CPU per play); with any held slot an
 * uncounted calibration round comes first, after which the work is corrected by the gap in rate
 * measured there (workGap), and by half the gap of each counted round after it.
 */
export async function interleave(
  ours: Side,
  slots: Slot[],
  mode: ThinkMode,
  rounds: number,
  windowS: number,
  log: Log,
  /** When the game server's bots were frozen after its warm-up (for the turn-clock warning). */
  oursFrozenAt: number,
): Promise<{ ours: ThroughputSide; against: Record<string, Comparison> }> {
  const oursWindows: Window[] = [];
  const got: Record<string, Window[]> = Object.fromEntries(slots.map((s) => [s.label, []]));
  const work: Record<string, number[]> = Object.fromEntries(slots.map((s) => [s.label, []]));
  // A frozen game server must not reach its turn clock (it would play timeouts, unmeasured, in
  // the others' windows): the freeze is two windows long, far below it; say so if not.
  let frozenAt = oursFrozenAt;
  const measure = async (side: Side, workUs: number) => {
    if (side.kind === "ours") {
      const frozenMs = performance.now() - frozenAt;
      if (frozenMs >= LOAD_SETTINGS.turnSeconds * 1000) {
        log(`    warning: the game server's bots were frozen ${(frozenMs / 1000).toFixed(1)} s, past its ${LOAD_SETTINGS.turnSeconds} s turn clock`);
      }
    } else await side.gen.request({ cmd: "clientWork", us: workUs });
    await side.gen.request({ cmd: "mode", mode });
    await sleep(SETTLE_MS);
    const w = await window(side, windowS);
    await side.gen.request({ cmd: "mode", mode: "frozen" });
    if (side.kind === "ours") frozenAt = performance.now();
    return w;
  };
  const O: Slot = { label: "ours", side: ours, held: false, workUs: 0 };
  const calibrate = slots.some((s) => s.held);
  for (let p = calibrate ? -1 : 0; p < rounds; p++) {
    const seq = p % 2 === 0 ? slots : [...slots].reverse();
    const order = slots.length === 1 ? (p % 4 === 0 || p % 4 === 3 ? [O, slots[0]] : [slots[0], O]) : [...seq.slice(0, seq.length >> 1), O, ...seq.slice(seq.length >> 1)];
    const ws = new Map<Slot, Window>();
    for (const slot of order) ws.set(slot, await measure(slot.side, slot.workUs));
    const o = ws.get(O)!;
    const parts: string[] = [];
    for (const slot of slots) {
      const w = ws.get(slot)!;
      parts.push(`${slot.label} ${perFrame(w).toFixed(2)} at ${rate(w)}${slot.held ? ` (work ${slot.workUs} µs)` : ""}, ratio ${(perFrame(o) / perFrame(w)).toFixed(3)}`);
      if (p >= 0) {
        got[slot.label].push(w);
        work[slot.label].push(slot.workUs);
      }
      if (slot.held) slot.workUs = clampWork(slot.workUs + (p < 0 ? 1 : 0.5) * workGap(o, w));
    }
    if (p >= 0) oursWindows.push(o);
    log(`    ${p < 0 ? "calibration round (not counted)" : `round ${p + 1}/${rounds}`}: ours ${perFrame(o).toFixed(2)} µs/frame at ${rate(o)} plays/s; ${parts.join("; ")}`);
  }
  const against: Record<string, Comparison> = {};
  for (const slot of slots) {
    const c = comparison(oursWindows, got[slot.label], work[slot.label]);
    against[slot.label] = c;
    log(`  ${slot.label}: ${describe(c.other)}`);
    log(`    cpuRatio ${c.cpuRatio} (median of ${c.pairs.length} rounds; quartiles ${c.spread.q1}-${c.spread.q3}, range ${c.spread.min}-${c.spread.max}); pooled ${c.pooledRatio}; rate ${c.rateRatio} of the game server's`);
    // The calibration is corrected as it goes; say so if it still missed the game server's rate by much.
    if (slot.held && (c.rateRatio < 0.9 || c.rateRatio > 1.1)) log(`    warning: ${slot.label} ran at ${c.rateRatio} of the game server's rate, not about 1`);
  }
  const o = summarizeSide(oursWindows);
  log(`  game server: ${describe(o)}`);
  return { ours: o, against };
}

/**
 * Linear interpolation between the closest ranks of sorted `xs`: the median of an even count is
 * the mean of the middle two. (stats.ts's `quantile` is nearest-rank, for latency samples.)
 */
function interpolated(xs: number[], q: number): number {
  const at = (xs.length - 1) * q;
  const lo = Math.floor(at);
  return xs[lo] + (xs[Math.min(lo + 1, xs.length - 1)] - xs[lo]) * (at - lo);
}

const describe = (s: ThroughputSide) =>
  `${s.playsPerSec} plays/s, ${s.cpuMicrosPerMessage} µs CPU/frame (user ${s.perFrame.userMicros}, sys ${s.perFrame.systemMicros}, ` +
  `${s.perFrame.writeSyscalls} writes ${s.perFrame.readSyscalls} reads ${s.perFrame.contextSwitches} ctx sw per frame), ` +
  `server ${s.serverCpu} cores (run-queue wait ${s.runqueueWaitPerSec} s/s), loadgen ${s.loadgenCpu} cores, ${s.seconds} s measured`;

/**
 * Start the game server and the `others` at `tables` under `mode` (the game server first: the
 * others' frames take the sizes its clients sent and received during the warm-up), then interleave
 * their windows. `slotsOf` says which places each round has (held to the game server's rate or not).
 */
export async function compare(
  mode: ThinkMode,
  tables: number,
  rounds: number,
  plan: Plan,
  log: Log,
  others: Kind[],
  slotsOf: (sides: Side[], workUs: (s: Side) => number) => Slot[],
): Promise<{ ours: ThroughputSide; against: Record<string, Comparison>; free: Record<string, number> }> {
  const warmupS = plan.throughput.warmupS;
  const ours = await startSide("ours", tables, mode, null, warmupS);
  let oursFrozenAt = performance.now();
  const started: Side[] = [];
  try {
    const sizes = { in: ours.warm.meanOutFrame, out: ours.warm.meanInFrame };
    for (const kind of others) {
      started.push(await startSide(kind, tables, mode, sizes, warmupS));
      // Starting a side takes a while: let the game server's bots play a moment, so that no
      // frozen seat reaches its turn clock.
      if (performance.now() - oursFrozenAt > 10_000) {
        await ours.gen.request({ cmd: "mode", mode });
        await sleep(SETTLE_MS);
        await ours.gen.request({ cmd: "mode", mode: "frozen" });
        oursFrozenAt = performance.now();
      }
    }
    const free: Record<string, number> = Object.fromEntries([ours, ...started].map((s) => [s.kind, Math.round(s.warm.actions / s.warm.seconds)]));
    // The held slots' first guess: their clients make up the difference in generator CPU per play.
    const workUs = (s: Side) => clampWork(genPerPlay(ours.warm) - genPerPlay(s.warm));
    if (mode === "zero") {
      log(
        `  warm-up (free-running): ${[ours, ...started].map((s) => `${s.kind} ${free[s.kind]} plays/s, generator ${genPerPlay(s.warm).toFixed(1)} µs a play`).join("; ")}`,
      );
    }
    const r = await interleave(ours, slotsOf(started, workUs), mode, rounds, plan.throughput.windowS, log, oursFrozenAt);
    return { ...r, free };
  } finally {
    await Promise.all([stopSide(ours), ...started.map(stopSide)]);
  }
}

export async function throughput(plan: Plan, log: Log): Promise<ThroughputResult> {
  const t = plan.throughput;
  log(
    `throughput: ${t.tables} tables of zero-think bots on the game server and on the relay, both up; ${t.rounds} rounds of ${t.windowS} s windows ` +
      `taking turns: the relay held to the game server's rate, the game server, the relay running free; then a paced comparison`,
  );
  const zero = await compare("zero", t.tables, t.rounds, plan, log, ["relay"], ([relay], workUs) => [
    { label: "relay at equal rate", side: relay, held: true, workUs: workUs(relay) },
    { label: "relay running free", side: relay, held: false, workUs: 0 },
  ]);
  log(`  paced: ${t.pacedTables} tables, every player acting after ${PACED_THINK_MS[0]}-${PACED_THINK_MS[1]} ms`);
  const paced = await compare("paced", t.pacedTables, Math.max(2, Math.ceil(t.rounds / 2)), plan, log, ["relay"], ([relay]) => [
    { label: "relay, paced", side: relay, held: false, workUs: 0 },
  ]);
  return {
    tables: t.tables,
    windowS: t.windowS,
    ours: zero.ours,
    equalRates: zero.against["relay at equal rate"],
    unequalRates: zero.against["relay running free"],
    paced: { tables: t.pacedTables, ours: paced.ours, relay: paced.against["relay, paced"] },
  };
}
