// A bare protocol client for the integration tests: it records every frame and waits for the
// ones a test expects. Bounded waits; a test that waits in vain fails with what it did receive.
import WebSocket from "ws";
import { PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from "../protocol/index.ts";

export class TestClient {
  readonly received: ServerMessage[] = [];
  readonly raw: string[] = [];
  closed: { code: number; reason: string } | null = null;
  /** Called with every message, after it is recorded. */
  onMessage: ((msg: ServerMessage) => void) | null = null;
  #waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  #cursor = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const text = data.toString();
      this.raw.push(text);
      const msg = JSON.parse(text) as ServerMessage;
      this.received.push(msg);
      this.onMessage?.(msg);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.pred(msg)) return true;
        w.resolve(msg);
        return false;
      });
    });
    ws.on("close", (code, reason) => (this.closed = { code, reason: reason.toString() }));
    ws.on("error", () => {});
  }

  static async open(url: string): Promise<TestClient> {
    return TestClient.wrap(new WebSocket(url.replace(/^http/, "ws") + "/ws"));
  }

  /** A client on a socket made elsewhere (e.g. from a chosen local address), once it is open. */
  static async wrap(ws: WebSocket): Promise<TestClient> {
    await new Promise<void>((ok, fail) => {
      ws.once("open", () => ok());
      ws.once("error", fail);
    });
    return new TestClient(ws);
  }

  /** Open, hello, and wait for welcome. */
  static async player(url: string, name: string, token?: string): Promise<TestClient> {
    const c = await TestClient.open(url);
    c.send({ type: "hello", v: PROTOCOL_VERSION, name, token });
    await c.next("welcome");
    return c;
  }

  get welcome() {
    return this.received.find((m) => m.type === "welcome") as Extract<ServerMessage, { type: "welcome" }>;
  }

  send(msg: ClientMessage | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(msg));
  }

  sendRaw(text: string | Buffer): void {
    this.ws.send(text);
  }

  /** The next message (after the last one this method returned) of the type that matches. */
  async next<T extends ServerMessage["type"]>(
    type: T,
    pred: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const match = (m: ServerMessage) => m.type === type && pred(m as Extract<ServerMessage, { type: T }>);
    for (let i = this.#cursor; i < this.received.length; i++) {
      if (match(this.received[i])) {
        this.#cursor = i + 1;
        return this.received[i] as Extract<ServerMessage, { type: T }>;
      }
    }
    const msg = await new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.resolve !== done);
        const seen = this.received.slice(-5).map((m) => m.type + ("code" in m ? `(${m.code})` : "")).join(", ");
        reject(new Error(`no "${type}" within ${timeoutMs} ms; last received: ${seen}`));
      }, timeoutMs);
      const done = (m: ServerMessage) => {
        clearTimeout(timer);
        resolve(m);
      };
      this.#waiters.push({ pred: match, resolve: done });
    });
    this.#cursor = this.received.indexOf(msg) + 1;
    return msg as Extract<ServerMessage, { type: T }>;
  }

  async closedWith(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const until = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    if (!this.closed) throw new Error("socket still open");
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }
}
