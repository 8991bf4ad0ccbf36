import { h, type ComponentChildren } from "preact";
import type { Card } from "../../rules/types.ts";
import { cardName } from "../i18n/game.ts";

const SUIT_SYMBOL: Record<string, string> = { D: "♦", C: "♣", H: "♥", S: "♠" };
const RANK_LABEL: Record<string, string> = { T: "10" };

export function rankLabel(card: Card): string {
  return RANK_LABEL[card[0]] ?? card[0];
}

export function suitSymbol(card: Card): string {
  return SUIT_SYMBOL[card[1]];
}

export function isRed(card: Card): boolean {
  return card[1] === "H" || card[1] === "D";
}

/** "7♥" for text lines. */
export function cardText(card: Card): string {
  return rankLabel(card) + suitSymbol(card);
}

function face(card: Card): ComponentChildren {
  return [
    h("span", { class: "corner", "aria-hidden": "true" }, h("span", { class: card[0] === "T" ? "rank ten" : "rank" }, rankLabel(card)), h("span", { class: "suit" }, suitSymbol(card))),
    h("span", { class: "pip", "aria-hidden": "true" }, suitSymbol(card)),
  ];
}

/** A face-up card that is not interactive (the table, results). */
export function CardFace(props: { card: Card; size?: "sm" | "md" | "lg"; fresh?: boolean }) {
  const { card, size = "md" } = props;
  return h(
    "span",
    {
      class: `card ${size} ${isRed(card) ? "red" : "black"}${props.fresh ? " fresh" : ""}`,
      role: "img",
      "aria-label": cardName(card),
      title: cardName(card),
    },
    face(card),
  );
}

export function CardRow(props: { cards: Card[]; size?: "sm" | "md" | "lg"; fresh?: boolean; label?: string }) {
  return h(
    "span",
    { class: `card-row ${props.size ?? "md"}`, role: "group", "aria-label": props.label ?? props.cards.map(cardName).join(", ") },
    props.cards.map((c) => h(CardFace, { key: c, card: c, size: props.size, fresh: props.fresh })),
  );
}

/** One card of your hand: a toggle button that lifts when selected. */
export function HandCard(props: {
  card: Card;
  selected: boolean;
  focused: boolean;
  index: number;
  disabled: boolean;
  onToggle: (card: Card) => void;
  onFocus: (index: number) => void;
}) {
  const { card, selected } = props;
  return h(
    "button",
    {
      type: "button",
      class: `card md hand-card ${isRed(card) ? "red" : "black"}${selected ? " selected" : ""}`,
      "aria-label": cardName(card),
      "aria-pressed": selected ? "true" : "false",
      "data-card": card,
      tabIndex: props.focused ? 0 : -1,
      // Pointers select on press (see the hand's drag handling); this click is the keyboard's
      // or assistive technology's activation, which has no pointer behind it.
      onClick: (e: MouseEvent) => {
        if (e.detail === 0) props.onToggle(card);
      },
      onFocus: () => props.onFocus(props.index),
      disabled: props.disabled,
    },
    face(card),
  );
}

export function CardBack(props: { count: number }) {
  return h("span", { class: "card-back", "aria-hidden": "true" }, h("span", { class: "count" }, String(props.count)));
}
