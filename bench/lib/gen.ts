// The orchestrator's handle on a load generator process (bench/loadgen.ts) and on the servers.
import { LOADGEN_CORE, SERVER_CORE, spawnPinned, type Pinned } from "./proc.ts";
import type { LatencySummary } from "./stats.ts";
import type { GenReply, GenRequest, GenStats, OpenResult, StormResult } from "./ipc.ts";

export class Gen {
  readonly proc: Pinned;
  #next = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    // Thousands of sockets with their bots' views: give the heap room.
    this.proc = spawnPinned(LOADGEN_CORE, "bench/loadgen.ts", {
      ipc: true,
      // A small young generation keeps the generator's own GC pauses (which add to the latency it
      // measures) short: 4 MB semi-spaces measured 10-20 ms pauses at 12,000 sockets, 16 MB 25-45 ms.
      nodeArgs: ["--max-old-space-size=8192", `--max-semi-space-size=${process.env.BENCH_LOADGEN_SEMI ?? 4}`],
      imports: process.env.BENCH_PROFILE_DIR ? ["./bench/profile-hook.ts"] : [],
      env: { BENCH_PROFILE_NAME: "loadgen" },
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

  /** Start or stop (every other call) a CPU profile of the generator (`--profile`). */
  async toggleProfile(): Promise<void> {
    if (!process.env.BENCH_PROFILE_DIR) return;
    this.#profiling = !this.#profiling;
    const written = this.#profiling ? null : this.proc.waitFor(/^BENCH_PROFILE (.*)$/, 30_000);
    process.kill(this.pid, "SIGWINCH");
    await written;
  }
  #profiling = false;

  request(req: Extract<GenRequest, { cmd: "open" | "relayOpen" }>): Promise<OpenResult>;
  request(req: Extract<GenRequest, { cmd: "stats" }>): Promise<GenStats>;
  request(req: Extract<GenRequest, { cmd: "storm" }>): Promise<StormResult>;
  request(req: Extract<GenRequest, { cmd: "spanEnd" }>): Promise<LatencySummary>;
  request(req: GenRequest): Promise<unknown>;
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

/** The bench's preloads: heap-after-GC reports (memory scenario) and windowed CPU profiles (`--profile`). */
function hooks(gc = false): { nodeArgs: string[]; imports: string[] } {
  const nodeArgs = gc ? ["--expose-gc"] : [];
  const imports = gc ? ["./bench/gc-hook.ts"] : [];
  if (process.env.BENCH_PROFILE_DIR) imports.push("./bench/profile-hook.ts");
  return { nodeArgs, imports };
}

/** Start or stop (every other call) a CPU profile of the server's measurement window (`--profile`). */
export async function toggleProfile(h: ServerHandle): Promise<void> {
  if (!process.env.BENCH_PROFILE_DIR) return;
  h.profiling = !h.profiling;
  const written = h.profiling ? null : h.proc.waitFor(/^BENCH_PROFILE (.*)$/, 30_000);
  process.kill(h.pid, "SIGWINCH");
  await written;
}

export interface ServerHandle {
  proc: Pinned;
  url: string;
  pid: number;
  profiling?: boolean;
}

/** The game server as operators run it (src/server/main.ts), configured by env, on the server core. */
export async function startGameServer(env: Record<string, string>, opts: { gcHook?: boolean } = {}): Promise<ServerHandle> {
  const { nodeArgs, imports } = hooks(opts.gcHook);
  const proc = spawnPinned(SERVER_CORE, "src/server/main.ts", {
    env: { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", BENCH_PROFILE_NAME: "server", ...env },
    nodeArgs,
    imports,
  });
  const m = await proc.waitFor(/Big Two Online on (http:\/\/[^\s]+)/);
  return { proc, url: m[1], pid: proc.pid };
}

export async function startRelay(env: Record<string, string>, opts: { gcHook?: boolean } = {}): Promise<ServerHandle> {
  const { nodeArgs, imports } = hooks(opts.gcHook);
  const proc = spawnPinned(SERVER_CORE, "bench/relay.ts", {
    env: { PORT: "0", HOST: "127.0.0.1", BENCH_PROFILE_NAME: "relay", ...env },
    nodeArgs,
    imports,
  });
  const m = await proc.waitFor(/relay on (http:\/\/[^\s]+)/);
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
