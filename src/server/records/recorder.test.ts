// The write queue under real faults: a database that stops accepting connections, one whose
// writes hang on a lock, a closed PGlite, a record the database refuses. Nothing is mocked.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import pg from "pg";
import { pino } from "pino";
import { Registry } from "prom-client";
import type { Connection } from "../connection.ts";
import type { OutFrame } from "../frame.ts";
import { resolveSettings } from "../lobby.ts";
import { recordingTable } from "./test-table.ts";
import { Recorder } from "./recorder.ts";
import { writeBatch } from "./repo.ts";
import { openTestDatabase, PG_ADMIN_URL, postgresOrSkip } from "./test-databases.ts";
import type { DealRecord, MatchRecord, SeatRecord } from "./types.ts";

const settings = resolveSettings({ seats: 4, deals: 1, botLevel: "random", turnSeconds: 0 }, { turnSeconds: 0 }, "recorder test");
const seats: SeatRecord[] = ["a", "b", "c", "d"].map((id) => ({ playerId: id, name: id, human: true }));

function queue(recorder: Recorder, ids: string[]): void {
  for (const id of ids) {
    const [deal, match] = records(id);
    recorder.dealEnded(deal);
    recorder.matchEnded(match);
  }
}

function records(matchId: string, seed = "s"): [DealRecord, MatchRecord] {
  return [
    { tableId: "t", matchId, dealNo: 1, seed, leader: null, actions: [], result: { winner: 0, scores: [], hands: [] }, seats, settings },
    { tableId: "t", matchId, settings, seats, totals: [3, -1, -1, -1], winners: [0] },
  ];
}

function logCapture() {
  const lines: { msg: string; reason?: string; record?: unknown }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: "info" }, stream), lines };
}

async function metric(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = await registry.getSingleMetric(name)!.get();
  return m.values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x)).reduce((a, v) => a + v.value, 0);
}

async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting: ${what}`);
}

const quick = { backoffMs: 20, maxBackoffMs: 200 };

test("a database that stops accepting connections: records wait and are retried, then written once each when it is back", async (t) => {
  if (!(await postgresOrSkip(t))) return;
  const { database, url, drop } = await openTestDatabase("postgres");
  const name = new URL(url!).pathname.slice(1);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  t.after(async () => {
    await admin.query(`alter database ${name} allow_connections true`).catch(() => {});
    await admin.end();
    await drop();
  });
  const registry = new Registry();
  const recorder = new Recorder({ write: (jobs) => writeBatch(database.db, jobs), log: pino({ level: "silent" }), registry, ...quick });

  await admin.query(`alter database ${name} allow_connections false`);
  await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [name]);
  queue(recorder, ["m1", "m2", "m3"]);
  assert.equal(recorder.size, 6, "every record waits in the queue");
  await until("three failed writes", async () => (await metric(registry, "bigtwo_records_write_errors_total")) >= 3);
  assert.equal(await metric(registry, "bigtwo_records_written_total"), 0);
  assert.equal(recorder.size, 6);

  await admin.query(`alter database ${name} allow_connections true`);
  await recorder.flushed();
  assert.equal(recorder.size, 0);
  assert.equal(await metric(registry, "bigtwo_records_written_total", { kind: "match" }), 3);
  const rows = await database.db.selectFrom("matches").select("match_id").orderBy("match_id").execute();
  assert.deepEqual(rows.map((r) => r.match_id), ["m1", "m2", "m3"]);
  const players = await database.db.selectFrom("players").select(["player_id", "matches"]).orderBy("player_id").execute();
  assert.deepEqual(players.map((p) => p.matches), [3, 3, 3, 3], "each match counted once");
  assert.equal(await metric(registry, "bigtwo_records_lost_total"), 0);
});

test("a database whose writes hang never holds up a table: the match ends while its records wait", async (t) => {
  if (!(await postgresOrSkip(t))) return;
  const { database, url, drop } = await openTestDatabase("postgres");
  // Every insert into deals waits for an advisory lock this test holds.
  const holder = new pg.Client({ connectionString: url! });
  await holder.connect();
  t.after(async () => {
    await holder.end().catch(() => {});
    await drop();
  });
  await holder.query(`create function wait_for_test() returns trigger language plpgsql as $$ begin perform pg_advisory_lock(4242); perform pg_advisory_unlock(4242); return new; end $$`);
  await holder.query(`create trigger deals_wait before insert on deals for each row execute function wait_for_test()`);
  await holder.query(`select pg_advisory_lock(4242)`);

  const registry = new Registry();
  const recorder = new Recorder({ write: (jobs) => writeBatch(database.db, jobs), log: pino({ level: "silent" }), registry, ...quick });
  const table = await recordingTable({ seats: 4, deals: 3, botLevel: "random", turnSeconds: 0 }, {
    dealEnded: (r) => recorder.dealEnded(r),
    matchEnded: (r) => recorder.matchEnded(r),
  });
  let ended!: () => void;
  const over = new Promise<void>((r) => (ended = r));
  const watcher: Connection = { id: 99_001, kind: "socket", send: (f: OutFrame) => f.msg.type === "matchEnd" && ended(), close: () => {} };
  table.post({ type: "watch", playerId: "w", name: "w", conn: watcher });
  table.post({ type: "fill" });
  await over;
  table.close("test/done", "done");
  assert.equal(await metric(registry, "bigtwo_records_written_total"), 0, "nothing is written yet: the database is stuck");
  assert.ok(recorder.size >= 1, "the match's records wait in the queue");

  await holder.query(`select pg_advisory_unlock(4242)`);
  await recorder.flushed();
  assert.equal(await metric(registry, "bigtwo_records_written_total", { kind: "deal" }), 3);
  assert.equal(await metric(registry, "bigtwo_records_written_total", { kind: "match" }), 1);
  const m = await database.db.selectFrom("matches").select(["deals", "ranked"]).executeTakeFirstOrThrow();
  assert.deepEqual(m, { deals: 3, ranked: false });
});

test("a closed PGlite: records wait up to the bound, the rest are counted and logged; at shutdown what waits is counted and logged", async (t) => {
  const { database, drop } = await openTestDatabase("pglite");
  t.after(drop);
  const registry = new Registry();
  const { log, lines } = logCapture();
  const recorder = new Recorder({ write: (jobs) => writeBatch(database.db, jobs), log, registry, maxQueue: 5, ...quick });
  await database.close();
  queue(recorder, ["m1", "m2", "m3", "m4"]);
  assert.equal(recorder.size, 5);
  assert.equal(await metric(registry, "bigtwo_records_lost_total", { reason: "queue_full" }), 3);
  await until("a failed write", async () => (await metric(registry, "bigtwo_records_write_errors_total")) >= 1);
  assert.ok(lines.some((l) => /writing records failed/.test(l.msg)));

  await recorder.close(50);
  assert.equal(await metric(registry, "bigtwo_records_lost_total", { reason: "shutdown" }), 5);
  const lost = lines.filter((l) => l.reason === "queue_full" || l.reason === "shutdown");
  assert.equal(lost.length, 8, "every record not written is logged");
  assert.ok(lost.every((l) => typeof l.record === "object" && l.record !== null), "whole, so it can be written by hand");
});

test("a record the database refuses is given up after a few tries, logged whole, and does not hold back the others", async (t) => {
  const { database, drop } = await openTestDatabase("pglite");
  t.after(drop);
  const registry = new Registry();
  const { log, lines } = logCapture();
  const recorder = new Recorder({ write: (jobs) => writeBatch(database.db, jobs), log, registry, maxRejects: 3, ...quick });
  const [badDeal] = records("bad", "nul\u0000seed"); // PostgreSQL text cannot hold NUL
  const [d1, m1] = records("m1");
  recorder.dealEnded(d1);
  recorder.dealEnded(badDeal);
  recorder.matchEnded(m1);
  await recorder.flushed();
  assert.equal(await metric(registry, "bigtwo_records_lost_total", { reason: "rejected" }), 1);
  assert.equal(await metric(registry, "bigtwo_records_written_total"), 2);
  assert.ok(lines.some((l) => l.reason === "rejected" && JSON.stringify(l.record).includes("bad")));
  const rows = await database.db.selectFrom("deals").select("match_id").execute();
  assert.deepEqual(rows.map((r) => r.match_id), ["m1"]);
});
