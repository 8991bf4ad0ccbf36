import type { ServerMessage } from "../protocol/index.ts";

/**
 * One outgoing message. Its JSON text is produced at most once, however many sockets receive
 * it: a broadcast is encoded once, not once per socket. In-process bots read `msg` and never
 * pay for the encoding.
 */
export class OutFrame {
  #text: string | undefined;
  constructor(readonly msg: ServerMessage) {}
  get text(): string {
    return (this.#text ??= JSON.stringify(this.msg));
  }
}

export function frame(msg: ServerMessage): OutFrame {
  return new OutFrame(msg);
}
