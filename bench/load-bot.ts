// One simulated player: the project's own WsBot (real socket, real protocol, the BotBrain with a
// greedy strategy) plus the bookkeeping a benchmark needs: action round-trip latency, frame
// counts and sizes, the table state it was told, and waits for conditions.
import WebSocket from "ws";
import { WsBot } from "../src/bots/ws-bot.ts";
import { greedyStrategy } from "../src/bots/strategies/index.ts";
import type { ClientMessage, SeatInfo, ServerMessage, SnapshotMessage } from "../src/protocol/index.ts";

/** Where every bot of a generator process reports. */
export interface Recorder {
  latency(ms: number): void;
  frameIn(bytes: number): void;
  frameOut(bytes: number): void;
  error(kind: string): void;
}

type Status = "waiting" | "playing" | "between" | "over";

export class LoadBot extends WsBot {
  seat: number | null = null;
  override tableId: string | null = null;
  lastSeq = 0;
  players: SeatInfo[] = [];
  totals: number[] = [];
  dealNo = 0;
  status: Status = "waiting";
  lastSnapshot: SnapshotMessage | null = null;
  /** When the pending play or pass was sent (performance.now()), or -1. */
  sentAt = -1;
  #expectClose = false;
  #waiters: { pred: () => boolean; resolve: () => void }[] = [];

  constructor(
    url: string,
    readonly label: string,
    thinkMs: () => number,
    private readonly rec: Recorder,
  ) {
    super({
      url,
      name: label,
      strategy: greedyStrategy,
      thinkMs,
      onMessage: (msg, bot, bytes) => {
        rec.frameIn(bytes);
        (bot as LoadBot).#onMessage(msg);
      },
    });
  }

  /** Connect (or reconnect with the token) and say hello; resolves on welcome. */
  async open(): Promise<void> {
    this.#expectClose = false;
    const welcomed = this.connect();
    const ws = this.ws as WebSocket;
    ws.on("close", () => {
      if (this.ws === ws && !this.#expectClose) this.rec.error("socket-closed");
    });
    await welcomed;
  }

  /** Drop the socket abruptly, as a network failure would. */
  drop(): void {
    this.#expectClose = true;
    this.ws?.terminate();
  }

  shut(): void {
    this.#expectClose = true;
    this.brain.stop();
    this.ws?.terminate();
  }

  override send(msg: ClientMessage): void {
    const ws = this.ws;
    if (ws?.readyState !== WebSocket.OPEN) return;
    const text = JSON.stringify(msg);
    if (msg.type === "play" || msg.type === "pass") this.sentAt = performance.now();
    ws.send(text);
    this.rec.frameOut(text.length);
  }

  /** Resolves once `pred` holds (checked now and after every message); rejects after `timeoutMs`. */
  until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((x) => x !== w);
        reject(new Error(`${this.label}: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push(w);
    });
  }

  #onMessage(msg: ServerMessage): void {
    if ("seq" in msg && typeof msg.seq === "number") this.lastSeq = msg.seq;
    switch (msg.type) {
      case "joined":
        this.seat = msg.seat;
        this.tableId = msg.tableId;
        break;
      case "snapshot":
        this.lastSnapshot = msg;
        this.seat = msg.seat;
        this.players = msg.players.slice();
        this.totals = msg.totals.slice();
        this.dealNo = msg.dealNo;
        this.status = msg.status;
        break;
      case "deal":
        this.dealNo = msg.dealNo;
        this.status = "playing";
        break;
      case "play":
        if (msg.event.seat === this.seat && this.sentAt >= 0) {
          this.rec.latency(performance.now() - this.sentAt);
          this.sentAt = -1;
        }
        break;
      case "dealEnd":
        this.totals = msg.totals.slice();
        this.status = msg.nextInMs === null ? "over" : "between";
        break;
      case "matchEnd":
        this.status = "over";
        break;
      case "seat":
        this.players[msg.player.seat] = msg.player;
        break;
      case "error":
        this.rec.error(`error:${msg.code}`);
        this.sentAt = -1;
        break;
      case "closed":
        this.rec.error(`table-closed:${msg.code}`);
        break;
      default:
        break;
    }
    if (this.#waiters.length > 0) {
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.pred()) return true;
        w.resolve();
        return false;
      });
    }
  }
}
