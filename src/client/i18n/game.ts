// The rules' words in the player's language: card names for screen readers and the
// combination names of the line under the hand ("pair of 7s, beats the table"). The rules
// engine decides what a combination is; this only names it (describeCombo is its English).
import type { Card, Combo } from "../../rules/types.ts";
import { t, type Key } from "./index.ts";

const ORDER = "3456789TJQKA2";
const SUIT: Record<string, string> = { D: "♦", C: "♣", H: "♥", S: "♠" };
const RANK_KEY: Record<string, Key> = {
  "3": "rank.3",
  "4": "rank.4",
  "5": "rank.5",
  "6": "rank.6",
  "7": "rank.7",
  "8": "rank.8",
  "9": "rank.9",
  T: "rank.T",
  J: "rank.J",
  Q: "rank.Q",
  K: "rank.K",
  A: "rank.A",
  "2": "rank.2",
};
const SUIT_KEY: Record<string, Key> = { D: "suit.D", C: "suit.C", H: "suit.H", S: "suit.S" };

function rankIndex(card: Card): number {
  const i = ORDER.indexOf(card[0]);
  if (i < 0) throw new RangeError(`Not a card: ${JSON.stringify(card)}`);
  return i;
}

function label(rank: number): string {
  const ch = ORDER[rank];
  return ch === "T" ? "10" : ch;
}

/** "7♥". */
export function shortCard(card: Card): string {
  return label(rankIndex(card)) + SUIT[card[1]];
}

/** The spoken name: "seven of hearts", "紅心7". */
export function cardName(card: Card): string {
  return t("card.name", { rank: t(RANK_KEY[card[0]]), suit: t(SUIT_KEY[card[1]]) });
}

function mainRank(cards: readonly Card[]): number {
  const counts = new Array<number>(13).fill(0);
  for (const c of cards) counts[rankIndex(c)]++;
  let best = 0;
  for (let r = 1; r < 13; r++) if (counts[r] > counts[best]) best = r;
  return best;
}

function sequence(cards: readonly Card[], plain: Key, wrap: Key): string {
  const ranks = cards.map(rankIndex);
  const top = cards[ranks.indexOf(Math.max(...ranks))];
  // A2345 and 23456 (poker and taiwan sets): the 2 is the highest single card but not the top
  // of the run, so name the run and the deciding card.
  if (ranks.includes(12) && ranks.includes(0)) {
    const low = ranks.includes(11) ? "A" : "2";
    const high = ranks.includes(3) ? "6" : "5";
    return t(wrap, { low, high, card: shortCard(top) });
  }
  return t(plain, { card: shortCard(top) });
}

/** A short name of a combination, in the current language. */
export function comboText(combo: Combo): string {
  const cards = combo.cards;
  switch (combo.kind) {
    case "single":
      return t("combo.single", { card: shortCard(cards[0]) });
    case "pair":
      return t("combo.pair", { rank: label(rankIndex(cards[0])) });
    case "triple":
      return t("combo.triple", { rank: label(rankIndex(cards[0])) });
    case "straight":
      return sequence(cards, "combo.straight", "combo.straightWrap");
    case "flush":
      return t("combo.flush", { rank: label(Math.max(...cards.map(rankIndex))) });
    case "fullHouse":
      return t("combo.fullHouse", { rank: label(mainRank(cards)) });
    case "fourOfAKind":
      return t("combo.four", { rank: label(mainRank(cards)) });
    case "straightFlush":
      return sequence(cards, "combo.straightFlush", "combo.straightFlushWrap");
  }
}
