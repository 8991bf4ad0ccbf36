import type { OutFrame } from "./frame.ts";

/**
 * What a table or the lobby talks to: a WebSocket, or an in-process bot seat. Neither side knows
 * which. `send` never throws; after `close` it does nothing.
 */
export interface Connection {
  readonly id: number;
  readonly kind: "socket" | "bot";
  /** The client's address (a socket's, src/server/address.ts); per-address limits count by it. */
  readonly address?: string;
  send(frame: OutFrame): void;
  close(code: number, reason: string): void;
}

let nextId = 1;
export function nextConnectionId(): number {
  return nextId++;
}
