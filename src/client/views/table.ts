import { h, type ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { SeatInfo } from "../../protocol/messages.ts";
import type { Card, DealEvent, PlayerView, PublicView } from "../../rules/types.ts";
import { describeCombo, sortCards } from "../../rules/index.ts";
import { inviteLink, type App, type AppState } from "../app.ts";
import { selectionLine } from "../selection.ts";
import { currentTrick, isPlayerView, seatName, seatOrder, type TableModel } from "../table-model.ts";
import { CardBack, CardRow, HandCard } from "./cards.ts";
import { SecondsLeft, TurnBar, TurnRing } from "./clock.ts";
import { clockSummary, lengthSummary, rulesSummary, signed } from "./format.ts";
import { ResultPanel } from "./result.ts";
import { SidePanel } from "./side.ts";

type Pos = "bottom" | "right" | "top" | "left";
const POSITIONS: Record<number, Pos[]> = {
  2: ["bottom", "top"],
  3: ["bottom", "right", "left"],
  4: ["bottom", "right", "top", "left"],
};

export function TableScreen(props: { app: App; state: AppState }) {
  const { app, state } = props;
  const t = state.table as TableModel;
  const deal = t.deal;
  const seats = t.settings.seats;
  const order = seatOrder(seats, t.seat);
  const pos = POSITIONS[seats] ?? POSITIONS[4];
  const trick = deal ? currentTrick(deal) : null;
  const watching = t.seat === null;
  const view = isPlayerView(deal) ? deal : null;
  useKeyboard(app, state);

  return h(
    "main",
    { class: `table-screen seats-${seats}${state.ui.panel ? " panel-open" : ""}`, "data-testid": "table" },
    h(TableBar, { app, state, t }),
    h(
      "div",
      { class: "felt" },
      order.map((seat, i) =>
        i === 0 && !watching
          ? null
          : h(SeatBox, {
              key: seat,
              t,
              seat,
              pos: pos[i],
              info: t.players[seat],
              deal,
              last: trick ? trick.bySeat[seat] : null,
            }),
      ),
      h(Center, { t, deal, trick: trick?.events ?? [] }),
      t.result || t.matchEnd ? h(ResultPanel, { app, state, t }) : null,
      !deal && t.status === "waiting" ? h(WaitingPanel, { t }) : null,
    ),
    view ? h(MyArea, { app, state, t, view }) : watching ? h(WatchArea, { t }) : h(SeatedArea, { state, t }),
    state.ui.panel ? h(SidePanel, { app, state, t }) : null,
    h(Announcer, { t }),
  );
}

function TableBar(props: { app: App; state: AppState; t: TableModel }) {
  const { app, state, t } = props;
  const [inviteOpen, setInviteOpen] = useState(false);
  const dealText =
    t.dealNo > 0 ? (t.settings.deals !== null ? `Deal ${t.dealNo} of ${t.settings.deals}` : `Deal ${t.dealNo}`) : "Not started";
  return h(
    "header",
    { class: "table-bar" },
    h(
      "button",
      {
        type: "button",
        class: `btn small${state.ui.confirmLeave ? " danger" : " ghost"}`,
        onClick: () => app.leaveTable(),
        "data-testid": "leave",
      },
      state.ui.confirmLeave ? "Leave? A bot takes your seat" : "← Lobby",
    ),
    h(
      "div",
      { class: "table-title" },
      h("strong", null, t.settings.name),
      h(
        "span",
        { class: "muted" },
        [dealText, rulesSummary(t.settings.variant), clockSummary(t.settings.turnSeconds), lengthSummary(t.settings.deals, t.settings.lossLimit)].join(" · "),
      ),
    ),
    h(
      "div",
      { class: "bar-buttons" },
      // A practice table (in this browser alone) has nobody to invite.
      app.conn.isLocal
        ? null
        : h(
            "button",
            { type: "button", class: "btn small ghost", "aria-expanded": inviteOpen ? "true" : "false", onClick: () => setInviteOpen(!inviteOpen) },
            "Invite",
          ),
      h(
        "button",
        { type: "button", class: `btn small ghost${state.ui.panel === "log" ? " on" : ""}`, onClick: () => app.setPanel("log") },
        "Log",
      ),
      h(
        "button",
        { type: "button", class: `btn small ghost${state.ui.panel === "chat" ? " on" : ""}`, onClick: () => app.setPanel("chat"), "data-testid": "chat-toggle" },
        "Chat",
        state.ui.unread > 0 ? h("span", { class: "unread", "aria-label": `${state.ui.unread} unread` }, String(state.ui.unread)) : null,
      ),
    ),
    inviteOpen ? h("div", { class: "invite-pop panel" }, h(InviteBox, { t }), h("button", { type: "button", class: "btn small", onClick: () => setInviteOpen(false) }, "Close")) : null,
  );
}

export function InviteBox(props: { t: TableModel }) {
  const { t } = props;
  const [copied, setCopied] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const link = inviteLink(t.code ?? t.tableId);
  const watch = `${location.origin}/?watch=${encodeURIComponent(t.code ?? t.tableId)}`;
  const copy = async (text: string, what: string) => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      // No async clipboard outside secure contexts (plain http on a LAN address): fall back.
      const el = input.current;
      if (el) {
        el.value = text;
        el.select();
        ok = document.execCommand("copy");
        el.value = link;
      }
    }
    setCopied(ok ? what : "Select the link and copy it");
    setTimeout(() => setCopied(null), 2500);
  };
  return h(
    "div",
    { class: "invite", "data-testid": "invite" },
    h("div", { class: "label" }, t.settings.private ? "Private table: share this link to invite friends" : "Share this table"),
    t.code ? h("div", { class: "code" }, "Code ", h("strong", { "data-testid": "invite-code" }, t.code)) : null,
    h(
      "div",
      { class: "row" },
      h("input", {
        ref: input,
        class: "link",
        readOnly: true,
        value: link,
        "aria-label": "Invite link",
        "data-testid": "invite-link",
        onFocus: (e: Event) => (e.currentTarget as HTMLInputElement).select(),
      }),
      h("button", { type: "button", class: "btn small primary", onClick: () => copy(link, "Link copied") }, "Copy"),
    ),
    h("button", { type: "button", class: "btn small ghost", onClick: () => copy(watch, "Watch link copied") }, "Copy a link to watch"),
    copied ? h("div", { class: "copied", role: "status" }, copied) : null,
  );
}

function WaitingPanel(props: { t: TableModel }) {
  const { t } = props;
  const taken = t.players.filter((p) => p.name !== null).length;
  const fill = t.settings.fillWithBotsAfter;
  return h(
    "div",
    { class: "waiting panel", "data-testid": "waiting" },
    h("h2", null, `Waiting for players: ${taken} of ${t.settings.seats}`),
    h("p", { class: "muted" }, fill === null ? "The deal starts when every seat is taken." : `Bots take the empty seats after ${fill} s if nobody comes.`),
    h(InviteBox, { t }),
  );
}

function SeatBox(props: {
  t: TableModel;
  seat: number;
  pos: Pos;
  info: SeatInfo | undefined;
  deal: PlayerView | PublicView | null;
  last: DealEvent | null;
}) {
  const { t, seat, pos, info, deal, last } = props;
  const empty = !info || info.name === null;
  const name = empty ? "Empty seat" : (info.name ?? "");
  const count = deal ? deal.counts[seat] : null;
  const turn = deal !== null && deal.winner === null && deal.turn === seat && t.status === "playing";
  const offline = !empty && !info.connected && !info.bot;
  const total = t.totals[seat] ?? 0;
  const label = [
    name,
    info?.bot ? "bot" : null,
    offline ? "offline" : null,
    count !== null ? `${count} card${count === 1 ? "" : "s"}` : null,
    turn ? "to play" : null,
  ]
    .filter(Boolean)
    .join(", ");
  return h(
    "section",
    {
      class: `seat pos-${pos}${turn ? " turn" : ""}${offline ? " offline" : ""}${empty ? " empty" : ""}${deal?.winner === seat ? " winner" : ""}`,
      "aria-label": label,
      "data-seat": seat,
    },
    h(
      "div",
      { class: "avatar-wrap" },
      h("span", { class: "avatar", "aria-hidden": "true" }, empty ? "·" : initial(name)),
      turn && t.turnDeadline !== null && t.settings.turnSeconds > 0
        ? h(TurnRing, { deadline: t.turnDeadline, totalMs: t.settings.turnSeconds * 1000 })
        : null,
    ),
    h(
      "div",
      { class: "seat-meta" },
      h(
        "div",
        { class: "seat-name" },
        h("span", { class: "nm" }, name),
        info?.bot ? h("span", { class: "badge bot", title: "A bot plays this seat" }, "bot") : null,
        offline ? h("span", { class: "badge off", title: "Disconnected" }, "offline") : null,
      ),
      h(
        "div",
        { class: "seat-sub" },
        count !== null ? h(CardBack, { count }) : null,
        count !== null ? h("span", { class: "cnt" }, `${count}`) : null,
        empty || !t.totals.some((x) => x !== 0) ? null : h("span", { class: `total ${total < 0 ? "neg" : total > 0 ? "pos" : ""}`, title: "Running total" }, signed(total)),
      ),
    ),
    h(LastAction, { ev: last, fresh: last !== null && last === t.lastEvent }),
  );
}

function initial(name: string): string {
  return (Array.from(name.trim())[0] ?? "?").toUpperCase();
}

function LastAction(props: { ev: DealEvent | null; fresh: boolean }) {
  const { ev } = props;
  if (!ev) return h("div", { class: "last empty", "aria-hidden": "true" });
  if (ev.type === "pass") return h("div", { class: `last pass${props.fresh ? " fresh" : ""}` }, ev.auto ? "pass (time)" : "pass");
  return h("div", { class: `last play${props.fresh ? " fresh" : ""}` }, h(CardRow, { cards: ev.combo.cards, size: "sm" }));
}

function Center(props: { t: TableModel; deal: PlayerView | PublicView | null; trick: DealEvent[] }) {
  const { t, deal, trick } = props;
  if (!deal) return h("div", { class: "center" });
  const top = deal.top;
  const passes = trick.filter((e) => e.type === "pass" && top !== null);
  let caption: ComponentChildren;
  if (deal.winner !== null) caption = `${seatName(t, deal.winner)} ${deal.winner === t.seat ? "win" : "wins"} the deal!`;
  else if (top) caption = [h("strong", null, seatName(t, top.seat)), ` ${describeCombo(top.combo)}`];
  else if (deal.turn === t.seat) caption = "Your lead";
  else caption = `${seatName(t, deal.turn)} to lead`;
  return h(
    "div",
    { class: "center", "data-testid": "center" },
    top
      ? h("div", { class: "top-play", key: `${deal.history.length}` }, h(CardRow, { cards: top.combo.cards, size: "lg", fresh: true, label: `On the table: ${describeCombo(top.combo)}` }))
      : h("div", { class: "top-play empty" }, h("span", { class: "muted" }, deal.winner !== null ? "" : "table is clear")),
    h("div", { class: "caption" }, caption),
    passes.length > 0 ? h("div", { class: "passes muted" }, passes.map((e) => `${seatName(t, e.seat)} passed`).join(" · ")) : null,
  );
}

function MyArea(props: { app: App; state: AppState; t: TableModel; view: PlayerView }) {
  const { app, state, t, view } = props;
  const ui = state.ui;
  const hand = sortCards(view.hand, view.variant, ui.sort);
  const myTurn = view.winner === null && view.turn === view.seat && t.status === "playing";
  const line = ui.note && ui.selected.length === 0 ? { text: ui.note, tone: "idle" as const } : selectionLine(view, ui.selected);
  const canPlay = app.canPlay();
  const canPass = app.canPass();
  const total = t.totals[view.seat] ?? 0;
  const handRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ on: boolean; last: Card; id: number } | null>(null);
  const focus = Math.min(ui.focus, hand.length - 1);
  const passedNow = view.top !== null && view.passed[view.seat];
  return h(
    "section",
    { class: `my-area${myTurn ? " my-turn" : ""}`, "aria-label": "Your hand" },
    h(
      "div",
      { class: "my-strip" },
      h("span", { class: "you" }, state.name ?? "You"),
      h("span", { class: "muted" }, `${view.hand.length} card${view.hand.length === 1 ? "" : "s"}`),
      h("span", { class: `total ${total < 0 ? "neg" : total > 0 ? "pos" : "zero"}` }, `total ${signed(total)}`),
      myTurn
        ? h(
            "span",
            { class: "badge turn-badge" },
            "your turn",
            t.turnDeadline !== null && t.settings.turnSeconds > 0 ? [" · ", h(SecondsLeft, { deadline: t.turnDeadline })] : null,
          )
        : passedNow ? h("span", { class: "badge" }, "passed") : null,
      h(
        "div",
        { class: "seg sort", role: "group", "aria-label": "Sort your hand" },
        h("span", { class: "muted" }, "sort"),
        (["rank", "suit"] as const).map((by) =>
          h(
            "button",
            { key: by, type: "button", class: ui.sort === by ? "on" : "", "aria-pressed": ui.sort === by ? "true" : "false", onClick: () => app.setSort(by) },
            by,
          ),
        ),
      ),
    ),
    myTurn && t.turnDeadline !== null && t.settings.turnSeconds > 0 ? h(TurnBar, { deadline: t.turnDeadline, totalMs: t.settings.turnSeconds * 1000 }) : null,
    h(
      "div",
      {
        class: "hand",
        ref: handRef,
        // Press and slide across the hand to select (or unselect) several cards in one stroke.
        onPointerDown: (e: PointerEvent) => {
          if (e.button !== 0) return;
          const c = cardAt(handRef.current, e.clientX, e.clientY);
          if (!c) return;
          const on = !ui.selected.includes(c);
          drag.current = { on, last: c, id: e.pointerId };
          handRef.current?.setPointerCapture?.(e.pointerId);
          app.setFocus(hand.indexOf(c));
          app.setCard(c, on);
        },
        onPointerMove: (e: PointerEvent) => {
          const d = drag.current;
          if (!d || d.id !== e.pointerId) return;
          const c = cardAt(handRef.current, e.clientX, e.clientY);
          if (c && c !== d.last) {
            d.last = c;
            app.setCard(c, d.on);
          }
        },
        onPointerUp: () => (drag.current = null),
        onPointerCancel: () => (drag.current = null),
        role: "group",
        "aria-label": `Your hand, ${hand.length} cards, sorted by ${ui.sort}. Arrows move, space selects, enter plays, P passes.`,
        style: { "--n": String(Math.max(hand.length, 1)) },
        "data-testid": "hand",
      },
      hand.map((card, i) =>
        h(HandCard, {
          key: card,
          card,
          index: i,
          selected: ui.selected.includes(card),
          focused: i === focus,
          disabled: false,
          onToggle: (c: Card) => {
            app.setFocus(i);
            app.toggleCard(c);
          },
          onFocus: (idx: number) => {
            if (idx !== ui.focus) app.setFocus(idx);
          },
        }),
      ),
    ),
    h("div", { class: `sel-line ${line.tone}`, "aria-live": "polite", "data-testid": "selection-line" }, line.text),
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "button", class: "btn primary", disabled: !canPlay, onClick: () => app.play(), "data-testid": "play" }, "Play"),
      h("button", { type: "button", class: "btn", disabled: !canPass, onClick: () => app.pass(), "data-testid": "pass" }, "Pass"),
      h("button", { type: "button", class: "btn ghost", disabled: !myTurn, onClick: () => app.hint(), "data-testid": "hint" }, "Hint"),
      h("button", { type: "button", class: "btn ghost", disabled: ui.selected.length === 0, onClick: () => app.clearSelection(), "data-testid": "clear" }, "Clear"),
    ),
  );
}

/** Seated before the first deal: who you are and what the table waits for. */
function SeatedArea(props: { state: AppState; t: TableModel }) {
  const { state, t } = props;
  const free = t.players.filter((p) => p.name === null).length;
  return h(
    "section",
    { class: "watch-area seated", "data-testid": "seated" },
    h("span", { class: "you" }, state.name ?? "You"),
    h("span", { class: "muted" }, free > 0 ? `Waiting for ${free} more player${free === 1 ? "" : "s"}…` : "Dealing…"),
  );
}

function cardAt(hand: HTMLElement | null, x: number, y: number): Card | null {
  const el = document.elementFromPoint(x, y)?.closest<HTMLElement>("[data-card]");
  return el && hand?.contains(el) ? (el.dataset.card as Card) : null;
}

function WatchArea(props: { t: TableModel }) {
  const { t } = props;
  return h(
    "section",
    { class: "watch-area", "data-testid": "watching" },
    h("span", { class: "badge" }, "watching"),
    h("span", { class: "muted" }, t.deal ? "You see the table, not the hands." : "Waiting for the deal to start."),
  );
}

/** Screen readers hear each play as it is drawn. */
function Announcer(props: { t: TableModel }) {
  const ev = props.t.lastEvent;
  let text = "";
  if (ev) {
    const who = seatName(props.t, ev.seat);
    text = ev.type === "pass" ? `${who} passed${ev.auto ? " (time ran out)" : ""}` : `${who} played ${describeCombo(ev.combo)}`;
  }
  return h("div", { class: "sr-only", "aria-live": "polite" }, text);
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable;
}

function onCard(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && !!el.dataset && el.dataset.card !== undefined;
}

/** Arrows move along the hand, space (or up/down) selects, enter plays, P passes, H hints, Esc clears. */
function useKeyboard(app: App, state: AppState): void {
  const ref = useRef({ app, state });
  ref.current = { app, state };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const { app, state } = ref.current;
      const t = state.table;
      if (!t || !isPlayerView(t.deal)) return;
      const hand = sortCards(t.deal.hand, t.deal.variant, state.ui.sort);
      if (hand.length === 0) return;
      const focus = Math.min(state.ui.focus, hand.length - 1);
      const neutral = onCard(e.target) || e.target === document.body || (e.target as HTMLElement).classList?.contains("hand");
      const move = (to: number) => {
        const i = (to + hand.length) % hand.length;
        app.setFocus(i);
        const el = document.querySelector<HTMLElement>(`[data-card="${hand[i]}"]`);
        el?.focus();
      };
      switch (e.key) {
        case "ArrowLeft":
          e.preventDefault();
          move(focus - 1);
          return;
        case "ArrowRight":
          e.preventDefault();
          move(focus + 1);
          return;
        case "ArrowUp":
          e.preventDefault();
          if (!state.ui.selected.includes(hand[focus])) app.toggleCard(hand[focus]);
          return;
        case "ArrowDown":
          e.preventDefault();
          if (state.ui.selected.includes(hand[focus])) app.toggleCard(hand[focus]);
          return;
        case " ":
        case "Spacebar":
          if (!neutral) return;
          e.preventDefault();
          app.toggleCard(hand[focus]);
          if (!onCard(e.target)) move(focus);
          return;
        case "Enter":
          if (!neutral) return;
          e.preventDefault();
          app.play();
          return;
        case "p":
        case "P":
          e.preventDefault();
          app.pass();
          return;
        case "h":
        case "H":
          e.preventDefault();
          app.hint();
          return;
        case "Escape":
          app.clearSelection();
          return;
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}
