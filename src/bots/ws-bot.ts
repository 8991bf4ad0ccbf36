import WebSocket from "ws";
import { CloseCode, PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from "../protocol/index.ts";
import { BotBrain } from "./brain.ts";
import type { Strategy } from "./strategy.ts";

export interface WsBotOptions {
  url: string;
  name: string;
  strategy: Strategy;
  thinkMs: () => number;
  /** Called for every server message after the brain has seen it, with the frame's size in bytes. */
  onMessage?: (msg: ServerMessage, bot: WsBot, bytes: number) => void;
  /**
   * When the socket drops after a welcome, open a new one with the same token, trying the cluster's
   * other nodes (from `welcome.nodes`) in turn, up to this many times in a row. 0 (the default):
   * do not; the caller decides (connect() again resumes the seat).
   */
  reconnectAttempts?: number;
  /** Pause before each reconnect attempt, ms (default 500). */
  reconnectDelayMs?: number;
  /** The socket is gone for good: it dropped with no reconnect to try, or every attempt failed. */
  onGone?: (reason: string) => void;
}

/** The WebSocket URL of a node's public URL (http → ws, https → wss, path /ws). */
export function socketUrl(publicUrl: string): string {
  const u = new URL(publicUrl);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  u.pathname = "/ws";
  return u.toString();
}

/** Requests a `redirect` may answer (another node owns the table, or the cluster's quick-match queue): sent again there. */
const TABLE_REQUESTS = new Set<string>(["table.join", "table.watch", "quick.join"]);

/**
 * A bot over a real WebSocket: the same brain as an in-process bot seat, speaking the public
 * protocol exactly as the browser does. Calling connect() again after a drop resumes the same seat
 * (same token). It follows `redirect` (to the node that owns its table, asking again there) and,
 * with `reconnectAttempts`, finds another node when its own dies.
 */
export class WsBot {
  readonly brain: BotBrain;
  ws: WebSocket | null = null;
  token: string | null = null;
  playerId: string | null = null;
  tableId: string | null = null;
  /** Where the socket goes: the URL given, or the node a redirect named, or the next live node. */
  url: string;
  /** Every live node's socket URL, from the last welcome. */
  nodes: string[] = [];
  /** Redirects followed and reconnects made (for tests and logs). */
  readonly moves = { redirects: 0, reconnects: 0 };
  #stopped = false;
  #welcomed = false;
  #attempt = 0;
  #retry: NodeJS.Timeout | null = null;
  #nextId = 1;
  /** The last join, watch or quick.join sent, by id: a redirect naming that id sends it again on the owner's node. */
  #lastRequest: { id: string | number; msg: ClientMessage } | null = null;
  #resend: ClientMessage | null = null;

  constructor(private readonly options: WsBotOptions) {
    this.url = options.url;
    this.brain = new BotBrain({ strategy: options.strategy, thinkMs: options.thinkMs, send: (m) => this.send(m) });
  }

  /** Open the socket and say hello; resolves on welcome. */
  connect(): Promise<void> {
    return this.#open(this.url);
  }

  #open(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      this.ws = ws;
      this.url = url;
      let welcomed = false;
      ws.on("error", (err) => {
        if (!welcomed) reject(err);
      });
      ws.on("open", () => this.send({ type: "hello", v: PROTOCOL_VERSION, name: this.options.name, token: this.token ?? undefined }));
      ws.on("message", (data: Buffer) => {
        if (this.ws !== ws) return;
        const msg = JSON.parse(data.toString()) as ServerMessage;
        if (msg.type === "welcome") {
          welcomed = this.#welcomed = true;
          this.token = msg.token;
          this.playerId = msg.playerId;
          if (msg.nodes?.length) this.nodes = msg.nodes.map(socketUrl);
          resolve();
        }
        if (msg.type === "joined") this.tableId = msg.tableId;
        if (msg.type === "redirect") return this.#follow(ws, msg);
        // Served (not only welcomed and sent on): the failures in a row end here.
        if (msg.type !== "welcome") this.#attempt = 0;
        this.brain.receive(msg);
        this.options.onMessage?.(msg, this, data.length);
        if (msg.type === "welcome" && this.#resend) {
          const resend = this.#resend;
          this.#resend = null;
          this.send(resend);
        }
      });
      ws.on("close", (code) => {
        if (!welcomed) reject(new Error(`the server closed the socket (${code})`));
        if (this.ws === ws) this.#lost(code);
      });
    });
  }

  /** Another node owns our table: go there now with the same token, and ask again there. */
  #follow(ws: WebSocket, msg: Extract<ServerMessage, { type: "redirect" }>): void {
    this.moves.redirects++;
    if (msg.id !== undefined && this.#lastRequest?.id === msg.id) this.#resend = this.#lastRequest.msg;
    this.ws = null;
    ws.close();
    this.#open(socketUrl(msg.url)).catch(() => {}); // a failure is a lost socket: #lost handles it
  }

  #lost(code: number): void {
    this.ws = null;
    if (this.#stopped || !this.#welcomed) return;
    const max = this.options.reconnectAttempts ?? 0;
    if (code === CloseCode.Replaced || code === CloseCode.BadVersion || this.#attempt >= max) {
      this.#welcomed = false;
      this.options.onGone?.(max > 0 && this.#attempt >= max ? `no node answered after ${max} attempts` : `socket closed (${code})`);
      return;
    }
    this.#attempt++;
    // Any live node sends us on to our table's owner: after a failure, try the next one.
    if (this.nodes.length > 1) this.url = this.nodes[(this.nodes.indexOf(this.url) + 1) % this.nodes.length];
    this.#retry = setTimeout(() => {
      this.#retry = null;
      if (this.#stopped) return;
      this.moves.reconnects++;
      this.#open(this.url).catch(() => {});
    }, this.options.reconnectDelayMs ?? 500);
  }

  send(msg: ClientMessage): void {
    if (TABLE_REQUESTS.has(msg.type)) {
      // An id lets a redirect name the request to send again on the owner's node.
      const withId = msg.id === undefined ? ({ ...msg, id: `bot-${this.#nextId++}` } as ClientMessage) : msg;
      this.#lastRequest = { id: withId.id!, msg: withId };
      msg = withId;
    }
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  close(): void {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.brain.stop();
    this.ws?.close();
  }

  get stopped(): boolean {
    return this.#stopped;
  }
}
