// Duplicate-deal tournaments between two bot levels. Each deal is played twice with the same
// hands: seats A B A B, then B A B A, so the luck of the cards cancels and what is left is skill.
// The deals are played by the rules engine itself (applyAction, viewFor): strategies get exactly
// the view a player would, and nothing a strategy does can bend the rules.
import { applyAction, createRng, legalActions, newDeal, scoreDeal, viewFor, type Rng, type Variant } from "../rules/index.ts";
import type { Strategy } from "./strategy.ts";
import { strategyFor, type BotLevel } from "./strategies/index.ts";

export const LEVEL_NAMES: Record<string, BotLevel> = {
  random: "random",
  easy: "easy",
  greedy: "easy",
  normal: "normal",
  expert: "normal",
  hard: "hard",
  search: "hard",
};

export function parseLevel(name: string): BotLevel {
  const level = LEVEL_NAMES[name];
  if (!level) throw new TypeError(`Expected a bot level (${Object.keys(LEVEL_NAMES).join(", ")}), got ${JSON.stringify(name)}`);
  return level;
}

/** One duplicate deal's outcome for side A. */
export interface DuplicateResult {
  /** A's score for the deal: the sum of its two seats' deltas, averaged over the two games. */
  score: number;
  /** Seat-deals A won (out of 4: two seats in each of two games). */
  wins: number;
  /** ms per decision of A's seats; `contested`: only decisions with more than one choice. */
  times: number[];
  contested: number[];
}

export interface Contestants {
  a: Strategy;
  b: Strategy;
}

const MAX_ACTIONS = 2000;

/** Play the deal of `seed` once with `strategies[seat]`; returns the deltas and A's decision times. */
export function playGame(
  seed: string,
  strategies: Strategy[],
  isA: boolean[],
  rngs: Rng[],
  times: number[],
  contested: number[],
  variant?: Partial<Variant>,
): number[] {
  let state = newDeal({ seats: strategies.length, seed, variant });
  for (let n = 0; state.winner === null; n++) {
    if (n > MAX_ACTIONS) throw new Error(`deal ${seed} did not end after ${MAX_ACTIONS} actions`);
    const seat = state.turn;
    const view = viewFor(state, seat);
    const t0 = performance.now();
    const action = strategies[seat](view, rngs[seat]);
    const ms = performance.now() - t0;
    if (isA[seat]) {
      times.push(ms);
      const { canPass, plays } = legalActions(view);
      if (plays.length + (canPass ? 1 : 0) > 1) contested.push(ms);
    }
    const result = applyAction(state, action.type === "play" ? { type: "play", seat, cards: action.cards } : { type: "pass", seat });
    if (!result.ok) throw new Error(`seat ${seat} made an illegal move in deal ${seed}: ${result.code} ${result.message}`);
    state = result.state;
  }
  return scoreDeal(state).scores.map((s) => s.delta);
}

/** Deal number `i` of a tournament seeded `seed`, played both ways round. */
export function playDuplicate(seed: string, i: number, who: Contestants): DuplicateResult {
  const dealSeed = `${seed}:${i}`;
  const times: number[] = [];
  const contested: number[] = [];
  let total = 0;
  let wins = 0;
  for (const game of [0, 1]) {
    // Game 0: A sits at seats 0 and 2; game 1: at seats 1 and 3.
    const isA = [0, 1, 2, 3].map((s) => s % 2 === game);
    const strategies = isA.map((a) => (a ? who.a : who.b));
    const rngs = [0, 1, 2, 3].map((s) => createRng(`${dealSeed}:${game}:${s}`));
    const deltas = playGame(dealSeed, strategies, isA, rngs, times, contested);
    deltas.forEach((d, s) => {
      if (!isA[s]) return;
      total += d;
      if (d > 0) wins++;
    });
  }
  return { score: total / 2, wins, times, contested };
}

export function contestants(a: BotLevel, b: BotLevel, budgetMs?: number): Contestants {
  return { a: strategyFor(a, { budgetMs }), b: strategyFor(b, { budgetMs }) };
}

export interface Summary {
  a: string;
  b: string;
  deals: number;
  meanScoreA: number;
  ciLow: number;
  ciHigh: number;
  winRateA: number;
  msPerDecisionA: number;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Mean of the per-deal scores with a normal-approximation 95% interval. */
export function meanCi(scores: number[]): { mean: number; low: number; high: number } {
  const n = scores.length;
  const mean = scores.reduce((x, y) => x + y, 0) / n;
  const variance = n > 1 ? scores.reduce((acc, x) => acc + (x - mean) ** 2, 0) / (n - 1) : 0;
  const half = 1.96 * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half };
}

export function summarize(a: string, b: string, results: DuplicateResult[], times: number[]): Summary {
  const { mean, low, high } = meanCi(results.map((r) => r.score));
  const wins = results.reduce((acc, r) => acc + r.wins, 0);
  const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    a,
    b,
    deals: results.length,
    meanScoreA: round(mean),
    ciLow: round(low),
    ciHigh: round(high),
    winRateA: round(wins / (4 * results.length), 4),
    msPerDecisionA: round(median(times)),
  };
}
