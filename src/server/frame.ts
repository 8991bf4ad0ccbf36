import type { ServerMessage } from "../protocol/index.ts";
import { textFrame } from "./wire.ts";

type PlayMessage = Extract<ServerMessage, { type: "play" }>;

/**
 * One outgoing message. Its JSON text, and the WebSocket frame that sockets write, are produced
 * at most once, however many sockets receive it: a broadcast is encoded and framed once, not
 * once per socket. In-process bots read `msg` and never pay for either.
 */
export class OutFrame {
  #text: string | undefined;
  #wire: Buffer | undefined;
  constructor(
    readonly msg: ServerMessage,
    /** Writes `msg` as JSON.stringify would; JSON.stringify itself when absent. */
    private readonly encode?: (msg: ServerMessage) => string,
  ) {}
  get text(): string {
    return (this.#text ??= this.encode ? this.encode(this.msg) : JSON.stringify(this.msg));
  }
  /** The whole frame on the wire, header and UTF-8 payload, shared by every socket (never modified). */
  get wire(): Buffer {
    return (this.#wire ??= textFrame(this.text));
  }
}

export function frame(msg: ServerMessage): OutFrame {
  return new OutFrame(msg);
}

/**
 * The text of a play frame, character for character what JSON.stringify writes for it (the
 * server's own object: these keys in this order, integer numbers). A play frame is most of what
 * a table sends, and its shape is fixed, so it is written from a template: JSON.stringify walks
 * the object and checks every key and string, about four times as long (bench/tools/hot-path.ts).
 * Every string still goes through JSON.stringify, so nothing unescaped reaches the wire.
 * frame.test.ts compares the two on whole games and on arbitrary values.
 */
export function encodePlay(m: PlayMessage): string {
  const e = m.event;
  const event =
    e.type === "play"
      ? `{"type":"play","seat":${e.seat},"combo":{"kind":${JSON.stringify(e.combo.kind)},"cards":${JSON.stringify(e.combo.cards)}},"auto":${e.auto}}`
      : `{"type":"pass","seat":${e.seat},"auto":${e.auto}}`;
  return `{"type":"play","tableId":${JSON.stringify(m.tableId)},"seq":${m.seq},"event":${event},"turnMs":${m.turnMs}}`;
}

/** A play frame, encoded by `encodePlay`. */
export function playFrame(msg: PlayMessage): OutFrame {
  return new OutFrame(msg, encodePlay as (msg: ServerMessage) => string);
}
