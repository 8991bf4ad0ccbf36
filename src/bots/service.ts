// The bot service: bots off the game node. It keeps one control socket to the server, says
// service.hello with the shared secret, and answers each service.seat request ("a bot of level L
// at table T, seat S, ticket K") by opening an ordinary player connection that joins with the
// ticket. The bots are the same WsBot a person could run: they see only their own view.
import WebSocket from "ws";
import { PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from "../protocol/index.ts";
import { strategyFor } from "./strategies/index.ts";
import { DEFAULT_SEARCH } from "./strategies/search.ts";
import { WsBot } from "./ws-bot.ts";

export interface BotServiceOptions {
  /** The server's WebSocket URL, e.g. ws://127.0.0.1:8080/ws. */
  url: string;
  /** The server's BOT_SERVICE_SECRET. */
  secret: string;
  name?: string;
  /** Search budget per decision of hard bots, ms. */
  budgetMs?: number;
  /** Think time before each action, ms. */
  thinkMs?: () => number;
  /** Retry the control socket after this long when it drops (0: do not retry). */
  reconnectMs?: number;
  log?: (line: string) => void;
}

type SeatRequest = Extract<ServerMessage, { type: "service.seat" }>;

export interface ServiceStats {
  requests: number;
  seated: number;
  failed: number;
  finished: number;
}

export class BotService {
  readonly stats: ServiceStats = { requests: 0, seated: 0, failed: 0, finished: 0 };
  /** Bots playing now. */
  readonly bots = new Set<WsBot>();
  #ws: WebSocket | null = null;
  #stopped = false;
  #retry: NodeJS.Timeout | null = null;
  /** Where the control socket goes: the URL given, or another live node once that one is lost. */
  #url: string;
  /** The cluster's live nodes (socket URLs), as our bots' welcomes name them. */
  #nodes: string[] = [];
  readonly #log: (line: string) => void;

  constructor(private readonly options: BotServiceOptions) {
    this.#log = options.log ?? (() => {});
    this.#url = options.url;
  }

  /** Open the control socket; resolves on service.welcome, rejects if the server refuses. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      let welcomed = false;
      const ws = new WebSocket(this.#url, { perMessageDeflate: false });
      this.#ws = ws;
      const send = (msg: ClientMessage) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(msg));
      ws.on("open", () => send({ type: "service.hello", v: PROTOCOL_VERSION, secret: this.options.secret, name: this.options.name ?? "bot-service" }));
      ws.on("error", (err) => {
        if (!welcomed) reject(err);
        else this.#log(`control socket error: ${err.message}`);
      });
      ws.on("message", (data) => {
        const msg = JSON.parse(data.toString()) as ServerMessage;
        if (msg.type === "service.welcome") {
          welcomed = true;
          this.#log(`connected to ${this.#url}`);
          resolve();
        } else if (msg.type === "error" && !welcomed) {
          reject(new Error(`${msg.code}: ${msg.message}`));
        } else if (msg.type === "service.seat") {
          void this.#seat(msg);
        }
      });
      ws.on("close", (code, reason) => {
        if (!welcomed) reject(new Error(`the server closed the control socket (${code} ${reason.toString()})`));
        if (this.#stopped) return;
        this.#log(`control socket closed (${code}); bots already seated play on`);
        const ms = this.options.reconnectMs ?? 2000;
        if (welcomed && ms > 0) this.#retry = setTimeout(() => this.#reconnect(ms), ms);
      });
    });
  }

  #reconnect(ms: number): void {
    this.#retry = null;
    if (this.#stopped) return;
    // In a cluster, a lost node may be gone for good: try the next live one.
    if (this.#nodes.length > 0) this.#url = this.#nodes[(this.#nodes.indexOf(this.#url) + 1) % this.#nodes.length];
    this.connect().catch((e: unknown) => {
      this.#log(`reconnect failed: ${(e as Error).message}; retrying in ${ms} ms`);
      if (!this.#stopped) this.#retry = setTimeout(() => this.#reconnect(Math.min(ms * 2, 30000)), ms);
    });
  }

  async #seat(req: SeatRequest): Promise<void> {
    this.stats.requests++;
    const strategy = strategyFor(req.level, { budgetMs: this.options.budgetMs ?? DEFAULT_SEARCH.budgetMs });
    const done = (bot: WsBot) => {
      if (!this.bots.delete(bot)) return;
      bot.close();
    };
    const bot = new WsBot({
      url: this.#url,
      // When the table's node dies, the bot finds the table's new owner through welcome.nodes.
      reconnectAttempts: 30,
      onGone: (reason) => {
        this.#log(`bot at table ${req.tableId} lost: ${reason}`);
        done(bot);
      },
      name: `${req.level} bot`,
      strategy,
      thinkMs: this.options.thinkMs ?? (() => 0),
      onMessage: (msg, b) => {
        if (msg.type === "welcome" && msg.nodes?.length) this.#nodes = b.nodes;
        // Back after a lost node, but seated nowhere (the new owner gave the seat to an in-process bot): done.
        if (msg.type === "welcome" && msg.tableId === null && b.moves.reconnects > 0) return done(b);
        if (msg.type === "joined" && msg.id === "seat") {
          this.stats.seated++;
          this.#log(`seated a ${req.level} bot at table ${req.tableId} seat ${req.seat}`);
        } else if (msg.type === "error" && msg.id === "seat") {
          this.stats.failed++;
          this.#log(`table ${req.tableId} refused the bot: ${msg.code}`);
          done(b);
        } else if (msg.type === "matchEnd" || msg.type === "closed") {
          this.stats.finished++;
          done(b);
        }
      },
    });
    this.bots.add(bot);
    try {
      await bot.connect();
      bot.send({ type: "table.join", id: "seat", tableId: req.tableId, ticket: req.ticket });
    } catch (e) {
      this.stats.failed++;
      this.#log(`could not connect a bot for table ${req.tableId}: ${(e as Error).message}`);
      done(bot);
    }
  }

  /** Close the control socket and every bot. */
  close(): void {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#ws?.close();
    for (const bot of this.bots) bot.close();
    this.bots.clear();
  }
}
