import type { ServerMessage } from "../protocol/index.ts";
import { textFrame } from "./wire.ts";

/**
 * One outgoing message. Its JSON text, and the WebSocket frame that sockets write, are produced
 * at most once, however many sockets receive it: a broadcast is encoded and framed once, not
 * once per socket. In-process bots read `msg` and never pay for either.
 */
export class OutFrame {
  #text: string | undefined;
  #wire: Buffer | undefined;
  constructor(readonly msg: ServerMessage) {}
  get text(): string {
    return (this.#text ??= JSON.stringify(this.msg));
  }
  /** The whole frame on the wire, header and UTF-8 payload, shared by every socket (never modified). */
  get wire(): Buffer {
    return (this.#wire ??= textFrame(this.text));
  }
}

export function frame(msg: ServerMessage): OutFrame {
  return new OutFrame(msg);
}
