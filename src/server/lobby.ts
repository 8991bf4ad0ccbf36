import { randomBytes, randomInt } from "node:crypto";
import { resolveVariant } from "../rules/index.ts";
import { CloseCode, ErrorCode, type BotLevel, type TableSettings, type TableSettingsInput, type TableSummary } from "../protocol/index.ts";
import type { Connection } from "./connection.ts";
import { frame } from "./frame.ts";
import { Mailbox } from "./mailbox.ts";
import type { Directory, ListingChange, NodeInfo } from "./ports/directory.ts";
import type { TableMeta } from "./ports/table-log.ts";
import { PerAddress } from "./address.ts";
import { LobbyFeed } from "./lobby-feed.ts";
import { KeyedQuota } from "./quota.ts";
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
  | { type: "join"; who: Who; tableId?: string; code?: string; watch: boolean; ticket?: string; reqId: ReqId; resolved?: boolean }
  | { type: "quickJoin"; who: Who; reqId: ReqId }
  | { type: "quickLeave"; who: Who; reqId: ReqId }
  | { type: "gone"; conn: Connection }
  | { type: "rebind"; from: Connection; to: Connection }
  | { type: "summary"; tableId: string; summary: TableSummary; listed: boolean }
  | { type: "closed"; tableId: string; code: string | null; listed: boolean }
  /** A table this node held is another node's now: forget it and send its sockets there. */
  | { type: "lost"; tableId: string; code: string | null; conns: Connection[] }
  /** A table made or adopted by this node, ready to run (the lobby owns it from now). */
  | { type: "install"; table: Table; adopted: boolean; done: (table: Table) => void }
  /** The cluster's listing changed (any node's table). */
  | { type: "listing"; change: ListingChange }
  /** This node lost its lease (a pause past it, or the store restarted): claim every table again. */
  | { type: "reclaim" }
  | { type: "quickTick" }
  /** Send the lobby subscribers the listing's changes since the last flush. */
  | { type: "feedFlush" }
  | { type: "drain" }
  /** A bot service's control socket came (up) or went. */
  | { type: "service"; conn: Connection; up: boolean }
  /** A table (BOTS=external) wants a service bot at `seat`, holding `ticket`. */
  | { type: "botRequest"; tableId: string; seat: number; ticket: string; level: BotLevel };

/** Parts of the lobby's host the tables don't need. */
export interface LobbyHost extends Omit<TableHost, "summary" | "closed" | "requestBot" | "lost"> {
  directory: Directory;
  node: NodeInfo;
  /** Several nodes: the node that keeps the quick-match queue (see Membership.matchmaker). */
  matchmaker?: () => NodeInfo;
  tableOpened(): void;
  tableClosed(): void;
}

/** Where a table is, seen from this node; "retry": it is changing hands right now, ask again shortly. */
export type Located = { local: Table } | { url: string } | "retry" | null;

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
 * The lobby actor: it alone owns this node's tables (by id), their invite codes, the listing's
 * subscribers and the quick-match queue. Tables report to it by message. What the cluster shares
 * (owners, codes, players, the public listing) is in the directory; the lobby asks it, off its
 * own turn, and acts on the answer by message.
 */
export class Lobby {
  readonly mailbox: Mailbox<LobbyMsg>;
  readonly #tables = new Map<string, Table>();
  readonly #codes = new Map<string, Table>();
  /** The public listing as each subscriber sees it: a page, changes about once a second. */
  readonly #feed: LobbyFeed;
  #feedTimer: NodeJS.Timeout | null = null;
  /** Who created each open table: tables per address and per player are limited (issue 19). */
  readonly #creators = new Map<string, { address: string; playerId: string }>();
  readonly #openByAddress: PerAddress;
  readonly #openByPlayer: PerAddress;
  readonly #createsByAddress: KeyedQuota | null;
  readonly #createsByPlayer: KeyedQuota | null;
  /** Unknown invite codes tried, by address and by player, across all their sockets. */
  readonly #guessesByAddress: KeyedQuota;
  readonly #guessesByPlayer: KeyedQuota;
  /** The cluster's public tables, as their owners last reported them: a subscribe reads this. */
  readonly #queue: (Who & { since: number })[] = [];
  #queueTimer: NodeJS.Timeout | null = null;
  #draining = false;
  /** Tables being created or adopted (not installed yet): counted against maxTables. */
  #opening = 0;
  /** Ids of the tables being created (claimed in the directory, not installed yet). */
  readonly #openingIds = new Set<string>();
  /** Ids of tables that closed here and whose directory entry is being removed. */
  readonly #closingIds = new Set<string>();
  /** Adoptions in flight, so two requests for one orphan adopt it once. */
  readonly #adopting = new Map<string, Promise<Table | null>>();
  /** Connected bot services; requests go round-robin. */
  readonly #services: Connection[] = [];
  #nextService = 0;
  readonly #tableHost: TableHost;
  readonly #directory: Directory;

  constructor(private readonly host: LobbyHost) {
    this.mailbox = new Mailbox<LobbyMsg>(
      (m) => this.#handle(m),
      (error, m) => host.log.error({ err: error, message: m.type }, "lobby message failed"),
      100_000,
    );
    this.#directory = host.directory;
    const c = host.config;
    this.#feed = new LobbyFeed(c.lobbyPageSize, () => {
      this.#feedTimer = setTimeout(() => this.control({ type: "feedFlush" }), 1000);
      this.#feedTimer.unref();
    });
    this.#openByAddress = new PerAddress(c.tablesPerAddress);
    this.#openByPlayer = new PerAddress(c.tablesPerPlayer);
    this.#createsByAddress = c.tableCreatesPerMinute > 0 ? new KeyedQuota(c.tableCreatesPerMinute, c.tableCreatesPerMinute) : null;
    this.#createsByPlayer = c.tableCreatesPerMinute > 0 ? new KeyedQuota(c.tableCreatesPerMinute, c.tableCreatesPerMinute) : null;
    this.#guessesByAddress = new KeyedQuota(c.codeGuessesPerMinute, c.codeGuessesPerMinute);
    this.#guessesByPlayer = new KeyedQuota(c.codeGuessesPerMinute, c.codeGuessesPerMinute);
    this.#tableHost = {
      ...host,
      summary: (tableId, summary, listed) => this.control({ type: "summary", tableId, summary, listed }),
      closed: (tableId, code, listed) => this.control({ type: "closed", tableId, code, listed }),
      lost: (tableId, code, conns) => this.control({ type: "lost", tableId, code, conns }),
      requestBot: (tableId, seat, ticket, level) => this.control({ type: "botRequest", tableId, seat, ticket, level }),
    };
  }

  /** This node's id (known once the server listens). */
  get #nodeId(): string {
    return this.host.node.id;
  }

  /** Load the cluster's listing and follow its changes. */
  async start(): Promise<() => Promise<void>> {
    const stop = await this.#directory.onListing((change) => this.control({ type: "listing", change }));
    for (const table of await this.#directory.listing()) this.control({ type: "listing", change: { table } });
    return stop;
  }

  post(m: LobbyMsg): boolean {
    return this.mailbox.post(m);
  }

  control(m: LobbyMsg): boolean {
    return this.mailbox.control(m);
  }

  /** Every open table on this node, for draining and tooling. */
  tables(): Table[] {
    return [...this.#tables.values()];
  }

  /** This node's table with that id (to post it messages; never to touch its state). */
  table(tableId: string): Table | undefined {
    return this.#tables.get(tableId);
  }

  /**
   * Where a table is: here, on another live node (its URL), or nowhere (null). A table whose owner
   * is gone is adopted here on the spot: a player who reconnects needs not wait for a sweep.
   */
  async locate(tableId: string): Promise<Located> {
    const here = this.#tables.get(tableId);
    if (here) return { local: here };
    const owner = await this.#directory.owner(tableId);
    if (!owner) return null;
    if (owner.node !== this.#nodeId && owner.url !== null) return { url: owner.url };
    const adopted = await this.adopt(tableId);
    if (adopted) return { local: adopted };
    // Another node won the race to adopt it (or it is being installed here): the table exists,
    // so the player's route must stay; only a table with no owner record is gone.
    const now = await this.#directory.owner(tableId);
    if (!now) return null;
    if (now.node !== this.#nodeId && now.url !== null) return { url: now.url };
    return "retry";
  }

  /** This node runs the table, or is opening or adopting it. */
  holds(tableId: string): boolean {
    return this.#tables.has(tableId) || this.#openingIds.has(tableId) || this.#adopting.has(tableId) || this.#closingIds.has(tableId);
  }

  /** Take a table over from a node that is gone (or from this node before it lost its lease): replay its log here. */
  adopt(tableId: string): Promise<Table | null> {
    const here = this.#tables.get(tableId);
    if (here) return Promise.resolve(here);
    let pending = this.#adopting.get(tableId);
    if (!pending) {
      pending = this.#adoptNow(tableId).finally(() => this.#adopting.delete(tableId));
      this.#adopting.set(tableId, pending);
    }
    return pending;
  }

  async #adoptNow(tableId: string): Promise<Table | null> {
    if (this.#draining) return null;
    const fence = await this.#directory.adopt(tableId, this.#nodeId);
    if (!fence) return null;
    const stored = await this.host.tableLog.read(tableId);
    if (!stored) {
      // An owner record with no log: the table closed (or never opened) on a node that died first.
      await this.#directory.remove(tableId, fence);
      await this.#directory.publish({ remove: tableId });
      return null;
    }
    const table = new Table(stored.meta, fence, this.#tableHost, stored.entries);
    this.host.log.info({ table: tableId, epoch: fence.epoch, entries: stored.entries.length }, "adopted a table");
    return new Promise((done) => {
      if (!this.control({ type: "install", table, adopted: true, done })) {
        table.control({ type: "handOver" });
        done(null as unknown as Table);
      }
    });
  }

  #handle(m: LobbyMsg): void {
    switch (m.type) {
      case "subscribe": {
        return this.#feed.subscribe(m.conn, m.reqId);
      }
      case "unsubscribe":
        this.#feed.unsubscribe(m.conn);
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
        this.#feed.unsubscribe(m.conn);
        const i = this.#queue.findIndex((q) => q.conn === m.conn);
        if (i >= 0) this.#queue.splice(i, 1);
        return;
      }
      case "rebind":
        this.#feed.rebind(m.from, m.to);
        for (const q of this.#queue) if (q.conn === m.from) q.conn = m.to;
        return;
      case "summary":
        if (!this.#tables.has(m.tableId) || !m.listed) return;
        this.#shared(this.#directory.publish({ table: m.summary }));
        return;
      case "closed": {
        const table = this.#tables.get(m.tableId);
        if (!table) return;
        this.#forget(table);
        this.#closingIds.add(m.tableId);
        this.#shared(this.#directory.remove(m.tableId, table.fence).finally(() => this.#closingIds.delete(m.tableId)));
        if (m.listed) this.#shared(this.#directory.publish({ remove: m.tableId }));
        return;
      }
      case "lost": {
        const table = this.#tables.get(m.tableId);
        if (table) this.#forget(table);
        this.host.metrics.tablesLost.inc();
        this.#redirect(m.tableId, m.conns);
        return;
      }
      case "install": {
        const had = this.#tables.get(m.table.id);
        if (had || this.#draining) {
          m.table.control({ type: "handOver" });
          return m.done(had ?? (null as unknown as Table));
        }
        this.#tables.set(m.table.id, m.table);
        if (m.table.code) this.#codes.set(m.table.code, m.table);
        this.host.tableOpened();
        if (m.adopted) {
          this.host.metrics.tablesAdopted.inc();
          m.table.control({ type: "relist" });
        }
        return m.done(m.table);
      }
      case "listing":
        if ("table" in m.change) this.#feed.update(m.change.table);
        else this.#feed.remove(m.change.remove);
        return;
      case "feedFlush":
        this.#feedTimer = null;
        return this.#feed.flush();
      case "reclaim":
        return this.#reclaim();
      case "quickTick":
        return this.#quickTick();
      case "service": {
        const i = this.#services.indexOf(m.conn);
        if (m.up && i < 0) this.#services.push(m.conn);
        if (!m.up && i >= 0) this.#services.splice(i, 1);
        return;
      }
      case "botRequest":
        return this.#botRequest(m.tableId, m.seat, m.ticket, m.level);
      case "drain":
        this.#draining = true;
        if (this.#queueTimer) clearInterval(this.#queueTimer);
        this.#queueTimer = null;
        for (const q of this.#queue.splice(0)) this.#error(q.conn, ErrorCode.ShuttingDown, "The server is shutting down.", undefined);
        return;
    }
  }

  #forget(table: Table): void {
    this.#tables.delete(table.id);
    const creator = this.#creators.get(table.id);
    if (creator) {
      this.#creators.delete(table.id);
      this.#openByAddress.release(creator.address);
      this.#openByPlayer.release(creator.playerId);
    }
    if (table.code && this.#codes.get(table.code) === table) this.#codes.delete(table.code);
    this.host.tableClosed();
  }

  /** A directory write whose failure loses nothing a player needs now: logged, not thrown. */
  #shared(write: Promise<void>): void {
    write.catch((err: unknown) => this.host.log.warn({ err }, "a directory write failed"));
  }

  /** Send a moved table's sockets to its new owner (or, if none is known yet, let them reconnect anywhere). */
  #redirect(tableId: string, conns: Connection[]): void {
    if (conns.length === 0) return;
    this.#directory.owner(tableId).then(
      (owner) => {
        for (const conn of conns) {
          if (owner?.url) conn.send(frame({ type: "redirect", tableId, url: owner.url, reason: "moved" }));
          conn.close(CloseCode.Moved, "the table moved to another node");
        }
      },
      () => {
        for (const conn of conns) conn.close(CloseCode.Moved, "the table moved to another node");
      },
    );
  }

  /** After this node lost its lease: each table is claimed again, or given up to the node that has it now. */
  #reclaim(): void {
    for (const table of this.#tables.values()) {
      this.#directory.adopt(table.id, this.#nodeId).then(
        (fence) => {
          if (!fence) return table.control({ type: "lost" });
          table.control({
            type: "rewrite",
            fence,
            done: (ok) => {
              if (!ok) this.host.log.warn({ table: table.id }, "a re-claimed table's log could not be written; it is tried again with the next lease");
            },
          });
        },
        (err: unknown) => this.host.log.warn({ err, table: table.id }, "could not re-claim a table"),
      );
    }
  }


  #error(conn: Connection, code: string, message: string, id: ReqId): void {
    conn.send(frame({ type: "error", code, message, id }));
  }

  #refuseIfFull(conn: Connection, reqId: ReqId): boolean {
    if (this.#draining) {
      this.#error(conn, ErrorCode.ShuttingDown, "The server is shutting down and takes no new tables.", reqId);
      return true;
    }
    if (this.#tables.size + this.#opening >= this.host.config.maxTables) {
      this.#error(conn, ErrorCode.TableFull, "This server holds as many tables as it can; try again soon.", reqId);
      return true;
    }
    return false;
  }

  /**
   * Open a table: claim it in the directory (epoch 1), write its meta, then install it. `ready`
   * runs in the lobby's turn once it is installed; a failure tells `conn`.
   */
  #open(settings: TableSettings, conn: Connection, reqId: ReqId, ready: (table: Table) => void, failed?: () => void): void {
    let id: string;
    do id = randomBytes(6).toString("base64url");
    while (this.#tables.has(id));
    let code: string | null = null;
    if (settings.private) {
      do code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
      while (this.#codes.has(code));
    }
    const meta: TableMeta = { tableId: id, code, settings, matchId: randomBytes(9).toString("base64url"), createdAt: this.host.clock.now() };
    this.#opening++;
    this.#openingIds.add(id);
    (async () => {
      const fence = await this.#directory.claim(id, code, this.#nodeId);
      await this.host.tableLog.create(meta, fence);
      return new Table(meta, fence, this.#tableHost);
    })().then(
      (table) => {
        this.control({
          type: "install",
          table,
          adopted: false,
          done: (installed) => {
            this.#opening--;
            this.#openingIds.delete(id);
            if (installed === table) return ready(table);
            failed?.();
            this.#error(conn, ErrorCode.ShuttingDown, "The server is shutting down and takes no new tables.", reqId);
          },
        });
      },
      (err: unknown) => {
        this.#opening--;
        this.#openingIds.delete(id);
        this.host.log.warn({ err }, "could not open a table");
        failed?.();
        this.#error(conn, ErrorCode.LogUnavailable, "The table could not be opened (its store is unreachable); try again.", reqId);
      },
    );
  }

  #create(who: Who, input: TableSettingsInput, reqId: ReqId): void {
    if (this.#refuseIfFull(who.conn, reqId)) return;
    const address = who.conn.address ?? "local";
    if (!this.#mayCreate(address, who.playerId)) {
      return this.#error(who.conn, ErrorCode.TooManyTables, "You have opened as many tables as you may for now; join one, or try again in a minute.", reqId);
    }
    let settings: TableSettings;
    try {
      settings = resolveSettings(input, this.host.config, `${who.name}'s table`);
    } catch (e) {
      if (!(e instanceof SettingsError)) throw e;
      return this.#error(who.conn, ErrorCode.BadSettings, e.message, reqId);
    }
    this.#dequeue(who.playerId);
    this.#createsByAddress?.take(address);
    this.#createsByPlayer?.take(who.playerId);
    this.#openByAddress.take(address);
    this.#openByPlayer.take(who.playerId);
    this.#open(
      settings,
      who.conn,
      reqId,
      (table) => {
        this.#creators.set(table.id, { address, playerId: who.playerId });
        this.#createTable(table, who, input, reqId);
      },
      () => {
        this.#openByAddress.release(address);
        this.#openByPlayer.release(who.playerId);
      },
    );
  }

  /**
   * One address (or player) may hold TABLES_PER_ADDRESS (TABLES_PER_PLAYER) open tables it
   * created, and create TABLE_CREATES_PER_MINUTE a minute: about 20 sockets of one address filled
   * MAX_TABLES in two minutes by creating and leaving tables (issue 19).
   */
  #mayCreate(address: string, playerId: string): boolean {
    const { tablesPerAddress, tablesPerPlayer } = this.host.config;
    if (tablesPerAddress > 0 && this.#openByAddress.count(address) >= tablesPerAddress) return false;
    if (tablesPerPlayer > 0 && this.#openByPlayer.count(playerId) >= tablesPerPlayer) return false;
    if (this.#createsByAddress && !this.#createsByAddress.allows(address)) return false;
    if (this.#createsByPlayer && !this.#createsByPlayer.allows(playerId)) return false;
    return true;
  }

  #createTable(table: Table, who: Who, input: TableSettingsInput, reqId: ReqId): void {
    table.addBots(input.bots ?? 0);
    // Listed by the table's own report once the creator is seated (its summaries reach this
    // mailbox in order). Reading the table's summary here as well would publish its newest
    // state ahead of the reports the join has already queued, and the listing would go backwards.
    table.post({ type: "join", playerId: who.playerId, name: who.name, conn: who.conn, reqId, invited: true });
  }

  #join(m: Extract<LobbyMsg, { type: "join" }>): void {
    if (this.#draining) return this.#error(m.who.conn, ErrorCode.ShuttingDown, "The server is shutting down.", m.reqId);
    const code = m.code?.trim().toUpperCase();
    // Invite codes are 6 of 31 characters: guessable at thousands of tries a second, so an
    // address (and a player) that has tried CODE_GUESSES_PER_MINUTE unknown ones, from however
    // many sockets, is refused, the right code included (a refusal tells nothing).
    const address = m.who.conn.address ?? "local";
    if (!m.resolved && (!this.#guessesByAddress.allows(address) || !this.#guessesByPlayer.allows(m.who.playerId))) {
      const wait = Math.ceil(Math.max(this.#guessesByAddress.waitMs(address), this.#guessesByPlayer.waitMs(m.who.playerId)) / 1000);
      return this.#error(m.who.conn, ErrorCode.TooManyGuesses, `Too many unknown table codes; try again in ${wait} s.`, m.reqId);
    }
    const table = (m.tableId && this.#tables.get(m.tableId)) || (code && this.#codes.get(code)) || (m.watch && m.tableId && this.#codes.get(m.tableId.toUpperCase())) || null;
    if (!table) {
      if (m.resolved) {
        this.#guessesByAddress.take(address);
        this.#guessesByPlayer.take(m.who.playerId);
        return this.#error(m.who.conn, ErrorCode.TableNotFound, "No open table has that id or code.", m.reqId);
      }
      return this.#joinElsewhere(m, code);
    }
    const { playerId, name, conn } = m.who;
    this.#dequeue(playerId);
    const invited = code !== undefined && code === table.code;
    const posted =
      m.watch ? table.post({ type: "watch", playerId, name, conn, reqId: m.reqId }) : table.post({ type: "join", playerId, name, conn, ticket: m.ticket, reqId: m.reqId, invited });
    if (!posted) this.#error(conn, ErrorCode.TableClosed, "That table is closed or too busy.", m.reqId);
  }

  /** A table this node does not hold: ask the directory, then send the player to its owner or adopt it here. */
  #joinElsewhere(m: Extract<LobbyMsg, { type: "join" }>, code: string | undefined): void {
    const { conn } = m.who;
    (async () => {
      // A watch link may name a private table by its code in `tableId`.
      let tableId = m.tableId && (await this.#directory.owner(m.tableId)) ? m.tableId : null;
      if (!tableId && code) tableId = await this.#directory.tableOfCode(code);
      if (!tableId && m.watch && m.tableId) tableId = await this.#directory.tableOfCode(m.tableId.toUpperCase());
      return tableId ? { tableId, where: await this.locate(tableId) } : null;
    })().then(
      (found) => {
        if (found?.where === "retry") {
          this.#error(conn, ErrorCode.LogUnavailable, "That table is moving between servers right now; try again in a moment.", m.reqId);
          return;
        }
        if (found?.where && "url" in found.where) {
          conn.send(frame({ type: "redirect", id: m.reqId, tableId: found.tableId, url: found.where.url, reason: "owner" }));
          return;
        }
        this.post({ ...m, tableId: found?.tableId ?? m.tableId, resolved: true });
      },
      (err: unknown) => {
        this.host.log.warn({ err }, "the directory could not be asked where a table is");
        this.#error(conn, ErrorCode.LogUnavailable, "The table could not be found right now; try again.", m.reqId);
      },
    );
  }

  /** A player who sits down or watches somewhere leaves the quick-match queue. */
  #dequeue(playerId: string): void {
    const i = this.#queue.findIndex((q) => q.playerId === playerId);
    if (i >= 0) this.#queue.splice(i, 1);
  }

  /** Pass a table's bot request to a connected bot service, or tell the table there is none. */
  #botRequest(tableId: string, seat: number, ticket: string, level: BotLevel): void {
    const table = this.#tables.get(tableId);
    if (!table) return;
    if (this.#services.length === 0) {
      table.control({ type: "botFallback", seat, ticket, reason: "no bot service is connected" });
      return;
    }
    const service = this.#services[this.#nextService++ % this.#services.length];
    const expiresInMs = this.host.config.botServiceWaitMs;
    service.send(frame({ type: "service.seat", tableId, seat, level, ticket, expiresInMs }));
  }

  #quickJoin(who: Who, reqId: ReqId): void {
    const matchmaker = this.host.matchmaker?.();
    if (matchmaker && matchmaker.id !== this.#nodeId) {
      // One queue for the cluster, so players who entered by different nodes meet.
      who.conn.send(frame({ type: "redirect", id: reqId, tableId: null, url: matchmaker.url, reason: "owner" }));
      return;
    }
    if (this.#refuseIfFull(who.conn, reqId)) return;
    const existing = this.#queue.findIndex((q) => q.playerId === who.playerId);
    if (existing >= 0) this.#queue[existing].conn = who.conn;
    else this.#queue.push({ ...who, since: Date.now() });
    this.#sendStatus(reqId, who.conn);
    this.#queueTimer ??= setInterval(() => this.control({ type: "quickTick" }), 1000);
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
    this.#open(settings, players[0].conn, undefined, (table) => {
      table.addBots(4 - players.length);
      // Listed by the table's own reports, as in #create.
      for (const p of players) table.post({ type: "join", playerId: p.playerId, name: p.name, conn: p.conn });
    });
  }
}
