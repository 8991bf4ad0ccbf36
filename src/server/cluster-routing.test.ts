// Two nodes in one process sharing one MemoryStore (the directory and logs a Redis would hold):
// routing between nodes without real processes. The multi-process tests (cluster.test.ts) cause
// the faults; these check who is sent where.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type RunningServer } from "./app.ts";
import { MemoryStore } from "./ports/memory.ts";
import { TestClient } from "./test-client.ts";

const CONFIG = { port: 0, host: "127.0.0.1", logLevel: "silent" as const, sessionSecret: "routing-test-secret-0123456789", botThinkMs: 0, quickMatchWaitSeconds: 60, leaseMs: 60_000 };

describe("two nodes sharing a directory", () => {
  const store = new MemoryStore();
  let a: RunningServer;
  let b: RunningServer;
  before(async () => {
    a = await startServer({ ...CONFIG, nodeId: "a" }, { tableLog: store, directory: store, shared: true });
    b = await startServer({ ...CONFIG, nodeId: "b" }, { tableLog: store, directory: store, shared: true });
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  test("a private table on one node: join by code through the other is redirected to its owner, and the player sits there", async () => {
    const host = await TestClient.player(a.url, "Host");
    host.send({ type: "table.create", id: 1, settings: { private: true, seats: 2, turnSeconds: 0 } });
    const joined = await host.next("joined", (m) => m.id === 1);
    assert.ok(joined.code);
    const guest = await TestClient.player(b.url, "Guest");
    guest.send({ type: "table.join", id: 2, code: joined.code.toLowerCase() });
    const redirect = await guest.next("redirect", (m) => m.id === 2);
    assert.deepEqual([redirect.url, redirect.tableId, redirect.reason], [a.url, joined.tableId, "owner"]);
    // The client follows: same token on the owner, same request.
    const there = await TestClient.player(redirect.url, "Guest", guest.welcome.token);
    there.send({ type: "table.join", id: 3, code: joined.code });
    const seated = await there.next("joined", (m) => m.id === 3);
    assert.equal(seated.tableId, joined.tableId);
    assert.equal(seated.seat, 1);
    // A reconnect through the wrong node is sent to the owner too.
    there.close();
    const again = await TestClient.player(b.url, "Guest", guest.welcome.token);
    const back = await again.next("redirect");
    assert.equal(back.url, a.url);
    assert.equal(again.welcome.tableId, joined.tableId);
    assert.deepEqual(again.welcome.nodes?.sort(), [a.url, b.url].sort());
    for (const c of [host, guest, again]) c.close();
  });

  test("the lobby of one node lists the public tables of the other", async () => {
    const viewer = await TestClient.player(b.url, "Viewer");
    viewer.send({ type: "lobby.subscribe", id: 1 });
    await viewer.next("lobby.list");
    const host = await TestClient.player(a.url, "Pia");
    host.send({ type: "table.create", id: 1, settings: { name: "Pia's public", seats: 4, turnSeconds: 0 } });
    const joined = await host.next("joined");
    const listed = await viewer.next("lobby.table", (m) => m.table.tableId === joined.tableId);
    assert.equal(listed.table.name, "Pia's public");
    assert.equal(listed.table.taken, 1);
    // Its changes follow: the host leaves, and the table (now empty) leaves the other node's listing.
    host.send({ type: "table.leave", id: 2 });
    await viewer.next("lobby.remove", (m) => m.tableId === joined.tableId);
    viewer.close();
    host.close();
  });

  test("quick match pairs players who entered by different nodes", async () => {
    const matchmaker = [a, b].find((s) => s.nodeId === "a")!;
    const other = b;
    const clients = await Promise.all([0, 1, 2, 3].map((i) => TestClient.player(i % 2 ? other.url : matchmaker.url, `Q${i}`)));
    for (const [i, c] of clients.entries()) {
      c.send({ type: "quick.join", id: 10 + i });
      if (i % 2) {
        const r = await c.next("redirect", (m) => m.id === 10 + i);
        assert.equal(r.url, matchmaker.url);
        const moved = await TestClient.player(r.url, `Q${i}`, c.welcome.token);
        c.close();
        clients[i] = moved;
        moved.send({ type: "quick.join", id: 20 + i });
      }
    }
    const seated = await Promise.all(clients.map((c) => c.next("joined", () => true, 10_000)));
    assert.equal(new Set(seated.map((j) => j.tableId)).size, 1, "all four at one table");
    for (const c of clients) c.close();
  });
});
