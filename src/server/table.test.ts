import { test } from "node:test";
import assert from "node:assert/strict";
import { pino } from "pino";
import type { ServerMessage } from "../protocol/index.ts";
import { ErrorCode } from "../protocol/index.ts";
import { ManualClock } from "./clock.ts";
import { DEFAULT_CONFIG } from "./config.ts";
import type { Connection } from "./connection.ts";
import type { OutFrame } from "./frame.ts";
import type { Game } from "./game.ts";
import { resolveSettings } from "./lobby.ts";
import { createMetrics } from "./metrics.ts";
import { MemoryStore } from "./ports/memory.ts";
import { LogUnavailableError, type Fence, type LogEntry, type TableMeta } from "./ports/table-log.ts";
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
  errors(): string[] {
    return this.got.flatMap((m) => (m.type === "error" ? [m.code] : []));
  }
}

/** A memory store whose appends can be held (a slow network store) or refused (an unreachable one). */
class TestStore extends MemoryStore {
  #gate: Promise<void> | null = null;
  release: () => void = () => {};
  down = false;
  holdNextAppend(): void {
    this.#gate = new Promise((resolve) => (this.release = resolve));
  }
  override append(tableId: string, entry: LogEntry, fence: Fence): void | Promise<void> {
    if (this.down) throw new LogUnavailableError("the store is down");
    super.append(tableId, entry, fence);
    const gate = this.#gate;
    this.#gate = null;
    return gate ?? undefined;
  }
}

interface Harness {
  clock: ManualClock;
  store: TestStore;
  host: TableHost;
  lost: string[];
  botsMade: number;
}

function harness(clock = new ManualClock(), store = new TestStore(() => clock.now())): Harness {
  const h: Harness = { clock, store, lost: [], botsMade: 0, host: null as unknown as TableHost };
  h.host = {
    config: { ...DEFAULT_CONFIG },
    log: pino({ level: "silent" }),
    metrics: createMetrics(),
    clock,
    tableLog: store,
    bots: () => {
      h.botsMade++;
      return new FakeConn();
    },
    claim: () => "ok",
    released: () => {},
    summary: () => {},
    closed: () => {},
    lost: (tableId) => void h.lost.push(tableId),
    requestBot: () => {},
  };
  return h;
}

async function openTable(h: Harness, node: string, input: Parameters<typeof resolveSettings>[0]): Promise<{ table: Table; meta: TableMeta }> {
  await h.store.join({ id: node, url: `http://${node}` }, 60_000);
  const settings = resolveSettings(input, { turnSeconds: 30 }, "test");
  const meta: TableMeta = { tableId: "t1", code: null, settings, matchId: "m1", createdAt: h.clock.now() };
  const fence = await h.store.claim("t1", null, node);
  h.store.create(meta, fence);
  return { table: new Table(meta, fence, h.host), meta };
}

const inspect = (table: Table) => new Promise<Game>((reply) => table.control({ type: "inspect", reply: (g) => reply(g) }));

function seatFour(table: Table): FakeConn[] {
  const conns = [0, 1, 2, 3].map(() => new FakeConn());
  conns.forEach((conn, s) => table.post({ type: "join", playerId: `p${s}`, name: `P${s}`, conn }));
  return conns;
}

function play(table: Table, conns: FakeConn[], seat: number, cards: string[], id?: number): void {
  table.post({ type: "client", playerId: `p${seat}`, conn: conns[seat], msg: { type: "play", cards, id } as never, at: performance.now() });
}

test("a turn clock that fires while the table's input lane is full still acts once the table catches up", async (t) => {
  const h = harness();
  const { table } = await openTable(h, "a", { seats: 4, turnSeconds: 1 });
  t.after(() => table.close("test/done", "done"));
  const conns = seatFour(table);
  assert.equal(table.status, "playing");

  // The leader plays; the store holds that write, so the mailbox queues everything after it, up to its bound.
  const game = await inspect(table);
  const leader = game.deal!.turn;
  h.store.holdNextAppend();
  play(table, conns, leader, [game.deal!.mustContain ?? game.deal!.hands[leader][0]]);
  let queued = 0;
  while (table.post({ type: "inspect", reply: () => {} })) queued++;
  assert.ok(queued > 0 && table.mailbox.size === queued, "the input lane is full");

  // The turn clock fires into the full mailbox: its message takes the control lane, not lost.
  h.clock.advance(1100);
  assert.equal(table.mailbox.size, queued + 1);
  h.store.release();
  await table.mailbox.idle();
  assert.equal(conns[0].got.filter((m) => m.type === "play").length, 1, "the waiting play went out");

  // The next seat does nothing: its turn clock runs out and acts for it.
  h.clock.advance(1000);
  await table.mailbox.idle();
  const auto = conns[0].got.filter((m) => m.type === "play" && m.event.auto);
  assert.equal(auto.length, 1, "the turn clock acted for the seat after the leader");
  assert.equal(auto[0].type === "play" && auto[0].event.seat, (leader + 1) % 4);
});

test("a table rebuilt from its log on another node has the same seats, hands, turn and clock, and seats its bots again", async (t) => {
  const h = harness();
  const { table, meta } = await openTable(h, "a", { seats: 4, turnSeconds: 20, bots: 2 });
  t.after(() => table.close("test/done", "done"));
  table.addBots(2); // seats 0 and 1
  const conns = [new FakeConn(), new FakeConn(), new FakeConn(), new FakeConn()];
  table.post({ type: "join", playerId: "p2", name: "Ann", conn: conns[2] });
  table.post({ type: "join", playerId: "p3", name: "Bo", conn: conns[3] });
  assert.equal(table.status, "playing");
  const game = await inspect(table);
  const turn = game.deal!.turn;
  if (turn >= 2) {
    play(table, conns, turn, [game.deal!.mustContain!]);
    await table.mailbox.idle();
  }
  h.clock.advance(5000); // 5 s into the next turn's 20
  const before = await inspect(table);

  // Node "a" is gone: node "b" adopts the table from the log alone.
  await h.store.leave("a");
  await h.store.join({ id: "b", url: "http://b" }, 60_000);
  const fence = await h.store.adopt("t1", "b");
  assert.deepEqual(fence, { node: "b", epoch: 2 });
  const stored = (await h.store.read("t1"))!;
  const botsBefore = h.botsMade;
  const adopted = new Table(stored.meta, fence!, h.host, stored.entries);
  t.after(() => adopted.close("test/done", "done"));
  const after = await inspect(adopted);
  assert.deepEqual(after.deal!.hands, before.deal!.hands);
  assert.equal(after.deal!.turn, before.deal!.turn);
  assert.deepEqual(after.match, before.match);
  assert.equal(adopted.status, "playing");
  assert.equal(h.botsMade - botsBefore, 2, "both bot seats have a bot again");
  assert.deepEqual(adopted.summary().humans, 2);
  assert.equal(stored.meta.matchId, meta.matchId);

  // A returning player gets their seat and hand; the clock shows what is left of the turn.
  const back = new FakeConn();
  adopted.control({ type: "attach", playerId: "p2", conn: back });
  await adopted.mailbox.idle();
  const snap = back.got.find((m) => m.type === "snapshot");
  assert.ok(snap && snap.type === "snapshot");
  assert.equal(snap.seat, 2);
  assert.deepEqual((snap.deal as { hand: string[] }).hand, before.deal!.hands[2]);
  assert.equal(snap.turnMs, 15_000, "the deadline came across in wall-clock time");
});

test("once another node adopts the table, the old owner's writes are refused: it drops the table and tells the player", async (t) => {
  const h = harness();
  const { table } = await openTable(h, "a", { seats: 4, turnSeconds: 0 });
  t.after(() => table.close("test/done", "done"));
  const conns = seatFour(table);
  const game = await inspect(table);
  const logBefore = (await h.store.read("t1"))!.entries;

  // Node "a" stalls past its lease; node "b" adopts the table.
  await h.store.leave("a");
  await h.store.join({ id: "b", url: "http://b" }, 60_000);
  assert.ok(await h.store.adopt("t1", "b"));
  await h.store.join({ id: "a", url: "http://a" }, 60_000); // "a" wakes and renews: still not the owner

  const leader = game.deal!.turn;
  play(table, conns, leader, [game.deal!.mustContain!], 7);
  await table.mailbox.idle();
  assert.deepEqual(conns[leader].errors(), [ErrorCode.TableMoved]);
  assert.equal(conns[0].got.filter((m) => m.type === "play").length, 0, "nobody was told of the refused play");
  assert.deepEqual(h.lost, ["t1"]);
  assert.deepEqual((await h.store.read("t1"))!.entries, logBefore, "the log is unchanged");
  assert.equal(table.post({ type: "inspect", reply: () => {} }), false, "the old copy takes no more messages");
});

test("an action that cannot be logged is refused with a clear code, nothing applied, and can be played again", async (t) => {
  const h = harness();
  const { table } = await openTable(h, "a", { seats: 4, turnSeconds: 0 });
  t.after(() => table.close("test/done", "done"));
  const conns = seatFour(table);
  const game = await inspect(table);
  const leader = game.deal!.turn;
  const card = game.deal!.mustContain!;

  h.store.down = true;
  play(table, conns, leader, [card], 1);
  await table.mailbox.idle();
  assert.deepEqual(conns[leader].errors(), [ErrorCode.LogUnavailable]);
  const unchanged = await inspect(table);
  assert.deepEqual(unchanged.deal!.history, [], "the check's in-place growth was taken back");
  assert.deepEqual(unchanged.deal!.hands, game.deal!.hands);

  h.store.down = false;
  play(table, conns, leader, [card], 2);
  await table.mailbox.idle();
  assert.ok(conns[leader].got.some((m) => m.type === "ack" && m.id === 2));
  const after = await inspect(table);
  assert.equal(after.deal!.history.length, 1);
  const log = (await h.store.read("t1"))!.entries;
  log.forEach((e, i) => assert.equal(e.n, log[0].n + i, "no gaps"));
});

test("an action refused while the log was down is written by the table itself once the log is back", async (t) => {
  const h = harness();
  const { table } = await openTable(h, "a", { seats: 4, turnSeconds: 0 });
  t.after(() => table.close("test/done", "done"));
  const conns = seatFour(table);
  const game = await inspect(table);
  const leader = game.deal!.turn;
  h.store.down = true;
  play(table, conns, leader, [game.deal!.mustContain!], 1);
  await table.mailbox.idle();
  assert.deepEqual(conns[leader].errors(), [ErrorCode.LogUnavailable]);
  h.clock.advance(1000); // still down: tried and refused again, nothing applied
  await table.mailbox.idle();
  assert.equal((await inspect(table)).deal!.history.length, 0);
  h.store.down = false;
  h.clock.advance(1000);
  await table.mailbox.idle();
  assert.equal((await inspect(table)).deal!.history.length, 1, "the play is in the log and applied");
  assert.equal(conns[(leader + 1) % 4].got.filter((m) => m.type === "play").length, 1, "and everyone was told");
});
