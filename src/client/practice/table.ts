// A practice match in the browser alone: one person and three bots, the rules engine deciding
// everything. It speaks the game server's wire protocol (JSON text frames in and out: hello,
// play, pass, ready, ... in; welcome, snapshot, deal, play, dealEnd, matchEnd, ... out), so the
// client's connection, table model and views run a practice match unchanged. It runs in a Web
// Worker (worker.ts); tests drive it directly.
//
// The server's table actor (src/server/table.ts) is the model, without what practice has no use
// for (other people, spectators, reconnects, the turn clock, a log): messages are handled one at
// a time from a queue, a deal's seed is drawn when the deal starts, events carry a sequence
// number, bots are clients that see only their own view (the same BotBrain and strategies the
// server's bots use) and whose moves come back through the same queue as the person's.
import { BotBrain } from "../../bots/brain.ts";
import { strategyFor, type BotLevel } from "../../bots/strategies/index.ts";
import { ErrorCode, PROTOCOL_VERSION } from "../../protocol/codes.ts";
import type { ClientMessage, SeatInfo, ServerMessage, TableSettings } from "../../protocol/messages.ts";
import {
  applyAction,
  newDeal,
  newMatch,
  nextDealLeader,
  recordDeal,
  resolveVariant,
  scoreDeal,
  viewFor,
  type Action,
  type DealResult,
  type DealState,
  type MatchState,
} from "../../rules/index.ts";

export const PRACTICE_TABLE_ID = "practice";
export const PRACTICE_PLAYER_ID = "practice";
/** Refused: a request that needs the server (create, join, watch, quick match) while practising. */
export const PRACTICE_UNAVAILABLE = "practice/unavailable";

export const PRACTICE_LEVELS: readonly BotLevel[] = ["easy", "normal", "hard"];
export const PRACTICE_DEALS: readonly number[] = [1, 2, 4, 8, 16];

/** What the person chooses. The turn clock is always off in practice. */
export interface PracticeSettings {
  deals: number;
  botLevel: BotLevel;
  /** The table's title, in the person's language. */
  title: string;
}

export interface PracticeOptions {
  settings: PracticeSettings;
  /** A text frame to the person's client. */
  send(text: string): void;
  /** The table is done with the client (after `left`, or a failure); `code` as a WebSocket close code. */
  close(code: number): void;
  /** A fresh secret seed for each deal and each bot (the worker draws it from crypto.getRandomValues). */
  seed(): string;
  /** A bot's think time before each move, ms. */
  thinkMs(): number;
  /** Timers; tests may drive them. Returns a cancel function. */
  schedule?(fn: () => void, ms: number): () => void;
  /** Pause after a deal's result unless the person is ready sooner. */
  nextDealDelayMs?: number;
  /** The hard bots' search time per decision, ms. */
  searchBudgetMs?: number;
}

type Inbound =
  | { from: "person"; text: string }
  | { from: "bot"; seat: number; msg: ClientMessage }
  | { from: "nextDeal"; dealNo: number };

type Status = "waiting" | "playing" | "between" | "over";

const SEATS = 4;
const PERSON = 0;
const BOT_NAMES = ["Bot Ana", "Bot Ben", "Bot Cai", "Bot Dee"];
const NAME_MAX = 24;
const CHAT_MAX = 200;
const NEXT_DEAL_DELAY_MS = 8000;

const defaultSchedule = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/** Throws a TypeError for settings no client should send (a programmer error, not a peer's). */
export function checkPracticeSettings(s: PracticeSettings): PracticeSettings {
  if (!Number.isInteger(s.deals) || s.deals < 1 || s.deals > 100) {
    throw new TypeError(`Expected \`deals\` to be a whole number from 1 to 100, got ${String(s.deals)}`);
  }
  if (!(["random", "easy", "normal", "hard"] as const).includes(s.botLevel)) {
    throw new TypeError(`Expected \`botLevel\` to be random, easy, normal or hard, got ${String(s.botLevel)}`);
  }
  if (typeof s.title !== "string" || s.title.length === 0 || s.title.length > 40) {
    throw new TypeError(`Expected \`title\` to be 1 to 40 characters, got ${JSON.stringify(s.title)}`);
  }
  return s;
}

export class PracticeTable {
  readonly settings: TableSettings;
  readonly #opts: PracticeOptions;
  readonly #schedule: NonNullable<PracticeOptions["schedule"]>;
  readonly #bots: BotBrain[] = [];
  readonly #queue: Inbound[] = [];
  #draining = false;
  #closed = false;
  #hello = false;
  #name = "You";
  #seq = 0;
  #status: Status = "waiting";
  #match: MatchState;
  #deal: DealState | null = null;
  #dealNo = 0;
  #lastResult: DealResult | null = null;
  #cancelNextDeal: (() => void) | null = null;

  constructor(opts: PracticeOptions) {
    const s = checkPracticeSettings(opts.settings);
    this.#opts = opts;
    this.#schedule = opts.schedule ?? defaultSchedule;
    this.settings = {
      name: s.title,
      seats: SEATS,
      variant: resolveVariant({}),
      turnSeconds: 0,
      deals: s.deals,
      lossLimit: null,
      private: true,
      botLevel: s.botLevel,
      fillWithBotsAfter: null,
    };
    this.#match = newMatch({ variant: this.settings.variant, seats: SEATS, settings: { deals: s.deals, lossLimit: null } });
    const strategy = strategyFor(s.botLevel, { budgetMs: opts.searchBudgetMs });
    for (let seat = 0; seat < SEATS; seat++) {
      if (seat === PERSON) continue;
      this.#bots[seat] = new BotBrain({
        strategy,
        thinkMs: opts.thinkMs,
        seed: opts.seed(),
        schedule: this.#schedule,
        send: (msg) => this.#post({ from: "bot", seat, msg }),
      });
    }
  }

  /** A text frame from the person's client. */
  receive(text: string): void {
    this.#post({ from: "person", text });
  }

  /** Stop every bot and timer; nothing more is sent. */
  stop(): void {
    this.#closed = true;
    this.#queue.length = 0;
    this.#cancelNextDeal?.();
    this.#cancelNextDeal = null;
    for (const bot of this.#bots) bot?.stop();
  }

  // ------------------------------------------------------------------ the queue

  /**
   * One message at a time, each to completion: a bot answers some frames at once (a `ready` after
   * a deal's result), from inside the broadcast of that frame, and that answer must wait its turn.
   */
  #post(m: Inbound): void {
    if (this.#closed) return;
    this.#queue.push(m);
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#queue.length > 0 && !this.#closed) this.#handle(this.#queue.shift()!);
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#draining = false;
    }
  }

  #handle(m: Inbound): void {
    if (m.from === "nextDeal") {
      if (this.#status === "between" && this.#dealNo === m.dealNo) this.#startDeal();
      return;
    }
    if (m.from === "bot") {
      const { msg, seat } = m;
      if (msg.type === "play") return this.#act({ type: "play", seat, cards: msg.cards }, msg.id);
      if (msg.type === "pass") return this.#act({ type: "pass", seat }, msg.id);
      return; // `ready`: bots are always ready
    }
    const decoded = decode(m.text);
    if ("code" in decoded) return this.#error(decoded.code, decoded.message, decoded.id);
    const msg = decoded.msg;
    if (!this.#hello && msg.type !== "hello") return this.#error(ErrorCode.HelloFirst, "Say hello first.", msg.id);
    switch (msg.type) {
      case "hello":
        return this.#onHello(msg);
      case "play":
        if (!Array.isArray(msg.cards) || msg.cards.length < 1 || msg.cards.length > 5 || !msg.cards.every((c) => typeof c === "string")) {
          return this.#error(ErrorCode.BadMessage, 'Bad "play" message at /cards: one to five cards.', msg.id);
        }
        return this.#act({ type: "play", seat: PERSON, cards: msg.cards }, msg.id);
      case "pass":
        return this.#act({ type: "pass", seat: PERSON }, msg.id);
      case "ready":
        this.#ack(msg.id);
        if (this.#status === "between") this.#startDeal();
        return;
      case "chat": {
        const text = typeof msg.text === "string" ? msg.text.trim() : "";
        if (text.length === 0 || text.length > CHAT_MAX) {
          return this.#error(ErrorCode.ChatTooLong, `Chat messages are 1 to ${CHAT_MAX} characters.`, msg.id);
        }
        this.#broadcast({ type: "chat", tableId: PRACTICE_TABLE_ID, seq: ++this.#seq, seat: PERSON, name: this.#name, text });
        return this.#ack(msg.id);
      }
      case "react": {
        // The person's client is this build and offers only the protocol's reactions; the list
        // itself lives beside the protocol's schemas, which are not shipped to the worker.
        const emote = typeof msg.emote === "string" && /^[a-z]{1,16}$/.test(msg.emote) ? msg.emote : null;
        if (!emote) return this.#error(ErrorCode.BadMessage, 'Bad "react" message at /emote.', msg.id);
        this.#broadcast({ type: "reaction", tableId: PRACTICE_TABLE_ID, seq: ++this.#seq, seat: PERSON, name: this.#name, emote: msg.emote });
        return this.#ack(msg.id);
      }
      case "table.leave":
        this.#toPerson({ type: "left", id: msg.id, tableId: PRACTICE_TABLE_ID });
        this.stop();
        this.#opts.close(1000);
        return;
      case "lobby.subscribe":
      case "lobby.unsubscribe":
        return this.#ack(msg.id);
      default:
        return this.#error(PRACTICE_UNAVAILABLE, "Not available while practising: the practice table plays without the server.", msg.id);
    }
  }

  #onHello(msg: Extract<ClientMessage, { type: "hello" }>): void {
    if (this.#hello) return this.#error(ErrorCode.AlreadyHello, "Hello was already said.", msg.id);
    if (msg.v !== PROTOCOL_VERSION) {
      return this.#error(ErrorCode.Version, `This practice table speaks protocol ${PROTOCOL_VERSION}, not ${String(msg.v)}.`, msg.id);
    }
    const name = typeof msg.name === "string" ? msg.name.trim().slice(0, NAME_MAX) : "";
    this.#hello = true;
    this.#name = name || "You";
    // The token is the server's business: it is handed back untouched, so the client keeps it.
    const token = typeof msg.token === "string" ? msg.token : "";
    this.#toPerson({ type: "welcome", id: msg.id, v: PROTOCOL_VERSION, playerId: PRACTICE_PLAYER_ID, name: this.#name, token, tableId: PRACTICE_TABLE_ID });
    // As the server does for a table created with bots: the snapshot of the full table, then the deal.
    this.#toPerson(this.#snapshot(PERSON));
    for (const [seat, bot] of this.#bots.entries()) if (bot) bot.receive(this.#snapshot(seat));
    this.#startDeal();
  }

  // ------------------------------------------------------------------ play

  #act(action: Action, id?: string | number): void {
    const seat = action.seat;
    if (!this.#deal || this.#status !== "playing") return this.#errorTo(seat, ErrorCode.NoDeal, "No deal is being played right now.", id);
    const r = applyAction(this.#deal, action);
    if (!r.ok) return this.#errorTo(seat, r.code, r.message, id);
    this.#deal = r.state;
    this.#broadcast({ type: "play", tableId: PRACTICE_TABLE_ID, seq: ++this.#seq, event: r.event, turnMs: null });
    if (r.state.winner !== null) this.#endDeal(r.state);
    if (seat === PERSON) this.#ack(id);
  }

  #startDeal(): void {
    this.#cancelNextDeal?.();
    this.#cancelNextDeal = null;
    const deal = newDeal({ variant: this.settings.variant, seats: SEATS, seed: this.#opts.seed(), leader: nextDealLeader(this.#match) });
    this.#deal = deal;
    this.#dealNo++;
    this.#status = "playing";
    const seq = ++this.#seq;
    for (let seat = 0; seat < SEATS; seat++) {
      this.#to(seat, { type: "deal", tableId: PRACTICE_TABLE_ID, seq, dealNo: this.#dealNo, deal: viewFor(deal, seat), turnMs: null });
    }
  }

  #endDeal(deal: DealState): void {
    const result = scoreDeal(deal);
    this.#match = recordDeal(this.#match, deal);
    this.#lastResult = result;
    const { totals, over } = this.#match;
    this.#status = over ? "over" : "between";
    const delay = this.#opts.nextDealDelayMs ?? NEXT_DEAL_DELAY_MS;
    this.#broadcast({ type: "dealEnd", tableId: PRACTICE_TABLE_ID, seq: ++this.#seq, result, totals, nextInMs: over ? null : delay });
    if (over) {
      const best = Math.max(...totals);
      const winners = totals.flatMap((t, s) => (t === best ? [s] : []));
      // A practice match is kept nowhere: its id only satisfies the message's shape.
      this.#broadcast({ type: "matchEnd", tableId: PRACTICE_TABLE_ID, seq: ++this.#seq, totals, winners, matchId: "practice" });
      return;
    }
    const dealNo = this.#dealNo;
    this.#cancelNextDeal = this.#schedule(() => {
      this.#cancelNextDeal = null;
      this.#post({ from: "nextDeal", dealNo });
    }, delay);
  }

  #fail(error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    this.#toPerson({ type: "closed", tableId: PRACTICE_TABLE_ID, seq: ++this.#seq, code: ErrorCode.TableFailed, message: `The practice table hit an internal error and was closed (${detail}).` });
    this.stop();
    this.#opts.close(1011);
  }

  // ------------------------------------------------------------------ sending

  #seatInfo(seat: number): SeatInfo {
    const person = seat === PERSON;
    return { seat, name: person ? this.#name : BOT_NAMES[seat], bot: !person, connected: true, playerId: person ? PRACTICE_PLAYER_ID : null };
  }

  #snapshot(seat: number): ServerMessage {
    const playing = this.#deal !== null && this.#status !== "waiting";
    return {
      type: "snapshot",
      tableId: PRACTICE_TABLE_ID,
      seq: this.#seq,
      seat,
      settings: this.settings,
      code: null,
      players: Array.from({ length: SEATS }, (_, s) => this.#seatInfo(s)),
      status: this.#status,
      dealNo: this.#dealNo,
      totals: this.#match.totals,
      deal: playing ? viewFor(this.#deal!, seat) : null,
      turnMs: null,
      nextInMs: null,
      lastResult: this.#lastResult,
    };
  }

  /** The person gets text, as from a socket; a bot gets the message itself, as the server's in-process bots do. */
  #to(seat: number, msg: ServerMessage): void {
    if (this.#closed) return;
    if (seat === PERSON) this.#opts.send(JSON.stringify(msg));
    else this.#bots[seat]?.receive(msg);
  }

  #toPerson(msg: ServerMessage): void {
    this.#to(PERSON, msg);
  }

  #broadcast(msg: ServerMessage): void {
    for (let seat = 0; seat < SEATS; seat++) this.#to(seat, msg);
  }

  #ack(id: string | number | undefined): void {
    if (id !== undefined) this.#toPerson({ type: "ack", id });
  }

  #error(code: string, message: string, id?: string | number): void {
    this.#toPerson({ type: "error", code, message, id });
  }

  #errorTo(seat: number, code: string, message: string, id?: string | number): void {
    this.#to(seat, { type: "error", code, message, id });
  }
}

type Decoded = { msg: ClientMessage } | { code: string; message: string; id?: string | number };

/**
 * The frame's outer shape. The person's client is this same build, and the rules engine checks
 * every move (a card that is not a card is not in the hand), so the server's schema checker is
 * not shipped to the worker; what reaches the table has a known `type`.
 */
function decode(text: string): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { code: ErrorCode.BadJson, message: "The frame is not valid JSON." };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { code: ErrorCode.BadMessage, message: "A message is a JSON object with a `type`." };
  }
  const v = value as { type?: unknown; id?: unknown };
  const id = typeof v.id === "string" || typeof v.id === "number" ? v.id : undefined;
  if (typeof v.type !== "string") return { code: ErrorCode.BadMessage, message: "A message needs a string `type`.", id };
  if (!KNOWN.has(v.type)) return { code: ErrorCode.UnknownType, message: `Unknown message type "${v.type.slice(0, 40)}".`, id };
  return { msg: value as ClientMessage };
}

/** Every type a client may send (the compiler checks the list against the protocol's). */
const TYPES: Record<ClientMessage["type"], true> = {
  hello: true,
  rematch: true,
  "lobby.subscribe": true,
  "lobby.unsubscribe": true,
  "table.create": true,
  "table.join": true,
  "table.watch": true,
  "table.leave": true,
  "quick.join": true,
  "quick.leave": true,
  play: true,
  pass: true,
  ready: true,
  chat: true,
  react: true,
  "service.hello": true,
};
const KNOWN = new Set<string>(Object.keys(TYPES));
