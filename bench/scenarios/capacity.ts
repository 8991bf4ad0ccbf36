// Scenario 3: tables added at human pace (every player thinks 1.5-4.5 s) in steps, a window of
// measurement after each step, a long hold at the target, then on until p99 passes 100 ms, an
// error appears or the open-files limit leaves no room for another table.
import { Gen, startGameServer, type ServerHandle } from "../lib/gen.ts";
import { counters, cpuSeconds, diffCounters, fdLimit, openFds, rssBytes, tcpCounters, type ProcCounters } from "../lib/proc.ts";
import { histogramDelta, histogramQuantile, scrape, value, type Samples as Prom } from "../lib/prom.ts";
import type { LatencySummary } from "../lib/stats.ts";
import { round, sleep } from "../lib/stats.ts";
import { LOAD_SETTINGS, TARGETS, type Plan } from "../plan.ts";
import type { Log } from "../lib/log.ts";

export interface Window {
  tables: number;
  /** A second window measured because the first one passed the p99 limit. */
  confirmation?: boolean;
  connections: number;
  seconds: number;
  actionsPerSec: number;
  p50ms: number;
  p90ms: number;
  p99ms: number;
  maxms: number;
  serverP99ms: number;
  /** Server event-loop delay p99 beyond prom-client's 10 ms sampling interval. */
  serverEldP99ms: number;
  serverEldMaxMs: number;
  /** The server's garbage collections over the window (prom-client's gc histogram). */
  serverGc: { count: number; totalMs: number; over10ms: number; major: number };
  serverCpu: number;
  serverRssMB: number;
  serverHeapMB: number;
  loadgenCpu: number;
  loadgenEldP99ms: number;
  loadgenEldMaxMs: number;
  loadgenGcMaxMs: number;
  loadgenGcMaxKind: string;
  /** Changes of the machine's TCP counters over the window (retransmissions, timeouts, listen overflows). */
  tcp: Record<string, number>;
  /** Time the main threads were runnable but waiting for their core (other load), ms over the window. */
  runqueueWaitMs: { server: number; loadgen: number };
  involuntarySwitches: { server: number; loadgen: number };
  errors: number;
  errorKinds: Record<string, number>;
}

export interface CapacityResult {
  steps: Window[];
  hold: {
    tables: number;
    seconds: number;
    windows: Window[];
    latency: LatencySummary;
    serverP99ms: number;
    maxServerEldP99ms: number;
    maxRssMB: number;
    errors: number;
    passed: boolean;
  } | null;
  /** The held tables with hard-bot tables beside them (`plan.capacity.hardTables`). */
  hardBots: HardBotsResult | null;
  tablesHeld: number;
  connectionsHeld: number;
  stopReason: string;
  fdLimits: { server: { soft: number; hard: number }; loadgen: { soft: number; hard: number } };
  fdsAtStop: { server: number; loadgen: number };
}

export interface HardBotsResult {
  /** Tables of the hold beside them, and the tables of one player and three hard bots. */
  heldTables: number;
  hardTables: number;
  seconds: number;
  windows: Window[];
  /** Every load player's action latency over the phase: the held tables' and the hard tables'. */
  latency: LatencySummary;
  serverP99ms: number;
  /** Hard bots' moves searched and played by the fallback, and search time per second of the phase. */
  searches: number;
  fallbacks: number;
  searchMsPerSecond: number;
  serverCpu: number;
  errors: number;
  /** p99 under the target and no errors. */
  passed: boolean;
}

/** Hard bots beside the held tables: their search is capped per node, so the others keep their pace. */
async function hardBots(server: ServerHandle, gen: Gen, held: number, c: Plan["capacity"], log: Log): Promise<HardBotsResult> {
  log(`  hard bots: ${c.hardTables} tables of one player and three hard bots beside the ${held} held tables, ${c.hardS} s`);
  const settings = { ...LOAD_SETTINGS, bots: 3, botLevel: "hard" };
  const r = await gen.request({ cmd: "openBotTables", url: server.url, tables: c.hardTables, settings, concurrency: c.concurrency });
  if (r.failed > 0) log(`  hard bots: ${r.failed} tables failed to open (${r.firstError}); measured with ${r.opened}`);
  const m0 = await scrape(server.url);
  const cpu0 = cpuSeconds(server.pid);
  await gen.request({ cmd: "spanStart" });
  const t0 = performance.now();
  const windows: Window[] = [];
  while ((performance.now() - t0) / 1000 < c.hardS - 1) {
    const left = c.hardS - (performance.now() - t0) / 1000;
    const w = await window(server, gen, held + r.opened, Math.min(c.holdWindowS, left));
    windows.push(w);
    log(`    ${line(w)}`);
  }
  const latency = await gen.request({ cmd: "spanEnd" });
  const seconds = (performance.now() - t0) / 1000;
  const m1 = await scrape(server.url);
  const serverCpu = (cpuSeconds(server.pid) - cpu0) / seconds;
  await gen.request({ cmd: "closeBotTables" });
  // A player who leaves mid-match hands the seat to a bot, and a table of bots closes a few
  // seconds later (EMPTY_TABLE_SECONDS): the ramp goes on only once they are gone.
  for (let i = 0; i < 60; i++) {
    if (value(await scrape(server.url), "bigtwo_tables_active") <= held) break;
    await sleep(250);
  }
  const d = (name: string, labels?: string) => value(m1, name, labels) - value(m0, name, labels);
  const errors = windows.reduce((a, w) => a + w.errors, 0);
  const result: HardBotsResult = {
    heldTables: held,
    hardTables: r.opened,
    seconds: round(seconds, 1),
    windows,
    latency: { count: latency.count, p50: round(latency.p50, 2), p90: round(latency.p90, 2), p99: round(latency.p99, 2), max: round(latency.max, 1) },
    serverP99ms: round(histogramQuantile(m0, m1, "bigtwo_action_latency_seconds", 0.99) * 1000, 2),
    searches: d("bigtwo_hard_bot_moves_total", 'by="search"'),
    fallbacks: d("bigtwo_hard_bot_moves_total", 'by="fallback"'),
    searchMsPerSecond: round((d("bigtwo_bot_search_seconds_total") * 1000) / seconds, 0),
    serverCpu: round(serverCpu, 3),
    errors: errors + r.failed,
    passed: errors + r.failed === 0 && latency.p99 < TARGETS.p99ms,
  };
  log(
    `  hard bots: p50 ${result.latency.p50} p99 ${result.latency.p99} ms over ${latency.count} actions; ${result.searches} searches, ` +
      `${result.fallbacks} fallbacks, ${result.searchMsPerSecond} ms of search a second; server ${result.serverCpu} cores; errors ${errors}`,
  );
  return result;
}

/**
 * Load generator processes for the capacity ramp (they share the generator core). Four keep each
 * one's heap, and so each of its GC pauses, small: the hold's p99 was 37 ms with two, 26 with four.
 */
const GENERATORS = 4;

/** The generators' kernel counters, added up. */
function genCounters(gen: Gen): ProcCounters {
  const all = gen.pids.map(counters);
  return all.reduce((a, b) => {
    const out = { ...a };
    for (const k of Object.keys(b) as (keyof ProcCounters)[]) out[k] = a[k] + b[k];
    return out;
  });
}

/** Descriptors kept free for the server's own files, the metrics scrape and the listening socket. */
const FD_MARGIN = 64;

/** Server errors: anything refused, any table failure, any socket the server had to cut. */
function serverErrors(m0: Prom, m1: Prom): { total: number; kinds: Record<string, number> } {
  const d = (name: string, labels?: string) => value(m1, name, labels) - value(m0, name, labels);
  const kinds: Record<string, number> = {
    "server:rejected-actions": d("bigtwo_actions_total", 'result="rejected"'),
    "server:protocol-errors": d("bigtwo_protocol_errors_total"),
    "server:table-failures": d("bigtwo_table_failures_total"),
    "server:disconnects": d("bigtwo_disconnects_total"),
  };
  for (const k of Object.keys(kinds)) if (kinds[k] === 0) delete kinds[k];
  return { total: Object.values(kinds).reduce((a, b) => a + b, 0), kinds };
}

function gcSummary(m0: Prom, m1: Prom): Window["serverGc"] {
  const byKind = histogramDelta(m0, m1, "bigtwo_nodejs_gc_duration_seconds", 0.01);
  const all = Object.values(byKind);
  return {
    count: all.reduce((a, k) => a + k.count, 0),
    totalMs: round(all.reduce((a, k) => a + k.sum, 0) * 1000, 1),
    over10ms: all.reduce((a, k) => a + (Number.isNaN(k.over) ? 0 : k.over), 0),
    major: byKind['kind="major"']?.count ?? 0,
  };
}

async function window(server: ServerHandle, gen: Gen, tables: number, seconds: number): Promise<Window> {
  // The first scrape also resets prom-client's event-loop histogram, so the second covers the window.
  const m0 = await scrape(server.url);
  await gen.request({ cmd: "stats" });
  const c0 = cpuSeconds(server.pid);
  const tcp0 = tcpCounters();
  const k0 = { server: counters(server.pid), loadgen: genCounters(gen) };
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const s = await gen.request({ cmd: "stats" });
  const c1 = cpuSeconds(server.pid);
  const wall = (performance.now() - t0) / 1000;
  const tcp1 = tcpCounters();
  const ks = diffCounters(k0.server, counters(server.pid));
  const kg = diffCounters(k0.loadgen, genCounters(gen));
  const m1 = await scrape(server.url);
  const se = serverErrors(m0, m1);
  return {
    tables,
    connections: value(m1, "bigtwo_connections"),
    seconds: round(wall, 1),
    actionsPerSec: round(s.actions / s.seconds, 0),
    p50ms: round(s.latency.p50, 2),
    p90ms: round(s.latency.p90, 2),
    p99ms: round(s.latency.p99, 2),
    maxms: round(s.latency.max, 1),
    serverP99ms: round(histogramQuantile(m0, m1, "bigtwo_action_latency_seconds", 0.99) * 1000, 2),
    serverEldP99ms: round(Math.max(0, value(m1, "bigtwo_nodejs_eventloop_lag_p99_seconds") - 0.01) * 1000, 2),
    serverEldMaxMs: round(Math.max(0, value(m1, "bigtwo_nodejs_eventloop_lag_max_seconds") - 0.01) * 1000, 1),
    serverGc: gcSummary(m0, m1),
    serverCpu: round((c1 - c0) / wall, 3),
    serverRssMB: round(rssBytes(server.pid) / 2 ** 20, 0),
    serverHeapMB: round(value(m1, "bigtwo_nodejs_heap_size_used_bytes") / 2 ** 20, 0),
    loadgenCpu: round(s.cpu, 3),
    loadgenEldP99ms: round(s.eldP99Ms, 2),
    loadgenEldMaxMs: round(s.eldMaxMs, 1),
    loadgenGcMaxMs: round(s.gcMaxMs, 1),
    loadgenGcMaxKind: s.gcMaxKind,
    tcp: Object.fromEntries(Object.keys(tcp1).map((k) => [k, tcp1[k] - tcp0[k]])),
    runqueueWaitMs: { server: round(ks.runqueueWait * 1000, 0), loadgen: round(kg.runqueueWait * 1000, 0) },
    involuntarySwitches: { server: ks.involuntary, loadgen: kg.involuntary },
    errors: s.errors + se.total,
    errorKinds: { ...s.errorKinds, ...se.kinds },
  };
}

const line = (w: Window) =>
  `${String(w.tables).padStart(5)} tables ${String(w.connections).padStart(6)} conns: ${w.actionsPerSec} actions/s, ` +
  `p50 ${w.p50ms} p99 ${w.p99ms} max ${w.maxms} ms (server p99 ${w.serverP99ms}, eld p99/max ${w.serverEldP99ms}/${w.serverEldMaxMs}; ` +
  `gc ${w.serverGc.count}/${w.serverGc.totalMs} ms/${w.serverGc.over10ms} over 10 ms/${w.serverGc.major} major; ` +
  `loadgen eld max ${w.loadgenEldMaxMs} gc max ${w.loadgenGcMaxMs}${w.loadgenGcMaxKind ? ` (${w.loadgenGcMaxKind})` : ""}; tcp retrans ${w.tcp.RetransSegs} rto ${w.tcp.TCPTimeouts} ksoftirqd wait ${w.tcp.softirqWaitMs} ms; ` +
  `run-queue wait ${w.runqueueWaitMs.server}/${w.runqueueWaitMs.loadgen} ms, preempted ${w.involuntarySwitches.server}/${w.involuntarySwitches.loadgen}), ` +
  `server ${w.serverCpu} cores ${w.serverRssMB} MB RSS, loadgen ${w.loadgenCpu} cores, errors ${w.errors}`;

export async function capacity(plan: Plan, log: Log): Promise<CapacityResult> {
  const c = plan.capacity;
  log(`capacity: +${c.step} tables a step at human pace, hold ${c.holdAt} tables for ${c.holdS} s, then on to a limit`);
  const server = await startGameServer({});
  const gen = new Gen(GENERATORS);
  const limits = { server: fdLimit(server.pid), loadgen: fdLimit(gen.pids[0]) };
  log(`  open-files limits: server soft ${limits.server.soft} hard ${limits.server.hard}; loadgen soft ${limits.loadgen.soft} hard ${limits.loadgen.hard}`);
  const steps: Window[] = [];
  let hold: CapacityResult["hold"] = null;
  let hard: HardBotsResult | null = null;
  let tables = 0;
  let tablesHeld = 0;
  let connectionsHeld = 0;
  let stopReason = "";
  try {
    while (!stopReason) {
      const target = Math.min(tables + c.step, tables < c.holdAt ? c.holdAt : Infinity, c.maxTables);
      // Each table is four sockets: four descriptors in the server, four in the generators (which
      // share the tables evenly).
      const genRoom = Math.min(...gen.pids.map((p) => limits.loadgen.soft - openFds(p) - FD_MARGIN)) * gen.pids.length;
      const room = Math.min(limits.server.soft - openFds(server.pid) - FD_MARGIN, genRoom) / 4;
      const add = Math.max(0, Math.min(target - tables, Math.floor(room)));
      if (add === 0) {
        stopReason = `open files: no room for another table under the limit of ${Math.min(limits.server.soft, limits.loadgen.soft)} descriptors per process`;
        break;
      }
      const r = await gen.request({ cmd: "open", url: server.url, tables: add, mode: "human", settings: LOAD_SETTINGS, concurrency: c.concurrency });
      tables += r.opened;
      if (r.failed > 0) {
        stopReason = `errors: ${r.failed} tables failed to open (${r.firstError})`;
        break;
      }
      let w = await window(server, gen, tables, c.stepWindowS);
      steps.push(w);
      log(`  ${line(w)}`);
      if (w.errors > 0) {
        stopReason = `errors: ${JSON.stringify(w.errorKinds)}`;
        break;
      }
      if (w.p99ms > TARGETS.rampStopP99ms) {
        // One stall (a long GC pause, another tenant of a shared machine) fills a short window's
        // top percentile: a second, longer window at the same load confirms or clears it.
        log(`  p99 over ${TARGETS.rampStopP99ms} ms: confirming with a ${2 * c.stepWindowS} s window`);
        w = await window(server, gen, tables, 2 * c.stepWindowS);
        w.confirmation = true;
        steps.push(w);
        log(`  ${line(w)}`);
        if (w.errors > 0) {
          stopReason = `errors: ${JSON.stringify(w.errorKinds)}`;
          break;
        }
        if (w.p99ms > TARGETS.rampStopP99ms) {
          stopReason = `p99 ${w.p99ms} ms > ${TARGETS.rampStopP99ms} ms in two windows running`;
          break;
        }
      }
      tablesHeld = tables;
      connectionsHeld = w.connections;
      if (tables === c.holdAt && hold === null) {
        log(`  holding ${tables} tables for ${c.holdS} s`);
        const m0 = await scrape(server.url);
        await gen.request({ cmd: "spanStart" });
        const t0 = performance.now();
        const windows: Window[] = [];
        while ((performance.now() - t0) / 1000 < c.holdS - 1) {
          const left = c.holdS - (performance.now() - t0) / 1000;
          const hw = await window(server, gen, tables, Math.min(c.holdWindowS, left));
          windows.push(hw);
          log(`    ${line(hw)}`);
        }
        const latency = await gen.request({ cmd: "spanEnd" });
        const m1 = await scrape(server.url);
        const errors = windows.reduce((a, w) => a + w.errors, 0);
        hold = {
          tables,
          seconds: round((performance.now() - t0) / 1000, 1),
          windows,
          latency: {
            count: latency.count,
            p50: round(latency.p50, 2),
            p90: round(latency.p90, 2),
            p99: round(latency.p99, 2),
            max: round(latency.max, 1),
          },
          serverP99ms: round(histogramQuantile(m0, m1, "bigtwo_action_latency_seconds", 0.99) * 1000, 2),
          maxServerEldP99ms: Math.max(...windows.map((w) => w.serverEldP99ms)),
          maxRssMB: Math.max(...windows.map((w) => w.serverRssMB)),
          errors,
          passed: errors === 0 && latency.p99 < TARGETS.p99ms,
        };
        log(`  hold: p50 ${hold.latency.p50} p99 ${hold.latency.p99} ms over ${latency.count} actions, errors ${errors}`);
        if (errors > 0) {
          stopReason = `errors during the hold: ${JSON.stringify(Object.assign({}, ...windows.map((w) => w.errorKinds)))}`;
          break;
        }
        if (hold.latency.p99 > TARGETS.rampStopP99ms) {
          stopReason = `p99 ${hold.latency.p99} ms > ${TARGETS.rampStopP99ms} ms during the hold`;
          break;
        }
        if (c.hardTables > 0) hard = await hardBots(server, gen, tables, c, log);
      }
      if (tables >= c.maxTables) stopReason = `the ${plan.name} run stops at ${c.maxTables} tables`;
      else if (add < target - (tables - add)) {
        stopReason = `open files: the limit of ${Math.min(limits.server.soft, limits.loadgen.soft)} descriptors per process leaves no room for more tables`;
      }
    }
    const fdsAtStop = { server: openFds(server.pid), loadgen: Math.max(...gen.pids.map(openFds)) };
    log(`  stopped at ${tables} tables: ${stopReason}`);
    return { steps, hold, hardBots: hard, tablesHeld, connectionsHeld, stopReason, fdLimits: limits, fdsAtStop };
  } finally {
    await gen.stop();
    await server.proc.stop();
  }
}
