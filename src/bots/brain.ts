import { applyEvent, createRng, legalActions, resolveVariant, type DealEvent, type PlayerView, type Rng, type Variant } from "../rules/index.ts";
import type { ClientMessage, ServerMessage } from "../protocol/index.ts";
import type { AsyncStrategy, BotAction } from "./strategy.ts";

export interface BrainOptions {
  /** May answer later (a search on a worker thread): the answer is sent only if still current. */
  strategy: AsyncStrategy;
  /** Think time in ms before each action; a function for a human-like spread. */
  thinkMs: () => number;
  send: (msg: ClientMessage) => void;
  seed?: string;
  /** Schedules `fn` after `ms`; returns a cancel function. Injected so tests can drive time. */
  schedule?: (fn: () => void, ms: number) => () => void;
}

export interface BrainStats {
  actions: number;
  errors: number;
  deals: number;
  matchOver: boolean;
  lastError: string | null;
}

/** How long to wait before repeating a message the server's rate limit dropped. */
const RATE_RETRY_MS = 250;
/** How long to wait before making again a move the table could not save (its store was unreachable). */
const LOG_RETRY_MS = 500;
const LOG_RETRY_MAX_MS = 8000;

const defaultSchedule = (fn: () => void, ms: number) => {
  if (ms <= 0) {
    const h = setImmediate(fn);
    return () => clearImmediate(h);
  }
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/**
 * The brain's own copy of a view that arrived in a message: the message may be shared (an
 * in-process bot reads the table's frames), and `fold` appends to these two arrays. Its variant
 * is the engine's resolved (frozen) one, which the rules look up at once; a variant parsed from
 * JSON is compared field by field on every lookup, several times per decision.
 */
function own(view: PlayerView): PlayerView {
  return { ...view, variant: resolved(view.variant), history: view.history.slice(), played: view.played.slice() };
}

/** The engine's copy of `variant`, or `variant` as it came if this engine does not know it all. */
function resolved(variant: Variant): Variant {
  try {
    return resolveVariant(variant);
  } catch {
    return variant;
  }
}

/**
 * The next view. The brain's view is its own (see `own`) and the view before an event is dropped,
 * so the event is appended to the view's `history` and `played` in place rather than copied into
 * two new arrays as long as the deal so far, for each of a bot's views, on every event.
 */
function fold(view: PlayerView, event: DealEvent): PlayerView {
  const { history, played } = view;
  history.push(event);
  if (event.type === "play") for (const card of event.combo.cards) played.push(card);
  return applyEvent(view, event, { history, played });
}

/**
 * The part of a bot that is the same in-process and over a WebSocket: it follows the server's
 * messages, keeps its own view by folding events into it (as any client does) and, on its turn,
 * asks its strategy what to do. It never sees more than its own view.
 */
export class BotBrain {
  view: PlayerView | null = null;
  seat: number | null = null;
  readonly stats: BrainStats = { actions: 0, errors: 0, deals: 0, matchOver: false, lastError: null };
  #rng: Rng;
  #fellBack = false;
  #betweenDeals = false;
  #cancel: (() => void) | null = null;
  /** The strategy's answer being waited for; `stop` or a newer decision clears it, and it is dropped. */
  #asking: object | null = null;
  /** The move sent and the turn it was for (the deal's length then): what is said again after a refusal to save it. */
  #sent: { turnKey: number; msg: ClientMessage } | null = null;
  /** Moves in a row the table could not save: the next try waits longer. */
  #unsaved = 0;
  /** `stop` cancelled a pending move, which `resume` may think about again. */
  #held = false;
  readonly #schedule: NonNullable<BrainOptions["schedule"]>;

  constructor(private readonly options: BrainOptions) {
    this.#rng = createRng(options.seed ?? globalThis.crypto.randomUUID());
    this.#schedule = options.schedule ?? defaultSchedule;
  }

  receive(msg: ServerMessage): void {
    switch (msg.type) {
      case "snapshot":
        this.seat = msg.seat;
        this.view = msg.seat !== null && msg.deal && "hand" in msg.deal ? own(msg.deal as PlayerView) : null;
        // A snapshot may come after a missed `deal` or `dealEnd` (a reconnect): it says where we are.
        this.#betweenDeals = msg.status === "between" && this.seat !== null;
        if (this.#betweenDeals) this.options.send({ type: "ready" });
        break;
      case "deal":
        this.#betweenDeals = false;
        this.stats.deals++;
        this.view = "hand" in msg.deal ? own(msg.deal as PlayerView) : null;
        break;
      case "play":
        if (this.view) this.view = fold(this.view, msg.event);
        this.#unsaved = 0;
        break;
      case "dealEnd":
        this.view = null;
        this.#betweenDeals = msg.nextInMs !== null;
        if (this.#betweenDeals) this.options.send({ type: "ready" });
        break;
      case "matchEnd":
        this.stats.matchOver = true;
        this.view = null;
        break;
      case "error":
        if (msg.code === "rate/limited" || msg.code === "table/log-unavailable") {
          // The server dropped our last message unread, or could not save the move yet and
          // changed nothing: say the same thing again a little later (a store that stays down is
          // asked less and less often). A bot that gave up here would stall a table with no turn
          // clock for good.
          const ms = msg.code === "rate/limited" ? RATE_RETRY_MS : Math.min(LOG_RETRY_MAX_MS, LOG_RETRY_MS * 2 ** this.#unsaved++);
          this.#cancel?.();
          this.#asking = null;
          this.#cancel = this.#schedule(() => {
            this.#cancel = null;
            this.#again();
          }, ms);
          return;
        }
        this.stats.errors++;
        this.stats.lastError = `${msg.code}: ${msg.message}`;
        // A refused move must not stall the table: answer with the safest legal move instead.
        if (this.view && this.view.turn === this.view.seat && this.view.winner === null && !this.#fellBack) {
          this.#fellBack = true;
          this.#asking = null;
          const { canPass, plays } = legalActions(this.view);
          this.options.send(canPass ? { type: "pass" } : { type: "play", cards: plays[0].cards });
        }
        return;
      default:
        return;
    }
    this.#consider();
  }

  stop(): void {
    if (this.#cancel || this.#asking) this.#held = true;
    this.#cancel?.();
    this.#cancel = null;
    this.#asking = null;
  }

  /**
   * Think again, with the current think time, about a move that is pending or that `stop`
   * cancelled. A move already sent is not made again, even before the server's echo arrives.
   * Between deals, what can be pending is a 'ready' the rate limit dropped: it is sent now.
   */
  resume(): void {
    if (this.#cancel === null && this.#asking === null && !this.#held) return;
    this.#cancel?.();
    this.#cancel = null;
    this.#asking = null;
    this.#held = false;
    this.#again();
  }

  /**
   * Say again what may be pending: 'ready' between deals; else the very move sent for this turn,
   * if one was (the strategy is not asked again: it might choose another); else think about it.
   */
  #again(): void {
    if (this.#betweenDeals) return this.options.send({ type: "ready" });
    const view = this.view;
    const sent = this.#sent;
    if (sent && view && view.history.length === sent.turnKey && view.turn === view.seat && view.winner === null) return this.options.send(sent.msg);
    this.#consider();
  }

  #consider(): void {
    this.#cancel?.();
    this.#cancel = null;
    this.#asking = null;
    this.#held = false;
    const view = this.view;
    if (!view || view.winner !== null || view.turn !== view.seat) return;
    const turnKey = view.history.length;
    this.#cancel = this.#schedule(() => {
      this.#cancel = null;
      // The deal may have moved on while we thought (the clock acted, or a snapshot arrived).
      const now = this.view;
      if (!now || now.history.length !== turnKey || now.turn !== now.seat || now.winner !== null) return;
      this.#fellBack = false;
      let action: BotAction | Promise<BotAction>;
      try {
        action = this.options.strategy(now, this.#rng);
      } catch (error) {
        action = this.#strategyFailed(now, error);
      }
      if (!(action instanceof Promise)) return this.#act(action);
      const asking = {};
      this.#asking = asking;
      action
        .then(
          (a) => this.#answered(asking, turnKey, a),
          (error: unknown) => {
            if (this.#asking === asking) this.#answered(asking, turnKey, this.#strategyFailed(this.view ?? now, error));
          },
        )
        .catch((error: unknown) => {
          // Sending failed (a closed socket, say): counted, never an unhandled rejection.
          this.stats.errors++;
          this.stats.lastError = `send failed: ${(error as Error).message}`;
        });
    }, this.options.thinkMs());
  }

  /** An answer that came later: sent only if nothing newer was asked and the deal is where it was. */
  #answered(asking: object, turnKey: number, action: BotAction): void {
    if (this.#asking !== asking) return;
    this.#asking = null;
    const now = this.view;
    if (!now || now.history.length !== turnKey || now.turn !== now.seat || now.winner !== null) return;
    this.#act(action);
  }

  /** A strategy bug must not take the process (and every other table) down with it: the safest legal move. */
  #strategyFailed(view: PlayerView, error: unknown): BotAction {
    this.stats.errors++;
    this.stats.lastError = `strategy failed: ${(error as Error).message}`;
    const { canPass, plays } = legalActions(view);
    return canPass ? { type: "pass" } : { type: "play", cards: plays[0].cards };
  }

  #act(action: BotAction): void {
    this.stats.actions++;
    const msg: ClientMessage = action.type === "play" ? { type: "play", cards: action.cards } : { type: "pass" };
    this.#sent = { turnKey: this.view?.history.length ?? -1, msg };
    this.options.send(msg);
  }
}
