import { h, type ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { SeatInfo } from "../../protocol/messages.ts";
import type { Card, DealEvent, PlayerView, PublicView } from "../../rules/types.ts";
import { EMOTES, type Emote } from "../../protocol/messages.ts";
import { sortCards } from "../../rules/index.ts";
import { inviteLink, type App, type AppState } from "../app.ts";
import { comboText } from "../i18n/game.ts";
import { secs, t as tr, type Key } from "../i18n/index.ts";
import { selectionLine } from "../selection.ts";
import { currentTrick, displayName, isPlayerView, seatName, seatOrder, type Reaction, type TableModel } from "../table-model.ts";
import { CardBack, CardRow, HandCard } from "./cards.ts";
import { SecondsLeft, TurnBar, TurnRing } from "./clock.ts";
import { clockSummary, lengthSummary, rulesSummary, signed } from "./format.ts";
import { ResultPanel } from "./result.ts";
import { MuteButton } from "./root.ts";
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
      h(Center, { t, deal, trick: trick?.events ?? [], from: deal?.top ? posOf(deal.top.seat, order, pos, watching) : null }),
      t.result || t.matchEnd ? h(ResultPanel, { app, state, t }) : null,
      !deal && t.status === "waiting" ? h(WaitingPanel, { t }) : null,
      h(Reactions, { app, t, seats: order, pos, watching }),
    ),
    view
      ? h(MyArea, { app, state, t, view, mine: lastPlayOf(view, view.seat) })
      : watching
        ? h(WatchArea, { t })
        : h(SeatedArea, { state, t }),
    state.ui.panel === "help" ? h(HelpPanel, { app }) : state.ui.panel ? h(SidePanel, { app, state, t }) : null,
    h(Announcer, { t }),
  );
}

/** Where a seat sits on screen (ours is the bottom), for the card motion of its plays. */
function posOf(seat: number, order: number[], pos: Pos[], watching: boolean): Pos {
  const i = order.indexOf(seat);
  if (i === 0 && !watching) return "bottom";
  return pos[i] ?? "top";
}

function TableBar(props: { app: App; state: AppState; t: TableModel }) {
  const { app, state, t } = props;
  const [inviteOpen, setInviteOpen] = useState(false);
  const dealText =
    t.dealNo > 0 ? (t.settings.deals !== null ? tr("table.dealOf", { n: t.dealNo, total: t.settings.deals }) : tr("table.deal", { n: t.dealNo })) : tr("table.notStarted");
  return h(
    "header",
    { class: "table-bar" },
    h(
      "button",
      {
        type: "button",
        class: `btn small leave${state.ui.confirmLeave ? " danger" : " ghost"}`,
        // On a phone only the arrow shows; its name stays for screen readers.
        "aria-label": state.ui.confirmLeave ? undefined : tr("table.lobby"),
        onClick: () => app.leaveTable(),
        "data-testid": "leave",
      },
      state.ui.confirmLeave
        ? tr(app.conn.isLocal ? "practice.leaveConfirm" : "table.leaveConfirm")
        : [h("span", { "aria-hidden": "true" }, "← "), h("span", { class: "lbl" }, tr("table.lobby"))],
    ),
    h(
      "div",
      { class: "table-title" },
      h("strong", { class: "t-name" }, t.settings.name),
      // Each fact its own piece, so a narrow screen wraps between them instead of cutting them off.
      h(
        "span",
        { class: "muted facts", "data-testid": "table-facts" },
        [dealText, rulesSummary(t.settings.variant), clockSummary(t.settings.turnSeconds), lengthSummary(t.settings.deals, t.settings.lossLimit)].map((x, i) =>
          h("span", { key: i, class: "fact" }, x),
        ),
        t.watchers > 0
          ? h("span", { class: "fact watchers", title: tr("table.watchersTitle"), "data-testid": "watchers" }, tr("table.watchers", { n: t.watchers }))
          : null,
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
            tr("btn.invite"),
          ),
      h(
        "button",
        { type: "button", class: `btn small ghost${state.ui.panel === "log" ? " on" : ""}`, onClick: () => app.setPanel("log"), "data-testid": "log-toggle" },
        tr("btn.log"),
      ),
      h(
        "button",
        { type: "button", class: `btn small ghost${state.ui.panel === "chat" ? " on" : ""}`, onClick: () => app.setPanel("chat"), "data-testid": "chat-toggle" },
        tr("btn.chat"),
        state.ui.unread > 0 ? h("span", { class: "unread", "aria-label": tr("table.unread", { n: state.ui.unread }) }, String(state.ui.unread)) : null,
      ),
      h(MuteButton, { app, state }),
      h(
        "button",
        {
          type: "button",
          class: `btn small ghost icon${state.ui.panel === "help" ? " on" : ""}`,
          "aria-label": tr("help.open"),
          title: tr("help.open"),
          "aria-expanded": state.ui.panel === "help" ? "true" : "false",
          onClick: () => app.setPanel("help"),
          "data-testid": "help-toggle",
        },
        "?",
      ),
    ),
    inviteOpen
      ? h("div", { class: "invite-pop panel" }, h(InviteBox, { t }), h("button", { type: "button", class: "btn small", onClick: () => setInviteOpen(false) }, tr("btn.close")))
      : null,
  );
}

export function InviteBox(props: { t: TableModel }) {
  const { t } = props;
  const [copied, setCopied] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const link = inviteLink(t.code ?? t.tableId);
  // The table id lets its holder watch, never sit: the invite code stays with the players.
  const watch = `${location.origin}/?watch=${encodeURIComponent(t.tableId)}`;
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
    setCopied(ok ? what : tr("invite.copyFail"));
    setTimeout(() => setCopied(null), 2500);
  };
  return h(
    "div",
    { class: "invite", "data-testid": "invite" },
    h("div", { class: "label" }, t.settings.private ? tr("invite.private") : tr("invite.public")),
    t.code ? h("div", { class: "code" }, `${tr("invite.code")} `, h("strong", { "data-testid": "invite-code" }, t.code)) : null,
    h(
      "div",
      { class: "row" },
      h("input", {
        ref: input,
        class: "link",
        readOnly: true,
        value: link,
        "aria-label": tr("invite.link"),
        "data-testid": "invite-link",
        onFocus: (e: Event) => (e.currentTarget as HTMLInputElement).select(),
      }),
      h("button", { type: "button", class: "btn small primary", onClick: () => copy(link, tr("invite.copied")) }, tr("btn.copy")),
    ),
    h("button", { type: "button", class: "btn small ghost", onClick: () => copy(watch, tr("invite.watchCopied")) }, tr("invite.copyWatch")),
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
    h("h2", null, tr("waiting.title", { n: taken, total: t.settings.seats })),
    h("p", { class: "muted" }, fill === null ? tr("waiting.noFill") : tr("waiting.fill", { time: secs(fill * 1000) })),
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
  const name = empty ? tr("seat.empty") : displayName(info);
  const count = deal ? deal.counts[seat] : null;
  const turn = deal !== null && deal.winner === null && deal.turn === seat && t.status === "playing";
  const offline = !empty && !info.connected && !info.bot;
  const total = t.totals[seat] ?? 0;
  const label = [
    name,
    info?.bot ? tr("seat.bot") : null,
    offline ? tr("seat.offline") : null,
    count !== null ? tr("seat.cards", { n: count }) : null,
    turn ? tr("seat.toPlay") : null,
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
      h("span", { class: `avatar${info?.bot ? " bot" : ""}`, "aria-hidden": "true" }, empty ? "·" : initial(name)),
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
        info?.bot ? h("span", { class: "badge bot", title: tr("seat.botTitle") }, tr("seat.bot")) : null,
        offline ? h("span", { class: "badge off", title: tr("seat.offlineTitle") }, tr("seat.offline")) : null,
      ),
      h(
        "div",
        { class: "seat-sub" },
        count !== null ? h(CardBack, { count }) : null,
        count !== null ? h("span", { class: "cnt" }, `${count}`) : null,
        empty || !t.totals.some((x) => x !== 0) ? null : h("span", { class: `total ${total < 0 ? "neg" : total > 0 ? "pos" : ""}`, title: tr("seat.total") }, signed(total)),
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
  if (ev.type === "pass") return h("div", { class: `last pass${props.fresh ? " fresh" : ""}` }, ev.auto ? tr("last.passTime") : tr("last.pass"));
  return h("div", { class: `last play${props.fresh ? " fresh" : ""}` }, h(CardRow, { cards: ev.combo.cards, size: "sm" }));
}

function Center(props: { t: TableModel; deal: PlayerView | PublicView | null; trick: DealEvent[]; from: Pos | null }) {
  const { t, deal, trick } = props;
  if (!deal) return h("div", { class: "center" });
  const top = deal.top;
  const passes = trick.filter((e) => e.type === "pass" && top !== null);
  let caption: ComponentChildren;
  if (deal.winner !== null) caption = deal.winner === t.seat ? tr("center.youWin") : tr("center.wins", { name: seatName(t, deal.winner) });
  else if (top) caption = [h("strong", null, seatName(t, top.seat)), ` ${comboText(top.combo)}`];
  else if (deal.turn === t.seat) caption = tr("center.yourLead");
  else caption = tr("center.toLead", { name: seatName(t, deal.turn) });
  return h(
    "div",
    { class: "center", "data-testid": "center" },
    top
      ? h(
          "div",
          // The cards come in from the side of the seat that played them (CSS; off under prefers-reduced-motion).
          { class: `top-play from-${props.from ?? "top"}`, key: `${deal.history.length}`, "data-from": props.from ?? "top", "data-testid": "top-play" },
          h(CardRow, { cards: top.combo.cards, size: "lg", fresh: true, label: tr("center.onTable", { combo: comboText(top.combo) }) }),
        )
      : h("div", { class: "top-play empty" }, h("span", { class: "muted" }, deal.winner !== null ? "" : tr("center.clear"))),
    h("div", { class: "caption" }, caption),
    passes.length > 0 ? h("div", { class: "passes muted" }, passes.map((e) => tr("center.passed", { name: seatName(t, e.seat) })).join(" · ")) : null,
  );
}

function MyArea(props: { app: App; state: AppState; t: TableModel; view: PlayerView; mine: DealEvent | null }) {
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
    { class: `my-area${myTurn ? " my-turn" : ""}`, "aria-label": tr("my.hand") },
    h(
      "div",
      { class: "my-strip" },
      h("span", { class: "you" }, state.name ?? tr("seat.you")),
      h("span", { class: "muted" }, tr("seat.cards", { n: view.hand.length })),
      h("span", { class: `total ${total < 0 ? "neg" : total > 0 ? "pos" : "zero"}` }, tr("my.total", { n: signed(total) })),
      myTurn
        ? h(
            "span",
            { class: "badge turn-badge" },
            tr("my.yourTurn"),
            t.turnDeadline !== null && t.settings.turnSeconds > 0 ? [" · ", h(SecondsLeft, { deadline: t.turnDeadline })] : null,
          )
        : passedNow ? h("span", { class: "badge" }, tr("my.passed")) : null,
      props.mine && props.mine.type === "play"
        ? h(
            "span",
            { class: "my-last", "data-testid": "my-last", title: tr("last.yours") },
            h("span", { class: "sr-only" }, `${tr("last.yours")}: `),
            h(CardRow, { cards: props.mine.combo.cards, size: "sm", label: `${tr("last.yours")}: ${comboText(props.mine.combo)}` }),
          )
        : null,
      h(
        "div",
        { class: "seg sort", role: "group", "aria-label": tr("my.sortLabel") },
        h("span", { class: "muted", "aria-hidden": "true" }, tr("my.sort")),
        (["rank", "suit"] as const).map((by) =>
          h(
            "button",
            { key: by, type: "button", class: ui.sort === by ? "on" : "", "aria-pressed": ui.sort === by ? "true" : "false", onClick: () => app.setSort(by) },
            tr(SORT_KEY[by]),
          ),
        ),
      ),
    ),
    myTurn && t.turnDeadline !== null && t.settings.turnSeconds > 0 ? h(TurnBar, { deadline: t.turnDeadline, totalMs: t.settings.turnSeconds * 1000 }) : null,
    myTurn && t.turnDeadline !== null && t.settings.turnSeconds > 0 ? h(LastSecondsTicks, { app, deadline: t.turnDeadline }) : null,
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
        "aria-label": tr("my.handLabel", { n: hand.length, by: tr(SORT_KEY[ui.sort]) }),
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
      h("button", { type: "button", class: "btn primary", disabled: !canPlay, onClick: () => app.play(), "data-testid": "play" }, tr("btn.play")),
      h("button", { type: "button", class: "btn", disabled: !canPass, onClick: () => app.pass(), "data-testid": "pass" }, tr("btn.pass")),
      h("button", { type: "button", class: "btn ghost", disabled: !myTurn, onClick: () => app.hint(), "data-testid": "hint" }, tr("btn.hint")),
      h("button", { type: "button", class: "btn ghost", disabled: ui.selected.length === 0, onClick: () => app.clearSelection(), "data-testid": "clear" }, tr("btn.clear")),
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
    h("span", { class: "you" }, state.name ?? tr("seat.you")),
    h("span", { class: "muted" }, free > 0 ? tr("seated.waitingFor", { n: free }) : tr("seated.dealing")),
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
    h("span", { class: "badge" }, tr("watch.badge")),
    h("span", { class: "muted" }, t.deal ? tr("watch.see") : tr("watch.waiting")),
  );
}

/** Screen readers hear each play as it is drawn. */
function Announcer(props: { t: TableModel }) {
  const ev = props.t.lastEvent;
  let text = "";
  if (ev) {
    const who = seatName(props.t, ev.seat);
    text = ev.type === "pass" ? tr(ev.auto ? "say.passedTime" : "say.passed", { name: who }) : tr("say.played", { name: who, combo: comboText(ev.combo) });
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
      if (e.key === "?") {
        e.preventDefault();
        app.setPanel("help");
        return;
      }
      if (e.key === "Escape" && state.ui.panel === "help") {
        app.setPanel(null);
        return;
      }
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

const SORT_KEY: Record<"rank" | "suit", Key> = { rank: "sort.rank", suit: "sort.suit" };

const EMOJI: Record<Emote, string> = { nice: "👍", haha: "😂", wow: "😮", oops: "😬", think: "🤔", gg: "🤝" };
const EMOTE_KEY: Record<Emote, Key> = {
  nice: "emote.nice",
  haha: "emote.haha",
  wow: "emote.wow",
  oops: "emote.oops",
  think: "emote.think",
  gg: "emote.gg",
};
/** How long a reaction stays beside its seat. */
const REACTION_MS = 3500;

/**
 * Quick reactions: a row of emotes to send (players and spectators alike), and each one
 * received shown for a moment beside the seat it came from (a spectator's at the top).
 */
function Reactions(props: { app: App; t: TableModel; seats: number[]; pos: Pos[]; watching: boolean }) {
  const { app, t } = props;
  const [open, setOpen] = useState(false);
  const now = useNowWhile(t.reactions.some((r) => Date.now() - r.at < REACTION_MS));
  const live = t.reactions.filter((r) => now - r.at < REACTION_MS);
  // One bubble per seat (its latest); spectators' reactions share one place.
  const bySpot = new Map<string, Reaction>();
  for (const r of live) bySpot.set(r.seat === null ? "watch" : posOf(r.seat, props.seats, props.pos, props.watching), r);
  return h(
    "div",
    { class: "reactions" },
    h(
      "button",
      {
        type: "button",
        class: `btn small ghost icon emote-toggle${open ? " on" : ""}`,
        "aria-label": tr("react.label"),
        title: tr("react.label"),
        "aria-expanded": open ? "true" : "false",
        onClick: () => setOpen(!open),
        "data-testid": "emote-toggle",
      },
      "😀",
    ),
    h(
      "div",
      { class: `emote-bar${open ? " open" : ""}`, role: "group", "aria-label": tr("react.label"), "data-testid": "emote-bar", hidden: !open },
      EMOTES.map((e) =>
        h(
          "button",
          {
            key: e,
            type: "button",
            class: "emote",
            "aria-label": tr("react.send", { emote: tr(EMOTE_KEY[e]) }),
            title: tr(EMOTE_KEY[e]),
            "data-emote": e,
            onClick: () => {
              app.react(e);
              setOpen(false);
            },
          },
          EMOJI[e],
        ),
      ),
    ),
    [...bySpot].map(([spot, r]) =>
      h(
        "div",
        { key: `${spot}:${r.id}`, class: `bubble at-${spot}`, "data-testid": "reaction", "data-emote": r.emote },
        h("span", { class: "emoji", "aria-hidden": "true" }, EMOJI[r.emote as Emote] ?? "•"),
        h("span", { class: "who" }, r.seat === null ? r.name : seatName(t, r.seat)),
      ),
    ),
    h("div", { class: "sr-only", "aria-live": "polite" }, live.length ? tr("react.from", { name: live[live.length - 1].name, emote: tr(EMOTE_KEY[live[live.length - 1].emote as Emote] ?? "emote.nice") }) : ""),
  );
}

/** Re-render on a timer only while something on screen is timed. */
function useNowWhile(active: boolean, ms = 500): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setTick((x) => x + 1), ms);
    return () => clearInterval(id);
  }, [active, ms]);
  return Date.now();
}

/** The "?" panel: the keyboard controls, explained. */
function HelpPanel(props: { app: App }) {
  const rows: [string, Key][] = [
    ["← →", "help.arrows"],
    ["↑ ↓", "help.upDown"],
    ["Space", "help.space"],
    ["Enter", "help.enter"],
    ["P", "help.p"],
    ["H", "help.h"],
    ["Esc", "help.esc"],
  ];
  return h(
    "aside",
    { class: "side help", "aria-labelledby": "help-title", "data-testid": "help" },
    h(
      "div",
      { class: "side-head" },
      h("h2", { id: "help-title" }, tr("help.title")),
      h("button", { type: "button", class: "btn small ghost icon", "aria-label": tr("btn.close"), onClick: () => props.app.setPanel(null) }, "✕"),
    ),
    h(
      "dl",
      { class: "keys" },
      rows.map(([k, key]) => [h("dt", { key: `k${k}` }, h("kbd", null, k)), h("dd", { key: `d${k}` }, tr(key))]),
    ),
    h("p", { class: "muted pad" }, tr("help.touch")),
  );
}

/** A tick each of the clock's last five seconds of your turn. */
function LastSecondsTicks(props: { app: App; deadline: number }) {
  const now = useNowWhile(true, 200);
  const left = Math.ceil((props.deadline - now) / 1000);
  const last = useRef<number | null>(null);
  useEffect(() => {
    if (left >= 1 && left <= 5 && last.current !== left) {
      last.current = left;
      props.app.sound.play("tick");
    }
  }, [left]);
  return null;
}

/** A seat's latest play of this deal (shown beside your hand until you play again). */
function lastPlayOf(deal: PublicView, seat: number): DealEvent | null {
  for (let i = deal.history.length - 1; i >= 0; i--) {
    const e = deal.history[i];
    if (e.seat === seat && e.type === "play") return e;
  }
  return null;
}
