// Schema migrations, run by Kysely's Migrator (records/db.ts) on both PGlite and PostgreSQL.
// Append new migrations; never edit one that has shipped. Names sort in the order they run.

import { sql, type Kysely, type Migration } from "kysely";

export const migrations: Record<string, Migration> = {
  "0001-records": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("players")
        .addColumn("player_id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("guest", "boolean", (c) => c.notNull().defaultTo(true))
        .addColumn("mu", "double precision", (c) => c.notNull())
        .addColumn("sigma", "double precision", (c) => c.notNull())
        .addColumn("matches", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("ranked", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("wins", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`create index players_board on players (ranked, mu, sigma)`.execute(db);

      await db.schema
        .createTable("matches")
        .addColumn("match_id", "text", (c) => c.primaryKey())
        .addColumn("table_id", "text", (c) => c.notNull())
        .addColumn("ended_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("ranked", "boolean", (c) => c.notNull())
        .addColumn("settings", "jsonb", (c) => c.notNull())
        .addColumn("seats", "jsonb", (c) => c.notNull())
        .addColumn("totals", "jsonb", (c) => c.notNull())
        .addColumn("winners", "jsonb", (c) => c.notNull())
        .addColumn("deals", "integer", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("match_players")
        .addColumn("match_id", "text", (c) => c.notNull().references("matches.match_id").onDelete("cascade"))
        .addColumn("player_id", "text", (c) => c.notNull())
        .addColumn("seat", "integer")
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("human", "boolean", (c) => c.notNull())
        .addColumn("bot_level", "text")
        .addColumn("total", "integer", (c) => c.notNull())
        .addColumn("place", "integer", (c) => c.notNull())
        .addColumn("won", "boolean", (c) => c.notNull())
        .addColumn("rating_before", "integer")
        .addColumn("rating_after", "integer")
        .addColumn("ended_at", "timestamptz", (c) => c.notNull())
        .addPrimaryKeyConstraint("match_players_pk", ["match_id", "player_id"])
        .execute();
      await sql`create index match_players_recent on match_players (player_id, ended_at desc)`.execute(db);

      // A deal is written when it ends, before its match has: no foreign key to matches.
      await db.schema
        .createTable("deals")
        .addColumn("match_id", "text", (c) => c.notNull())
        .addColumn("deal_no", "integer", (c) => c.notNull())
        .addColumn("table_id", "text", (c) => c.notNull())
        .addColumn("seed", "text", (c) => c.notNull())
        .addColumn("leader", "integer")
        .addColumn("actions", "jsonb", (c) => c.notNull())
        .addColumn("result", "jsonb", (c) => c.notNull())
        .addColumn("seats", "jsonb", (c) => c.notNull())
        .addColumn("ended_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint("deals_pk", ["match_id", "deal_no"])
        .execute();

      await db.schema
        .createTable("accounts")
        .addColumn("player_id", "text", (c) => c.primaryKey().references("players.player_id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("password_hash", "text")
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // Names are unique whatever their case: "Ada" and "ada" are one account.
      await sql`create unique index accounts_name on accounts (lower(name))`.execute(db);

      await db.schema
        .createTable("passkeys")
        .addColumn("credential_id", "text", (c) => c.primaryKey())
        .addColumn("player_id", "text", (c) => c.notNull().references("accounts.player_id").onDelete("cascade"))
        .addColumn("public_key", "bytea", (c) => c.notNull())
        .addColumn("counter", "double precision", (c) => c.notNull())
        .addColumn("transports", "jsonb", (c) => c.notNull())
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex("passkeys_player").on("passkeys").column("player_id").execute();

      await db.schema
        .createTable("sessions")
        .addColumn("token_hash", "text", (c) => c.primaryKey())
        .addColumn("player_id", "text", (c) => c.notNull().references("accounts.player_id").onDelete("cascade"))
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("expires_at", "timestamptz", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sessions_player").on("sessions").column("player_id").execute();

      await db.schema
        .createTable("challenges")
        .addColumn("challenge_id", "text", (c) => c.primaryKey())
        .addColumn("challenge", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("player_id", "text")
        .addColumn("name", "text")
        .addColumn("expires_at", "timestamptz", (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ["challenges", "sessions", "passkeys", "accounts", "deals", "match_players", "matches", "players"]) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  },
};
