import { isIP } from "node:net";

// Configuration from the environment (and --flags), checked once at start. A bad value stops the
// server with a message that names the variable, what it expects and what it got.

export interface Config {
  host: string;
  port: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  sessionSecret: string | null;
  reconnectGraceSeconds: number;
  /** Default turn clock of a new table (a table may choose its own). */
  turnSeconds: number;
  /** Pause after a deal result before the next deal, unless every connected player is ready. */
  nextDealDelayMs: number;
  /** Bots' think time range, ms; 0 makes bots answer at once. */
  botThinkMs: number;
  quickMatchWaitSeconds: number;
  /** A table with no connected human and no spectator closes after this long. */
  tableIdleSeconds: number;
  maxPayloadBytes: number;
  maxBufferedBytes: number;
  ratePerSecond: number;
  rateBurst: number;
  heartbeatMs: number;
  shutdownTimeoutMs: number;
  maxTables: number;
  /**
   * Open sockets this node accepts; past it an upgrade gets 503. null: derived at start from the
   * process's open-files limit, less a margin for the server's own files (src/server/limits.ts).
   */
  maxConnections: number | null;
  /** Connections (WebSockets and unfinished handshakes) one client address may hold; 0 = no cap. */
  maxConnectionsPerAddress: number;
  /** A connection must finish its HTTP request (or WebSocket upgrade) within this, or it is dropped. */
  handshakeTimeoutMs: number;
  /**
   * Peers whose `X-Forwarded-For` names the client: IP addresses and CIDR ranges (TRUST_PROXY,
   * comma-separated, e.g. `127.0.0.1,10.0.0.0/8`). Empty: the TCP peer is the client.
   */
  trustProxy: string[];
  /**
   * Origins whose pages may open a WebSocket (ALLOWED_ORIGINS, comma-separated, e.g.
   * `https://bigtwo.example,https://node2.bigtwo.example`): the public URLs of the cluster. Empty:
   * pages from the host each request names (fine on one machine; set it in production). No
   * Origin header (bots, tools): always allowed.
   */
  allowedOrigins: string[];
  /** Where /metrics is served: its own port, loopback by default, never the game port. */
  metricsHost: string;
  metricsPort: number;
  /** A socket that has not said hello by then is closed. */
  helloTimeoutMs: number;
  /** A table at which no person sits (nobody seated, or bots only, and no spectator) closes after this. */
  emptyTableSeconds: number;
  /** Tables one client address / one player may have open at once (created and not closed). */
  tablesPerAddress: number;
  tablesPerPlayer: number;
  /** Tables one client address / one player may create a minute (and as a burst). */
  tableCreatesPerMinute: number;
  /** Unknown invite codes one address (and one player) may try a minute, across all its sockets. */
  codeGuessesPerMinute: number;
  /** The most tables one lobby.list (and one subscriber's live view) holds. */
  lobbyPageSize: number;
  /** Spectators one table takes. */
  maxSpectators: number;
  clientDir: string;
  /** Who plays bot seats: this process ("internal") or a connected bot service ("external"). */
  bots: "internal" | "external";
  /** The credential a bot service presents in service.hello; null: no service may connect. */
  botServiceSecret: string | null;
  /** How long a table waits for the service's bot before seating an in-process one. */
  botServiceWaitMs: number;
  /** Search budget per decision of in-process hard bots (on a worker thread, or this event loop). */
  botSearchBudgetMs: number;
  /** Durable mode and clustering: table logs and the directory in this Redis; null: one node, in memory. */
  redisUrl: string | null;
  /** Every key this node writes starts with this (several clusters, or tests, may share a Redis). */
  redisPrefix: string;
  /** This node's name in the cluster; a node restarted with the same id takes its tables back at once. */
  nodeId: string | null;
  /** Where clients reach this node (behind a proxy: its public https URL); default http://HOST:PORT. */
  publicUrl: string | null;
  /** A node that has not renewed its lease for this long is taken for dead and its tables adopted. */
  leaseMs: number;
  /** Keep match records, accounts and ratings (the database); "off": play only. */
  records: "on" | "off";
  /** The embedded database's folder (PGlite), used when databaseUrl is null. */
  dataDir: string;
  /** A PostgreSQL server for the records (several nodes share one). */
  databaseUrl: string | null;
  /** Ranked matches a player needs to appear on the leaderboard. */
  leaderboardMinMatches: number;
  /**
   * Milliseconds of each second all in-process hard bots of this node may spend searching
   * together; past it they play the normal bot's move (src/server/search-budget.ts).
   */
  botSearchMsPerSecond: number;
  /**
   * Worker threads for in-process hard bots' search (src/server/search-pool.ts); 0: search on the
   * event loop, holding every other table's play behind each search.
   */
  botSearchWorkers: number;
}

export const DEFAULT_CONFIG: Config = {
  host: "0.0.0.0",
  port: 8080,
  logLevel: "info",
  sessionSecret: null,
  reconnectGraceSeconds: 60,
  turnSeconds: 30,
  nextDealDelayMs: 8000,
  botThinkMs: 900,
  quickMatchWaitSeconds: 20,
  tableIdleSeconds: 120,
  maxPayloadBytes: 4096,
  maxBufferedBytes: 1 << 20,
  ratePerSecond: 20,
  rateBurst: 40,
  heartbeatMs: 30000,
  shutdownTimeoutMs: 10000,
  maxTables: 20000,
  maxConnections: null,
  maxConnectionsPerAddress: 50,
  handshakeTimeoutMs: 5000,
  trustProxy: [],
  allowedOrigins: [],
  metricsHost: "127.0.0.1",
  metricsPort: 9464,
  helloTimeoutMs: 10000,
  emptyTableSeconds: 5,
  tablesPerAddress: 20,
  tablesPerPlayer: 3,
  tableCreatesPerMinute: 20,
  codeGuessesPerMinute: 10,
  lobbyPageSize: 100,
  maxSpectators: 50,
  clientDir: "dist/client",
  bots: "internal",
  botServiceSecret: null,
  botServiceWaitMs: 5000,
  botSearchBudgetMs: 20,
  redisUrl: null,
  redisPrefix: "bigtwo:",
  nodeId: null,
  publicUrl: null,
  leaseMs: 3000,
  records: "on",
  dataDir: "./data",
  databaseUrl: null,
  leaderboardMinMatches: 3,
  botSearchMsPerSecond: 200,
  botSearchWorkers: 1,
};

type Key = keyof Config;
interface IntSpec {
  kind: "int";
  min: number;
  max: number;
}
type Spec =
  | IntSpec
  | { kind: "url"; protocols: readonly string[] }
  | { kind: "string" }
  | { kind: "secret" }
  | { kind: "level" }
  | { kind: "choice"; values: readonly string[] }
  | { kind: "list"; item: (raw: string) => string | null; expects: string };

/** An IP address or a CIDR range (`10.0.0.0/8`, `fd00::/8`), as net.BlockList takes them. */
function addressOrRange(raw: string): string | null {
  const [addr, bits, ...rest] = raw.split("/");
  const family = isIP(addr);
  if (!family || rest.length > 0) return null;
  if (bits === undefined) return raw;
  const n = /^\d+$/.test(bits) ? Number(bits) : NaN;
  return n >= 0 && n <= (family === 4 ? 32 : 128) ? raw : null;
}

/** An http(s) origin, written as the browser sends it: scheme, host and port only. */
function origin(raw: string): string | null {
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return url.origin;
  } catch {
    return null;
  }
}

const SPECS: Record<Key, { env: string; spec: Spec }> = {
  host: { env: "HOST", spec: { kind: "string" } },
  port: { env: "PORT", spec: { kind: "int", min: 0, max: 65535 } },
  logLevel: { env: "LOG_LEVEL", spec: { kind: "level" } },
  sessionSecret: { env: "SESSION_SECRET", spec: { kind: "secret" } },
  reconnectGraceSeconds: { env: "RECONNECT_GRACE_SECONDS", spec: { kind: "int", min: 0, max: 86400 } },
  turnSeconds: { env: "TURN_SECONDS", spec: { kind: "int", min: 0, max: 300 } },
  nextDealDelayMs: { env: "NEXT_DEAL_DELAY_MS", spec: { kind: "int", min: 0, max: 600000 } },
  botThinkMs: { env: "BOT_THINK_MS", spec: { kind: "int", min: 0, max: 60000 } },
  quickMatchWaitSeconds: { env: "QUICK_MATCH_WAIT_SECONDS", spec: { kind: "int", min: 0, max: 3600 } },
  tableIdleSeconds: { env: "TABLE_IDLE_SECONDS", spec: { kind: "int", min: 0, max: 86400 } },
  maxPayloadBytes: { env: "MAX_PAYLOAD_BYTES", spec: { kind: "int", min: 256, max: 1 << 20 } },
  maxBufferedBytes: { env: "MAX_BUFFERED_BYTES", spec: { kind: "int", min: 1024, max: 1 << 30 } },
  ratePerSecond: { env: "RATE_PER_SECOND", spec: { kind: "int", min: 1, max: 10000 } },
  rateBurst: { env: "RATE_BURST", spec: { kind: "int", min: 1, max: 100000 } },
  heartbeatMs: { env: "HEARTBEAT_MS", spec: { kind: "int", min: 100, max: 600000 } },
  shutdownTimeoutMs: { env: "SHUTDOWN_TIMEOUT_MS", spec: { kind: "int", min: 0, max: 600000 } },
  maxTables: { env: "MAX_TABLES", spec: { kind: "int", min: 1, max: 1000000 } },
  maxConnections: { env: "MAX_CONNECTIONS", spec: { kind: "int", min: 1, max: 10000000 } },
  maxConnectionsPerAddress: { env: "MAX_CONNECTIONS_PER_ADDRESS", spec: { kind: "int", min: 0, max: 10000000 } },
  handshakeTimeoutMs: { env: "HANDSHAKE_TIMEOUT_MS", spec: { kind: "int", min: 100, max: 600000 } },
  trustProxy: { env: "TRUST_PROXY", spec: { kind: "list", item: addressOrRange, expects: "IP addresses or CIDR ranges" } },
  allowedOrigins: { env: "ALLOWED_ORIGINS", spec: { kind: "list", item: origin, expects: "http(s) origins such as https://bigtwo.example" } },
  metricsHost: { env: "METRICS_HOST", spec: { kind: "string" } },
  metricsPort: { env: "METRICS_PORT", spec: { kind: "int", min: 0, max: 65535 } },
  helloTimeoutMs: { env: "HELLO_TIMEOUT_MS", spec: { kind: "int", min: 100, max: 600000 } },
  emptyTableSeconds: { env: "EMPTY_TABLE_SECONDS", spec: { kind: "int", min: 0, max: 86400 } },
  tablesPerAddress: { env: "TABLES_PER_ADDRESS", spec: { kind: "int", min: 0, max: 1000000 } },
  tablesPerPlayer: { env: "TABLES_PER_PLAYER", spec: { kind: "int", min: 0, max: 1000000 } },
  tableCreatesPerMinute: { env: "TABLE_CREATES_PER_MINUTE", spec: { kind: "int", min: 0, max: 1000000 } },
  codeGuessesPerMinute: { env: "CODE_GUESSES_PER_MINUTE", spec: { kind: "int", min: 1, max: 1000000 } },
  lobbyPageSize: { env: "LOBBY_PAGE_SIZE", spec: { kind: "int", min: 1, max: 2000 } },
  maxSpectators: { env: "MAX_SPECTATORS", spec: { kind: "int", min: 0, max: 100000 } },
  clientDir: { env: "CLIENT_DIR", spec: { kind: "string" } },
  bots: { env: "BOTS", spec: { kind: "choice", values: ["internal", "external"] } },
  botServiceSecret: { env: "BOT_SERVICE_SECRET", spec: { kind: "secret" } },
  botServiceWaitMs: { env: "BOT_SERVICE_WAIT_MS", spec: { kind: "int", min: 100, max: 600000 } },
  botSearchBudgetMs: { env: "BOT_SEARCH_BUDGET_MS", spec: { kind: "int", min: 1, max: 5000 } },
  redisUrl: { env: "REDIS_URL", spec: { kind: "url", protocols: ["redis:", "rediss:"] } },
  redisPrefix: { env: "REDIS_PREFIX", spec: { kind: "string" } },
  nodeId: { env: "NODE_ID", spec: { kind: "string" } },
  publicUrl: { env: "PUBLIC_URL", spec: { kind: "url", protocols: ["http:", "https:"] } },
  leaseMs: { env: "LEASE_MS", spec: { kind: "int", min: 300, max: 600000 } },
  records: { env: "RECORDS", spec: { kind: "choice", values: ["on", "off"] } },
  dataDir: { env: "DATA_DIR", spec: { kind: "string" } },
  databaseUrl: { env: "DATABASE_URL", spec: { kind: "url", protocols: ["postgres:", "postgresql:"] } },
  leaderboardMinMatches: { env: "LEADERBOARD_MIN_MATCHES", spec: { kind: "int", min: 1, max: 1000 } },
  botSearchMsPerSecond: { env: "BOT_SEARCH_MS_PER_SECOND", spec: { kind: "int", min: 1, max: 1000 } },
  botSearchWorkers: { env: "BOT_SEARCH_WORKERS", spec: { kind: "int", min: 0, max: 64 } },
};

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export class ConfigError extends Error {
  override name = "ConfigError";
}

function parseValue(name: string, spec: Spec, raw: string): Config[Key] {
  switch (spec.kind) {
    case "int": {
      const n = /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(n) || n < spec.min || n > spec.max) {
        throw new ConfigError(`Expected ${name} to be a whole number from ${spec.min} to ${spec.max}, got "${raw}".`);
      }
      return n;
    }
    case "level":
      if (!LEVELS.includes(raw)) throw new ConfigError(`Expected ${name} to be one of ${LEVELS.join(", ")}, got "${raw}".`);
      return raw as Config["logLevel"];
    case "choice":
      if (!spec.values.includes(raw)) throw new ConfigError(`Expected ${name} to be one of ${spec.values.join(", ")}, got "${raw}".`);
      return raw as Config["bots"];
    case "secret":
      if (raw.length < 16) throw new ConfigError(`Expected ${name} to be at least 16 characters long, got ${raw.length}.`);
      return raw;
    case "list": {
      const items = raw.split(",").map((x) => x.trim()).filter(Boolean);
      return items.map((item) => {
        const ok = spec.item(item);
        if (ok === null) throw new ConfigError(`Expected ${name} to be a comma-separated list of ${spec.expects}, got "${item}".`);
        return ok;
      });
    }
    case "string":
      if (raw.length === 0) throw new ConfigError(`Expected ${name} to be a non-empty string.`);
      return raw;
    case "url": {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new ConfigError(`Expected ${name} to be a URL (${spec.protocols.join(" or ")}), got "${raw}".`);
      }
      if (!spec.protocols.includes(url.protocol)) throw new ConfigError(`Expected ${name} to be a ${spec.protocols.join(" or ")} URL, got "${raw}".`);
      return raw.replace(/\/+$/, "");
    }
  }
}

function flagName(key: string): string {
  return "--" + key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

/**
 * Build the config from defaults, then the environment (`PORT=...`), then flags (`--port 9000`
 * or `--port=9000`). Throws ConfigError naming the first bad value.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, argv: string[] = []): Config {
  const config: Config = { ...DEFAULT_CONFIG };
  const set = (key: Key, name: string, raw: string) => {
    (config as unknown as Record<string, unknown>)[key] = parseValue(name, SPECS[key].spec, raw);
  };
  for (const key of Object.keys(SPECS) as Key[]) {
    const raw = env[SPECS[key].env];
    if (raw !== undefined && raw !== "") set(key, SPECS[key].env, raw);
  }
  const flags = new Map((Object.keys(SPECS) as Key[]).map((k) => [flagName(k), k]));
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const key = flags.get(flag);
    if (!key) throw new ConfigError(`Unknown option ${flag}. Known: ${[...flags.keys()].join(", ")}.`);
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new ConfigError(`Option ${flag} needs a value.`);
    set(key, flag, raw);
  }
  if (config.rateBurst < config.ratePerSecond) {
    throw new ConfigError(`Expected RATE_BURST (${config.rateBurst}) to be at least RATE_PER_SECOND (${config.ratePerSecond}).`);
  }
  if (config.redisUrl && !config.sessionSecret) {
    throw new ConfigError("REDIS_URL needs SESSION_SECRET (at least 16 characters): every node, and a node restarted, must accept the players' tokens.");
  }
  if (config.metricsPort !== 0 && config.metricsPort === config.port) {
    throw new ConfigError(`Expected METRICS_PORT (${config.metricsPort}) to differ from PORT: /metrics is not served on the game port.`);
  }
  if (config.bots === "external" && !config.botServiceSecret) {
    throw new ConfigError("BOTS=external needs BOT_SERVICE_SECRET (at least 16 characters): the bot service presents it to connect.");
  }
  // Several nodes (REDIS_URL, issue 16) share their records: an embedded database belongs to one
  // node, so a cluster that keeps records needs a PostgreSQL server. RECORDS=off lifts the rule.
  if (config.records === "on" && config.redisUrl && !config.databaseUrl) {
    throw new ConfigError(
      "REDIS_URL runs several nodes, and their records need one shared PostgreSQL: set DATABASE_URL (the embedded database in DATA_DIR belongs to one node), or RECORDS=off to keep no records.",
    );
  }
  return config;
}
