import { test } from "node:test";
import assert from "node:assert/strict";
import type { ServerMessage, TableSummary } from "../protocol/index.ts";
import { resolveVariant } from "../rules/index.ts";
import type { Connection } from "./connection.ts";
import type { OutFrame } from "./frame.ts";
import { LobbyFeed } from "./lobby-feed.ts";

function conn(): Connection & { got: ServerMessage[] } {
  const got: ServerMessage[] = [];
  return { id: 1, kind: "socket", got, send: (f: OutFrame) => got.push(f.msg), close: () => {} };
}

function table(i: number, over: Partial<TableSummary> = {}): TableSummary {
  return { tableId: `t${String(i).padStart(5, "0")}`, name: `T${i}`, seats: 4, taken: 1, humans: 1, status: "waiting", variant: resolveVariant({}), turnSeconds: 30, deals: 4, lossLimit: null, ...over };
}

test("a subscriber gets one page, whatever the listing holds, and its size", () => {
  const feed = new LobbyFeed(50, () => {});
  for (let i = 0; i < 5000; i++) feed.update(table(i, i % 2 ? { status: "playing", taken: 4 } : {}));
  const c = conn();
  feed.subscribe(c, 1);
  const list = c.got[0] as Extract<ServerMessage, { type: "lobby.list" }>;
  assert.equal(list.tables.length, 50);
  assert.equal(list.total, 5000);
  assert.ok(list.tables.every((t) => t.status === "waiting"), "tables one can sit at come first");
  assert.ok(JSON.stringify(list).length < 64 * 1024);
});

test("changes are coalesced per table until the flush; a table with nobody at it is never shown", () => {
  let armed = 0;
  const feed = new LobbyFeed(3, () => armed++);
  const c = conn();
  feed.subscribe(c, 1);
  for (let k = 0; k < 10; k++) feed.update(table(1, { taken: 1 + (k % 3) }));
  feed.update(table(2, { humans: 0 }));
  assert.equal(armed, 1, "one flush is asked for");
  assert.equal(c.got.length, 1, "nothing before the flush");
  feed.flush();
  const frames = c.got.slice(1);
  assert.deepEqual(frames.map((m) => m.type), ["lobby.table"]);
  assert.equal((frames[0] as Extract<ServerMessage, { type: "lobby.table" }>).table.taken, 1 + (9 % 3), "the newest state");
  // A shown table whose last person leaves goes away.
  feed.update(table(1, { humans: 0 }));
  feed.flush();
  assert.deepEqual(c.got.at(-1), { type: "lobby.remove", tableId: "t00001" });
});

test("a subscriber's live view stays within its page", () => {
  const feed = new LobbyFeed(3, () => {});
  const c = conn();
  feed.subscribe(c, 1);
  for (let i = 0; i < 10; i++) feed.update(table(i));
  feed.flush();
  assert.equal(c.got.filter((m) => m.type === "lobby.table").length, 3);
  // A shown table closes: room for another one at the next change.
  feed.remove("t00000");
  feed.update(table(7, { taken: 2 }));
  feed.flush();
  assert.deepEqual(c.got.slice(-2).map((m) => m.type), ["lobby.remove", "lobby.table"]);
});
