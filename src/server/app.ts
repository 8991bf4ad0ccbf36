import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import pino, { type Logger } from "pino";
import sirv from "sirv";
import { CloseCode, ErrorCode } from "../protocol/index.ts";
import { strategyFor } from "../bots/strategies/index.ts";
import { BotSeat } from "./bot-seat.ts";
import { systemClock, type Clock } from "./clock.ts";
import { DEFAULT_CONFIG, type Config } from "./config.ts";
import { frame } from "./frame.ts";
import { guarded, startMetricsServer } from "./http.ts";
import { Hub } from "./hub.ts";
import { connectionCap, openFilesLimit, reservedFiles } from "./limits.ts";
import { Lobby } from "./lobby.ts";
import { Membership } from "./membership.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import type { Directory } from "./ports/directory.ts";
import { MemoryStore } from "./ports/memory.ts";
import type { TableLog } from "./ports/table-log.ts";
import type { BotFactory } from "./table.ts";
import { createApi, isPageRoute } from "./records/api.ts";
import type { Database } from "./records/db.ts";
import { Recorder } from "./records/recorder.ts";
import { writeBatch } from "./records/repo.ts";
import { Tokens } from "./tokens.ts";
import { SearchBudget, budgeted, pooled } from "./search-budget.ts";
import { SearchPool } from "./search-pool.ts";
import { Transport } from "./transport.ts";

/** Where tables keep their logs and the cluster its directory. */
export interface Stores {
  tableLog: TableLog;
  directory: Directory;
  /** Several nodes share these stores: the node hands its tables over when it stops, instead of closing them. */
  shared?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Where /metrics is served (its own port), or null when that port could not be had. */
  metricsUrl: string | null;
  /** The socket cap in force (MAX_CONNECTIONS, or derived from the open-files limit). */
  maxConnections: number;
  config: Config;
  metrics: Metrics;
  log: Logger;
  /** The open tables (for tests and operators' tooling; send them messages, never touch their state). */
  tables(): import("./table.ts").Table[];
  /** This node's id in the cluster. */
  nodeId: string;
  /** Stop at once without handing anything over (tests: a node that dies). */
  kill(): Promise<void>;
  /** The records' write queue (null: records off). */
  recorder: Recorder | null;
  /** Stop taking work, tell clients, finish in-flight table work, close. Resolves within the shutdown bound. */
  close(): Promise<void>;
}

const PLACEHOLDER = `<!doctype html><meta charset="utf-8"><title>Big Two Online</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto">
<h1>Big Two Online</h1><p>The game server is running. The web client has not been built yet:
run <code>npm run build:client</code> (or <code>npm start</code>, which builds it) and reload.</p>
<p>Bots and other clients connect to <code>/ws</code>; see docs/protocol.md.</p></body>`;

/**
 * The composition root: it picks the stores (memory, or Redis with REDIS_URL), the clock and the
 * bots, and wires the actors together. Only here does the server meet a storage client or the
 * bot strategies. `stores` and `clock` are for tests (several in-process nodes sharing one store).
 */
export async function startServer(
  overrides: Partial<Config> = {},
  stores?: Stores,
  clock: Clock = systemClock,
  /** The records' database (records/index.ts opens it), closed by close(); null: no records, /api/ answers 503. */
  database: Database | null = null,
): Promise<RunningServer> {
  const config: Config = { ...DEFAULT_CONFIG, ...overrides };
  const log = pino({ level: config.logLevel, base: { svc: "bigtwo" } });
  const metrics = createMetrics();
  if (!config.sessionSecret) log.info("SESSION_SECRET unset: tokens are signed with a secret made at start (single node only)");
  const tokens = new Tokens(config.sessionSecret);
  const recorder = database ? new Recorder({ write: (jobs) => writeBatch(database.db, jobs), log, registry: metrics.registry }) : null;
  const clustered = config.redisUrl !== null || stores?.shared === true;
  let closeStores = async () => {};
  if (!stores && config.redisUrl) {
    const { RedisStore } = await import("./adapters/redis-store.ts");
    const redis = await RedisStore.connect(config.redisUrl, { prefix: config.redisPrefix });
    stores = { tableLog: redis, directory: redis };
    closeStores = () => redis.close();
  }
  if (!stores) {
    const memory = new MemoryStore(() => clock.now());
    stores = { tableLog: memory, directory: memory };
  }
  const { tableLog, directory } = stores;
  // Hard bots search on worker threads (or, with BOT_SEARCH_WORKERS=0, on this event loop): all
  // of them together get BOT_SEARCH_MS_PER_SECOND.
  const searchBudget = new SearchBudget(config.botSearchMsPerSecond);
  const searchPool = config.botSearchWorkers > 0 ? new SearchPool({ workers: config.botSearchWorkers, maxQueued: 4 * config.botSearchWorkers, log }) : null;
  const observeSearch = (by: "search" | "fallback", ms: number) => {
    metrics.hardBotMoves[by].inc();
    metrics.botSearchSeconds.inc(ms / 1000);
  };
  const bots: BotFactory = (level, deliver) => {
    const think = config.botThinkMs === 0 ? () => 0 : () => config.botThinkMs * (0.6 + Math.random() * 0.8);
    const strategy =
      level !== "hard"
        ? strategyFor(level)
        : searchPool
          ? pooled(searchPool, strategyFor("normal"), searchBudget, config.botSearchBudgetMs, observeSearch)
          : budgeted(strategyFor("hard", { budgetMs: config.botSearchBudgetMs }), strategyFor("normal"), searchBudget, config.botSearchBudgetMs, observeSearch);
    return new BotSeat(strategy, think, deliver);
  };
  // The node's name and address are known once it listens (PORT=0 picks a port).
  const node = { id: "", url: "" };

  // The hub and the lobby know each other only through these callbacks.
  let hub: Hub | null = null;
  const lobby = new Lobby({
    config,
    log,
    metrics,
    clock,
    tableLog,
    directory,
    bots,
    node,
    claim: (playerId, tableId, conn) => hub?.claim(playerId, tableId, conn) ?? "gone",
    released: (playerId, tableId, moved) => hub?.released(playerId, tableId, moved),
    dealEnded: (record) => recorder?.dealEnded(record),
    matchEnded: (record) => recorder?.matchEnded(record),
    tableOpened: () => metrics.tablesActive.inc(),
    tableClosed: () => metrics.tablesActive.dec(),
    matchmaker: clustered ? () => membership?.matchmaker() ?? node : undefined,
  });
  let membership: Membership | null = null;
  hub = new Hub(tokens, lobby, log, config.botServiceSecret, directory, () => (clustered ? membership?.urls() : undefined));
  const files = openFilesLimit();
  const { cap: maxConnections, lowered } = connectionCap(config.maxConnections, files);
  if (lowered) log.warn({ configured: config.maxConnections, openFiles: files, cap: maxConnections }, "MAX_CONNECTIONS is above the open-files limit less a margin; lowered so the 503 comes first");
  // Accepting stops a little short of the limit, so /healthz and the server's own files keep room.
  const maxSockets = files === null || !Number.isFinite(files) ? Number.POSITIVE_INFINITY : files - Math.ceil(reservedFiles(files) / 2);
  const transport = new Transport(config, hub, metrics, log, maxConnections, maxSockets);
  // A page served by one node may open sockets to any node seen in the cluster (one that died
  // since included: its pages fail over to the others).
  const clusterUrls = () => (clustered ? (membership?.knownUrls() ?? []) : []);
  transport.clusterOrigins = clusterUrls;

  let draining = false;
  const clientDir = resolve(config.clientDir);
  // The page, the service worker and the manifest are asked again each time (no-cache: a
  // revalidation, 304 when unchanged): a page kept by the browser's heuristic cache would run an
  // old build, and carry an old Content-Security-Policy whose connect-src lacks the nodes that
  // joined since (the cluster e2e found a page that could never fail over to node B). The build's
  // files under assets/ are named by their content: cached for a year.
  const statics = existsSync(resolve(clientDir, "index.html"))
    ? sirv(clientDir, {
        etag: true,
        gzip: false,
        setHeaders: (res, pathname) => {
          res.setHeader("cache-control", pathname.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
        },
      })
    : null;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };
  let port = 0;
  const api = createApi({
    db: database?.db ?? null,
    tokens,
    log,
    leaderboardMinMatches: config.leaderboardMinMatches,
    publicUrl: config.publicUrl,
    port: () => port,
  });
  const http = createServer({ connectionsCheckingInterval: Math.min(1000, config.handshakeTimeoutMs) }, guarded(config, (req: IncomingMessage, res: ServerResponse) => {
    let path = (req.url ?? "/").split("?")[0];
    if (api(req, res)) return;
    // The client's own pages (replay, profile, leaderboard) are its index.html.
    if (isPageRoute(path)) req.url = path = "/";
    if (path === "/healthz") return json(res, 200, { status: "ok", uptimeSeconds: Math.round(process.uptime()) });
    if (path === "/readyz") {
      return draining ? json(res, 503, { ready: false, reason: "draining" }) : json(res, 200, { ready: true });
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
  }, clusterUrls));
  transport.attach(http);
  http.on("clientError", (_err, socket) => socket.destroy());

  await new Promise<void>((ok, fail) => {
    http.once("error", fail);
    // A reconnect storm opens thousands of sockets at once; Node's default backlog (511) drops
    // part of them for a second or more (measured in the capacity benchmark).
    http.listen({ port: config.port, host: config.host, backlog: 4096 }, () => ok());
  });
  port = (http.address() as AddressInfo).port;
  const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  node.url = config.publicUrl ?? `http://${host}:${port}`;
  node.id = config.nodeId ?? (clustered ? `${hostname()}:${port}` : "local");
  // A single node's lease never runs out (nothing would adopt its tables anyway).
  membership = new Membership(directory, node, clustered ? config.leaseMs : 2 ** 31 - 1, lobby, log.child({ node: node.id }));
  const stopListing = await lobby.start();
  await membership.start();
  log.info({ port, node: node.id, url: node.url, durable: clustered, maxConnections }, "listening");
  const metricsServer = await startMetricsServer(config, metrics, log);
  const metricsAddress = metricsServer?.address() as AddressInfo | undefined;
  const metricsUrl = metricsAddress ? `http://${metricsAddress.family === "IPv6" ? `[${metricsAddress.address}]` : metricsAddress.address}:${metricsAddress.port}` : null;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      draining = true;
      transport.accepting = false;
      lobby.control({ type: "drain" });
      log.info("draining");
      const work = (async () => {
        transport.broadcast(frame({ type: "shutdown", message: "The server is restarting. You will be reconnected.", reconnectInMs: clustered ? 500 : 2000 }));
        // Finish what the tables are doing: every queued message is handled before we go on.
        await Promise.all(lobby.tables().map((t) => t.mailbox.idle()));
        const tables = lobby.tables();
        if (clustered) {
          // Hand every table over: its log stays, this node leaves the cluster at once, and the
          // players' clients reconnect to another node, which adopts the table on the spot.
          for (const table of tables) table.control({ type: "handOver" });
          await Promise.all(tables.map((t) => t.mailbox.idle()));
          await membership!.leave().catch((err: unknown) => log.warn({ err }, "could not leave the cluster; the lease will run out"));
          await transport.closeAll(CloseCode.GoingAway, "server shutting down");
        } else {
          await transport.closeAll(CloseCode.GoingAway, "server shutting down");
          for (const table of tables) table.control({ type: "close", code: ErrorCode.ServerShutdown, message: "The server shut down." });
          await Promise.all(tables.map((t) => t.mailbox.idle()));
        }
        await stopListing();
        await closeStores();
        if (recorder) await recorder.close(Math.max(0, config.shutdownTimeoutMs - 1000));
        await database?.close();
        await searchPool?.close();
      })();
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([work, new Promise<void>((r) => (bound = setTimeout(r, config.shutdownTimeoutMs)))]);
      clearTimeout(bound);
      membership!.stop();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
      if (metricsServer) {
        metricsServer.closeAllConnections();
        await new Promise<void>((r) => metricsServer.close(() => r()));
      }
      log.info("closed");
    })());

  /** Die without a word: no hand-over, no lease released (tests of failover inside one process). */
  const kill = async () => {
    membership!.stop();
    draining = true;
    transport.accepting = false;
    for (const table of lobby.tables()) table.control({ type: "handOver" });
    await transport.closeAll(CloseCode.GoingAway, "killed");
    await stopListing();
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
    metricsServer?.closeAllConnections();
    metricsServer?.close();
    await searchPool?.close();
  };

  return { url: `http://${host}:${port}`, port, metricsUrl, maxConnections, config, metrics, log, tables: () => lobby.tables(), nodeId: node.id, recorder, close, kill };
}
