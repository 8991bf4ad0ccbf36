// What the table screen shows, as a pure fold of the table's messages. The pacing queue feeds
// it one message at a time, so this is the *shown* state, which may trail the server's by a
// few plays while a quick run of bot moves is being drawn.
import type { SeatInfo, ServerMessage, SnapshotMessage, TableSettings } from "../protocol/messages.ts";
import type { Card, DealEvent, DealResult, PlayerView, PublicView } from "../rules/types.ts";
import { applyEvent } from "../rules/index.ts";
import type { RematchState } from "./rematch.ts";

export type TableStatus = SnapshotMessage["status"];

export interface ChatLine {
  seat: number | null;
  name: string;
  text: string;
  at: number;
  /** Lines the client writes itself (joins, leaves, bot takeovers). */
  system?: boolean;
}

export interface ShownResult {
  dealNo: number;
  result: DealResult;
  totals: number[];
  /** Absolute time (ms, Date.now clock) the next deal starts; null when the match is over or unknown. */
  nextAt: number | null;
}

export interface TableModel {
  tableId: string;
  seq: number;
  /** Our seat, or null when watching. */
  seat: number | null;
  settings: TableSettings;
  code: string | null;
  players: SeatInfo[];
  status: TableStatus;
  dealNo: number;
  totals: number[];
  deal: PlayerView | PublicView | null;
  /** Turn clock of the seat to act: absolute deadline (Date.now clock), or null without a clock. */
  turnDeadline: number | null;
  result: ShownResult | null;
  /** `matchId`: the finished match in the records, when the server names it (for the replay link). */
  matchEnd: { totals: number[]; winners: number[]; matchId?: string } | null;
  chat: ChatLine[];
  /** The last event drawn, for the live announcement and the "just played" highlight. */
  lastEvent: DealEvent | null;
  /** The "Play again" offer after the match (rematch.ts); a new match's snapshot clears it. */
  rematch?: RematchState | null;
}

export type TableMessage = Extract<ServerMessage, { tableId: string; seq: number }>;

const CHAT_KEEP = 200;

export function isPlayerView(deal: PlayerView | PublicView | null): deal is PlayerView {
  return deal !== null && Array.isArray((deal as Partial<PlayerView>).hand);
}

export function fromSnapshot(msg: SnapshotMessage, now: number, chat: ChatLine[] = []): TableModel {
  const over = msg.status === "over";
  return {
    tableId: msg.tableId,
    seq: msg.seq,
    seat: msg.seat,
    settings: msg.settings,
    code: msg.code,
    players: msg.players,
    status: msg.status,
    dealNo: msg.dealNo,
    totals: msg.totals,
    deal: msg.deal,
    turnDeadline: msg.turnMs === null ? null : now + msg.turnMs,
    result:
      (msg.status === "between" || over) && msg.lastResult
        ? { dealNo: msg.dealNo, result: msg.lastResult, totals: msg.totals, nextAt: msg.nextInMs === null ? null : now + msg.nextInMs }
        : null,
    matchEnd: over ? { totals: msg.totals, winners: leaders(msg.totals) } : null,
    chat,
    lastEvent: null,
  };
}

function leaders(totals: number[]): number[] {
  const best = Math.max(...totals);
  return totals.flatMap((t, i) => (t === best ? [i] : []));
}

/** Fold one table message into the shown state. Messages for another table are ignored. */
export function applyTableMessage(model: TableModel, msg: TableMessage, now: number): TableModel {
  if (msg.tableId !== model.tableId) return model;
  const seq = Math.max(model.seq, msg.seq);
  switch (msg.type) {
    case "snapshot":
      return fromSnapshot(msg, now, model.chat);
    case "deal":
      return {
        ...model,
        seq,
        status: "playing",
        dealNo: msg.dealNo,
        deal: msg.deal,
        turnDeadline: msg.turnMs === null ? null : now + msg.turnMs,
        result: null,
        lastEvent: null,
      };
    case "play": {
      if (!model.deal) return { ...model, seq };
      return {
        ...model,
        seq,
        deal: applyEvent(model.deal, msg.event),
        turnDeadline: msg.turnMs === null ? null : now + msg.turnMs,
        lastEvent: msg.event,
      };
    }
    case "dealEnd":
      return {
        ...model,
        seq,
        status: msg.nextInMs === null ? "over" : "between",
        totals: msg.totals,
        turnDeadline: null,
        result: {
          dealNo: model.dealNo,
          result: msg.result,
          totals: msg.totals,
          nextAt: msg.nextInMs === null ? null : now + msg.nextInMs,
        },
      };
    case "matchEnd": {
      const matchId = (msg as { matchId?: unknown }).matchId;
      const end = { totals: msg.totals, winners: msg.winners, ...(typeof matchId === "string" ? { matchId } : {}) };
      return { ...model, seq, status: "over", totals: msg.totals, matchEnd: end };
    }
    case "seat": {
      const players = model.players.slice();
      const before = players[msg.player.seat];
      players[msg.player.seat] = msg.player;
      const note = seatNote(before, msg.player);
      const chat = note ? pushChat(model.chat, { seat: null, name: "", text: note, at: now, system: true }) : model.chat;
      return { ...model, seq, players, chat };
    }
    case "chat":
      return { ...model, seq, chat: pushChat(model.chat, { seat: msg.seat, name: msg.name, text: msg.text, at: now }) };
    case "closed":
      return { ...model, seq, status: "over", turnDeadline: null };
  }
}

function pushChat(chat: ChatLine[], line: ChatLine): ChatLine[] {
  const next = chat.length >= CHAT_KEEP ? chat.slice(chat.length - CHAT_KEEP + 1) : chat.slice();
  next.push(line);
  return next;
}

function seatNote(before: SeatInfo | undefined, after: SeatInfo): string | null {
  const name = after.name ?? before?.name ?? `Seat ${after.seat + 1}`;
  if (!before || before.name === null) return after.name !== null ? `${name} sat down` : null;
  if (after.name === null) return `${before.name} left`;
  if (before.playerId !== after.playerId) return `${name} took the seat`;
  if (!before.bot && after.bot) return `A bot is playing for ${name} until they return`;
  if (before.bot && !after.bot && after.connected) return `${name} is back`;
  if (before.connected && !after.connected) return `${name} lost connection`;
  if (!before.connected && after.connected) return `${name} reconnected`;
  return null;
}

export interface TrickInfo {
  /** Events of the current trick, oldest first. */
  events: DealEvent[];
  /** Each seat's latest action in the current trick, or null. */
  bySeat: (DealEvent | null)[];
}

/**
 * Split the deal's history into tricks (a trick ends when every other seat has passed since
 * the last play, RULES.md), for the "last play of each seat" labels and the deal log. The
 * engine's `top === null` is the authority that the table is clear.
 */
export function tricksOf(deal: PublicView): DealEvent[][] {
  const tricks: DealEvent[][] = [[]];
  const out = new Set<number>();
  for (const ev of deal.history) {
    const cur = tricks[tricks.length - 1];
    cur.push(ev);
    if (ev.type === "play") {
      if (!deal.variant.passLocksTrick) out.clear();
    } else {
      out.add(ev.seat);
      if (out.size >= deal.seats - 1) {
        tricks.push([]);
        out.clear();
      }
    }
  }
  if (deal.top === null && tricks[tricks.length - 1].length > 0) tricks.push([]);
  return tricks;
}

export function currentTrick(deal: PublicView): TrickInfo {
  const tricks = tricksOf(deal);
  const events = deal.top === null ? [] : tricks[tricks.length - 1];
  const bySeat: (DealEvent | null)[] = Array.from({ length: deal.seats }, () => null);
  for (const ev of events) bySeat[ev.seat] = ev;
  return { events, bySeat };
}

/** Seats in the order they sit around us: ours first (or seat 0 when watching), then turn order. */
export function seatOrder(seats: number, mySeat: number | null): number[] {
  const first = mySeat ?? 0;
  return Array.from({ length: seats }, (_, i) => (first + i) % seats);
}

export function handOf(model: TableModel): Card[] {
  return isPlayerView(model.deal) ? model.deal.hand : [];
}

export function seatName(t: TableModel, seat: number): string {
  if (seat === t.seat) return "You";
  return t.players[seat]?.name ?? `Seat ${seat + 1}`;
}
