import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, WebSocket, type RawData } from "ws";
import type { Logger } from "pino";
import { CloseCode, ErrorCode, decodeClientMessage } from "../protocol/index.ts";
import type { Config } from "./config.ts";
import { nextConnectionId, type Connection } from "./connection.ts";
import { frame, type OutFrame } from "./frame.ts";
import { canSendPreframed, sendPreframed } from "./wire.ts";
import type { Hub, Peer } from "./hub.ts";
import type { Metrics } from "./metrics.ts";

/**
 * One WebSocket as a Connection: bounded both ways. Inbound: ws enforces maxPayload (close 1009),
 * a token bucket limits the rate. Outbound: past `maxBufferedBytes` queued in the socket the
 * client is cut off (it reconnects and gets a snapshot) instead of growing an unbounded queue.
 */
export class SocketConnection implements Connection {
  readonly id = nextConnectionId();
  readonly kind = "socket" as const;
  alive = true;
  peer!: Peer;
  #tokens: number;
  #refilledAt = performance.now();
  /** Broadcasts go out as pre-built frames (src/server/wire.ts) where ws allows it. */
  readonly #preframed: boolean;

  constructor(
    readonly ws: WebSocket,
    private readonly config: Config,
    private readonly metrics: Metrics,
  ) {
    this.#tokens = config.rateBurst;
    this.#preframed = canSendPreframed(ws);
  }

  send(f: OutFrame): void {
    const ws = this.ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > this.config.maxBufferedBytes) {
      // ws issue #492 and friends: a reader that never reads grows the send buffer forever.
      this.metrics.disconnects.inc({ reason: "slow-consumer" });
      ws.close(CloseCode.SlowConsumer, "too slow to keep up");
      ws.terminate();
      return;
    }
    // The frame's bytes are shared by every socket it goes to; ws writes them without a copy.
    if (this.#preframed) sendPreframed(ws, f.wire);
    else ws.send(f.text);
    this.metrics.framesOut.inc();
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }

  /** Take one token; false when the bucket is empty. Far past empty means a flood. */
  take(now = performance.now()): "ok" | "limited" | "flood" {
    this.#tokens = Math.min(this.config.rateBurst, this.#tokens + ((now - this.#refilledAt) / 1000) * this.config.ratePerSecond);
    this.#refilledAt = now;
    this.#tokens -= 1;
    if (this.#tokens >= 0) return "ok";
    return this.#tokens < -this.config.rateBurst ? "flood" : "limited";
  }
}

export class Transport {
  readonly wss: WebSocketServer;
  readonly #sockets = new Set<SocketConnection>();
  /** The sockets by heartbeat slice: a tick visits one slice, so each socket once per heartbeatMs. */
  readonly #slices: Set<SocketConnection>[];
  #slice = 0;
  readonly #heartbeat: NodeJS.Timeout;
  accepting = true;

  constructor(
    private readonly config: Config,
    private readonly hub: Hub,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: config.maxPayloadBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    // Spread over the interval, a slice at a time: pinging every socket in one burst stalled the
    // loop for its length (5,000 sockets held actions ~250 ms every heartbeat in the capacity
    // bench, bench/scenarios/capacity.ts), and every pong came back in a second burst.
    const slices = Math.max(1, Math.min(64, Math.floor(config.heartbeatMs / 10)));
    this.#slices = Array.from({ length: slices }, () => new Set<SocketConnection>());
    this.#heartbeat = setInterval(() => this.#beat(), config.heartbeatMs / slices);
  }

  get size(): number {
    return this.#sockets.size;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    const path = (req.url ?? "").split("?")[0];
    const full = this.#sockets.size >= this.config.maxConnections;
    if (path !== "/ws" || !this.accepting || full) {
      if (full) this.metrics.disconnects.inc({ reason: "max-connections" });
      const status = path !== "/ws" ? "404 Not Found" : "503 Service Unavailable";
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  #accept(ws: WebSocket): void {
    const conn = new SocketConnection(ws, this.config, this.metrics);
    conn.peer = this.hub.open(conn);
    this.#sockets.add(conn);
    this.#slices[conn.id % this.#slices.length].add(conn);
    this.metrics.connections.inc();
    // Every socket gets an error listener: an unhandled 'error' would crash the process (ws #1777).
    ws.on("error", (err) => this.log.debug({ err, conn: conn.id }, "socket error"));
    ws.on("pong", () => (conn.alive = true));
    ws.on("message", (data, isBinary) => this.#message(conn, data, isBinary));
    // A socket must say who it is soon; an anonymous one only holds a file descriptor.
    const helloTimer = setTimeout(() => {
      if (conn.peer.session || conn.peer.service) return;
      this.metrics.disconnects.inc({ reason: "no-hello" });
      conn.close(CloseCode.PolicyViolation, "no hello");
    }, this.config.helloTimeoutMs);
    ws.on("close", () => {
      clearTimeout(helloTimer);
      this.#sockets.delete(conn);
      this.#slices[conn.id % this.#slices.length].delete(conn);
      this.metrics.connections.dec();
      this.hub.close(conn.peer);
    });
  }

  #message(conn: SocketConnection, data: RawData, isBinary: boolean): void {
    const at = performance.now();
    conn.alive = true;
    this.metrics.framesIn.inc();
    const verdict = conn.take(at);
    if (verdict === "flood") {
      this.metrics.disconnects.inc({ reason: "flood" });
      conn.close(CloseCode.Flood, "too many messages");
      return;
    }
    if (verdict === "limited") {
      this.#refuse(conn, ErrorCode.RateLimited, `At most ${this.config.ratePerSecond} messages a second; this one was dropped.`);
      return;
    }
    if (isBinary) {
      this.#refuse(conn, ErrorCode.BadMessage, "Messages are JSON text frames, not binary.");
      return;
    }
    const decoded = decodeClientMessage(data.toString());
    if (!decoded.ok) {
      this.#refuse(conn, decoded.code, decoded.message, decoded.id);
      return;
    }
    this.hub.message(conn.peer, decoded.message, at);
  }

  #refuse(conn: SocketConnection, code: string, message: string, id?: string | number): void {
    this.metrics.protocolErrors.inc({ code });
    conn.send(frame({ type: "error", code, message, id }));
  }

  #beat(): void {
    const slice = this.#slices[this.#slice];
    this.#slice = (this.#slice + 1) % this.#slices.length;
    for (const conn of slice) {
      if (!conn.alive) {
        this.metrics.disconnects.inc({ reason: "heartbeat" });
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  /** Send one frame to every socket (shutdown notice). */
  broadcast(f: OutFrame): void {
    for (const conn of this.#sockets) conn.send(f);
  }

  /** Close every socket and stop the heartbeat. */
  async closeAll(code: number, reason: string): Promise<void> {
    clearInterval(this.#heartbeat);
    const closing = [...this.#sockets].map(
      (conn) =>
        new Promise<void>((resolve) => {
          if (conn.ws.readyState === WebSocket.CLOSED) return resolve();
          conn.ws.once("close", () => resolve());
          conn.close(code, reason);
          setTimeout(() => {
            conn.ws.terminate();
            resolve();
          }, 1000).unref();
        }),
    );
    await Promise.all(closing);
    this.wss.close();
  }
}
