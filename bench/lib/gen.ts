// The orchestrator's handle on the load generator processes (bench/loadgen.ts) and on the servers.
import { readFileSync } from "node:fs";
import { LOADGEN_CORE, SERVER_CORE, spawnPinned, type Pinned } from "./proc.ts";
import { metricsUrlOf } from "./prom.ts";
import { summarize, type LatencySummary } from "./stats.ts";
import type { GenReply, GenRequest, GenStats, OpenResult, StormResult } from "./ipc.ts";

/** One load generator process. */
class GenProc {
  readonly proc: Pinned;
  #next = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(semiSpaceMB: number) {
    // Thousands of sockets with their bots' views: give the heap room.
    this.proc = spawnPinned(LOADGEN_CORE, "bench/loadgen.ts", {
      ipc: true,
      // A small young generation keeps the generator's own GC pauses (which add to the latency it
      // measures) short: 4 MB semi-spaces measured 10-20 ms pauses at 12,000 sockets, 16 MB 25-45 ms.
      // Every generator shares one core, so V8's GC helper threads would only take it from the
      // generators' event loops (stalls of 200-300 ms in the capacity hold): GC runs on the main
      // thread, as the server's does (package.json's start script).
      nodeArgs: ["--max-old-space-size=8192", `--max-semi-space-size=${semiSpaceMB}`, "--single-threaded-gc"],
    });
    this.proc.child.on("message", (reply: GenReply) => {
      const p = this.#pending.get(reply.id);
      if (!p) return;
      this.#pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(`load generator: ${reply.error}`));
    });
    this.proc.child.once("exit", (code) => {
      for (const p of this.#pending.values()) p.reject(new Error(`load generator exited (${code})\n${this.proc.stderrTail.slice(-20).join("\n")}`));
      this.#pending.clear();
    });
  }

  get pid(): number {
    return this.proc.pid;
  }

  request(req: GenRequest): Promise<unknown> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.proc.child.send({ id, req });
    });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.request({ cmd: "closeAll" }), new Promise((r) => setTimeout(r, 5000))]);
    } catch {
      // already gone
    }
    await this.proc.stop(5000);
  }
}

/**
 * The load generators of a scenario: one process, or several sharing the generator core, each
 * with its share of the tables. Several keep each one's heap, and so each GC pause, small: one
 * generator holding 16,000 players stalled for up to a second in its major GCs, and every stall
 * lands in the latency it measures. Requests fan out; replies merge (latency from raw samples).
 */
export class Gen {
  readonly procs: GenProc[];

  /**
   * `semiSpaceMB`: the generators' young generation. Small (the default) where the generator
   * measures latency, so its own scavenges stay short; larger for the throughput scenario, where
   * the generator is the bottleneck and its GC (15% of its time at 4 MB) sets the rate it drives.
   */
  constructor(count = 1, { semiSpaceMB = 4 }: { semiSpaceMB?: number } = {}) {
    this.procs = Array.from({ length: count }, () => new GenProc(semiSpaceMB));
  }

  get pids(): number[] {
    return this.procs.map((p) => p.pid);
  }

  request(req: Extract<GenRequest, { cmd: "open" | "relayOpen" | "colyseusOpen" | "openBotTables" }>): Promise<OpenResult>;
  request(req: Extract<GenRequest, { cmd: "stats" }>): Promise<GenStats>;
  request(req: Extract<GenRequest, { cmd: "storm" }>): Promise<StormResult>;
  request(req: Extract<GenRequest, { cmd: "spanEnd" }>): Promise<LatencySummary>;
  request(req: GenRequest): Promise<unknown>;
  async request(req: GenRequest): Promise<unknown> {
    const n = this.procs.length;
    const share = (total: number, i: number) => Math.floor(total / n) + (i < total % n ? 1 : 0);
    switch (req.cmd) {
      case "open":
      case "openBotTables":
      case "relayOpen":
      case "colyseusOpen": {
        const rs = (await Promise.all(
          this.procs.map((p, i) =>
            p.request(
              req.cmd === "open" || req.cmd === "openBotTables"
                ? { ...req, tables: share(req.tables, i) }
                : req.cmd === "relayOpen"
                  ? { ...req, groups: share(req.groups, i) }
                  : { ...req, rooms: share(req.rooms, i) },
            ),
          ),
        )) as OpenResult[];
        return {
          opened: rs.reduce((a, r) => a + r.opened, 0),
          failed: rs.reduce((a, r) => a + r.failed, 0),
          seconds: Math.max(...rs.map((r) => r.seconds)),
          firstError: rs.find((r) => r.firstError)?.firstError ?? null,
        } satisfies OpenResult;
      }
      case "stats":
        return mergeStats((await Promise.all(this.procs.map((p) => p.request(req)))) as GenStats[]);
      case "spanEnd": {
        const parts = (await Promise.all(this.procs.map((p) => p.request(req)))) as number[][];
        return summarize(parts.flat());
      }
      case "storm": {
        const rs = (await Promise.all(this.procs.map((p) => p.request(req)))) as StormResult[];
        return {
          tables: rs.reduce((a, r) => a + r.tables, 0),
          sockets: rs.reduce((a, r) => a + r.sockets, 0),
          snapshotSeconds: Math.max(...rs.map((r) => r.snapshotSeconds)),
          seconds: Math.max(...rs.map((r) => r.seconds)),
          verifiedTables: rs.reduce((a, r) => a + r.verifiedTables, 0),
          mismatches: rs.flatMap((r) => r.mismatches).slice(0, 10),
          connectRetries: rs.reduce((a, r) => a + r.connectRetries, 0),
          failedSockets: rs.reduce((a, r) => a + r.failedSockets, 0),
        } satisfies StormResult;
      }
      default:
        await Promise.all(this.procs.map((p) => p.request(req)));
        return null;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.procs.map((p) => p.stop()));
  }
}

function mergeStats(all: GenStats[]): GenStats {
  const sum = (f: (s: GenStats) => number) => all.reduce((a, s) => a + f(s), 0);
  const max = (f: (s: GenStats) => number) => Math.max(...all.map(f));
  const samples = all.flatMap((s) => s.samples ?? []);
  const errorKinds: Record<string, number> = {};
  for (const s of all) for (const [k, v] of Object.entries(s.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + v;
  const framesIn = sum((s) => s.framesIn);
  const framesOut = sum((s) => s.framesOut);
  return {
    seconds: max((s) => s.seconds),
    actions: sum((s) => s.actions),
    latency: summarize(samples),
    framesIn,
    bytesIn: sum((s) => s.bytesIn),
    framesOut,
    bytesOut: sum((s) => s.bytesOut),
    meanInFrame: framesIn ? sum((s) => s.bytesIn) / framesIn : 0,
    meanOutFrame: framesOut ? sum((s) => s.bytesOut) / framesOut : 0,
    cpu: sum((s) => s.cpu),
    eldP99Ms: max((s) => s.eldP99Ms),
    eldMaxMs: max((s) => s.eldMaxMs),
    gcMaxMs: max((s) => s.gcMaxMs),
    gcMaxKind: all.reduce((a, s) => (s.gcMaxMs > a.gcMaxMs ? s : a)).gcMaxKind,
    errors: sum((s) => s.errors),
    errorKinds,
    errorsTotal: sum((s) => s.errorsTotal),
    sockets: sum((s) => s.sockets),
    heapMB: sum((s) => s.heapMB),
  };
}

/** The memory scenario's preload: heap-after-GC reports (gc-hook.ts). */
function hooks(gc = false): { nodeArgs: string[]; imports: string[] } {
  return gc ? { nodeArgs: ["--expose-gc"], imports: ["./bench/gc-hook.ts"] } : { nodeArgs: [], imports: [] };
}

export interface ServerHandle {
  proc: Pinned;
  url: string;
  pid: number;
}

/**
 * The Node and V8 flags `npm start` runs the server with, read from package.json's start script,
 * so the bench runs the server exactly as operators do. The relay gets the same flags: the two
 * servers then differ in their code only (bench/tools/ab.ts tries other flags).
 */
export function serverFlags(): string[] {
  const start = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start;
  const m = /^node((?: --[\w-]+(?:=\S+)?)*) (?:--import tsx src\/server\/main\.ts|dist\/node\/server\/main\.js)$/.exec(start);
  if (!m) throw new Error(`bench: package.json's start script is not "node [flags] dist/node/server/main.js": ${start}`);
  return m[1].split(" ").filter(Boolean);
}

/** The game server as operators run it (src/server/main.ts), configured by env, on the server core. */
export async function startGameServer(env: Record<string, string>, opts: { gcHook?: boolean } = {}): Promise<ServerHandle> {
  const { nodeArgs, imports } = hooks(opts.gcHook);
  nodeArgs.unshift(...serverFlags());
  const proc = spawnPinned(SERVER_CORE, "src/server/main.ts", {
    // One address opens every socket and table here: the per-address caps are off (0); no records.
    env: { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", METRICS_PORT: "0", RECORDS: "off", MAX_CONNECTIONS_PER_ADDRESS: "0", TABLES_PER_ADDRESS: "0", TABLES_PER_PLAYER: "0", TABLE_CREATES_PER_MINUTE: "0", ...env },
    nodeArgs,
    imports,
  });
  const m = await proc.waitFor(/Big Two Online on (http:\/\/[^\s]+)/);
  // /metrics is served on its own port (issue 19): scrape(url) reads it there.
  const metrics = await proc.waitFor(/metrics on (http:\/\/[^\s]+)\/metrics/);
  metricsUrlOf.set(m[1], metrics[1]);
  return { proc, url: m[1], pid: proc.pid };
}

/** The bare relay (bench/relay.ts), with the game server's flags, on the server core. */
export async function startRelay(env: Record<string, string>, opts: { gcHook?: boolean } = {}): Promise<ServerHandle> {
  const { nodeArgs, imports } = hooks(opts.gcHook);
  nodeArgs.unshift(...serverFlags());
  const proc = spawnPinned(SERVER_CORE, "bench/relay.ts", { env: { PORT: "0", HOST: "127.0.0.1", ...env }, nodeArgs, imports });
  const m = await proc.waitFor(/relay on (http:\/\/[^\s]+)/);
  return { proc, url: m[1], pid: proc.pid };
}

/** The Colyseus peer (bench/peers/colyseus-server.mjs, with bench/peers/'s packages), with the game server's flags. */
export async function startColyseus(env: Record<string, string>, opts: { gcHook?: boolean } = {}): Promise<ServerHandle> {
  const { nodeArgs, imports } = hooks(opts.gcHook);
  nodeArgs.unshift(...serverFlags());
  const proc = spawnPinned(SERVER_CORE, "bench/peers/colyseus-server.mjs", { env: { PORT: "0", HOST: "127.0.0.1", ...env }, nodeArgs, imports });
  const m = await proc.waitFor(/colyseus on (http:\/\/[^\s]+)/);
  return { proc, url: m[1], pid: proc.pid };
}

/** Force a full GC in a process started with the gc hook and read its memory. */
export async function gcMemory(h: ServerHandle): Promise<{ heapUsed: number; rss: number; heapTotal: number; external: number }> {
  // Registered before the signal, so only the fresh report matches.
  const line = h.proc.waitFor(/^BENCH_MEM (.*)$/, 30_000);
  process.kill(h.pid, "SIGUSR2");
  const m = await line;
  return JSON.parse(m[1]) as { heapUsed: number; rss: number; heapTotal: number; external: number };
}
