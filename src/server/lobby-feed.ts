import type { TableSummary } from "../protocol/index.ts";
import type { Connection } from "./connection.ts";
import { frame } from "./frame.ts";

type ReqId = string | number | undefined;

interface Subscriber {
  /** The tables this subscriber has been shown (at most a page). */
  shown: Set<string>;
  /** Changes not sent yet, the newest per table: a summary, or null for a removal. */
  pending: Map<string, TableSummary | null>;
}

/** Room on the subscriber's page once the removals it waits for are sent. */
function room(sub: Subscriber, pageSize: number): boolean {
  let leaving = 0;
  for (const [tableId, table] of sub.pending) if (table === null && sub.shown.has(tableId)) leaving++;
  return sub.shown.size - leaving < pageSize;
}

/**
 * The public listing as each subscriber sees it: one page of it, and its changes coalesced to
 * one frame per table per flush (the lobby flushes about once a second). One frame holding every
 * public table grew past MAX_BUFFERED_BYTES at about 3,000 tables, and the subscriber was cut
 * off as a slow consumer again at every resubscribe (issue 19). A table with no person at it is
 * never shown. The lobby actor owns this object; nothing else touches it.
 */
export class LobbyFeed {
  readonly #listing = new Map<string, TableSummary>();
  readonly #subscribers = new Map<Connection, Subscriber>();
  #armed = false;

  constructor(
    readonly pageSize: number,
    /** Called when a change waits and no flush is due: the lobby then flushes about a second later. */
    private readonly arm: () => void,
  ) {}

  /** Tables worth showing first: ones a newcomer can sit at, then the fullest of people. */
  static order(a: TableSummary, b: TableSummary): number {
    const open = (t: TableSummary) => (t.status === "waiting" && t.taken < t.seats ? 0 : 1);
    return open(a) - open(b) || b.humans - a.humans || a.tableId.localeCompare(b.tableId);
  }

  get size(): number {
    return this.#listing.size;
  }

  subscribe(conn: Connection, reqId: ReqId): void {
    const page = [...this.#listing.values()].sort(LobbyFeed.order).slice(0, this.pageSize);
    this.#subscribers.set(conn, { shown: new Set(page.map((t) => t.tableId)), pending: new Map() });
    conn.send(frame({ type: "lobby.list", id: reqId, tables: page, total: this.#listing.size }));
  }

  unsubscribe(conn: Connection): boolean {
    return this.#subscribers.delete(conn);
  }

  /** A second tab took over: its subscription moves with it. */
  rebind(from: Connection, to: Connection): void {
    const sub = this.#subscribers.get(from);
    if (!sub) return;
    this.#subscribers.delete(from);
    this.#subscribers.set(to, sub);
  }

  /** A public table appeared or changed (any node's). */
  update(table: TableSummary): void {
    if (table.humans === 0) return this.remove(table.tableId);
    this.#listing.set(table.tableId, table);
    for (const sub of this.#subscribers.values()) {
      if (sub.shown.has(table.tableId) || sub.pending.has(table.tableId) || room(sub, this.pageSize)) this.#queue(sub, table.tableId, table);
    }
  }

  /** A public table closed, or has nobody at it. */
  remove(tableId: string): void {
    if (!this.#listing.delete(tableId)) return;
    for (const sub of this.#subscribers.values()) if (sub.shown.has(tableId) || sub.pending.has(tableId)) this.#queue(sub, tableId, null);
  }

  /** Send what waits: one frame per changed table per subscriber. */
  flush(): void {
    this.#armed = false;
    for (const [conn, sub] of this.#subscribers) {
      if (sub.pending.size === 0) continue;
      // Removals first: they make the room the additions were queued for.
      for (const [tableId, table] of sub.pending) {
        if (table === null && sub.shown.delete(tableId)) conn.send(frame({ type: "lobby.remove", tableId }));
      }
      for (const [tableId, table] of sub.pending) {
        if (table !== null && (sub.shown.has(tableId) || sub.shown.size < this.pageSize)) {
          sub.shown.add(tableId);
          conn.send(frame({ type: "lobby.table", table }));
        }
      }
      sub.pending.clear();
    }
  }

  #queue(sub: Subscriber, tableId: string, table: TableSummary | null): void {
    sub.pending.set(tableId, table);
    if (!this.#armed) {
      this.#armed = true;
      this.arm();
    }
  }
}
