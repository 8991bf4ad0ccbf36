// Integration tests: a real server on an ephemeral port, real WebSocket clients.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { BotBrain } from "../bots/brain.ts";
import { greedyStrategy } from "../bots/strategies/index.ts";
import { WsBot } from "../bots/ws-bot.ts";
import { ErrorCode, CloseCode, type ServerMessage } from "../protocol/index.ts";
import type { Card, PlayerView } from "../rules/index.ts";
import { startServer, type RunningServer } from "./app.ts";
import type { Config } from "./config.ts";
import { replay, type Game } from "./game.ts";
import { MemoryStore } from "./ports/memory.ts";
import { TestClient } from "./test-client.ts";

const FAST: Partial<Config> = { port: 0, metricsPort: 0, host: "127.0.0.1", logLevel: "silent", botThinkMs: 0, nextDealDelayMs: 0, turnSeconds: 0 };

async function withServer(overrides: Partial<Config>, fn: (s: RunningServer, store: MemoryStore) => Promise<void>): Promise<void> {
  const store = new MemoryStore();
  const s = await startServer({ ...FAST, ...overrides }, { tableLog: store, directory: store });
  try {
    await fn(s, store);
  } finally {
    await s.close();
  }
}

/** A TestClient with a greedy brain: plays its seat on its own, records every frame. */
function autoplay(c: TestClient): BotBrain {
  const brain = new BotBrain({ strategy: greedyStrategy, thinkMs: () => 0, send: (m) => c.send(m) });
  for (const m of c.received) brain.receive(m);
  c.onMessage = (m) => brain.receive(m);
  return brain;
}

/** Two humans at a 2-seat table with no clock: the test drives every move. */
async function twoPlayerTable(s: RunningServer, settings: Record<string, unknown> = {}) {
  const a = await TestClient.player(s.url, "Ann");
  a.send({ type: "table.create", id: "c", settings: { seats: 2, turnSeconds: 0, deals: 1, ...settings } });
  const joined = await a.next("joined");
  const b = await TestClient.player(s.url, "Bo");
  b.send({ type: "table.join", tableId: joined.tableId });
  await b.next("joined");
  const dealA = await a.next("deal");
  const dealB = await b.next("deal");
  const views = [dealA.deal as PlayerView, dealB.deal as PlayerView];
  const clients = [a, b];
  const turn = views[0].turn;
  return { a, b, tableId: joined.tableId, views, clients, turn, seq: dealA.seq };
}

describe("game server", () => {
  test("a whole four-bot match over WebSockets plays to the end, the same for every player", async () => {
    await withServer({}, async (s) => {
      const ends: Extract<ServerMessage, { type: "matchEnd" }>[] = [];
      const done = new Promise<void>((resolve) => {
        const onMessage = (m: ServerMessage) => {
          if (m.type === "matchEnd") {
            ends.push(m);
            if (ends.length === 4) resolve();
          }
        };
        const url = s.url.replace("http", "ws") + "/ws";
        const bots = [0, 1, 2, 3].map((i) => new WsBot({ url, name: `B${i}`, strategy: greedyStrategy, thinkMs: () => 0, onMessage }));
        void (async () => {
          await Promise.all(bots.map((b) => b.connect()));
          bots[0].send({ type: "table.create", settings: { deals: 3, turnSeconds: 0 } });
          while (!bots[0].tableId) await new Promise((r) => setTimeout(r, 5));
          for (const b of bots.slice(1)) b.send({ type: "table.join", tableId: bots[0].tableId });
        })();
        after(() => bots.forEach((b) => b.close()));
      });
      await Promise.race([done, new Promise((_, no) => setTimeout(() => no(new Error("match did not end in 20 s")), 20000))]);
      assert.equal(ends.length, 4);
      const totals = ends[0].totals;
      assert.equal(totals.reduce((x, y) => x + y, 0), 0, "scores are zero-sum");
      for (const e of ends) assert.deepEqual(e.totals, totals);
      assert.ok(totals.some((t) => t !== 0));
    });
  });

  test("one client with three bot seats plays a match to its result; the last deal's log replays to the same game", async () => {
    await withServer({}, async (s, store) => {
      const c = await TestClient.player(s.url, "Mei");
      autoplay(c);
      c.send({ type: "table.create", id: 1, settings: { bots: 3, deals: 2, botLevel: "easy" } });
      const joined = await c.next("joined", (m) => m.id === 1);
      assert.equal(joined.code, null);
      const snap = await c.next("snapshot");
      assert.equal(snap.players.filter((p) => p.bot).length, 3);
      const first = await c.next("dealEnd", () => true, 10000);
      assert.equal(first.result.scores.length, 4);
      assert.equal(first.nextInMs !== null, true);
      const end = await c.next("dealEnd", () => true, 10000);
      const matchEnd = await c.next("matchEnd");
      assert.deepEqual(matchEnd.totals, end.totals);
      assert.deepEqual(end.totals, first.totals.map((t, i) => t + end.result.scores[i].delta));
      const [table] = s.tables();
      const live = await new Promise<{ game: Game; seq: number }>((reply) => table.post({ type: "inspect", reply: (game, seq) => reply({ game, seq }) }));
      const log = (await store.read(table.id))!.entries;
      // The log holds only the last deal: its first entry carries the match as it stood then.
      assert.ok(log[0].kind === "deal" && log[0].dealNo === 2);
      assert.deepEqual(log[0].match.totals, first.totals);
      assert.ok(log.slice(1).every((e) => e.kind === "action"));
      // Entries are numbered without gaps.
      log.forEach((e, i) => assert.equal(e.n, log[0].n + i));
      assert.deepEqual(replay(table.settings, log), live.game);
      assert.deepEqual(live.game.match.totals, matchEnd.totals);
      assert.equal(live.game.deal?.winner, end.result.winner);
      const metrics = await (await fetch(s.metricsUrl + "/metrics")).text();
      for (const name of ["bigtwo_connections", "bigtwo_tables_active", "bigtwo_actions_total", "bigtwo_action_latency_seconds"]) {
        assert.match(metrics, new RegExp(`^${name}`, "m"), name);
      }
      assert.match(metrics, /bigtwo_actions_total\{result="accepted"\} [1-9]/);
      c.close();
    });
  });

  test("illegal and out-of-turn plays get their codes and change nothing", async () => {
    await withServer({}, async (s) => {
      const { clients, views, turn, seq } = await twoPlayerTable(s);
      const mover = clients[turn];
      const other = clients[1 - turn];
      const hand = views[turn].hand;
      const start = views[turn].mustContain as Card;
      assert.ok(start, "the leader is told which card the first play must contain");

      other.send({ type: "play", id: "o", cards: [views[1 - turn].hand[0]] });
      assert.equal((await other.next("error", (m) => m.id === "o")).code, "turn/not-yours");
      mover.send({ type: "pass", id: "p" });
      assert.equal((await mover.next("error", (m) => m.id === "p")).code, "pass/leader-cannot-pass");
      const notMine = views[1 - turn].hand[0];
      mover.send({ type: "play", id: "n", cards: [notMine] });
      assert.equal((await mover.next("error", (m) => m.id === "n")).code, "play/cards-not-in-hand");
      const withoutStart = hand.find((c) => c !== start) as Card;
      mover.send({ type: "play", id: "s", cards: [withoutStart] });
      assert.equal((await mover.next("error", (m) => m.id === "s")).code, "play/must-include-start");
      const junk = hand.filter((c) => c[0] !== start[0]).slice(0, 2);
      if (junk[0][0] !== junk[1][0]) {
        mover.send({ type: "play", id: "j", cards: [start, junk[0]] });
        assert.equal((await mover.next("error", (m) => m.id === "j")).code, "play/not-a-combination");
      }
      // Nothing changed: a fresh snapshot shows the same hand and sequence number.
      const again = await TestClient.player(s.url, "Ann", mover.welcome.token);
      const snap = await again.next("snapshot");
      // No action was logged: since the deal began the table sent only seat events.
      const since = other.received.filter((m) => "seq" in m && m.seq > seq);
      assert.ok(since.every((m) => m.type === "seat"), since.map((m) => m.type).join());
      assert.deepEqual((snap.deal as PlayerView).hand, hand);
      assert.deepEqual((snap.deal as PlayerView).history, []);
      assert.equal(snap.deal?.turn, turn);
      // The legal play is still accepted, as the next table event.
      again.send({ type: "play", id: "ok", cards: [start] });
      const ev = await again.next("play");
      assert.deepEqual(ev.event, { type: "play", seat: turn, combo: { kind: "single", cards: [start] }, auto: false });
      const tableMsgs = again.received.filter((m) => "seq" in m) as { seq: number }[];
      tableMsgs.forEach((m, i) => i > 0 && assert.equal(m.seq, tableMsgs[i - 1].seq + 1, "no gaps in seq"));
      await again.next("ack", (m) => m.id === "ok");
      for (const c of [...clients, again]) c.close();
    });
  });

  test("a token of another player cannot act for that seat", async () => {
    await withServer({}, async (s) => {
      const { clients, turn, tableId } = await twoPlayerTable(s);
      const token = clients[turn].welcome.token;
      const forged = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
      const thief = await TestClient.player(s.url, "Eve", forged);
      assert.notEqual(thief.welcome.playerId, clients[turn].welcome.playerId);
      assert.equal(thief.welcome.tableId, null);
      thief.send({ type: "pass", id: 1 });
      assert.equal((await thief.next("error")).code, ErrorCode.NotAtTable);
      const other = await TestClient.player(s.url, "Eve", "p_madeup.c2lnbmF0dXJl");
      other.send({ type: "table.join", id: 2, tableId });
      assert.equal((await other.next("error")).code, ErrorCode.TableFull);
      for (const c of [...clients, thief, other]) c.close();
    });
  });

  test("malformed JSON, unknown types, binary, oversize frames and floods get errors or a close, never a crash", async () => {
    await withServer({ ratePerSecond: 20, rateBurst: 40, maxPayloadBytes: 4096 }, async (s) => {
      const c = await TestClient.open(s.url);
      c.sendRaw("{not json");
      assert.equal((await c.next("error")).code, ErrorCode.BadJson);
      c.send({ type: "table.create", settings: {} });
      assert.equal((await c.next("error")).code, ErrorCode.HelloFirst);
      c.send({ type: "hello", v: 1, name: "x" });
      await c.next("welcome");
      c.send({ type: "fly", id: "q" });
      const unknown = await c.next("error");
      assert.deepEqual([unknown.code, unknown.id], [ErrorCode.UnknownType, "q"]);
      c.send({ type: "play", cards: "3D" } as Record<string, unknown>);
      assert.equal((await c.next("error")).code, ErrorCode.BadMessage);
      c.sendRaw(Buffer.from([1, 2, 3]));
      assert.equal((await c.next("error")).code, ErrorCode.BadMessage);
      c.send({ type: "hello", v: 1, name: "again" });
      assert.equal((await c.next("error")).code, ErrorCode.AlreadyHello);
      assert.equal(c.closed, null, "honest mistakes keep the socket open");

      const big = await TestClient.open(s.url);
      big.sendRaw(JSON.stringify({ type: "chat", text: "x".repeat(5000) }));
      assert.equal((await big.closedWith()).code, CloseCode.TooLarge);

      const flood = await TestClient.player(s.url, "Flood");
      for (let i = 0; i < 200; i++) flood.send({ type: "lobby.unsubscribe" });
      assert.equal((await flood.closedWith()).code, CloseCode.Flood);
      assert.ok(flood.received.some((m) => m.type === "error" && m.code === ErrorCode.RateLimited));

      const old = await TestClient.open(s.url);
      old.send({ type: "hello", v: 99, name: "old" });
      assert.equal((await old.next("error")).code, ErrorCode.Version);
      assert.equal((await old.closedWith()).code, CloseCode.BadVersion);

      // The server is still fine for everyone else.
      const fine = await TestClient.player(s.url, "Fine");
      fine.send({ type: "lobby.subscribe", id: 9 });
      await fine.next("lobby.list");
      assert.equal((await fetch(s.url + "/healthz")).status, 200);
      const metrics = await (await fetch(s.metricsUrl + "/metrics")).text();
      assert.match(metrics, /bigtwo_protocol_errors_total\{code="proto\/bad-json"\} 1/);
      for (const x of [c, fine]) x.close();
    });
  });

  test("reconnect mid-deal restores the same seat and hand; a second socket replaces the first", async () => {
    await withServer({ reconnectGraceSeconds: 30 }, async (s) => {
      const { a, b, views, turn } = await twoPlayerTable(s);
      const start = views[turn].mustContain as Card;
      [a, b][turn].send({ type: "play", cards: [start] });
      await a.next("play");
      const aView = views[0];
      const expectedHand = turn === 0 ? aView.hand.filter((c) => c !== start) : aView.hand;
      a.close();
      const seatEvent = await b.next("seat", (m) => m.player.seat === 0 && !m.player.connected);
      assert.equal(seatEvent.player.bot, false, "no bot during the grace period");

      const back = await TestClient.player(s.url, "Ann", a.welcome.token);
      assert.equal(back.welcome.playerId, a.welcome.playerId);
      const snap = await back.next("snapshot");
      assert.equal(snap.seat, 0);
      assert.deepEqual((snap.deal as PlayerView).hand, expectedHand);
      assert.equal(snap.deal?.history.length, 1);
      await b.next("seat", (m) => m.player.seat === 0 && m.player.connected);

      const tab2 = await TestClient.player(s.url, "Ann", a.welcome.token);
      await tab2.next("snapshot");
      assert.equal((await back.next("error")).code, ErrorCode.Replaced);
      assert.equal((await back.closedWith()).code, CloseCode.Replaced);
      for (const c of [b, tab2]) c.close();
    });
  });

  test("grace expiry: a bot takes the seat and plays it, and the player returns to it", async () => {
    await withServer({ reconnectGraceSeconds: 1 }, async (s) => {
      const { a, b, views, turn } = await twoPlayerTable(s);
      // Make it A's turn after the grace: if B leads, B plays the start card first.
      if (turn === 1) {
        b.send({ type: "play", cards: [views[1].mustContain as Card] });
        await b.next("play");
      }
      a.close();
      await b.next("seat", (m) => m.player.seat === 0 && !m.player.connected);
      const takeover = await b.next("seat", (m) => m.player.seat === 0 && m.player.bot, 4000);
      assert.equal(takeover.player.connected, true);
      const botMove = await b.next("play", (m) => m.event.seat === 0, 4000);
      assert.equal(botMove.event.auto, false, "the bot acted, not the clock");
      const back = await TestClient.player(s.url, "Ann", a.welcome.token);
      const snap = await back.next("snapshot");
      assert.equal(snap.seat, 0);
      assert.equal(snap.players[0].bot, false);
      await b.next("seat", (m) => m.player.seat === 0 && !m.player.bot && m.player.connected);
      for (const c of [b, back]) c.close();
    });
  });

  test("the turn clock plays the start card for an idle leader, then passes for an idle follower", async () => {
    await withServer({}, async (s) => {
      const { a, views, turn } = await twoPlayerTable(s, { turnSeconds: 1 });
      const first = await a.next("play", () => true, 3000);
      assert.equal(first.event.seat, turn);
      assert.equal(first.event.auto, true);
      assert.ok(first.event.type === "play" && first.event.combo.cards.includes(views[turn].mustContain as Card));
      assert.ok(first.turnMs !== null && first.turnMs > 500);
      const second = await a.next("play", () => true, 3000);
      assert.deepEqual(second.event, { type: "pass", seat: 1 - turn, auto: true });
    });
  });

  test("every turn gets its whole clock, however many turns were played since the clock was set", async () => {
    await withServer({}, async (s) => {
      const { clients, views, turn } = await twoPlayerTable(s, { turnSeconds: 1 });
      const other = 1 - turn;
      // The table's timer was set for the first turn's deadline; both plays come 600 ms into their
      // turn, so it fires twice before the third turn's deadline and must wait again each time,
      // for what is left of the turn.
      await new Promise((r) => setTimeout(r, 600));
      clients[turn].send({ type: "play", cards: [views[turn].mustContain ?? views[turn].hand[0]] });
      const first = await clients[other].next("play", (m) => m.event.seat === turn);
      assert.equal(first.event.auto, false);
      await new Promise((r) => setTimeout(r, 600));
      clients[other].send({ type: "pass" });
      const passed = await clients[turn].next("play", (m) => m.event.seat === other);
      assert.deepEqual(passed.event, { type: "pass", seat: other, auto: false });
      const passedAt = Date.now();
      // Two players: the pass ends the trick and the first seat leads again. Nobody acts: the clock does.
      const timedOut = await clients[turn].next("play", () => true, 3000);
      const waited = Date.now() - passedAt;
      assert.equal(timedOut.event.seat, turn);
      assert.equal(timedOut.event.auto, true);
      assert.ok(waited >= 900, `the clock acted ${waited} ms into a 1 s turn`);
      assert.ok(waited < 1600, `the clock acted ${waited} ms into a 1 s turn: it overslept`);
    });
  });

  test("across a whole deal no frame to a player or a spectator holds another player's cards", async () => {
    await withServer({}, async (s) => {
      const players = await Promise.all([0, 1, 2, 3].map((i) => TestClient.player(s.url, `P${i}`)));
      players[0].send({ type: "table.create", settings: { deals: 1, private: true } });
      const { code } = await players[0].next("joined");
      assert.ok(code && /^[A-Z2-9]{6}$/.test(code));
      const watcher = await TestClient.player(s.url, "Watcher");
      watcher.send({ type: "table.watch", code });
      assert.equal((await watcher.next("joined")).seat, null);
      for (const p of players.slice(1)) p.send({ type: "table.join", code: code.toLowerCase() });
      const hands: Card[][] = [];
      for (const p of players) {
        const deal = await p.next("deal");
        const view = deal.deal as PlayerView;
        hands[view.seat] = view.hand;
        autoplay(p);
      }
      await Promise.all(players.map((p) => p.next("matchEnd", () => true, 10000)));
      await watcher.next("matchEnd");
      const cardsIn = (text: string) => new Set(text.match(/"[2-9TJQKA][DCHS]"/g)?.map((c) => c.slice(1, 3)) ?? []);
      const check = (raw: string[], own: Card[]) => {
        const played = new Set<string>();
        for (const text of raw) {
          const type = JSON.parse(text).type;
          if (type === "dealEnd" || type === "matchEnd") break; // hands are public once the deal is over
          for (const card of cardsIn(text)) {
            if (type === "play") played.add(card);
            assert.ok(own.includes(card as Card) || played.has(card), `${card} leaked in a ${type} frame`);
          }
        }
      };
      players.forEach((p, i) => check(p.raw, hands[(p.received.find((m) => m.type === "deal") as { deal: PlayerView }).deal.seat] ?? hands[i]));
      check(watcher.raw, []);
      const watcherDeal = watcher.received.find((m) => m.type === "deal") as { deal: object };
      assert.equal("hand" in watcherDeal.deal, false);
      for (const c of [...players, watcher]) c.close();
    });
  });

  test("an exception inside one table ends that table only", async () => {
    await withServer({}, async (s) => {
      const one = await twoPlayerTable(s);
      const two = await twoPlayerTable(s);
      const broken = s.tables().find((t) => t.id === one.tableId);
      assert.ok(broken);
      broken.post({ type: "fail", reason: "injected by the test" });
      const closed = await one.a.next("closed");
      assert.equal(closed.code, ErrorCode.TableFailed);
      await one.b.next("closed");
      const mover = two.clients[two.turn];
      mover.send({ type: "play", cards: [two.views[two.turn].mustContain as Card] });
      const ev = await two.a.next("play");
      assert.equal(ev.event.seat, two.turn);
      assert.equal(s.tables().length, 1);
      const metrics = await (await fetch(s.metricsUrl + "/metrics")).text();
      assert.match(metrics, /bigtwo_table_failures_total 1/);
      for (const c of [...one.clients, ...two.clients]) c.close();
    });
  });

  test("a lobby subscriber sees a new table fill and start in order, never going backwards", async () => {
    await withServer({ quickMatchWaitSeconds: 1 }, async (s) => {
      const watcher = await TestClient.player(s.url, "W");
      watcher.send({ type: "lobby.subscribe" });
      await watcher.next("lobby.list");
      const host = await TestClient.player(s.url, "Host");
      host.send({ type: "table.create", settings: { bots: 3 } });
      const quick = await Promise.all(["A", "B", "C", "D"].map((n) => TestClient.player(s.url, n)));
      for (const q of quick) q.send({ type: "quick.join" });
      const made = await Promise.all([host, quick[0]].map(async (c) => (await c.next("joined")).tableId));
      for (const tableId of made) {
        await watcher.next("lobby.table", (m) => m.table.tableId === tableId && m.table.status === "playing");
        const seen = watcher.received.flatMap((m) => (m.type === "lobby.table" && m.table.tableId === tableId ? [m.table] : []));
        for (let i = 1; i < seen.length; i++) {
          assert.ok(seen[i].taken >= seen[i - 1].taken, `taken went from ${seen[i - 1].taken} to ${seen[i].taken}`);
          assert.ok(!(seen[i - 1].status === "playing" && seen[i].status === "waiting"), "a playing table was listed as waiting again");
        }
        assert.equal(seen.at(-1)?.taken, 4);
      }
      for (const c of [watcher, host, ...quick]) c.close();
    });
  });

  test("quick match seats waiting players together and tops the table up with bots", async () => {
    await withServer({ quickMatchWaitSeconds: 1 }, async (s) => {
      const x = await TestClient.player(s.url, "X");
      const y = await TestClient.player(s.url, "Y");
      x.send({ type: "quick.join", id: "q" });
      const status = await x.next("quick.status", (m) => m.id === "q");
      assert.equal(status.waiting, 1);
      assert.ok(status.botsInMs > 0 && status.botsInMs <= 1000);
      y.send({ type: "quick.join" });
      const [jx, jy] = await Promise.all([x.next("joined", () => true, 4000), y.next("joined", () => true, 4000)]);
      assert.equal(jx.tableId, jy.tableId);
      const snap = await x.next("snapshot");
      assert.equal(snap.players.filter((p) => p.bot).length, 2);
      for (const c of [x, y]) c.close();
    });
  });

  test("lobby lists public tables live and never private ones; chat is bounded", async () => {
    await withServer({}, async (s) => {
      const watcher = await TestClient.player(s.url, "W");
      watcher.send({ type: "lobby.subscribe", id: 1 });
      assert.deepEqual((await watcher.next("lobby.list")).tables, []);
      const host = await TestClient.player(s.url, "Host");
      host.send({ type: "table.create", settings: { name: "Friday game", seats: 3, variant: { straights: "taiwan" } } });
      const listed = await watcher.next("lobby.table");
      assert.equal(listed.table.name, "Friday game");
      assert.equal(listed.table.variant.straights, "taiwan");
      assert.equal(listed.table.taken, 1);
      const secret = await TestClient.player(s.url, "Secret");
      secret.send({ type: "table.create", settings: { private: true } });
      await secret.next("joined");
      host.send({ type: "table.create", id: "twice", settings: {} });
      assert.equal((await host.next("error", (m) => m.id === "twice")).code, ErrorCode.AlreadySeated);
      host.send({ type: "table.create", id: "bad", settings: { deals: null, lossLimit: null } });
      host.send({ type: "chat", id: "long", text: "y".repeat(201) });
      assert.equal((await host.next("error", (m) => m.id === "long")).code, ErrorCode.ChatTooLong);
      for (let i = 0; i < 5; i++) host.send({ type: "chat", text: `hi ${i}` });
      host.send({ type: "chat", id: "spam", text: "too many" });
      assert.equal((await host.next("error", (m) => m.id === "spam")).code, ErrorCode.ChatRate);
      assert.equal(host.received.filter((m) => m.type === "chat").length, 5);
      host.send({ type: "table.leave", id: "l" });
      await host.next("left");
      // A table nobody sits at is no longer listed (issue 19), and the private one never was.
      await watcher.next("lobby.remove", (m) => m.tableId === listed.table.tableId);
      watcher.send({ type: "lobby.subscribe", id: 2 });
      const list = await watcher.next("lobby.list", (m) => m.id === 2);
      assert.equal(list.tables.length, 0, "neither the private table nor the empty one is listed");
      const bad = await TestClient.player(s.url, "Bad");
      bad.send({ type: "table.create", id: "b", settings: { deals: null, lossLimit: null } });
      assert.equal((await bad.next("error", (m) => m.id === "b")).code, ErrorCode.BadSettings);
      for (const c of [watcher, host, secret, bad]) c.close();
    });
  });
});

describe("bounds and housekeeping", () => {
  test("a socket that stops answering pings is terminated", async () => {
    await withServer({ heartbeatMs: 150 }, async (s) => {
      const { default: WebSocket } = await import("ws");
      const mute = new WebSocket(s.url.replace("http", "ws") + "/ws", { autoPong: false });
      await once(mute, "open");
      const polite = await TestClient.player(s.url, "Polite");
      const [code] = await once(mute, "close");
      assert.equal(code, 1006, "terminated, not closed politely");
      assert.equal(polite.closed, null, "a socket that answers pings stays");
      const metrics = await (await fetch(s.metricsUrl + "/metrics")).text();
      assert.match(metrics, /bigtwo_disconnects_total\{reason="heartbeat"\} [1-9]/);
      polite.close();
    });
  });

  test("empty seats are filled with bots after the table's wait, and the match starts", async () => {
    await withServer({}, async (s) => {
      const c = await TestClient.player(s.url, "Solo");
      c.send({ type: "table.create", settings: { seats: 3, fillWithBotsAfter: 1 } });
      const snap = await c.next("snapshot");
      assert.equal(snap.status, "waiting");
      const deal = await c.next("deal", () => true, 3000);
      assert.equal(deal.deal.seats, 3);
      assert.equal((deal.deal as PlayerView).hand.length >= 17, true);
      const bots = c.received.filter((m) => m.type === "seat" && m.player.bot);
      assert.equal(bots.length, 2);
      c.close();
    });
  });

  test("a table nobody is at closes after its idle time and leaves the lobby", async () => {
    await withServer({ tableIdleSeconds: 1, reconnectGraceSeconds: 60 }, async (s) => {
      const watcher = await TestClient.player(s.url, "W");
      watcher.send({ type: "lobby.subscribe" });
      await watcher.next("lobby.list");
      const c = await TestClient.player(s.url, "Gone");
      c.send({ type: "table.create", settings: { bots: 3 } });
      const { tableId } = await c.next("joined");
      await c.next("deal");
      c.close();
      const removed = await watcher.next("lobby.remove", () => true, 4000);
      assert.equal(removed.tableId, tableId);
      assert.equal(s.tables().length, 0);
      const metrics = await (await fetch(s.metricsUrl + "/metrics")).text();
      assert.match(metrics, /^bigtwo_tables_active 0$/m);
      const back = await TestClient.player(s.url, "Gone", c.welcome.token);
      assert.equal(back.welcome.tableId, null, "the closed table freed the player");
      for (const x of [watcher, back]) x.close();
    });
  });

  test("a reload before the match starts keeps the seat; a player who stays away loses it", async () => {
    await withServer({ reconnectGraceSeconds: 1 }, async (s) => {
      const host = await TestClient.player(s.url, "Host");
      host.send({ type: "table.create", settings: { seats: 3 } });
      const { tableId } = await host.next("joined");
      const guest = await TestClient.player(s.url, "Guest");
      guest.send({ type: "table.join", tableId });
      const { seat } = await guest.next("joined");
      guest.close();
      await host.next("seat", (m) => m.player.seat === seat && !m.player.connected);
      const back = await TestClient.player(s.url, "Guest", guest.welcome.token);
      assert.equal(back.welcome.tableId, tableId);
      assert.equal((await back.next("snapshot")).seat, seat);
      back.close();
      const freed = await host.next("seat", (m) => m.player.seat === seat && m.player.name === null, 3000);
      assert.equal(freed.player.playerId, null);
      const late = await TestClient.player(s.url, "Guest", guest.welcome.token);
      assert.equal(late.welcome.tableId, null);
      for (const c of [host, late]) c.close();
    });
  });

  test("a player sits at one table at a time, however the requests are mixed", async () => {
    await withServer({ tableIdleSeconds: 1 }, async (s) => {
      const p = await TestClient.player(s.url, "Two-timer");
      p.send({ type: "table.create", settings: { private: true } });
      const a = await p.next("joined");
      const other = await TestClient.player(s.url, "Other");
      other.send({ type: "table.create", settings: {} });
      const b = await other.next("joined");
      // Naming another table by id beside this table's own code is still another table.
      p.send({ type: "table.join", id: "mix", tableId: b.tableId, code: a.code! });
      assert.equal((await p.next("error", (m) => m.id === "mix")).code, ErrorCode.AlreadySeated);
      // Queued for quick match, then creating a table: the queue place is given up.
      const q = await TestClient.player(s.url, "Queued");
      q.send({ type: "quick.join" });
      await q.next("quick.status");
      q.send({ type: "table.create", id: "c", settings: { bots: 3 } });
      await q.next("joined", (m) => m.id === "c");
      const helper = await TestClient.player(s.url, "Filler");
      for (let i = 0; i < 3; i++) helper.send({ type: "quick.join" });
      const status = await helper.next("quick.status");
      assert.equal(status.waiting, 1, "the player who sat down left the queue");
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(q.received.filter((m) => m.type === "joined").length, 1);
      for (const c of [p, other, q, helper]) c.close();
    });
  });

  test("a second tab takes over the first one's lobby subscription, and the first speaks for nobody", async () => {
    await withServer({}, async (s) => {
      const tab1 = await TestClient.player(s.url, "Tab");
      tab1.send({ type: "lobby.subscribe" });
      await tab1.next("lobby.list");
      const tab2 = await TestClient.player(s.url, "Tab", tab1.welcome.token);
      await tab1.closedWith();
      const host = await TestClient.player(s.url, "Host");
      host.send({ type: "table.create", settings: { name: "Seen by tab 2" } });
      const listed = await tab2.next("lobby.table");
      assert.equal(listed.table.name, "Seen by tab 2");
      for (const c of [tab2, host]) c.close();
    });
  });

  test("spectators' chat is rate-limited like players'; strangers cannot chat at a table", async () => {
    await withServer({}, async (s) => {
      const host = await TestClient.player(s.url, "Host");
      host.send({ type: "table.create", settings: {} });
      const { tableId } = await host.next("joined");
      const fan = await TestClient.player(s.url, "Fan");
      fan.send({ type: "table.watch", tableId });
      await fan.next("joined");
      for (let i = 0; i < 5; i++) fan.send({ type: "chat", text: `go ${i}` });
      fan.send({ type: "chat", id: "spam", text: "more" });
      assert.equal((await fan.next("error", (m) => m.id === "spam")).code, ErrorCode.ChatRate);
      assert.equal(host.received.filter((m) => m.type === "chat" && m.seat === null).length <= 5, true);
      fan.send({ type: "table.leave" });
      await fan.next("left");
      fan.send({ type: "chat", id: "x", text: "hello?" });
      assert.equal((await fan.next("error", (m) => m.id === "x")).code, ErrorCode.NotAtTable);
      for (const c of [host, fan]) c.close();
    });
  });

  test("with a slow store, a socket that closes while its watch request waits is not kept", async () => {
    class SlowStore extends MemoryStore {
      override async append(...args: Parameters<MemoryStore["append"]>) {
        await new Promise((r) => setTimeout(r, 30));
        return super.append(...args);
      }
    }
    const slow = new SlowStore();
    const s = await startServer({ ...FAST, tableIdleSeconds: 1 }, { tableLog: slow, directory: slow });
    try {
      const host = await TestClient.player(s.url, "Host");
      host.send({ type: "table.create", settings: { bots: 3 } });
      const { tableId } = await host.next("joined");
      await host.next("deal");
      const ghost = await TestClient.player(s.url, "Ghost");
      ghost.send({ type: "table.watch", tableId });
      ghost.close();
      host.close();
      const until = Date.now() + 5000;
      while (s.tables().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      assert.equal(s.tables().length, 0, "the table closed once nobody was at it");
    } finally {
      await s.close();
    }
  });

  test("with a slow store, a turn clock that fires while a play is being written does not act on the next turn", async () => {
    // The table's deal takes the play before the store has it (its lists grow in place), so the
    // clock must not read the turn from the deal's history while the write is pending.
    class SlowStore extends MemoryStore {
      override async append(...args: Parameters<MemoryStore["append"]>) {
        await new Promise((r) => setTimeout(r, 400));
        return super.append(...args);
      }
    }
    const slow = new SlowStore();
    const s = await startServer({ ...FAST }, { tableLog: slow, directory: slow });
    try {
      const { clients, views, turn } = await twoPlayerTable(s, { turnSeconds: 1 });
      // Play 700 ms into the 1 s turn: the clock fires while the play is written (700-1,100 ms).
      await new Promise((r) => setTimeout(r, 700));
      clients[turn].send({ type: "play", cards: [views[turn].mustContain ?? views[turn].hand[0]] });
      const mine = await clients[turn].next("play", (m) => m.event.seat === turn);
      assert.equal(mine.event.auto, false);
      const echoedAt = Date.now();
      const next = await clients[turn].next("play", (m) => m.event.seat === 1 - turn, 5000);
      const waited = Date.now() - echoedAt;
      assert.equal(next.event.auto, true, "the next seat did nothing: its clock acts");
      // Its whole second, then 400 ms to write the clock's move; a stale clock acts at once (~400 ms).
      assert.ok(waited >= 900, `the clock acted for the next seat ${waited} ms after the play`);
    } finally {
      await s.close();
    }
  });

  test("a socket that never says hello is closed", async () => {
    await withServer({ helloTimeoutMs: 200 }, async (s) => {
      const silent = await TestClient.open(s.url);
      assert.equal((await silent.closedWith(3000)).code, CloseCode.PolicyViolation);
    });
  });

  test("npm run bots fills tables over WebSockets and exits 0 when every match finished", async () => {
    await withServer({}, async (s) => {
      const cli = spawn(process.execPath, ["--import", "tsx", "src/bots/cli.ts", "--server", s.url.replace("http", "ws") + "/ws", "--tables", "3", "--think", "0", "--deals", "2", "--timeout", "30"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      cli.stdout!.on("data", (d) => (out += d));
      const [code] = await once(cli, "exit");
      assert.match(out, /tables: +3\/3 finished/);
      assert.match(out, /errors: +0/);
      assert.equal(code, 0, out);
    });
  });
});

/**
 * `npm start`'s command line (package.json), so the process tests run the server exactly as it:
 * plain Node on the compiled server (dist/node), built first as prestart does.
 */
function startArgs(): string[] {
  const start = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start;
  const [node, ...args] = start.split(" ");
  assert.equal(node, "node");
  assert.equal(args.at(-1), "dist/node/server/main.js");
  assert.ok(!args.includes("tsx"), "production runs no TypeScript loader");
  const built = spawnSync(process.execPath, ["scripts/build-server.mjs"], { stdio: "inherit" });
  assert.equal(built.status, 0, "scripts/build-server.mjs");
  return args;
}

describe("the server process, started with npm start's command line", () => {
  let proc: ReturnType<typeof spawn>;
  let url = "";
  let metricsUrl = "";
  before(async () => {
    proc = spawn(process.execPath, startArgs(), {
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", SHUTDOWN_TIMEOUT_MS: "3000", RECORDS: "off", METRICS_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Keep reading stdout to the end: a pipe closed early would fail the server's next write.
    let out = "";
    url = await new Promise<string>((resolve, reject) => {
      proc.stdout!.on("data", (chunk) => {
        out += chunk;
        const m = out.match(/Big Two Online on (http:\/\/[\d.]+:\d+) /);
        const metrics = out.match(/metrics on (http:\/\/[\d.]+:\d+)\/metrics/);
        if (m && metrics) {
          metricsUrl = metrics[1];
          resolve(m[1]);
        }
      });
      proc.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening: ${out}`)));
    });
  });
  after(() => proc.kill("SIGKILL"));

  test("hard bots search on the compiled worker thread: a table of three plays, and /metrics counts searches", async () => {
    const c = await TestClient.player(url, "Hana");
    const brain = new BotBrain({ strategy: greedyStrategy, thinkMs: () => 0, send: (m) => c.send(m) });
    c.onMessage = (m) => brain.receive(m);
    c.send({ type: "table.create", id: 1, settings: { bots: 3, botLevel: "hard", deals: 1, turnSeconds: 0 } });
    await c.next("joined", (m) => m.id === 1);
    await c.next("deal");
    const me = brain.seat;
    assert.notEqual(me, null);
    // Bots think about a second a move here: wait for three of their moves, then read the counts.
    for (let i = 0; i < 3; i++) await c.next("play", (m) => m.type === "play" && m.event.seat !== me, 20_000);
    const text = await (await fetch(metricsUrl + "/metrics")).text();
    const searched = Number(/^bigtwo_hard_bot_moves_total\{by="search"\} (\d+)/m.exec(text)?.[1] ?? 0);
    assert.ok(searched >= 1, `moves searched on the worker: ${searched} (a worker that failed to start leaves only fallbacks)`);
    c.close();
  });

  test("SIGTERM drains: readiness drops, clients are told, sockets close, exit 0", async () => {
    assert.equal((await fetch(url + "/readyz")).status, 200);
    const c = await TestClient.player(url, "Late");
    c.send({ type: "table.create", settings: { bots: 3, turnSeconds: 0 } });
    await c.next("deal");
    const exited = once(proc, "exit");
    proc.kill("SIGTERM");
    const notice = await c.next("shutdown");
    assert.ok(notice.reconnectInMs > 0);
    assert.equal((await c.closedWith()).code, CloseCode.GoingAway);
    const [code] = await exited;
    assert.equal(code, 0);
  });

  test("a bad configuration value stops the server with a clear message", async () => {
    const bad = spawn(process.execPath, startArgs(), {
      env: { ...process.env, PORT: "not-a-port" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    bad.stderr!.on("data", (d) => (err += d));
    const [code] = await once(bad, "exit");
    assert.equal(code, 2);
    assert.match(err, /Expected PORT to be a whole number from 0 to 65535, got "not-a-port"/);
  });
});

