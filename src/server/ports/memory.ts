// The embedded default: the table log and the directory in this process's memory. One node; a
// process restart forgets everything. Writes complete before they return, so a table's play
// path makes no promise (see TableLog). Several in-process nodes may share one MemoryStore
// (tests do): leases, epochs and fencing work as in Redis, on this process's clock.

import type { TableSummary } from "../../protocol/index.ts";
import type { Directory, ListingChange, NodeInfo, Owner } from "./directory.ts";
import {
  FencedError,
  LogConflictError,
  sameEntry,
  type DealEntry,
  type Fence,
  type LogEntry,
  type TableLog,
  type TableMeta,
} from "./table-log.ts";

interface TableRecord {
  node: string;
  epoch: number;
  code: string | null;
  meta: TableMeta | null;
  entries: LogEntry[];
  /** `n` of the last entry written (0: none). */
  last: number;
}

export class MemoryStore implements TableLog, Directory {
  readonly #tables = new Map<string, TableRecord>();
  readonly #codes = new Map<string, string>();
  readonly #players = new Map<string, string>();
  readonly #nodes = new Map<string, { info: NodeInfo; until: number }>();
  readonly #listing = new Map<string, TableSummary>();
  readonly #listeners = new Set<(c: ListingChange) => void>();

  constructor(private readonly now: () => number = () => performance.timeOrigin + performance.now()) {}

  // ---------------------------------------------------------------- the log

  #owned(tableId: string, fence: Fence): TableRecord {
    const t = this.#tables.get(tableId);
    if (!t || t.node !== fence.node || t.epoch !== fence.epoch || !this.#live(fence.node)) {
      throw new FencedError(`table ${tableId} is not owned by ${fence.node} epoch ${fence.epoch}`);
    }
    return t;
  }

  create(meta: TableMeta, fence: Fence): void {
    const t = this.#owned(meta.tableId, fence);
    t.meta = meta;
  }

  append(tableId: string, entry: LogEntry, fence: Fence): void {
    const t = this.#owned(tableId, fence);
    if (entry.n <= t.last) {
      const had = t.entries.find((e) => e.n === entry.n);
      if (had && sameEntry(had, entry)) return;
      throw new LogConflictError(`table ${tableId}: entry ${entry.n} differs from the one written`);
    }
    if (entry.n !== t.last + 1) throw new LogConflictError(`table ${tableId}: entry ${entry.n} after ${t.last}`);
    t.entries.push(entry);
    t.last = entry.n;
  }

  restart(tableId: string, entry: DealEntry, fence: Fence, meta?: TableMeta): void {
    const t = this.#owned(tableId, fence);
    if (entry.n <= t.last) {
      if (t.entries[0] && sameEntry(t.entries[0], entry)) return;
      throw new LogConflictError(`table ${tableId}: deal entry ${entry.n} after ${t.last}`);
    }
    if (entry.n !== t.last + 1) throw new LogConflictError(`table ${tableId}: deal entry ${entry.n} after ${t.last}`);
    if (meta) t.meta = meta;
    t.entries = [entry];
    t.last = entry.n;
  }

  async rewrite(meta: TableMeta, entries: readonly LogEntry[], fence: Fence): Promise<void> {
    const t = this.#owned(meta.tableId, fence);
    t.meta = meta;
    t.entries = [...entries];
    t.last = entries.at(-1)?.n ?? 0;
  }

  async read(tableId: string): Promise<{ meta: TableMeta; entries: LogEntry[] } | null> {
    const t = this.#tables.get(tableId);
    if (!t?.meta) return null;
    return structuredClone({ meta: t.meta, entries: t.entries });
  }

  async drop(tableId: string, fence: Fence): Promise<void> {
    const t = this.#tables.get(tableId);
    if (!t || t.node !== fence.node || t.epoch !== fence.epoch) return;
    t.entries = [];
  }

  // ---------------------------------------------------------------- nodes

  #live(nodeId: string): boolean {
    const n = this.#nodes.get(nodeId);
    return n !== undefined && n.until > this.now();
  }

  async join(node: NodeInfo, leaseMs: number): Promise<void> {
    this.#nodes.set(node.id, { info: node, until: this.now() + leaseMs });
  }

  async renew(nodeId: string, leaseMs: number): Promise<boolean> {
    const n = this.#nodes.get(nodeId);
    if (!n || n.until <= this.now()) return false;
    n.until = this.now() + leaseMs;
    return true;
  }

  async leave(nodeId: string): Promise<void> {
    this.#nodes.delete(nodeId);
  }

  async liveNodes(): Promise<NodeInfo[]> {
    return [...this.#nodes.values()].filter((n) => n.until > this.now()).map((n) => n.info);
  }

  // ---------------------------------------------------------------- tables

  async claim(tableId: string, code: string | null, nodeId: string): Promise<Fence> {
    if (this.#tables.has(tableId)) throw new Error(`table ${tableId} exists`);
    if (code !== null && this.#codes.has(code)) throw new Error(`code ${code} is taken`);
    this.#tables.set(tableId, { node: nodeId, epoch: 1, code, meta: null, entries: [], last: 0 });
    if (code !== null) this.#codes.set(code, tableId);
    return { node: nodeId, epoch: 1 };
  }

  async adopt(tableId: string, nodeId: string): Promise<Fence | null> {
    let t = this.#tables.get(tableId);
    if (!t) this.#tables.set(tableId, (t = { node: nodeId, epoch: 0, code: null, meta: null, entries: [], last: 0 }));
    else if (t.node !== nodeId && this.#live(t.node)) return null;
    t.node = nodeId;
    t.epoch++;
    return { node: nodeId, epoch: t.epoch };
  }

  async owner(tableId: string): Promise<Owner | null> {
    const t = this.#tables.get(tableId);
    if (!t) return null;
    return { node: t.node, epoch: t.epoch, url: this.#live(t.node) ? (this.#nodes.get(t.node)?.info.url ?? null) : null };
  }

  async orphans(limit: number): Promise<string[]> {
    const out: string[] = [];
    for (const [id, t] of this.#tables) {
      if (out.length >= limit) break;
      if (!this.#live(t.node)) out.push(id);
    }
    return out;
  }

  async tablesOf(nodeId: string): Promise<string[]> {
    return [...this.#tables].filter(([, t]) => t.node === nodeId).map(([id]) => id);
  }

  async tableOfCode(code: string): Promise<string | null> {
    return this.#codes.get(code) ?? null;
  }

  async remove(tableId: string, fence: Fence): Promise<void> {
    const t = this.#tables.get(tableId);
    if (!t || t.node !== fence.node || t.epoch !== fence.epoch) return;
    this.#tables.delete(tableId);
    if (t.code !== null && this.#codes.get(t.code) === tableId) this.#codes.delete(t.code);
  }

  // ---------------------------------------------------------------- players and listing

  async setPlayer(playerId: string, tableId: string | null): Promise<void> {
    if (tableId === null) this.#players.delete(playerId);
    else this.#players.set(playerId, tableId);
  }

  async playerTable(playerId: string): Promise<string | null> {
    return this.#players.get(playerId) ?? null;
  }

  async publish(change: ListingChange): Promise<void> {
    if ("table" in change) this.#listing.set(change.table.tableId, change.table);
    else this.#listing.delete(change.remove);
    for (const l of this.#listeners) l(change);
  }

  async listing(): Promise<TableSummary[]> {
    return [...this.#listing.values()];
  }

  async onListing(listener: (change: ListingChange) => void): Promise<() => Promise<void>> {
    this.#listeners.add(listener);
    return async () => {
      this.#listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }
}
