// Where the game server's CPU goes beside the relay's, from a Linux `perf` recording of the
// servers' core: kernel, V8's garbage collector, JSON, the JIT-compiled JavaScript of each file,
// V8's builtins, and Node's C++. The V8 profiler (`--profile`) sees only the JavaScript side and
// lumps the rest into "(program)" and the syscalls; perf sees all of it.
//
// Each server's samples are divided by its own kernel samples. Both servers make the same
// syscalls per delivered frame (one write per frame, about one read per play: see the throughput
// scenario's per-frame counters), so kernel samples nearly count frames, and the two columns
// compare per frame without knowing how many frames each delivered. The throughput scenario
// prints each server's system time per frame; give them as --sys=GAME/RELAY (µs) to correct the
// estimate of the CPU ratio for the difference. The recording may span many windows of both
// (they take turns on core 0). Buckets go by symbol name: what V8 inlined is counted in the
// function it was inlined into.
//
//   BENCH_SERVER_FLAGS="--single-threaded-gc --perf-basic-prof" npm run bench -- --only=throughput --rounds=8 &
//   sleep 25; perf record -C 0 -e cpu-clock -F 999 -o /tmp/servers.data -- sleep 60
//   perf script -i /tmp/servers.data -F pid,ip,sym,dso > /tmp/servers.txt
//   node --import tsx bench/tools/perf-split.ts /tmp/servers.txt [--rows=30] [--sys=8.77/8.40]
//
// --perf-basic-prof writes /tmp/perf-PID.map, which names the JIT's code; the servers are told
// apart by it (the game server runs src/server/, the relay bench/relay.ts). Every candidate is
// listed; the one with the most samples of each kind is used.
import { readFileSync } from "node:fs";

process.stdout.on("error", () => process.exit(0));
const USAGE = "usage: perf-split.ts <perf script -F pid,ip,sym,dso output> [--rows=30] [--sys=GAME/RELAY]\n";
let file: string | undefined;
let rows = 30;
let sysRatio: number | null = null;
for (const a of process.argv.slice(2)) {
  if (a.startsWith("--rows=")) {
    rows = Number(a.slice("--rows=".length));
    if (!Number.isInteger(rows) || rows < 1) throw new TypeError(`Expected --rows to be a whole number from 1, got ${a}`);
  } else if (a.startsWith("--sys=")) {
    const m = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(a.slice("--sys=".length));
    if (!m || Number(m[2]) === 0) throw new TypeError(`Expected --sys to be GAME/RELAY, µs of system time per frame, got ${a}`);
    sysRatio = Number(m[1]) / Number(m[2]);
  } else if (file === undefined && !a.startsWith("--")) file = a;
  else throw new TypeError(`Unknown argument ${a}. ${USAGE}`);
}
if (!file) {
  process.stderr.write(USAGE);
  process.exit(2);
}

const GC = /Scaveng|MarkCompact|Marking|Sweeper|Evacuat|ConcurrentMarking|MinorMC|Heap::(?:Collect|Scavenge|MarkCompact|Perform)/;
const JSON_WORK = /JsonStringifier|JsonParser|StringTable::|FlatStringReader/;
/** Libraries in brackets that are not the kernel's. */
const NOT_KERNEL = new Set(["[vdso]", "[unknown]", "[JIT]", "[heap]", "[anon]"]);

/** Where a JIT symbol's code comes from: the project's path, node:..., or a bucket for code without a file. */
function jsSource(sym: string): string {
  if (sym.startsWith("RegExp:")) return "regular expressions";
  const m = /(?:file:\/\/)?(\/\S+?|node:\S+?)(?:\?\S*)?(?::\d+){1,2}$/.exec(sym);
  if (!m) return "generated code without a file (new Function, eval)";
  let path = m[1];
  try {
    path = decodeURIComponent(path);
  } catch {
    // not percent-encoded after all: keep it as it is
  }
  if (path.startsWith("node:")) return path;
  const nm = path.lastIndexOf("/node_modules/");
  if (nm >= 0) return path.slice(nm + 1);
  // The checkout's own files: from the last src/ or bench/ of the path.
  const at = Math.max(path.lastIndexOf("/src/"), path.lastIndexOf("/bench/"));
  return at >= 0 ? path.slice(at + 1) : path;
}

/** The bucket a sample goes in. */
function category(sym: string, dso: string): string {
  if (dso.startsWith("[") && !NOT_KERNEL.has(dso) && !dso.startsWith("[JIT]")) return "kernel";
  if (dso.includes("perf-") || dso.startsWith("[JIT]")) return `JS ${jsSource(sym)}`;
  if (GC.test(sym)) return "V8 garbage collector";
  if (JSON_WORK.test(sym)) return "V8 JSON (parse, stringify, string table)";
  if (sym.startsWith("Builtins_")) return `V8 builtin ${sym.slice("Builtins_".length)}`;
  const lib = dso.split("/").at(-1) ?? dso;
  if (sym.startsWith("uv_") || sym.startsWith("uv__")) return "libuv";
  if (/\bnode::/.test(sym)) return "Node C++";
  if (/\bv8::/.test(sym)) return "V8 runtime (property lookups, calls into C++, the rest)";
  if (lib.startsWith("libc")) return "libc";
  return `other ${lib}`;
}

interface Proc {
  pid: string;
  total: number;
  byCategory: Map<string, number>;
  role: "game" | "relay" | null;
}
const procs = new Map<string, Proc>();
// "  PID  ADDRESS SYMBOL (LIBRARY)"; the library may hold parentheses of its own ("(deleted)").
const line = /^\s*(\d+)\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$/;
let unread = 0;
for (const text of readFileSync(file, "utf8").split("\n")) {
  if (text.trim() === "") continue;
  const m = line.exec(text);
  if (!m) {
    unread++;
    continue;
  }
  const [, pid, sym, dso] = m;
  let p = procs.get(pid);
  if (!p) procs.set(pid, (p = { pid, total: 0, byCategory: new Map(), role: null }));
  p.total++;
  const c = category(sym, dso);
  p.byCategory.set(c, (p.byCategory.get(c) ?? 0) + 1);
  if (p.role === null && c.startsWith("JS ")) {
    if (c.startsWith("JS src/server/")) p.role = "game";
    else if (c === "JS bench/relay.ts") p.role = "relay";
  }
}
if (unread > 0) process.stderr.write(`perf-split: ${unread} lines not in the form "PID ADDRESS SYMBOL (LIBRARY)" were skipped\n`);
const candidates = [...procs.values()].filter((p) => p.role !== null).sort((a, b) => b.total - a.total);
for (const p of candidates) process.stderr.write(`perf-split: pid ${p.pid} runs the ${p.role === "game" ? "game server" : "relay"}'s code, ${p.total} samples\n`);
const game = candidates.find((p) => p.role === "game");
const relay = candidates.find((p) => p.role === "relay");
if (!game || !relay) {
  process.stderr.write("perf-split: no game server and relay found (were they run with --perf-basic-prof, and is /tmp/perf-PID.map there?)\n");
  process.exit(1);
}
const kernelOf = (p: Proc) => p.byCategory.get("kernel") ?? 0;
if (kernelOf(game) === 0 || kernelOf(relay) === 0) throw new Error("perf-split: a server has no kernel samples");

const per = (p: Proc, c: string) => (p.byCategory.get(c) ?? 0) / kernelOf(p);
const userPer = (p: Proc) => (p.total - kernelOf(p)) / kernelOf(p);
const all = new Set([...game.byCategory.keys(), ...relay.byCategory.keys()]);
all.delete("kernel");
const diffs = [...all].map((c) => ({ c, g: per(game, c), r: per(relay, c) })).sort((a, b) => b.g - b.r - (a.g - a.r));

const f = (x: number) => x.toFixed(3).padStart(7);
const estimate = (1 + userPer(game)) / (1 + userPer(relay));
process.stdout.write(
  `game server pid ${game.pid}: ${game.total} samples, ${kernelOf(game)} in the kernel\n` +
    `relay       pid ${relay.pid}: ${relay.total} samples, ${kernelOf(relay)} in the kernel\n\n` +
    `User-space samples per kernel sample (per frame, in units of a frame's kernel time):\n` +
    `  game ${userPer(game).toFixed(3)}, relay ${userPer(relay).toFixed(3)}\n` +
    `CPU per frame, game over relay, estimated: ${estimate.toFixed(3)} if both spend the same kernel time a frame` +
    (sysRatio === null ? " (--sys corrects for a difference)\n\n" : `; ${(estimate * sysRatio).toFixed(3)} with --sys\n\n`) +
    `   game   relay    diff  (per kernel sample; largest differences first)\n`,
);
const shown = [...diffs.slice(0, rows), ...diffs.slice(rows).filter((d) => d.g - d.r < -0.005)];
for (const d of shown) process.stdout.write(`${f(d.g)} ${f(d.r)} ${f(d.g - d.r)}  ${d.c}\n`);
