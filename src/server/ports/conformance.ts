// One suite of behaviours that every implementation of the table-log and directory ports must
// show: the memory store and the Redis store run the same tests (conformance.test.ts). Leases
// are short and the tests poll for what must happen; no test depends on how fast the machine is.

import { describe, it, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { resolveVariant } from "../../rules/index.ts";
import type { TableSettings, TableSummary } from "../../protocol/index.ts";
import { newGame } from "../game.ts";
import type { Directory, ListingChange } from "./directory.ts";
import {
  FencedError,
  LogConflictError,
  type DealEntry,
  type LogEntry,
  type SeatRecord,
  type TableLog,
  type TableMeta,
} from "./table-log.ts";

export type Store = TableLog & Directory;

/** A cluster under test: every `node()` is a store of the same cluster, as one more node sees it. */
export interface Cluster {
  node(): Promise<Store>;
  /** Close the stores and forget everything the cluster wrote. */
  end(): Promise<void>;
}

/** A lease no test outlives. */
const LONG = 120_000;
/** A lease the tests wait out. */
const SHORT = 300;

export const settings: TableSettings = {
  name: "conformance",
  seats: 4,
  variant: resolveVariant(),
  turnSeconds: 30,
  deals: 4,
  lossLimit: null,
  private: false,
  botLevel: "easy",
  fillWithBotsAfter: null,
};

export function meta(tableId: string, code: string | null = null, matchId = "m1"): TableMeta {
  return { tableId, code, settings, matchId, createdAt: 1_700_000_000_000 };
}

const seats: SeatRecord[] = [0, 1, 2, 3].map((s) => ({ playerId: `p${s}`, name: `P${s}`, human: s === 0 }));

export function deal(n: number, dealNo = 1): DealEntry {
  const { match } = newGame(settings);
  return { kind: "deal", n, seq: n * 10, dealNo, seed: `seed-${n}`, leader: null, match, lastResult: null, seats, at: 1_700_000_000_000 + n };
}

export function action(n: number, seat = n % 4): LogEntry {
  return { kind: "action", n, seq: n * 10, action: { type: "pass", seat }, at: 1_700_000_000_000 + n };
}

/** Wait until `check` holds, polling; fails with `what` if it has not after `capMs` (a cap, not a timing claim). */
export async function until(what: string, check: () => Promise<boolean> | boolean, capMs = 20_000): Promise<void> {
  const stop = performance.now() + capMs;
  while (!(await check())) {
    if (performance.now() > stop) assert.fail(`still waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let ids = 0;
/** Ids unique within the process (each test also has a cluster of its own). */
export function fresh(what: string): string {
  return `${what}-${process.pid}-${++ids}`;
}

const node = (id: string) => ({ id, url: `https://${id}.example.test` });

/** Register the suite for one implementation. */
export function conformance(name: string, open: () => Promise<Cluster>): void {
  async function cluster(t: TestContext): Promise<Cluster> {
    const c = await open();
    t.after(() => c.end());
    return c;
  }

  /** A node that joined with `leaseMs`, and a table it claimed and created. */
  async function owning(c: Cluster, nodeId: string, leaseMs = LONG, code: string | null = null) {
    const store = await c.node();
    await store.join(node(nodeId), leaseMs);
    const tableId = fresh("t");
    const fence = await store.claim(tableId, code, nodeId);
    await store.create(meta(tableId, code), fence);
    return { store, tableId, fence };
  }

  describe(`${name}: the table log`, () => {
    it("keeps what was written: meta, a deal and the actions after it, in order", async (t) => {
      const c = await cluster(t);
      const { store, tableId, fence } = await owning(c, "a");
      assert.deepEqual(await store.read(tableId), { meta: meta(tableId), entries: [] });
      await store.restart(tableId, deal(1), fence);
      for (let n = 2; n <= 5; n++) await store.append(tableId, action(n), fence);
      const other = await c.node();
      assert.deepEqual(await other.read(tableId), { meta: meta(tableId), entries: [deal(1), action(2), action(3), action(4), action(5)] });
      assert.equal(await other.read(fresh("never-claimed")), null);
    });

    it("appends are idempotent by n: the same entry again is accepted once, a different one is a conflict", async (t) => {
      const c = await cluster(t);
      const { store, tableId, fence } = await owning(c, "a");
      await store.restart(tableId, deal(1), fence);
      await store.append(tableId, action(2), fence);
      await store.append(tableId, action(2), fence); // a retry after a lost reply
      await store.append(tableId, action(3), fence);
      await store.append(tableId, action(2), fence); // an old retry, late
      await assert.rejects(async () => store.append(tableId, action(3, 0), fence), LogConflictError);
      await assert.rejects(async () => store.append(tableId, action(2, 1), fence), LogConflictError);
      assert.deepEqual((await store.read(tableId))?.entries, [deal(1), action(2), action(3)]);
    });

    it("refuses gaps: n must be the next number", async (t) => {
      const c = await cluster(t);
      const { store, tableId, fence } = await owning(c, "a");
      await assert.rejects(async () => store.append(tableId, action(2), fence), LogConflictError);
      await store.restart(tableId, deal(1), fence);
      await assert.rejects(async () => store.append(tableId, action(3), fence), LogConflictError);
      await assert.rejects(async () => store.restart(tableId, deal(5), fence), LogConflictError);
      await store.append(tableId, action(2), fence);
      assert.deepEqual((await store.read(tableId))?.entries, [deal(1), action(2)]);
    });

    it("restart truncates the log to the new deal entry, keeps numbering, is idempotent, and may replace meta", async (t) => {
      const c = await cluster(t);
      const { store, tableId, fence } = await owning(c, "a");
      await store.restart(tableId, deal(1), fence);
      await store.append(tableId, action(2), fence);
      await store.append(tableId, action(3), fence);
      const next = deal(4, 2);
      await store.restart(tableId, next, fence);
      assert.deepEqual(await store.read(tableId), { meta: meta(tableId), entries: [next] });
      await store.restart(tableId, next, fence); // a retry
      await assert.rejects(async () => store.restart(tableId, deal(4, 3), fence), LogConflictError);
      await store.append(tableId, action(5), fence);
      const match2 = meta(tableId, null, "m2");
      await store.restart(tableId, deal(6, 1), fence, match2);
      assert.deepEqual(await store.read(tableId), { meta: match2, entries: [deal(6, 1)] });
    });

    it("rewrite replaces the whole log from memory, and appends continue after it", async (t) => {
      const c = await cluster(t);
      const { store, tableId, fence } = await owning(c, "a");
      await store.restart(tableId, deal(1), fence);
      await store.append(tableId, action(2), fence);
      const entries = [deal(7), action(8), action(9)];
      await store.rewrite(meta(tableId), entries, fence);
      assert.deepEqual((await store.read(tableId))?.entries, entries);
      await store.append(tableId, action(10), fence);
      await assert.rejects(async () => store.append(tableId, action(12), fence), LogConflictError);
      assert.equal((await store.read(tableId))?.entries.length, 4);
    });

    it("drop empties the log only for the current fence", async (t) => {
      const c = await cluster(t);
      const { store, tableId, fence } = await owning(c, "a");
      await store.restart(tableId, deal(1), fence);
      await store.drop(tableId, { node: "a", epoch: fence.epoch + 1 });
      await store.drop(tableId, { node: "b", epoch: fence.epoch });
      assert.equal((await store.read(tableId))?.entries.length, 1);
      await store.drop(tableId, fence);
      assert.deepEqual((await store.read(tableId))?.entries, []);
    });
  });

  describe(`${name}: fencing`, () => {
    it("a node's writes are refused once another node adopted its table, and the adopter's go on", async (t) => {
      const c = await cluster(t);
      const a = await owning(c, "a");
      await a.store.restart(a.tableId, deal(1), a.fence);
      const b = await c.node();
      await b.join(node("b"), LONG);
      assert.equal(await b.adopt(a.tableId, "b"), null, "a live owner keeps its table");
      await a.store.leave("a");
      const fb = await b.adopt(a.tableId, "b");
      assert.deepEqual(fb, { node: "b", epoch: a.fence.epoch + 1 });
      await assert.rejects(async () => a.store.append(a.tableId, action(2), a.fence), FencedError);
      await assert.rejects(async () => a.store.restart(a.tableId, deal(2), a.fence), FencedError);
      await assert.rejects(async () => a.store.create(meta(a.tableId), a.fence), FencedError);
      await assert.rejects(async () => a.store.rewrite(meta(a.tableId), [deal(1), action(2)], a.fence), FencedError);
      // The refused writes left nothing behind; the adopter continues the same log.
      assert.deepEqual((await b.read(a.tableId))?.entries, [deal(1)]);
      await b.append(a.tableId, action(2), fb!);
      // The old owner, back with a new lease, still holds a stale epoch.
      await a.store.join(node("a"), LONG);
      await assert.rejects(async () => a.store.append(a.tableId, action(3), a.fence), FencedError);
      // Stale fences cannot close or empty the table either.
      await a.store.drop(a.tableId, a.fence);
      await a.store.remove(a.tableId, a.fence);
      assert.deepEqual((await b.read(a.tableId))?.entries, [deal(1), action(2)]);
      assert.deepEqual(await b.owner(a.tableId), { ...fb, url: node("b").url });
    });

    it("a fence of the right epoch is refused once its node's lease ran out, before anyone adopts", async (t) => {
      const c = await cluster(t);
      const a = await owning(c, "a", SHORT);
      await a.store.restart(a.tableId, deal(1), a.fence);
      await until("the lease of a runs out", async () => (await a.store.liveNodes()).every((n) => n.id !== "a"));
      await assert.rejects(async () => a.store.append(a.tableId, action(2), a.fence), FencedError);
      assert.equal(await a.store.renew("a", LONG), false, "an expired lease cannot be renewed: rejoin");
      // Rejoining and re-claiming (adopting its own table) gives a new epoch; the old one stays refused.
      await a.store.join(node("a"), LONG);
      const again = await a.store.adopt(a.tableId, "a");
      assert.deepEqual(again, { node: "a", epoch: a.fence.epoch + 1 });
      await assert.rejects(async () => a.store.append(a.tableId, action(2), a.fence), FencedError);
      await a.store.append(a.tableId, action(2), again!);
    });

    it("renew keeps a live lease, and a node that left cannot renew", async (t) => {
      const c = await cluster(t);
      const a = await owning(c, "a");
      assert.equal(await a.store.renew("a", LONG), true);
      await a.store.append(a.tableId, action(1), a.fence);
      await a.store.leave("a");
      assert.equal(await a.store.renew("a", LONG), false);
      await assert.rejects(async () => a.store.append(a.tableId, action(2), a.fence), FencedError);
    });
  });

  describe(`${name}: nodes and ownership`, () => {
    it("lists live nodes with their URLs; owner names the owner and its URL while it is live", async (t) => {
      const c = await cluster(t);
      const a = await owning(c, "a");
      const b = await c.node();
      await b.join(node("b"), LONG);
      const live = (await b.liveNodes()).sort((x, y) => x.id.localeCompare(y.id));
      assert.deepEqual(live, [node("a"), node("b")]);
      assert.deepEqual(await b.owner(a.tableId), { node: "a", epoch: 1, url: node("a").url });
      assert.equal(await b.owner(fresh("nobody")), null);
      await a.store.leave("a");
      assert.deepEqual(await b.owner(a.tableId), { node: "a", epoch: 1, url: null });
      assert.deepEqual(await b.liveNodes(), [node("b")]);
    });

    it("claim refuses a table id or an invite code that is taken; two nodes claiming one id: one wins", async (t) => {
      const c = await cluster(t);
      const a = await c.node();
      const b = await c.node();
      await a.join(node("a"), LONG);
      await b.join(node("b"), LONG);
      const id = fresh("t");
      const results = await Promise.allSettled([a.claim(id, null, "a"), b.claim(id, null, "b")]);
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1, JSON.stringify(results));
      const winner = results[0].status === "fulfilled" ? "a" : "b";
      assert.deepEqual(await a.owner(id), { node: winner, epoch: 1, url: node(winner).url });
      await assert.rejects(() => a.claim(id, null, "a"));
      const code = fresh("CODE");
      await a.claim(fresh("t"), code, "a");
      const taken = fresh("t");
      await assert.rejects(() => b.claim(taken, code, "b"));
      assert.equal(await b.owner(taken), null, "a refused claim leaves nothing behind");
    });

    it("a node's tables become orphans when its lease runs out, and another node adopts them", async (t) => {
      const c = await cluster(t);
      const a = await owning(c, "a", SHORT);
      const b = await c.node();
      await b.join(node("b"), LONG);
      await until("a's table is an orphan", async () => (await b.orphans(10)).includes(a.tableId));
      const fb = await b.adopt(a.tableId, "b");
      assert.deepEqual(fb, { node: "b", epoch: 2 });
      assert.deepEqual(await b.orphans(10), []);
      assert.deepEqual(await b.tablesOf("b"), [a.tableId]);
      assert.deepEqual(await b.tablesOf("a"), []);
    });

    it("leave makes a node's tables orphans at once", async (t) => {
      const c = await cluster(t);
      const a = await owning(c, "a");
      const second = await a.store.claim(fresh("t"), null, "a");
      assert.equal(second.epoch, 1);
      const b = await c.node();
      await b.join(node("b"), LONG);
      assert.deepEqual(await b.orphans(10), []);
      assert.equal((await b.tablesOf("a")).length, 2);
      await a.store.leave("a");
      const orphans = await b.orphans(10);
      assert.equal(orphans.length, 2);
      assert.ok(orphans.includes(a.tableId));
      assert.equal((await b.orphans(1)).length, 1, "orphans is bounded by its limit");
    });

    it("two nodes adopting the same orphans at once: exactly one wins each table", async (t) => {
      const c = await cluster(t);
      const a = await c.node();
      await a.join(node("a"), LONG);
      const tables = Array.from({ length: 12 }, () => fresh("t"));
      for (const id of tables) await a.claim(id, null, "a");
      const b = await c.node();
      const d = await c.node();
      await b.join(node("b"), LONG);
      await d.join(node("d"), LONG);
      await a.leave("a");
      for (const id of tables) {
        const [fb, fd] = await Promise.all([b.adopt(id, "b"), d.adopt(id, "d")]);
        assert.ok((fb === null) !== (fd === null), `exactly one adopter of ${id}: ${JSON.stringify([fb, fd])}`);
        const won = (fb ?? fd)!;
        assert.equal(won.epoch, 2);
        assert.deepEqual(await b.owner(id), { ...won, url: node(won.node).url });
        // The loser, trying its luck with the epoch it would have had, is fenced.
        const loser = won.node === "b" ? { store: d, node: "d" } : { store: b, node: "b" };
        await assert.rejects(async () => loser.store.append(id, action(1), { node: loser.node, epoch: 2 }), FencedError);
      }
      const owned = [...(await b.tablesOf("b")), ...(await d.tablesOf("d"))].sort();
      assert.deepEqual(owned, [...tables].sort());
    });

    it("a node may re-claim its own table (after losing its lease); the epoch grows", async (t) => {
      const c = await cluster(t);
      const a = await owning(c, "a");
      const again = await a.store.adopt(a.tableId, "a");
      assert.deepEqual(again, { node: "a", epoch: 2 });
      await assert.rejects(async () => a.store.append(a.tableId, action(1), a.fence), FencedError);
      await a.store.append(a.tableId, action(1), again!);
    });

    it("remove forgets a table and its code, only for its current fence", async (t) => {
      const c = await cluster(t);
      const code = fresh("CODE");
      const a = await owning(c, "a", LONG, code);
      assert.equal(await a.store.tableOfCode(code), a.tableId);
      await a.store.remove(a.tableId, { node: "a", epoch: 7 });
      assert.equal(await a.store.tableOfCode(code), a.tableId);
      await a.store.remove(a.tableId, a.fence);
      assert.equal(await a.store.tableOfCode(code), null);
      assert.equal(await a.store.owner(a.tableId), null);
      assert.equal(await a.store.read(a.tableId), null);
      assert.deepEqual(await a.store.tablesOf("a"), []);
      // The code is free again.
      await a.store.claim(fresh("t"), code, "a");
    });
  });

  describe(`${name}: lookups and the listing`, () => {
    it("finds a table by its invite code and a player's table, from any node", async (t) => {
      const c = await cluster(t);
      const code = fresh("CODE");
      const a = await owning(c, "a", LONG, code);
      const b = await c.node();
      assert.equal(await b.tableOfCode(code), a.tableId);
      assert.equal(await b.tableOfCode(fresh("NOPE")), null);
      await a.store.setPlayer("p1", a.tableId);
      assert.equal(await b.playerTable("p1"), a.tableId);
      await a.store.setPlayer("p1", "elsewhere");
      assert.equal(await b.playerTable("p1"), "elsewhere");
      await b.setPlayer("p1", null);
      assert.equal(await a.store.playerTable("p1"), null);
      assert.equal(await a.store.playerTable("p2"), null);
    });

    it("listing changes reach another node's subscriber, and the listing holds the cluster's tables", async (t) => {
      const c = await cluster(t);
      const a = await c.node();
      const b = await c.node();
      const seen: ListingChange[] = [];
      const stop = await b.onListing((change) => seen.push(change));
      const summary = (tableId: string, taken: number): TableSummary => ({
        tableId,
        name: "open table",
        seats: 4,
        taken,
        humans: taken,
        status: "waiting",
        variant: settings.variant,
        turnSeconds: 30,
        deals: null,
        lossLimit: null,
      });
      await a.publish({ table: summary("t1", 1) });
      await a.publish({ table: summary("t2", 2) });
      await a.publish({ table: summary("t1", 3) });
      await a.publish({ remove: "t2" });
      await until("four changes reach b", () => seen.length >= 4);
      assert.deepEqual(seen, [{ table: summary("t1", 1) }, { table: summary("t2", 2) }, { table: summary("t1", 3) }, { remove: "t2" }]);
      assert.deepEqual(await b.listing(), [summary("t1", 3)]);
      await stop();
      await a.publish({ remove: "t1" });
      // A marker change that a fresh subscriber does see shows the stopped one had its chance.
      const later: ListingChange[] = [];
      const stop2 = await b.onListing((change) => later.push(change));
      await a.publish({ remove: "marker" });
      await until("the marker reaches the new subscriber", () => later.some((x) => "remove" in x && x.remove === "marker"));
      await stop2();
      assert.equal(seen.length, 4, "a stopped subscriber hears nothing more");
      assert.deepEqual(await a.listing(), []);
    });
  });
}

