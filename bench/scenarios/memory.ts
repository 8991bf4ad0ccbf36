// Scenario 2: idle seated players at two table counts, heap after a full GC, and the same for
// the relay's idle connections. The slope between the two counts is the cost of one more
// player (or connection); fixed costs (the runtime, the modules) cancel out.
import { Gen, gcMemory, startGameServer, startRelay } from "../lib/gen.ts";
import { round, sleep } from "../lib/stats.ts";
import { LOAD_SETTINGS, type Plan } from "../plan.ts";
import type { Log } from "../lib/log.ts";

interface Point {
  tables: number;
  connections: number;
  heapMB: number;
  rssMB: number;
}

export interface MemoryResult {
  ours: { points: Point[]; heapPerPlayer: number; heapPerTable: number; rssPerPlayer: number; rssPerTable: number };
  relay: { points: Point[]; heapPerConnection: number; rssPerConnection: number };
  bytesPerPlayer: number;
  relayBytesPerConnection: number;
  memoryRatio: number;
  rssRatio: number;
}

const MB = 2 ** 20;

export async function memory(plan: Plan, log: Log): Promise<MemoryResult> {
  const [n1, n2] = plan.memory.tables;
  log(`memory: idle seated players at ${n1} and ${n2} tables, heap after GC; the relay with as many idle connections`);

  const oursPoints: Point[] = [];
  {
    // A long clock, so no idle seat's turn times out while we measure.
    const server = await startGameServer({}, { gcHook: true });
    const gen = new Gen();
    try {
      let open = 0;
      for (const n of [n1, n2]) {
        const r = await gen.request({
          cmd: "open",
          url: server.url,
          tables: n - open,
          mode: "frozen",
          settings: { ...LOAD_SETTINGS, turnSeconds: 300 },
          concurrency: 50,
        });
        if (r.failed > 0) throw new Error(`memory: ${r.failed} tables failed to open: ${r.firstError}`);
        open = n;
        await sleep(1000);
        const m = await gcMemory(server);
        oursPoints.push({ tables: n, connections: 4 * n, heapMB: round(m.heapUsed / MB, 2), rssMB: round(m.rss / MB, 1) });
        log(`  game server, ${n} tables: heap ${round(m.heapUsed / MB, 1)} MB, RSS ${round(m.rss / MB, 1)} MB`);
      }
    } finally {
      await gen.stop();
      await server.proc.stop();
    }
  }

  const relayPoints: Point[] = [];
  {
    const relay = await startRelay({}, { gcHook: true });
    const gen = new Gen();
    try {
      let open = 0;
      for (const n of [n1, n2]) {
        const r = await gen.request({ cmd: "relayOpen", url: relay.url, groups: n - open, mode: "frozen", inBytes: 40, concurrency: 50 });
        if (r.failed > 0) throw new Error(`memory: ${r.failed} relay groups failed to open: ${r.firstError}`);
        open = n;
        // One exchange per group, as the players above have exchanged hello, join and the deal.
        await gen.request({ cmd: "kick" });
        await sleep(1000);
        const m = await gcMemory(relay);
        relayPoints.push({ tables: n, connections: 4 * n, heapMB: round(m.heapUsed / MB, 2), rssMB: round(m.rss / MB, 1) });
        log(`  bare relay, ${4 * n} connections: heap ${round(m.heapUsed / MB, 1)} MB, RSS ${round(m.rss / MB, 1)} MB`);
      }
    } finally {
      await gen.stop();
      await relay.proc.stop();
    }
  }

  const per = (pts: Point[], key: "heapMB" | "rssMB") =>
    ((pts[1][key] - pts[0][key]) * MB) / (pts[1].connections - pts[0].connections);
  const heapPerPlayer = per(oursPoints, "heapMB");
  const rssPerPlayer = per(oursPoints, "rssMB");
  const heapPerConnection = per(relayPoints, "heapMB");
  const rssPerConnection = per(relayPoints, "rssMB");
  return {
    ours: {
      points: oursPoints,
      heapPerPlayer: round(heapPerPlayer, 0),
      heapPerTable: round(heapPerPlayer * 4, 0),
      rssPerPlayer: round(rssPerPlayer, 0),
      rssPerTable: round(rssPerPlayer * 4, 0),
    },
    relay: { points: relayPoints, heapPerConnection: round(heapPerConnection, 0), rssPerConnection: round(rssPerConnection, 0) },
    bytesPerPlayer: round(heapPerPlayer, 0),
    relayBytesPerConnection: round(heapPerConnection, 0),
    memoryRatio: round(heapPerPlayer / heapPerConnection, 3),
    rssRatio: round(rssPerPlayer / rssPerConnection, 3),
  };
}
