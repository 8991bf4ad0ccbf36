// Where the game server's CPU goes beside the relay's, from a Linux `perf` recording of the
// servers' core: kernel, V8's garbage collector, JSON, the JIT-compiled JavaScript of each file,
// V8's builtins, and Node's C++. The V8 profiler (`--profile`) sees only the JavaScript side and
// lumps the rest into "(program)" and the syscalls; perf sees all of it.
//
// Each server's samples are divided by its own kernel samples. Both servers make the same
// syscalls per delivered frame (one write per frame, about one read per play: see the throughput
// scenario's per-frame counters), so kernel samples count frames, and the two columns compare per
// frame without knowing how many frames each delivered. The recording may span many windows of
// both (they take turns on core 0).
//
//   BENCH_SERVER_FLAGS="--single-threaded-gc --perf-basic-prof" npm run bench -- --only=throughput --rounds=8 &
//   sleep 25; perf record -C 0 -e cpu-clock -F 999 -o /tmp/servers.data -- sleep 60
//   perf script -i /tmp/servers.data -F pid,ip,sym,dso > /tmp/servers.txt
//   node --import tsx bench/tools/perf-split.ts /tmp/servers.txt [rows=30]
//
// --perf-basic-prof writes /tmp/perf-PID.map, which names the JIT's code; the servers are told
// apart by it (the game server runs src/server/, the relay bench/relay.ts).
import { readFileSync } from "node:fs";

process.stdout.on("error", () => process.exit(0));
const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: perf-split.ts <perf script -F pid,ip,sym,dso output> [rows=30]\n");
  process.exit(2);
}
const rows = Number(rowsArg ?? 30);
if (!Number.isInteger(rows) || rows < 1) throw new TypeError(`Expected rows to be a whole number from 1, got ${rowsArg}`);

const GC = /Scaveng|MarkCompact|Marking|Sweeper|Evacuat|Heap::|ConcurrentMarking|MinorMC/;
const JSON_WORK = /JsonStringifier|JsonParser|StringTable::|FlatStringReader/;

/** The bucket a sample goes in. */
function category(sym: string, dso: string): string {
  if (dso.includes("kernel")) return "kernel";
  if (dso.includes("perf-") || dso.startsWith("[JIT]")) {
    const where = /(?:file:\/\/)?(\/\S+?|node:\S+?)(?::\d+){1,2}$/.exec(sym)?.[1] ?? sym;
    return `JS ${where.replace(/^.*?\/(src|bench|node_modules)\//, "$1/")}`;
  }
  if (GC.test(sym)) return "V8 garbage collector";
  if (JSON_WORK.test(sym)) return "V8 JSON (parse, stringify, string table)";
  if (sym.startsWith("Builtins_")) return `V8 builtin ${sym.slice("Builtins_".length)}`;
  const lib = dso.split("/").at(-1) ?? dso;
  if (sym.startsWith("uv_") || sym.startsWith("uv__")) return "libuv";
  if (sym.startsWith("node::")) return "Node C++";
  if (sym.startsWith("v8::")) return "V8 runtime (property lookups, calls into C++, the rest)";
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
const line = /^\s*(\d+)\s+[0-9a-f]+\s+(.*?)\s+\(([^)]*)\)\s*$/;
for (const text of readFileSync(file, "utf8").split("\n")) {
  const m = line.exec(text);
  if (!m) continue;
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
const game = [...procs.values()].filter((p) => p.role === "game").sort((a, b) => b.total - a.total)[0];
const relay = [...procs.values()].filter((p) => p.role === "relay").sort((a, b) => b.total - a.total)[0];
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
process.stdout.write(
  `game server pid ${game.pid}: ${game.total} samples, ${kernelOf(game)} in the kernel\n` +
    `relay       pid ${relay.pid}: ${relay.total} samples, ${kernelOf(relay)} in the kernel\n\n` +
    `User-space samples per kernel sample (per frame, in units of a frame's kernel time):\n` +
    `  game ${userPer(game).toFixed(3)}, relay ${userPer(relay).toFixed(3)}; ` +
    `CPU per frame, game over relay: ${((1 + userPer(game)) / (1 + userPer(relay))).toFixed(3)}\n\n` +
    `   game   relay    diff  (per kernel sample; largest differences first)\n`,
);
const shown = [...diffs.slice(0, rows), ...diffs.slice(rows).filter((d) => d.g - d.r < -0.005)];
for (const d of shown) process.stdout.write(`${f(d.g)} ${f(d.r)} ${f(d.g - d.r)}  ${d.c}\n`);
