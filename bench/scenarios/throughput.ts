// Scenario 1: zero-think bots in a closed loop at a fixed number of tables, on the game server
// and on the bare relay. The fair comparison is server CPU per delivered frame: it holds
// whichever process is the bottleneck.
//
// Both servers run for the whole scenario, each with its own generator, and they take turns:
// one side's bots play while the other side's are frozen, in short windows, ABBA. The machine is
// shared and its speed drifts by tens of percent within a minute (neighbours' load); windows
// seconds apart see nearly the same machine, where back-to-back runs of 25 s each did not (one
// full run's four rounds gave ratios from 0.87 to 1.27). Each side's figures are its windows
// summed; each pair of adjacent windows gives a ratio, and cpuRatio is their median (robust to
// the machine's spikes, which hit one window of a pair); the pooled ratio and the spread are kept.
import { Gen, startGameServer, startRelay, toggleProfile, type ServerHandle } from "../lib/gen.ts";
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
  /** Each side's CPU per delivered frame (µs) and plays/s in its window. */
  ours: number;
  relay: number;
  oursPlaysPerSec: number;
  relayPlaysPerSec: number;
  /** ours / relay CPU per delivered frame in this pair of adjacent windows. */
  cpuRatio: number;
}

export interface Interleaved {
  tables: number;
  ours: ThroughputSide;
  relay: ThroughputSide;
  /** The median of the window pairs' ratios: the figure the target is judged on. */
  cpuRatio: number;
  /** ours / relay CPU per delivered frame with each side's windows summed (beside the median). */
  pooledRatio: number;
  pairs: WindowPair[];
  /** The pairs' ratios: lowest, quartiles, highest. */
  spread: { min: number; q1: number; median: number; q3: number; max: number };
  /** The same rounds' same-rate relay windows (zero think only; null for the paced comparison). */
  sameRate: SameRate | null;
}

export interface ThroughputResult {
  tables: number;
  windowS: number;
  ours: ThroughputSide;
  relay: ThroughputSide;
  /** The median of the window pairs' ratios (see Interleaved). */
  cpuRatio: number;
  pooledRatio: number;
  /** Every window pair of the zero-think comparison, and their spread. */
  pairs: WindowPair[];
  spread: Interleaved["spread"];
  /** Plays/s ratio, quoted only when both servers were the bottleneck. */
  playsRatio: number | null;
  /** The same comparison at a paced load (each player thinks PACED_THINK_MS), both servers far from saturation. */
  paced: Interleaved | null;
  /** The zero-think comparison with the relay at about the game server's rate (see SameRate). */
  sameRate: SameRate | null;
}

/**
 * SameRate. A game client does more per play than a relay client (it folds every event into its
 * view and picks its plays), so the one generator core drives the relay far faster than the game
 * server, and a server's CPU per frame falls as its rate rises (the relay alone cost 4-11% more
 * a frame at the game server's rate than at its own: docs/benchmarks.md, "The rate, measured on
 * the relay alone"). So each round of the zero-think comparison has a third window: the same
 * relay, its clients busy-waiting `clientWorkUs` before each play (the difference between the two
 * generators' CPU per play in the warm-up), which brings it to about the game server's rate.
 * Its pairs are the round's game server window against that one.
 */
export interface SameRate {
  clientWorkUs: number;
  /** The same-rate relay's plays/s over the game server's in the same rounds (about 1 if the calibration held). */
  rateRatio: number;
  relay: ThroughputSide;
  cpuRatio: number;
  pooledRatio: number;
  pairs: WindowPair[];
  spread: Interleaved["spread"];
}

type Kind = "ours" | "relay";

/** One server with its own generator. */
interface Side {
  kind: Kind;
  server: ServerHandle;
  gen: Gen;
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

/** The generator's semi-space here: the same for both servers; see Gen. */
const THROUGHPUT_SEMI_MB = 32;
/** After a side is thawed, time for its loop to reach its steady rate before the window opens. */
const SETTLE_MS = 1000;

async function startSide(kind: Kind, tables: number, mode: ThinkMode, sizes: Sizes | null): Promise<Side> {
  // The relay wraps the frame in as {"f":<in>,"p":"<pad>"}: pad it to the game server's mean frame out.
  const pad = sizes ? Math.max(0, Math.round(sizes.out - sizes.in - `{"f":,"p":""}`.length)) : 0;
  const server =
    kind === "ours"
      ? // Zero-think bots act far faster than the people the rate limit is for; lift it for this run.
        await startGameServer({ RATE_PER_SECOND: "10000", RATE_BURST: "20000" })
      : await startRelay({ RELAY_PAD_BYTES: String(pad) });
  let gen: Gen | null = null;
  try {
    gen = new Gen(1, { semiSpaceMB: THROUGHPUT_SEMI_MB });
    const opened =
      kind === "ours"
        ? await gen.request({ cmd: "open", url: server.url, tables, mode, settings: LOAD_SETTINGS, concurrency: 50 })
        : await gen.request({ cmd: "relayOpen", url: server.url, groups: tables, mode, inBytes: sizes?.in ?? 0, concurrency: 50 });
    if (opened.failed > 0) throw new Error(`throughput: ${opened.failed} ${kind} tables failed to open: ${opened.firstError}`);
    if (kind === "relay") await gen.request({ cmd: "relayKick" });
  } catch (e) {
    await Promise.allSettled([gen?.stop(), server.proc.stop()]);
    throw e;
  }
  return { kind, server, gen };
}

async function stopSide(side: Side): Promise<void> {
  await Promise.allSettled([side.gen.stop(), side.server.proc.stop()]);
}

/** Measure one side over `windowS` (its bots playing). */
async function window(side: Side, windowS: number, profile: boolean): Promise<Window> {
  const m0 = side.kind === "ours" ? await scrape(side.server.url) : null;
  const scraped = performance.now();
  const proc = side.gen.procs[0];
  await proc.request({ cmd: "stats" });
  if (profile) await Promise.all([toggleProfile(side.server), side.gen.toggleProfile()]);
  const k0 = counters(side.server.pid);
  const t0 = performance.now();
  await sleep(windowS * 1000);
  const s = (await proc.request({ cmd: "stats" })) as GenStats;
  const k = diffCounters(k0, counters(side.server.pid));
  const seconds = (performance.now() - t0) / 1000;
  if (profile) await Promise.all([toggleProfile(side.server), side.gen.toggleProfile()]);
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

/** Each window's ratio against the game server's window of its round, their median and spread. */
function ratiosOf(pairList: WindowPair[]): { cpuRatio: number; spread: Interleaved["spread"] } {
  const ratios = pairList.map((x) => x.cpuRatio).sort((a, b) => a - b);
  const median = round(interpolated(ratios, 0.5), 3);
  return {
    cpuRatio: median,
    spread: { min: ratios[0], q1: round(interpolated(ratios, 0.25), 3), median, q3: round(interpolated(ratios, 0.75), 3), max: ratios[ratios.length - 1] },
  };
}

const rate = (w: Window) => Math.round(w.s.actions / w.s.seconds);
const pairOf = (o: Window, r: Window): WindowPair => ({
  ours: round(perFrame(o), 2),
  relay: round(perFrame(r), 2),
  oursPlaysPerSec: rate(o),
  relayPlaysPerSec: rate(r),
  cpuRatio: round(perFrame(o) / perFrame(r), 3),
});

/**
 * `pairs` rounds of windows, alternating which side goes first (ABBA): thaw a side, let it settle,
 * measure it, freeze it again. The frozen side holds its sockets and does nothing. With
 * `sameRateWorkUs`, each round also measures the relay with its clients doing that much work per
 * play (SameRate), the game server's window between the relay's two: relay, ours, same-rate relay,
 * then the other way round.
 */
async function interleave(
  ours: Side,
  relay: Side,
  mode: ThinkMode,
  tables: number,
  pairs: number,
  windowS: number,
  log: Log,
  sameRateWorkUs: number | null = null,
  /** When the game server's bots were frozen after its warm-up (for the turn-clock warning). */
  oursFrozenAt = performance.now(),
): Promise<Interleaved> {
  const windows: Record<Kind | "same", Window[]> = { ours: [], relay: [], same: [] };
  const pairList: WindowPair[] = [];
  const samePairs: WindowPair[] = [];
  // A frozen game server must not reach its turn clock (it would play timeouts, unmeasured, in
  // the relay's window): the freeze is a settle and a window long, far below it; say so if not.
  const frozenAt: Record<Kind, number> = { ours: oursFrozenAt, relay: performance.now() };
  const measureSide = async (side: Side, profile: boolean, clientWorkUs = 0) => {
    const frozenMs = performance.now() - frozenAt[side.kind];
    if (side.kind === "ours" && frozenMs >= LOAD_SETTINGS.turnSeconds * 1000) {
      log(`    warning: the game server's bots were frozen ${(frozenMs / 1000).toFixed(1)} s, past its ${LOAD_SETTINGS.turnSeconds} s turn clock`);
    }
    if (side.kind === "relay" && sameRateWorkUs !== null) await side.gen.request({ cmd: "relayWork", us: clientWorkUs });
    await side.gen.request({ cmd: "mode", mode });
    await sleep(SETTLE_MS);
    const w = await window(side, windowS, profile);
    await side.gen.request({ cmd: "mode", mode: "frozen" });
    frozenAt[side.kind] = performance.now();
    return w;
  };
  // --profile: one extra pair first, profiled (one CPU profile per server and generator) and
  // left out of the figures, since the profiler's sampling costs the servers CPU.
  if (process.env.BENCH_PROFILE_DIR) {
    for (const side of [ours, relay]) await measureSide(side, true);
    log("    profiled pair (not counted) written to " + process.env.BENCH_PROFILE_DIR);
  }
  type Slot = { label: Kind | "same"; side: Side; workUs: number };
  const O: Slot = { label: "ours", side: ours, workUs: 0 };
  const R: Slot = { label: "relay", side: relay, workUs: 0 };
  const S: Slot | null = sameRateWorkUs === null ? null : { label: "same", side: relay, workUs: sameRateWorkUs };
  for (let p = 0; p < pairs; p++) {
    // ABBA; with S the game server stays in the middle, so it is never frozen for more than two windows.
    const order = S ? (p % 2 === 0 ? [R, O, S] : [S, O, R]) : p % 4 === 0 || p % 4 === 3 ? [O, R] : [R, O];
    const got: Partial<Record<Slot["label"], Window>> = {};
    for (const slot of order) {
      const w = await measureSide(slot.side, false, slot.workUs);
      got[slot.label] = w;
      windows[slot.label].push(w);
    }
    const pair = pairOf(got.ours!, got.relay!);
    pairList.push(pair);
    let line =
      `    pair ${p + 1}/${pairs} (${order.map((x) => x.label).join(", ")}): ours ${pair.ours.toFixed(2)} µs/frame at ${pair.oursPlaysPerSec} plays/s, ` +
      `relay ${pair.relay.toFixed(2)} at ${pair.relayPlaysPerSec}, ratio ${pair.cpuRatio.toFixed(3)}`;
    if (got.same) {
      const same = pairOf(got.ours!, got.same);
      samePairs.push(same);
      line += `; same-rate relay ${same.relay.toFixed(2)} at ${same.relayPlaysPerSec}, ratio ${same.cpuRatio.toFixed(3)}`;
    }
    log(line);
  }
  const o = summarizeSide(windows.ours);
  const r = summarizeSide(windows.relay);
  log(`  game server ${describe(o)}`);
  log(`  bare relay:  ${describe(r)}`);
  // The game server's windows against one relay's: the median of the pairs, the pooled ratio.
  const against = (relaySide: ThroughputSide, list: WindowPair[]) => ({
    relay: relaySide,
    ...ratiosOf(list),
    pooledRatio: round(o.cpuMicrosPerMessage / relaySide.cpuMicrosPerMessage, 3),
    pairs: list,
  });
  let sameRate: SameRate | null = null;
  if (sameRateWorkUs !== null) {
    const relaySame = summarizeSide(windows.same);
    log(`  same-rate relay (its clients work ${sameRateWorkUs} µs a play): ${describe(relaySame)}`);
    // The calibration is from the warm-up; say so if it missed the game server's rate by much.
    const rateRatio = round(relaySame.playsPerSec / o.playsPerSec, 3);
    if (rateRatio < 0.9 || rateRatio > 1.1) log(`    warning: the same-rate relay ran at ${rateRatio} of the game server's rate, not about 1`);
    sameRate = { rateRatio, clientWorkUs: sameRateWorkUs, ...against(relaySame, samePairs) };
  }
  return { tables, ours: o, ...against(r, pairList), sameRate };
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

interface Sizes {
  in: number;
  out: number;
}

/**
 * Start both sides at `tables` under `mode` (the game server first: the relay's frames take the
 * sizes its clients sent and received during the warm-up), then interleave their windows.
 */
async function compare(mode: ThinkMode, tables: number, pairs: number, plan: Plan, log: Log, sameRate = false): Promise<Interleaved> {
  const ours = await startSide("ours", tables, mode, null);
  let relay: Side | null = null;
  try {
    await ours.gen.procs[0].request({ cmd: "stats" });
    await sleep(plan.throughput.warmupS * 1000);
    const warm = (await ours.gen.procs[0].request({ cmd: "stats" })) as GenStats;
    await ours.gen.request({ cmd: "mode", mode: "frozen" });
    const oursFrozenAt = performance.now();
    const sizes = { in: warm.meanOutFrame, out: warm.meanInFrame };
    relay = await startSide("relay", tables, mode, sizes);
    await relay.gen.procs[0].request({ cmd: "stats" });
    await sleep(plan.throughput.warmupS * 1000);
    const relayWarm = (await relay.gen.procs[0].request({ cmd: "stats" })) as GenStats;
    await relay.gen.request({ cmd: "mode", mode: "frozen" });
    let workUs: number | null = null;
    if (sameRate) {
      // SameRate: the relay's clients make up the difference in the generators' CPU per play.
      const perPlay = (s: GenStats) => (s.actions > 0 ? (s.cpu * s.seconds * 1e6) / s.actions : 0);
      workUs = Math.round(Math.min(1000, Math.max(0, perPlay(warm) - perPlay(relayWarm))));
      log(
        `  same rate: generator CPU per play in the warm-up, ours ${perPlay(warm).toFixed(1)} µs, relay ${perPlay(relayWarm).toFixed(1)} µs: ` +
          `the same-rate relay's clients work ${workUs} µs before each play`,
      );
    }
    return await interleave(ours, relay, mode, tables, pairs, plan.throughput.windowS, log, workUs, oursFrozenAt);
  } finally {
    await Promise.all([stopSide(ours), relay ? stopSide(relay) : null]);
  }
}

export async function throughput(plan: Plan, log: Log): Promise<ThroughputResult> {
  const t = plan.throughput;
  log(
    `throughput: ${t.tables} tables of zero-think bots on the game server and on the relay, both up, ` +
      `${t.rounds} rounds of ${t.windowS} s windows taking turns (the relay also held to about the game server's rate, unless BENCH_SKIP_SAME_RATE); then a paced comparison`,
  );
  const zero = await compare("zero", t.tables, t.rounds, plan, log, !process.env.BENCH_SKIP_SAME_RATE);
  log(`  cpuRatio ${zero.cpuRatio} (median of ${zero.pairs.length} pairs; quartiles ${zero.spread.q1}-${zero.spread.q3}, range ${zero.spread.min}-${zero.spread.max}); pooled ${zero.pooledRatio}`);
  const same = zero.sameRate;
  if (same) {
    log(
      `  same-rate cpuRatio ${same.cpuRatio} (quartiles ${same.spread.q1}-${same.spread.q3}, range ${same.spread.min}-${same.spread.max}); ` +
        `pooled ${same.pooledRatio}; plays/s ours ${zero.ours.playsPerSec}, same-rate relay ${same.relay.playsPerSec}`,
    );
  }
  const both = zero.ours.bottleneck === "server" && zero.relay.bottleneck === "server";
  let paced: Interleaved | null = null;
  if (!process.env.BENCH_SKIP_PACED) {
    log(`  paced: ${t.pacedTables} tables, every player acting after ${PACED_THINK_MS[0]}-${PACED_THINK_MS[1]} ms`);
    paced = await compare("paced", t.pacedTables, Math.max(2, Math.ceil(t.rounds / 2)), plan, log);
    log(`  paced cpuRatio ${paced.cpuRatio} (quartiles ${paced.spread.q1}-${paced.spread.q3}); pooled ${paced.pooledRatio}`);
  }
  return {
    tables: t.tables,
    windowS: t.windowS,
    ours: zero.ours,
    relay: zero.relay,
    cpuRatio: zero.cpuRatio,
    pooledRatio: zero.pooledRatio,
    pairs: zero.pairs,
    spread: zero.spread,
    playsRatio: both ? round(zero.ours.playsPerSec / zero.relay.playsPerSec, 3) : null,
    paced,
    sameRate: zero.sameRate,
  };
}
