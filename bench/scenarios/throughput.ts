// Scenario 1: zero-think bots in a closed loop at a fixed number of tables, on the game server
// and on the bare relay, alternately. The fair comparison is server CPU per delivered frame:
// it holds whichever process is the bottleneck.
import { Gen, startGameServer, startRelay, toggleProfile, type ServerHandle } from "../lib/gen.ts";
import type { GenStats } from "../lib/ipc.ts";
import { counters, diffCounters, type ProcCounters } from "../lib/proc.ts";
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
}

/** The server's own time and the generator's view over one window. */
async function measure(server: ServerHandle, gen: Gen, plan: Plan, withMetrics: boolean): Promise<ThroughputSide> {
  await sleep(plan.throughput.warmupS * 1000);
  let m0: Prom | null = null;
  if (withMetrics) m0 = await scrape(server.url);
  await gen.request({ cmd: "stats" });
  await toggleProfile(server);
  const k0 = counters(server.pid);
  const t0 = performance.now();
  await sleep(plan.throughput.windowS * 1000);
  const s: GenStats = await gen.request({ cmd: "stats" });
  const k = diffCounters(k0, counters(server.pid));
  await toggleProfile(server);
  const c0 = 0;
  const c1 = k.user + k.system;
  const seconds = (performance.now() - t0) / 1000;
  const m1 = withMetrics ? await scrape(server.url) : null;
  const serverCpu = (c1 - c0) / seconds;
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
    cpuMicrosPerMessage: round(((c1 - c0) * 1e6) / s.framesIn, 2),
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

async function runOurs(plan: Plan, log: Log): Promise<ThroughputSide> {
  // Zero-think bots act far faster than the people the rate limit is for; lift it for this run.
  const server = await startGameServer({ RATE_PER_SECOND: "10000", RATE_BURST: "20000" });
  const gen = new Gen();
  try {
    const opened = await gen.request({
      cmd: "open",
      url: server.url,
      tables: plan.throughput.tables,
      mode: "zero",
      settings: LOAD_SETTINGS,
      concurrency: 50,
    });
    if (opened.failed > 0) throw new Error(`throughput: ${opened.failed} tables failed to open: ${opened.firstError}`);
    const side = await measure(server, gen, plan, true);
    log(`  game server: ${describe(side)}`);
    return side;
  } finally {
    await gen.stop();
    await server.proc.stop();
  }
}

async function runRelay(plan: Plan, sizes: { in: number; out: number }, log: Log): Promise<ThroughputSide> {
  // The relay wraps the frame in as {"f":<in>,"p":"<pad>"}: pad it to the game server's mean frame out.
  const pad = Math.max(0, Math.round(sizes.out - sizes.in - `{"f":,"p":""}`.length));
  const relay = await startRelay({ RELAY_PAD_BYTES: String(pad) });
  const gen = new Gen();
  try {
    const opened = await gen.request({
      cmd: "relayOpen",
      url: relay.url,
      groups: plan.throughput.tables,
      mode: "zero",
      inBytes: sizes.in,
      concurrency: 50,
    });
    if (opened.failed > 0) throw new Error(`throughput: ${opened.failed} relay groups failed to open: ${opened.firstError}`);
    await gen.request({ cmd: "relayKick" });
    const side = await measure(relay, gen, plan, false);
    log(`  bare relay:  ${describe(side)}`);
    return side;
  } finally {
    await gen.stop();
    await relay.proc.stop();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function throughput(plan: Plan, log: Log): Promise<ThroughputResult> {
  log(`throughput: ${plan.throughput.tables} tables of zero-think bots, ${plan.throughput.rounds} round(s) of game server then relay`);
  const rounds: ThroughputResult["rounds"] = [];
  for (let r = 0; r < plan.throughput.rounds; r++) {
    const ours = await runOurs(plan, log);
    const relay = await runRelay(plan, { in: ours.meanFrameFromClient, out: ours.meanFrameToClient }, log);
    rounds.push({ ours, relay, cpuRatio: round(ours.cpuMicrosPerMessage / relay.cpuMicrosPerMessage, 3) });
  }
  // The round with the median ratio stands for the run; every round is kept in the JSON.
  const cpuRatio = round(median(rounds.map((x) => x.cpuRatio)), 3);
  const mid = rounds.reduce((a, b) => (Math.abs(b.cpuRatio - cpuRatio) < Math.abs(a.cpuRatio - cpuRatio) ? b : a));
  const both = mid.ours.bottleneck === "server" && mid.relay.bottleneck === "server";
  return {
    tables: plan.throughput.tables,
    windowS: plan.throughput.windowS,
    rounds,
    ours: mid.ours,
    relay: mid.relay,
    cpuRatio,
    playsRatio: both ? round(mid.ours.playsPerSec / mid.relay.playsPerSec, 3) : null,
  };
}
