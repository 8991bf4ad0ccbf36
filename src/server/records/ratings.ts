// Ratings: Weng-Lin Bayesian rating (OpenSkill's Plackett-Luce model) by final placement.
// Why this method: Big Two is a free-for-all of 2-4 players ending in a full order (with ties),
// and Plackett-Luce rates exactly that in one update, where Elo and Glicko-2 rate pairs and would
// need the match cut into pairwise games. It is TrueSkill's idea without its patents and
// iterations, and with equal uncertainties its mean updates sum to zero.

import { ordinal, rate, rating as newRating } from "openskill";

export interface Skill {
  mu: number;
  sigma: number;
}

export const START: Skill = newRating();

/** Bots play at fixed skills by level, never updated. */
export const BOT_SKILL: Record<string, Skill> = {
  random: { mu: 10, sigma: 2 },
  easy: { mu: 18, sigma: 2 },
  normal: { mu: 25, sigma: 2 },
  hard: { mu: 30, sigma: 2 },
};

export function botSkill(level: string | undefined | null): Skill {
  return BOT_SKILL[level ?? "normal"] ?? BOT_SKILL.normal;
}

/** The number people see: 1000 for a newcomer, growing as the system grows sure they are good. */
export function shownRating(s: Skill): number {
  return Math.round(1000 + 40 * ordinal(s));
}

export interface Entrant {
  skill: Skill;
  /** 1 = best; equal places are ties. */
  place: number;
  /** A bot: takes part, is not updated. */
  fixed: boolean;
}

/** New skills for every entrant, in the order given (fixed entrants come back unchanged). */
export function rateMatch(entrants: readonly Entrant[]): Skill[] {
  if (entrants.length < 2) return entrants.map((e) => e.skill);
  const teams = entrants.map((e) => [{ mu: e.skill.mu, sigma: e.skill.sigma }]);
  const out = rate(teams, { rank: entrants.map((e) => e.place) });
  return entrants.map((e, i) => (e.fixed ? e.skill : { mu: out[i][0].mu, sigma: out[i][0].sigma }));
}

/** Places from final totals: the highest total is 1st; equal totals share a place (1, 1, 3, 4). */
export function placesFromTotals(totals: readonly number[]): number[] {
  return totals.map((t) => 1 + totals.filter((u) => u > t).length);
}
