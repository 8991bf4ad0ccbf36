// Scenario 1: zero-think bots in a closed loop at a fixed number of tables, on the game server
// and on the bare relay, alternately. The fair comparison is server CPU per delivered frame:
// it holds whichever process is the bottleneck.
import { Gen, startGameServer, startRelay, toggleProfile, type ServerHandle } from "../lib/gen.ts";
import { PACED_THINK_MS, type GenStats, type ThinkMode } from "../lib/ipc.ts";
import { counters, diffCounters } from "../lib/proc.ts";
import { histogramQuantile, scrape, value, type Samples as Prom } from "../lib/prom.ts";
import { round, sleep } from "../lib/stats.ts";
import { LOAD_SETTINGS, type Plan } from "../plan.ts";
import type { Log } from "../lib/log.ts";

export interface ThroughputSide {
  playsPerSec: number;
  framesPerSec: number;
  cpuMicrosPerMessage: number;
  /** Server CPU in cores over the window (1 = one core busy). */
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
  /** Where the server's time per delivered frame goes (kernel counters over the window). */
  perFrame: { userMicros: number; systemMicros: number; readSyscalls: number; writeSyscalls: number; contextSwitches: number };
  /** Seconds per second the server's main thread was runnable but waiting for the core (other load). */
  runqueueWaitPerSec: number;
}

export interface ThroughputResult {
  tables: number;
  windowS: number;
  rounds: { ours: ThroughputSide; relay: ThroughputSide; cpuRatio: number }[];
  ours: ThroughputSide;
  relay: ThroughputSide;
  cpuRatio: number;
  /** Plays/s ratio, quoted only when both servers were the bottleneck. */
  playsRatio: number | null;
  /** The same comparison at a paced load (each player thinks PACED_THINK_MS), both servers far from saturation. */
  paced: { tables: number; ours: ThroughputSide; relay: ThroughputSide; cpuRatio: number } | null;
}

/** The server's own time and the generator's view over one window. */
async function measure(server: ServerHandle, gen: Gen, plan: Plan, withMetrics: boolean): Promise<ThroughputSide> {
  await sleep(plan.throughput.warmupS * 1000);
  let m0: Prom | null = null;
  if (withMetrics) m0 = await scrape(server.url);
  await gen.request({ cmd: "stats" });
  await Promise.all([toggleProfile(server), gen.toggleProfile()]);
  const k0 = counters(server.pid);
  const t0 = performance.now();
  await sleep(plan.throughput.windowS * 1000);
  const s: GenStats = await gen.request({ cmd: "stats" });
  const k = diffCounters(k0, counters(server.pid));
  await Promise.all([toggleProfile(server), gen.toggleProfile()]);
  const cpu = k.user + k.system;
  const seconds = (performance.now() - t0) / 1000;
  const m1 = withMetrics ? await scrape(server.url) : null;
  const serverCpu = cpu / seconds;
  const serverErrors =
    m0 && m1
      ? value(m1, "bigtwo_actions_total", 'result="rejected"') -
        value(m0, "bigtwo_actions_total", 'result="rejected"') +
        value(m1, "bigtwo_protocol_errors_total") -
        value(m0, "bigtwo_protocol_errors_total") +
        value(m1, "bigtwo_disconnects_total") -
        value(m0, "bigtwo_disconnects_total")
      : 0;
  return {
    playsPerSec: round(s.actions / s.seconds, 0),
    framesPerSec: round(s.framesIn / s.seconds, 0),
    // Frames delivered = frames the clients received: counted the same way for both servers.
    cpuMicrosPerMessage: round((cpu * 1e6) / s.framesIn, 2),
    serverCpu: round(serverCpu, 3),
    loadgenCpu: round(s.cpu, 3),
    p50ms: round(s.latency.p50, 2),
    p99ms: round(s.latency.p99, 2),
    serverP99ms: m0 && m1 ? round(histogramQuantile(m0, m1, "bigtwo_action_latency_seconds", 0.99) * 1000, 2) : null,
    meanFrameToClient: round(s.meanInFrame, 1),
    meanFrameFromClient: round(s.meanOutFrame, 1),
    errors: s.errors + serverErrors,
    bottleneck: serverCpu >= 0.85 ? "server" : s.cpu >= 0.85 ? "loadgen" : "neither",
    serverFramesOutPerSec:
      m0 && m1 ? round((value(m1, "bigtwo_frames_out_total") - value(m0, "bigtwo_frames_out_total")) / seconds, 0) : null,
    perFrame: {
      userMicros: round((k.user * 1e6) / s.framesIn, 2),
      systemMicros: round((k.system * 1e6) / s.framesIn, 2),
      readSyscalls: round(k.syscr / s.framesIn, 3),
      writeSyscalls: round(k.syscw / s.framesIn, 3),
      contextSwitches: round((k.voluntary + k.involuntary) / s.framesIn, 3),
    },
    runqueueWaitPerSec: round(k.runqueueWait / seconds, 3),
  };
}

const describe = (s: ThroughputSide) =>
  `${s.playsPerSec} plays/s, ${s.cpuMicrosPerMessage} µs CPU/frame (user ${s.perFrame.userMicros}, sys ${s.perFrame.systemMicros}, ` +
  `${s.perFrame.writeSyscalls} writes ${s.perFrame.readSyscalls} reads ${s.perFrame.contextSwitches} ctx sw per frame), ` +
  `server ${s.serverCpu} cores (run-queue wait ${s.runqueueWaitPerSec} s/s), loadgen ${s.loadgenCpu} cores`;

type Kind = "ours" | "relay";

/** The generator's semi-space here: the same for both servers; see Gen. */
const THROUGHPUT_SEMI_MB = 32;

/** One server under one load: started, loaded, measured over a window, stopped. */
async function run(kind: Kind, mode: ThinkMode, tables: number, sizes: Sizes, plan: Plan, log: Log): Promise<ThroughputSide> {
  // The relay wraps the frame in as {"f":<in>,"p":"<pad>"}: pad it to the game server's mean frame out.
  const pad = Math.max(0, Math.round(sizes.out - sizes.in - `{"f":,"p":""}`.length));
  const server =
    kind === "ours"
      ? // Zero-think bots act far faster than the people the rate limit is for; lift it for this run.
        await startGameServer({ RATE_PER_SECOND: "10000", RATE_BURST: "20000" })
      : await startRelay({ RELAY_PAD_BYTES: String(pad) });
  const gen = new Gen(1, { semiSpaceMB: THROUGHPUT_SEMI_MB });
  try {
    const opened =
      kind === "ours"
        ? await gen.request({ cmd: "open", url: server.url, tables, mode, settings: LOAD_SETTINGS, concurrency: 50 })
        : await gen.request({ cmd: "relayOpen", url: server.url, groups: tables, mode, inBytes: sizes.in, concurrency: 50 });
    if (opened.failed > 0) throw new Error(`throughput: ${opened.failed} ${kind} tables failed to open: ${opened.firstError}`);
    if (kind === "relay") await gen.request({ cmd: "relayKick" });
    const side = await measure(server, gen, plan, kind === "ours");
    log(`  ${kind === "ours" ? "game server" : "bare relay: "} ${describe(side)}`);
    return side;
  } finally {
    await gen.stop();
    await server.proc.stop();
  }
}

interface Sizes {
  in: number;
  out: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function throughput(plan: Plan, log: Log): Promise<ThroughputResult> {
  const t = plan.throughput;
  log(`throughput: ${t.tables} tables of zero-think bots, ${t.rounds} round(s) of game server and relay (alternating order), then a paced pair`);
  const rounds: ThroughputResult["rounds"] = [];
  // The relay's frames take the sizes the game server's clients sent and received.
  let sizes: Sizes | null = null;
  const ours = async (mode: ThinkMode, tables: number) => {
    const side = await run("ours", mode, tables, sizes ?? { in: 0, out: 0 }, plan, log);
    sizes = { in: side.meanFrameFromClient, out: side.meanFrameToClient };
    return side;
  };
  const relay = (mode: ThinkMode, tables: number) => run("relay", mode, tables, sizes as unknown as Sizes, plan, log);
  for (let r = 0; r < t.rounds; r++) {
    // BENCH_SKIP_RELAY: A/B runs of server changes measure the game server only.
    if (process.env.BENCH_SKIP_RELAY) {
      const o = await ours("zero", t.tables);
      rounds.push({ ours: o, relay: o, cpuRatio: 1 });
      continue;
    }
    // Alternate the order (ABBA): a run that goes second must not always be the same server.
    let o: ThroughputSide;
    let rl: ThroughputSide;
    if (r % 2 === 0 || sizes === null) {
      o = await ours("zero", t.tables);
      rl = await relay("zero", t.tables);
    } else {
      rl = await relay("zero", t.tables);
      o = await ours("zero", t.tables);
    }
    rounds.push({ ours: o, relay: rl, cpuRatio: round(o.cpuMicrosPerMessage / rl.cpuMicrosPerMessage, 3) });
  }
  // The round with the median ratio stands for the run; every round is kept in the JSON.
  const cpuRatio = round(median(rounds.map((x) => x.cpuRatio)), 3);
  const mid = rounds.reduce((a, b) => (Math.abs(b.cpuRatio - cpuRatio) < Math.abs(a.cpuRatio - cpuRatio) ? b : a));
  const both = mid.ours.bottleneck === "server" && mid.relay.bottleneck === "server";

  let paced: ThroughputResult["paced"] = null;
  if (!process.env.BENCH_SKIP_RELAY) {
    log(`  paced: ${t.pacedTables} tables, every player acting after ${PACED_THINK_MS[0]}-${PACED_THINK_MS[1]} ms`);
    const o = await ours("paced", t.pacedTables);
    const rl = await relay("paced", t.pacedTables);
    paced = { tables: t.pacedTables, ours: o, relay: rl, cpuRatio: round(o.cpuMicrosPerMessage / rl.cpuMicrosPerMessage, 3) };
  }
  return {
    tables: t.tables,
    windowS: t.windowS,
    rounds,
    ours: mid.ours,
    relay: mid.relay,
    cpuRatio,
    playsRatio: both ? round(mid.ours.playsPerSec / mid.relay.playsPerSec, 3) : null,
    paced,
  };
}
