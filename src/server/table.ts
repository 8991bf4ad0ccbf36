import { randomBytes } from "node:crypto";
import { nextDealLeader, publicView, viewFor, type Action, type DealResult } from "../rules/index.ts";
import { ErrorCode, type ClientMessage, type SeatInfo, type ServerMessage, type TableSettings, type TableSummary } from "../protocol/index.ts";
import { strategyFor } from "../bots/strategies/index.ts";
import type { Logger } from "pino";
import { BotSeat } from "./bot-seat.ts";
import type { Config } from "./config.ts";
import type { Connection } from "./connection.ts";
import { frame, playFrame, OutFrame } from "./frame.ts";
import { foldEntry, growInPlace, newGame, type Folded, type Game } from "./game.ts";
import { Mailbox } from "./mailbox.ts";
import type { Metrics } from "./metrics.ts";
import type { LogEntry, Store } from "./store.ts";

/** What a table may tell the rest of the server. Each call only posts or updates the callee's own records. */
export interface TableHost {
  config: Config;
  log: Logger;
  metrics: Metrics;
  store: Store;
  /** Ask to seat (or let watch) a player on `conn`; see Hub.claim. Nothing is seated unless "ok". */
  claim(playerId: string, table: Table, conn: Connection): "ok" | "elsewhere" | "gone";
  /** The player is no longer at this table. */
  released(playerId: string, table: Table): void;
  /** The lobby's listing of this table changed. */
  summary(table: Table, summary: TableSummary): void;
  /** The table has closed and must be forgotten. */
  closed(table: Table): void;
  /** BOTS=external: ask a bot service for a bot at `seat`; it joins with `ticket`, or the table gets botFallback. */
  requestBot(table: Table, seat: number, ticket: string): void;
}

type PlayerMsg = Extract<ClientMessage, { type: "play" | "pass" | "ready" | "chat" }>;

export type TableMsg =
  | { type: "join"; playerId: string; name: string; conn: Connection; ticket?: string; reqId?: string | number }
  | { type: "watch"; playerId: string; name: string; conn: Connection; reqId?: string | number }
  | { type: "attach"; playerId: string; conn: Connection }
  | { type: "detach"; playerId: string; conn: Connection }
  | { type: "leave"; playerId: string; conn: Connection; reqId?: string | number }
  | { type: "client"; playerId: string; conn: Connection; msg: PlayerMsg; at: number }
  /** The turn timer fired; `timer` is the timer, so one that was replaced meanwhile is ignored. */
  | { type: "clock"; timer: NodeJS.Timeout }
  | { type: "grace"; seat: number; epoch: number }
  | { type: "fill" }
  | { type: "nextDeal"; dealNo: number }
  | { type: "idle"; epoch: number }
  | { type: "fail"; reason: string }
  | { type: "close"; code: string; message: string }
  /** No service bot came for `seat` (none connected, or not in time): seat an in-process one. */
  | { type: "botFallback"; seat: number; ticket: string; reason: string }
  /** Ask for a copy of the game (tests, tooling): answered from inside the actor, in mailbox order. */
  | { type: "inspect"; reply: (game: Game, seq: number) => void };

interface Seat {
  playerId: string | null;
  name: string | null;
  /** A person holds this seat (even while a bot plays it for them). */
  human: boolean;
  conn: Connection | null;
  /** The bot playing the seat: a bot seat, or the stand-in for an absent player. */
  bot: BotSeat | null;
  /** BOTS=external: the one-time ticket of the service bot this seat waits for. */
  ticket: string | null;
  /** A bot service's player connection holds the seat (as `conn`). */
  remote: boolean;
  graceEpoch: number;
  graceTimer: NodeJS.Timeout | null;
  ready: boolean;
  chatTimes: number[];
}

type Status = "waiting" | "playing" | "between" | "over";

const CHAT_MAX = 200;
const WAITING_GRACE_MS = 10_000;
const CHAT_WINDOW_MS = 10_000;
const CHAT_PER_WINDOW = 5;
/** How soon a timer's message is offered again to a full mailbox. */
const TIMER_RETRY_MS = 50;

/**
 * A table actor. It alone owns its match, its deal, its seats and its timers; everything reaches
 * it as a message through its mailbox and is handled to completion, one at a time.
 */
export class Table {
  readonly mailbox: Mailbox<TableMsg>;
  readonly #seats: Seat[];
  readonly #spectators = new Map<Connection, { playerId: string; name: string; chatTimes: number[] }>();
  #game: Game;
  #seq = 0;
  #status: Status = "waiting";
  /** When the current turn's clock runs out (performance.now(), which no wall-clock step moves). */
  #deadline: number | null = null;
  /** When the next deal starts by itself (between deals). */
  #nextDealAt: number | null = null;
  #turnTimer: NodeJS.Timeout | null = null;
  #otherTimers = new Set<NodeJS.Timeout>();
  #idleEpoch = 0;
  #closed = false;
  readonly #log: Logger;

  constructor(
    readonly id: string,
    readonly code: string | null,
    readonly settings: TableSettings,
    private readonly host: TableHost,
  ) {
    this.#log = host.log.child({ table: id });
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
    if (settings.fillWithBotsAfter !== null) this.#after(settings.fillWithBotsAfter * 1000, { type: "fill" });
  }

  post(m: TableMsg): boolean {
    return this.mailbox.post(m);
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
        return this.#join(m.playerId, m.name, m.conn, m.reqId);
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
        return this.#clock();
      case "grace":
        return this.#graceOver(m.seat, m.epoch);
      case "fill":
        if (this.#status !== "waiting") return;
        this.addBots(this.settings.seats);
        for (const s of this.#seats.keys()) this.#broadcastSeat(s);
        this.#listingChanged();
        return this.#maybeStart();
      case "nextDeal":
        if (this.#status === "between" && this.#game.dealNo === m.dealNo) return this.#startDeal();
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
    }
  }

  // ------------------------------------------------------------------ seats

  /** The session must agree before a seat or a spectator place is given. */
  #claim(playerId: string, conn: Connection, reqId?: string | number): boolean {
    const verdict = this.host.claim(playerId, this, conn);
    if (verdict === "elsewhere") this.#error(conn, ErrorCode.AlreadySeated, "You are already at another table; leave it first.", reqId);
    return verdict === "ok";
  }

  #seatOf(playerId: string): number {
    // A loop, not findIndex with a closure: every play comes through here.
    for (let s = 0; s < this.#seats.length; s++) if (this.#seats[s].playerId === playerId) return s;
    return -1;
  }

  #join(playerId: string, name: string, conn: Connection, reqId?: string | number): void | Promise<void> {
    if (this.#seatOf(playerId) >= 0) return this.#attach(playerId, conn, reqId);
    if (this.#status !== "waiting") {
      return this.#error(conn, ErrorCode.TableFull, "This match has already started; you can watch it.", reqId);
    }
    const s = this.#seats.findIndex((seat) => seat.playerId === null);
    if (s < 0) return this.#error(conn, ErrorCode.TableFull, "Every seat at this table is taken; you can watch it.", reqId);
    if (!this.#claim(playerId, conn, reqId)) return;
    Object.assign(this.#seats[s], { playerId, name, human: true, conn, ready: false });
    this.#spectators.delete(conn);
    this.#to(conn, { type: "joined", id: reqId, tableId: this.id, seat: s, code: this.code });
    this.#to(conn, this.#snapshot(s));
    this.#broadcastSeat(s);
    this.#listingChanged();
    this.#idleCheck();
    return this.#maybeStart();
  }

  #watch(playerId: string, name: string, conn: Connection, reqId?: string | number): void {
    if (this.#seatOf(playerId) >= 0) return this.#attach(playerId, conn, reqId);
    if (!this.#claim(playerId, conn, reqId)) return;
    this.#spectators.set(conn, { playerId, name, chatTimes: [] });
    this.#to(conn, { type: "joined", id: reqId, tableId: this.id, seat: null, code: null });
    this.#to(conn, this.#snapshot(null));
    this.#idleCheck();
  }

  /** A seated player's new socket (reconnect, reload, second tab). */
  #attach(playerId: string, conn: Connection, reqId?: string | number): void {
    const s = this.#seatOf(playerId);
    if (s < 0) {
      const spectator = [...this.#spectators].find(([, v]) => v.playerId === playerId);
      if (!spectator) return;
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
      seat.bot.close();
      seat.bot = null;
    }
    if (reqId !== undefined) this.#to(conn, { type: "joined", id: reqId, tableId: this.id, seat: s, code: this.code });
    this.#to(conn, this.#snapshot(s));
    this.#broadcastSeat(s);
    this.#idleCheck();
  }

  #detach(playerId: string, conn: Connection): void {
    if (this.#spectators.delete(conn)) {
      this.host.released(playerId, this);
      return this.#idleCheck();
    }
    const s = this.#seatOf(playerId);
    if (s < 0 || this.#seats[s].conn !== conn) return;
    const seat = this.#seats[s];
    seat.conn = null;
    if (seat.remote) {
      // A service bot's socket dropped: an in-process bot plays on at once, no grace.
      seat.remote = false;
      this.host.released(playerId, this);
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

  #leave(playerId: string, conn: Connection, reqId?: string | number): void {
    if (this.#spectators.delete(conn)) {
      this.host.released(playerId, this);
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
      this.host.released(playerId, this);
      if (seat.bot) seat.bot.close();
      const name = seat.name;
      this.#seatBot(s);
      seat.name = `${name} (bot)`;
    }
    this.#to(conn, { type: "left", id: reqId, tableId: this.id });
    this.#broadcastSeat(s);
    this.#listingChanged();
    this.#idleCheck();
  }

  #vacate(s: number): void {
    const seat = this.#seats[s];
    if (seat.playerId && (seat.human || seat.remote)) this.host.released(seat.playerId, this);
    seat.bot?.close();
    Object.assign(seat, { playerId: null, name: null, human: false, conn: null, bot: null, ticket: null, remote: false, ready: false });
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
    if (this.host.config.bots === "external") return this.#requestBot(s);
    this.host.metrics.botSeats.inc({ by: "internal" });
    this.#standIn(s);
  }

  /** BOTS=external: reserve the seat with a one-time ticket and ask the bot service for a bot. */
  #requestBot(s: number): void {
    const ticket = randomBytes(18).toString("base64url");
    this.#seats[s].ticket = ticket;
    this.host.requestBot(this, s, ticket);
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
    const { botThinkMs } = this.host.config;
    const think = botThinkMs === 0 ? () => 0 : () => botThinkMs * (0.6 + Math.random() * 0.8);
    const strategy = strategyFor(this.settings.botLevel, { budgetMs: this.host.config.botSearchBudgetMs });
    const bot = new BotSeat(strategy, think, (conn, msg) => {
      const seat = this.#seats[s];
      if (seat.bot !== conn || !seat.playerId) return;
      if (msg.type === "play" || msg.type === "pass" || msg.type === "ready" || msg.type === "chat") {
        this.post({ type: "client", playerId: seat.playerId, conn, msg, at: performance.now() });
      }
    });
    this.#seats[s].bot = bot;
    if (this.#status !== "waiting") bot.send(frame(this.#snapshot(s)));
  }

  #cancelGrace(seat: Seat): void {
    if (seat.graceTimer) {
      clearTimeout(seat.graceTimer);
      this.#otherTimers.delete(seat.graceTimer);
      seat.graceTimer = null;
    }
    seat.graceEpoch++;
  }

  // ------------------------------------------------------------------ play

  #client(m: Extract<TableMsg, { type: "client" }>): void | Promise<void> {
    const { msg, conn } = m;
    const s = this.#seatOf(m.playerId);
    if (msg.type === "chat") {
      const spectator = this.#spectators.get(conn);
      const seated = s >= 0 && (this.#seats[s].conn === conn || this.#seats[s].bot === conn);
      const member = seated ? { seat: s, name: this.#seats[s].name ?? "?", record: this.#seats[s] } : spectator ? { seat: null, name: spectator.name, record: spectator } : null;
      if (!member) return this.#error(conn, ErrorCode.NotAtTable, "You are not at this table.", msg.id);
      return this.#chat(member.seat, member.name, member.record, msg, conn);
    }
    // Only the connection that currently holds the seat may act for it.
    if (s < 0 || (this.#seats[s].conn !== conn && this.#seats[s].bot !== conn)) {
      return this.#error(conn, ErrorCode.NotSeated, "You have no seat at this table.", msg.id);
    }
    if (msg.type === "ready") {
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
    // Check, log, then apply: an action exists once it is in the log. (The check already appends
    // the event to the live deal's lists: see growInPlace.)
    const entry = { kind: "action", seq: this.#seq + 1, action } as const;
    const folded = foldEntry(this.#game, this.settings, entry, growInPlace);
    if (!folded.ok) {
      this.host.metrics.actions.rejected.inc();
      if (conn) this.#error(conn, folded.code, folded.message, reqId);
      return;
    }
    const written = this.host.store.append(this.id, entry);
    if (written) return written.then(() => this.#commit(entry, folded, at, conn, reqId));
    this.#commit(entry, folded, at, conn, reqId);
  }

  /** The action is in the log: apply it and tell everyone. */
  #commit(entry: Extract<LogEntry, { kind: "action" }>, folded: Extract<Folded, { ok: true }>, at: number, conn: Connection | null, reqId?: string | number): void {
    if (this.#closed) return; // closed while the log was written: nothing more may leave the table
    this.#seq = entry.seq;
    this.#game = folded.game;
    this.host.metrics.actions.accepted.inc();
    // One clock read for the new deadline and the time left that the frame reports.
    const now = performance.now();
    if (folded.result) this.#disarmTurn();
    else this.#armTurn(now);
    this.#broadcast(playFrame({ type: "play", tableId: this.id, seq: entry.seq, event: folded.event!, turnMs: this.#turnMs(now) }));
    if (folded.result) this.#endDeal(folded.result);
    if (conn && reqId !== undefined) this.#to(conn, { type: "ack", id: reqId });
    this.host.metrics.actionLatency.observe((performance.now() - at) / 1000);
  }

  #maybeStart(): void | Promise<void> {
    if (this.#status === "waiting" && this.#seats.every((s) => s.playerId !== null)) return this.#startDeal();
  }

  #startDeal(): void | Promise<void> {
    // The seed is drawn from a CSPRNG and stays on the server (in the log) until the deal ends.
    const seed = randomBytes(16).toString("hex");
    const { match, lastResult } = this.#game;
    const entry = { kind: "deal", seq: this.#seq + 1, dealNo: this.#game.dealNo + 1, seed, leader: nextDealLeader(match), match, lastResult } as const;
    const folded = foldEntry(this.#game, this.settings, entry);
    if (!folded.ok) throw new Error(`a new deal was refused: ${folded.code}`);
    const written = this.host.store.restart(this.id, entry);
    if (written) return written.then(() => this.#dealt(entry, folded.game));
    this.#dealt(entry, folded.game);
  }

  /** The deal is in the log: deal it. */
  #dealt(entry: Extract<LogEntry, { kind: "deal" }>, game: Game): void {
    if (this.#closed) return; // closed while the log was written: nothing more may leave the table
    const { seq, dealNo } = entry;
    this.#seq = seq;
    this.#game = game;
    const deal = game.deal!;
    const wasWaiting = this.#status === "waiting";
    this.#nextDealAt = null;
    this.#status = "playing";
    for (const seat of this.#seats) seat.ready = !seat.human;
    this.#armTurn();
    const turnMs = this.#turnMs();
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
    this.#status = over ? "over" : "between";
    const nextInMs = over ? null : this.host.config.nextDealDelayMs;
    this.#broadcast(
      frame({ type: "dealEnd", tableId: this.id, seq: ++this.#seq, result, totals: match.totals, nextInMs }),
    );
    if (over) {
      const best = Math.max(...match.totals);
      const winners = match.totals.flatMap((t, s) => (t === best ? [s] : []));
      this.#broadcast(frame({ type: "matchEnd", tableId: this.id, seq: ++this.#seq, totals: match.totals, winners }));
      for (const seat of this.#seats) this.#cancelGrace(seat);
      this.#listingChanged();
      this.#idleCheck();
    } else {
      this.#nextDealAt = Date.now() + this.host.config.nextDealDelayMs;
      this.#after(this.host.config.nextDealDelayMs, { type: "nextDeal", dealNo: this.#game.dealNo });
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
  #armTurn(now = performance.now()): void {
    const seconds = this.settings.turnSeconds;
    if (seconds === 0) return;
    this.#deadline = now + seconds * 1000;
    if (!this.#turnTimer) this.#startTimer(seconds * 1000);
  }

  #startTimer(ms: number): void {
    const timer = setTimeout(() => this.#deliver({ type: "clock", timer }), ms);
    this.#turnTimer = timer;
  }

  /**
   * The turn timer fired. A deadline later than the one it was set for means turns were played
   * since: wait for it. Otherwise the current turn has run out, and the clock acts for its seat.
   */
  #clock(): void | Promise<void> {
    this.#turnTimer = null;
    const deal = this.#game.deal;
    if (this.#deadline === null || !deal || this.#status !== "playing") return;
    const left = this.#deadline - performance.now();
    if (left > 0) return this.#startTimer(left);
    return this.#act(deal.turn, { type: "timeout", seat: deal.turn }, performance.now(), null);
  }

  #disarmTurn(): void {
    if (this.#turnTimer) clearTimeout(this.#turnTimer);
    this.#turnTimer = null;
    this.#deadline = null;
  }

  #turnMs(now = performance.now()): number | null {
    return this.#deadline === null ? null : Math.max(0, Math.round(this.#deadline - now));
  }

  /** A timer whose only effect is a message into this table's own mailbox (`retry`: see #deliver). */
  #after(ms: number, m: TableMsg, retry = false): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.#otherTimers.delete(t);
      this.#deliver(m, retry);
    }, ms);
    this.#otherTimers.add(t);
    return t;
  }

  /**
   * A timer's message into the mailbox. The message is the timer's only effect, so a full mailbox
   * (a table waiting on a slow store while messages pile up) is asked again shortly: a lost clock
   * message would stop the turn clock for good, a lost `nextDeal` the match. Every timer message
   * says which timer, epoch or deal it belongs to, so one that arrives late is still judged right.
   * A closed table takes nothing.
   */
  #deliver(m: TableMsg, retry = false): void {
    if (this.post(m) || this.mailbox.closed) return;
    if (!retry) this.#log.warn({ message: m.type, queued: this.mailbox.size }, "the table's mailbox is full; a timer's message waits for room");
    this.#after(TIMER_RETRY_MS, m, true);
  }

  // ------------------------------------------------------------------ chat, idle, close

  #chat(
    seat: number | null,
    name: string,
    record: { chatTimes: number[] },
    msg: Extract<PlayerMsg, { type: "chat" }>,
    conn: Connection,
  ): void {
    const text = msg.text.trim();
    if (text.length === 0 || text.length > CHAT_MAX) {
      return this.#error(conn, ErrorCode.ChatTooLong, `Chat messages are 1 to ${CHAT_MAX} characters.`, msg.id);
    }
    // Seats and spectators alike: the fan-out of one chat is every socket at the table.
    const now = Date.now();
    const times = record.chatTimes.filter((t) => now - t < CHAT_WINDOW_MS);
    if (times.length >= CHAT_PER_WINDOW) {
      return this.#error(conn, ErrorCode.ChatRate, `At most ${CHAT_PER_WINDOW} chat messages in ${CHAT_WINDOW_MS / 1000} s.`, msg.id);
    }
    times.push(now);
    record.chatTimes = times;
    this.#broadcast(frame({ type: "chat", tableId: this.id, seq: ++this.#seq, seat, name, text }));
    if (msg.id !== undefined) this.#to(conn, { type: "ack", id: msg.id });
  }

  #anyoneHere(): boolean {
    return this.#spectators.size > 0 || this.#seats.some((s) => s.human && s.conn !== null);
  }

  #idleCheck(): void {
    this.#idleEpoch++;
    if (!this.#anyoneHere()) this.#after(this.host.config.tableIdleSeconds * 1000, { type: "idle", epoch: this.#idleEpoch });
  }

  /** End the table: tell everyone, free every seat, forget every timer. */
  close(code: string, message: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.mailbox.close();
    try {
      this.#broadcast(frame({ type: "closed", tableId: this.id, seq: ++this.#seq, code, message }));
    } catch (err) {
      // Closing must finish (seats released, timers gone, the lobby told) even if a connection
      // failed to take the notice: the close often runs because something already went wrong.
      this.#log.error({ err }, "a connection failed to take the table's closing notice");
    }
    this.#disarmTurn();
    for (const t of this.#otherTimers) clearTimeout(t);
    this.#otherTimers.clear();
    for (const seat of this.#seats) {
      seat.bot?.close();
      if ((seat.human || seat.remote) && seat.playerId) this.host.released(seat.playerId, this);
    }
    for (const { playerId } of this.#spectators.values()) this.host.released(playerId, this);
    this.#spectators.clear();
    this.host.store.drop(this.id).catch((err: unknown) => this.#log.error({ err }, "could not drop the table's log"));
    this.host.closed(this);
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
      nextInMs: this.#status === "between" && this.#nextDealAt !== null ? Math.max(0, this.#nextDealAt - Date.now()) : null,
      lastResult,
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
    if (!this.#closed) this.host.summary(this, this.summary());
  }
}
