// The database: PostgreSQL through node-postgres when DATABASE_URL is set, otherwise PGlite
// (PostgreSQL compiled to WASM) in DATA_DIR. Both sit behind one Kysely instance, so every query
// and every migration is the same SQL on both; Kysely's Migrator runs the migrations (it takes a
// lock on PostgreSQL, so several nodes starting at once migrate once).

import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, Migrator, PostgresDialect, type MigrationResultSet } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { migrations } from "./migrations.ts";
import type { Schema } from "./schema.ts";

export type Db = Kysely<Schema>;

export interface Database {
  db: Db;
  /** "postgres" (DATABASE_URL) or "pglite" (embedded, one process only). */
  kind: "postgres" | "pglite";
  /** Where it lives, for logs: the URL without its password, or the data folder. */
  where: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | null;
  /** PGlite's folder; null: in memory (tests). */
  dataDir: string | null;
  /** Connections to PostgreSQL (node-postgres pool size). */
  poolSize?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 4, connectionTimeoutMillis: 5000 });
    // An idle client that loses its server emits 'error' on the pool; without a listener that
    // would crash the process. The next query reports the outage instead.
    pool.on("error", () => {});
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    const url = new URL(opts.databaseUrl);
    url.password = url.password ? "***" : "";
    return { db, kind: "postgres", where: url.toString(), close: () => db.destroy() };
  }
  let dir: string | undefined;
  if (opts.dataDir) {
    dir = resolve(opts.dataDir, "pg");
    mkdirSync(dir, { recursive: true });
  }
  const lite = new PGlite(dir);
  await lite.waitReady;
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(lite) });
  return {
    db,
    kind: "pglite",
    where: dir ?? "memory",
    close: async () => {
      await db.destroy();
      if (!lite.closed) await lite.close();
    },
  };
}

/** Bring the schema up to date. Throws with the failing migration's name and error. */
export async function migrate(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    throw new Error(`database migration ${failed?.migrationName ?? "?"} failed: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}
