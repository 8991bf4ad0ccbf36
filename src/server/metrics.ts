import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** A counter bumped on every frame or play: a plain number until /metrics is read. */
export class HotCounter {
  #pending = 0;
  inc(n = 1): void {
    this.#pending += n;
  }
  /** What was counted since the last read. */
  take(): number {
    const n = this.#pending;
    this.#pending = 0;
    return n;
  }
}

/**
 * The path adds to a plain number; prom-client gets the sum when /metrics is read (its `collect`
 * hook runs before every read), instead of a label hash and a map update per frame. With a
 * label, one plain number per value; every value's series exists from the start, at zero.
 */
function hotCounters<V extends string>(registry: Registry, name: string, help: string, label: string, values: readonly V[]): Record<V, HotCounter> {
  const hot = Object.fromEntries(values.map((v) => [v, new HotCounter()])) as Record<V, HotCounter>;
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      for (const v of values) this.inc({ [label]: v }, hot[v].take());
    },
  });
  return hot;
}

function hotCounter(registry: Registry, name: string, help: string): HotCounter {
  const hot = new HotCounter();
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.inc(hot.take());
    },
  });
  return hot;
}

/** One registry per server instance (tests run several servers in one process). */
export function createMetrics() {
  const registry = new Registry();
  // prom-client names its metrics process_* and nodejs_*: the prefix is the project only
  // (bigtwo_process_cpu_user_seconds_total, bigtwo_nodejs_eventloop_lag_seconds).
  collectDefaultMetrics({ register: registry, prefix: "bigtwo_" });
  // Three of the defaults walk every handle the process holds (one per socket) on each scrape: at
  // 16,000 sockets a scrape held the event loop about 100 ms (a CPU profile of the capacity hold),
  // and every table's play waited behind it. Sockets are counted by bigtwo_connections instead.
  for (const name of ["active_handles", "active_resources", "active_requests"]) {
    registry.removeSingleMetric(`bigtwo_nodejs_${name}`);
    registry.removeSingleMetric(`bigtwo_nodejs_${name}_total`);
  }
  // The same for open files: a directory read of /proc/self/fd, 18-28 ms at 16,000 sockets.
  // bigtwo_connections counts the sockets; bigtwo_process_max_fds (a single read) stays.
  registry.removeSingleMetric("bigtwo_process_open_fds");
  return {
    registry,
    connections: new Gauge({ name: "bigtwo_connections", help: "Open WebSocket connections.", registers: [registry] }),
    tablesActive: new Gauge({ name: "bigtwo_tables_active", help: "Tables this node owns now.", registers: [registry] }),
    tablesAdopted: new Counter({
      name: "bigtwo_tables_adopted_total",
      help: "Tables this node took over from a dead or departing node (or re-claimed after losing its lease).",
      registers: [registry],
    }),
    tablesLost: new Counter({
      name: "bigtwo_tables_lost_total",
      help: "Tables this node dropped because another node owns them now (its fence was refused).",
      registers: [registry],
    }),
    logFailures: new Counter({
      name: "bigtwo_log_write_failures_total",
      help: "Table log writes that failed (store unreachable); the action was refused, nothing applied.",
      registers: [registry],
    }),
    actions: hotCounters(registry, "bigtwo_actions_total", "Player actions (play, pass, timeout) handled by tables.", "result", ["accepted", "rejected"]),
    actionLatency: new Histogram({
      name: "bigtwo_action_latency_seconds",
      help: "From an action's arrival to the last frame it causes being handed to the sockets.",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    framesOut: hotCounter(registry, "bigtwo_frames_out_total", "Frames handed to sockets."),
    framesIn: hotCounter(registry, "bigtwo_frames_in_total", "Frames received from sockets."),
    protocolErrors: new Counter({
      name: "bigtwo_protocol_errors_total",
      help: "Messages refused before reaching a table, by code.",
      labelNames: ["code"] as const,
      registers: [registry],
    }),
    disconnects: new Counter({
      name: "bigtwo_disconnects_total",
      help: "Sockets closed by the server, by reason.",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    tableFailures: new Counter({ name: "bigtwo_table_failures_total", help: "Tables ended by an internal error.", registers: [registry] }),
    /** Hard bots' moves: searched, or played by the "normal" strategy because the node's search budget was spent. */
    hardBotMoves: hotCounters(registry, "bigtwo_hard_bot_moves_total", "Hard bots' moves: searched, or played by the normal strategy because the node's search budget (BOT_SEARCH_MS_PER_SECOND) was spent.", "by", ["search", "fallback"] as const),
    botSearchSeconds: hotCounter(registry, "bigtwo_bot_search_seconds_total", "Time hard bots spent searching (on the search worker, or the event loop with BOT_SEARCH_WORKERS=0), wall clock."),
    botSeats: new Counter({
      name: "bigtwo_bot_seats_total",
      help: "Bot seats filled: by an in-process bot (internal), a bot service's bot (service), or in-process because BOTS=external found no service bot (fallback).",
      labelNames: ["by"] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
