// Opening the records' database for a server: PostgreSQL (DATABASE_URL) or PGlite in DATA_DIR,
// migrated to the latest schema before the server takes players.

import type { Logger } from "pino";
import { migrate, openDatabase, type Database } from "./db.ts";

export async function openRecordsDatabase(config: { databaseUrl: string | null; dataDir: string | null }, log: Logger): Promise<Database> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? null : config.dataDir });
  try {
    const result = await migrate(database.db);
    const ran = result.results?.filter((r) => r.status === "Success").map((r) => r.migrationName) ?? [];
    log.info({ kind: database.kind, where: database.where, migrations: ran }, "records database ready");
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}
