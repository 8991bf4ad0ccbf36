// Pieces the cluster scenarios share: nodes sharing one Redis under a key prefix of the run's own
// (deleted by prefix at the end, never FLUSHDB), and the handle on bench/cluster-gen.ts processes.
import { randomBytes } from "node:crypto";
import { metricsUrlOf } from "./prom.ts";
import { createClient } from "redis";
import type { CheckResult, ClusterGenRequest, GenWindow, Recovery } from "../cluster-gen.ts";
import { serverFlags, type ServerHandle } from "./gen.ts";
import { LOADGEN_CORE, SERVER_CORE, spawnPinned, type Pinned } from "./proc.ts";
import { summarize } from "./stats.ts";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SECRET = "bench-cluster-secret-0123456789abcdef";

export interface Cluster {
  prefix: string;
  nodes: ServerHandle[];
  start(id: string, env?: Record<string, string>): Promise<ServerHandle>;
  /** Stop every node still running and delete the run's keys. */
  cleanup(): Promise<void>;
}

export function cluster(name: string, env: Record<string, string> = {}): Cluster {
  const prefix = `bt-bench-${name}-${randomBytes(4).toString("hex")}:`;
  const nodes: ServerHandle[] = [];
  return {
    prefix,
    nodes,
    async start(id, extra = {}) {
      const h = await startNode({ REDIS_URL, REDIS_PREFIX: prefix, SESSION_SECRET: SECRET, NODE_ID: id, ...env, ...extra });
      nodes.push(h);
      return h;
    },
    async cleanup() {
      await Promise.all(nodes.map((n) => n.proc.stop(5000)));
      await deleteByPrefix(prefix);
    },
  };
}

/**
 * The game server as `npm start` runs it, on the server core (bench/lib/gen.ts's startGameServer,
 * with a longer wait: on a machine other agents load, a node has taken 30 s and more to start).
 */
export async function startNode(env: Record<string, string>): Promise<ServerHandle> {
  const proc = spawnPinned(SERVER_CORE, "src/server/main.ts", {
    // No records (a cluster's need a shared DATABASE_URL; not what is measured here); /metrics on a port of its own.
    env: { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", RECORDS: "off", METRICS_PORT: "0", MAX_CONNECTIONS_PER_ADDRESS: "0", TABLES_PER_ADDRESS: "0", TABLES_PER_PLAYER: "0", TABLE_CREATES_PER_MINUTE: "0", ...env },
    nodeArgs: serverFlags(),
  });
  const m = await proc.waitFor(/Big Two Online on (http:\/\/[^\s]+)/, 180_000);
  const metrics = await proc.waitFor(/metrics on (http:\/\/[^\s]+)\/metrics/, 30_000);
  metricsUrlOf.set(m[1], metrics[1]);
  return { proc, url: m[1], pid: proc.pid };
}

export async function deleteByPrefix(prefix: string): Promise<number> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  let n = 0;
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length) n += await redis.del(keys);
    }
  } finally {
    await redis.quit();
  }
  return n;
}

/** The Redis server's process id (for its CPU), if it runs on this machine. */
export async function redisPid(): Promise<number | null> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  try {
    const m = /process_id:(\d+)/.exec(await redis.info("server"));
    return m ? Number(m[1]) : null;
  } finally {
    await redis.quit();
  }
}

class ClusterGenProc {
  readonly proc: Pinned;
  #next = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    this.proc = spawnPinned(LOADGEN_CORE, "bench/cluster-gen.ts", { ipc: true, nodeArgs: ["--max-semi-space-size=4", "--single-threaded-gc"] });
    this.proc.child.on("message", (reply: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const p = this.#pending.get(reply.id);
      if (!p) return;
      this.#pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(`cluster load generator: ${reply.error}`));
    });
    this.proc.child.once("exit", (code) => {
      for (const p of this.#pending.values()) p.reject(new Error(`cluster load generator exited (${code})\n${this.proc.stderrTail.slice(-20).join("\n")}`));
      this.#pending.clear();
    });
  }

  request(req: ClusterGenRequest): Promise<unknown> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.proc.child.send({ id, req });
    });
  }
}

/** Several cluster load generators sharing the generator core; requests fan out, replies merge. */
export class ClusterGen {
  readonly procs: ClusterGenProc[];
  constructor(count: number) {
    this.procs = Array.from({ length: count }, () => new ClusterGenProc());
  }

  async open(urls: string[], tables: number, settings: Record<string, unknown>, concurrency = 50) {
    const n = this.procs.length;
    const rs = (await Promise.all(
      this.procs.map((p, i) => p.request({ cmd: "open", urls, tables: Math.floor(tables / n) + (i < tables % n ? 1 : 0), concurrency, settings })),
    )) as { opened: number; failed: number; firstError: string | null }[];
    return { opened: rs.reduce((a, r) => a + r.opened, 0), failed: rs.reduce((a, r) => a + r.failed, 0), firstError: rs.find((r) => r.firstError)?.firstError ?? null };
  }

  async killed(url: string, at: number, live: string[]): Promise<void> {
    await Promise.all(this.procs.map((p) => p.request({ cmd: "killed", url, at, live })));
  }

  async recovery(): Promise<Recovery> {
    const rs = (await Promise.all(this.procs.map((p) => p.request({ cmd: "recovery" })))) as Recovery[];
    return {
      players: rs.reduce((a, r) => a + r.players, 0),
      droppedElsewhere: rs.reduce((a, r) => a + r.droppedElsewhere, 0),
      backMs: rs.flatMap((r) => r.backMs),
      playMs: rs.flatMap((r) => r.playMs),
      notBack: rs.reduce((a, r) => a + r.notBack, 0),
      notPlaying: rs.reduce((a, r) => a + r.notPlaying, 0),
      redirectsFollowed: rs.reduce((a, r) => a + r.redirectsFollowed, 0),
      connectAttempts: rs.reduce((a, r) => a + r.connectAttempts, 0),
    };
  }

  async stats(): Promise<Omit<GenWindow, "latency"> & { latency: ReturnType<typeof summarize> }> {
    const rs = (await Promise.all(this.procs.map((p) => p.request({ cmd: "stats" })))) as GenWindow[];
    const errorKinds: Record<string, number> = {};
    for (const r of rs) for (const [k, v] of Object.entries(r.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + v;
    // Quantiles do not merge: the worst generator's p99 stands for all (they share one core and one load).
    return {
      seconds: Math.max(...rs.map((r) => r.seconds)),
      actions: rs.reduce((a, r) => a + r.actions, 0),
      latency: { count: rs.reduce((a, r) => a + r.latency.count, 0), p50: Math.max(...rs.map((r) => r.latency.p50)), p90: Math.max(...rs.map((r) => r.latency.p90)), p99: Math.max(...rs.map((r) => r.latency.p99)), max: Math.max(...rs.map((r) => r.latency.max)) },
      errors: rs.reduce((a, r) => a + r.errors, 0),
      errorKinds,
      cpu: rs.reduce((a, r) => a + r.cpu, 0),
    };
  }

  async check(redisUrl: string, prefix: string, sample: number): Promise<CheckResult> {
    const rs = (await Promise.all(this.procs.map((p) => p.request({ cmd: "check", redisUrl, prefix, sample: Math.ceil(sample / this.procs.length) })))) as CheckResult[];
    return {
      tablesChecked: rs.reduce((a, r) => a + r.tablesChecked, 0),
      actionsChecked: rs.reduce((a, r) => a + r.actionsChecked, 0),
      beforeKillChecked: rs.reduce((a, r) => a + r.beforeKillChecked, 0),
      lost: rs.reduce((a, r) => a + r.lost, 0),
      lostExamples: rs.flatMap((r) => r.lostExamples).slice(0, 5),
      gaps: rs.reduce((a, r) => a + r.gaps, 0),
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.procs.map((p) => Promise.race([p.request({ cmd: "closeAll" }).catch(() => null), new Promise((r) => setTimeout(r, 5000))])));
    await Promise.all(this.procs.map((p) => p.proc.stop(5000)));
  }
}
