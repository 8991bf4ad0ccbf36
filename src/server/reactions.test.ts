// Reactions and the watcher count, end to end over real sockets (the table actor's `react`
// beside its chat).
import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "../protocol/index.ts";
import { startServer } from "./app.ts";
import { MemoryStore } from "./store.ts";
import { TestClient } from "./test-client.ts";

test("a reaction reaches seats and spectators, is rate-limited per member, and watchers are counted", async () => {
  const s = await startServer(
    { port: 0, host: "127.0.0.1", logLevel: "silent", botThinkMs: 0, nextDealDelayMs: 0, turnSeconds: 0 },
    new MemoryStore(),
  );
  try {
    const host = await TestClient.player(s.url, "Host");
    host.send({ type: "table.create", settings: { seats: 2 } });
    const { tableId } = await host.next("joined");
    const first = await host.next("snapshot");
    assert.equal(first.watchers, 0);

    const fan = await TestClient.player(s.url, "Fan");
    fan.send({ type: "table.watch", tableId });
    await fan.next("joined");
    assert.equal((await fan.next("snapshot")).watchers, 1);
    assert.equal((await host.next("watchers")).count, 1, "the player sees that someone watches");

    host.send({ type: "react", id: "r1", emote: "gg" });
    const seen = await fan.next("reaction");
    assert.deepEqual([seen.seat, seen.name, seen.emote], [0, "Host", "gg"]);
    await host.next("ack", (m) => m.id === "r1");

    fan.send({ type: "react", emote: "wow" });
    const fromFan = await host.next("reaction", (m) => m.emote === "wow");
    assert.deepEqual([fromFan.seat, fromFan.name], [null, "Fan"]);

    // Three in the window, then refused with the chat limit's code; the table carries on.
    fan.send({ type: "react", emote: "haha" });
    fan.send({ type: "react", emote: "haha" });
    fan.send({ type: "react", id: "spam", emote: "haha" });
    assert.equal((await fan.next("error", (m) => m.id === "spam")).code, ErrorCode.ChatRate);

    // Not in the fixed set: refused at the boundary.
    fan.send({ type: "react", id: "bad", emote: "💩" } as never);
    assert.equal((await fan.next("error", (m) => m.id === "bad")).code, ErrorCode.BadMessage);

    fan.send({ type: "table.leave" });
    await fan.next("left");
    assert.equal((await host.next("watchers", (m) => m.count === 0)).count, 0);
    fan.send({ type: "react", id: "gone", emote: "gg" });
    assert.equal((await fan.next("error", (m) => m.id === "gone")).code, ErrorCode.NotAtTable);
    for (const c of [host, fan]) c.close();
  } finally {
    await s.close();
  }
});
