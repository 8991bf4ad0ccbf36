// npm run bot-service -- --server ws://127.0.0.1:8080/ws [--secret S] [--budget-ms 100] [--think 900]
// The secret comes from --secret or BOT_SERVICE_SECRET (the same value the server has).
import { parseArgs } from "node:util";
import { BotService } from "./service.ts";
import { DEFAULT_SEARCH } from "./strategies/search.ts";

const USAGE = `Usage: npm run bot-service -- --server ws://HOST:PORT/ws [--secret S] [--budget-ms ${DEFAULT_SEARCH.budgetMs}] [--think 900]
  --server     the game server's WebSocket URL (started with BOTS=external and BOT_SERVICE_SECRET)
  --secret     the server's BOT_SERVICE_SECRET (default: the BOT_SERVICE_SECRET environment variable)
  --budget-ms  search time per decision of hard bots
  --think      think time per action in ms, spread ±40% (0 answers at once)`;

function fail(message: string): never {
  process.stderr.write(`bot-service: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      server: { type: "string" },
      secret: { type: "string" },
      "budget-ms": { type: "string", default: String(DEFAULT_SEARCH.budgetMs) },
      think: { type: "string", default: "900" },
      help: { type: "boolean", default: false },
    },
  }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help) {
  process.stdout.write(USAGE + "\n");
  process.exit(0);
}
const server = values.server ?? fail("Name the game server with --server ws://HOST:PORT/ws.");
if (!/^wss?:\/\//.test(server)) fail(`Expected --server to be a ws:// or wss:// URL, got "${server}".`);
const secret = values.secret ?? process.env.BOT_SERVICE_SECRET ?? fail("Give the server's secret with --secret or BOT_SERVICE_SECRET.");
const int = (name: string, raw: string, min: number, max: number) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) fail(`Expected --${name} to be a whole number from ${min} to ${max}, got "${raw}".`);
  return n;
};
const budgetMs = int("budget-ms", values["budget-ms"], 1, 60000);
const think = int("think", values.think, 0, 60000);

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} bot-service: ${line}\n`);
const service = new BotService({
  url: server,
  secret,
  budgetMs,
  thinkMs: think === 0 ? () => 0 : () => think * (0.6 + Math.random() * 0.8),
  log,
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`${signal}: closing ${service.bots.size} bot(s)`);
    service.close();
    process.exit(0);
  });
}
service.connect().catch((e: unknown) => {
  log(`could not connect: ${(e as Error).message}`);
  process.exit(1);
});
