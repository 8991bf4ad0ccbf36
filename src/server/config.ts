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
  /** Open sockets this node accepts; past it an upgrade gets 503. */
  maxConnections: number;
  /** A socket that has not said hello by then is closed. */
  helloTimeoutMs: number;
  clientDir: string;
  /** Who plays bot seats: this process ("internal") or a connected bot service ("external"). */
  bots: "internal" | "external";
  /** The credential a bot service presents in service.hello; null: no service may connect. */
  botServiceSecret: string | null;
  /** How long a table waits for the service's bot before seating an in-process one. */
  botServiceWaitMs: number;
  /** Search budget per decision of in-process hard bots: they run on this event loop. */
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
  maxConnections: 100000,
  helloTimeoutMs: 10000,
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
};

type Key = keyof Config;
interface IntSpec {
  kind: "int";
  min: number;
  max: number;
}
type Spec = IntSpec | { kind: "url"; protocols: readonly string[] } | { kind: "string" } | { kind: "secret" } | { kind: "level" } | { kind: "choice"; values: readonly string[] };

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
  helloTimeoutMs: { env: "HELLO_TIMEOUT_MS", spec: { kind: "int", min: 100, max: 600000 } },
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
