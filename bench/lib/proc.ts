// Child processes pinned to a core, and what /proc says about them.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

const TICKS = 100; // getconf CLK_TCK on Linux/x86-64 and arm64
const PAGE = 4096;

export const SERVER_CORE = 0;
export const LOADGEN_CORE = 1;

/** User + system CPU seconds of a process, every thread included (/proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may contain spaces.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / TICKS;
}

/** Kernel counters of a process: CPU split, read/write syscalls, context switches, run-queue wait. */
export interface ProcCounters {
  user: number;
  system: number;
  syscr: number;
  syscw: number;
  voluntary: number;
  involuntary: number;
  /** Seconds the main thread waited for a CPU while runnable (/proc/<pid>/schedstat). */
  runqueueWait: number;
  /**
   * CPU seconds of every thread, from the scheduler's nanosecond counters (the sum of
   * /proc/<pid>/task/<tid>/schedstat): `user` and `system` come in 10 ms ticks, too coarse for
   * a few seconds' window; they stay for the split.
   */
  cpu: number;
}

export function counters(pid: number): ProcCounters {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const io = Object.fromEntries(
    readFileSync(`/proc/${pid}/io`, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(": ")),
  ) as Record<string, string>;
  let voluntary = 0;
  let involuntary = 0;
  let cpuNs = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    cpuNs += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    const st = readFileSync(`/proc/${pid}/task/${task}/status`, "utf8");
    voluntary += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(st)?.[1] ?? 0);
    involuntary += Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(st)?.[1] ?? 0);
  }
  const sched = readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ");
  return {
    user: Number(f[11]) / TICKS,
    system: Number(f[12]) / TICKS,
    syscr: Number(io.syscr),
    syscw: Number(io.syscw),
    voluntary,
    involuntary,
    runqueueWait: Number(sched[1]) / 1e9,
    cpu: cpuNs / 1e9,
  };
}

export function diffCounters(a: ProcCounters, b: ProcCounters): ProcCounters {
  const out = {} as ProcCounters;
  for (const k of Object.keys(a) as (keyof ProcCounters)[]) out[k] = b[k] - a[k];
  return out;
}

/** The machine's TCP counters that explain latency spikes on loopback: retransmissions and drops. */
export function tcpCounters(): Record<string, number> {
  const pick = (file: string, prefix: string, keys: string[]) => {
    const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.startsWith(prefix));
    const names = lines[0]?.split(" ") ?? [];
    const values = lines[1]?.split(" ") ?? [];
    return Object.fromEntries(keys.map((k) => [k, Number(values[names.indexOf(k)] ?? 0)]));
  };
  // Loopback packets are delivered in softirq context; under load that work moves to the
  // ksoftirqd threads, and time they wait for a CPU is time packets wait in the kernel.
  let softirqWaitMs = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("ksoftirqd/")) continue;
      softirqWaitMs += Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[1]) / 1e6;
    } catch {
      // the process is gone
    }
  }
  return {
    softirqWaitMs: Math.round(softirqWaitMs),
    ...pick("/proc/net/snmp", "Tcp:", ["RetransSegs"]),
    ...pick("/proc/net/netstat", "TcpExt:", ["TCPTimeouts", "TCPLossProbes", "ListenOverflows", "TCPBacklogDrop"]),
  };
}

export function rssBytes(pid: number): number {
  const statm = readFileSync(`/proc/${pid}/statm`, "utf8").split(" ");
  return Number(statm[1]) * PAGE;
}

export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** The process's open-files limit: soft (what binds) and hard (what the soft may be raised to). */
export function fdLimit(pid: number | "self"): { soft: number; hard: number } {
  const line = readFileSync(`/proc/${pid}/limits`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("Max open files"));
  const m = line ? /Max open files\s+(\S+)\s+(\S+)/.exec(line) : null;
  const num = (s: string) => (s === "unlimited" ? Infinity : Number(s));
  return m ? { soft: num(m[1]), hard: num(m[2]) } : { soft: NaN, hard: NaN };
}

const live = new Set<ChildProcess>();

/** Kill every child still running (the orchestrator is exiting early). */
export function killAll(): void {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
}

export interface Pinned {
  child: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line matching, or rejects when the process exits first. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Lines written to stderr (the last 200). */
  stderrTail: string[];
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Start `node --import tsx <script>` pinned to one core with `taskset` (set before exec, so every
 * thread, GC helpers included, stays on that core). `ipc` adds a message channel.
 */
export function spawnPinned(
  core: number,
  script: string,
  opts: { env?: Record<string, string>; nodeArgs?: string[]; imports?: string[]; args?: string[]; ipc?: boolean } = {},
): Pinned {
  // A negative niceness (BENCH_NICE, set by the orchestrator) keeps other tenants of a shared
  // machine from dominating the figures; `nice` runs the command anyway if not permitted. With
  // autogroup scheduling a process's nice only counts inside its session, so each child gets its
  // own session (detached) and that session's autogroup gets the niceness.
  const nice = Number(process.env.BENCH_NICE ?? 0);
  const child = spawn(
    nice !== 0 ? "nice" : "taskset",
    [
      ...(nice !== 0 ? ["-n", String(nice), "taskset"] : []),
      "-c",
      String(core),
      process.execPath,
      ...(opts.nodeArgs ?? []),
      "--import",
      "tsx",
      // Preloads after tsx, so they may be TypeScript. The guard ends the child with the orchestrator.
      ...["./bench/guard-hook.ts", ...(opts.imports ?? [])].flatMap((m) => ["--import", m]),
      script,
      ...(opts.args ?? []),
    ],
    {
      env: { ...process.env, BENCH_PARENT_PID: String(process.pid), ...opts.env },
      stdio: ["ignore", "pipe", "pipe", ...(opts.ipc ? (["ipc"] as const) : [])],
      detached: nice !== 0,
    },
  );
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const pid = child.pid;
  if (nice !== 0) {
    try {
      writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    } catch {
      // No autogroup scheduling here, or not permitted: the process niceness still applies.
    }
  }
  live.add(child);
  child.once("exit", () => live.delete(child));
  const stderrTail: string[] = [];
  const lineWaiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const stdoutLines: string[] = [];
  // Each stream keeps its last 200 lines, and every line is offered to the waiters of waitFor.
  const follow = (input: NodeJS.ReadableStream, kept: string[]) =>
    createInterface({ input }).on("line", (line) => {
      kept.push(line);
      if (kept.length > 200) kept.shift();
      for (const w of lineWaiters.splice(0)) {
        const m = w.re.exec(line);
        if (m) w.resolve(m);
        else lineWaiters.push(w);
      }
    });
  follow(child.stdout!, stdoutLines);
  follow(child.stderr!, stderrTail);
  let exited = false;
  const exit = new Promise<void>((r) =>
    child.once("exit", () => {
      exited = true;
      r();
    }),
  );
  return {
    child,
    pid,
    stderrTail,
    waitFor(re, timeoutMs = 30_000) {
      for (const line of stdoutLines) {
        const m = re.exec(line);
        if (m) return Promise.resolve(m);
      }
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${script}: no line matching ${re} in ${timeoutMs} ms\n${stderrTail.slice(-20).join("\n")}`)), timeoutMs);
        const w = {
          re,
          resolve: (m: RegExpExecArray) => {
            clearTimeout(t);
            resolve(m);
          },
        };
        lineWaiters.push(w);
        void exit.then(() => {
          clearTimeout(t);
          reject(new Error(`${script} exited (code ${child.exitCode}) before printing ${re}\n${stderrTail.slice(-20).join("\n")}`));
        });
      });
    },
    async stop(timeoutMs = 15_000) {
      if (exited) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      await exit;
      clearTimeout(killer);
    },
  };
}
