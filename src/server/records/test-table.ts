// A real Table for the records' tests: in-memory log, system clock, in-process random bots that
// answer at once, and the records hooks the caller gives.

import { pino } from "pino";
import { strategyFor } from "../../bots/strategies/index.ts";
import { BotSeat } from "../bot-seat.ts";
import { systemClock } from "../clock.ts";
import { DEFAULT_CONFIG } from "../config.ts";
import { resolveSettings } from "../lobby.ts";
import { createMetrics } from "../metrics.ts";
import { MemoryStore } from "../ports/memory.ts";
import { Table, type TableHost } from "../table.ts";

let next = 0;

export async function recordingTable(input: Parameters<typeof resolveSettings>[0], hooks: Pick<TableHost, "dealEnded" | "matchEnded">): Promise<Table> {
  const config = { ...DEFAULT_CONFIG, botThinkMs: 0, nextDealDelayMs: 0, tableIdleSeconds: 3600 };
  const store = new MemoryStore(() => systemClock.now());
  const node = `n${++next}`;
  await store.join({ id: node, url: `http://${node}` }, 60_000);
  const settings = resolveSettings(input, config, "records test");
  const tableId = `t_rec${next}`;
  const meta = { tableId, code: null, settings, matchId: `m_rec${next}`, createdAt: systemClock.now() };
  const fence = await store.claim(tableId, null, node);
  store.create(meta, fence);
  return new Table(meta, fence, {
    config,
    log: pino({ level: "silent" }),
    metrics: createMetrics(),
    clock: systemClock,
    tableLog: store,
    bots: (level, deliver) => new BotSeat(strategyFor(level), () => 0, deliver),
    claim: () => "ok",
    released: () => {},
    summary: () => {},
    closed: () => {},
    lost: () => {},
    requestBot: () => {},
    ...hooks,
  });
}
