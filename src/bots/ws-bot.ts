import WebSocket from "ws";
import { PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from "../protocol/index.ts";
import { BotBrain } from "./brain.ts";
import type { Strategy } from "./strategy.ts";

export interface WsBotOptions {
  url: string;
  name: string;
  strategy: Strategy;
  thinkMs: () => number;
  /** Called for every server message after the brain has seen it, with the frame's size in bytes. */
  onMessage?: (msg: ServerMessage, bot: WsBot, bytes: number) => void;
}

/**
 * A bot over a real WebSocket: the same brain as an in-process bot seat, speaking the public
 * protocol exactly as the browser does. Calling connect() again after a drop resumes the same seat (same token).
 */
export class WsBot {
  readonly brain: BotBrain;
  ws: WebSocket | null = null;
  token: string | null = null;
  playerId: string | null = null;
  tableId: string | null = null;
  #stopped = false;

  constructor(private readonly options: WsBotOptions) {
    this.brain = new BotBrain({ strategy: options.strategy, thinkMs: options.thinkMs, send: (m) => this.send(m) });
  }

  /** Open the socket and say hello; resolves on welcome. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.options.url, { perMessageDeflate: false });
      this.ws = ws;
      ws.on("error", (err) => reject(err));
      ws.on("open", () => this.send({ type: "hello", v: PROTOCOL_VERSION, name: this.options.name, token: this.token ?? undefined }));
      ws.on("message", (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as ServerMessage;
        if (msg.type === "welcome") {
          this.token = msg.token;
          this.playerId = msg.playerId;
          resolve();
        }
        if (msg.type === "joined") this.tableId = msg.tableId;
        this.brain.receive(msg);
        this.options.onMessage?.(msg, this, data.length);
      });
    });
  }

  send(msg: ClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  close(): void {
    this.#stopped = true;
    this.brain.stop();
    this.ws?.close();
  }

  get stopped(): boolean {
    return this.#stopped;
  }
}
