import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, WebSocket, type RawData } from "ws";
import type { Logger } from "pino";
import { CloseCode, ErrorCode, decodeClientMessage, peekId } from "../protocol/index.ts";
import { ClientAddresses, PerAddress, normalAddress } from "./address.ts";
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
  /** Closed for a flood: what the socket still delivers is dropped unread and uncounted. */
  flooded = false;
  peer!: Peer;
  /** Who the client is (src/server/address.ts); with a trusted proxy, from X-Forwarded-For. */
  address = "unknown";
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

function refusal(status: string): string {
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}

export class Transport {
  readonly wss: WebSocketServer;
  readonly #sockets = new Set<SocketConnection>();
  /** The sockets by heartbeat slice: a tick visits one slice, so each socket once per heartbeatMs. */
  readonly #slices: Set<SocketConnection>[];
  #slice = 0;
  readonly #heartbeat: NodeJS.Timeout;
  accepting = true;
  /** Several nodes: the live nodes' public URLs (their pages may open sockets here). */
  clusterOrigins: () => readonly string[] = () => [];
  readonly #addresses: ClientAddresses;
  /** Connections per TCP peer, counted from accept: sockets, handshakes and plain HTTP alike. */
  readonly #perPeer: PerAddress;
  /** WebSockets per client address named by a trusted proxy (its own connections are not capped). */
  readonly #perClient: PerAddress;
  /** TCP connections open on the game port, handshakes and HTTP requests included. */
  #tcp = 0;

  constructor(
    private readonly config: Config,
    private readonly hub: Hub,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    /** Sockets upgraded past this get 503 (config.maxConnections, or the one derived at start). */
    private readonly maxConnections: number,
    /** TCP connections past this are dropped at accept: the files kept for the server's own use. */
    private readonly maxSockets: number = Number.POSITIVE_INFINITY,
  ) {
    this.#addresses = new ClientAddresses(config.trustProxy);
    this.#perPeer = new PerAddress(config.maxConnectionsPerAddress);
    this.#perClient = new PerAddress(config.maxConnectionsPerAddress);
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

  /** Take the game port's connections and upgrades, and put a deadline on every handshake. */
  attach(http: Server): void {
    // A connection that never finishes its request held a file for 60-90 s (Node's defaults, and
    // a check every 30 s); a thousand of them from one address kept everyone else out (issue 19).
    http.headersTimeout = this.config.handshakeTimeoutMs;
    http.requestTimeout = this.config.handshakeTimeoutMs;
    http.on("connection", (socket: Socket) => this.#connection(socket));
    http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  #connection(socket: Socket): void {
    const peer = normalAddress(socket.remoteAddress);
    this.#tcp++;
    let counted = false;
    socket.once("close", () => {
      this.#tcp--;
      if (counted) this.#perPeer.release(peer);
    });
    if (this.#tcp > this.maxSockets) {
      this.metrics.disconnects.inc({ reason: "max-sockets" });
      socket.destroy();
      return;
    }
    if (this.#addresses.isProxy(peer)) return;
    counted = this.#perPeer.take(peer);
    if (!counted) {
      this.metrics.disconnects.inc({ reason: "per-address" });
      socket.on("error", () => socket.destroy());
      socket.end(refusal("429 Too Many Requests"));
    }
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/ws") return void socket.end(refusal("404 Not Found"));
    if (!this.#originAllowed(req)) {
      this.metrics.disconnects.inc({ reason: "origin" });
      return void socket.end(refusal("403 Forbidden"));
    }
    const full = this.#sockets.size >= this.maxConnections;
    if (!this.accepting || full) {
      if (full) this.metrics.disconnects.inc({ reason: "max-connections" });
      return void socket.end(refusal("503 Service Unavailable"));
    }
    const address = this.#addresses.of(req);
    const proxied = this.#addresses.isProxy(normalAddress(req.socket.remoteAddress));
    if (proxied && !this.#perClient.take(address)) {
      this.metrics.disconnects.inc({ reason: "per-address" });
      return void socket.end(refusal("429 Too Many Requests"));
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = this.#accept(ws, address);
      if (proxied) ws.once("close", () => this.#perClient.release(conn.address));
    });
  }

  /**
   * A browser always sends Origin: a page elsewhere (or a sandboxed one: "null") may not use its
   * visitors' browsers as clients of this server (issue 19). Bots and tools send none and are served.
   */
  #originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return false;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
    // A configured list is the whole truth. Without one, a page from the host the request names
    // is this server's own page: a fresh clone works on any address, and a deployment that sets
    // ALLOWED_ORIGINS is also safe from DNS rebinding (a hostile name pointed at this server).
    // The cluster's own nodes: a page served by one node follows a redirect, or fails over, to another.
    if (this.clusterOrigins().some((url) => new URL(url).origin === parsed.origin)) return true;
    if (this.config.allowedOrigins.length > 0) return this.config.allowedOrigins.includes(parsed.origin);
    const host = req.headers.host?.toLowerCase();
    return host !== undefined && parsed.host === host;
  }

  #accept(ws: WebSocket, address: string): SocketConnection {
    const conn = new SocketConnection(ws, this.config, this.metrics);
    conn.address = address;
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
    return conn;
  }

  #message(conn: SocketConnection, data: RawData, isBinary: boolean): void {
    // ws still delivers what arrived before the close it was asked for: one flood, one count.
    if (conn.flooded) return;
    const at = performance.now();
    conn.alive = true;
    this.metrics.framesIn.inc();
    const verdict = conn.take(at);
    if (verdict === "flood") {
      conn.flooded = true;
      this.metrics.disconnects.inc({ reason: "flood" });
      conn.close(CloseCode.Flood, "too many messages");
      return;
    }
    if (verdict === "limited") {
      // The id is echoed so a client waiting for its reply learns it will not come. Bounded work:
      // past the burst by as much again, the socket is closed as a flood.
      const id = isBinary ? undefined : peekId(data.toString());
      this.#refuse(conn, ErrorCode.RateLimited, `At most ${this.config.ratePerSecond} messages a second; this one was dropped.`, id);
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
