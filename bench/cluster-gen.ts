// The cluster benchmark's load generator (bench/cluster.ts starts it): players that behave like
// the browser client when their node dies. Each table is one human-pace player and three
// in-process bots on a node; when the player's socket drops, the player comes back through the
// live nodes with its token, following `redirect`s, until a node gives it its seat (a snapshot).
// Every accepted action the player saw (its own and the bots') is kept, to be checked against
// the table's log in Redis at the end. Driven over the IPC channel; 127.0.0.1 only.
import WebSocket from "ws";
import { BotBrain } from "../src/bots/brain.ts";
import { greedyStrategy } from "../src/bots/strategies/index.ts";
import { PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from "../src/protocol/index.ts";
import type { DealEvent } from "../src/rules/index.ts";
import { RedisStore } from "../src/server/adapters/redis-store.ts";
import { HUMAN_THINK_MS } from "./lib/ipc.ts";
import { Samples, sleep, summarize, type LatencySummary } from "./lib/stats.ts";

if (!process.send) {
  process.stderr.write("bench/cluster-gen.ts is started by bench/cluster.ts (it needs an IPC channel)\n");
  process.exit(2);
}

export type ClusterGenRequest =
  | { cmd: "open"; urls: string[]; tables: number; concurrency: number; settings: Record<string, unknown> }
  /** The node at `url` was killed at `at` (epoch ms); `live` are the others. */
  | { cmd: "killed"; url: string; at: number; live: string[] }
  | { cmd: "recovery" }
  | { cmd: "stats" }
  | { cmd: "check"; redisUrl: string; prefix: string; sample: number }
  | { cmd: "closeAll" };

export interface Recovery {
  /** Players whose socket dropped (those of the killed node, and any other). */
  players: number;
  /** Of those, players whose socket dropped on a node that was not killed (must be 0). */
  droppedElsewhere: number;
  /** ms from the kill until the player had its seat back (a snapshot from the new owner). */
  backMs: number[];
  /** ms from the kill until the player saw the table's first accepted action after it (includes one think time). */
  playMs: number[];
  /** Players not back yet, and not playing yet. */
  notBack: number;
  notPlaying: number;
  redirectsFollowed: number;
  connectAttempts: number;
}

export interface GenWindow {
  seconds: number;
  actions: number;
  latency: LatencySummary;
  errors: number;
  errorKinds: Record<string, number>;
  cpu: number;
}

export interface CheckResult {
  tablesChecked: number;
  actionsChecked: number;
  /** Of those, actions accepted before the kill (the ones a failover could lose). */
  beforeKillChecked: number;
  /** Actions a player saw accepted that are not in the table's log (must be 0). */
  lost: number;
  lostExamples: string[];
  /** Tables whose log entries are not numbered without gaps. */
  gaps: number;
}

const think = () => HUMAN_THINK_MS[0] + Math.random() * (HUMAN_THINK_MS[1] - HUMAN_THINK_MS[0]);
const latencies = new Samples();
const errorKinds: Record<string, number> = {};
const error = (kind: string) => (errorKinds[kind] = (errorKinds[kind] ?? 0) + 1);
let windowStart = performance.now();
let cpuStart = process.cpuUsage();
let killed: { url: string; at: number; live: string[] } | null = null;

class Player {
  ws: WebSocket | null = null;
  token: string | null = null;
  tableId: string | null = null;
  seat: number | null = null;
  url: string;
  readonly brain: BotBrain;
  /** The current deal's accepted actions as seen, by seq (the log keeps the current deal only), and when. */
  readonly seen = new Map<number, { ev: DealEvent; at: number }>();
  dealNo = 0;
  sentAt = -1;
  /** Set when this player's node died: its way back. */
  lostAt = -1;
  droppedFrom = "";
  backAt = -1;
  playAt = -1;
  redirects = 0;
  attempts = 0;
  #expectClose = false;
  #welcomed: (() => void) | null = null;
  #snap: (() => void) | null = null;
  #redirect: ((url: string) => void) | null = null;

  constructor(url: string) {
    this.url = url;
    this.brain = new BotBrain({ strategy: greedyStrategy, thinkMs: think, send: (m) => this.send(m) });
  }

  send(msg: ClientMessage): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    if (msg.type === "play" || msg.type === "pass") this.sentAt = performance.now();
    this.ws.send(JSON.stringify(msg));
  }

  /** Open a socket to `url` and say hello (with the token once we have one); resolves on welcome. */
  connect(url: string, welcomeMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url.replace(/^http/, "ws")}/ws`, { perMessageDeflate: false });
      this.ws = ws;
      this.#expectClose = false;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`no welcome within ${welcomeMs} ms`));
      }, welcomeMs);
      ws.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      ws.on("open", () => ws.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, name: "load", token: this.token ?? undefined })));
      ws.on("close", () => {
        clearTimeout(timer);
        reject(new Error("closed before welcome"));
        if (this.ws === ws && !this.#expectClose) this.#dropped();
      });
      this.#welcomed = () => {
        clearTimeout(timer);
        resolve();
      };
      ws.on("message", (data: Buffer) => this.#onMessage(JSON.parse(data.toString()) as ServerMessage));
    });
  }

  #onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case "welcome":
        this.token = msg.token;
        this.#welcomed?.();
        this.#welcomed = null;
        break;
      case "joined":
        this.tableId = msg.tableId;
        this.seat = msg.seat;
        break;
      case "snapshot":
        if (msg.dealNo !== this.dealNo) this.seen.clear();
        this.dealNo = msg.dealNo;
        this.tableId = msg.tableId;
        this.seat = msg.seat;
        if (this.lostAt >= 0 && this.backAt < 0) this.backAt = Date.now();
        this.#snap?.();
        this.#snap = null;
        break;
      case "redirect":
        this.#redirect?.(msg.url);
        this.#redirect = null;
        break;
      case "deal":
        this.seen.clear();
        this.dealNo = msg.dealNo;
        break;
      case "play":
        this.seen.set(msg.seq, { ev: msg.event, at: Date.now() });
        if (this.lostAt >= 0 && this.backAt >= 0 && this.playAt < 0) this.playAt = Date.now();
        if (msg.event.seat === this.seat && this.sentAt >= 0) {
          latencies.add(performance.now() - this.sentAt);
          this.sentAt = -1;
        }
        break;
      case "error":
        error(`error:${msg.code}`);
        this.sentAt = -1;
        break;
      case "closed":
        error(`table-closed:${msg.code}`);
        break;
      default:
        break;
    }
    this.brain.receive(msg);
  }

  /** The socket dropped without our asking: come back as the browser client does. */
  #dropped(): void {
    this.brain.stop();
    this.sentAt = -1;
    if (this.lostAt >= 0) return;
    this.lostAt = Date.now();
    this.droppedFrom = this.url;
    void this.#comeBack();
  }

  async #comeBack(): Promise<void> {
    const deadline = Date.now() + 60_000;
    let i = Math.floor(Math.random() * 8);
    // Wait until the orchestrator says which node died (it says so right after the kill).
    while (!killed && Date.now() < deadline) await sleep(20);
    const live = killed?.live ?? [];
    let url = live[i % live.length];
    while (Date.now() < deadline && this.backAt < 0) {
      this.attempts++;
      try {
        const gotSnap = new Promise<"snap">((r) => (this.#snap = () => r("snap")));
        const gotRedirect = new Promise<string>((r) => (this.#redirect = r));
        await this.connect(url);
        const reply = await Promise.race([gotSnap, gotRedirect, sleep(5000).then(() => "timeout" as const)]);
        if (reply === "snap") {
          this.url = url;
          this.brain.resume();
          return;
        }
        this.#expectClose = true;
        this.ws?.terminate();
        if (reply === "timeout") url = live[++i % live.length];
        else {
          this.redirects++;
          url = reply; // the owner as the directory knows it: the dead node until its lease runs out
        }
      } catch {
        url = live[++i % live.length];
      }
      await sleep(200);
    }
  }

  shut(): void {
    this.#expectClose = true;
    this.brain.stop();
    this.ws?.terminate();
  }
}

const players: Player[] = [];

async function openTable(url: string, settings: Record<string, unknown>): Promise<void> {
  const p = new Player(url);
  // Opening is not measured: a loaded machine may take a while to answer.
  await p.connect(url, 30_000);
  const joined = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("no joined within 30 s")), 30_000);
    const check = setInterval(() => {
      if (p.tableId !== null) {
        clearTimeout(t);
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  p.send({ type: "table.create", settings } as ClientMessage);
  await joined;
  players.push(p);
}

async function open(urls: string[], tables: number, concurrency: number, settings: Record<string, unknown>) {
  let next = 0;
  let opened = 0;
  let failed = 0;
  let firstError: string | null = null;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, tables) }, async () => {
      while (next < tables) {
        const i = next++;
        try {
          await openTable(urls[i % urls.length], settings);
          opened++;
        } catch (e) {
          failed++;
          firstError ??= (e as Error).message;
        }
      }
    }),
  );
  return { opened, failed, firstError };
}

function recovery(): Recovery {
  const lost = players.filter((p) => p.lostAt >= 0);
  const at = killed?.at ?? 0;
  return {
    players: lost.length,
    droppedElsewhere: lost.filter((p) => p.droppedFrom !== killed?.url).length,
    backMs: lost.filter((p) => p.backAt >= 0).map((p) => p.backAt - at),
    playMs: lost.filter((p) => p.playAt >= 0).map((p) => p.playAt - at),
    notBack: lost.filter((p) => p.backAt < 0).length,
    notPlaying: lost.filter((p) => p.playAt < 0).length,
    redirectsFollowed: lost.reduce((a, p) => a + p.redirects, 0),
    connectAttempts: lost.reduce((a, p) => a + p.attempts, 0),
  };
}

function stats(): GenWindow {
  const now = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  const seconds = (now - windowStart) / 1000;
  const out = { seconds, actions: latencies.size, latency: summarize(latencies.values()), errors: Object.values(errorKinds).reduce((a, b) => a + b, 0), errorKinds: { ...errorKinds }, cpu: (cpu.user + cpu.system) / 1e6 / seconds };
  latencies.clear();
  for (const k of Object.keys(errorKinds)) delete errorKinds[k];
  windowStart = now;
  cpuStart = process.cpuUsage();
  return out;
}

/** Same play: the same seat, and a pass or the same cards (a log entry is an action, an event is what it did). */
function matches(a: { seat: number; type: string; cards?: string[] }, ev: DealEvent): boolean {
  if (a.seat !== ev.seat) return false;
  if (ev.type === "pass") return a.type !== "play";
  if (a.type === "pass") return false;
  const cards = a.cards ?? ev.combo.cards;
  return JSON.stringify([...cards].sort()) === JSON.stringify([...ev.combo.cards].sort());
}

/**
 * Every action a player saw accepted is in its table's log, in order, and the log is numbered
 * without gaps. The players of the killed node first (all of them), then a sample of the others.
 */
async function check(redisUrl: string, prefix: string, sample: number): Promise<CheckResult> {
  const store = await RedisStore.connect(redisUrl, { prefix });
  const out: CheckResult = { tablesChecked: 0, actionsChecked: 0, beforeKillChecked: 0, lost: 0, lostExamples: [], gaps: 0 };
  try {
    const moved = players.filter((p) => p.lostAt >= 0);
    const others = players.filter((p) => p.lostAt < 0).slice(0, sample);
    for (const p of [...moved, ...others]) {
      if (!p.tableId) continue;
      const stored = await store.read(p.tableId);
      out.tablesChecked++;
      const entries = stored?.entries ?? [];
      if (entries.some((e, i) => e.n !== entries[0].n + i)) out.gaps++;
      const actions = entries.flatMap((e) => (e.kind === "action" ? [e.action as { seat: number; type: string; cards?: string[] }] : []));
      // The log's dealt entries restart the deal; the events seen are in seq order.
      const seen = [...p.seen.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
      let at = 0;
      for (const { ev, at: when } of seen) {
        out.actionsChecked++;
        if (killed && when < killed.at) out.beforeKillChecked++;
        let j = at;
        while (j < actions.length && !matches(actions[j], ev)) j++;
        if (j === actions.length) {
          out.lost++;
          if (out.lostExamples.length < 5) out.lostExamples.push(`${p.tableId}: seat ${ev.seat} ${ev.type} not in the log (${actions.length} actions)`);
        } else at = j + 1;
      }
    }
  } finally {
    await store.close();
  }
  return out;
}

async function handle(req: ClusterGenRequest): Promise<unknown> {
  switch (req.cmd) {
    case "open":
      return open(req.urls, req.tables, req.concurrency, req.settings);
    case "killed":
      killed = { url: req.url, at: req.at, live: req.live };
      return null;
    case "recovery":
      return recovery();
    case "stats":
      return stats();
    case "check":
      return check(req.redisUrl, req.prefix, req.sample);
    case "closeAll":
      for (const p of players) p.shut();
      players.length = 0;
      return null;
  }
}

process.on("message", (raw: { id: number; req: ClusterGenRequest }) => {
  handle(raw.req).then(
    (result) => process.send!({ id: raw.id, ok: true, result }),
    (e: Error) => process.send!({ id: raw.id, ok: false, error: e.stack ?? String(e) }),
  );
});
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
