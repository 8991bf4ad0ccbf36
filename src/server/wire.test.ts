import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { preframedSupported, sendPreframed, textFrame } from "./wire.ts";

test("this ws has what pre-framed sends rely on", () => {
  // If a ws upgrade removes Sender.frame or sendFrame, every send falls back to ws.send; this
  // test says so, so the fallback is never silent.
  assert.equal(preframedSupported, true);
});

test("a pre-framed text frame arrives whole, in order with ws.send, at every payload length class", async () => {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  // 7-bit, 16-bit and 64-bit payload lengths, and a multi-byte character.
  const payloads = ["{}", JSON.stringify({ pad: "x".repeat(200) }), JSON.stringify({ pad: "y".repeat(70_000) }), '{"name":"Zoë ♠"}'];
  try {
    const serverSide = new Promise<WebSocket>((r) => wss.once("connection", r));
    const client = new WebSocket(url);
    const received: { text: string; binary: boolean }[] = [];
    const done = new Promise<void>((resolve) =>
      client.on("message", (data, isBinary) => {
        received.push({ text: String(data), binary: isBinary });
        if (received.length === payloads.length * 2) resolve();
      }),
    );
    const socket = await serverSide;
    await new Promise((r) => client.once("open", r));
    // Alternate the two ways of sending: the frames must arrive in the order they were sent.
    for (const p of payloads) {
      sendPreframed(socket, textFrame(Buffer.from(p)));
      socket.send(`plain ${p.length}`);
    }
    await done;
    assert.deepEqual(
      received,
      payloads.flatMap((p) => [
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
