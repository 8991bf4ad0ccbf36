// The directory port: which node owns each table, which table an invite code or a player is at,
// the live nodes and the cluster's public listing. Memory by default (one node); Redis for
// several nodes. Ownership changes only through `claim` and `adopt`, both atomic in the store.

import type { TableSummary } from "../../protocol/index.ts";
import type { Fence } from "./table-log.ts";

export interface NodeInfo {
  id: string;
  /** Where clients reach this node (PUBLIC_URL), e.g. https://n1.example.com. */
  url: string;
}

export interface Owner extends Fence {
  url: string | null;
}

/** A change of the cluster's public listing (a table's summary, or its removal). */
export type ListingChange = { table: TableSummary } | { remove: string };

export interface Directory {
  /** Join the cluster with a lease of `leaseMs`. Renew it more often than that. */
  join(node: NodeInfo, leaseMs: number): Promise<void>;
  /** Extend this node's lease; false when the lease was lost (expired, or the store forgot it): rejoin and re-claim. */
  renew(nodeId: string, leaseMs: number): Promise<boolean>;
  /** Leave at once: the node's tables become adoptable without waiting for its lease to run out. */
  leave(nodeId: string): Promise<void>;
  liveNodes(): Promise<NodeInfo[]>;

  /** A new table owned by `nodeId` (epoch 1), with its invite code. */
  claim(tableId: string, code: string | null, nodeId: string): Promise<Fence>;
  /**
   * Take a table over. It succeeds when the owner's lease is gone (a dead or departed node), when
   * the table has no owner record (the store lost it), or when the owner is `nodeId` itself (a
   * node re-claiming after it lost its lease); the epoch grows. Null when a live node owns it.
   */
  adopt(tableId: string, nodeId: string): Promise<Fence | null>;
  owner(tableId: string): Promise<Owner | null>;
  /** Tables owned by nodes whose lease is gone. */
  orphans(limit: number): Promise<string[]>;
  /** Tables `nodeId` owns, as the directory has them. */
  tablesOf(nodeId: string): Promise<string[]>;
  tableOfCode(code: string): Promise<string | null>;
  /** Forget a table (it closed), if `fence` still owns it. */
  remove(tableId: string, fence: Fence): Promise<void>;

  /** Where a player is (sits or watches), for a reconnect through another node; null: nowhere. */
  setPlayer(playerId: string, tableId: string | null): Promise<void>;
  playerTable(playerId: string): Promise<string | null>;

  /** The public listing of the whole cluster. */
  publish(change: ListingChange): Promise<void>;
  listing(): Promise<TableSummary[]>;
  /** Changes published by any node; returns a function that stops them. */
  onListing(listener: (change: ListingChange) => void): Promise<() => Promise<void>>;

  close(): Promise<void>;
}
