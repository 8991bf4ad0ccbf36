import {
  applyAction,
  newDeal,
  newMatch,
  recordDeal,
  scoreDeal,
  type DealEvent,
  type DealResult,
  type DealState,
  type ListKeeper,
  type MatchState,
  type Rejection,
} from "../rules/index.ts";
import type { TableSettings } from "../protocol/index.ts";
import type { LogEntry } from "./ports/table-log.ts";

/** Everything about a table's game that its log determines. */
export interface Game {
  match: MatchState;
  deal: DealState | null;
  dealNo: number;
  lastResult: DealResult | null;
}

export type Folded =
  | { ok: true; game: Game; event: DealEvent | null; result: DealResult | null }
  | Rejection;

export function newGame(settings: TableSettings): Game {
  return {
    match: newMatch({ variant: settings.variant, seats: settings.seats, settings: { deals: settings.deals, lossLimit: settings.lossLimit } }),
    deal: null,
    dealNo: 0,
    lastResult: null,
  };
}

/**
 * The one transition of a table's game: a logged entry in, the next game out. The live table
 * uses it to check an action before logging it, and replay uses it to rebuild a table from its
 * log, so the two can never disagree. `keep` goes to applyAction: the live table keeps its deal's
 * `history` and `played` itself.
 */
export function foldEntry(game: Game, settings: TableSettings, entry: LogEntry, keep?: ListKeeper): Folded {
  // Who sits where is the table's business, not the game's.
  if (entry.kind === "seats") return { ok: true, game, event: null, result: null };
  if (entry.kind === "deal") {
    const deal = newDeal({ variant: settings.variant, seats: settings.seats, seed: entry.seed, leader: entry.leader });
    return { ok: true, game: { match: entry.match, lastResult: entry.lastResult, deal, dealNo: entry.dealNo }, event: null, result: null };
  }
  if (!game.deal) return { ok: false, code: "deal/over", message: "No deal is being played." };
  const r = applyAction(game.deal, entry.action, keep);
  if (!r.ok) return r;
  // Written out rather than spread: this runs on every play.
  if (r.state.winner === null) {
    return { ok: true, game: { match: game.match, deal: r.state, dealNo: game.dealNo, lastResult: game.lastResult }, event: r.event, result: null };
  }
  const result = scoreDeal(r.state);
  return {
    ok: true,
    game: { match: recordDeal(game.match, r.state), deal: r.state, dealNo: game.dealNo, lastResult: result },
    event: r.event,
    result,
  };
}

/**
 * The keeper a live table (table.ts) gives `foldEntry`: its deal's `history` and `played` grow in
 * place rather than being copied, as the rules engine does, into two new arrays as long as the
 * deal so far on every play; those copies were the largest part of what each play left for the
 * garbage collector to move. This is safe because a table alone owns its deal and keeps one
 * state of it: the state an action replaces is dropped on commit, views and snapshots copy the
 * lists, and the log holds actions, not states. One consequence: until the commit, the current
 * state's lists already hold the event, so nothing may read the turn from `history.length` (the
 * table's clock compares its deadline, in the mailbox). A log write that fails takes the event
 * back out of the lists (`ungrow`), so nothing is half-applied. Replays and anything else that keeps older states pass no keeper.
 */
export const growInPlace: ListKeeper = (event, deal) => {
  deal.history.push(event);
  if (event.type === "play") for (const card of event.combo.cards) deal.played.push(card);
  return deal;
};

/** Undo growInPlace: cut the deal's lists back to the lengths they had before the check. */
export function ungrow(deal: DealState, historyLength: number, playedLength: number): void {
  deal.history.length = historyLength;
  deal.played.length = playedLength;
}

/** Rebuild a table's game from its log: recovery, replays and tests all come through here. */
export function replay(settings: TableSettings, log: readonly LogEntry[]): Game {
  let game = newGame(settings);
  for (const entry of log) {
    const next = foldEntry(game, settings, entry);
    if (!next.ok) throw new Error(`log entry ${entry.n} does not apply: ${next.code}`);
    game = next.game;
  }
  return game;
}
