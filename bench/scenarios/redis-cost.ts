// Cost of Redis: one node keeping table logs in Redis and one node with the memory store, side by
// side on the server core, each with the same human-pace load (four load-bot players per table,
// bench/loadgen.ts), measured over the same windows: the server's CPU per accepted action, and
// the ratio. Redis's own CPU per action is reported beside it (it runs on this machine too).
import { Gen, type ServerHandle } from "../lib/gen.ts";
import { cpuSeconds } from "../lib/proc.ts";
import { scrape, value } from "../lib/prom.ts";
import { cluster, redisPid, startNode } from "../lib/cluster.ts";
import type { Log } from "../lib/log.ts";
import { round, sleep } from "../lib/stats.ts";
import { LOAD_SETTINGS } from "../plan.ts";

export interface CostOptions {
  tables: number;
  warmS: number;
  windows: number;
  windowS: number;
}

interface Side {
  actions: number;
  cpuSeconds: number;
  cpuMicrosPerAction: number;
  p99msWorstWindow: number;
  errors: number;
}

export interface CostResult {
  tables: number;
  opened: { memory: number; redis: number };
  seconds: number;
  memory: Side;
  redis: Side;
  /** Redis's CPU per action of the Redis node (null if its process is not readable here). */
  redisServerMicrosPerAction: number | null;
  /** The Redis node's CPU per action over the memory node's. */
  ratio: number;
  /** The same ratio per window, to show the spread. */
  windowRatios: number[];
}

const accepted = async (h: ServerHandle) => value(await scrape(h.url), "bigtwo_actions_total", 'result="accepted"');

export async function redisCost(o: CostOptions, log: Log): Promise<CostResult> {
  log(`cost: a Redis node and a memory node side by side, ${o.tables} human-pace tables each, ${o.windows} windows of ${o.windowS} s`);
  const c = cluster("cost");
  const mem = await startNode({});
  const gens = { memory: new Gen(1), redis: new Gen(1) };
  try {
    const red = await c.start("cost1");
    const rpid = await redisPid().catch(() => null);
    const opened = await Promise.all([
      gens.memory.request({ cmd: "open", url: mem.url, tables: o.tables, mode: "human", settings: LOAD_SETTINGS, concurrency: 10 }),
      gens.redis.request({ cmd: "open", url: red.url, tables: o.tables, mode: "human", settings: LOAD_SETTINGS, concurrency: 10 }),
    ]);
    // A table that failed to open (a join timed out on a loaded machine) only lowers that side's
    // load; the figure is per action. Most failing is a broken run.
    for (const r of opened) if (r.opened < o.tables / 2) throw new Error(`${r.failed} tables failed to open: ${r.firstError}`);
    log(`  tables open: memory ${opened[0].opened}, redis ${opened[1].opened} (failed ${opened[0].failed + opened[1].failed})`);
    await sleep(o.warmS * 1000);
    const sides = { memory: { h: mem, actions: 0, cpu: 0, p99: 0, errors: 0 }, redis: { h: red, actions: 0, cpu: 0, p99: 0, errors: 0 } };
    let redisCpu = 0;
    const windowRatios: number[] = [];
    const t0 = performance.now();
    for (let w = 0; w < o.windows; w++) {
      await Promise.all([gens.memory.request({ cmd: "stats" }), gens.redis.request({ cmd: "stats" })]);
      const a0 = { memory: await accepted(mem), redis: await accepted(red) };
      const c0 = { memory: cpuSeconds(mem.pid), redis: cpuSeconds(red.pid), server: rpid ? cpuSeconds(rpid) : 0 };
      await sleep(o.windowS * 1000);
      const c1 = { memory: cpuSeconds(mem.pid), redis: cpuSeconds(red.pid), server: rpid ? cpuSeconds(rpid) : 0 };
      const a1 = { memory: await accepted(mem), redis: await accepted(red) };
      const s = { memory: await gens.memory.request({ cmd: "stats" }), redis: await gens.redis.request({ cmd: "stats" }) };
      const per: Record<string, number> = {};
      for (const k of ["memory", "redis"] as const) {
        const side = sides[k];
        side.actions += a1[k] - a0[k];
        side.cpu += c1[k] - c0[k];
        side.p99 = Math.max(side.p99, s[k].latency.p99);
        side.errors += s[k].errors;
        per[k] = ((c1[k] - c0[k]) / Math.max(1, a1[k] - a0[k])) * 1e6;
      }
      redisCpu += c1.server - c0.server;
      windowRatios.push(round(per.redis / per.memory, 2));
      log(`  window ${w + 1}: memory ${round(per.memory, 0)} µs/action (${a1.memory - a0.memory} actions), redis ${round(per.redis, 0)} µs/action (${a1.redis - a0.redis}), ratio ${windowRatios.at(-1)}`);
    }
    const side = (k: "memory" | "redis"): Side => ({
      actions: sides[k].actions,
      cpuSeconds: round(sides[k].cpu, 2),
      cpuMicrosPerAction: round((sides[k].cpu / Math.max(1, sides[k].actions)) * 1e6, 1),
      p99msWorstWindow: round(sides[k].p99, 1),
      errors: sides[k].errors,
    });
    const result: CostResult = {
      tables: o.tables,
      opened: { memory: opened[0].opened, redis: opened[1].opened },
      seconds: round((performance.now() - t0) / 1000, 1),
      memory: side("memory"),
      redis: side("redis"),
      redisServerMicrosPerAction: rpid ? round((redisCpu / Math.max(1, sides.redis.actions)) * 1e6, 1) : null,
      ratio: 0,
      windowRatios,
    };
    result.ratio = round(result.redis.cpuMicrosPerAction / result.memory.cpuMicrosPerAction, 2);
    log(`  cost: memory ${result.memory.cpuMicrosPerAction} µs/action, redis ${result.redis.cpuMicrosPerAction} µs/action, ratio ${result.ratio}; Redis itself ${result.redisServerMicrosPerAction} µs/action`);
    return result;
  } finally {
    await Promise.all([gens.memory.stop(), gens.redis.stop()]);
    await mem.proc.stop();
    await c.cleanup();
  }
}
