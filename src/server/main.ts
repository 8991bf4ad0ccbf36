import { ConfigError, loadConfig } from "./config.ts";
import { startServer } from "./app.ts";
import pino from "pino";
import { openRecordsDatabase } from "./records/index.ts";

let config;
try {
  config = loadConfig(process.env, process.argv.slice(2));
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`bigtwo: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}

let database = null;
if (config.records === "on") {
  try {
    database = await openRecordsDatabase(config, pino({ level: config.logLevel, base: { svc: "bigtwo" } }));
  } catch (err) {
    process.stderr.write(`bigtwo: the records database (${config.databaseUrl ? "DATABASE_URL" : `DATA_DIR ${config.dataDir}`}) did not open: ${String(err)}\n`);
    process.exit(2);
  }
}
const server = await startServer(config, undefined, undefined, database);
process.stdout.write(`Big Two Online on ${server.url} (WebSocket ${server.url.replace("http", "ws")}/ws)\n`);
if (server.metricsUrl) process.stdout.write(`metrics on ${server.metricsUrl}/metrics\n`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  server.log.info({ signal }, "shutting down");
  server.close().then(
    () => process.exit(0),
    (err) => {
      server.log.error({ err }, "shutdown failed");
      process.exit(1);
    },
  );
};
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
