import { createHash, timingSafeEqual } from "node:crypto";
import type { Logger } from "pino";
import { CloseCode, ErrorCode, PROTOCOL_VERSION, type ClientMessage } from "../protocol/index.ts";
import type { Connection } from "./connection.ts";
import { playerName } from "../protocol/text.ts";
import { frame } from "./frame.ts";
import type { Lobby } from "./lobby.ts";
import type { Directory } from "./ports/directory.ts";
import { Tokens } from "./tokens.ts";

/** A player, independent of any socket: the token names it, sockets come and go. */
interface Session {
  playerId: string;
  name: string;
  conn: Connection | null;
  /** The id of the table the player sits at or watches on this node. */
  table: string | null;
  /** The peer of `conn`, so a replaced socket can be cut off from the session at once. */
  peer: Peer | null;
}

/** Per-socket state: who this socket speaks for, once it has said hello. */
export interface Peer {
  conn: Connection;
  session: Session | null;
  /** A bot service's control socket (service.hello): the lobby sends it seat requests. */
  service?: boolean;
}

/**
 * Sessions and routing. It turns a socket's messages into messages for the lobby or for the
 * player's table, and never touches a table's state.
 */
export class Hub {
  readonly #sessions = new Map<string, Session>();

  constructor(
    private readonly tokens: Tokens,
    private readonly lobby: Lobby,
    private readonly log: Logger,
    /** BOT_SERVICE_SECRET; null: no bot service may connect. */
    private readonly serviceSecret: string | null,
    private readonly directory: Directory,
    /** The live nodes' public URLs, for `welcome` (undefined: a single node). */
    private readonly nodes: () => string[] | undefined,
  ) {}

  /**
   * A table wants to seat (or let watch) a player on `conn`. The table decides nothing until the
   * session agrees: "elsewhere" if the player is already at another table, "gone" if `conn` is no
   * longer the player's socket (it closed, or a newer one replaced it, while the request queued).
   */
  claim(playerId: string, tableId: string, conn: Connection): "ok" | "elsewhere" | "gone" {
    const session = this.#sessions.get(playerId);
    if (!session || session.conn !== conn) return "gone";
    if (session.table && session.table !== tableId) return "elsewhere";
    if (session.table !== tableId) this.#route(playerId, tableId);
    session.table = tableId;
    return "ok";
  }

  /**
   * A table no longer holds the player (left, freed, closed). Only that table's route is cleared.
   * `moved`: the table went to another node, which holds the player now: the cluster's route stays.
   */
  released(playerId: string, tableId: string, moved = false): void {
    const session = this.#sessions.get(playerId);
    if (!moved) this.#route(playerId, null, tableId);
    if (!session || session.table !== tableId) return;
    session.table = null;
    if (session.conn === null) this.#sessions.delete(playerId);
  }

  /** Where the cluster sends this player when they reconnect through any node. */
  #route(playerId: string, tableId: string | null, from?: string): void {
    const write = tableId === null && from !== undefined ? this.#clearRoute(playerId, from) : this.directory.setPlayer(playerId, tableId);
    write.catch((err: unknown) => this.log.warn({ err }, "the directory could not record where a player is"));
  }

  async #clearRoute(playerId: string, from: string): Promise<void> {
    // Only the route to this table: the player may already be at another one.
    if ((await this.directory.playerTable(playerId)) === from) await this.directory.setPlayer(playerId, null);
  }

  #table(session: Session) {
    return session.table === null ? undefined : this.lobby.table(session.table);
  }

  open(conn: Connection): Peer {
    return { conn, session: null };
  }

  message(peer: Peer, msg: ClientMessage, at: number): void {
    const { conn } = peer;
    if (peer.service) return this.#error(conn, ErrorCode.BadMessage, "A bot service's socket only receives service.seat requests.", msg.id);
    if (msg.type === "hello") return this.#hello(peer, msg);
    if (msg.type === "service.hello") return this.#serviceHello(peer, msg);
    const session = peer.session;
    if (!session) return this.#error(conn, ErrorCode.HelloFirst, "Send hello first.", msg.id);
    switch (msg.type) {
      case "lobby.subscribe":
        this.lobby.post({ type: "subscribe", conn, reqId: msg.id });
        return;
      case "lobby.unsubscribe":
        this.lobby.post({ type: "unsubscribe", conn, reqId: msg.id });
        return;
      case "quick.join":
        if (session.table) return this.#alreadySeated(conn, msg.id);
        this.lobby.post({ type: "quickJoin", who: this.#who(session, conn), reqId: msg.id });
        return;
      case "quick.leave":
        this.lobby.post({ type: "quickLeave", who: this.#who(session, conn), reqId: msg.id });
        return;
      case "table.create":
        if (session.table) return this.#alreadySeated(conn, msg.id);
        this.lobby.post({ type: "create", who: this.#who(session, conn), settings: msg.settings, reqId: msg.id });
        return;
      case "table.join":
      case "table.watch":
        if (!msg.tableId && !msg.code) {
          return this.#error(conn, ErrorCode.BadMessage, "Name a table by `tableId` or `code`.", msg.id);
        }
        if (session.table) {
          const at = this.#table(session);
          if ((msg.tableId && msg.tableId !== session.table) || (msg.code && msg.code.trim().toUpperCase() !== at?.code)) {
            return this.#alreadySeated(conn, msg.id);
          }
        }
        this.lobby.post({
          type: "join",
          who: this.#who(session, conn),
          tableId: msg.tableId,
          code: msg.code,
          watch: msg.type === "table.watch",
          ticket: msg.type === "table.join" ? msg.ticket : undefined,
          reqId: msg.id,
        });
        return;
      case "table.leave": {
        const table = this.#table(session);
        if (!table) return this.#error(conn, ErrorCode.NotAtTable, "You are not at a table.", msg.id);
        table.control({ type: "leave", playerId: session.playerId, conn, reqId: msg.id });
        return;
      }
      case "rematch":
        // Specified in docs/protocol.md; the table does not offer rematches yet.
        return this.#error(conn, ErrorCode.NoRematch, "No rematch is on offer at this table.", msg.id);
      case "play":
      case "pass":
      case "ready":
      case "chat":
      case "react": {
        const table = this.#table(session);
        if (!table) return this.#error(conn, ErrorCode.NotAtTable, "You are not at a table.", msg.id);
        if (!table.post({ type: "client", playerId: session.playerId, conn, msg, at })) {
          this.#error(conn, ErrorCode.TableClosed, "That table is closed or too busy.", msg.id);
        }
        return;
      }
    }
  }

  #who(session: Session, conn: Connection) {
    return { playerId: session.playerId, name: session.name, conn };
  }

  close(peer: Peer): void {
    if (peer.service) this.lobby.post({ type: "service", conn: peer.conn, up: false });
    // Whatever the lobby holds for this socket (subscription, queue place) goes with it.
    this.lobby.post({ type: "gone", conn: peer.conn });
    const session = peer.session;
    if (!session || session.conn !== peer.conn) return;
    session.conn = null;
    session.peer = null;
    const table = this.#table(session);
    if (table) table.control({ type: "detach", playerId: session.playerId, conn: peer.conn });
    else this.#sessions.delete(session.playerId);
  }

  #hello(peer: Peer, msg: Extract<ClientMessage, { type: "hello" }>): void {
    const { conn } = peer;
    if (peer.session) return this.#error(conn, ErrorCode.AlreadyHello, "This socket has already said hello.", msg.id);
    if (msg.v !== PROTOCOL_VERSION) {
      this.#error(conn, ErrorCode.Version, `This server speaks protocol version ${PROTOCOL_VERSION}, not ${msg.v}. Reload the page or update the client.`, msg.id);
      conn.close(CloseCode.BadVersion, "unsupported protocol version");
      return;
    }
    // What other people cannot see (controls, bidi overrides, zero-width characters) is not a name.
    const name = playerName(msg.name);
    // A token this server did not sign (a forged one, or one from before a restart with a new
    // secret) names nobody: the socket gets a fresh identity and owns no seat.
    const known = msg.token ? this.tokens.verify(msg.token) : null;
    const playerId = known ?? Tokens.newPlayerId();
    let session = this.#sessions.get(playerId);
    if (session?.conn && session.conn !== conn) {
      const old = session.conn;
      old.send(frame({ type: "error", code: ErrorCode.Replaced, message: "You connected from somewhere else; this connection is closed." }));
      old.close(CloseCode.Replaced, "replaced by a newer connection");
      // The old socket speaks for nobody from now on; its lobby state moves to the new one.
      if (session.peer) session.peer.session = null;
      this.lobby.post({ type: "rebind", from: old, to: conn });
    }
    if (!session) {
      session = { playerId, name, conn, table: null, peer };
      this.#sessions.set(playerId, session);
    }
    session.conn = conn;
    session.peer = peer;
    // At a table, a player keeps the name the table shows (welcome says so); a new name counts
    // from the next table. Renaming a seat mid-match would let a player pass for another.
    if (session.table === null) session.name = name;
    peer.session = session;
    if (msg.token && !known) this.log.debug("hello with a token this server did not sign");
    const welcome = (tableId: string | null) =>
      conn.send(frame({ type: "welcome", id: msg.id, v: PROTOCOL_VERSION, playerId, name: session.name, token: this.tokens.issue(playerId), tableId, nodes: this.nodes() }));
    const table = this.#table(session);
    if (table || !known) {
      welcome(table?.id ?? null);
      table?.control({ type: "attach", playerId, conn });
      return;
    }
    // A known player this node holds no seat for: the cluster may (a reconnect after a restart,
    // a failover, or a client that entered by another node).
    this.#locate(session, conn, welcome);
  }

  #locate(session: Session, conn: Connection, welcome: (tableId: string | null) => void): void {
    const { playerId } = session;
    (async () => {
      const tableId = await this.directory.playerTable(playerId);
      return tableId ? { tableId, where: await this.lobby.locate(tableId) } : null;
    })().then(
      (found) => {
        if (session.conn !== conn) return; // replaced or closed meanwhile
        if (found?.where === "retry") {
          // The table is changing hands this instant: the client reconnects and asks again.
          conn.close(CloseCode.TryAgainLater, "the table is moving; reconnect");
          return;
        }
        if (!found?.where) {
          if (found) this.#route(playerId, null, found.tableId);
          return welcome(null);
        }
        if ("url" in found.where) {
          welcome(found.tableId);
          conn.send(frame({ type: "redirect", tableId: found.tableId, url: found.where.url, reason: "owner" }));
          return;
        }
        if (session.table === null) session.table = found.tableId;
        welcome(session.table);
        this.#table(session)?.control({ type: "attach", playerId, conn });
      },
      (err: unknown) => {
        this.log.warn({ err }, "could not ask the directory where a player is");
        if (session.conn === conn) welcome(null);
      },
    );
  }

  #serviceHello(peer: Peer, msg: Extract<ClientMessage, { type: "service.hello" }>): void {
    const { conn } = peer;
    if (peer.session || peer.service) return this.#error(conn, ErrorCode.AlreadyHello, "This socket has already said hello.", msg.id);
    if (msg.v !== PROTOCOL_VERSION) {
      this.#error(conn, ErrorCode.Version, `This server speaks protocol version ${PROTOCOL_VERSION}, not ${msg.v}.`, msg.id);
      conn.close(CloseCode.BadVersion, "unsupported protocol version");
      return;
    }
    // Compare digests in constant time: the secret's length and prefix stay unknown to a guesser.
    const digest = (text: string) => createHash("sha256").update(text).digest();
    if (!this.serviceSecret || !timingSafeEqual(digest(msg.secret), digest(this.serviceSecret))) {
      this.log.warn("a bot service presented a wrong secret (or BOT_SERVICE_SECRET is unset)");
      this.#error(conn, ErrorCode.BadSecret, "This server does not accept that bot service secret.", msg.id);
      conn.close(CloseCode.PolicyViolation, "bad service secret");
      return;
    }
    peer.service = true;
    this.lobby.post({ type: "service", conn, up: true });
    conn.send(frame({ type: "service.welcome", id: msg.id, v: PROTOCOL_VERSION }));
    this.log.info({ name: msg.name }, "bot service connected");
  }

  #alreadySeated(conn: Connection, id: string | number | undefined): void {
    this.#error(conn, ErrorCode.AlreadySeated, "You are already at a table; leave it first.", id);
  }

  #error(conn: Connection, code: string, message: string, id: string | number | undefined): void {
    conn.send(frame({ type: "error", code, message, id }));
  }
}
