// Capacity of a machine: two nodes sharing Redis hold T tables of four human-pace load-bot players
// (bench/loadgen.ts), half on each, for a hold: the players' action latency and every error.
import { Gen } from "../lib/gen.ts";
import { cpuSeconds } from "../lib/proc.ts";
import { scrape, value } from "../lib/prom.ts";
import { cluster } from "../lib/cluster.ts";
import type { Log } from "../lib/log.ts";
import { round, sleep, type LatencySummary } from "../lib/stats.ts";
import { LOAD_SETTINGS } from "../plan.ts";

export interface ClusterCapacityResult {
  tables: number;
  players: number;
  holdS: number;
  latency: LatencySummary;
  /** Client-side errors and server-side ones (rejected actions, protocol errors, table failures, disconnects). */
  errors: number;
  errorKinds: Record<string, number>;
  /** Each node's CPU over the hold, in cores. */
  nodeCpu: number[];
  passed: boolean;
}

const GENERATORS = 4;

export async function clusterCapacity(o: { tables: number; holdS: number }, log: Log): Promise<ClusterCapacityResult> {
  log(`capacity: two nodes, ${o.tables} human-pace tables (${o.tables * 4} players), hold ${o.holdS} s`);
  const c = cluster("capacity");
  const gen = new Gen(GENERATORS);
  try {
    const a = await c.start("cap1");
    const b = await c.start("cap2");
    // (one after the other: tsx's compile cache makes the second start quick)
    let opened = 0;
    // In steps, so the generators' joins do not all land at once.
    const step = 500;
    while (opened < o.tables) {
      const n = Math.min(step, o.tables - opened);
      const half = Math.floor(n / 2);
      const rs = await Promise.all([
        gen.request({ cmd: "open", url: a.url, tables: n - half, mode: "human", settings: LOAD_SETTINGS, concurrency: 25 }),
        gen.request({ cmd: "open", url: b.url, tables: half, mode: "human", settings: LOAD_SETTINGS, concurrency: 25 }),
      ]);
      for (const r of rs) if (r.failed > 0) throw new Error(`${r.failed} tables failed to open: ${r.firstError}`);
      opened += n;
      log(`  ${opened} tables open`);
    }
    await sleep(5000);
    const metrics0 = await Promise.all([a, b].map((n) => scrape(n.url)));
    const cpu0 = [a, b].map((n) => cpuSeconds(n.pid));
    await gen.request({ cmd: "stats" });
    await gen.request({ cmd: "spanStart" });
    const t0 = performance.now();
    const errorKinds: Record<string, number> = {};
    let errors = 0;
    while (performance.now() - t0 < o.holdS * 1000) {
      await sleep(Math.min(10_000, o.holdS * 1000 - (performance.now() - t0)));
      const s = await gen.request({ cmd: "stats" });
      errors += s.errors;
      for (const [k, v] of Object.entries(s.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + v;
      log(`    ${s.actions} actions in ${round(s.seconds, 1)} s, p50 ${round(s.latency.p50, 1)} p99 ${round(s.latency.p99, 1)} max ${round(s.latency.max, 0)} ms, errors ${s.errors}`);
    }
    const holdS = round((performance.now() - t0) / 1000, 1);
    const latency = await gen.request({ cmd: "spanEnd" });
    const nodeCpu = [a, b].map((n, i) => round((cpuSeconds(n.pid) - cpu0[i]) / holdS, 2));
    const metrics1 = await Promise.all([a, b].map((n) => scrape(n.url)));
    for (let i = 0; i < 2; i++) {
      const d = (name: string, labels?: string) => value(metrics1[i], name, labels) - value(metrics0[i], name, labels);
      const kinds = {
        "server:rejected-actions": d("bigtwo_actions_total", 'result="rejected"'),
        "server:protocol-errors": d("bigtwo_protocol_errors_total"),
        "server:table-failures": d("bigtwo_table_failures_total"),
        "server:disconnects": d("bigtwo_disconnects_total"),
      };
      for (const [k, v] of Object.entries(kinds)) {
        if (v <= 0) continue;
        errorKinds[k] = (errorKinds[k] ?? 0) + v;
        errors += v;
      }
    }
    const lat = { count: latency.count, p50: round(latency.p50, 2), p90: round(latency.p90, 2), p99: round(latency.p99, 2), max: round(latency.max, 1) };
    log(`  hold: ${lat.count} actions, p50 ${lat.p50} p99 ${lat.p99} max ${lat.max} ms, errors ${errors} ${JSON.stringify(errorKinds)}, node CPU ${nodeCpu.join(" / ")} cores`);
    return { tables: o.tables, players: o.tables * 4, holdS, latency: lat, errors, errorKinds, nodeCpu, passed: errors === 0 && lat.p99 < 50 };
  } finally {
    await gen.stop();
    await c.cleanup();
  }
}
