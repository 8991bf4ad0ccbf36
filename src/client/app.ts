// The controller: owns the app state, the connection and the pacing queue, and turns server
// messages and user intents into new state. Views only read the state and call these methods.
import type {
  ServerMessage,
  SnapshotMessage,
  Emote,
  TableSettingsInput,
  TableSummary,
  WelcomeMessage,
} from "../protocol/messages.ts";
import { ErrorCode } from "../protocol/codes.ts";
import type { Card } from "../rules/types.ts";
import { checkPlay, legalActions } from "../rules/index.ts";
import { Connection, type ConnState } from "./connection.ts";
import { hintOrder } from "./hints.ts";
import { errorText, hasErrorText } from "./i18n/errors.ts";
import { isLang, pickLang, setLang, t as tr, type Lang } from "./i18n/index.ts";
import { Pacer } from "./pacer.ts";
import { Sound, soundOfEvent } from "./sound.ts";
import { isRematchMessage, rematchState } from "./rematch.ts";
import { load, loadSession, save, saveSession } from "./storage.ts";
import {
  applyTableMessage,
  fromSnapshot,
  handOf,
  isPlayerView,
  type TableMessage,
  type TableModel,
} from "./table-model.ts";

export type SortBy = "rank" | "suit";
export type Panel = "chat" | "log" | "help" | null;
export type View = "name" | "lobby" | "table";

export interface Toast {
  id: number;
  text: string;
  kind: "error" | "info";
}

export interface QuickState {
  waiting: number;
  waitedMs: number;
  botsInMs: number;
  /** When the last status arrived (Date.now clock), to keep counting between updates. */
  at: number;
}

export interface UiState {
  selected: Card[];
  /** Index of the keyboard-focused card in the sorted hand. */
  focus: number;
  sort: SortBy;
  /** Next legal play the Hint button shows, and the table moment it belongs to. */
  hint: { index: number; key: string } | null;
  panel: Panel;
  /** A play or pass is on its way to the server. */
  pending: { id: number; kind: "play" | "pass" } | null;
  readySent: boolean;
  unread: number;
  createOpen: boolean;
  confirmLeave: boolean;
  /** A word for the line under the hand that outlives nothing but the next change (e.g. "nothing beats"). */
  note: string | null;
}

export interface AppState {
  name: string | null;
  lang: Lang;
  /** Sounds off (remembered). */
  muted: boolean;
  playerId: string | null;
  conn: ConnState;
  view: View;
  lobby: { tables: TableSummary[]; loaded: boolean };
  quick: QuickState | null;
  table: TableModel | null;
  ui: UiState;
  toasts: Toast[];
  /** What the page was opened for (?join= / ?watch=), done once we have a session. */
  intent: { kind: "join" | "watch"; ref: string } | null;
  /** A request is on its way (creating a table, joining...), to disable its button. */
  busy: string | null;
}

type Listener = (s: AppState) => void;

interface Pending {
  kind: "join-code" | "join-id" | "watch-id" | "watch-code" | "create" | "rejoin" | "other";
  ref?: string;
}

export interface AppOptions {
  wsUrl: string;
  /** Multiplies every pacing hold (e2e tests run with a small factor). */
  pace?: number;
}

export const MAX_NAME = 24;

export class App {
  state: AppState;
  readonly conn: Connection;
  readonly sound: Sound;
  private readonly pacer: Pacer<{ msg: TableMessage; at: number }>;
  private listeners: Listener[] = [];
  private requests = new Map<number, Pending>();
  private toastSeq = 1;
  private leaveTimer: ReturnType<typeof setTimeout> | null = null;
  private snapshotTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(opts: AppOptions) {
    const name = load("name");
    const sort = load("sort") === "suit" ? "suit" : "rank";
    const stored = load("lang");
    const lang = isLang(stored) ? stored : pickLang(typeof navigator === "undefined" ? [] : navigator.languages ?? [navigator.language]);
    setLang(lang);
    this.state = {
      name,
      lang,
      muted: load("muted") === "1",
      playerId: null,
      conn: { phase: "connecting", attempt: 0, retryAt: null, reason: null, everOpen: false },
      view: name ? "lobby" : "name",
      lobby: { tables: [], loaded: false },
      quick: null,
      table: null,
      ui: {
        selected: [],
        focus: 0,
        sort,
        hint: null,
        panel: null,
        pending: null,
        readySent: false,
        unread: 0,
        createOpen: false,
        confirmLeave: false,
        note: null,
      },
      toasts: [],
      intent: readIntent(),
      busy: null,
    };
    this.sound = new Sound({ muted: () => this.state.muted });
    this.pacer = new Pacer({
      draw: (item) => this.draw(item.msg, item.at),
      factor: opts.pace ?? 1,
      hidden: () => typeof document !== "undefined" && document.visibilityState === "hidden",
      arrivedAt: (item) => item.at,
      maxLagMs: 1200 * (opts.pace ?? 1),
    });
    this.conn = new Connection({
      url: opts.wsUrl,
      hello: () => {
        const token = load("token");
        return token ? { name: this.state.name ?? "Player", token } : { name: this.state.name ?? "Player" };
      },
      onWelcome: (m) => this.onWelcome(m),
      onMessage: (m) => this.onMessage(m),
      onState: (conn) => this.set({ conn }),
    });
  }

  subscribe(fn: Listener): void {
    this.listeners.push(fn);
  }

  start(): void {
    if (this.state.name) this.conn.start();
  }

  // ------------------------------------------------------------------ state plumbing

  private set(patch: Partial<AppState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn(this.state);
  }

  private setUi(patch: Partial<UiState>): void {
    this.set({ ui: { ...this.state.ui, ...patch } });
  }

  toast(text: string, kind: Toast["kind"] = "error"): void {
    const id = this.toastSeq++;
    this.set({ toasts: [...this.state.toasts.slice(-3), { id, text, kind }] });
    setTimeout(() => this.dismissToast(id), kind === "error" ? 5000 : 3500);
  }

  dismissToast(id: number): void {
    if (this.state.toasts.some((t) => t.id === id)) this.set({ toasts: this.state.toasts.filter((t) => t.id !== id) });
  }

  private request(msg: Parameters<Connection["send"]>[0], pending: Pending = { kind: "other" }): number | null {
    const id = this.conn.send(msg);
    if (id === null) {
      this.toast(tr("toast.notConnected"));
      return null;
    }
    this.requests.set(id, pending);
    return id;
  }

  // ------------------------------------------------------------------ name and session

  setName(raw: string): void {
    const name = raw.trim().replace(/\s+/g, " ").slice(0, MAX_NAME);
    if (!name) return;
    const first = this.state.name === null;
    save("name", name);
    this.set({ name, view: this.state.table ? "table" : "lobby" });
    if (first && this.state.conn.phase !== "open") this.conn.start();
    else this.conn.reconnectNow();
  }

  editName(): void {
    this.set({ view: "name" });
  }

  cancelEditName(): void {
    if (this.state.name) this.set({ view: this.state.table ? "table" : "lobby" });
  }

  private onWelcome(m: WelcomeMessage): void {
    save("token", m.token);
    if (m.name !== this.state.name) save("name", m.name);
    const was = this.state.table;
    this.set({ playerId: m.playerId, name: m.name, busy: null });
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
    if (m.tableId !== null) {
      // The server sends the table's snapshot right after; the view switches on it.
      if (this.state.intent) {
        this.set({ intent: null });
        clearIntentFromUrl();
        this.toast(tr("toast.stillSeated"), "info");
      }
      // If the seat went away meanwhile (a table that had not started frees the seat of a
      // socket that closed), no snapshot comes: carry on as a player without a table.
      this.snapshotTimer = setTimeout(() => {
        this.snapshotTimer = null;
        if (!this.state.table || this.state.table.tableId !== m.tableId) this.afterWelcome(this.state.table);
      }, 2500);
      return;
    }
    this.afterWelcome(was);
  }

  /** A session without a table: back to what the player was doing, or what the link asked for. */
  private afterWelcome(was: TableModel | null): void {
    if (was && was.seat === null && this.state.view === "table") {
      this.request({ type: "table.watch", tableId: was.tableId }, { kind: "watch-id", ref: was.tableId });
      return;
    }
    if (was && was.seat !== null && was.status !== "over") {
      this.toast(tr("toast.noLonger"), "info");
    }
    if (was && was.status !== "over") this.toLobby();
    else if (this.state.view === "lobby") this.request({ type: "lobby.subscribe" });
    if (this.state.intent) {
      const { kind, ref } = this.state.intent;
      this.set({ intent: null });
      clearIntentFromUrl();
      if (kind === "join") this.joinByRef(ref);
      else this.watch(ref);
    } else if (!was) {
      // The server frees a seat at a table that has not started when its socket goes, so a
      // reload while waiting for friends would lose the table: take the seat again.
      const last = loadSession("table");
      if (last) this.request({ type: "table.join", tableId: last }, { kind: "rejoin" });
    }
    if (this.state.quick) this.request({ type: "quick.join" });
  }

  private toLobby(): void {
    saveSession("table", null);
    this.pacer.reset();
    this.set({ table: null, view: this.state.view === "name" ? "name" : "lobby", busy: null });
    this.setUi({ selected: [], pending: null, readySent: false, panel: null, unread: 0, confirmLeave: false });
    if (this.conn.isOpen) this.request({ type: "lobby.subscribe" });
  }

  // ------------------------------------------------------------------ lobby actions

  playBots(): void {
    const name = this.state.name ?? "Player";
    this.createTable({ name: tr("lobby.botsTable", { name }).slice(0, 40), seats: 4, bots: 3, private: true, botLevel: "normal" });
  }

  createTable(settings: TableSettingsInput): void {
    if (this.request({ type: "table.create", settings }, { kind: "create" }) !== null) {
      this.set({ busy: "create" });
      this.setUi({ createOpen: false });
    }
  }

  openCreate(open: boolean): void {
    this.setUi({ createOpen: open });
  }

  joinTable(tableId: string): void {
    if (this.request({ type: "table.join", tableId }, { kind: "join-id", ref: tableId }) !== null) this.set({ busy: "join" });
  }

  /** An invite code or a table id, as typed or from a link. */
  joinByRef(raw: string): void {
    const ref = raw.trim();
    if (!ref) return;
    const id =
      ref.length <= 16
        ? this.request({ type: "table.join", code: ref }, { kind: "join-code", ref })
        : this.request({ type: "table.join", tableId: ref }, { kind: "join-id", ref });
    if (id !== null) this.set({ busy: "join" });
  }

  watch(ref: string): void {
    this.request({ type: "table.watch", tableId: ref }, { kind: "watch-id", ref });
  }

  quickJoin(): void {
    if (this.request({ type: "quick.join" }) !== null) {
      this.set({ quick: { waiting: 1, waitedMs: 0, botsInMs: 0, at: Date.now() } });
    }
  }

  quickLeave(): void {
    this.request({ type: "quick.leave" });
    this.set({ quick: null });
  }

  leaveTable(): void {
    const t = this.state.table;
    if (!t) return;
    const playing = t.seat !== null && t.status === "playing";
    if (playing && !this.state.ui.confirmLeave) {
      this.setUi({ confirmLeave: true });
      if (this.leaveTimer) clearTimeout(this.leaveTimer);
      this.leaveTimer = setTimeout(() => this.setUi({ confirmLeave: false }), 4000);
      return;
    }
    if (this.conn.isOpen) this.request({ type: "table.leave" });
    this.toLobby();
  }

  // ------------------------------------------------------------------ preferences

  setLanguage(lang: Lang): void {
    save("lang", lang);
    setLang(lang);
    this.set({ lang });
  }

  setMuted(muted: boolean): void {
    save("muted", muted ? "1" : null);
    this.set({ muted });
  }

  // ------------------------------------------------------------------ table actions

  setSort(sort: SortBy): void {
    save("sort", sort);
    this.setUi({ sort, focus: 0 });
  }

  toggleCard(card: Card): void {
    const sel = this.state.ui.selected;
    this.setUi({ selected: sel.includes(card) ? sel.filter((c) => c !== card) : [...sel, card], note: null });
  }

  /** Select or unselect one card (a drag across the hand). */
  setCard(card: Card, on: boolean): void {
    const sel = this.state.ui.selected;
    if (sel.includes(card) === on) return;
    this.setUi({ selected: on ? [...sel, card] : sel.filter((c) => c !== card), note: null });
  }

  setSelected(cards: Card[]): void {
    this.setUi({ selected: cards, note: null });
  }

  setFocus(index: number): void {
    this.setUi({ focus: index });
  }

  clearSelection(): void {
    this.setUi({ selected: [], hint: null, note: null });
  }

  /** Select the next legal play (the engine's list, cycled). */
  hint(): void {
    const t = this.state.table;
    if (!t || !isPlayerView(t.deal)) return;
    const plays = hintOrder(legalActions(t.deal).plays);
    if (plays.length === 0) {
      this.setUi({ selected: [], hint: null, note: tr("hint.nothing") });
      return;
    }
    const key = `${t.dealNo}:${t.deal.history.length}`;
    const prev = this.state.ui.hint;
    const index = prev && prev.key === key ? (prev.index + 1) % plays.length : 0;
    this.setUi({ selected: plays[index].cards.slice(), hint: { index, key } });
  }

  canPlay(): boolean {
    const t = this.state.table;
    if (!t || !isPlayerView(t.deal) || this.state.ui.pending || this.pacer.backlog > 0 || !this.conn.isOpen) return false;
    if (t.deal.turn !== t.deal.seat || this.state.ui.selected.length === 0) return false;
    return checkPlay(t.deal, this.state.ui.selected).ok;
  }

  canPass(): boolean {
    const t = this.state.table;
    if (!t || !isPlayerView(t.deal) || this.state.ui.pending || this.pacer.backlog > 0 || !this.conn.isOpen) return false;
    if (t.deal.turn !== t.deal.seat) return false;
    return legalActions(t.deal).canPass;
  }

  play(): void {
    // The rules engine decides locally; an illegal selection never reaches the wire.
    if (!this.canPlay()) return;
    const cards = this.state.ui.selected.slice();
    const id = this.request({ type: "play", cards });
    if (id !== null) this.setUi({ pending: { id, kind: "play" } });
  }

  pass(): void {
    if (!this.canPass()) return;
    const id = this.request({ type: "pass" });
    if (id !== null) this.setUi({ pending: { id, kind: "pass" }, selected: [] });
  }

  /** Answer the rematch offer: yes keeps the seat for a new match; no goes back to the lobby (the server sends `left`). */
  rematch(answer: boolean): void {
    const t = this.state.table;
    if (!t?.rematch || t.rematch.outcome !== null) return;
    // `rematch` joins the protocol's client messages with the records work (docs/protocol.md).
    if (this.conn.send({ type: "rematch", answer } as unknown as Parameters<Connection["send"]>[0]) === null) {
      this.toast(tr("toast.notConnected"));
      return;
    }
    if (!answer) this.toLobby();
  }

  ready(): void {
    if (this.request({ type: "ready" }) !== null) this.setUi({ readySent: true });
  }

  chat(text: string): boolean {
    const t = text.trim();
    if (!t) return false;
    return this.request({ type: "chat", text: t.slice(0, 1000) }) !== null;
  }

  react(emote: Emote): void {
    this.request({ type: "react", emote });
  }

  setPanel(panel: Panel): void {
    const next = this.state.ui.panel === panel ? null : panel;
    this.setUi({ panel: next, unread: next === "chat" ? 0 : this.state.ui.unread });
  }

  retryNow(): void {
    this.conn.reconnectNow();
  }

  // ------------------------------------------------------------------ server messages

  private onMessage(m: ServerMessage): void {
    const raw: unknown = m;
    if (isRematchMessage(raw)) {
      // Shown at once beside the match-end screen (not paced): its countdown is running.
      const t = this.state.table;
      if (t && t.tableId === raw.tableId) this.set({ table: { ...t, seq: Math.max(t.seq, raw.seq), rematch: rematchState(raw, Date.now()) } });
      return;
    }
    switch (m.type) {
      case "error":
        this.onError(m.code, typeof m.id === "number" ? m.id : null);
        return;
      case "ack":
      case "welcome":
        if (typeof m.id === "number") this.requests.delete(m.id);
        return;
      case "lobby.list":
        if (typeof m.id === "number") this.requests.delete(m.id);
        this.set({ lobby: { tables: m.tables, loaded: true } });
        return;
      case "lobby.table": {
        const tables = this.state.lobby.tables.filter((t) => t.tableId !== m.table.tableId);
        const at = this.state.lobby.tables.findIndex((t) => t.tableId === m.table.tableId);
        if (at >= 0) tables.splice(at, 0, m.table);
        else tables.push(m.table);
        this.set({ lobby: { ...this.state.lobby, tables } });
        return;
      }
      case "lobby.remove":
        this.set({ lobby: { ...this.state.lobby, tables: this.state.lobby.tables.filter((t) => t.tableId !== m.tableId) } });
        return;
      case "quick.status":
        this.set({ quick: { waiting: m.waiting, waitedMs: m.waitedMs, botsInMs: m.botsInMs, at: Date.now() } });
        return;
      case "joined":
        if (typeof m.id === "number") this.requests.delete(m.id);
        this.set({ quick: null, busy: null });
        if (this.state.view === "lobby") this.request({ type: "lobby.unsubscribe" });
        return;
      case "left":
        if (typeof m.id === "number") this.requests.delete(m.id);
        if (this.state.table && this.state.table.tableId === m.tableId) this.toLobby();
        return;
      case "shutdown":
        // The connection banner says it (in the player's language); a toast would repeat it.
        return;
      case "snapshot":
        this.onSnapshot(m);
        return;
      case "chat":
      case "seat":
      case "reaction":
      case "watchers":
        // Not part of the play-by-play: shown at once, beside whatever the queue is drawing.
        if (this.state.table) {
          const table = applyTableMessage(this.state.table, m, Date.now());
          const unread =
            m.type === "chat" && this.state.ui.panel !== "chat" ? this.state.ui.unread + 1 : this.state.ui.unread;
          this.set({ table });
          if (unread !== this.state.ui.unread) this.setUi({ unread });
        }
        return;
      case "closed":
        this.pacer.flush();
        if (this.state.table && this.state.table.tableId === m.tableId) {
          this.toast(errorTextOr(m.code, "toast.closed"), "info");
          this.toLobby();
        }
        return;
      case "deal":
      case "play":
      case "dealEnd":
      case "matchEnd": {
        const item = { msg: m, at: Date.now() };
        const mine =
          m.type === "play" && this.state.table?.seat === m.event.seat && !m.event.auto && this.state.ui.pending !== null;
        if (mine) this.pacer.now(item);
        else this.pacer.push(item);
        return;
      }
    }
  }

  private onSnapshot(m: SnapshotMessage): void {
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
    this.pacer.reset();
    const prev = this.state.table;
    const same = prev !== null && prev.tableId === m.tableId;
    const table = fromSnapshot(m, Date.now(), same ? prev.chat : [], same ? prev.reactions : []);
    saveSession("table", m.seat !== null && m.status !== "over" ? m.tableId : null);
    const keepUi = prev !== null && prev.tableId === m.tableId && prev.dealNo === m.dealNo;
    const hand = handOf(table);
    this.set({ table, view: this.state.view === "name" ? "name" : "table", quick: null, busy: null });
    this.setUi({
      selected: keepUi ? this.state.ui.selected.filter((c) => hand.includes(c)) : [],
      pending: null,
      readySent: keepUi ? this.state.ui.readySent : false,
      createOpen: false,
      confirmLeave: false,
      focus: Math.min(this.state.ui.focus, Math.max(0, hand.length - 1)),
    });
  }

  /** Draw one paced table message; returns how long it holds the screen (ms). */
  private draw(msg: TableMessage, at: number): number {
    const prev = this.state.table;
    if (!prev) return 0;
    const table = applyTableMessage(prev, msg, at);
    this.set({ table });
    if (this.state.ui.note) this.setUi({ note: null });
    switch (msg.type) {
      case "deal":
        this.setUi({ selected: [], pending: null, readySent: false, hint: null, focus: 0 });
        if (myTurnIn(table)) this.sound.play("turn");
        return 500;
      case "play": {
        const ev = msg.event;
        this.sound.play(soundOfEvent(ev));
        if (myTurnIn(table)) this.sound.play("turn");
        if (ev.seat === table.seat) {
          const hand = handOf(table);
          this.setUi({
            pending: null,
            selected: this.state.ui.selected.filter((c) => hand.includes(c)),
            hint: null,
            focus: Math.min(this.state.ui.focus, Math.max(0, hand.length - 1)),
          });
          return 350;
        }
        if (ev.type === "pass") return 550;
        return table.deal && table.deal.winner !== null ? 1200 : 900;
      }
      case "dealEnd":
        if (table.seat !== null && msg.result.winner === table.seat) this.sound.play("win");
        return 300;
      default:
        return 0;
    }
  }

  private onError(code: string, id: number | null): void {
    const req = id !== null ? this.requests.get(id) : undefined;
    if (id !== null) this.requests.delete(id);
    if (id !== null && this.state.ui.pending?.id === id) this.setUi({ pending: null });
    this.set({ busy: null });
    if (req?.kind === "rejoin") {
      saveSession("table", null);
      return;
    }
    // The banner explains these (the socket closes right after).
    if (code === ErrorCode.Replaced || code === ErrorCode.Version) return;
    // A link or code can name either an invite code or a table id; try the other before giving up.
    if (code === ErrorCode.TableNotFound && req?.ref) {
      if (req.kind === "join-code") {
        this.request({ type: "table.join", tableId: req.ref }, { kind: "join-id" });
        return;
      }
      if (req.kind === "watch-id" && req.ref.length <= 16) {
        this.request({ type: "table.watch", code: req.ref }, { kind: "watch-code" });
        return;
      }
    }
    if (code === ErrorCode.AlreadySeated && this.state.table) {
      this.set({ view: "table" });
      return;
    }
    this.toast(errorText(code));
  }
}

function errorTextOr(code: string, fallback: "toast.closed"): string {
  return code === ErrorCode.TableClosed || !hasErrorText(code) ? tr(fallback) : errorText(code);
}

function myTurnIn(t: TableModel): boolean {
  const d = t.deal;
  return isPlayerView(d) && d.winner === null && d.turn === d.seat && t.status === "playing";
}

function readIntent(): AppState["intent"] {
  if (typeof location === "undefined") return null;
  const q = new URLSearchParams(location.search);
  const join = q.get("join");
  if (join) return { kind: "join", ref: join };
  const watch = q.get("watch");
  if (watch) return { kind: "watch", ref: watch };
  return null;
}

function clearIntentFromUrl(): void {
  const url = new URL(location.href);
  url.searchParams.delete("join");
  url.searchParams.delete("watch");
  history.replaceState(null, "", url.pathname + url.search + url.hash);
}

export function inviteLink(code: string): string {
  return `${location.origin}/?join=${encodeURIComponent(code)}`;
}

export function watchLink(ref: string): string {
  return `${location.origin}/?watch=${encodeURIComponent(ref)}`;
}
