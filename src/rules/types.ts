// The data the rules engine works on. Plain, JSON-serialisable objects only: the same values
// travel over the wire, sit in the server's event log and feed the bots.

export type RankChar = "3" | "4" | "5" | "6" | "7" | "8" | "9" | "T" | "J" | "Q" | "K" | "A" | "2";
export type SuitChar = "D" | "C" | "H" | "S";
/** Canonical notation: rank then suit, e.g. "3D", "TS", "2S". */
export type Card = `${RankChar}${SuitChar}`;

export type SuitOrder = "DCHS" | "CDHS";
export type StraightSet = "classic" | "poker" | "taiwan";
export type FlushOrder = "rank" | "suit";

/** Every rule switch of RULES.md. A table keeps one variant for its whole life. */
export interface Variant {
  suitOrder: SuitOrder;
  straights: StraightSet;
  flushOrder: FlushOrder;
  firstPlayMustContainStart: boolean;
  passLocksTrick: boolean;
  winnerLeadsNextDeal: boolean;
  doubleAt: number;
  tripleIfUnplayed: boolean;
  twosDouble: boolean;
}

export type ComboKind =
  | "single"
  | "pair"
  | "triple"
  | "straight"
  | "flush"
  | "fullHouse"
  | "fourOfAKind"
  | "straightFlush";

/** A legal combination. `cards` are sorted ascending by single-card order under the variant. */
export interface Combo {
  kind: ComboKind;
  cards: Card[];
}

/** The last play of the current trick: what a new play must beat. */
export interface TrickTop {
  seat: number;
  combo: Combo;
}

/** What a player asks for. `timeout` is resolved by the reducer into the automatic action. */
export type Action =
  | { type: "play"; seat: number; cards: Card[] }
  | { type: "pass"; seat: number }
  | { type: "timeout"; seat: number };

/**
 * What happened, as every seat and spectator may see it. The deal reducer emits one per
 * accepted action; `applyEvent` folds it into any view. `auto` marks the clock acting.
 */
export type DealEvent =
  | { type: "play"; seat: number; combo: Combo; auto: boolean }
  | { type: "pass"; seat: number; auto: boolean };

/** Everything about a deal that is public: shared by the deal state and every view. */
export interface PublicDeal {
  variant: Variant;
  seats: number;
  /** Cards in each seat's hand. */
  counts: number[];
  /** Seat to act, or -1 once the deal is over. */
  turn: number;
  /** Last play of the current trick; null when the seat to act leads. */
  top: TrickTop | null;
  /** Seats that passed since the last play of this trick. */
  passed: boolean[];
  /** Seats that have played at least one card this deal (for the "never played" penalty). */
  playedAny: boolean[];
  /** The card the next play must contain (the first play of a deal), or null. */
  mustContain: Card | null;
  /** Every card played this deal, in order. */
  played: Card[];
  /** Every event of this deal, in order. */
  history: DealEvent[];
  /** Winner of the deal, or null while it runs. */
  winner: number | null;
}

/** The whole deal, server side only: the public part plus every hand. */
export interface DealState extends PublicDeal {
  hands: Card[][];
  /** Two players: the cards set aside unseen. */
  setAside: Card[];
}

/** One seat's view: the public part plus that seat's own hand, and nothing else. */
export interface PlayerView extends PublicDeal {
  seat: number;
  hand: Card[];
}

/** A spectator's view. */
export type PublicView = PublicDeal;

export type RuleCode =
  | "deal/over"
  | "seat/invalid"
  | "turn/not-yours"
  | "play/empty"
  | "play/duplicate-cards"
  | "play/cards-not-in-hand"
  | "play/not-a-combination"
  | "play/wrong-size"
  | "play/not-higher"
  | "play/must-include-start"
  | "pass/leader-cannot-pass";

export interface Rejection {
  ok: false;
  code: RuleCode;
  message: string;
}

export type ApplyResult = { ok: true; state: DealState; event: DealEvent } | Rejection;

/** The legal moves of one seat at one moment. */
export interface LegalActions {
  canPass: boolean;
  plays: Combo[];
}

export interface SeatScore {
  cardsLeft: number;
  /** Penalty paid (0 for the winner). */
  penalty: number;
  /** Change to the running total: -penalty for losers, the sum of penalties for the winner. */
  delta: number;
}

export interface DealResult {
  winner: number;
  scores: SeatScore[];
  /** Each seat's cards left at the end (public once the deal is over). */
  hands: Card[][];
}

/** How a match ends: after `deals` deals, or when a total reaches -`lossLimit`; whichever comes first. */
export interface MatchSettings {
  deals: number | null;
  lossLimit: number | null;
}

export interface MatchState {
  variant: Variant;
  seats: number;
  settings: MatchSettings;
  totals: number[];
  /**
   * Deals finished so far. Only their count is kept: the match holds what deciding its end
   * needs, so a table's memory (and its log's deal entry, which carries the match) stays the
   * same size however many deals a match without a deal limit runs. The last deal's result is
   * the server's to keep (the snapshot's `lastResult`).
   */
  dealsPlayed: number;
  /** Winner of the last finished deal, for `winnerLeadsNextDeal`. */
  lastWinner: number | null;
  over: boolean;
}
