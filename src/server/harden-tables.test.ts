// Attacks on tables and the lobby (issue 19), each performed against a real server on a real
// port. Loopback source addresses 127.0.0.x stand for different people.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { BotBrain } from "../bots/brain.ts";
import { greedyStrategy } from "../bots/strategies/index.ts";
import { ErrorCode, PROTOCOL_VERSION, type ServerMessage } from "../protocol/index.ts";
import { startServer, type RunningServer } from "./app.ts";
import type { Config } from "./config.ts";
import { TestClient } from "./test-client.ts";

const FAST: Partial<Config> = { port: 0, metricsPort: 0, host: "127.0.0.1", logLevel: "silent", botThinkMs: 0, nextDealDelayMs: 0, turnSeconds: 0 };

async function withServer(overrides: Partial<Config>, fn: (s: RunningServer) => Promise<void>): Promise<void> {
  const s = await startServer({ ...FAST, ...overrides });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

/** A player whose socket comes from `from` (a loopback address standing for one person). */
async function playerFrom(s: RunningServer, from: string, name: string, token?: string): Promise<TestClient> {
  const ws = new WebSocket(s.url.replace("http", "ws") + "/ws", { localAddress: from });
  const c = await TestClient.wrap(ws);
  c.send({ type: "hello", v: PROTOCOL_VERSION, name, token });
  await c.next("welcome");
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll (bounded) until `fn` holds; fail with `what`. */
async function eventually(what: string, fn: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await sleep(25);
  }
  assert.fail(`timed out waiting for ${what}`);
}

type Reply = Extract<ServerMessage, { type: "joined" } | { type: "error" }>;
async function reply(c: TestClient, id: string): Promise<Reply> {
  return (await Promise.race([c.next("joined", (m) => m.id === id), c.next("error", (m) => m.id === id)])) as Reply;
}

describe("one address cannot fill the server with tables", () => {
  test("create-and-leave from one address is refused past its share; an honest player elsewhere still gets a table", async () => {
    await withServer({ maxTables: 300, tablesPerAddress: 10, tableCreatesPerMinute: 20, emptyTableSeconds: 1 }, async (s) => {
      const attackers = await Promise.all([0, 1, 2, 3, 4].map((i) => playerFrom(s, "127.0.0.2", `A${i}`)));
      let refused = 0;
      let created = 0;
      for (let round = 0; round < 20; round++) {
        await Promise.all(
          attackers.map(async (a, i) => {
            const id = `c${round}-${i}`;
            a.send({ type: "table.create", id, settings: { seats: 4 } });
            const r = await reply(a, id);
            if (r.type === "error") {
              assert.equal(r.code, ErrorCode.TooManyTables);
              refused++;
              return;
            }
            created++;
            a.send({ type: "table.leave", id: `l${id}` });
            await a.next("left", (m) => m.id === `l${id}`);
          }),
        );
      }
      assert.ok(created <= 20, `one address created ${created} tables in a burst (at most 20 a minute)`);
      assert.ok(refused > 0);
      assert.ok(s.tables().length <= 10, `${s.tables().length} tables open for one address`);
      const honest = await playerFrom(s, "127.0.0.3", "Honest");
      honest.send({ type: "table.create", id: "h", settings: { seats: 4 } });
      assert.equal((await reply(honest, "h")).type, "joined", "an honest player from another address gets a table");
      honest.send({ type: "quick.join", id: "q" });
      for (const c of [...attackers, honest]) c.close();
    });
  });

  test("a table nobody sits at closes within seconds, and the lobby never lists it", async () => {
    await withServer({ emptyTableSeconds: 1, tableIdleSeconds: 120 }, async (s) => {
      const watcher = await playerFrom(s, "127.0.0.4", "Watcher");
      watcher.send({ type: "lobby.subscribe", id: "sub" });
      await watcher.next("lobby.list");
      const a = await playerFrom(s, "127.0.0.5", "Leaver");
      a.send({ type: "table.create", id: "c", settings: { seats: 4, bots: 2 } });
      const joined = await a.next("joined");
      a.send({ type: "table.leave", id: "l" });
      await a.next("left");
      // Only bots are left: the table closes after EMPTY_TABLE_SECONDS, not TABLE_IDLE_SECONDS.
      await eventually("the empty table to close", () => !s.tables().some((t) => t.id === joined.tableId));
      const listed = new Map<string, boolean>();
      for (const m of watcher.received) {
        if (m.type === "lobby.table") listed.set(m.table.tableId, m.table.humans > 0);
        if (m.type === "lobby.remove") listed.delete(m.tableId);
      }
      assert.ok(![...listed.values()].includes(false), "no listed table without a person at it");
      assert.equal(listed.has(joined.tableId), false, "the closed table is not listed");
      for (const c of [watcher, a]) c.close();
    });
  });
});

describe("private tables stay private", () => {
  test("guessing invite codes from many sockets of one address is refused across all of them; another address is served", async () => {
    await withServer({ codeGuessesPerMinute: 10, maxConnectionsPerAddress: 0 }, async (s) => {
      const host = await playerFrom(s, "127.0.0.6", "Host");
      host.send({ type: "table.create", id: "c", settings: { seats: 4, private: true } });
      const { code } = await host.next("joined");
      assert.ok(code);
      const guessers = await Promise.all(Array.from({ length: 20 }, (_, i) => playerFrom(s, "127.0.0.7", `G${i}`)));
      const codes: string[] = [];
      await Promise.all(
        guessers.map(async (g, i) => {
          for (let k = 0; k < 3; k++) {
            const id = `g${i}-${k}`;
            g.send({ type: "table.join", id, code: `ZZZZ${String.fromCharCode(65 + (i % 26))}${k}` });
            const r = await reply(g, id);
            codes.push(r.type === "error" ? r.code : r.type);
          }
        }),
      );
      const notFound = codes.filter((c) => c === ErrorCode.TableNotFound).length;
      assert.ok(notFound <= 10, `${notFound} wrong guesses answered (the address may make 10 a minute)`);
      assert.ok(codes.filter((c) => c === ErrorCode.TooManyGuesses).length >= 50, "the rest are refused, whichever socket sent them");
      // The right code from a guesser at its limit is refused too: a refusal says nothing.
      guessers[0].send({ type: "table.join", id: "right", code: code! });
      assert.equal((await reply(guessers[0], "right")).type === "error", true);
      const friend = await playerFrom(s, "127.0.0.8", "Friend");
      friend.send({ type: "table.join", id: "f", code: code! });
      assert.equal((await reply(friend, "f")).type, "joined", "a friend from another address joins by the code");
      for (const c of [host, friend, ...guessers]) c.close();
    });
  });

  test("table.join by id at a private table is refused without its code; a watch link lets its holder watch, not sit", async () => {
    await withServer({}, async (s) => {
      const host = await playerFrom(s, "127.0.0.9", "Host");
      host.send({ type: "table.create", id: "c", settings: { seats: 4, private: true } });
      const joined = await host.next("joined");
      const stranger = await playerFrom(s, "127.0.0.10", "Stranger");
      stranger.send({ type: "table.join", id: "j", tableId: joined.tableId });
      const r = await reply(stranger, "j");
      assert.equal(r.type === "error" && r.code, ErrorCode.CodeRequired);
      // The watch link names the table id: its holder watches, and learns no invite code.
      stranger.send({ type: "table.watch", id: "w", tableId: joined.tableId });
      const watching = await stranger.next("joined", (m) => m.id === "w");
      assert.equal(watching.seat, null);
      assert.equal(watching.code, null, "a spectator is not given the invite code");
      const snap = await stranger.next("snapshot");
      assert.equal(snap.code, null);
      assert.ok(!stranger.raw.some((t) => t.includes(joined.code!)), "no frame to the spectator holds the code");
      stranger.send({ type: "table.join", id: "j2", tableId: joined.tableId });
      const r2 = await reply(stranger, "j2");
      assert.equal(r2.type, "error", "a spectator still cannot take a seat without the code");
      for (const c of [host, stranger]) c.close();
    });
  });
});

describe("what grows without a bound", () => {
  test("lobby.list is one page, however many public tables there are", async () => {
    await withServer({ lobbyPageSize: 5, maxConnectionsPerAddress: 0, tablesPerAddress: 0, tableCreatesPerMinute: 0 }, async (s) => {
      const hosts = await Promise.all(Array.from({ length: 12 }, (_, i) => playerFrom(s, "127.0.0.11", `H${i}`)));
      await Promise.all(
        hosts.map(async (h, i) => {
          h.send({ type: "table.create", id: `c${i}`, settings: { seats: 4 } });
          await h.next("joined");
        }),
      );
      const viewer = await playerFrom(s, "127.0.0.12", "Viewer");
      viewer.send({ type: "lobby.subscribe", id: "s" });
      const list = await viewer.next("lobby.list");
      assert.equal(list.tables.length, 5);
      assert.equal(list.total, 12);
      for (const c of [viewer, ...hosts]) c.close();
    });
  });

  test("lobby changes reach a subscriber coalesced, not one frame per change", async () => {
    await withServer({}, async (s) => {
      const viewer = await playerFrom(s, "127.0.0.13", "Viewer");
      viewer.send({ type: "lobby.subscribe", id: "s" });
      await viewer.next("lobby.list");
      const host = await playerFrom(s, "127.0.0.14", "Host");
      host.send({ type: "table.create", id: "c", settings: { seats: 4 } });
      const { tableId } = await host.next("joined");
      // Ten seat changes in quick succession.
      const guests = await Promise.all([0, 1].map((i) => playerFrom(s, "127.0.0.15", `Guest${i}`)));
      for (let k = 0; k < 5; k++) {
        for (const g of guests) {
          g.send({ type: "table.join", id: `j${k}`, tableId });
          await g.next("joined", (m) => m.id === `j${k}`);
          g.send({ type: "table.leave", id: `l${k}` });
          await g.next("left", (m) => m.id === `l${k}`);
        }
      }
      await sleep(1500);
      const frames = viewer.received.filter((m) => m.type === "lobby.table" && m.table.tableId === tableId).length;
      assert.ok(frames >= 1, "the table is shown");
      assert.ok(frames < 10, `${frames} lobby.table frames for 21 changes`);
      for (const c of [viewer, host, ...guests]) c.close();
    });
  });

  test("a table takes at most MAX_SPECTATORS spectators, and spectators' chat is bounded per table", async () => {
    await withServer({ maxSpectators: 6, maxConnectionsPerAddress: 0 }, async (s) => {
      const host = await playerFrom(s, "127.0.0.16", "Host");
      host.send({ type: "table.create", id: "c", settings: { seats: 4 } });
      const { tableId } = await host.next("joined");
      const watchers = await Promise.all(Array.from({ length: 8 }, (_, i) => playerFrom(s, "127.0.0.17", `W${i}`)));
      const answers = await Promise.all(
        watchers.map(async (w, i) => {
          w.send({ type: "table.watch", id: `w${i}`, tableId });
          return reply(w, `w${i}`);
        }),
      );
      assert.equal(answers.filter((a) => a.type === "joined").length, 6);
      assert.ok(answers.filter((a) => a.type === "error").every((a) => a.type === "error" && a.code === ErrorCode.SpectatorsFull));
      const seated = watchers.filter((_, i) => answers[i].type === "joined");
      // Each spectator once: together past the table's spectator budget, some are refused.
      const chats = await Promise.all(
        seated.map(async (w, i) => {
          w.send({ type: "chat", id: `t${i}`, text: `hello from ${i}` });
          const r = await Promise.race([w.next("chat", (m) => m.text === `hello from ${i}`), w.next("error", (m) => m.id === `t${i}`)]);
          return r.type === "error" ? r.code : "sent";
        }),
      );
      assert.ok(chats.includes(ErrorCode.ChatRate), `spectators' chat: ${chats.join(", ")}`);
      host.send({ type: "chat", id: "h", text: "seats still chat" });
      await host.next("chat", (m) => m.text === "seats still chat");
      for (const c of [host, ...watchers]) c.close();
    });
  });
});

describe("names and chat as people see them", () => {
  test("invisible characters are removed and two players at a table never share a name", async () => {
    await withServer({}, async (s) => {
      const a = await playerFrom(s, "127.0.0.18", "Mei\u202E\u200B");
      assert.equal(a.welcome.name, "Mei");
      a.send({ type: "table.create", id: "c", settings: { seats: 2 } });
      const { tableId } = await a.next("joined");
      const b = await playerFrom(s, "127.0.0.19", "mei");
      b.send({ type: "table.join", id: "j", tableId });
      await b.next("joined");
      const snap = await b.next("snapshot");
      const names = snap.players.map((p) => p.name);
      assert.equal(new Set(names.map((n) => n?.toLowerCase())).size, names.length, `names ${names.join(", ")}`);
      b.send({ type: "chat", id: "e", text: " \u200B\u202E\t" });
      assert.equal((await b.next("error", (m) => m.id === "e")).code, ErrorCode.ChatEmpty);
      b.send({ type: "chat", id: "ok", text: "gg\u202E" });
      assert.equal((await a.next("chat")).text, "gg");
      for (const c of [a, b]) c.close();
    });
  });

  test("a player who reconnects with a new name keeps the seat's name in welcome and at the table", async () => {
    await withServer({}, async (s) => {
      const a = await playerFrom(s, "127.0.0.20", "Ann");
      a.send({ type: "table.create", id: "c", settings: { seats: 2, bots: 1 } });
      await a.next("deal");
      const token = a.welcome.token;
      a.close();
      const again = await playerFrom(s, "127.0.0.20", "Annabel", token);
      const snap = await again.next("snapshot");
      assert.equal(again.welcome.name, snap.players[snap.seat!].name, "welcome and the seat agree");
      again.close();
    });
  });

  test("ready after matchEnd gets a clear error", async () => {
    await withServer({}, async (s) => {
      const a = await playerFrom(s, "127.0.0.21", "Solo");
      const brain = new BotBrain({ strategy: greedyStrategy, thinkMs: () => 0, send: (m) => a.send(m) });
      a.onMessage = (m) => brain.receive(m);
      a.send({ type: "table.create", id: "c", settings: { seats: 2, bots: 1, deals: 1 } });
      await a.next("matchEnd", () => true, 30_000);
      a.send({ type: "ready", id: "r" });
      assert.equal((await a.next("error", (m) => m.id === "r")).code, ErrorCode.MatchOver);
      a.close();
    });
  });
});
