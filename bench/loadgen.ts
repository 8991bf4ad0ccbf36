// The load generator: its own process, pinned by the orchestrator to the core the server does not
// use, driven over the IPC channel (bench/lib/ipc.ts). It speaks the real protocol over real
// sockets to 127.0.0.1 only, and exits by itself if the orchestrator goes away.
import { PerformanceObserver, constants as perfConstants, monitorEventLoopDelay } from "node:perf_hooks";
import WebSocket from "ws";
import { HUMAN_THINK_MS, PACED_THINK_MS } from "./lib/ipc.ts";
import type { GenReply, GenRequest, GenStats, OpenResult, StormResult, ThinkMode } from "./lib/ipc.ts";
import { Samples, sleep, summarize } from "./lib/stats.ts";
import { LoadBot, type Recorder } from "./load-bot.ts";

if (!process.send) {
  process.stderr.write("bench/loadgen.ts is started by bench/index.ts (it needs an IPC channel)\n");
  process.exit(2);
}

// ---------------------------------------------------------------- recording

const latencies = new Samples();
let span: Samples | null = null;
const counts = { framesIn: 0, bytesIn: 0, framesOut: 0, bytesOut: 0, errors: 0 };
const errorKinds: Record<string, number> = {};
let errorsTotal = 0;
const eld = monitorEventLoopDelay({ resolution: 1 });
eld.enable();
let gcMaxMs = 0;
let gcMaxKind = "";
const GC_KINDS: Record<number, string> = {
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.duration <= gcMaxMs) continue;
    gcMaxMs = e.duration;
    gcMaxKind = GC_KINDS[(e as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? "other";
  }
}).observe({ entryTypes: ["gc"] });
let windowStart = performance.now();
let cpuStart = process.cpuUsage();

const rec: Recorder = {
  latency: (ms) => {
    latencies.add(ms);
    span?.add(ms);
  },
  frameIn: (bytes) => {
    counts.framesIn++;
    counts.bytesIn += bytes;
  },
  frameOut: (bytes) => {
    counts.framesOut++;
    counts.bytesOut += bytes;
  },
  error: (kind) => {
    counts.errors++;
    errorsTotal++;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  },
};

function stats(): GenStats {
  const now = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  const seconds = (now - windowStart) / 1000;
  const out: GenStats = {
    seconds,
    actions: latencies.size,
    latency: summarize(latencies.values()),
    ...counts,
    meanInFrame: counts.framesIn ? counts.bytesIn / counts.framesIn : 0,
    meanOutFrame: counts.framesOut ? counts.bytesOut / counts.framesOut : 0,
    cpu: (cpu.user + cpu.system) / 1e6 / seconds,
    // The histogram records whole intervals, so the delay is what exceeds the 1 ms resolution.
    eldP99Ms: Math.max(0, eld.percentile(99) / 1e6 - 1),
    eldMaxMs: Math.max(0, eld.max / 1e6 - 1),
    gcMaxMs,
    gcMaxKind,
    errorKinds: { ...errorKinds },
    errorsTotal,
    sockets: bots.length + turnBots.length,
    heapMB: process.memoryUsage().heapUsed / 2 ** 20,
    samples: Array.from(latencies.values()),
  };
  latencies.clear();
  Object.assign(counts, { framesIn: 0, bytesIn: 0, framesOut: 0, bytesOut: 0, errors: 0 });
  for (const k of Object.keys(errorKinds)) delete errorKinds[k];
  eld.reset();
  gcMaxMs = 0;
  gcMaxKind = "";
  windowStart = now;
  cpuStart = process.cpuUsage();
  return out;
}

// ---------------------------------------------------------------- think time

let mode: ThinkMode = "zero";
const FROZEN_MS = 3_600_000;
const uniform = ([lo, hi]: readonly [number, number]) => lo + Math.random() * (hi - lo);
const think = (): number => {
  switch (mode) {
    case "zero":
      return 0;
    case "paced":
      return uniform(PACED_THINK_MS);
    case "human":
      return uniform(HUMAN_THINK_MS);
    case "frozen":
      return FROZEN_MS;
  }
};

/**
 * Later decisions use the new think time. Freezing also cancels the actions already scheduled;
 * thawing has every seat whose turn it is think again with the new time.
 */
function setMode(next: ThinkMode): void {
  mode = next;
  if (next === "frozen") for (const b of bots) b.brain.stop();
  else for (const b of bots) b.brain.resume();
  for (const r of turnBots) r.rethink();
}

// ---------------------------------------------------------------- game tables

const bots: LoadBot[] = [];
const tables: LoadBot[][] = [];
let botNo = 0;

async function openTable(url: string, settings: Record<string, unknown>): Promise<void> {
  const wsUrl = `${url.replace(/^http/, "ws")}/ws`;
  const make = () => new LoadBot(wsUrl, `b${(botNo++).toString(36)}`, think, rec);
  const host = make();
  const seated: LoadBot[] = [host];
  try {
    await host.open();
    host.send({ type: "table.create", settings });
    await host.until(() => host.tableId !== null, 30_000, "joined");
    const guests = [make(), make(), make()];
    seated.push(...guests);
    await Promise.all(guests.map((g) => g.open()));
    for (const g of guests) g.send({ type: "table.join", tableId: host.tableId as string });
    await Promise.all(seated.map((b) => b.until(() => b.dealNo > 0, 30_000, "deal")));
  } catch (e) {
    for (const b of seated) b.shut();
    throw e;
  }
  bots.push(...seated);
  tables.push(seated);
}

/** The players of tables whose other seats are the server's own bots. */
const botTableHosts: LoadBot[] = [];

async function openBotTable(url: string, settings: Record<string, unknown>): Promise<void> {
  const host = new LoadBot(`${url.replace(/^http/, "ws")}/ws`, `h${(botNo++).toString(36)}`, think, rec);
  try {
    await host.open();
    host.send({ type: "table.create", settings });
    await host.until(() => host.tableId !== null, 30_000, "joined");
    await host.until(() => host.dealNo > 0, 30_000, "deal");
  } catch (e) {
    host.shut();
    throw e;
  }
  bots.push(host);
  botTableHosts.push(host);
}

async function closeBotTables(): Promise<void> {
  const gone = new Set(botTableHosts);
  // Leave first (a terminated socket would hold its seat through the reconnect grace), then shut.
  for (const b of botTableHosts) b.send({ type: "table.leave" });
  await sleep(500);
  for (const b of botTableHosts) b.shut();
  botTableHosts.length = 0;
  const kept = bots.filter((b) => !gone.has(b));
  bots.length = 0;
  bots.push(...kept);
}

/** Run `n` tasks, at most `concurrency` at a time. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<OpenResult> {
  const t0 = performance.now();
  let next = 0;
  let opened = 0;
  let failed = 0;
  let firstError: string | null = null;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      try {
        await task(i);
        opened++;
      } catch (e) {
        failed++;
        rec.error("open-failed");
        firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { opened, failed, seconds: (performance.now() - t0) / 1000, firstError };
}

// ---------------------------------------------------------------- reconnect storm

function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}

async function reopen(b: LoadBot): Promise<number> {
  // A real client retries with backoff when the connection is refused or reset.
  for (let attempt = 0; ; attempt++) {
    try {
      await b.open();
      return attempt;
    } catch (e) {
      if (attempt >= 8) throw e;
      await sleep(100 * 2 ** attempt * (0.5 + Math.random()));
    }
  }
}

async function storm(timeoutMs: number): Promise<StormResult> {
  setMode("frozen");
  // Let actions in flight land, so the state we record is the state the server holds.
  const settleBy = performance.now() + 10_000;
  let lastFrames = -1;
  while (performance.now() < settleBy) {
    await sleep(250);
    const pending = bots.some((b) => b.sentAt >= 0);
    if (!pending && counts.framesIn === lastFrames) break;
    lastFrames = counts.framesIn;
  }
  const before = bots.map((b) => ({
    seat: b.seat,
    dealNo: b.dealNo,
    status: b.status,
    totals: canon(b.totals),
    view: b.status === "playing" ? canon(b.brain.view) : null,
    seq: b.lastSeq,
  }));
  const snapshotsBefore = bots.map((b) => b.lastSnapshot);
  const t0 = performance.now();
  for (const b of bots) b.drop();
  let connectRetries = 0;
  let failedSockets = 0;
  const snapAt = new Array<number>(bots.length).fill(NaN);
  const allAt = new Array<number>(bots.length).fill(NaN);
  await Promise.all(
    bots.map(async (b, i) => {
      try {
        connectRetries += await reopen(b);
        await b.until(() => b.lastSnapshot !== snapshotsBefore[i], timeoutMs, "snapshot");
        snapAt[i] = performance.now();
        await b.until(() => b.players.length > 0 && b.players.every((p) => p.connected), timeoutMs, "all seats connected");
        allAt[i] = performance.now();
      } catch {
        failedSockets++;
      }
    }),
  );
  const mismatches: string[] = [];
  let verifiedTables = 0;
  for (const table of tables) {
    let ok = true;
    for (const b of table) {
      const i = bots.indexOf(b);
      const was = before[i];
      const snap = b.lastSnapshot;
      const why =
        !snap || snap === snapshotsBefore[i]
          ? "no snapshot"
          : snap.seat !== was.seat
            ? `seat ${snap.seat} != ${was.seat}`
            : snap.dealNo !== was.dealNo
              ? `dealNo ${snap.dealNo} != ${was.dealNo}`
              : snap.status !== was.status
                ? `status ${snap.status} != ${was.status}`
                : canon(snap.totals) !== was.totals
                  ? "totals differ"
                  : was.view !== null && canon(snap.deal) !== was.view
                    ? "deal view differs"
                    : snap.seq < was.seq
                      ? `seq went back ${snap.seq} < ${was.seq}`
                      : null;
      if (why) {
        ok = false;
        if (mismatches.length < 10) mismatches.push(`${b.tableId} seat ${was.seat}: ${why}`);
      }
    }
    if (ok) verifiedTables++;
  }
  const last = (xs: number[]) => (xs.some(Number.isNaN) ? NaN : Math.max(...xs));
  return {
    tables: tables.length,
    sockets: bots.length,
    snapshotSeconds: (last(snapAt) - t0) / 1000,
    seconds: (last(allAt) - t0) / 1000,
    verifiedTables,
    mismatches,
    connectRetries,
    failedSockets,
  };
}

// ---------------------------------------------------------------- relay and peer groups

/**
 * A turn-based client of the bare relay or of a peer framework: the frame says who sent it and who
 * is next; the next seat answers after its think time. It parses every frame, as a game client
 * does, but keeps no game state. `clientWorkUs` (the throughput scenario's equal-rate windows)
 * is a stand-in for what a game client does before it plays: a busy-wait, so that the generator
 * drives this server at the game server's rate.
 */
abstract class TurnBot {
  sentAt = -1;
  #cancel: (() => void) | null = null;
  #myTurn = false;

  constructor(readonly seat: number) {}

  /** A frame arrived: `s` sent it, `n` is next. */
  protected onTurnFrame(bytes: number, s: number, n: number): void {
    rec.frameIn(bytes);
    if (s === this.seat && this.sentAt >= 0) {
      rec.latency(performance.now() - this.sentAt);
      this.sentAt = -1;
    }
    if (n === this.seat) {
      this.#myTurn = true;
      this.rethink();
    }
  }

  rethink(): void {
    this.#cancel?.();
    this.#cancel = null;
    if (!this.#myTurn || mode === "frozen") return;
    const ms = think();
    if (ms <= 0) {
      const h = setImmediate(() => this.act());
      this.#cancel = () => clearImmediate(h);
    } else {
      const t = setTimeout(() => this.act(), ms);
      this.#cancel = () => clearTimeout(t);
    }
  }

  act(): void {
    this.#cancel = null;
    this.#myTurn = false;
    if (clientWorkUs > 0) {
      const until = performance.now() + clientWorkUs / 1000;
      while (performance.now() < until);
    }
    if (!this.isOpen()) return;
    this.sentAt = performance.now();
    rec.frameOut(this.sendPlay());
  }

  /** Send this seat's play; returns the bytes sent. */
  protected abstract sendPlay(): number;
  protected abstract isOpen(): boolean;
  abstract shut(): void;
}

class RelayBot extends TurnBot {
  ws: WebSocket | null = null;

  constructor(
    seat: number,
    private readonly pad: string,
  ) {
    super(seat);
  }

  open(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      this.ws = ws;
      ws.on("error", reject);
      ws.on("open", () => resolve());
      ws.on("close", () => rec.error("socket-closed"));
      ws.on("message", (data: Buffer) => {
        const m = JSON.parse(data.toString()) as { f: { s: number; n: number } };
        this.onTurnFrame(data.length, m.f.s, m.f.n);
      });
    });
  }

  protected sendPlay(): number {
    const text = `{"s":${this.seat},"n":${(this.seat + 1) % 4},"x":"${this.pad}"}`;
    this.ws!.send(text);
    return text.length;
  }

  protected isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  shut(): void {
    this.ws?.removeAllListeners("close");
    this.ws?.on("error", () => {});
    this.ws?.terminate();
  }
}

/** What the peers scenario uses of the Colyseus SDK (bench/peers/node_modules/@colyseus/sdk). */
interface ColyseusRoom {
  roomId: string;
  connection: { transport: { ws: { onmessage: ((ev: { data: ArrayBuffer }) => void) | null; send: (data: Uint8Array) => void; readyState: number } } };
  onMessage(type: string, cb: (message: unknown) => void): void;
  onLeave(cb: (code: number) => void): void;
  send(type: string, message: unknown): void;
  leave(consented?: boolean): Promise<number>;
}
interface ColyseusClient {
  create(name: string, options: object): Promise<ColyseusRoom>;
  joinById(roomId: string, options: object): Promise<ColyseusRoom>;
}
let colyseusSdk: { Client: new (url: string) => ColyseusClient } | null = null;

/** A Colyseus client through the official SDK, counting the bytes of the frames under it. */
class ColyseusBot extends TurnBot {
  room: ColyseusRoom | null = null;
  #lastOut = 0;

  constructor(
    seat: number,
    private readonly pad: string,
  ) {
    super(seat);
  }

  async join(client: ColyseusClient, roomId: string | null): Promise<void> {
    const room = roomId === null ? await client.create("play", { seat: this.seat }) : await client.joinById(roomId, { seat: this.seat });
    this.room = room;
    let bytes = 0;
    const ws = room.connection.transport.ws;
    const dispatch = ws.onmessage!;
    ws.onmessage = (ev) => {
      bytes = ev.data.byteLength;
      dispatch(ev);
    };
    const send = ws.send.bind(ws);
    ws.send = (data) => {
      this.#lastOut = data.byteLength;
      send(data);
    };
    room.onMessage("p", (m) => {
      const f = m as { s: number; n: number };
      this.onTurnFrame(bytes, f.s, f.n);
    });
    room.onMessage("e", () => rec.error("colyseus:not-your-turn"));
    room.onLeave(() => {
      if (this.room) rec.error("socket-closed");
    });
  }

  protected sendPlay(): number {
    this.room!.send("p", this.pad);
    return this.#lastOut;
  }

  protected isOpen(): boolean {
    return this.room?.connection.transport.ws.readyState === WebSocket.OPEN;
  }

  shut(): void {
    const room = this.room;
    this.room = null;
    void room?.leave(true).catch(() => {});
  }
}

const turnBots: TurnBot[] = [];
let relayGroup = 0;
let clientWorkUs = 0;

/** The pad that brings a client's frame `{"s":0,"n":1,"x":"<pad>"}` to `inBytes`. */
const padFor = (inBytes: number) => "x".repeat(Math.max(0, Math.round(inBytes) - `{"s":0,"n":1,"x":""}`.length));

async function openRelayGroup(url: string, inBytes: number): Promise<void> {
  const g = relayGroup++;
  const group = [0, 1, 2, 3].map((s) => new RelayBot(s, padFor(inBytes)));
  await Promise.all(group.map((b) => b.open(`${url.replace(/^http/, "ws")}/?g=${g}`)));
  turnBots.push(...group);
}

async function openColyseusRoom(url: string, inBytes: number, sdkPath: string): Promise<void> {
  colyseusSdk ??= (await import(sdkPath)) as typeof colyseusSdk;
  const client = new colyseusSdk!.Client(url);
  // The SDK sends msgpack [ROOM_DATA, "p", pad]: about 6 bytes around the pad.
  const pad = "x".repeat(Math.max(0, Math.round(inBytes) - 6));
  const group = [0, 1, 2, 3].map((s) => new ColyseusBot(s, pad));
  try {
    await group[0].join(client, null);
    await Promise.all(group.slice(1).map((b) => b.join(client, group[0].room!.roomId)));
  } catch (e) {
    for (const b of group) b.shut();
    throw e;
  }
  turnBots.push(...group);
}

// ---------------------------------------------------------------- the channel

function closeAll(): void {
  for (const b of bots) b.shut();
  for (const r of turnBots) r.shut();
  bots.length = 0;
  botTableHosts.length = 0;
  tables.length = 0;
  turnBots.length = 0;
}

async function handle(req: GenRequest): Promise<unknown> {
  switch (req.cmd) {
    case "open":
      mode = req.mode;
      return pool(req.tables, req.concurrency, () => openTable(req.url, req.settings));
    case "relayOpen":
      mode = req.mode;
      return pool(req.groups, req.concurrency, () => openRelayGroup(req.url, req.inBytes));
    case "colyseusOpen":
      mode = req.mode;
      return pool(req.rooms, req.concurrency, () => openColyseusRoom(req.url, req.inBytes, req.sdk));
    case "clientWork":
      clientWorkUs = req.us;
      return null;
    case "kick":
      for (const b of turnBots) if (b.seat === 0) b.act();
      return null;
    case "mode":
      setMode(req.mode);
      return null;
    case "stats":
      return stats();
    case "spanStart":
      span = new Samples();
      return null;
    case "spanEnd": {
      const samples = Array.from(span?.values() ?? []);
      span = null;
      return samples;
    }
    case "storm":
      return storm(req.timeoutMs);
    case "openBotTables":
      return pool(req.tables, req.concurrency, () => openBotTable(req.url, req.settings));
    case "closeBotTables":
      await closeBotTables();
      return null;
    case "closeAll":
      closeAll();
      return null;
  }
}

process.on("message", (raw: { id: number; req: GenRequest }) => {
  handle(raw.req).then(
    (result) => process.send!({ id: raw.id, ok: true, result } satisfies GenReply),
    (e: Error) => process.send!({ id: raw.id, ok: false, error: e.stack ?? String(e) } satisfies GenReply),
  );
});
// Bounded in time: if the orchestrator dies, so does the load.
process.on("disconnect", () => {
  closeAll();
  process.exit(0);
});
process.on("SIGTERM", () => {
  closeAll();
  process.exit(0);
});
