import { test } from "node:test";
import assert from "node:assert/strict";
import { WebSocket } from "ws";
import { DEFAULT_CONFIG } from "./config.ts";
import { frame } from "./frame.ts";
import { createMetrics } from "./metrics.ts";
import { SocketConnection } from "./transport.ts";

function fakeSocket(bufferedAmount: number) {
  const calls: string[] = [];
  const ws = {
    readyState: WebSocket.OPEN,
    bufferedAmount,
    send: (text: string) => calls.push(`send ${text}`),
    // Where pre-framed sends go (src/server/wire.ts): a 2-byte header (payloads under 126 bytes
    // here), then the payload, recorded like a plain send so both paths read the same.
    _sender: { sendFrame: (list: Buffer[]) => calls.push(`send ${list[0].subarray(2).toString()}`) },
    close: (code: number) => calls.push(`close ${code}`),
    terminate: () => calls.push("terminate"),
  };
  return { ws: ws as unknown as WebSocket, calls };
}

test("a client that cannot keep up is cut off instead of queueing without bound", async () => {
  const metrics = createMetrics();
  const config = { ...DEFAULT_CONFIG, maxBufferedBytes: 1000 };
  const fast = fakeSocket(10);
  new SocketConnection(fast.ws, config, metrics).send(frame({ type: "ack", id: 1 }));
  assert.deepEqual(fast.calls, ['send {"type":"ack","id":1}']);
  const slow = fakeSocket(5000);
  new SocketConnection(slow.ws, config, metrics).send(frame({ type: "ack", id: 1 }));
  assert.deepEqual(slow.calls, ["close 4003", "terminate"]);
  assert.match(await metrics.registry.metrics(), /bigtwo_disconnects_total\{reason="slow-consumer"\} 1/);
});

test("a socket without ws's sender internals still gets every frame, through ws.send", () => {
  const { ws, calls } = fakeSocket(0);
  delete (ws as unknown as { _sender?: unknown })._sender;
  new SocketConnection(ws, DEFAULT_CONFIG, createMetrics()).send(frame({ type: "ack", id: 7 }));
  assert.deepEqual(calls, ['send {"type":"ack","id":7}']);
});

test("the rate limit allows a burst, refuses past it, and calls a long flood a flood", () => {
  const config = { ...DEFAULT_CONFIG, ratePerSecond: 10, rateBurst: 5 };
  const conn = new SocketConnection(fakeSocket(0).ws, config, createMetrics());
  const verdicts = Array.from({ length: 12 }, () => conn.take());
  assert.deepEqual(verdicts.slice(0, 5), ["ok", "ok", "ok", "ok", "ok"]);
  assert.equal(verdicts[5], "limited");
  assert.equal(verdicts.at(-1), "flood");
});

test("heartbeat pings are spread over the interval, not sent to every socket at once", async () => {
  // A burst of pings to thousands of sockets stalls the loop (bench/scenarios/capacity.ts).
  const { startServer } = await import("./app.ts");
  const s = await startServer({ port: 0, metricsPort: 0, host: "127.0.0.1", logLevel: "silent", heartbeatMs: 400 });
  const sockets: WebSocket[] = [];
  try {
    const pingedAt: number[] = [];
    for (let i = 0; i < 8; i++) {
      const ws = new WebSocket(s.url.replace("http", "ws") + "/ws");
      ws.once("ping", () => pingedAt.push(performance.now()));
      await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
      sockets.push(ws);
    }
    const until = performance.now() + 5000;
    while (pingedAt.length < 8 && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.equal(pingedAt.length, 8, "every socket is pinged within the interval");
    // 8 sockets land in different slices, 10 ms apart at the least: one burst would be ~0 ms wide.
    assert.ok(Math.max(...pingedAt) - Math.min(...pingedAt) >= 30, `pings spread over ${Math.max(...pingedAt) - Math.min(...pingedAt)} ms`);
  } finally {
    for (const ws of sockets) ws.terminate();
    await s.close();
  }
});
