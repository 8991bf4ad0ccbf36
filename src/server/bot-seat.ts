import { BotBrain } from "../bots/brain.ts";
import type { AsyncStrategy } from "../bots/strategy.ts";
import type { ClientMessage } from "../protocol/index.ts";
import { nextConnectionId, type Connection } from "./connection.ts";
import type { OutFrame } from "./frame.ts";

/**
 * An in-process bot at a seat. To the table it is just another Connection: it receives the same
 * frames a socket would (the seat's own view and the public events, nothing more) and answers
 * through the same entry point as a socket's messages. No network hop, no JSON.
 */
export class BotSeat implements Connection {
  readonly id = nextConnectionId();
  readonly kind = "bot" as const;
  readonly brain: BotBrain;
  #closed = false;

  constructor(strategy: AsyncStrategy, thinkMs: () => number, deliver: (conn: BotSeat, msg: ClientMessage) => void) {
    this.brain = new BotBrain({ strategy, thinkMs, send: (msg) => !this.#closed && deliver(this, msg) });
  }

  send(frame: OutFrame): void {
    if (!this.#closed) this.brain.receive(frame.msg);
  }

  close(): void {
    this.#closed = true;
    this.brain.stop();
  }
}
