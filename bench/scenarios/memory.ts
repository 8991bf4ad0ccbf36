// Scenario 2: idle seated players at two table counts, heap after a full GC, and the same for
// the relay's idle connections (and, in the peers run, Colyseus's). The slope between the two
// counts is the cost of one more player (or connection); fixed costs (the runtime, the modules)
// cancel out.
import { Gen, gcMemory, startColyseus, startGameServer, startRelay } from "../lib/gen.ts";
import { round, sleep } from "../lib/stats.ts";
import { LOAD_SETTINGS, type Plan } from "../plan.ts";
import type { Log } from "../lib/log.ts";
import { COLYSEUS_SDK, type Kind } from "./throughput.ts";

interface Point {
  tables: number;
  connections: number;
  heapMB: number;
  rssMB: number;
}

export interface IdleMemory {
  points: Point[];
  /** Heap and RSS per idle connection (a seated player, for the game server), bytes. */
  heapPerConnection: number;
  rssPerConnection: number;
}

export interface MemoryResult {
  ours: IdleMemory;
  relay: IdleMemory;
  bytesPerPlayer: number;
  relayBytesPerConnection: number;
  memoryRatio: number;
  rssRatio: number;
}

const MB = 2 ** 20;
const NAMES: Record<Kind, string> = { ours: "game server", relay: "bare relay", colyseus: "colyseus" };

/** One server's heap and RSS after GC with `counts` tables (groups, rooms) of four idle connections. */
export async function idleMemory(kind: Kind, counts: [number, number], log: Log): Promise<IdleMemory> {
  const server =
    kind === "ours" ? await startGameServer({}, { gcHook: true }) : kind === "relay" ? await startRelay({}, { gcHook: true }) : await startColyseus({}, { gcHook: true });
  const gen = new Gen();
  const points: Point[] = [];
  try {
    let open = 0;
    for (const n of counts) {
      const add = n - open;
      const r =
        kind === "ours"
          ? // A long clock, so no idle seat's turn times out while we measure.
            await gen.request({ cmd: "open", url: server.url, tables: add, mode: "frozen", settings: { ...LOAD_SETTINGS, turnSeconds: 300 }, concurrency: 50 })
          : kind === "relay"
            ? await gen.request({ cmd: "relayOpen", url: server.url, groups: add, mode: "frozen", inBytes: 40, concurrency: 50 })
            : await gen.request({ cmd: "colyseusOpen", url: server.url, rooms: add, mode: "frozen", inBytes: 40, concurrency: 50, sdk: COLYSEUS_SDK });
      if (r.failed > 0) throw new Error(`memory: ${r.failed} ${kind} tables failed to open: ${r.firstError}`);
      open = n;
      // One exchange per group, as the players have exchanged hello, join and the deal.
      if (kind !== "ours") await gen.request({ cmd: "kick" });
      await sleep(1000);
      const m = await gcMemory(server);
      points.push({ tables: n, connections: 4 * n, heapMB: round(m.heapUsed / MB, 2), rssMB: round(m.rss / MB, 1) });
      log(`  ${NAMES[kind]}, ${4 * n} connections: heap ${round(m.heapUsed / MB, 1)} MB, RSS ${round(m.rss / MB, 1)} MB`);
    }
  } finally {
    await gen.stop();
    await server.proc.stop();
  }
  const per = (key: "heapMB" | "rssMB") => round(((points[1][key] - points[0][key]) * MB) / (points[1].connections - points[0].connections), 0);
  return { points, heapPerConnection: per("heapMB"), rssPerConnection: per("rssMB") };
}

export async function memory(plan: Plan, log: Log): Promise<MemoryResult> {
  const [n1, n2] = plan.memory.tables;
  log(`memory: idle seated players at ${n1} and ${n2} tables, heap after GC; the relay with as many idle connections`);
  const ours = await idleMemory("ours", [n1, n2], log);
  const relay = await idleMemory("relay", [n1, n2], log);
  return {
    ours,
    relay,
    bytesPerPlayer: ours.heapPerConnection,
    relayBytesPerConnection: relay.heapPerConnection,
    memoryRatio: round(ours.heapPerConnection / relay.heapPerConnection, 3),
    rssRatio: round(ours.rssPerConnection / relay.rssPerConnection, 3),
  };
}
