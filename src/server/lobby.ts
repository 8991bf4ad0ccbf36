import { randomBytes, randomInt } from "node:crypto";
import { resolveVariant } from "../rules/index.ts";
import { ErrorCode, type TableSettings, type TableSettingsInput, type TableSummary } from "../protocol/index.ts";
import type { Connection } from "./connection.ts";
import { frame } from "./frame.ts";
import { Mailbox } from "./mailbox.ts";
import { Table, type TableHost } from "./table.ts";

type ReqId = string | number | undefined;
interface Who {
  playerId: string;
  name: string;
  conn: Connection;
}

export type LobbyMsg =
  | { type: "subscribe"; conn: Connection; reqId: ReqId }
  | { type: "unsubscribe"; conn: Connection; reqId: ReqId }
  | { type: "create"; who: Who; settings: TableSettingsInput; reqId: ReqId }
  | { type: "join"; who: Who; tableId?: string; code?: string; watch: boolean; ticket?: string; reqId: ReqId }
  | { type: "quickJoin"; who: Who; reqId: ReqId }
  | { type: "quickLeave"; who: Who; reqId: ReqId }
  | { type: "gone"; conn: Connection }
  | { type: "rebind"; from: Connection; to: Connection }
  | { type: "summary"; table: Table; summary: TableSummary }
  | { type: "closed"; table: Table }
  | { type: "quickTick" }
  | { type: "drain" }
  /** A bot service's control socket came (up) or went. */
  | { type: "service"; conn: Connection; up: boolean }
  /** A table (BOTS=external) wants a service bot at `seat`, holding `ticket`. */
  | { type: "botRequest"; table: Table; seat: number; ticket: string };

/** Parts of the lobby's host the tables don't need. */
export interface LobbyHost extends Omit<TableHost, "summary" | "closed" | "requestBot"> {
  tableOpened(): void;
  tableClosed(): void;
}

// No 0/O, 1/I/L: codes are read aloud and typed on phones.
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export class SettingsError extends Error {}

/** Fill in defaults and check what the schema cannot (the variant, the match end, the bots). */
export function resolveSettings(input: TableSettingsInput, defaults: { turnSeconds: number }, fallbackName: string): TableSettings {
  const seats = input.seats ?? 4;
  let variant;
  try {
    variant = resolveVariant(input.variant ?? {});
  } catch (e) {
    throw new SettingsError((e as Error).message);
  }
  const deals = input.deals === undefined ? (input.lossLimit ? null : 4) : input.deals;
  const lossLimit = input.lossLimit ?? null;
  if (deals === null && lossLimit === null) throw new SettingsError("A match needs a number of deals, a loss limit, or both.");
  const bots = input.bots ?? 0;
  if (bots > seats - 1) throw new SettingsError(`A ${seats}-seat table has room for at most ${seats - 1} bots beside you.`);
  return {
    name: input.name?.trim() || fallbackName,
    seats,
    variant,
    turnSeconds: input.turnSeconds ?? defaults.turnSeconds,
    deals,
    lossLimit,
    private: input.private ?? false,
    botLevel: input.botLevel ?? "normal",
    fillWithBotsAfter: input.fillWithBotsAfter ?? null,
  };
}

/**
 * The lobby actor: it alone owns the table directory, the invite codes, the public listing's
 * subscribers and the quick-match queue. Tables report to it by message.
 */
export class Lobby {
  readonly mailbox: Mailbox<LobbyMsg>;
  readonly #tables = new Map<string, Table>();
  readonly #codes = new Map<string, Table>();
  readonly #subscribers = new Set<Connection>();
  /** The public tables as they last reported themselves: a subscribe reads this, not the tables. */
  readonly #listing = new Map<string, TableSummary>();
  readonly #queue: (Who & { since: number })[] = [];
  #queueTimer: NodeJS.Timeout | null = null;
  #draining = false;
  /** Connected bot services; requests go round-robin. */
  readonly #services: Connection[] = [];
  #nextService = 0;
  readonly #tableHost: TableHost;

  constructor(private readonly host: LobbyHost) {
    this.mailbox = new Mailbox<LobbyMsg>(
      (m) => this.#handle(m),
      (error, m) => host.log.error({ err: error, message: m.type }, "lobby message failed"),
      100_000,
    );
    this.#tableHost = {
      ...host,
      summary: (table, summary) => this.post({ type: "summary", table, summary }),
      closed: (table) => this.post({ type: "closed", table }),
      requestBot: (table, seat, ticket) => this.post({ type: "botRequest", table, seat, ticket }),
    };
  }

  post(m: LobbyMsg): boolean {
    return this.mailbox.post(m);
  }

  /** Every open table, for draining. */
  tables(): Table[] {
    return [...this.#tables.values()];
  }

  #handle(m: LobbyMsg): void {
    switch (m.type) {
      case "subscribe": {
        this.#subscribers.add(m.conn);
        const tables = [...this.#listing.values()];
        return m.conn.send(frame({ type: "lobby.list", id: m.reqId, tables }));
      }
      case "unsubscribe":
        this.#subscribers.delete(m.conn);
        if (m.reqId !== undefined) m.conn.send(frame({ type: "ack", id: m.reqId }));
        return;
      case "create":
        return this.#create(m.who, m.settings, m.reqId);
      case "join":
        return this.#join(m);
      case "quickJoin":
        return this.#quickJoin(m.who, m.reqId);
      case "quickLeave": {
        const i = this.#queue.findIndex((q) => q.playerId === m.who.playerId);
        if (i < 0) return this.#error(m.who.conn, ErrorCode.NotInQueue, "You are not waiting for a quick match.", m.reqId);
        this.#queue.splice(i, 1);
        if (m.reqId !== undefined) m.who.conn.send(frame({ type: "ack", id: m.reqId }));
        return;
      }
      case "gone": {
        this.#subscribers.delete(m.conn);
        const i = this.#queue.findIndex((q) => q.conn === m.conn);
        if (i >= 0) this.#queue.splice(i, 1);
        return;
      }
      case "rebind":
        if (this.#subscribers.delete(m.from)) this.#subscribers.add(m.to);
        for (const q of this.#queue) if (q.conn === m.from) q.conn = m.to;
        return;
      case "summary":
        if (!this.#tables.has(m.table.id) || m.table.settings.private) return;
        return this.#list(m.summary);
      case "closed":
        if (!this.#tables.delete(m.table.id)) return;
        this.#listing.delete(m.table.id);
        if (m.table.code) this.#codes.delete(m.table.code);
        this.host.tableClosed();
        if (!m.table.settings.private) this.#publish(frame({ type: "lobby.remove", tableId: m.table.id }));
        return;
      case "quickTick":
        return this.#quickTick();
      case "service": {
        const i = this.#services.indexOf(m.conn);
        if (m.up && i < 0) this.#services.push(m.conn);
        if (!m.up && i >= 0) this.#services.splice(i, 1);
        return;
      }
      case "botRequest":
        return this.#botRequest(m.table, m.seat, m.ticket);
      case "drain":
        this.#draining = true;
        if (this.#queueTimer) clearInterval(this.#queueTimer);
        this.#queueTimer = null;
        for (const q of this.#queue.splice(0)) this.#error(q.conn, ErrorCode.ShuttingDown, "The server is shutting down.", undefined);
        return;
    }
  }

  /** Keep the public listing from the tables' own reports, and tell the subscribers. */
  #list(summary: TableSummary): void {
    this.#listing.set(summary.tableId, summary);
    this.#publish(frame({ type: "lobby.table", table: summary }));
  }

  #publish(f: ReturnType<typeof frame>): void {
    for (const conn of this.#subscribers) conn.send(f);
  }

  #error(conn: Connection, code: string, message: string, id: ReqId): void {
    conn.send(frame({ type: "error", code, message, id }));
  }

  #refuseIfFull(conn: Connection, reqId: ReqId): boolean {
    if (this.#draining) {
      this.#error(conn, ErrorCode.ShuttingDown, "The server is shutting down and takes no new tables.", reqId);
      return true;
    }
    if (this.#tables.size >= this.host.config.maxTables) {
      this.#error(conn, ErrorCode.TableFull, "This server holds as many tables as it can; try again soon.", reqId);
      return true;
    }
    return false;
  }

  #open(settings: TableSettings): Table {
    let id: string;
    do id = randomBytes(6).toString("base64url");
    while (this.#tables.has(id));
    let code: string | null = null;
    if (settings.private) {
      do code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
      while (this.#codes.has(code));
    }
    const table = new Table(id, code, settings, this.#tableHost);
    this.#tables.set(id, table);
    if (code) this.#codes.set(code, table);
    this.host.tableOpened();
    return table;
  }

  #create(who: Who, input: TableSettingsInput, reqId: ReqId): void {
    if (this.#refuseIfFull(who.conn, reqId)) return;
    let settings: TableSettings;
    try {
      settings = resolveSettings(input, this.host.config, `${who.name}'s table`);
    } catch (e) {
      if (!(e instanceof SettingsError)) throw e;
      return this.#error(who.conn, ErrorCode.BadSettings, e.message, reqId);
    }
    this.#dequeue(who.playerId);
    const table = this.#open(settings);
    table.addBots(input.bots ?? 0);
    // Listed by the table's own report once the creator is seated (its summaries reach this
    // mailbox in order). Reading the table's summary here as well would publish its newest
    // state ahead of the reports the join has already queued, and the listing would go backwards.
    table.post({ type: "join", playerId: who.playerId, name: who.name, conn: who.conn, reqId });
  }

  #join(m: Extract<LobbyMsg, { type: "join" }>): void {
    if (this.#draining) return this.#error(m.who.conn, ErrorCode.ShuttingDown, "The server is shutting down.", m.reqId);
    const code = m.code?.trim().toUpperCase();
    const table = (m.tableId && this.#tables.get(m.tableId)) || (code && this.#codes.get(code)) || (m.watch && m.tableId && this.#codes.get(m.tableId.toUpperCase())) || null;
    if (!table) return this.#error(m.who.conn, ErrorCode.TableNotFound, "No open table has that id or code.", m.reqId);
    const { playerId, name, conn } = m.who;
    this.#dequeue(playerId);
    if (m.watch) table.post({ type: "watch", playerId, name, conn, reqId: m.reqId });
    else table.post({ type: "join", playerId, name, conn, ticket: m.ticket, reqId: m.reqId });
  }

  /** A player who sits down or watches somewhere leaves the quick-match queue. */
  #dequeue(playerId: string): void {
    const i = this.#queue.findIndex((q) => q.playerId === playerId);
    if (i >= 0) this.#queue.splice(i, 1);
  }

  /** Pass a table's bot request to a connected bot service, or tell the table there is none. */
  #botRequest(table: Table, seat: number, ticket: string): void {
    if (!this.#tables.has(table.id)) return;
    if (this.#services.length === 0) {
      table.post({ type: "botFallback", seat, ticket, reason: "no bot service is connected" });
      return;
    }
    const service = this.#services[this.#nextService++ % this.#services.length];
    const expiresInMs = this.host.config.botServiceWaitMs;
    service.send(frame({ type: "service.seat", tableId: table.id, seat, level: table.settings.botLevel, ticket, expiresInMs }));
  }

  #quickJoin(who: Who, reqId: ReqId): void {
    if (this.#refuseIfFull(who.conn, reqId)) return;
    const existing = this.#queue.findIndex((q) => q.playerId === who.playerId);
    if (existing >= 0) this.#queue[existing].conn = who.conn;
    else this.#queue.push({ ...who, since: Date.now() });
    this.#sendStatus(reqId, who.conn);
    this.#queueTimer ??= setInterval(() => this.post({ type: "quickTick" }), 1000);
    if (this.#queue.length >= 4) this.#seatQueue(4);
  }

  #sendStatus(reqId: ReqId, only?: Connection): void {
    const now = Date.now();
    const waitMs = this.host.config.quickMatchWaitSeconds * 1000;
    for (const q of this.#queue) {
      if (only && q.conn !== only) continue;
      const waitedMs = now - q.since;
      q.conn.send(
        frame({
          type: "quick.status",
          id: only ? reqId : undefined,
          waiting: this.#queue.length,
          waitedMs,
          botsInMs: Math.max(0, waitMs - (now - this.#queue[0].since)),
        }),
      );
    }
  }

  #quickTick(): void {
    if (this.#queue.length === 0) {
      if (this.#queueTimer) clearInterval(this.#queueTimer);
      this.#queueTimer = null;
      return;
    }
    if (Date.now() - this.#queue[0].since >= this.host.config.quickMatchWaitSeconds * 1000) {
      return this.#seatQueue(Math.min(4, this.#queue.length));
    }
    this.#sendStatus(undefined);
  }

  #seatQueue(n: number): void {
    const players = this.#queue.splice(0, n);
    // If a queued player turns out to be seated elsewhere the table refuses them; bots then
    // take the empty seat after a short wait instead of leaving the others waiting.
    const settings = resolveSettings({ name: "Quick match", fillWithBotsAfter: 10 }, this.host.config, "Quick match");
    const table = this.#open(settings);
    table.addBots(4 - players.length);
    // Listed by the table's own reports, as in #create.
    for (const p of players) table.post({ type: "join", playerId: p.playerId, name: p.name, conn: p.conn });
  }
}
