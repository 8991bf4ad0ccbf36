// What a table hands the records when a deal or a match ends (TableHost.dealEnded / matchEnded).
// Plain data, built by the table in its own turn; the records copy nothing and change nothing.

import type { Action, DealResult } from "../../rules/types.ts";
import type { TableSettings } from "../../protocol/index.ts";

export interface SeatRecord {
  playerId: string;
  name: string;
  /** A person holds the seat (even while a bot stands in for them). */
  human: boolean;
  /** For a bot seat: its level. */
  botLevel?: string;
}

export interface DealRecord {
  tableId: string;
  matchId: string;
  dealNo: number;
  seed: string;
  leader: number | null;
  /** The deal's actions in the order the table logged them. */
  actions: readonly Action[];
  result: DealResult;
  seats: readonly SeatRecord[];
  settings: TableSettings;
}

export interface MatchRecord {
  tableId: string;
  matchId: string;
  settings: TableSettings;
  seats: readonly SeatRecord[];
  totals: readonly number[];
  winners: readonly number[];
}
