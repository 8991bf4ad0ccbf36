// The practice table's Web Worker: the rules engine and the bots run here, off the page's thread,
// and talk to the page in the wire protocol's text frames (see socket.ts for the page's side).
import { PracticeTable, type PracticeSettings } from "./table.ts";

/** What the page posts first, before any text frame. */
export interface PracticeInit {
  settings: PracticeSettings;
  /** Mean bot think time, ms (the page's pace setting scales it). */
  thinkMs: number;
}

/** Posted to the page, besides text frames: the table is done; the page's socket closes with `code`. */
export interface PracticeClose {
  close: number;
}

interface WorkerScope {
  onmessage: ((ev: MessageEvent) => void) | null;
  postMessage(data: unknown): void;
  close(): void;
}
const scope = self as unknown as WorkerScope;

/** 128 bits from the browser's CSPRNG, as the server draws a deal's seed. */
function seed(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

let table: PracticeTable | null = null;

scope.onmessage = (ev: MessageEvent) => {
  const data: unknown = ev.data;
  if (typeof data === "string") {
    table?.receive(data);
    return;
  }
  if (table || typeof data !== "object" || data === null || !("settings" in data)) return;
  const init = data as PracticeInit;
  const mean = Math.max(0, init.thinkMs);
  table = new PracticeTable({
    settings: init.settings,
    seed,
    // A person-like spread, as the server's bots have (±40%).
    thinkMs: () => mean * (0.6 + Math.random() * 0.8),
    send: (text) => scope.postMessage(text),
    close: (code) => {
      scope.postMessage({ close: code } satisfies PracticeClose);
      scope.close();
    },
  });
};
