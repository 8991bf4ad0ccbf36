// Summarize a V8 .cpuprofile (from `npm run bench -- --profile`): self time by function and by
// file, and inclusive time of the project's own functions.
// Usage: node --import tsx bench/tools/profile-top.ts <file.cpuprofile> [rows]
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

process.stdout.on("error", () => process.exit(0));
const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: profile-top.ts <file.cpuprofile> [rows]\n");
  process.exit(2);
}
const rows = Number(rowsArg ?? 30);
const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const short = (url: string) => url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, "$1/").replace(/^node:/, "node:");
const label = (n: Node) => `${n.callFrame.functionName || "(anonymous)"} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

/** A coarse owner of a frame: our folders, each dependency, Node's internals, or native work. */
const area = (n: Node) => {
  const u = short(n.callFrame.url);
  const m = /^(src\/[^/]+|bench|node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(u);
  if (m) return m[1];
  if (u.startsWith("node:")) return "node: (JS internals)";
  return `native ${n.callFrame.functionName || "(anonymous)"}`;
};
const selfByArea = new Map<string, number>();
const selfByFn = new Map<string, number>();
const selfByFile = new Map<string, number>();
const inclByFn = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  selfByFn.set(label(n), (selfByFn.get(label(n)) ?? 0) + us);
  selfByArea.set(area(n), (selfByArea.get(area(n)) ?? 0) + us);
  const f = short(n.callFrame.url) || `(${n.callFrame.functionName})`;
  selfByFile.set(f, (selfByFile.get(f) ?? 0) + us);
  // Inclusive: charge every distinct frame on the stack once.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (seen.has(l)) continue;
    seen.add(l);
    inclByFn.set(l, (inclByFn.get(l) ?? 0) + us);
  }
}
const pct = (us: number) => ((100 * us) / total).toFixed(1).padStart(5) + "%";
const top = (m: Map<string, number>, filter: (k: string) => boolean = () => true) =>
  [...m].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, rows).map(([k, v]) => `${pct(v)}  ${k}`).join("\n");
process.stdout.write(`total ${(total / 1e6).toFixed(2)} s sampled\n\nself time by area:\n${top(selfByArea)}\n\nself time by function:\n${top(selfByFn)}\n\nself time by file:\n${top(selfByFile)}\n\n`);
process.stdout.write(`inclusive time, project code:\n${top(inclByFn, (k) => / (src|bench)\//.test(k))}\n`);
