// Several real node processes sharing the real Redis (REDIS_URL, default 127.0.0.1:6379) under a
// key prefix of their own: failover after kill -9, fencing after SIGSTOP, hand-over on SIGTERM,
// a restart of a lone node, and Redis forgetting everything. The checker: every play a client saw
// accepted is in the final log, in order, with entries numbered without gaps.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { BotBrain } from "../bots/brain.ts";
import { greedyStrategy } from "../bots/strategies/index.ts";
import type { DealEvent, PlayerView } from "../rules/index.ts";
import type { ServerMessage } from "../protocol/index.ts";
import { RedisStore } from "./adapters/redis-store.ts";
import { TestClient } from "./test-client.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SECRET = "cluster-test-secret-0123456789";
const LEASE_MS = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Node {
  id: string;
  proc: ChildProcess;
  url: string;
  /** Where its /metrics is (a port of its own). */
  metrics: string;
  exited: Promise<number | null>;
}

function cluster() {
  const prefix = `bt-test-${randomBytes(4).toString("hex")}:`;
  const nodes: Node[] = [];
  const start = async (id: string, extra: Record<string, string> = {}): Promise<Node> => {
    const proc = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], {
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        REDIS_URL,
        // Several nodes keep records only in a shared PostgreSQL (config.ts); these tests keep none.
        RECORDS: "off",
        METRICS_PORT: "0",
        REDIS_PREFIX: prefix,
        SESSION_SECRET: SECRET,
        NODE_ID: id,
        LEASE_MS: String(LEASE_MS),
        BOT_THINK_MS: "40",
        SHUTDOWN_TIMEOUT_MS: "5000",
        ...extra,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
    // A listener that stays reads stdout to the end: leaving a `for await` loop would destroy the
    // stream, and the node's next line (a warning) would kill it with EPIPE.
    return new Promise<Node>((resolve, reject) => {
      let out = "";
      proc.stdout!.on("data", (chunk: Buffer) => {
        out += chunk;
        const m = out.match(/Big Two Online on (http:\/\/[\d.]+:\d+)/);
        const metrics = out.match(/metrics on (http:\/\/[\d.]+:\d+\/metrics)/);
        if (m && metrics && !nodes.some((n) => n.proc === proc)) {
          const node = { id, proc, url: m[1], metrics: metrics[1], exited };
          nodes.push(node);
          resolve(node);
        }
      });
      proc.once("exit", () => reject(new Error(`node ${id} did not start: ${out}`)));
    });
  };
  const cleanup = async () => {
    for (const n of nodes) n.proc.kill("SIGKILL");
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length) await redis.del(keys);
    await redis.quit();
  };
  return { prefix, start, cleanup };
}

/** A human at a table of three quick bots, playing greedily; every accepted play it saw is recorded. */
class Player {
  client!: TestClient;
  seen: { seq: number; event: DealEvent }[] = [];
  hands: string[][] = [];
  constructor(readonly token?: string) {}

  attach(c: TestClient): void {
    this.client = c;
    const brain = new BotBrain({ strategy: greedyStrategy, thinkMs: () => 0, send: (m) => c.send(m) });
    const take = (m: ServerMessage) => {
      brain.receive(m);
      if (m.type === "play") this.seen.push({ seq: m.seq, event: m.event });
      if ((m.type === "snapshot" || m.type === "deal") && m.deal && "hand" in m.deal) this.hands.push([...(m.deal as PlayerView).hand]);
    };
    for (const m of c.received) take(m);
    c.onMessage = take;
  }

  /** The deal's end, or an error that says where the deal stood (whose turn, the last plays). */
  async dealEnd(ms = 30_000): Promise<void> {
    try {
      await this.client.next("dealEnd", () => true, ms);
    } catch (error) {
      const snap = this.client.received.filter((m): m is Extract<ServerMessage, { type: "snapshot" }> => m.type === "snapshot").at(-1);
      const view = snap?.deal as PlayerView | undefined;
      const last = this.seen.slice(-4).map((s) => `${s.event.seat}:${s.event.type}`).join(" ");
      throw new Error(`${(error as Error).message}; at the last snapshot: seat ${snap?.seat}, turn ${view?.turn}, status ${snap?.status}; plays seen ${this.seen.length}, last ${last}`, { cause: error });
    }
  }

  /** Reconnect with the token through `urls` until a node attaches us to our seat (following redirects). */
  async comeBack(urls: string[], token: string, withinMs = 15_000): Promise<{ ms: number; snapshot: Extract<ServerMessage, { type: "snapshot" }> }> {
    const t0 = Date.now();
    let i = 0;
    let url = urls[0];
    while (Date.now() - t0 < withinMs) {
      try {
        // A stopped node accepts the TCP connection but never answers: give up on it after a while.
        const c = await Promise.race([TestClient.player(url, "Mei", token), sleep(2000).then(() => Promise.reject(new Error("no answer")))]);
        const reply = await Promise.race([c.next("snapshot", () => true, 3000), c.next("redirect", () => true, 3000)]);
        if (reply.type === "snapshot") {
          this.attach(c);
          return { ms: Date.now() - t0, snapshot: reply };
        }
        c.close();
        url = reply.url; // the owner as the directory knows it; it may be the dead one until its lease runs out
      } catch {
        url = urls[++i % urls.length];
      }
      await sleep(200);
    }
    throw new Error("did not get back to the seat in time");
  }
}

/** Every play the player saw is in the log, in order; the log's entries have no gaps. */
async function checkLog(prefix: string, tableId: string, seen: { seq: number; event: DealEvent }[]): Promise<number> {
  const store = await RedisStore.connect(REDIS_URL, { prefix });
  try {
    const stored = await store.read(tableId);
    assert.ok(stored, "the table's log is in Redis");
    const { entries } = stored;
    entries.forEach((e, i) => assert.equal(e.n, entries[0].n + i, "log entries are numbered without gaps"));
    const actions = entries.flatMap((e) => (e.kind === "action" ? [e.action] : []));
    const unique = [...new Map(seen.map((s) => [s.seq, s.event])).values()];
    let at = 0;
    for (const ev of unique) {
      while (at < actions.length && !(actions[at].seat === ev.seat && (ev.type === "pass" ? actions[at].type !== "play" : actions[at].type !== "pass" && JSON.stringify([...((actions[at] as { cards?: string[] }).cards ?? ev.combo.cards)].sort()) === JSON.stringify([...ev.combo.cards].sort()))))
        at++;
      assert.ok(at < actions.length, `a play the client saw accepted (seat ${ev.seat} ${ev.type}) is in the log`);
      at++;
    }
    return unique.length;
  } finally {
    await store.close();
  }
}

async function startTable(node: Node, player: Player): Promise<{ tableId: string; token: string }> {
  const c = await TestClient.player(node.url, "Mei");
  player.attach(c);
  c.send({ type: "table.create", id: 1, settings: { bots: 3, deals: 1, turnSeconds: 0, botLevel: "easy" } });
  const joined = await c.next("joined", (m) => m.id === 1);
  await c.next("deal");
  return { tableId: joined.tableId, token: c.welcome.token };
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting: ${what}`);
    await sleep(25);
  }
}

describe("several nodes sharing Redis", { timeout: 600_000 }, () => {
  const c = cluster();
  after(() => c.cleanup());

  test("kill -9 of the owner mid-deal: another node adopts the table, the player is back in the same seat with the same hand, no play is lost", async () => {
    const a = await c.start("a1");
    const b = await c.start("b1");
    const p = new Player();
    const { tableId, token } = await startTable(a, p);
    // Welcome names the live nodes (a node learns of another within a third of the lease).
    let nodes: string[] = [];
    for (let i = 0; i < 50 && nodes.length < 2; i++) {
      const probe = await TestClient.player(a.url, "Probe");
      nodes = probe.welcome.nodes ?? [];
      probe.close();
      if (nodes.length < 2) await sleep(100);
    }
    assert.deepEqual(nodes.sort(), [a.url, b.url].sort(), "welcome names the live nodes");
    await waitFor(() => p.seen.length >= 6, 15_000, "six plays");
    const before = await new Promise<Extract<ServerMessage, { type: "snapshot" }>>((resolve) => {
      // The freshest view of the hand: ask for a snapshot by reconnecting? No: read the last hand the player holds.
      resolve(p.client.received.filter((m): m is Extract<ServerMessage, { type: "snapshot" }> => m.type === "snapshot").at(-1)!);
    });
    a.proc.kill("SIGKILL");
    const myPlays = p.seen.filter((s) => s.event.type === "play" && s.event.seat === before.seat).flatMap((s) => (s.event.type === "play" ? s.event.combo.cards : []));
    const { snapshot } = await p.comeBack([b.url], token);
    assert.equal(snapshot.tableId, tableId);
    assert.equal(snapshot.seat, before.seat, "the same seat");
    const hand = (snapshot.deal as PlayerView).hand;
    const dealt = p.hands[0];
    // The hand as dealt, less what the player played before the kill and whatever was played for them since.
    assert.ok(hand.every((card) => dealt.includes(card)), "the same hand (cards from the one dealt)");
    assert.ok(myPlays.every((card) => !hand.includes(card)), "cards played before the kill are gone from it");
    // The deal plays on to its end on the new node.
    await p.dealEnd();
    const checked = await checkLog(c.prefix, tableId, p.seen);
    assert.ok(checked >= 6);
    const metrics = await (await fetch(b.metrics)).text();
    assert.match(metrics, /bigtwo_tables_adopted_total 1/);
  });

  test("SIGSTOP past the lease, then SIGCONT: the stalled node writes nothing, drops the table and sends its player to the new owner", async () => {
    const a = await c.start("a2");
    const b = await c.start("b2");
    const p = new Player();
    const { tableId, token } = await startTable(a, p);
    await waitFor(() => p.seen.length >= 3, 15_000, "three plays");
    a.proc.kill("SIGSTOP");
    // The player, cut off from the stalled node, comes back through the other one, which adopts the table.
    const { snapshot } = await p.comeBack([b.url], token);
    assert.equal(snapshot.tableId, tableId);
    a.proc.kill("SIGCONT");
    await p.dealEnd();
    await checkLog(c.prefix, tableId, p.seen);
    // The woken node holds no table: it gave the table up when its lease was refused.
    let aTables = "";
    for (let i = 0; i < 40; i++) {
      aTables = (await (await fetch(a.metrics)).text()).match(/^bigtwo_tables_active (\d+)/m)?.[1] ?? "";
      if (aTables === "0") break;
      await sleep(100);
    }
    assert.equal(aTables, "0", "the woken node dropped the table");
  });

  test("SIGTERM hands the tables over at once; a lone node restarted takes its tables back", async () => {
    const a = await c.start("a3");
    const b = await c.start("b3");
    const p = new Player();
    const { tableId, token } = await startTable(a, p);
    await waitFor(() => p.seen.length >= 3, 15_000, "three plays");
    a.proc.kill("SIGTERM");
    assert.equal(await a.exited, 0, "the node drained and exited 0");
    // It left the cluster on its way out: its tables are adoptable now, not when its lease runs out.
    const store = await RedisStore.connect(REDIS_URL, { prefix: c.prefix });
    const left = Date.now();
    const live = (await store.liveNodes()).map((n) => n.id);
    // (Nodes of the earlier tests of this suite may still be live under the same prefix.)
    assert.ok(live.includes("b3") && !live.includes("a3"), `live nodes: ${live.join(", ")}`);
    // The table is an orphan, or b has adopted it already. An adoption is counted once it is
    // installed, a moment after b claimed the table: look again until it is one or the other,
    // well within the lease a dead node's tables would wait for.
    const adopted = async () => Number(/^bigtwo_tables_adopted_total (\d+)/m.exec(await fetch(b.metrics).then((r) => r.text()))?.[1] ?? 0);
    let handedOver = false;
    while (!handedOver && Date.now() - left < LEASE_MS / 2) {
      handedOver = (await store.orphans(10)).includes(tableId) || (await adopted()) >= 1;
      if (!handedOver) await sleep(50);
    }
    await store.close();
    assert.ok(handedOver, `within ${LEASE_MS / 2} ms of the exit the table is an orphan or adopted by b`);
    const { snapshot } = await p.comeBack([b.url], token);
    assert.equal(snapshot.tableId, tableId);

    // Now b is alone: kill it and start it again with the same node id.
    const seenBefore = p.seen.length;
    b.proc.kill("SIGKILL");
    const b2 = await c.start("b3");
    const back = await p.comeBack([b2.url], token);
    assert.equal(back.snapshot.tableId, tableId);
    await p.dealEnd();
    assert.ok(p.seen.length > seenBefore);
    await checkLog(c.prefix, tableId, p.seen);
  });

  test("Redis forgetting everything (the prefix's keys deleted) does not stop a table: the node claims it again and writes its log anew", async () => {
    const a = await c.start("a4");
    const p = new Player();
    const { tableId } = await startTable(a, p);
    await waitFor(() => p.seen.length >= 3, 15_000, "three plays");
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${c.prefix}*`, COUNT: 500 })) if (keys.length) await redis.del(keys);
    await redis.quit();
    await p.dealEnd();
    assert.equal(p.client.closed, null, "the player's socket stayed open");
    await checkLog(c.prefix, tableId, p.seen);
  });
});
