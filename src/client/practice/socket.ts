// The page's side of the practice table: a Web Worker behind the same little interface as a
// WebSocket, handed to the connection (Connection.useLocal), which then speaks the wire protocol
// to it exactly as to the server.
import type { Socket } from "../connection.ts";
import type { PracticeClose, PracticeInit } from "./worker.ts";

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

class PracticeSocket implements Socket {
  readyState = CONNECTING;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  readonly #worker: Worker;

  constructor(init: PracticeInit, onFail: () => void) {
    // Vite bundles the worker and its imports (rules, bots) as a file of their own, loaded on the
    // first practice and precached by the service worker for offline use.
    this.#worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "practice" });
    this.#worker.onmessage = (ev: MessageEvent) => {
      if (this.readyState !== OPEN) return;
      if (typeof ev.data === "string") this.onmessage?.(new MessageEvent("message", { data: ev.data }));
      else if (typeof ev.data === "object" && ev.data !== null && "close" in ev.data) this.#end((ev.data as PracticeClose).close);
    };
    // The worker's script failed to load or threw: the table is gone, as a dropped socket is.
    this.#worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      this.onerror?.(new Event("error"));
      if (this.readyState !== CLOSED) onFail();
      this.#end(1011);
    };
    // Posted before the worker has loaded: the browser holds messages until its script has run.
    this.#worker.postMessage(init);
    setTimeout(() => {
      if (this.readyState !== CONNECTING) return;
      this.readyState = OPEN;
      this.onopen?.(new Event("open"));
    }, 0);
  }

  send(data: string): void {
    if (this.readyState === OPEN) this.#worker.postMessage(data);
  }

  close(code = 1000): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.#worker.terminate();
    // As with a WebSocket, close events come later, never from inside close().
    setTimeout(() => this.onclose?.(new CloseEvent("close", { code })), 0);
  }

  #end(code: number): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.#worker.terminate();
    this.onclose?.(new CloseEvent("close", { code }));
  }
}

/** `onFail`: the worker could not run (its file failed to load, or it threw); the socket closes. */
export function practiceSocket(init: PracticeInit, onFail: () => void): Socket {
  return new PracticeSocket(init, onFail);
}
