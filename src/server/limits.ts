import { readFileSync } from "node:fs";

/**
 * The process's soft limit on open files, or null where it cannot be read (not Linux). Every
 * socket is a file: past this limit `accept` fails, and /healthz with it, before any cap of ours.
 */
export function openFilesLimit(limits = readProcLimits()): number | null {
  if (limits === null) return null;
  const line = limits.split("\n").find((l) => l.startsWith("Max open files"));
  const soft = line?.slice("Max open files".length).trim().split(/\s+/)[0];
  if (soft === undefined) return null;
  if (soft === "unlimited") return Number.POSITIVE_INFINITY;
  const n = Number(soft);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

function readProcLimits(): string | null {
  try {
    return readFileSync("/proc/self/limits", "utf8");
  } catch {
    return null;
  }
}

/** Without a readable limit (and for `unlimited`): the cap the server had before it read one. */
export const FALLBACK_MAX_CONNECTIONS = 100_000;

/**
 * Files kept for the server's own use below the open-files limit: the listening sockets, logs,
 * the store's connections, /healthz and /metrics requests, static files, worker threads. A tenth
 * of the limit, and at least 64.
 */
export function reservedFiles(limit: number): number {
  return Math.max(64, Math.ceil(limit / 10));
}

/**
 * The socket cap this process can honour: the limit less the reserve, so an upgrade past the cap
 * gets the documented 503 while /healthz still answers. A configured cap above it is lowered.
 */
export function connectionCap(configured: number | null, limit: number | null): { cap: number; lowered: boolean } {
  const room = limit === null || !Number.isFinite(limit) ? null : Math.max(1, limit - reservedFiles(limit));
  if (configured === null) return { cap: room ?? FALLBACK_MAX_CONNECTIONS, lowered: false };
  if (room !== null && configured > room) return { cap: room, lowered: true };
  return { cap: configured, lowered: false };
}
