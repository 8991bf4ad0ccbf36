// The table-log port: everything a table must persist so that another node can rebuild it. The
// memory implementation is the embedded default; the Redis one serves several nodes. The server
// core never imports a storage client.

import type { Action, DealResult, MatchState } from "../../rules/types.ts";
import type { TableSettings } from "../../protocol/index.ts";

/**
 * Who may write a table's log: the node that owns it, and which ownership (epoch) of it. An
 * epoch grows each time the table changes hands, so a writer that paused past its lease and
 * still believes it owns the table holds a stale fence, and the log refuses it.
 */
export interface Fence {
  node: string;
  epoch: number;
}

/** Who holds a seat, as the log keeps it (connections are not logged: players reconnect). */
export interface SeatRecord {
  playerId: string | null;
  name: string | null;
  /** A person holds the seat (even while a bot plays it for them). */
  human: boolean;
}

/** What never changes in a table's life: written once when the table opens. */
export interface TableMeta {
  tableId: string;
  code: string | null;
  settings: TableSettings;
  /** The match being played (a new id for each match the table plays). */
  matchId: string;
  /** Wall-clock ms. */
  createdAt: number;
}

/**
 * A table's log is one deal long: a `deal` entry carries the match as it stood when the deal
 * began (totals, deals played) and the seats, so it and the entries after it rebuild the whole
 * table, and what came before it is no longer needed.
 *
 * `n` numbers the log's entries with no gaps, across deals (a deal entry follows the last entry of
 * the deal before it). `seq` is the table's frame counter when the entry was made: frames that are
 * not logged (chat, a seat's connection) also count, so it has gaps; a rebuilt table continues
 * from it. `at` is wall-clock ms: a turn's deadline is `at` + the turn clock, on any node.
 */
export type LogEntry =
  | { kind: "seats"; n: number; seq: number; seats: SeatRecord[] }
  | {
      kind: "deal";
      n: number;
      seq: number;
      dealNo: number;
      seed: string;
      leader: number | null;
      match: MatchState;
      lastResult: DealResult | null;
      seats: SeatRecord[];
      at: number;
    }
  | { kind: "action"; n: number; seq: number; action: Action; at: number };

export type DealEntry = Extract<LogEntry, { kind: "deal" }>;

/** The table is no longer this writer's: another node owns it now (or its lease ran out). */
export class FencedError extends Error {
  readonly code = "log/fenced";
}

/** The log could not be reached or did not answer in time; nothing was written (or the write is unknown and may be retried: appends are idempotent). */
export class LogUnavailableError extends Error {
  readonly code = "log/unavailable";
}

/** An entry whose `n` is not the next one, or a different entry under an `n` already written. */
export class LogConflictError extends Error {
  readonly code = "log/conflict";
}

/**
 * The writes are on every play's path. A log that has written the entry before it returns (the
 * memory log) returns nothing and the table goes on in the same turn; one that writes over the
 * network returns a promise and the table waits for it before anyone is told of the entry. Every
 * write is fenced: it takes effect only while `fence` is the table's current owner, and throws
 * (or rejects with) FencedError otherwise. Appends are idempotent by `n`: the same entry again
 * is accepted (a retry after a lost reply), a different one under a written `n` is a conflict.
 */
export interface TableLog {
  /** A new table: its meta and an empty log. */
  create(meta: TableMeta, fence: Fence): void | Promise<void>;
  append(tableId: string, entry: LogEntry, fence: Fence): void | Promise<void>;
  /** Start the log afresh with this deal entry (the deal before it is no longer needed). `meta` replaces the stored one when a new match begins. */
  restart(tableId: string, entry: DealEntry, fence: Fence, meta?: TableMeta): void | Promise<void>;
  /** Rewrite a whole log from a node's memory (after the store lost it, e.g. an empty Redis). */
  rewrite(meta: TableMeta, entries: readonly LogEntry[], fence: Fence): Promise<void>;
  read(tableId: string): Promise<{ meta: TableMeta; entries: LogEntry[] } | null>;
  drop(tableId: string, fence: Fence): Promise<void>;
}

/** Two entries are the same write when their JSON is the same. */
export function sameEntry(a: LogEntry, b: LogEntry): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
