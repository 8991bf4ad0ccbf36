import type { DealState, MatchSettings, MatchState, Variant } from "./types.ts";
import { scoreDeal } from "./scoring.ts";
import { resolveVariant, variantKey } from "./variant.ts";

export interface NewMatchOptions {
  variant?: Partial<Variant>;
  seats: number;
  settings: MatchSettings;
}

function positiveOrNull(name: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value === "number" && Number.isInteger(value) && value >= 1) return value;
  throw new TypeError(`Expected \`${name}\` to be null or a whole number from 1 and up, got ${String(value)}`);
}

/**
 * A match with running totals. It ends after `settings.deals` deals or when a total reaches
 * -`settings.lossLimit`, whichever comes first. Throws a TypeError for bad options or when
 * both limits are null (the match would never end).
 */
export function newMatch(opts: NewMatchOptions): MatchState {
  const variant = resolveVariant(opts.variant);
  const seats = opts.seats;
  if (seats !== 2 && seats !== 3 && seats !== 4) {
    throw new TypeError(`Expected \`seats\` to be 2, 3 or 4, got ${String(seats)}`);
  }
  const settings = opts.settings;
  if (settings === null || typeof settings !== "object") {
    throw new TypeError(`Expected \`settings\` to be an object, got ${String(settings)}`);
  }
  const deals = positiveOrNull("settings.deals", settings.deals);
  const lossLimit = positiveOrNull("settings.lossLimit", settings.lossLimit);
  if (deals === null && lossLimit === null) {
    throw new TypeError("Expected `settings.deals` or `settings.lossLimit` to be set: a match must end");
  }
  return {
    variant,
    seats,
    settings: { deals, lossLimit },
    totals: new Array<number>(seats).fill(0),
    dealsPlayed: 0,
    lastWinner: null,
    over: false,
  };
}

/** The match after a finished deal: totals, the deal count, lastWinner and `over` updated. */
export function recordDeal(match: MatchState, deal: DealState): MatchState {
  if (match.over) throw new Error("recordDeal: the match is over");
  if (deal.seats !== match.seats) {
    throw new Error(`recordDeal: a ${deal.seats}-seat deal in a ${match.seats}-seat match`);
  }
  if (variantKey(resolveVariant(deal.variant)) !== variantKey(match.variant)) {
    throw new Error("recordDeal: the deal was played under another variant than the match");
  }
  const result = scoreDeal(deal);
  const totals = match.totals.map((t, s) => t + result.scores[s].delta);
  const dealsPlayed = match.dealsPlayed + 1;
  const { deals, lossLimit } = match.settings;
  const over = (deals !== null && dealsPlayed >= deals) || (lossLimit !== null && totals.some((t) => t <= -lossLimit));
  return { ...match, totals, dealsPlayed, lastWinner: result.winner, over };
}

/** Who leads the next deal: the last winner with winnerLeadsNextDeal, else null (start card). */
export function nextDealLeader(match: MatchState): number | null {
  return match.variant.winnerLeadsNextDeal ? match.lastWinner : null;
}
