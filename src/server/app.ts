import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import pino, { type Logger } from "pino";
import sirv from "sirv";
import { CloseCode } from "../protocol/index.ts";
import { DEFAULT_CONFIG, type Config } from "./config.ts";
import { frame } from "./frame.ts";
import { Hub } from "./hub.ts";
import { Lobby } from "./lobby.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { MemoryStore, type Store } from "./store.ts";
import { Tokens } from "./tokens.ts";
import { Transport } from "./transport.ts";

export interface RunningServer {
  url: string;
  port: number;
  config: Config;
  metrics: Metrics;
  log: Logger;
  /** The open tables (for tests and operators' tooling; send them messages, never touch their state). */
  tables(): import("./table.ts").Table[];
  /** Stop taking work, tell clients, finish in-flight table work, close. Resolves within the shutdown bound. */
  close(): Promise<void>;
}

const PLACEHOLDER = `<!doctype html><meta charset="utf-8"><title>Big Two Online</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto">
<h1>Big Two Online</h1><p>The game server is running. The web client has not been built yet:
run <code>npm run build:client</code> (or <code>npm start</code>, which builds it) and reload.</p>
<p>Bots and other clients connect to <code>/ws</code>; see docs/protocol.md.</p></body>`;

export async function startServer(overrides: Partial<Config> = {}, store: Store = new MemoryStore()): Promise<RunningServer> {
  const config: Config = { ...DEFAULT_CONFIG, ...overrides };
  const log = pino({ level: config.logLevel, base: { svc: "bigtwo" } });
  const metrics = createMetrics();
  if (!config.sessionSecret) log.info("SESSION_SECRET unset: tokens are signed with a secret made at start (single node only)");
  const tokens = new Tokens(config.sessionSecret);

  // The hub and the lobby know each other only through these callbacks.
  let hub: Hub | null = null;
  const lobby = new Lobby({
    config,
    log,
    metrics,
    store,
    claim: (playerId, table, conn) => hub?.claim(playerId, table, conn) ?? "gone",
    released: (playerId, table) => hub?.released(playerId, table),
    tableOpened: () => metrics.tablesActive.inc(),
    tableClosed: () => metrics.tablesActive.dec(),
  });
  hub = new Hub(tokens, lobby, log, config.botServiceSecret);
  const transport = new Transport(config, hub, metrics, log);

  let draining = false;
  const clientDir = resolve(config.clientDir);
  const statics = existsSync(resolve(clientDir, "index.html")) ? sirv(clientDir, { etag: true, gzip: false }) : null;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") return json(res, 200, { status: "ok", uptimeSeconds: Math.round(process.uptime()) });
    if (path === "/readyz") {
      return draining ? json(res, 503, { ready: false, reason: "draining" }) : json(res, 200, { ready: true });
    }
    if (path === "/metrics") {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": metrics.registry.contentType });
          res.end(text);
        },
        (err) => {
          log.error({ err }, "metrics failed");
          res.writeHead(500).end();
        },
      );
      return;
    }
    if (statics) {
      return statics(req, res, () => {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("Not found");
      });
    }
    if (path === "/" || path === "/index.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(PLACEHOLDER);
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
  });
  http.on("upgrade", (req, socket, head) => transport.upgrade(req, socket, head));
  http.on("clientError", (_err, socket) => socket.destroy());

  await new Promise<void>((ok, fail) => {
    http.once("error", fail);
    // A reconnect storm opens thousands of sockets at once; Node's default backlog (511) drops
    // part of them for a second or more (measured in the capacity benchmark).
    http.listen({ port: config.port, host: config.host, backlog: 4096 }, () => ok());
  });
  const port = (http.address() as AddressInfo).port;
  const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  log.info({ port }, "listening");

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      draining = true;
      transport.accepting = false;
      lobby.post({ type: "drain" });
      log.info("draining");
      const work = (async () => {
        transport.broadcast(frame({ type: "shutdown", message: "The server is restarting. You will be reconnected.", reconnectInMs: 2000 }));
        // Finish what the tables are doing: every queued message is handled before we close.
        await Promise.all(lobby.tables().map((t) => t.mailbox.idle()));
        await transport.closeAll(CloseCode.GoingAway, "server shutting down");
        const tables = lobby.tables();
        for (const table of tables) table.post({ type: "close", code: "server/shutdown", message: "The server shut down." });
        await Promise.all(tables.map((t) => t.mailbox.idle()));
        await store.close();
      })();
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([work, new Promise<void>((r) => (bound = setTimeout(r, config.shutdownTimeoutMs)))]);
      clearTimeout(bound);
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
      log.info("closed");
    })());

  return { url: `http://${host}:${port}`, port, config, metrics, log, tables: () => lobby.tables(), close };
}
