// Child processes pinned to a core, and what /proc says about them.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
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
  opts: { env?: Record<string, string>; nodeArgs?: string[]; args?: string[]; ipc?: boolean } = {},
): Pinned {
  const child = spawn(
    "taskset",
    ["-c", String(core), process.execPath, ...(opts.nodeArgs ?? []), "--import", "tsx", script, ...(opts.args ?? [])],
    {
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe", ...(opts.ipc ? (["ipc"] as const) : [])],
    },
  );
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const pid = child.pid;
  live.add(child);
  child.once("exit", () => live.delete(child));
  const stderrTail: string[] = [];
  const lineWaiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const stdoutLines: string[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    stdoutLines.push(line);
    if (stdoutLines.length > 200) stdoutLines.shift();
    for (const w of lineWaiters.splice(0)) {
      const m = w.re.exec(line);
      if (m) w.resolve(m);
      else lineWaiters.push(w);
    }
  });
  createInterface({ input: child.stderr! }).on("line", (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 200) stderrTail.shift();
    for (const w of lineWaiters.splice(0)) {
      const m = w.re.exec(line);
      if (m) w.resolve(m);
      else lineWaiters.push(w);
    }
  });
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
