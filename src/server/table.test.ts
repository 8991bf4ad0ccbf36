import { test } from "node:test";
import assert from "node:assert/strict";
import { pino } from "pino";
import type { ServerMessage } from "../protocol/index.ts";
import { DEFAULT_CONFIG } from "./config.ts";
import type { Connection } from "./connection.ts";
import type { OutFrame } from "./frame.ts";
import type { Game } from "./game.ts";
import { resolveSettings } from "./lobby.ts";
import { createMetrics } from "./metrics.ts";
import { MemoryStore, type LogEntry } from "./store.ts";
import { Table, type TableHost } from "./table.ts";

class FakeConn implements Connection {
  static next = 1;
  readonly id = FakeConn.next++;
  readonly kind = "socket" as const;
  readonly got: ServerMessage[] = [];
  send(f: OutFrame): void {
    this.got.push(f.msg);
  }
  close(): void {}
}

/** A memory store whose next `append` waits until `release` is called, as a slow network store would. */
class GatedStore extends MemoryStore {
  #gate: Promise<void> | null = null;
  release: () => void = () => {};
  holdNextAppend(): void {
    this.#gate = new Promise((resolve) => (this.release = resolve));
  }
  override append(tableId: string, entry: LogEntry): void | Promise<void> {
    super.append(tableId, entry);
    const gate = this.#gate;
    this.#gate = null;
    return gate ?? undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("a turn clock that fires while the table's mailbox is full still acts once the table catches up", async (t) => {
  const store = new GatedStore();
  const host: TableHost = {
    config: { ...DEFAULT_CONFIG },
    log: pino({ level: "silent" }),
    metrics: createMetrics(),
    store,
    claim: () => "ok",
    released: () => {},
    summary: () => {},
    closed: () => {},
    requestBot: () => {},
  };
  const settings = resolveSettings({ seats: 4, turnSeconds: 1 }, { turnSeconds: 1 }, "clock test");
  const table = new Table("t1", null, settings, host);
  // Closed however the test ends: its turn clock would go on acting every second.
  t.after(() => table.close("test/done", "done"));
  const conns = [0, 1, 2, 3].map(() => new FakeConn());
  conns.forEach((conn, s) => table.post({ type: "join", playerId: `p${s}`, name: `P${s}`, conn }));
  assert.equal(table.status, "playing");

  // The leader plays the card the first play must hold; the store keeps that play waiting, so the
  // mailbox queues everything after it, up to its bound.
  const game = await new Promise<Game>((reply) => table.post({ type: "inspect", reply: (g) => reply(g) }));
  const leader = game.deal!.turn;
  store.holdNextAppend();
  const first = game.deal!.mustContain ?? game.deal!.hands[leader][0];
  table.post({ type: "client", playerId: `p${leader}`, conn: conns[leader], msg: { type: "play", cards: [first] }, at: performance.now() });
  let queued = 0;
  while (table.post({ type: "inspect", reply: () => {} })) queued++;
  assert.ok(queued > 0 && table.mailbox.size === queued, "the mailbox is full");

  // The deal's first turn clock (1 s) fires into the full mailbox; then the store catches up.
  await sleep(1300);
  store.release();
  const played = conns[0].got.filter((m) => m.type === "play");
  await sleep(10);
  assert.equal(conns[0].got.filter((m) => m.type === "play").length, played.length + 1, "the waiting play went out");

  // The next seat does nothing: its turn clock must run out and act for it.
  await sleep(1500);
  const auto = conns[0].got.filter((m) => m.type === "play" && m.event.auto);
  assert.equal(auto.length, 1, "the turn clock acted for the seat after the leader");
  assert.equal(auto[0].type === "play" && auto[0].event.seat, (leader + 1) % 4);
});
