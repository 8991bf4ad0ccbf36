// Failover: N nodes sharing Redis hold T tables (one human-pace player and three in-process bots
// each, spread evenly); `kill -9` of one node. Measured from the kill: when the survivors have
// adopted every table of the dead node (their adoption counters), when each of its players has
// its seat back (a snapshot from the new owner), when each table's next action is seen (this one
// includes a think time), and whether any action a player saw accepted is missing from the log.
import { scrape, value } from "../lib/prom.ts";
import { ClusterGen, REDIS_URL, cluster } from "../lib/cluster.ts";
import type { Log } from "../lib/log.ts";
import { round, sleep, summarize, type LatencySummary } from "../lib/stats.ts";
import type { CheckResult } from "../cluster-gen.ts";

export interface FailoverOptions {
  nodes: number;
  tables: number;
  leaseMs: number;
  warmS: number;
  afterS: number;
  generators: number;
  /** Tables of the live nodes whose logs are checked too (every table of the dead node is). */
  checkSample: number;
}

export interface FailoverResult {
  nodes: number;
  tables: number;
  leaseMs: number;
  deadNodeTables: number;
  /** ms from the kill until the survivors had adopted that share of the dead node's tables. */
  adoptedMs: { p50: number; p99: number; max: number; adopted: number; pollGapMs: number };
  /** ms from the kill until each player of the dead node had its seat back. */
  backMs: LatencySummary & { notBack: number };
  /** ms from the kill until each of those tables' first action after it was seen (includes one think time, 1.5-4.5 s). */
  firstActionMs: LatencySummary & { notPlaying: number };
  /** Players of the dead node, and players whose socket dropped on a live node (must be 0). */
  players: number;
  droppedElsewhere: number;
  redirectsFollowed: number;
  connectAttempts: number;
  check: CheckResult;
  /** Action latency and errors of all players over the seconds after everyone was back. */
  after: { seconds: number; actions: number; p50ms: number; p99ms: number; errors: number; errorKinds: Record<string, number> };
  errorsBeforeKill: number;
  errorsWhileComingBack: Record<string, number>;
}

const r1 = (s: LatencySummary) => ({ count: s.count, p50: round(s.p50, 0), p90: round(s.p90, 0), p99: round(s.p99, 0), max: round(s.max, 0) });

export async function failover(o: FailoverOptions, log: Log): Promise<FailoverResult> {
  log(`failover: ${o.nodes} nodes, ${o.tables} tables (one human-pace player and three bots each), lease ${o.leaseMs} ms; kill -9 of one node`);
  // The in-process bots think like people too (0.6-1.4 times BOT_THINK_MS).
  const c = cluster("failover", { LEASE_MS: String(o.leaseMs), BOT_THINK_MS: "3000" });
  const gen = new ClusterGen(o.generators);
  try {
    // One first (tsx's compile cache then serves the others), then the rest at once.
    await c.start("n1");
    await Promise.all(Array.from({ length: o.nodes - 1 }, (_, i) => c.start(`n${i + 2}`)));
    c.nodes.sort((x, y) => x.url.localeCompare(y.url));
    const urls = c.nodes.map((n) => n.url);
    const settings = { bots: 3, botLevel: "easy", deals: null, lossLimit: 10000, turnSeconds: 30 };
    const opened = await gen.open(urls, o.tables, settings, 10);
    if (opened.failed > 0) log(`  ${opened.failed} tables failed to open (${opened.firstError}); going on with ${opened.opened}`);
    if (opened.opened < o.tables / 2) throw new Error(`${opened.failed} tables failed to open: ${opened.firstError}`);
    log(`  ${opened.opened} tables open; playing ${o.warmS} s`);
    await gen.stats();
    await sleep(o.warmS * 1000);
    const before = await gen.stats();
    log(`  before the kill: ${before.actions} player actions, p50 ${round(before.latency.p50, 1)} p99 ${round(before.latency.p99, 1)} ms, errors ${before.errors} ${JSON.stringify(before.errorKinds)}`);

    const victim = c.nodes[0];
    const survivors = c.nodes.slice(1);
    const deadNodeTables = value(await scrape(victim.url), "bigtwo_tables_active");
    const adopted0 = (await Promise.all(survivors.map((n) => scrape(n.url)))).reduce((a, m) => a + value(m, "bigtwo_tables_adopted_total"), 0);
    process.kill(victim.pid, "SIGKILL");
    const at = Date.now();
    await gen.killed(victim.url, at, survivors.map((n) => n.url));
    log(`  killed ${victim.url} (pid ${victim.pid}) holding ${deadNodeTables} tables`);

    // The survivors' adoption counters, polled; the players' recovery, polled.
    const curve: { ms: number; adopted: number }[] = [];
    let rec = await gen.recovery();
    const until = at + 60_000;
    while (Date.now() < until) {
      const adopted = (await Promise.all(survivors.map((n) => scrape(n.url)))).reduce((a, m) => a + value(m, "bigtwo_tables_adopted_total"), 0) - adopted0;
      curve.push({ ms: Date.now() - at, adopted });
      rec = await gen.recovery();
      if (adopted >= deadNodeTables && rec.notBack === 0 && rec.notPlaying === 0 && rec.players > 0) break;
      await sleep(100);
    }
    const when = (q: number) => curve.find((p) => p.adopted >= Math.ceil(q * deadNodeTables))?.ms ?? NaN;
    // The curve's resolution: the longest gap between two polls (a loaded machine slows the scrapes).
    const pollGapMs = Math.max(0, ...curve.slice(1).map((p, i) => p.ms - curve[i].ms));
    const adoptedMs = { p50: when(0.5), p99: when(0.99), max: when(1), adopted: curve.at(-1)?.adopted ?? 0, pollGapMs };
    log(`  adopted: p50 ${adoptedMs.p50} p99 ${adoptedMs.p99} max ${adoptedMs.max} ms (${adoptedMs.adopted}/${deadNodeTables}; polled every ${pollGapMs} ms or less)`);
    for (const n of survivors) {
      if (n.proc.child.exitCode !== null || n.proc.child.signalCode !== null) log(`  node ${n.url} exited (${n.proc.child.exitCode ?? n.proc.child.signalCode}): ${n.proc.stderrTail.slice(-5).join(" | ")}`);
    }
    if (process.env.BENCH_CLUSTER_DEBUG) for (const n of c.nodes) log(`  ${n.url} stderr: ${n.proc.stderrTail.slice(-10).join("\n")}`);
    const backMs = { ...r1(summarize(rec.backMs)), notBack: rec.notBack };
    const firstActionMs = { ...r1(summarize(rec.playMs)), notPlaying: rec.notPlaying };
    log(`  players back: p50 ${backMs.p50} p99 ${backMs.p99} max ${backMs.max} ms (${backMs.count} of ${rec.players}); first action seen: p50 ${firstActionMs.p50} p99 ${firstActionMs.p99} max ${firstActionMs.max} ms`);

    // What the players were told while coming back (error codes, closes): a player not back says why here.
    const during = await gen.stats();
    if (during.errors > 0) log(`  errors while coming back: ${JSON.stringify(during.errorKinds)}`);
    await sleep(o.afterS * 1000);
    const afterW = await gen.stats();
    const check = await gen.check(REDIS_URL, c.prefix, o.checkSample);
    log(`  after: ${afterW.actions} actions p99 ${round(afterW.latency.p99, 1)} ms, errors ${afterW.errors}; log check: ${check.lost} of ${check.actionsChecked} actions lost (${check.beforeKillChecked} from before the kill) over ${check.tablesChecked} tables, ${check.gaps} logs with gaps`);
    return {
      nodes: o.nodes,
      tables: opened.opened,
      leaseMs: o.leaseMs,
      deadNodeTables,
      adoptedMs,
      backMs,
      firstActionMs,
      players: rec.players - rec.droppedElsewhere,
      droppedElsewhere: rec.droppedElsewhere,
      redirectsFollowed: rec.redirectsFollowed,
      connectAttempts: rec.connectAttempts,
      check,
      after: { seconds: round(afterW.seconds, 1), actions: afterW.actions, p50ms: round(afterW.latency.p50, 1), p99ms: round(afterW.latency.p99, 1), errors: afterW.errors, errorKinds: afterW.errorKinds },
      errorsBeforeKill: before.errors,
      errorsWhileComingBack: during.errorKinds,
    };
  } finally {
    await gen.stop();
    await c.cleanup();
  }
}
