import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** One registry per server instance (tests run several servers in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "bigtwo_process_" });
  return {
    registry,
    connections: new Gauge({ name: "bigtwo_connections", help: "Open WebSocket connections.", registers: [registry] }),
    tablesActive: new Gauge({ name: "bigtwo_tables_active", help: "Tables open on this node.", registers: [registry] }),
    actions: new Counter({
      name: "bigtwo_actions_total",
      help: "Player actions (play, pass) handled by tables.",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    actionLatency: new Histogram({
      name: "bigtwo_action_latency_seconds",
      help: "From an action's arrival to the last frame it causes being handed to the sockets.",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    framesOut: new Counter({ name: "bigtwo_frames_out_total", help: "Frames handed to sockets.", registers: [registry] }),
    framesIn: new Counter({ name: "bigtwo_frames_in_total", help: "Frames received from sockets.", registers: [registry] }),
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
    botSeats: new Counter({
      name: "bigtwo_bot_seats_total",
      help: "Bot seats filled: by an in-process bot (internal), a bot service's bot (service), or in-process because BOTS=external found no service bot (fallback).",
      labelNames: ["by"] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
