// The port conformance suite against the memory store and against the Redis store on a real
// Redis (REDIS_URL, default 127.0.0.1:6379; `.ci/run` starts one). Each Redis test works under a
// key prefix of its own and deletes its keys after; nothing else in that Redis is touched.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { createClient } from "redis";
import { RedisStore } from "../adapters/redis-store.ts";
import { MemoryStore } from "./memory.ts";
import { action, conformance, deal, fresh, meta, until, type Cluster } from "./conformance.ts";
import { FencedError, LogUnavailableError } from "./table-log.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

conformance("MemoryStore", async () => {
  const store = new MemoryStore();
  return { node: async () => store, end: () => store.close() };
});

const admin = createClient({ url: REDIS_URL });
admin.on("error", () => {});

before(async () => {
  try {
    await admin.connect();
    await admin.ping();
  } catch (err) {
    throw new Error(`Redis is not reachable at ${REDIS_URL}: start one (redis-server --daemonize yes --save '' --appendonly no) or set REDIS_URL`, { cause: err });
  }
});
after(() => admin.close());

/** Delete every key under `prefix` (and only those). */
async function forget(prefix: string): Promise<number> {
  let n = 0;
  for await (const keys of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) n += await admin.del(keys);
  }
  return n;
}

interface RedisCluster extends Cluster {
  prefix: string;
  /** A store of this cluster through another URL (a proxy), with its own command timeout. */
  nodeAt(url: string, timeoutMs: number): Promise<RedisStore>;
}

async function redisCluster(): Promise<RedisCluster> {
  const prefix = `bigtwo-test:${randomBytes(6).toString("hex")}:`;
  const stores: RedisStore[] = [];
  const open = async (url: string, timeoutMs?: number) => {
    const s = await RedisStore.connect(url, { prefix, timeoutMs });
    stores.push(s);
    return s;
  };
  return {
    prefix,
    node: () => open(REDIS_URL),
    nodeAt: open,
    async end() {
      await Promise.all(stores.map((s) => s.close()));
      await forget(prefix);
    },
  };
}

conformance("RedisStore", redisCluster);

/** A TCP proxy to Redis that a test can cut (Redis unreachable) or hold (Redis not answering). */
class Proxy {
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | null = null;
  port = 0;
  hold = false;
  readonly #held: { to: net.Socket; data: Buffer }[] = [];

  async start(): Promise<void> {
    const target = new URL(REDIS_URL);
    this.#server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 6379), target.hostname);
      this.#sockets.add(client).add(upstream);
      client.on("data", (data) => (this.hold ? this.#held.push({ to: upstream, data }) : upstream.write(data)));
      upstream.on("data", (data) => client.write(data));
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      client.on("close", end).on("error", end);
      upstream.on("close", end).on("error", end);
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  /** Forward what was held back. */
  release(): void {
    this.hold = false;
    for (const { to, data } of this.#held.splice(0)) to.write(data);
  }

  /** Close every connection and stop listening: Redis is unreachable. */
  async cut(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
}

describe("RedisStore beyond the ports", () => {
  it("keeps every key under its prefix, and a test's keys go when it ends", async (t) => {
    const c = await redisCluster();
    t.after(() => c.end());
    const s = await c.node();
    await s.join({ id: "a", url: "https://a.example.test" }, 60_000);
    const id = fresh("t");
    const fence = await s.claim(id, "PREFIXED", "a");
    await s.create(meta(id, "PREFIXED"), fence);
    await s.restart(id, deal(1), fence);
    await s.setPlayer("p1", id);
    await s.publish({ remove: "nothing" });
    const keys: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: `${c.prefix}*`, COUNT: 500 })) keys.push(...batch);
    assert.deepEqual(
      keys.map((k) => k.slice(c.prefix.length)).sort(),
      ["code:PREFIXED", `log:${id}`, "lease:a", "nodes", "owners", `player:p1`, `table:${id}`, "tables:a"].sort(),
    );
    await c.end();
    let left = 0;
    for await (const batch of admin.scanIterator({ MATCH: `${c.prefix}*`, COUNT: 500 })) left += batch.length;
    assert.equal(left, 0);
  });

  it("Redis lost everything: writes are refused as unavailable (not fenced), then the node re-claims and rewrites", async (t) => {
    const c = await redisCluster();
    t.after(() => c.end());
    const a = await c.node();
    await a.join({ id: "a", url: "https://a.example.test" }, 60_000);
    const id = fresh("t");
    const code = fresh("CODE");
    const fence = await a.claim(id, code, "a");
    await a.create(meta(id, code), fence);
    await a.restart(id, deal(1), fence);
    await a.append(id, action(2), fence);

    assert.ok((await forget(c.prefix)) > 0); // what an empty Redis after a restart looks like to this cluster

    await assert.rejects(async () => a.append(id, action(3), fence), LogUnavailableError);
    assert.equal(await a.renew("a", 60_000), false, "the lease went with everything else");
    await a.join({ id: "a", url: "https://a.example.test" }, 60_000);
    // Back in the cluster but the table not re-claimed yet: still unavailable, still not fenced.
    await assert.rejects(async () => a.append(id, action(3), fence), LogUnavailableError);
    const again = await a.adopt(id, "a");
    assert.deepEqual(again, { node: "a", epoch: 1 });
    await a.rewrite(meta(id, code), [deal(1), action(2)], again!);
    await a.append(id, action(3), again!);
    assert.deepEqual(await a.read(id), { meta: meta(id, code), entries: [deal(1), action(2), action(3)] });
    assert.equal(await a.tableOfCode(code), id, "the rewrite restored the invite code");
    assert.deepEqual(await a.tablesOf("a"), [id]);
    assert.deepEqual(await a.owner(id), { node: "a", epoch: 1, url: "https://a.example.test" });
  });

  it("leave is announced to the other nodes at once (onNodeLeft)", async (t) => {
    const c = await redisCluster();
    t.after(() => c.end());
    const a = await c.node();
    const b = (await c.node()) as RedisStore;
    const left: string[] = [];
    await b.onNodeLeft((id) => left.push(id));
    await a.join({ id: "a", url: "https://a.example.test" }, 60_000);
    await a.leave("a");
    await a.leave("a"); // a second leave has no lease to give up: no second notice
    await until("b hears that a left", () => left.length > 0);
    // One subscriber connection gets both channels in publish order: once the marker is in, a
    // second notice would have come before it.
    const marker: unknown[] = [];
    await b.onListing((change) => marker.push(change));
    await b.publish({ remove: "marker" });
    await until("the marker arrives", () => marker.length > 0);
    assert.deepEqual(left, ["a"]);
  });

  it("a closed table stays closed: its old fence is refused as fenced, and nobody adopts it", async (t) => {
    const c = await redisCluster();
    t.after(() => c.end());
    const a = await c.node();
    await a.join({ id: "a", url: "https://a.example.test" }, 60_000);
    const id = fresh("t");
    const fence = await a.claim(id, null, "a");
    await a.create(meta(id), fence);
    await a.remove(id, fence);
    await assert.rejects(async () => a.append(id, action(1), fence), FencedError);
    assert.equal(await a.adopt(id, "a"), null);
    assert.equal(await a.owner(id), null);
  });

  it("Redis unreachable: writes fail as unavailable without crashing, and succeed again when it is back", async (t) => {
    const c = await redisCluster();
    t.after(() => c.end());
    const proxy = new Proxy();
    await proxy.start();
    t.after(() => proxy.cut());
    const a = await c.nodeAt(proxy.url, 2000);
    await a.join({ id: "a", url: "https://a.example.test" }, 60_000);
    const id = fresh("t");
    const fence = await a.claim(id, null, "a");
    await a.create(meta(id), fence);
    await a.restart(id, deal(1), fence);

    await proxy.cut();
    await assert.rejects(async () => a.append(id, action(2), fence), LogUnavailableError);
    await assert.rejects(() => a.renew("a", 60_000), LogUnavailableError);
    await assert.rejects(() => a.read(id), LogUnavailableError);

    await proxy.start(); // the same port: the client reconnects by itself
    await until("the store answers again", () => a.append(id, action(2), fence).then(() => true, () => false));
    assert.deepEqual((await a.read(id))?.entries, [deal(1), action(2)]);
  });

  it("Redis not answering: a write times out as unavailable; when it lands later, the retry is accepted once", async (t) => {
    const c = await redisCluster();
    t.after(() => c.end());
    const proxy = new Proxy();
    await proxy.start();
    t.after(() => proxy.cut());
    const a = await c.nodeAt(proxy.url, 300);
    await a.join({ id: "a", url: "https://a.example.test" }, 60_000);
    const id = fresh("t");
    const fence = await a.claim(id, null, "a");
    await a.create(meta(id), fence);
    await a.restart(id, deal(1), fence);

    proxy.hold = true;
    await assert.rejects(async () => a.append(id, action(2), fence), LogUnavailableError);
    proxy.release(); // the append reaches Redis after all
    const b = await c.node();
    await until("the late append is in the log", async () => (await b.read(id))?.entries.length === 2);
    await a.append(id, action(2), fence); // the table's retry of the same entry
    assert.deepEqual((await b.read(id))?.entries, [deal(1), action(2)]);
  });
});
