// What the table screen shows, as a pure fold of the table's messages. The pacing queue feeds
// it one message at a time, so this is the *shown* state, which may trail the server's by a
// few plays while a quick run of bot moves is being drawn.
import type { SeatInfo, ServerMessage, SnapshotMessage, TableSettings } from "../protocol/messages.ts";
import type { Card, DealEvent, DealResult, PlayerView, PublicView } from "../rules/types.ts";
import { applyEvent } from "../rules/index.ts";
import { t } from "./i18n/index.ts";
import type { RematchState } from "./rematch.ts";

export type TableStatus = SnapshotMessage["status"];

/** What happened to a seat, for the line the client writes in the chat (worded by the view). */
export type SeatNote = "note.sat" | "note.left" | "note.took" | "note.botFor" | "note.back" | "note.lost" | "note.reconnected";

export interface ChatLine {
  seat: number | null;
  name: string;
  text: string;
  at: number;
  /** Lines the client writes itself (joins, leaves, bot takeovers): `name` is whom it is about. */
  system?: SeatNote;
}

export interface Reaction {
  /** Counts up per table, to key the bubble. */
  id: number;
  seat: number | null;
  name: string;
  emote: string;
  at: number;
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
  /** Recent reactions (the view shows each for a moment). */
  reactions: Reaction[];
  /** People watching (spectators), as the server last said. */
  watchers: number;
  /** The "Play again" offer after the match (rematch.ts); a new match's snapshot clears it. */
  rematch?: RematchState | null;
}

export type TableMessage = Extract<ServerMessage, { tableId: string; seq: number }>;

const CHAT_KEEP = 200;
const REACTIONS_KEEP = 12;

export function isPlayerView(deal: PlayerView | PublicView | null): deal is PlayerView {
  return deal !== null && Array.isArray((deal as Partial<PlayerView>).hand);
}

export function fromSnapshot(msg: SnapshotMessage, now: number, chat: ChatLine[] = [], reactions: Reaction[] = []): TableModel {
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
    reactions,
    watchers: msg.watchers ?? 0,
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
      return fromSnapshot(msg, now, model.chat, model.reactions);
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
      const chat = note ? pushChat(model.chat, { seat: null, name: note.name, text: "", at: now, system: note.key }) : model.chat;
      return { ...model, seq, players, chat };
    }
    case "chat":
      return { ...model, seq, chat: pushChat(model.chat, { seat: msg.seat, name: msg.name, text: msg.text, at: now }) };
    case "reaction": {
      const last = model.reactions[model.reactions.length - 1];
      const r: Reaction = { id: (last?.id ?? 0) + 1, seat: msg.seat, name: msg.name, emote: msg.emote, at: now };
      return { ...model, seq, reactions: [...model.reactions.slice(-(REACTIONS_KEEP - 1)), r] };
    }
    case "watchers":
      return { ...model, seq, watchers: msg.count };
    case "rematch":
      // The rematch offer (docs/protocol.md); its screen is the client's match-end page's to show.
      return { ...model, seq };
    case "closed":
      return { ...model, seq, status: "over", turnDeadline: null };
  }
}

function pushChat(chat: ChatLine[], line: ChatLine): ChatLine[] {
  const next = chat.length >= CHAT_KEEP ? chat.slice(chat.length - CHAT_KEEP + 1) : chat.slice();
  next.push(line);
  return next;
}

function seatNote(before: SeatInfo | undefined, after: SeatInfo): { key: SeatNote; name: string } | null {
  const name = after.name ?? before?.name ?? t("seat.n", { n: after.seat + 1 });
  if (!before || before.name === null) return after.name !== null ? { key: "note.sat", name } : null;
  if (after.name === null) return { key: "note.left", name: before.name };
  if (before.playerId !== after.playerId) return { key: "note.took", name };
  if (!before.bot && after.bot) return { key: "note.botFor", name };
  if (before.bot && !after.bot && after.connected) return { key: "note.back", name };
  if (before.connected && !after.connected) return { key: "note.lost", name };
  if (!before.connected && after.connected) return { key: "note.reconnected", name };
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

export function seatName(model: TableModel, seat: number): string {
  if (seat === model.seat) return t("seat.you");
  const info = model.players[seat];
  return info ? displayName(info) : t("seat.n", { n: seat + 1 });
}

/**
 * A seat's name as shown: the server names its bots "Bot Ana"; the bot badge already says
 * "bot" in the player's language, so the name is "Ana" (and its avatar "A", not "B" for all).
 */
export function displayName(info: SeatInfo): string {
  if (info.name === null) return t("seat.n", { n: info.seat + 1 });
  return info.bot && /^Bot \S/.test(info.name) ? info.name.slice(4) : info.name;
}
