import type { ServerMessage } from "../protocol/index.ts";

/**
 * One outgoing message. Its JSON text, and the UTF-8 bytes that sockets write, are produced at
 * most once, however many sockets receive it: a broadcast is encoded once, not once per socket.
 * In-process bots read `msg` and never pay for the encoding.
 */
export class OutFrame {
  #text: string | undefined;
  #bytes: Buffer | undefined;
  constructor(readonly msg: ServerMessage) {}
  get text(): string {
    return (this.#text ??= JSON.stringify(this.msg));
  }
  /** The text as UTF-8, shared by every socket that sends this frame (never modified). */
  get bytes(): Buffer {
    return (this.#bytes ??= Buffer.from(this.text));
  }
}

export function frame(msg: ServerMessage): OutFrame {
  return new OutFrame(msg);
}
