// The databases the storage tests run against: PGlite (in memory) and a PostgreSQL server
// (TEST_DATABASE_URL, default the local one CI starts), each test in a database of its own,
// created for it and dropped after.

import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate, openDatabase, type Database } from "./db.ts";

export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  database: Database;
  /** For PostgreSQL: the URL of this test's own database. */
  url: string | null;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Whether the PostgreSQL server answers (CI must have one; a developer's machine may not). */
export async function postgresReachable(): Promise<boolean> {
  try {
    await admin((c) => c.query("select 1"));
    return true;
  } catch {
    return false;
  }
}

/** A fresh, empty PostgreSQL database (not migrated). */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = "bigtwo_test_" + randomBytes(6).toString("hex");
  await admin((c) => c.query(`create database ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = "/" + name;
  return { url: url.toString(), drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}) };
}

export async function openTestDatabase(kind: "pglite" | "postgres", migrated = true): Promise<TestDatabase> {
  if (kind === "pglite") {
    const database = await openDatabase({ databaseUrl: null, dataDir: null });
    if (migrated) await migrate(database.db);
    return { database, url: null, drop: () => database.close() };
  }
  const created = await createPostgresDatabase();
  const database = await openDatabase({ databaseUrl: created.url, dataDir: null });
  if (migrated) await migrate(database.db);
  return {
    database,
    url: created.url,
    drop: async () => {
      await database.close();
      await created.drop();
    },
  };
}

/** Skip the PostgreSQL half on a machine without a server, never in CI (CI starts one). */
export async function postgresOrSkip(t: { skip(message: string): void }): Promise<boolean> {
  if (await postgresReachable()) return true;
  if (process.env.CI) throw new Error(`CI needs PostgreSQL at ${PG_ADMIN_URL} (.ci/run starts it)`);
  t.skip(`no PostgreSQL at ${PG_ADMIN_URL}`);
  return false;
}
