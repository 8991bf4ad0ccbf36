// WsBot in a cluster: two in-process nodes sharing one MemoryStore (as nodes share Redis). A bot
// that asks the wrong node for a table follows the redirect and asks again on the owner; bots
// whose node dies find the table's new owner through welcome.nodes and play the match to its end.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import type { ServerMessage } from "../protocol/index.ts";
import { startServer, type RunningServer } from "../server/app.ts";
import type { Config } from "../server/config.ts";
import { MemoryStore } from "../server/ports/memory.ts";
import { greedyStrategy } from "./strategies/index.ts";
import { WsBot } from "./ws-bot.ts";

const NODE: Partial<Config> = {
  port: 0,
  host: "127.0.0.1",
  logLevel: "silent",
  sessionSecret: "ws-bot-test-secret-0123456789",
  botThinkMs: 0,
  nextDealDelayMs: 0,
  turnSeconds: 0,
  leaseMs: 600,
  shutdownTimeoutMs: 2000,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wsUrl = (s: RunningServer) => s.url.replace(/^http/, "ws") + "/ws";
const running: RunningServer[] = [];
const bots: WsBot[] = [];
after(async () => {
  for (const b of bots) b.close();
  await Promise.all(running.map((s) => s.close()));
});

async function twoNodes(): Promise<[RunningServer, RunningServer]> {
  const store = new MemoryStore();
  const stores = { tableLog: store, directory: store, shared: true };
  const a = await startServer({ ...NODE, nodeId: "a" }, stores);
  const b = await startServer({ ...NODE, nodeId: "b" }, stores);
  running.push(a, b);
  // A node learns of the other at its next lease renewal: wait until A's welcome names both.
  for (let i = 0; ; i++) {
    const probe = new WsBot({ url: wsUrl(a), name: "probe", strategy: greedyStrategy, thinkMs: () => 0 });
    await probe.connect();
    probe.close();
    if (probe.nodes.length === 2) break;
    assert.ok(i < 100, "node A never listed node B");
    await sleep(50);
  }
  return [a, b];
}

interface Seat {
  bot: WsBot;
  gone: string[];
  ended: Promise<void>;
  plays: number;
}

function seat(url: string, name: string, thinkMs = 0): Seat {
  let ended!: () => void;
  const s: Seat = { bot: null!, gone: [], ended: new Promise<void>((r) => (ended = r)), plays: 0 };
  s.bot = new WsBot({
    url,
    name,
    strategy: greedyStrategy,
    thinkMs: () => thinkMs,
    reconnectAttempts: 40,
    reconnectDelayMs: 100,
    onGone: (reason) => s.gone.push(reason),
    onMessage: (msg: ServerMessage) => {
      if (msg.type === "play") s.plays++;
      if (msg.type === "matchEnd") ended();
    },
  });
  bots.push(s.bot);
  return s;
}

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

test("a bot that asks another node for a table follows the redirect to the owner and joins there", { timeout: 60_000 }, async () => {
  const [a, b] = await twoNodes();
  const host = seat(wsUrl(a), "host");
  await host.bot.connect();
  host.bot.send({ type: "table.create", settings: { deals: 1, turnSeconds: 0 } });
  await until("the table", () => host.bot.tableId !== null);
  const guests = ["g1", "g2", "g3"].map((n) => seat(wsUrl(b), n));
  await Promise.all(guests.map((g) => g.bot.connect()));
  // No id given: the bot numbers the join itself, so the redirect can name it.
  for (const g of guests) g.bot.send({ type: "table.join", tableId: host.bot.tableId! });
  await Promise.all([host, ...guests].map((s) => s.ended));
  for (const g of guests) {
    assert.equal(g.bot.tableId, host.bot.tableId, "joined the table on its owner");
    assert.equal(g.bot.moves.redirects, 1, "one redirect followed");
    assert.equal(g.bot.url, wsUrl(a), "the socket is on the owner's node");
  }
  assert.deepEqual([host, ...guests].flatMap((s) => s.gone), []);
});

test("bots whose node dies reconnect through welcome.nodes to the node that adopts their table, and finish the match", { timeout: 60_000 }, async () => {
  const [a, b] = await twoNodes();
  const seats = ["p0", "p1", "p2", "p3"].map((n) => seat(wsUrl(a), n, 5));
  await Promise.all(seats.map((s) => s.bot.connect()));
  assert.deepEqual([...seats[0].bot.nodes].sort(), [wsUrl(a), wsUrl(b)].sort(), "welcome named both nodes");
  const [host, ...guests] = seats;
  host.bot.send({ type: "table.create", settings: { deals: 2, turnSeconds: 0 } });
  await until("the table", () => host.bot.tableId !== null);
  for (const g of guests) g.bot.send({ type: "table.join", tableId: host.bot.tableId! });
  await until("a few plays", () => host.plays >= 3);
  await a.kill();
  const playsAtKill = host.plays;
  await Promise.all(seats.map((s) => s.ended));
  assert.ok(host.plays > playsAtKill, "the game went on after the kill");
  for (const s of seats) {
    assert.ok(s.bot.moves.reconnects >= 1, "reconnected after the kill");
    assert.equal(s.bot.url, wsUrl(b), "ended on the surviving node");
    assert.equal(s.bot.tableId, host.bot.tableId);
  }
  assert.ok(b.tables().some((t) => t.id === host.bot.tableId), "node B holds the table");
  assert.deepEqual(seats.flatMap((s) => s.gone), []);
});

test("with no reconnect attempts, a lost socket is reported once through onGone", { timeout: 30_000 }, async () => {
  const [a] = await twoNodes();
  const gone: string[] = [];
  const bot = new WsBot({ url: wsUrl(a), name: "solo", strategy: greedyStrategy, thinkMs: () => 0, onGone: (r) => gone.push(r) });
  bots.push(bot);
  await bot.connect();
  await a.kill();
  await until("onGone", () => gone.length > 0);
  await sleep(200);
  assert.equal(gone.length, 1);
  assert.match(gone[0], /socket closed \(1001\)/);
  assert.equal(bot.moves.reconnects, 0);
});
