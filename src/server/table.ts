import { randomBytes } from "node:crypto";
import { nextDealLeader, publicView, viewFor, type Action, type DealResult } from "../rules/index.ts";
import {
  CHAT_MAX_CHARS,
  ErrorCode,
  type BotLevel,
  type ClientMessage,
  type SeatInfo,
  type ServerMessage,
  type TableSettings,
  type TableSummary,
} from "../protocol/index.ts";
import { distinctName, visibleText } from "../protocol/text.ts";
import type { Logger } from "pino";
import type { Clock, TimerHandle } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Connection } from "./connection.ts";
import { frame, playFrame, OutFrame } from "./frame.ts";
import { foldEntry, growInPlace, newGame, ungrow, type Folded, type Game } from "./game.ts";
import { Mailbox } from "./mailbox.ts";
import type { Metrics } from "./metrics.ts";
import {
  FencedError,
  LogConflictError,
  LogUnavailableError,
  type DealEntry,
  type Fence,
  type LogEntry,
  type SeatRecord,
  type TableLog,
  type TableMeta,
} from "./ports/table-log.ts";

/**
 * Makes an in-process bot for a seat: a Connection that receives the seat's frames and answers
 * through `deliver`, as a socket's messages arrive. The composition root builds it from the bot
 * strategies; the server sees only the protocol a bot speaks.
 */
export type BotFactory = (level: BotLevel, deliver: (conn: Connection, msg: ClientMessage) => void) => Connection;

/** A finished deal, as the table reports it (match records, replays). */
export interface DealRecord {
  tableId: string;
  matchId: string;
  settings: TableSettings;
  dealNo: number;
  seed: string;
  leader: number | null;
  actions: Action[];
  result: DealResult;
  seats: SeatRecord[];
}

/** A finished match, as the table reports it. */
export interface MatchRecord {
  tableId: string;
  matchId: string;
  settings: TableSettings;
  seats: SeatRecord[];
  totals: number[];
  winners: number[];
}

/** What a table may tell the rest of the server. Each call only posts or updates the callee's own records; tables are named by id. */
export interface TableHost {
  config: Config;
  log: Logger;
  metrics: Metrics;
  clock: Clock;
  tableLog: TableLog;
  bots: BotFactory;
  /** Ask to seat (or let watch) a player on `conn`; see Hub.claim. Nothing is seated unless "ok". */
  claim(playerId: string, tableId: string, conn: Connection): "ok" | "elsewhere" | "gone";
  /** The player is no longer at this table (`moved`: on this node; the table and the player went to another). */
  released(playerId: string, tableId: string, moved?: boolean): void;
  /** The lobby's listing of this table changed (`listed`: a public table). */
  summary(tableId: string, summary: TableSummary, listed: boolean): void;
  /** The table has closed and must be forgotten (its log and directory entries with it). */
  closed(tableId: string, code: string | null, listed: boolean): void;
  /** The log refused this node's fence: the table is another node's now. Send `conns` there. */
  lost(tableId: string, code: string | null, conns: Connection[]): void;
  /** BOTS=external: ask a bot service for a bot at `seat`; it joins with `ticket`, or the table gets botFallback. */
  requestBot(tableId: string, seat: number, ticket: string, level: BotLevel): void;
  /** A deal ended; its record (seed and actions: a replay). Called after the deal's last entry is in the log. */
  dealEnded?(record: DealRecord): void;
  /** The match ended. */
  matchEnded?(record: MatchRecord): void;
}

type PlayerMsg = Extract<ClientMessage, { type: "play" | "pass" | "ready" | "chat" | "react" }>;

export type TableMsg =
  /** `invited`: the request named the table's invite code (a private table seats no one without it). */
  | { type: "join"; playerId: string; name: string; conn: Connection; ticket?: string; reqId?: string | number; invited?: boolean }
  | { type: "watch"; playerId: string; name: string; conn: Connection; reqId?: string | number }
  | { type: "attach"; playerId: string; conn: Connection }
  | { type: "detach"; playerId: string; conn: Connection }
  | { type: "leave"; playerId: string; conn: Connection; reqId?: string | number }
  | { type: "client"; playerId: string; conn: Connection; msg: PlayerMsg; at: number }
  /** The turn timer fired; `timer` is the timer, so one that was replaced meanwhile is ignored. */
  | { type: "clock"; timer: TimerHandle }
  | { type: "grace"; seat: number; epoch: number }
  | { type: "fill" }
  | { type: "nextDeal"; dealNo: number }
  | { type: "idle"; epoch: number }
  | { type: "fail"; reason: string }
  | { type: "close"; code: string; message: string }
  /** No service bot came for `seat` (none connected, or not in time): seat an in-process one. */
  | { type: "botFallback"; seat: number; ticket: string; reason: string }
  /** Ask for a copy of the game (tests, tooling): answered from inside the actor, in mailbox order. */
  | { type: "inspect"; reply: (game: Game, seq: number) => void }
  /** Write the whole log again from memory (the store lost it), under a new fence. */
  | { type: "rewrite"; fence: Fence; done: (ok: boolean) => void }
  /** This node no longer owns the table (its fence was refused, or another node adopted it). */
  | { type: "lost" }
  /** Hand the table over: stop taking work and let another node adopt it; nothing is dropped from the log. */
  | { type: "handOver" }
  /** Report the listing again (a table just adopted by this node). */
  | { type: "relist" }
  /** Try the unsure entry again (see #unsure): the log may be back. */
  | { type: "settle" };

interface Seat {
  playerId: string | null;
  name: string | null;
  /** A person holds this seat (even while a bot plays it for them). */
  human: boolean;
  conn: Connection | null;
  /** The bot playing the seat: a bot seat, or the stand-in for an absent player. */
  bot: Connection | null;
  /** BOTS=external: the one-time ticket of the service bot this seat waits for. */
  ticket: string | null;
  /** A bot service's player connection holds the seat (as `conn`). */
  remote: boolean;
  graceEpoch: number;
  graceTimer: TimerHandle | null;
  ready: boolean;
  chatTimes: number[];
}

type Status = "waiting" | "playing" | "between" | "over";

const WAITING_GRACE_MS = 10_000;
const CHAT_WINDOW_MS = 10_000;
const CHAT_PER_WINDOW = 5;
const REACT_WINDOW_MS = 5_000;
const REACT_PER_WINDOW = 3;
/** How soon a timeout that could not be logged (the store unreachable) is tried again. */
const LOG_RETRY_MS = 1000;

/**
 * A table actor. It alone owns its match, its deal, its seats and its timers; everything reaches
 * it as a message through its mailbox and is handled to completion, one at a time.
 */
export class Table {
  readonly mailbox: Mailbox<TableMsg>;
  readonly #seats: Seat[];
  readonly #spectators = new Map<Connection, { playerId: string; name: string; chatTimes: number[] }>();
  /** When spectators (all of them together) last chatted, within the chat window. */
  #spectatorChat: number[] = [];
  #game: Game;
  /** The frame counter: every frame the table sends is numbered (see LogEntry). */
  #seq = 0;
  /** `n` of the last entry in the log. */
  #n = 0;
  /** The current deal's entries, as written: a rewrite after the store lost them, and the deal's record. */
  #entries: LogEntry[] = [];
  /** Who sits where changed and is not in the log yet: written before the next entry. */
  #rosterDirty = false;
  /**
   * An entry whose write failed without an answer (a timeout, a dropped connection): it may be in
   * the log or not. It was refused here, but before anything else is written it is written again,
   * exactly (appends are idempotent), and applied if that succeeds: the log decides what happened.
   */
  #unsure: LogEntry | null = null;
  /** A `settle` message is on its way (one at a time). */
  #settleArmed = false;
  #fence: Fence;
  #status: Status = "waiting";
  /** When the current turn's clock runs out (wall-clock ms from the host's clock). */
  #deadline: number | null = null;
  /** When the next deal starts by itself (between deals). */
  #nextDealAt: number | null = null;
  #turnTimer: TimerHandle | null = null;
  #otherTimers = new Set<TimerHandle>();
  #idleEpoch = 0;
  #closed = false;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly id: string;
  readonly code: string | null;
  readonly settings: TableSettings;
  readonly meta: TableMeta;

  /** A new table, or (with `entries`) one rebuilt from its log on the node that adopted it. */
  constructor(meta: TableMeta, fence: Fence, private readonly host: TableHost, entries?: readonly LogEntry[]) {
    this.meta = meta;
    this.id = meta.tableId;
    this.code = meta.code;
    this.settings = meta.settings;
    const settings = meta.settings;
    this.#fence = fence;
    this.#clock = host.clock;
    this.#log = host.log.child({ table: this.id });
    this.#seats = Array.from({ length: settings.seats }, () => ({
      playerId: null,
      name: null,
      human: false,
      conn: null,
      bot: null,
      ticket: null,
      remote: false,
      graceEpoch: 0,
      graceTimer: null,
      ready: false,
      chatTimes: [],
    }));
    this.#game = newGame(settings);
    this.mailbox = new Mailbox<TableMsg>(
      (m) => this.#handle(m),
      (error, m) => this.#fail(error, m),
      4096,
    );
    if (entries) this.#restore(entries);
    else if (settings.fillWithBotsAfter !== null) this.#after(settings.fillWithBotsAfter * 1000, { type: "fill" });
  }

  /** A player's message (input lane: bounded; false when the table is closed or too busy). */
  post(m: TableMsg): boolean {
    return this.mailbox.post(m);
  }

  /** A message that must not be lost (attach, detach, leave, close, timers): false only when the table is closed. */
  control(m: TableMsg): boolean {
    return this.mailbox.control(m);
  }

  /** This node's claim on the table, as the log checks it. */
  get fence(): Fence {
    return this.#fence;
  }

  get status(): Status {
    return this.#status;
  }

  /** Seats a bot at once (used when the table is created with bots). Not a message: called before the table is shared. */
  addBots(count: number): void {
    for (let i = 0; i < count; i++) {
      const s = this.#seats.findIndex((seat) => seat.playerId === null);
      if (s < 0) return;
      this.#seatBot(s);
    }
  }

  summary(): TableSummary {
    const taken = this.#seats.filter((s) => s.playerId !== null).length;
    return {
      tableId: this.id,
      name: this.settings.name,
      seats: this.settings.seats,
      taken,
      humans: this.#seats.filter((s) => s.human).length,
      status: this.#status === "between" ? "playing" : this.#status,
      variant: this.settings.variant,
      turnSeconds: this.settings.turnSeconds,
      deals: this.settings.deals,
      lossLimit: this.settings.lossLimit,
    };
  }

  // ------------------------------------------------------------------ the mailbox handler

  /** Returns a promise only while a store write is outstanding (see Store); the mailbox waits for it. */
  #handle(m: TableMsg): void | Promise<void> {
    if (this.#closed) return;
    switch (m.type) {
      case "join":
        if (m.ticket !== undefined) return this.#redeem(m.playerId, m.conn, m.ticket, m.reqId);
        return this.#join(m.playerId, m.name, m.conn, m.reqId, m.invited ?? false);
      case "watch":
        return this.#watch(m.playerId, m.name, m.conn, m.reqId);
      case "attach":
        return this.#attach(m.playerId, m.conn);
      case "detach":
        return this.#detach(m.playerId, m.conn);
      case "leave":
        return this.#leave(m.playerId, m.conn, m.reqId);
      case "client":
        return this.#client(m);
      case "clock":
        if (m.timer !== this.#turnTimer) return; // disarmed or replaced since it fired
        return this.#clockFired();
      case "grace":
        return this.#graceOver(m.seat, m.epoch);
      case "fill":
        if (this.#status !== "waiting") return;
        this.addBots(this.settings.seats);
        for (const s of this.#seats.keys()) this.#broadcastSeat(s);
        this.#listingChanged();
        return this.#maybeStart();
      case "nextDeal":
        if (this.#game.dealNo !== m.dealNo) return;
        if (this.#status === "between") return this.#startDeal();
        if (this.#status === "waiting") return this.#maybeStart(); // a first deal that could not be logged
        return;
      case "idle":
        if (m.epoch === this.#idleEpoch && !this.#anyoneHere()) this.close("table/idle", "The table closed: nobody was at it.");
        return;
      case "fail":
        throw new Error(m.reason);
      case "close":
        return this.close(m.code, m.message);
      case "inspect":
        m.reply(structuredClone(this.#game), this.#seq);
        return;
      case "botFallback":
        return this.#botFallback(m.seat, m.ticket, m.reason);
      case "rewrite":
        return this.#rewrite(m.fence, m.done);
      case "lost":
        return this.#lose(true);
      case "handOver":
        return this.#handOver();
      case "relist":
        return this.#listingChanged();
      case "settle":
        this.#settleArmed = false;
        if (this.#unsure) return this.#settleUnsure(() => {}, () => {});
        return;
    }
  }

  // ------------------------------------------------------------------ seats

  /** The session must agree before a seat or a spectator place is given. */
  #claim(playerId: string, conn: Connection, reqId?: string | number): boolean {
    const verdict = this.host.claim(playerId, this.id, conn);
    if (verdict === "elsewhere") this.#error(conn, ErrorCode.AlreadySeated, "You are already at another table; leave it first.", reqId);
    return verdict === "ok";
  }

  /** `name`, or `name 2`...: no two people at this table read the same (src/protocol/text.ts). */
  #distinct(name: string, conn: Connection): string {
    const taken: string[] = [];
    for (const seat of this.#seats) if (seat.name !== null && seat.conn !== conn) taken.push(seat.name);
    for (const [c, spectator] of this.#spectators) if (c !== conn) taken.push(spectator.name);
    return distinctName(name, taken);
  }

  #seatOf(playerId: string): number {
    // A loop, not findIndex with a closure: every play comes through here.
    for (let s = 0; s < this.#seats.length; s++) if (this.#seats[s].playerId === playerId) return s;
    return -1;
  }

  #join(playerId: string, name: string, conn: Connection, reqId?: string | number, invited = false): void | Promise<void> {
    if (this.#seatOf(playerId) >= 0) return this.#attach(playerId, conn, reqId);
    // The table id is no secret (every spectator and watch link has it); the invite code is.
    if (this.code !== null && !invited) {
      return this.#error(conn, ErrorCode.CodeRequired, "This table is private: join it with its invite code.", reqId);
    }
    if (this.#status !== "waiting") {
      return this.#error(conn, ErrorCode.TableFull, "This match has already started; you can watch it.", reqId);
    }
    const s = this.#seats.findIndex((seat) => seat.playerId === null);
    if (s < 0) return this.#error(conn, ErrorCode.TableFull, "Every seat at this table is taken; you can watch it.", reqId);
    if (!this.#claim(playerId, conn, reqId)) return;
    Object.assign(this.#seats[s], { playerId, name: this.#distinct(name, conn), human: true, conn, ready: false });
    if (this.#spectators.delete(conn)) this.#watchersChanged();
    this.#rosterDirty = true;
    this.#to(conn, { type: "joined", id: reqId, tableId: this.id, seat: s, code: this.code });
    this.#to(conn, this.#snapshot(s));
    this.#broadcastSeat(s);
    this.#listingChanged();
    this.#idleCheck();
    return this.#maybeStart() ?? this.#writeRoster();
  }

  #watch(playerId: string, name: string, conn: Connection, reqId?: string | number): void {
    if (this.#seatOf(playerId) >= 0) return this.#attach(playerId, conn, reqId);
    if (this.#spectators.size >= this.host.config.maxSpectators) {
      return this.#error(conn, ErrorCode.SpectatorsFull, `This table has its ${this.host.config.maxSpectators} spectators already.`, reqId);
    }
    if (!this.#claim(playerId, conn, reqId)) return;
    this.#spectators.set(conn, { playerId, name: this.#distinct(name, conn), chatTimes: [] });
    this.#to(conn, { type: "joined", id: reqId, tableId: this.id, seat: null, code: null });
    this.#to(conn, this.#snapshot(null));
    this.#watchersChanged();
    this.#idleCheck();
  }

  /** A seated player's new socket (reconnect, reload, second tab). */
  #attach(playerId: string, conn: Connection, reqId?: string | number): void {
    const s = this.#seatOf(playerId);
    if (s < 0) {
      const spectator = [...this.#spectators].find(([, v]) => v.playerId === playerId);
      if (!spectator) {
        // Nobody by that id here (a spectator of a table that moved nodes is not in its log): the
        // player is free again, and told so, instead of waiting for a snapshot that never comes.
        this.host.released(playerId, this.id);
        return this.#error(conn, ErrorCode.NotAtTable, "You are no longer at that table.", reqId);
      }
      this.#spectators.delete(spectator[0]);
      this.#spectators.set(conn, spectator[1]);
      if (reqId !== undefined) this.#to(conn, { type: "joined", id: reqId, tableId: this.id, seat: null, code: null });
      this.#to(conn, this.#snapshot(null));
      return;
    }
    const seat = this.#seats[s];
    seat.conn = conn;
    this.#cancelGrace(seat);
    if (seat.human && seat.bot) {
      seat.bot.close(1000, "the player is back");
      seat.bot = null;
    }
    if (reqId !== undefined) this.#to(conn, { type: "joined", id: reqId, tableId: this.id, seat: s, code: this.code });
    this.#to(conn, this.#snapshot(s));
    this.#broadcastSeat(s);
    this.#idleCheck();
  }

  #detach(playerId: string, conn: Connection): void {
    if (this.#spectators.delete(conn)) {
      this.host.released(playerId, this.id);
      this.#watchersChanged();
      return this.#idleCheck();
    }
    const s = this.#seatOf(playerId);
    if (s < 0 || this.#seats[s].conn !== conn) return;
    const seat = this.#seats[s];
    seat.conn = null;
    if (seat.remote) {
      // A service bot's socket dropped: an in-process bot plays on at once, no grace.
      seat.remote = false;
      this.host.released(playerId, this.id);
      if (this.#status !== "over") {
        this.#log.warn({ seat: s }, "the bot service's bot disconnected; an in-process bot plays the seat");
        this.#standIn(s);
      }
      this.#broadcastSeat(s);
      return;
    }
    if (this.#status !== "over") {
      // Before the match starts only a short grace: enough for a page reload, not enough to
      // hold a table hostage. The seat is then freed (waiting) or played by a bot (running).
      seat.graceEpoch++;
      const graceMs = this.host.config.reconnectGraceSeconds * 1000;
      const ms = this.#status === "waiting" ? Math.min(graceMs, WAITING_GRACE_MS) : graceMs;
      seat.graceTimer = this.#after(ms, { type: "grace", seat: s, epoch: seat.graceEpoch });
    }
    this.#broadcastSeat(s);
    this.#idleCheck();
  }

  #graceOver(s: number, epoch: number): void {
    const seat = this.#seats[s];
    if (seat.graceEpoch !== epoch) return; // a grace that was cancelled: its timer is not the seat's
    seat.graceTimer = null;
    if (seat.conn || seat.bot || this.#status === "over") return;
    if (this.#status === "waiting") {
      this.#vacate(s);
      this.#broadcastSeat(s);
      return this.#idleCheck();
    }
    this.#log.info({ seat: s }, "grace over, a bot plays the seat");
    this.#standIn(s);
    this.#broadcastSeat(s);
  }

  #leave(playerId: string, conn: Connection, reqId?: string | number): void | Promise<void> {
    if (this.#spectators.delete(conn)) {
      this.host.released(playerId, this.id);
      this.#watchersChanged();
      this.#to(conn, { type: "left", id: reqId, tableId: this.id });
      return this.#idleCheck();
    }
    const s = this.#seatOf(playerId);
    if (s < 0) return this.#error(conn, ErrorCode.NotAtTable, "You are not at this table.", reqId);
    const seat = this.#seats[s];
    this.#cancelGrace(seat);
    if (this.#status === "waiting" || this.#status === "over") {
      this.#vacate(s);
    } else {
      // The match goes on: a bot keeps the seat for good.
      this.host.released(playerId, this.id);
      if (seat.bot) seat.bot.close(1000, "replaced");
      const name = seat.name;
      this.#seatBot(s);
      seat.name = `${name} (bot)`;
    }
    this.#rosterDirty = true;
    this.#to(conn, { type: "left", id: reqId, tableId: this.id });
    this.#broadcastSeat(s);
    this.#listingChanged();
    this.#idleCheck();
    return this.#writeRoster();
  }

  #vacate(s: number): void {
    const seat = this.#seats[s];
    if (seat.playerId && (seat.human || seat.remote)) this.host.released(seat.playerId, this.id);
    seat.bot?.close(1000, "vacated");
    Object.assign(seat, { playerId: null, name: null, human: false, conn: null, bot: null, ticket: null, remote: false, ready: false });
    this.#rosterDirty = true;
    this.#listingChanged();
  }

  #seatBot(s: number): void {
    const seat = this.#seats[s];
    Object.assign(seat, {
      playerId: `bot_${this.id}_${s}`,
      name: `Bot ${["Ana", "Ben", "Cai", "Dee"][s]}`,
      human: false,
      conn: null,
      ticket: null,
      remote: false,
      ready: true,
    });
    this.#rosterDirty = true;
    if (this.host.config.bots === "external") return this.#requestBot(s);
    this.host.metrics.botSeats.inc({ by: "internal" });
    this.#standIn(s);
  }

  /** BOTS=external: reserve the seat with a one-time ticket and ask the bot service for a bot. */
  #requestBot(s: number): void {
    const ticket = randomBytes(18).toString("base64url");
    this.#seats[s].ticket = ticket;
    this.host.requestBot(this.id, s, ticket, this.settings.botLevel);
    this.#after(this.host.config.botServiceWaitMs, { type: "botFallback", seat: s, ticket, reason: "the bot service sent no bot in time" });
  }

  #botFallback(s: number, ticket: string, reason: string): void {
    const seat = this.#seats[s];
    if (seat.ticket !== ticket) return;
    seat.ticket = null;
    this.host.metrics.botSeats.inc({ by: "fallback" });
    this.#log.warn({ seat: s, reason }, "BOTS=external but %s: an in-process bot takes the seat", reason);
    this.#standIn(s);
    this.#broadcastSeat(s);
  }

  /** A service bot presents its ticket: it takes the seat reserved for it, as an ordinary player connection. */
  #redeem(playerId: string, conn: Connection, ticket: string, reqId?: string | number): void {
    const s = this.#seats.findIndex((seat) => seat.ticket === ticket);
    if (s < 0) return this.#error(conn, ErrorCode.BadTicket, "That seat ticket is unknown or has expired.", reqId);
    if (!this.#claim(playerId, conn, reqId)) return;
    Object.assign(this.#seats[s], { playerId, conn, ticket: null, remote: true, ready: true });
    this.host.metrics.botSeats.inc({ by: "service" });
    this.#to(conn, { type: "joined", id: reqId, tableId: this.id, seat: s, code: null });
    this.#to(conn, this.#snapshot(s));
    this.#broadcastSeat(s);
  }

  #standIn(s: number): void {
    const bot = this.host.bots(this.settings.botLevel, (conn, msg) => {
      const seat = this.#seats[s];
      if (seat.bot !== conn || !seat.playerId) return;
      if (msg.type === "play" || msg.type === "pass" || msg.type === "ready" || msg.type === "chat") {
        // `at` only measures the action's latency (a metric), so it reads the process's timer.
        this.post({ type: "client", playerId: seat.playerId, conn, msg, at: performance.now() });
      }
    });
    this.#seats[s].bot = bot;
    if (this.#status !== "waiting") bot.send(frame(this.#snapshot(s)));
  }

  #cancelGrace(seat: Seat): void {
    if (seat.graceTimer) {
      this.#clock.clearTimer(seat.graceTimer);
      this.#otherTimers.delete(seat.graceTimer);
      seat.graceTimer = null;
    }
    seat.graceEpoch++;
  }

  // ------------------------------------------------------------------ play

  #client(m: Extract<TableMsg, { type: "client" }>): void | Promise<void> {
    const { msg, conn } = m;
    const s = this.#seatOf(m.playerId);
    if (msg.type === "chat" || msg.type === "react") {
      const spectator = this.#spectators.get(conn);
      const seated = s >= 0 && (this.#seats[s].conn === conn || this.#seats[s].bot === conn);
      const member = seated ? { seat: s, name: this.#seats[s].name ?? "?", record: this.#seats[s] } : spectator ? { seat: null, name: spectator.name, record: spectator } : null;
      if (!member) return this.#error(conn, ErrorCode.NotAtTable, "You are not at this table.", msg.id);
      if (msg.type === "react") return this.#react(member.seat, member.name, member.record, msg, conn);
      return this.#chat(member.seat, member.name, member.record, msg, conn);
    }
    // Only the connection that currently holds the seat may act for it.
    if (s < 0 || (this.#seats[s].conn !== conn && this.#seats[s].bot !== conn)) {
      return this.#error(conn, ErrorCode.NotSeated, "You have no seat at this table.", msg.id);
    }
    if (msg.type === "ready") {
      if (this.#status === "over") return this.#error(conn, ErrorCode.MatchOver, "The match is over: no deal will start at this table.", msg.id);
      this.#seats[s].ready = true;
      if (msg.id !== undefined) this.#to(conn, { type: "ack", id: msg.id });
      if (this.#status === "between" && this.#everyoneReady()) return this.#startDeal();
      return;
    }
    const action: Action = msg.type === "play" ? { type: "play", seat: s, cards: msg.cards } : { type: "pass", seat: s };
    return this.#act(s, action, m.at, conn, msg.id);
  }

  #act(s: number, action: Action, at: number, conn: Connection | null, reqId?: string | number): void | Promise<void> {
    if (!this.#game.deal || this.#status !== "playing") {
      this.host.metrics.actions.rejected.inc();
      if (conn) this.#error(conn, ErrorCode.NoDeal, "No deal is being played at this table right now.", reqId);
      return;
    }
    if (this.#unsure) {
      const prior = this.#unsure;
      const again = () => {
        // The player asks again for the very action that is now in the log: it is done.
        if (prior.kind === "action" && this.#n >= prior.n && JSON.stringify(prior.action) === JSON.stringify(action)) {
          if (conn && reqId !== undefined) this.#to(conn, { type: "ack", id: reqId });
          return;
        }
        return this.#act(s, action, at, conn, reqId);
      };
      return this.#settleUnsure(again, () => this.#refused(new LogUnavailableError("still unreachable"), conn, reqId, action));
    }
    // A change of seats not yet logged goes first, so the log replays the seats this action saw.
    if (this.#rosterDirty) {
      return this.#write(this.#rosterEntry(), () => this.#act(s, action, at, conn, reqId), (error) => this.#refused(error, conn, reqId, action));
    }
    // Check, log, then apply: an action exists once it is in the log. (The check already appends
    // the event to the live deal's lists: see growInPlace; a failed write takes it out again.)
    const deal = this.#game.deal;
    const historyLength = deal.history.length;
    const playedLength = deal.played.length;
    const now = this.#clock.now();
    const entry = { kind: "action", n: this.#n + 1, seq: this.#seq + 1, action, at: now } as const;
    const folded = foldEntry(this.#game, this.settings, entry, growInPlace);
    if (!folded.ok) {
      this.host.metrics.actions.rejected.inc();
      if (conn) this.#error(conn, folded.code, folded.message, reqId);
      return;
    }
    return this.#write(
      entry,
      () => this.#commit(entry, folded, at, conn, reqId),
      (error) => {
        ungrow(deal, historyLength, playedLength);
        this.#refused(error, conn, reqId, action);
      },
    );
  }

  /** An action that could not be logged: nothing was applied. Its sender hears why; a timeout is tried again. */
  #refused(error: unknown, conn: Connection | null, reqId: string | number | undefined, action: Action): void {
    this.host.metrics.actions.rejected.inc();
    const moved = error instanceof FencedError || error instanceof LogConflictError;
    if (conn) {
      if (moved) this.#error(conn, ErrorCode.TableMoved, "This table has moved to another server; you are being sent there.", reqId);
      else this.#error(conn, ErrorCode.LogUnavailable, "The table could not save that move yet (its store is unreachable); it is tried again and counts once saved.", reqId);
    } else if (!moved && action.type === "timeout" && !this.#turnTimer) {
      this.#startTimer(LOG_RETRY_MS);
    }
  }

  /** The action is in the log: apply it and tell everyone. */
  #commit(entry: Extract<LogEntry, { kind: "action" }>, folded: Extract<Folded, { ok: true }>, at: number, conn: Connection | null, reqId?: string | number): void {
    // The next turn starts when everyone is told: after the write (a synchronous log wrote at once).
    const now = this.#clock.now();
    // Frames sent while an unsure entry waited (chat, seats) took numbers past it: never go back.
    const seq = entry.seq > this.#seq ? entry.seq : this.#seq + 1;
    this.#seq = seq;
    this.#game = folded.game;
    this.host.metrics.actions.accepted.inc();
    if (folded.result) this.#disarmTurn();
    else this.#armTurn(now);
    this.#broadcast(playFrame({ type: "play", tableId: this.id, seq, event: folded.event!, turnMs: this.#turnMs(now) }));
    if (folded.result) this.#endDeal(folded.result);
    if (conn && reqId !== undefined) this.#to(conn, { type: "ack", id: reqId });
    this.host.metrics.actionLatency.observe((performance.now() - at) / 1000);
  }

  #maybeStart(): void | Promise<void> {
    if (this.#status === "waiting" && this.#seats.every((s) => s.playerId !== null)) return this.#startDeal();
  }

  #startDeal(): void | Promise<void> {
    if (this.#unsure) return this.#settleUnsure(() => this.#startDeal(), () => void this.#after(LOG_RETRY_MS, { type: "nextDeal", dealNo: this.#game.dealNo }));
    // The seed is drawn from a CSPRNG and stays on the server (in the log) until the deal ends.
    const seed = randomBytes(16).toString("hex");
    const { match, lastResult, dealNo } = this.#game;
    const entry: DealEntry = {
      kind: "deal",
      n: this.#n + 1,
      seq: this.#seq + 1,
      dealNo: dealNo + 1,
      seed,
      leader: nextDealLeader(match),
      match,
      lastResult,
      seats: this.#roster(),
      at: this.#clock.now(),
    };
    const folded = foldEntry(this.#game, this.settings, entry);
    if (!folded.ok) throw new Error(`a new deal was refused: ${folded.code}`);
    return this.#write(
      entry,
      () => this.#dealt(entry, folded.game),
      () => {
        // Not dealt: try again shortly (the store may be back); players see the table wait.
        if (!this.#closed) this.#after(LOG_RETRY_MS, { type: "nextDeal", dealNo });
      },
    );
  }

  // ------------------------------------------------------------------ the log

  #roster(): SeatRecord[] {
    return this.#seats.map((seat) => ({ playerId: seat.playerId, name: seat.name, human: seat.human }));
  }

  #rosterEntry(): LogEntry {
    return { kind: "seats", n: this.#n + 1, seq: this.#seq, seats: this.#roster() };
  }

  /** Log a change of seats now, if one is waiting; one that cannot be written waits for the next write. */
  #writeRoster(): void | Promise<void> {
    if (!this.#rosterDirty || this.#closed) return;
    if (this.#unsure) return this.#settleUnsure(() => this.#writeRoster(), () => {});
    return this.#write(this.#rosterEntry(), () => {}, () => {});
  }

  /**
   * Write one entry to the log under this table's fence, then run `then` (tell everyone). A log
   * that writes before returning makes no promise. On failure `undo` runs first (nothing may stay
   * half-applied); a refused fence means another node owns the table now: this copy is dropped.
   */
  #write(entry: LogEntry, then: () => void | Promise<void>, undo: (error: unknown) => void): void | Promise<void> {
    let pending: void | Promise<void>;
    try {
      pending = entry.kind === "deal" ? this.host.tableLog.restart(this.id, entry, this.#fence) : this.host.tableLog.append(this.id, entry, this.#fence);
    } catch (error) {
      return this.#writeFailed(error, entry, undo);
    }
    if (pending) return pending.then(() => this.#written(entry, then), (error: unknown) => this.#writeFailed(error, entry, undo));
    return this.#written(entry, then);
  }

  /** Write the unsure entry again, exactly; apply it if it is (now) in the log; then `next`, or `down` if the log is still unreachable. */
  #settleUnsure(next: () => void | Promise<void>, down: () => void): void | Promise<void> {
    const entry = this.#unsure!;
    this.#unsure = null;
    const after = () => (this.#closed ? undefined : this.#unsure ? down() : next());
    let written: void | Promise<void>;
    if (entry.kind === "action") {
      const deal = this.#game.deal!;
      const [h, p] = [deal.history.length, deal.played.length];
      const folded = foldEntry(this.#game, this.settings, entry, growInPlace);
      if (!folded.ok) throw new Error(`an unsure log entry no longer applies: ${folded.code}`);
      written = this.#write(entry, () => this.#commit(entry, folded, performance.now(), null), () => ungrow(deal, h, p));
    } else if (entry.kind === "deal") {
      const folded = foldEntry(this.#game, this.settings, entry);
      if (!folded.ok) throw new Error(`an unsure deal entry no longer applies: ${folded.code}`);
      written = this.#write(entry, () => this.#dealt(entry, folded.game), () => {});
    } else {
      written = this.#write(entry, () => {}, () => {});
    }
    return written ? written.then(after) : after();
  }

  #written(entry: LogEntry, then: () => void | Promise<void>): void | Promise<void> {
    if (this.#closed) return; // closed while the log was written: nothing more may leave the table
    this.#n = entry.n;
    if (entry.kind === "deal") this.#entries = [entry];
    else this.#entries.push(entry);
    if (entry.kind !== "action") this.#rosterDirty = false;
    return then();
  }

  #writeFailed(error: unknown, entry: LogEntry, undo: (error: unknown) => void): void {
    undo(error);
    if (error instanceof FencedError || error instanceof LogConflictError) {
      this.#log.warn({ err: error }, "the log refused this node's write: the table is another node's now");
      return this.#lose(true);
    }
    this.#unsure = entry;
    this.host.metrics.logFailures.inc();
    // Nobody may ask again (a bot acts once per turn; the clock may be off): the table itself
    // tries the entry again shortly, and goes on from there once the log takes it.
    if (!this.#settleArmed) {
      this.#settleArmed = true;
      this.#after(LOG_RETRY_MS, { type: "settle" });
    }
    this.#log.warn({ err: error }, "the table's log could not be written; nothing was applied");
  }

  /** Write the whole log again from memory under `fence` (the store lost it, or this node re-claimed the table). */
  async #rewrite(fence: Fence, done: (ok: boolean) => void): Promise<void> {
    this.#fence = fence;
    if (this.#entries.length === 0) this.#rosterDirty = true;
    const entries = this.#entries.length === 0 ? [this.#rosterEntry()] : this.#entries;
    try {
      await this.host.tableLog.rewrite(this.meta, entries, fence);
      this.#n = entries.at(-1)!.n;
      this.#entries = [...entries];
      this.#rosterDirty = false;
      done(true);
      if (this.#unsure) return this.#settleUnsure(() => {}, () => {});
    } catch (err) {
      this.#log.warn({ err }, "could not write the table's log again");
      done(false);
    }
  }

  /** Rebuild the table from its log, on the node that adopted it: seats, hands, turn, clock and bots. */
  #restore(entries: readonly LogEntry[]): void {
    let game = this.#game;
    let roster: SeatRecord[] = [];
    for (const entry of entries) {
      const next = foldEntry(game, this.settings, entry);
      if (!next.ok) throw new Error(`log entry ${entry.n} of table ${this.id} does not apply: ${next.code}`);
      game = next.game;
      if (entry.kind !== "action") roster = entry.seats;
    }
    this.#game = game;
    this.#entries = [...entries];
    const last = entries.at(-1);
    if (last) {
      this.#n = last.n;
      this.#seq = last.seq;
    }
    const deal = game.deal;
    const lastAt = last && last.kind !== "seats" ? last.at : this.#clock.now();
    if (!deal) this.#status = "waiting";
    else if (deal.winner === null) this.#status = "playing";
    else this.#status = game.match.over ? "over" : "between";
    roster.forEach((r, s) => {
      if (r.playerId === null) return;
      const seat = this.#seats[s];
      Object.assign(seat, { playerId: r.playerId, name: r.name, human: r.human, conn: null, ready: !r.human });
      if (!r.human) return this.#standIn(s);
      if (this.#status === "over") return;
      // The player's socket was on the node that died: they have the usual grace to come back.
      seat.graceEpoch++;
      const graceMs = this.host.config.reconnectGraceSeconds * 1000;
      seat.graceTimer = this.#after(this.#status === "waiting" ? Math.min(graceMs, WAITING_GRACE_MS) : graceMs, { type: "grace", seat: s, epoch: seat.graceEpoch });
    });
    const now = this.#clock.now();
    if (this.#status === "playing" && this.settings.turnSeconds > 0) {
      this.#deadline = lastAt + this.settings.turnSeconds * 1000;
      this.#startTimer(Math.max(0, this.#deadline - now));
    }
    if (this.#status === "between") {
      this.#nextDealAt = lastAt + this.host.config.nextDealDelayMs;
      this.#after(Math.max(0, this.#nextDealAt - now), { type: "nextDeal", dealNo: game.dealNo });
    }
    this.#idleCheck();
  }

  /** The deal is in the log: deal it. */
  #dealt(entry: Extract<LogEntry, { kind: "deal" }>, game: Game): void {
    if (this.#closed) return; // closed while the log was written: nothing more may leave the table
    const { dealNo } = entry;
    const seq = entry.seq > this.#seq ? entry.seq : this.#seq + 1;
    this.#seq = seq;
    this.#game = game;
    const deal = game.deal!;
    const wasWaiting = this.#status === "waiting";
    this.#nextDealAt = null;
    this.#status = "playing";
    for (const seat of this.#seats) seat.ready = !seat.human;
    this.#armTurn(entry.at);
    const turnMs = this.#turnMs(entry.at);
    this.#seats.forEach((seat, s) => {
      const f = frame({ type: "deal", tableId: this.id, seq, dealNo, deal: viewFor(deal, s), turnMs });
      seat.conn?.send(f);
      seat.bot?.send(f);
    });
    if (this.#spectators.size > 0) {
      const f = frame({ type: "deal", tableId: this.id, seq, dealNo, deal: publicView(deal), turnMs });
      for (const conn of this.#spectators.keys()) conn.send(f);
    }
    if (wasWaiting) this.#listingChanged();
  }

  #endDeal(result: DealResult): void {
    const { match } = this.#game;
    const over = match.over;
    this.#report(result);
    this.#status = over ? "over" : "between";
    const nextInMs = over ? null : this.host.config.nextDealDelayMs;
    this.#broadcast(
      frame({ type: "dealEnd", tableId: this.id, seq: ++this.#seq, result, totals: match.totals, nextInMs }),
    );
    if (over) {
      const best = Math.max(...match.totals);
      const winners = match.totals.flatMap((t, s) => (t === best ? [s] : []));
      this.#broadcast(frame({ type: "matchEnd", tableId: this.id, seq: ++this.#seq, matchId: this.meta.matchId, totals: match.totals, winners }));
      for (const seat of this.#seats) this.#cancelGrace(seat);
      this.#listingChanged();
      this.#idleCheck();
    } else {
      this.#nextDealAt = this.#clock.now() + this.host.config.nextDealDelayMs;
      this.#after(this.host.config.nextDealDelayMs, { type: "nextDeal", dealNo: this.#game.dealNo });
    }
  }

  /** Hand the finished deal (and match) to whoever keeps records. */
  #report(result: DealResult): void {
    const { dealEnded, matchEnded } = this.host;
    if (!dealEnded && !matchEnded) return;
    const dealEntry = this.#entries.find((e): e is DealEntry => e.kind === "deal");
    if (!dealEntry) return;
    const seats = this.#roster();
    const base = { tableId: this.id, matchId: this.meta.matchId, settings: this.settings, seats };
    const actions = this.#entries.flatMap((e) => (e.kind === "action" ? [e.action] : []));
    dealEnded?.({ ...base, dealNo: dealEntry.dealNo, seed: dealEntry.seed, leader: dealEntry.leader, actions, result });
    const { match } = this.#game;
    if (match.over && matchEnded) {
      const best = Math.max(...match.totals);
      matchEnded({ ...base, totals: match.totals, winners: match.totals.flatMap((t, s) => (t === best ? [s] : [])) });
    }
  }

  #everyoneReady(): boolean {
    return this.#seats.every((seat) => seat.ready || (seat.human && !seat.conn && !seat.bot));
  }

  // ------------------------------------------------------------------ turn clock

  /**
   * Start the clock for the turn that has just begun: set its deadline. A play does not touch the
   * table's one timer (restarting it on every play moved it in the timer list each time, and nearly
   * every turn ends long before its clock). The timer posts a `clock` message when it fires, and
   * #clock, in the mailbox, compares the deadline then current.
   */
  #armTurn(now = this.#clock.now()): void {
    const seconds = this.settings.turnSeconds;
    if (seconds === 0) return;
    this.#deadline = now + seconds * 1000;
    if (!this.#turnTimer) this.#startTimer(seconds * 1000);
  }

  #startTimer(ms: number): void {
    const timer = this.#clock.setTimer(ms, () => this.control({ type: "clock", timer }));
    this.#turnTimer = timer;
  }

  /**
   * The turn timer fired. A deadline later than the one it was set for means turns were played
   * since: wait for it. Otherwise the current turn has run out, and the clock acts for its seat.
   */
  #clockFired(): void | Promise<void> {
    this.#turnTimer = null;
    const deal = this.#game.deal;
    if (this.#deadline === null || !deal || this.#status !== "playing") return;
    const left = this.#deadline - this.#clock.now();
    if (left > 0) return this.#startTimer(left);
    return this.#act(deal.turn, { type: "timeout", seat: deal.turn }, performance.now(), null);
  }

  #disarmTurn(): void {
    if (this.#turnTimer) this.#clock.clearTimer(this.#turnTimer);
    this.#turnTimer = null;
    this.#deadline = null;
  }

  #turnMs(now = this.#clock.now()): number | null {
    return this.#deadline === null ? null : Math.max(0, Math.round(this.#deadline - now));
  }

  /**
   * A timer whose only effect is a message into this table's own mailbox, by the control lane: a
   * lost clock message would stop the turn clock for good, a lost `nextDeal` the match. Every
   * timer message says which timer, epoch or deal it belongs to, so one that arrives late is still
   * judged right. A closed table takes nothing.
   */
  #after(ms: number, m: TableMsg): TimerHandle {
    const t = this.#clock.setTimer(ms, () => {
      this.#otherTimers.delete(t);
      this.control(m);
    });
    this.#otherTimers.add(t);
    return t;
  }

  // ------------------------------------------------------------------ chat, idle, close

  #chat(
    seat: number | null,
    name: string,
    record: { chatTimes: number[] },
    msg: Extract<PlayerMsg, { type: "chat" }>,
    conn: Connection,
  ): void {
    // What a reader cannot see (controls, bidi overrides, zero-width characters) is not chat.
    const text = visibleText(msg.text);
    if (text.length === 0) return this.#error(conn, ErrorCode.ChatEmpty, "That chat message has nothing visible in it.", msg.id);
    if (text.length > CHAT_MAX_CHARS) {
      return this.#error(conn, ErrorCode.ChatTooLong, `Chat messages are at most ${CHAT_MAX_CHARS} characters.`, msg.id);
    }
    // Seats and spectators alike: the fan-out of one chat is every socket at the table.
    const now = this.#clock.now();
    const times = record.chatTimes.filter((t) => now - t < CHAT_WINDOW_MS);
    if (times.length >= CHAT_PER_WINDOW) {
      return this.#error(conn, ErrorCode.ChatRate, `At most ${CHAT_PER_WINDOW} chat messages in ${CHAT_WINDOW_MS / 1000} s.`, msg.id);
    }
    // Spectators also share one budget per table: N watchers each chatting would send N² frames.
    if (seat === null) {
      const shared = this.#spectatorChat.filter((t) => now - t < CHAT_WINDOW_MS);
      if (shared.length >= CHAT_PER_WINDOW) {
        return this.#error(conn, ErrorCode.ChatRate, `Spectators here may send ${CHAT_PER_WINDOW} chat messages in ${CHAT_WINDOW_MS / 1000} s together.`, msg.id);
      }
      shared.push(now);
      this.#spectatorChat = shared;
    }
    times.push(now);
    record.chatTimes = times;
    this.#broadcast(frame({ type: "chat", tableId: this.id, seq: ++this.#seq, seat, name, text }));
    if (msg.id !== undefined) this.#to(conn, { type: "ack", id: msg.id });
  }

  /** A quick reaction: like chat (seats and spectators, rate-limited per member), from a fixed set the schema checked. */
  #react(
    seat: number | null,
    name: string,
    record: { chatTimes: number[]; reactTimes?: number[] },
    msg: Extract<PlayerMsg, { type: "react" }>,
    conn: Connection,
  ): void {
    const now = this.#clock.now();
    const times = (record.reactTimes ?? []).filter((t) => now - t < REACT_WINDOW_MS);
    if (times.length >= REACT_PER_WINDOW) {
      return this.#error(conn, ErrorCode.ChatRate, `At most ${REACT_PER_WINDOW} reactions in ${REACT_WINDOW_MS / 1000} s.`, msg.id);
    }
    times.push(now);
    record.reactTimes = times;
    this.#broadcast(frame({ type: "reaction", tableId: this.id, seq: ++this.#seq, seat, name, emote: msg.emote }));
    if (msg.id !== undefined) this.#to(conn, { type: "ack", id: msg.id });
  }

  /** Players see that someone is watching (the count, not who). */
  #watchersChanged(): void {
    this.#broadcast(frame({ type: "watchers", tableId: this.id, seq: ++this.#seq, count: this.#spectators.size }));
  }

  #anyoneHere(): boolean {
    return this.#spectators.size > 0 || this.#seats.some((s) => s.human && s.conn !== null);
  }

  #idleCheck(): void {
    this.#idleEpoch++;
    if (this.#anyoneHere()) return;
    // Nobody seated at all (bots only, or no one) and nobody watching: nobody is coming back,
    // and such a table only holds a place in MAX_TABLES (issue 19). A seat whose player dropped
    // waits the longer idle time.
    const nobodySits = this.#spectators.size === 0 && !this.#seats.some((s) => s.human);
    const seconds = nobodySits ? this.host.config.emptyTableSeconds : this.host.config.tableIdleSeconds;
    this.#after(seconds * 1000, { type: "idle", epoch: this.#idleEpoch });
  }

  /** End the table: tell everyone, free every seat, forget every timer, drop its log. */
  close(code: string, message: string): void {
    if (this.#closed) return;
    try {
      this.#broadcast(frame({ type: "closed", tableId: this.id, seq: ++this.#seq, code, message }));
    } catch (err) {
      // Closing must finish (seats released, timers gone, the lobby told) even if a connection
      // failed to take the notice: the close often runs because something already went wrong.
      this.#log.error({ err }, "a connection failed to take the table's closing notice");
    }
    this.#stop();
    this.host.tableLog.drop(this.id, this.#fence).catch((err: unknown) => this.#log.error({ err }, "could not drop the table's log"));
    this.host.closed(this.id, this.code, !this.settings.private);
  }

  /**
   * This node no longer has the table: another node adopted it (this one paused past its lease,
   * or lost its fence), or this node hands it over on its way down. Nothing is written or dropped:
   * the log is the new owner's. With `redirect`, the table's sockets are sent to the new owner.
   */
  #lose(redirect: boolean): void {
    if (this.#closed) return;
    const conns = [...this.#seats.flatMap((seat) => (seat.conn ? [seat.conn] : [])), ...this.#spectators.keys()];
    this.#stop(true);
    this.host.lost(this.id, this.code, redirect ? conns : []);
  }

  #handOver(): void {
    this.#lose(false);
  }

  /** What every ending shares: no more messages, timers, bots or seats on this node. */
  #stop(moved = false): void {
    this.#closed = true;
    this.mailbox.close();
    this.#disarmTurn();
    for (const t of this.#otherTimers) this.#clock.clearTimer(t);
    this.#otherTimers.clear();
    for (const seat of this.#seats) {
      seat.bot?.close(1000, "table closed");
      if ((seat.human || seat.remote) && seat.playerId) this.host.released(seat.playerId, this.id, moved);
    }
    for (const { playerId } of this.#spectators.values()) this.host.released(playerId, this.id, moved);
    this.#spectators.clear();
  }

  #fail(error: unknown, m: TableMsg): void {
    this.#log.error({ err: error, message: m.type }, "table failed; closing it");
    this.host.metrics.tableFailures.inc();
    this.close(ErrorCode.TableFailed, "This table hit an internal error and was closed. Sorry; other tables are unaffected.");
  }

  // ------------------------------------------------------------------ sending

  #seatInfo(s: number): SeatInfo {
    const seat = this.#seats[s];
    return {
      seat: s,
      name: seat.name,
      bot: seat.bot !== null || seat.remote || seat.ticket !== null,
      connected: seat.bot !== null || seat.conn !== null,
      playerId: seat.human ? seat.playerId : null,
    };
  }

  #snapshot(seat: number | null): ServerMessage {
    const { deal, dealNo, match, lastResult } = this.#game;
    const playing = deal !== null && this.#status !== "waiting";
    return {
      type: "snapshot",
      tableId: this.id,
      seq: this.#seq,
      seat,
      settings: this.settings,
      code: seat === null ? null : this.code,
      players: this.#seats.map((_, s) => this.#seatInfo(s)),
      status: this.#status,
      dealNo,
      totals: match.totals,
      deal: playing ? (seat === null ? publicView(deal) : viewFor(deal, seat)) : null,
      turnMs: this.#status === "playing" ? this.#turnMs() : null,
      nextInMs: this.#status === "between" && this.#nextDealAt !== null ? Math.max(0, Math.round(this.#nextDealAt - this.#clock.now())) : null,
      lastResult,
      watchers: this.#spectators.size,
    };
  }

  #broadcastSeat(s: number): void {
    this.#broadcast(frame({ type: "seat", tableId: this.id, seq: ++this.#seq, player: this.#seatInfo(s) }));
  }

  /** The one place public frames leave the table: every seat, its bot and every spectator get the same frame. */
  #broadcast(f: OutFrame): void {
    for (const seat of this.#seats) {
      seat.conn?.send(f);
      seat.bot?.send(f);
    }
    // Most tables have no spectators: no iterator is made for them on every play.
    if (this.#spectators.size > 0) for (const conn of this.#spectators.keys()) conn.send(f);
  }

  #to(conn: Connection, msg: ServerMessage): void {
    conn.send(frame(msg));
  }

  #error(conn: Connection, code: string, message: string, id?: string | number): void {
    this.#to(conn, { type: "error", code, message, id });
  }

  #listingChanged(): void {
    if (!this.#closed) this.host.summary(this.id, this.summary(), !this.settings.private);
  }
}
