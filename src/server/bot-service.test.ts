// BOTS=external against a real server on an ephemeral port: the bot service seats the bots as
// ordinary player connections; with no service connected the table falls back to in-process bots.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BotBrain } from "../bots/brain.ts";
import { BotService } from "../bots/service.ts";
import { greedyStrategy } from "../bots/strategies/index.ts";
import { ErrorCode, PROTOCOL_VERSION, type ServerMessage, type SnapshotMessage } from "../protocol/index.ts";
import { startServer, type RunningServer } from "./app.ts";
import type { Config } from "./config.ts";
import { TestClient } from "./test-client.ts";

const SECRET = "test-bot-service-secret";
const EXTERNAL: Partial<Config> = {
  port: 0,
  metricsPort: 0,
  host: "127.0.0.1",
  logLevel: "silent",
  botThinkMs: 0,
  nextDealDelayMs: 0,
  turnSeconds: 0,
  bots: "external",
  botServiceSecret: SECRET,
};

async function withServer(overrides: Partial<Config>, fn: (s: RunningServer) => Promise<void>): Promise<void> {
  const s = await startServer({ ...EXTERNAL, ...overrides });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

const wsUrl = (s: RunningServer) => s.url.replace(/^http/, "ws") + "/ws";

/** A player who creates a table with three bots and plays its own seat (greedy) to the match end. */
async function playWithBots(s: RunningServer, level: "easy" | "normal" | "hard"): Promise<{ c: TestClient; end: Extract<ServerMessage, { type: "matchEnd" }> }> {
  const c = await TestClient.player(s.url, "Mei");
  const brain = new BotBrain({ strategy: greedyStrategy, thinkMs: () => 0, send: (m) => c.send(m) });
  c.onMessage = (m) => brain.receive(m);
  c.send({ type: "table.create", id: 1, settings: { bots: 3, deals: 1, botLevel: level, turnSeconds: 0 } });
  await c.next("joined", (m) => m.id === 1);
  const end = await c.next("matchEnd", () => true, 15000);
  return { c, end };
}

async function metric(s: RunningServer, line: RegExp): Promise<number> {
  const text = await (await fetch(s.metricsUrl + "/metrics")).text();
  const m = text.match(line);
  return m ? Number(m[1]) : 0;
}

test("BOTS=external: a connected bot service seats the bots over ordinary player connections and the match finishes", async () => {
  await withServer({ botServiceWaitMs: 10000 }, async (s) => {
    const lines: string[] = [];
    const service = new BotService({ url: wsUrl(s), secret: SECRET, reconnectMs: 0, budgetMs: 5, log: (l) => lines.push(l) });
    await service.connect();
    try {
      const { c, end } = await playWithBots(s, "normal");
      assert.equal(end.totals.reduce((x, y) => x + y, 0), 0);
      assert.equal(service.stats.requests, 3);
      assert.equal(service.stats.seated, 3, lines.join("\n"));
      assert.equal(await metric(s, /^bigtwo_bot_seats_total\{by="service"\} (\d+)/m), 3);
      assert.equal(await metric(s, /^bigtwo_bot_seats_total\{by="fallback"\} (\d+)/m), 0);
      // The other three seats were played by bots: each was shown as a connected bot.
      const me = c.received.find((m): m is SnapshotMessage => m.type === "snapshot")?.seat;
      const seatEvents = c.received.filter((m): m is Extract<ServerMessage, { type: "seat" }> => m.type === "seat");
      for (const seat of [0, 1, 2, 3].filter((x) => x !== me)) {
        assert.ok(seatEvents.some((m) => m.player.seat === seat && m.player.bot && m.player.connected), `seat ${seat} shown as a connected bot`);
      }
      c.close();
    } finally {
      service.close();
    }
  });
});

test("BOTS=external with no service connected: in-process bots take the seats (with a warning) and the match finishes", async () => {
  await withServer({ botServiceWaitMs: 200 }, async (s) => {
    const { c, end } = await playWithBots(s, "normal");
    assert.equal(end.totals.reduce((x, y) => x + y, 0), 0);
    assert.equal(await metric(s, /^bigtwo_bot_seats_total\{by="fallback"\} (\d+)/m), 3);
    assert.equal(await metric(s, /^bigtwo_bot_seats_total\{by="service"\} (\d+)/m), 0);
    c.close();
  });
});

test("a bot service with the wrong secret is refused, and a made-up seat ticket seats nobody", async () => {
  await withServer({}, async (s) => {
    const bad = await TestClient.open(s.url);
    bad.send({ type: "service.hello", v: PROTOCOL_VERSION, secret: "not the secret" });
    assert.equal((await bad.next("error")).code, ErrorCode.BadSecret);
    await bad.closedWith();
    const { tableId } = await (async () => {
      const host = await TestClient.player(s.url, "Host");
      host.send({ type: "table.create", id: 1, settings: { bots: 0, seats: 2 } });
      return host.next("joined");
    })();
    const p = await TestClient.player(s.url, "Sneaky");
    p.send({ type: "table.join", id: 2, tableId, ticket: "made-up" });
    assert.equal((await p.next("error", (m) => m.id === 2)).code, ErrorCode.BadTicket);
  });
});

test("in-process hard bots share the node's search budget: past it they play the normal bot's move, and /metrics counts both", async () => {
  // 30 ms of search a second and 20 ms a search: at most a search or two before the bucket is dry.
  await withServer({ bots: "internal", botSearchMsPerSecond: 30, botSearchBudgetMs: 20 }, async (s) => {
    const { c, end } = await playWithBots(s, "hard");
    assert.equal(end.totals.reduce((x, y) => x + y, 0), 0);
    const me = c.received.find((m): m is SnapshotMessage => m.type === "snapshot")?.seat;
    const botMoves = c.received.filter((m): m is Extract<ServerMessage, { type: "play" }> => m.type === "play" && m.event.seat !== me).length;
    const searched = await metric(s, /^bigtwo_hard_bot_moves_total\{by="search"\} (\d+)/m);
    const fell = await metric(s, /^bigtwo_hard_bot_moves_total\{by="fallback"\} (\d+)/m);
    assert.ok(searched >= 1, "the bucket starts full: the first move is searched");
    assert.ok(fell >= 1, `the bucket ran dry: some moves fell back (searched ${searched})`);
    assert.equal(searched + fell, botMoves, "every bot move is counted once");
    assert.ok((await metric(s, /^bigtwo_bot_search_seconds_total (\S+)/m)) > 0);
    c.close();
  });
});
