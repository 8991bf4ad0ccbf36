// The Store port: everything a table persists goes through these few async calls. The memory
// implementation is the embedded default; a Redis one can implement the same port for several
// nodes. The server core never imports a storage client.

import type { Action, DealResult, MatchState } from "../rules/types.ts";

/**
 * A table's log is one deal long: a `deal` entry carries the match as it stood when the deal
 * began (totals, results), so the deal's actions after it rebuild the whole table, and what came
 * before it is no longer needed. Memory per table stays bounded however long a match runs.
 */
export type LogEntry =
  | { kind: "deal"; seq: number; dealNo: number; seed: string; leader: number | null; match: MatchState; lastResult: DealResult | null }
  | { kind: "action"; seq: number; action: Action };

export interface Store {
  append(tableId: string, entry: LogEntry): Promise<void>;
  /** Start the table's log afresh with this `deal` entry. */
  restart(tableId: string, entry: Extract<LogEntry, { kind: "deal" }>): Promise<void>;
  read(tableId: string): Promise<LogEntry[]>;
  drop(tableId: string): Promise<void>;
  close(): Promise<void>;
}

export class MemoryStore implements Store {
  readonly #logs = new Map<string, LogEntry[]>();

  async append(tableId: string, entry: LogEntry): Promise<void> {
    let log = this.#logs.get(tableId);
    if (!log) this.#logs.set(tableId, (log = []));
    log.push(entry);
  }

  async restart(tableId: string, entry: Extract<LogEntry, { kind: "deal" }>): Promise<void> {
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
