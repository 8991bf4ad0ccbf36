// Pre-framed sends: a broadcast goes to every socket of a table as the same bytes, so it is framed
// once (header and payload in one buffer) and each socket gets a single write. ws itself would
// rebuild the header, take the payload's byte length and write header and payload as two chunks
// for every socket; at four sockets a play that was most of the server's JavaScript per frame
// (docs/benchmarks.md). socket.io's engine.io sends its pre-encoded broadcast frames the same way.
//
// This is the one module that touches ws beyond its typed API: `Sender.frame` (a public static of
// ws that @types/ws does not declare) and the socket's sender's `sendFrame`, which is
// what `ws.send` ends in once the frame is built. `preframedSupported` checks both once; a ws
// without them makes every send go through `ws.send`, and wire.test.ts fails.
import * as ws from "ws";
import { WebSocket } from "ws";

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
interface SenderStatic {
  frame(data: Buffer, options: FrameOptions): Buffer[];
}
interface SenderInstance {
  sendFrame(list: Buffer[], cb?: (err?: Error) => void): void;
}

// ws's ESM entry exports Sender by name (its CommonJS one as WebSocket.Sender).
const Sender = (ws as unknown as { Sender?: SenderStatic }).Sender;

/** A final, unmasked, uncompressed text frame (RFC 6455): what a server sends. */
const TEXT: FrameOptions = { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false };

/** The whole text frame for `payload`, header included, in one buffer. */
export function textFrame(payload: Buffer): Buffer {
  if (!Sender) throw new Error("ws exports no Sender");
  return Buffer.concat(Sender.frame(payload, TEXT));
}

export const preframedSupported =
  typeof Sender?.frame === "function" &&
  typeof (Object.getOwnPropertyDescriptor(WebSocket.prototype, "bufferedAmount")?.get) === "function" &&
  (() => {
    try {
      // The prototype of ws's Sender class, where sendFrame lives.
      const proto = (Sender as unknown as { prototype: Partial<SenderInstance> }).prototype;
      return typeof proto.sendFrame === "function";
    } catch {
      return false;
    }
  })();

/**
 * Write a frame built by `textFrame` on an open socket. The server never compresses or sends
 * blobs, so ws's sender never queues, and this write lands in order with every other send.
 */
export function sendPreframed(socket: WebSocket, wire: Buffer): void {
  (socket as unknown as { _sender: SenderInstance })._sender.sendFrame([wire]);
}
