// The database's tables as Kysely sees them (kept by hand beside migrations.ts).

import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface PlayersTable {
  player_id: string;
  name: string;
  guest: Generated<boolean>;
  mu: number;
  sigma: number;
  matches: Generated<number>;
  ranked: Generated<number>;
  wins: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AccountsTable {
  player_id: string;
  name: string;
  password_hash: string | null;
  created_at: Generated<Date>;
}

export interface PasskeysTable {
  credential_id: string;
  player_id: string;
  public_key: Uint8Array;
  counter: ColumnType<number, number, number>;
  transports: Json<string[]>;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  token_hash: string;
  player_id: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface ChallengesTable {
  challenge_id: string;
  challenge: string;
  kind: "register" | "login";
  player_id: string | null;
  name: string | null;
  expires_at: Timestamp;
}

export interface MatchesTable {
  match_id: string;
  table_id: string;
  ended_at: Generated<Date>;
  ranked: boolean;
  settings: Json<unknown>;
  seats: Json<unknown>;
  totals: Json<number[]>;
  winners: Json<number[]>;
  deals: number;
}

export interface MatchPlayersTable {
  match_id: string;
  player_id: string;
  seat: number | null;
  name: string;
  human: boolean;
  bot_level: string | null;
  total: number;
  place: number;
  won: boolean;
  rating_before: number | null;
  rating_after: number | null;
  ended_at: Timestamp;
}

export interface DealsTable {
  match_id: string;
  deal_no: number;
  table_id: string;
  seed: string;
  leader: number | null;
  actions: Json<unknown>;
  result: Json<unknown>;
  seats: Json<unknown>;
  ended_at: Generated<Date>;
}

export interface Schema {
  players: PlayersTable;
  accounts: AccountsTable;
  passkeys: PasskeysTable;
  sessions: SessionsTable;
  challenges: ChallengesTable;
  matches: MatchesTable;
  match_players: MatchPlayersTable;
  deals: DealsTable;
}
