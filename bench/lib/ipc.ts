// The orchestrator drives each load generator process with these requests over the IPC channel.
import type { LatencySummary } from "./stats.ts";

/**
 * How long a bot thinks before acting: not at all, briefly (a paced load), like a person (a few
 * seconds), or never.
 */
export type ThinkMode = "zero" | "paced" | "human" | "frozen";

/** Think time ranges, ms (uniform). */
export const PACED_THINK_MS = [200, 600] as const;
export const HUMAN_THINK_MS = [1500, 4500] as const;

export type GenRequest =
  | { cmd: "open"; url: string; tables: number; mode: ThinkMode; settings: Record<string, unknown>; concurrency: number }
  | { cmd: "relayOpen"; url: string; groups: number; mode: ThinkMode; inBytes: number; concurrency: number }
  /** Rooms of the Colyseus peer, through its SDK (`sdk`: the module's path, from bench/peers/). */
  | { cmd: "colyseusOpen"; url: string; rooms: number; mode: ThinkMode; inBytes: number; concurrency: number; sdk: string }
  /**
   * From now on each relay or peer client busy-waits `us` before each play, a stand-in for a game
   * client's work: the throughput scenario's equal-rate windows.
   */
  | { cmd: "clientWork"; us: number }
  /** Seat 0 of every relay or peer group plays, which starts the turns going round. */
  | { cmd: "kick" }
  | { cmd: "mode"; mode: ThinkMode }
  | { cmd: "stats" }
  /** Keep every latency sample from now on (beside the windows), until spanEnd summarizes them. */
  | { cmd: "spanStart" }
  | { cmd: "spanEnd" }
  | { cmd: "storm"; timeoutMs: number }
  /**
   * Tables of one load player and the server's own bots (`settings.bots`, `settings.botLevel`):
   * the bots run in the server, so what they cost is the server's. `closeBotTables` has their
   * players leave, and the server closes a table with nobody at it.
   */
  | { cmd: "openBotTables"; url: string; tables: number; settings: Record<string, unknown>; concurrency: number }
  | { cmd: "closeBotTables" }
  | { cmd: "closeAll" };

export interface GenStats {
  /** Wall seconds since the previous `stats`. */
  seconds: number;
  /** Actions whose own event came back (round trips), and their latency in ms. */
  actions: number;
  latency: LatencySummary;
  framesIn: number;
  bytesIn: number;
  framesOut: number;
  bytesOut: number;
  /** Mean bytes of the frames the bots sent and received over the window. */
  meanInFrame: number;
  meanOutFrame: number;
  /** This process's CPU over the window, in cores (1 = one core busy). */
  cpu: number;
  /** Event-loop delay p99 of the generator over the window, ms. */
  eldP99Ms: number;
  eldMaxMs: number;
  /** The longest GC pause of the generator over the window, ms. */
  gcMaxMs: number;
  /** The kind of that pause: minor (scavenge), major (mark-compact), incremental, weakcb. */
  gcMaxKind: string;
  errors: number;
  errorKinds: Record<string, number>;
  /** Since start. */
  errorsTotal: number;
  sockets: number;
  heapMB: number;
  /** The window's latency samples, ms (for merging several generators; dropped once merged). */
  samples?: number[];
}

export interface OpenResult {
  opened: number;
  failed: number;
  seconds: number;
  firstError: string | null;
}

export interface StormResult {
  tables: number;
  sockets: number;
  /** Until every player has its seat's snapshot back. */
  snapshotSeconds: number;
  /** Until every player sees all four seats connected again. */
  seconds: number;
  verifiedTables: number;
  mismatches: string[];
  connectRetries: number;
  failedSockets: number;
}

export type GenReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
