// The Store port: everything a table persists goes through these few async calls. The memory
// implementation is the embedded default; a Redis one can implement the same port for several
// nodes. The server core never imports a storage client.

import type { Action, DealResult, MatchState } from "../rules/types.ts";

/**
 * A table's log is one deal long: a `deal` entry carries the match as it stood when the deal
 * began (totals, deals played), so the deal's actions after it rebuild the whole table, and what
 * came before it is no longer needed. Memory per table stays bounded however long a match runs.
 */
export type LogEntry =
  | { kind: "deal"; seq: number; dealNo: number; seed: string; leader: number | null; match: MatchState; lastResult: DealResult | null }
  | { kind: "action"; seq: number; action: Action };

/**
 * `append` and `restart` are on every play's path. A store that has written the entry before it
 * returns (the memory store) returns nothing and the table goes on in the same turn; a store
 * that writes over the network returns a promise and the table waits for it before anyone is
 * told of the entry.
 */
export interface Store {
  append(tableId: string, entry: LogEntry): void | Promise<void>;
  /** Start the table's log afresh with this `deal` entry. */
  restart(tableId: string, entry: Extract<LogEntry, { kind: "deal" }>): void | Promise<void>;
  read(tableId: string): Promise<LogEntry[]>;
  drop(tableId: string): Promise<void>;
  close(): Promise<void>;
}

export class MemoryStore implements Store {
  readonly #logs = new Map<string, LogEntry[]>();

  append(tableId: string, entry: LogEntry): void {
    let log = this.#logs.get(tableId);
    if (!log) this.#logs.set(tableId, (log = []));
    log.push(entry);
  }

  restart(tableId: string, entry: Extract<LogEntry, { kind: "deal" }>): void {
    this.#logs.set(tableId, [entry]);
  }

  async read(tableId: string): Promise<LogEntry[]> {
    return [...(this.#logs.get(tableId) ?? [])];
  }

  async drop(tableId: string): Promise<void> {
    this.#logs.delete(tableId);
  }

  async close(): Promise<void> {
    this.#logs.clear();
  }
}
