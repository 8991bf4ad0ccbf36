// The peers run (`npm run bench:peers`): the framework people would pick instead, in the same run
// and under the same harness as the game server and the bare relay. Colyseus 0.18
// (bench/peers/colyseus-server.mjs) runs a room doing the same turn-based fan-out: a turn check and
// a broadcast to four clients, no schema state. Its clients are the official SDK, driven by the
// same generator. Three comparisons, each side by side:
// - zero think, 500 tables, every server held to the game server's rate (the throughput
//   scenario's equal-rate rounds, with Colyseus as a fourth window): CPU per delivered frame;
// - the free-running rates of the warm-ups (plays/s, bound by the one generator core);
// - paced (players think 0.2-0.6 s), equal rates by construction: CPU per delivered frame;
// - idle connections: heap and RSS per connection after GC (the memory scenario's method).
import type { Log } from "../lib/log.ts";
import { round } from "../lib/stats.ts";
import type { Plan } from "../plan.ts";
import { idleMemory, type IdleMemory } from "./memory.ts";
import { compare, type Comparison, type ThroughputSide } from "./throughput.ts";

interface Figures {
  /** CPU per delivered frame at the game server's rate (zero think), µs. */
  cpuMicrosPerMessage: number;
  /** Its median round against the relay's, in the same rounds (relay = 1). */
  againstRelay: number;
  /** Plays/s at equal rates, and free-running (the warm-up; bound by the generator). */
  playsPerSec: number;
  freePlaysPerSec: number;
  pacedCpuMicrosPerMessage: number;
  pacedAgainstRelay: number;
  heapPerConnection: number;
  rssPerConnection: number;
  heapAgainstRelay: number;
}

export interface PeersResult {
  tables: number;
  pacedTables: number;
  figures: Record<"ours" | "relay" | "colyseus", Figures>;
  zero: { ours: ThroughputSide; relay: Comparison; colyseus: Comparison };
  paced: { ours: ThroughputSide; relay: Comparison; colyseus: Comparison };
  memory: Record<"ours" | "relay" | "colyseus", IdleMemory>;
}

/** The median over the rounds of one side's CPU per frame over another's (each pair: the same round). */
function medianOfRounds(a: Comparison, b: Comparison): number {
  const r = a.pairs.map((p, i) => p.other / b.pairs[i].other).sort((x, y) => x - y);
  const mid = r.length >> 1;
  return round(r.length % 2 ? r[mid] : (r[mid - 1] + r[mid]) / 2, 3);
}

export async function peers(plan: Plan, log: Log): Promise<PeersResult> {
  const t = plan.throughput;
  log(`peers: the game server, the bare relay and Colyseus 0.18 at ${t.tables} tables, ${t.rounds} rounds of ${t.windowS} s windows, all held to the game server's rate`);
  const zero = await compare("zero", t.tables, t.rounds, plan, log, ["relay", "colyseus"], ([relay, colyseus], workUs) => [
    { label: "relay", side: relay, held: true, workUs: workUs(relay) },
    { label: "colyseus", side: colyseus, held: true, workUs: workUs(colyseus) },
  ]);
  const pacedRounds = Math.max(2, Math.ceil(t.rounds / 2));
  log(`  paced: ${t.pacedTables} tables, ${pacedRounds} rounds`);
  const paced = await compare("paced", t.pacedTables, pacedRounds, plan, log, ["relay", "colyseus"], ([relay, colyseus]) => [
    { label: "relay", side: relay, held: false, workUs: 0 },
    { label: "colyseus", side: colyseus, held: false, workUs: 0 },
  ]);
  const [n1, n2] = plan.memory.tables;
  log(`  memory: idle connections at ${4 * n1} and ${4 * n2}`);
  const memory = { ours: await idleMemory("ours", [n1, n2], log), relay: await idleMemory("relay", [n1, n2], log), colyseus: await idleMemory("colyseus", [n1, n2], log) };

  const zr = zero.against.relay;
  const zc = zero.against.colyseus;
  const pr = paced.against.relay;
  const pc = paced.against.colyseus;
  const heap = (k: "ours" | "relay" | "colyseus") => ({
    heapPerConnection: memory[k].heapPerConnection,
    rssPerConnection: memory[k].rssPerConnection,
    heapAgainstRelay: round(memory[k].heapPerConnection / memory.relay.heapPerConnection, 3),
  });
  const figures: PeersResult["figures"] = {
    ours: {
      cpuMicrosPerMessage: zero.ours.cpuMicrosPerMessage,
      againstRelay: zr.cpuRatio,
      playsPerSec: zero.ours.playsPerSec,
      freePlaysPerSec: zero.free.ours,
      pacedCpuMicrosPerMessage: paced.ours.cpuMicrosPerMessage,
      pacedAgainstRelay: pr.cpuRatio,
      ...heap("ours"),
    },
    relay: {
      cpuMicrosPerMessage: zr.other.cpuMicrosPerMessage,
      againstRelay: 1,
      playsPerSec: zr.other.playsPerSec,
      freePlaysPerSec: zero.free.relay,
      pacedCpuMicrosPerMessage: pr.other.cpuMicrosPerMessage,
      pacedAgainstRelay: 1,
      ...heap("relay"),
    },
    colyseus: {
      cpuMicrosPerMessage: zc.other.cpuMicrosPerMessage,
      againstRelay: medianOfRounds(zc, zr),
      playsPerSec: zc.other.playsPerSec,
      freePlaysPerSec: zero.free.colyseus,
      pacedCpuMicrosPerMessage: pc.other.cpuMicrosPerMessage,
      pacedAgainstRelay: medianOfRounds(pc, pr),
      ...heap("colyseus"),
    },
  };
  return {
    tables: t.tables,
    pacedTables: t.pacedTables,
    figures,
    zero: { ours: zero.ours, relay: zr, colyseus: zc },
    paced: { ours: paced.ours, relay: pr, colyseus: pc },
    memory,
  };
}

/** The side-by-side table the peers run prints. */
export function peersTable(r: PeersResult): string {
  const rows: [string, (f: Figures) => string][] = [
    ["CPU µs per delivered frame, equal rates (zero think)", (f) => `${f.cpuMicrosPerMessage}`],
    ["  against the relay (median of rounds)", (f) => `${f.againstRelay}`],
    ["plays/s in those windows", (f) => `${f.playsPerSec}`],
    ["plays/s free-running (warm-up, generator-bound)", (f) => `${f.freePlaysPerSec}`],
    ["CPU µs per delivered frame, paced", (f) => `${f.pacedCpuMicrosPerMessage}`],
    ["  against the relay (median of rounds)", (f) => `${f.pacedAgainstRelay}`],
    ["heap per idle connection after GC, bytes", (f) => `${f.heapPerConnection}`],
    ["  against the relay", (f) => `${f.heapAgainstRelay}`],
    ["RSS per idle connection, bytes", (f) => `${f.rssPerConnection}`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  const cols = ["ours", "relay", "colyseus"] as const;
  const lines = [`${"".padEnd(w)}  ${cols.map((c) => c.padStart(10)).join("")}`];
  for (const [k, f] of rows) lines.push(`${k.padEnd(w)}  ${cols.map((c) => f(r.figures[c]).padStart(10)).join("")}`);
  return lines.join("\n");
}
