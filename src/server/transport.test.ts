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

test("the rate limit allows a burst, refuses past it, and calls a long flood a flood", () => {
  const config = { ...DEFAULT_CONFIG, ratePerSecond: 10, rateBurst: 5 };
  const conn = new SocketConnection(fakeSocket(0).ws, config, createMetrics());
  const verdicts = Array.from({ length: 12 }, () => conn.take());
  assert.deepEqual(verdicts.slice(0, 5), ["ok", "ok", "ok", "ok", "ok"]);
  assert.equal(verdicts[5], "limited");
  assert.equal(verdicts.at(-1), "flood");
});
