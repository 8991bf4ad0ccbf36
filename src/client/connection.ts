// One WebSocket to the game server, replaced whenever it drops. The socket is disposable; the
// token (kept by the caller in localStorage) is what makes us the same player on the next one.
import type { ClientMessage, ServerMessage, WelcomeMessage } from "../protocol/messages.ts";
import { CloseCode, PROTOCOL_VERSION } from "../protocol/codes.ts";

export type ConnPhase = "connecting" | "open" | "reconnecting" | "stopped";
export type ConnReason = "lost" | "unreachable" | "failed" | "restarting" | "replaced" | "version";

export interface ConnState {
  phase: ConnPhase;
  /** Failed attempts in a row. */
  attempt: number;
  /** When the next attempt starts (Date.now clock), while reconnecting. */
  retryAt: number | null;
  /** Why we are not connected, for the banner (the view words it in the player's language). */
  reason: ConnReason | null;
  /** Whether the connection was ever open (the first connect shows no scary banner). */
  everOpen: boolean;
}

/**
 * What carries the wire protocol's text frames: a WebSocket to the server, or the practice
 * table's Web Worker (practice/socket.ts), which speaks the same protocol with no server.
 */
export interface Socket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number): void;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
}

type Outgoing = ClientMessage extends infer M ? (M extends { id?: unknown } ? Omit<M, "id"> : never) : never;

export interface ConnectionOptions {
  url: string;
  hello(): { name: string; token?: string };
  onWelcome(msg: WelcomeMessage): void;
  onMessage(msg: ServerMessage): void;
  onState(state: ConnState): void;
}

const BACKOFF_MS = [400, 1000, 2000, 4000, 8000, 12000];

/** The WebSocket URL of a node's public URL (http → ws, https → wss, path /ws). */
export function socketUrl(publicUrl: string): string {
  const u = new URL(publicUrl);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  u.pathname = "/ws";
  return u.toString();
}

export class Connection {
  private ws: Socket | null = null;
  /** The next socket comes from here instead of the server, once (see useLocal). */
  private local: (() => Socket) | null = null;
  /** The socket in use is a local one; `serverEverOpen` is the server's everOpen, kept meanwhile. */
  private localWs: Socket | null = null;
  private serverEverOpen = false;
  /** Where the next socket goes: the page's own server, or the node a redirect named. */
  private url: string;
  /** Every live node's socket URL (from welcome): when the current one cannot be reached, try the next. */
  private nodes: string[] = [];
  /** The last join or watch request: sent again on the owner's node after a redirect. */
  private lastTableRequest: { id: number; msg: Outgoing } | null = null;
  private resend: Outgoing | null = null;
  private nextId = 1;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private nextDelay: number | null = null;
  private st: ConnState = { phase: "connecting", attempt: 0, retryAt: null, reason: null, everOpen: false };

  constructor(private readonly opts: ConnectionOptions) {
    this.url = opts.url;
  }

  get state(): ConnState {
    return this.st;
  }

  get isOpen(): boolean {
    return this.st.phase === "open";
  }

  start(): void {
    if (this.st.phase === "stopped") this.st = { ...this.st, phase: "connecting", attempt: 0 };
    this.open();
  }

  /** Send a message; returns its id, or null when there is no open session to send it on. */
  send(msg: Outgoing): number | null {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || this.st.phase !== "open") return null;
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ ...msg, id }));
    if (msg.type === "table.join" || msg.type === "table.watch" || msg.type === "quick.join") this.lastTableRequest = { id, msg };
    return id;
  }

  /**
   * Play on a local socket (the practice table in a Web Worker) instead of the server until it
   * closes; then connect to the server again. The server's socket is closed meanwhile.
   */
  useLocal(open: () => Socket): void {
    if (!this.localWs) this.serverEverOpen = this.st.everOpen;
    this.local = open;
    this.reconnectNow();
  }

  /** Whether the socket in use is a local one (practice). */
  get isLocal(): boolean {
    return this.localWs !== null;
  }

  /** Drop the socket and connect again now (a new name, or the "retry now" button). */
  reconnectNow(): void {
    this.clearRetry();
    this.st = { ...this.st, attempt: 0 };
    if (this.ws) {
      const ws = this.ws;
      this.detach(ws);
      ws.close(CloseCode.Normal);
    }
    this.open();
  }

  /** Lose the socket as a network failure would (the reconnect path runs); for tests and debugging. */
  drop(): void {
    this.ws?.close();
  }

  stop(reason: ConnReason): void {
    this.clearRetry();
    if (this.ws) {
      const ws = this.ws;
      this.detach(ws);
      ws.close(CloseCode.Normal);
    }
    this.setState({ phase: "stopped", retryAt: null, reason });
  }

  private open(): void {
    this.clearRetry();
    const local = this.local;
    this.local = null;
    if (!local && this.localWs) {
      // Back from practice: the banner speaks of the server as it was before.
      this.localWs = null;
      this.st = { ...this.st, everOpen: this.serverEverOpen, reason: null };
    }
    this.setState({
      phase: this.st.everOpen ? "reconnecting" : "connecting",
      retryAt: null,
    });
    let ws: Socket;
    try {
      ws = local ? local() : new WebSocket(this.url);
    } catch {
      this.scheduleRetry("failed");
      return;
    }
    this.ws = ws;
    this.localWs = local ? ws : null;
    ws.onopen = () => {
      const hello = this.opts.hello();
      ws.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, id: 0, ...hello }));
    };
    ws.onmessage = (ev) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if (msg.type === "welcome") {
        this.nextDelay = null;
        if (msg.nodes) this.nodes = msg.nodes.map(socketUrl);
        this.setState({ phase: "open", attempt: 0, retryAt: null, reason: null, everOpen: true });
        this.opts.onWelcome(msg);
        const resend = this.resend;
        this.resend = null;
        if (resend) this.send(resend);
        return;
      }
      if (msg.type === "redirect") {
        // Another node owns the table: go there now, without a banner, and ask again there.
        if (msg.id !== undefined && this.lastTableRequest?.id === msg.id) this.resend = this.lastTableRequest.msg;
        this.url = socketUrl(msg.url);
        this.detach(ws);
        ws.close(CloseCode.Normal);
        this.open();
        return;
      }
      if (msg.type === "shutdown") {
        // The server is going away on purpose and says when to come back.
        this.nextDelay = Math.max(200, msg.reconnectInMs);
        this.setState({ reason: "restarting" });
      }
      this.opts.onMessage(msg);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (ws === this.localWs) {
        // The practice table is over (left or failed): back to the server at once.
        this.open();
        return;
      }
      if (ev.code === CloseCode.Replaced) {
        this.setState({ phase: "stopped", retryAt: null, reason: "replaced" });
        return;
      }
      if (ev.code === CloseCode.BadVersion) {
        this.setState({ phase: "stopped", retryAt: null, reason: "version" });
        return;
      }
      this.scheduleRetry(this.st.reason ?? (this.st.everOpen ? "lost" : "unreachable"));
    };
    // Errors are followed by close; the banner reports them, the console need not.
    ws.onerror = () => {};
  }

  private scheduleRetry(reason: ConnReason): void {
    const attempt = this.st.attempt + 1;
    // A node that cannot be reached: the next attempt goes to another live node (any node sends
    // the player on to their table's owner). With no list, the page's own server is tried again.
    if (this.nodes.length > 1) {
      const i = this.nodes.indexOf(this.url);
      this.url = this.nodes[(i + 1) % this.nodes.length];
    }
    const base = this.nextDelay ?? BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)];
    this.nextDelay = null;
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.setState({ phase: this.st.everOpen ? "reconnecting" : "connecting", attempt, retryAt: Date.now() + delay, reason });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private detach(ws: Socket): void {
    ws.onopen = ws.onmessage = ws.onclose = null;
    if (this.ws === ws) this.ws = null;
  }

  private setState(patch: Partial<ConnState>): void {
    this.st = { ...this.st, ...patch };
    this.opts.onState(this.st);
  }
}
