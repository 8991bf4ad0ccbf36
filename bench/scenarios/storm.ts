// Scenario 4: K tables play at human pace for a while, then every one of their sockets drops at
// once and reconnects with its token. Timed until every player sees all four seats connected
// again; each player's snapshot must match, field for field, the state it held before the drop.
import { Gen, startGameServer } from "../lib/gen.ts";
import type { StormResult } from "../lib/ipc.ts";
import { cpuSeconds, tcpCounters } from "../lib/proc.ts";
import { scrape, value } from "../lib/prom.ts";
import { round, sleep } from "../lib/stats.ts";
import { LOAD_SETTINGS, type Plan } from "../plan.ts";
import type { Log } from "../lib/log.ts";

export interface StormReport extends StormResult {
  serverCpuSeconds: number;
  serverDisconnects: number;
  /** The machine's TCP counters over the storm: listen-queue overflows mean dropped SYNs, retried a second later. */
  tcp: Record<string, number>;
}

export async function storm(plan: Plan, log: Log): Promise<StormReport> {
  const k = plan.storm.tables;
  log(`reconnect storm: ${k} tables (${4 * k} sockets) drop at once and come back`);
  const server = await startGameServer({});
  // Two generators, as in the capacity ramp: each with half the players.
  const gen = new Gen(2);
  try {
    const r = await gen.request({ cmd: "open", url: server.url, tables: k, mode: "human", settings: LOAD_SETTINGS, concurrency: 50 });
    if (r.failed > 0) throw new Error(`storm: ${r.failed} tables failed to open: ${r.firstError}`);
    await sleep(plan.storm.playS * 1000);
    const m0 = await scrape(server.url);
    const c0 = cpuSeconds(server.pid);
    const tcp0 = tcpCounters();
    const result = await gen.request({ cmd: "storm", timeoutMs: 60_000 });
    const c1 = cpuSeconds(server.pid);
    const tcp1 = tcpCounters();
    const m1 = await scrape(server.url);
    const report: StormReport = {
      ...result,
      snapshotSeconds: round(result.snapshotSeconds, 3),
      seconds: round(result.seconds, 3),
      serverCpuSeconds: round(c1 - c0, 2),
      serverDisconnects: value(m1, "bigtwo_disconnects_total") - value(m0, "bigtwo_disconnects_total"),
      tcp: Object.fromEntries(Object.keys(tcp1).map((k) => [k, tcp1[k] - tcp0[k]])),
    };
    log(
      `  back in ${report.seconds} s (snapshots in ${report.snapshotSeconds} s), ${report.verifiedTables}/${report.tables} tables identical, ` +
        `${report.connectRetries} connect retries, ${report.failedSockets} sockets failed, server CPU ${report.serverCpuSeconds} s, ` +
        `listen overflows ${report.tcp.ListenOverflows}, retransmits ${report.tcp.RetransSegs}`,
    );
    for (const m of report.mismatches) log(`    mismatch: ${m}`);
    return report;
  } finally {
    await gen.stop();
    await server.proc.stop();
  }
}
