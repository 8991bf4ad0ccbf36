// Pre-framed sends: a broadcast goes to every socket of a table as the same bytes, so it is framed
// once (header and payload in one buffer) and each socket gets a single write. ws itself would
// rebuild the header, take the payload's byte length and write header and payload as two chunks
// for every socket. socket.io's engine.io sends its pre-encoded broadcast frames the same way.
//
// This is the one module that touches ws beyond its typed API: the socket's sender's `sendFrame`,
// which is what `ws.send` ends in once a frame is built. `preframedSupported` checks for it once;
// a ws without it makes every send go through `ws.send`, and wire.test.ts fails.
import * as ws from "ws";
import type { WebSocket } from "ws";

interface SenderInstance {
  sendFrame(list: Buffer[], cb?: (err?: Error) => void): void;
}

// ws's ESM entry exports its Sender class by name; @types/ws does not declare it.
const Sender = (ws as unknown as { Sender?: { prototype: Partial<SenderInstance> } }).Sender;

/**
 * The whole frame for `text`: a final, unmasked, uncompressed text frame (RFC 6455 section 5.2),
 * header and UTF-8 payload in one buffer, so each socket gets one write. wire.test.ts checks it
 * byte for byte against ws's own framing at every payload length class.
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const out = Buffer.allocUnsafe(header + length);
  out[0] = 0x81; // FIN, opcode 1 (text)
  if (header === 2) {
    out[1] = length;
  } else if (header === 4) {
    out[1] = 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 127;
    out.writeUInt32BE(0, 2); // frames here are far below 4 GiB (maxPayload and our own sizes)
    out.writeUInt32BE(length, 6);
  }
  out.write(text, header);
  return out;
}

/** True when this ws's sockets can take a pre-built frame (see the top of this file). */
export const preframedSupported = typeof Sender?.prototype.sendFrame === "function";

/** True when this open socket has the sender `sendPreframed` writes through. */
export function canSendPreframed(socket: WebSocket): boolean {
  return preframedSupported && typeof (socket as unknown as { _sender?: Partial<SenderInstance> })._sender?.sendFrame === "function";
}

/**
 * Write a frame built by `textFrame` on an open socket. The server never compresses or sends
 * blobs, so ws's sender never queues, and this write lands in order with every other send.
 */
export function sendPreframed(socket: WebSocket, wire: Buffer): void {
  (socket as unknown as { _sender: SenderInstance })._sender.sendFrame([wire]);
}
