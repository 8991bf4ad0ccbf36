// The hard bots' search pool with real worker threads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import pino from "pino";
import { legalActions, newDeal, viewFor, type PlayerView } from "../rules/index.ts";
import { SearchPool } from "./search-pool.ts";

const log = pino({ level: "silent" });
const view = (seed: string): PlayerView => {
  const deal = newDeal({ seats: 4, seed });
  return viewFor(deal, deal.turn);
};
const legal = (v: PlayerView, cards: string[]) => legalActions(v).plays.some((p) => p.cards.length === cards.length && p.cards.every((c) => cards.includes(c)));

test("a search runs on a worker thread and answers a legal move for the view it was given, with its time", async () => {
  const pool = new SearchPool({ workers: 1, maxQueued: 4, log });
  try {
    const v = view("pool-1");
    const r = await pool.search(v, "seed", 10);
    assert.ok(r);
    assert.equal(r.action.type, "play", "the leader plays");
    assert.ok(r.action.type === "play" && legal(v, r.action.cards), "a legal play");
    assert.ok(r.action.type === "play" && r.action.cards.includes(v.mustContain!), "the first play holds the lowest card");
    assert.ok(r.ms > 0 && r.ms < 5000, `took ${r.ms} ms`);
    // A second search on the same (now warm) worker answers too.
    const again = await pool.search(v, "seed2", 10);
    assert.ok(again?.action.type === "play" && legal(v, again.action.cards));
  } finally {
    await pool.close();
  }
});

test("past the queue's bound a search is refused at once (the bot plays its fallback); a failed search rejects; close rejects what waits", async () => {
  const pool = new SearchPool({ workers: 1, maxQueued: 1, log });
  const v = view("pool-2");
  const running = pool.search(v, "a", 200);
  const waiting = pool.search(v, "b", 200);
  assert.ok(running && waiting, "one runs, one waits");
  assert.equal(pool.search(v, "c", 200), null, "the queue is full: refused at once");
  assert.equal(pool.pending, 2);
  await running;
  await waiting;
  // A view the search cannot read: the worker answers an error, the caller falls back.
  await assert.rejects(pool.search({ ...v, variant: { nonsense: true } } as unknown as PlayerView, "d", 10)!, /search failed/);
  // Still serving after the failure.
  assert.ok(await pool.search(v, "e", 10));
  const last = assert.rejects(pool.search(v, "f", 500)!, /closed/);
  const queued = assert.rejects(pool.search(v, "g", 500)!, /closed/);
  await pool.close();
  await last;
  await queued;
  assert.equal(pool.search(v, "h", 10), null, "closed: refused");
});

test("the view a queued search waits with is the one it was asked for, though the bot's lists grow in place", async () => {
  const pool = new SearchPool({ workers: 1, maxQueued: 2, log });
  try {
    const v = view("pool-3");
    const busy = pool.search(v, "a", 100)!;
    const queued = pool.search(v, "b", 10)!;
    // What a bot's fold does while the search waits: the lists grow in place. Here every card
    // the others hold is marked played: a search of that view finds no cards left to deal them.
    const others = newDeal({ seats: 4, seed: "pool-3" }).hands.flat().filter((c) => !v.hand.includes(c));
    v.played.push(...others);
    await busy;
    const r = await queued;
    assert.ok(r.action.type === "play" && r.action.cards.includes(v.mustContain!), "searched the deal's opening, not the grown lists");
  } finally {
    await pool.close();
  }
});

test("workers that die without answering are replaced, three in a row stop the pool (the fallback from then on), logged once", async () => {
  const errors: string[] = [];
  const log = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
  const pool = new SearchPool({ workers: 1, maxQueued: 4, log });
  const v = view("pool-4");
  try {
    // A crash, caused: the worker is terminated while it searches.
    for (let i = 0; i < 3; i++) {
      const job = pool.search(v, `k${i}`, 2000)!;
      const rejected = assert.rejects(job, /exited/);
      await new Promise((r) => setTimeout(r, 300));
      await killBusyWorker(pool);
      await rejected;
    }
    assert.equal(pool.search(v, "after", 10), null, "stopped: every search falls back");
    assert.equal(errors.filter((l) => /search workers in a row failed/.test(l)).length, 1);
  } finally {
    await pool.close();
  }
});

/** Terminate the worker that is searching (the test's stand-in for a crash). */
async function killBusyWorker(pool: SearchPool): Promise<void> {
  const busy = pool.busyWorkers();
  assert.equal(busy.length, 1);
  await busy[0].terminate();
}

/** A stand-in worker that answers every search at once with a pass. */
const answersAtOnce = () =>
  new Worker(`const { parentPort } = require("node:worker_threads"); parentPort.postMessage({ ready: true }); parentPort.on("message", (r) => parentPort.postMessage({ id: r.id, ok: true, action: { type: "pass" }, ms: 1 }));`, { eval: true });

test("a worker that cannot start is counted as one that died: the search falls back, the next worker serves", async () => {
  let starts = 0;
  const pool = new SearchPool({
    workers: 1,
    maxQueued: 4,
    log,
    start: () => {
      if (starts++ === 0) throw new Error("no thread to be had");
      return answersAtOnce();
    },
  });
  try {
    await assert.rejects(pool.search(view("pool-5"), "a", 10)!, /could not start/);
    assert.deepEqual((await pool.search(view("pool-5"), "b", 10))?.action, { type: "pass" }, "the next search starts a worker and is answered");
    assert.equal(pool.pending, 0);
  } finally {
    await pool.close();
  }
});

test("a search that never answers is given up at its deadline: its worker is stopped and the next one serves", async () => {
  let starts = 0;
  const pool = new SearchPool({
    workers: 1,
    maxQueued: 4,
    log,
    start: () =>
      // The first worker takes every search and never answers; the second answers at once.
      starts++ === 0
        ? new Worker(`const { parentPort } = require("node:worker_threads"); parentPort.postMessage({ ready: true }); parentPort.on("message", () => {});`, { eval: true })
        : answersAtOnce(),
  });
  try {
    const t0 = performance.now();
    await assert.rejects(pool.search(view("pool-6"), "a", 10)!, /exited/);
    assert.ok(performance.now() - t0 >= 1900, "not before its deadline (2 s at the least)");
    assert.deepEqual((await pool.search(view("pool-6"), "b", 10))?.action, { type: "pass" });
  } finally {
    await pool.close();
  }
});
