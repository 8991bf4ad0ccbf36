// The connection's hook for practice: a local socket in place of the server's WebSocket until it
// closes, then the server again, with the banner's memory of the server as it was.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { Connection, type ConnState, type Socket } from "./connection.ts";

class FakeSocket implements Socket {
  static OPEN = 1;
  static opened: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closedWith: number | null = null;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  deliver(msg: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(msg) } as MessageEvent);
  }
  end(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
}

const welcome = (tableId: string | null) => ({ type: "welcome", v: 1, playerId: "p1", name: "Mei", token: "tok", tableId });

let saved: unknown;
beforeEach(() => {
  saved = (globalThis as { WebSocket?: unknown }).WebSocket;
  (globalThis as { WebSocket?: unknown }).WebSocket = FakeSocket;
  FakeSocket.opened = [];
});
afterEach(() => {
  (globalThis as { WebSocket?: unknown }).WebSocket = saved;
});

function connection() {
  const states: ConnState[] = [];
  const welcomes: unknown[] = [];
  const messages: unknown[] = [];
  const conn = new Connection({
    url: "ws://server.test/ws",
    hello: () => ({ name: "Mei", token: "tok" }),
    onWelcome: (m) => welcomes.push(m),
    onMessage: (m) => messages.push(m),
    onState: (s) => states.push(s),
  });
  return { conn, states, welcomes, messages };
}

test("a local socket stands in for the server until it closes; then the server's socket comes back", () => {
  const { conn, welcomes, messages } = connection();
  conn.start();
  const server = FakeSocket.opened[0];
  assert.equal(server.url, "ws://server.test/ws");
  server.open();
  server.deliver(welcome(null));
  assert.equal(conn.state.phase, "open");

  const local = new FakeSocket("local");
  conn.useLocal(() => local);
  assert.equal(server.closedWith, 1000, "the server's socket is closed while practising");
  assert.ok(conn.isLocal);
  local.open();
  assert.deepEqual(local.sent, [{ type: "hello", v: 1, id: 0, name: "Mei", token: "tok" }], "the same hello as to the server");
  local.deliver(welcome("practice"));
  local.deliver({ type: "ack", id: 1 });
  assert.equal(conn.state.phase, "open");
  assert.equal(welcomes.length, 2);
  assert.deepEqual(messages.at(-1), { type: "ack", id: 1 });
  assert.ok(conn.send({ type: "pass" }) !== null);
  assert.deepEqual(local.sent.at(-1), { type: "pass", id: 1 });
  assert.equal(server.sent.length, 1, "nothing more went to the server");

  // The practice table leaves (or fails): straight back to the server.
  local.end(1000);
  assert.ok(!conn.isLocal);
  const again = FakeSocket.opened.at(-1)!;
  assert.notEqual(again, local);
  assert.equal(again.url, "ws://server.test/ws");
  assert.equal(conn.state.phase, "reconnecting");
  conn.stop("lost");
});

test("practice started before the server was ever reached leaves the banner's first-connect wording alone", () => {
  const { conn } = connection();
  conn.start();
  const server = FakeSocket.opened[0];
  server.end(1006); // the server is down
  assert.equal(conn.state.everOpen, false);
  const local = new FakeSocket("local");
  conn.useLocal(() => local);
  local.open();
  local.deliver(welcome("practice"));
  assert.equal(conn.state.everOpen, true, "the practice table is a connection while it lasts");
  local.end(1000);
  assert.equal(conn.state.everOpen, false, "back to the server: never reached, as before");
  assert.equal(conn.state.phase, "connecting");
  conn.stop("lost");
});

test("a new server connection asked for while practising ends the practice socket", () => {
  const { conn } = connection();
  conn.start();
  FakeSocket.opened[0].open();
  const local = new FakeSocket("local");
  conn.useLocal(() => local);
  local.open();
  conn.reconnectNow();
  assert.equal(local.closedWith, 1000);
  assert.ok(!conn.isLocal);
  assert.equal(FakeSocket.opened.at(-1)!.url, "ws://server.test/ws");
  conn.stop("lost");
});
