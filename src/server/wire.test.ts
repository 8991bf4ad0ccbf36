import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as ws from "ws";
import { WebSocket, WebSocketServer } from "ws";
import { preframedSupported, sendPreframed, textFrame } from "./wire.ts";

// 7-bit, 16-bit and 64-bit payload lengths at their edges, and multi-byte characters.
const PAYLOADS = ["", "{}", "x".repeat(125), "x".repeat(126), "y".repeat(65_535), "z".repeat(65_536), '{"name":"Zoë ♠ 🂡"}'];

test("this ws has what pre-framed sends rely on", () => {
  // If a ws upgrade removes the sender's sendFrame, every send falls back to ws.send; this test
  // says so, so the fallback is never silent.
  assert.equal(preframedSupported, true);
});

test("textFrame builds, byte for byte, the frame ws builds for a server's text message", () => {
  const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, o: object): Buffer[] } };
  for (const p of PAYLOADS) {
    const theirs = Buffer.concat(Sender.frame(Buffer.from(p), { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }));
    assert.ok(textFrame(p).equals(theirs), `payload of ${p.length} characters`);
  }
});

test("a pre-framed text frame arrives whole, in order with ws.send, at every payload length class", async () => {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  try {
    const serverSide = new Promise<WebSocket>((r) => wss.once("connection", r));
    const client = new WebSocket(url);
    const received: { text: string; binary: boolean }[] = [];
    const done = new Promise<void>((resolve) =>
      client.on("message", (data, isBinary) => {
        received.push({ text: String(data), binary: isBinary });
        if (received.length === PAYLOADS.length * 2) resolve();
      }),
    );
    const socket = await serverSide;
    await new Promise((r) => client.once("open", r));
    // Alternate the two ways of sending: the frames must arrive in the order they were sent.
    for (const p of PAYLOADS) {
      sendPreframed(socket, textFrame(p));
      socket.send(`plain ${p.length}`);
    }
    await done;
    assert.deepEqual(
      received,
      PAYLOADS.flatMap((p) => [
        { text: p, binary: false },
        { text: `plain ${p.length}`, binary: false },
      ]),
    );
    client.close();
  } finally {
    wss.close();
    http.close();
  }
});
