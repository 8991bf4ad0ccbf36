// The Store port: everything a table persists goes through these few async calls. The memory
// implementation is the embedded default; a Redis one can implement the same port for several
// nodes. The server core never imports a storage client.

export type LogEntry =
  | { kind: "deal"; seq: number; dealNo: number; seed: string; leader: number | null }
  | { kind: "action"; seq: number; action: import("../rules/types.ts").Action };

export interface Store {
  append(tableId: string, entry: LogEntry): Promise<void>;
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
