import { legalActions, type Combo, type PlayerView, type Rng } from "../../rules/index.ts";
import { knowledge, plan, without } from "../plan.ts";
import { plannedPlayout, playout } from "../playout.ts";
import { sampler } from "../sample.ts";
import { moveOfCombo, SimDeal, type Move } from "../sim.ts";
import type { BotAction, Strategy } from "../strategy.ts";
import { expertChoice, situation } from "./expert.ts";

export interface SearchOptions {
  /** Wall-clock time per decision, ms. */
  budgetMs?: number;
  /** Stop after this many sampled deals instead (deterministic for a given rng; tests use it). */
  iterations?: number;
  /** At most this many candidate actions are searched (the expert's pick and pass always are). */
  maxCandidates?: number;
  /** The expert's pick wins ties within this many points of expected score. */
  expertPrior?: number;
  /** Playout policy: "planned" (each seat follows a plan of its hand) or "greedy" (faster, weaker). */
  playout?: "planned" | "greedy";
  /** Clock, injectable for tests. */
  now?: () => number;
}

export const DEFAULT_SEARCH: Required<Omit<SearchOptions, "iterations" | "now">> = {
  budgetMs: 100,
  maxCandidates: 8,
  expertPrior: 0.5,
  playout: "planned",
};

/** Never fewer than this many sampled deals, whatever the clock says, so a decision means something. */
const MIN_ITERATIONS = 8;

/**
 * Determinized Monte Carlo search. For each decision it deals the unseen cards among the
 * opponents many times (sample.ts: consistent with their counts and what they played, weighted
 * by their passes), plays every candidate action out to the end of the deal on each sampled deal
 * (the same deals for every candidate, so their difference is the action's, not the sample's)
 * with the planned playout policy (every seat follows a plan of its own sampled hand, playout.ts),
 * and picks the action with the best weighted mean score.
 * Candidates: pass, the expert's choice, and the legal plays that leave the best-planned hands.
 */
export function searchStrategy(options: SearchOptions = {}): Strategy {
  const budgetMs = options.budgetMs ?? DEFAULT_SEARCH.budgetMs;
  const maxCandidates = options.maxCandidates ?? DEFAULT_SEARCH.maxCandidates;
  const prior = options.expertPrior ?? DEFAULT_SEARCH.expertPrior;
  const now = options.now ?? (() => performance.now());
  const planned = (options.playout ?? DEFAULT_SEARCH.playout) === "planned";
  if (!(budgetMs > 0)) throw new TypeError(`Expected \`budgetMs\` to be a positive number, got ${budgetMs}`);

  return (view: PlayerView, rng: Rng): BotAction => {
    const start = now();
    const { canPass, plays } = legalActions(view);
    if (plays.length === 0) return { type: "pass" };
    if (plays.length === 1 && !canPass) return { type: "play", cards: plays[0].cards };
    const all = plays.find((p) => p.cards.length === view.hand.length);
    if (all) return { type: "play", cards: all.cards };

    const expert = expertChoice(view, plays);
    const candidates = pickCandidates(view, plays, canPass, expert, maxCandidates);
    if (candidates.length === 1) return act(candidates[0]);

    const sit = situation(view);
    const c = sit.deal.c;
    const me = view.seat;
    const moves: (Move | null)[] = candidates.map((p) => (p === null ? null : moveOfCombo(p, c)));
    // Our own plan after each candidate is the same on every sampled deal: make it once.
    const myPlans = planned ? moves.map((m) => plan(m === null ? sit.hand : without(sit.hand, m.cards), sit.know).combos) : [];
    const plans: Move[][] = [];
    const oppPlans: Move[][] = [];
    const sample = sampler(view);
    const sums = new Float64Array(candidates.length);
    let weights = 0;
    const scratch = new SimDeal(view.seats, view.variant);
    const deadline = start + budgetMs;
    const limit = options.iterations ?? Infinity;
    for (let it = 0; it < limit; it++) {
      if (options.iterations === undefined && it >= MIN_ITERATIONS && now() >= deadline) break;
      const { deal, weight } = sample(rng);
      if (planned) for (let s = 0; s < view.seats; s++) if (s !== me) oppPlans[s] = planOf(deal, s);
      for (let i = 0; i < moves.length; i++) {
        scratch.copyFrom(deal);
        scratch.act(moves[i]);
        if (planned) {
          for (let s = 0; s < view.seats; s++) plans[s] = (s === me ? myPlans[i] : oppPlans[s]).slice();
          plannedPlayout(scratch, plans);
        } else {
          playout(scratch);
        }
        sums[i] += weight * scratch.delta(me);
      }
      weights += weight;
    }
    let best = 0;
    let bestValue = -Infinity;
    candidates.forEach((p, i) => {
      const value = sums[i] / weights + (p === expert ? prior : 0);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    });
    return act(candidates[best]);
  };
}

/** Seat `s`'s plan of its (sampled) hand, from what it can know. */
function planOf(deal: SimDeal, s: number): Move[] {
  const hand = deal.hands.slice(s * 13, s * 13 + 13);
  let oppMax = 0;
  for (let t = 0; t < deal.n; t++) if (t !== s && deal.counts[t] > oppMax) oppMax = deal.counts[t];
  return plan(hand, knowledge(deal.c, hand, deal.played, oppMax)).combos;
}

function act(p: Combo | null): BotAction {
  return p === null ? { type: "pass" } : { type: "play", cards: p.cards };
}

/** Pass (when allowed), the expert's choice, then the plays that leave the cheapest plans. */
function pickCandidates(view: PlayerView, plays: readonly Combo[], canPass: boolean, expert: Combo | null, max: number): (Combo | null)[] {
  const out: (Combo | null)[] = [];
  if (canPass) out.push(null);
  if (expert !== null) out.push(expert);
  const rest = plays.filter((p) => p !== expert);
  if (out.length + rest.length <= max) return [...out, ...rest];
  const sit = situation(view);
  const scored = rest.map((p) => ({ p, cost: plan(without(sit.hand, moveOfCombo(p, sit.deal.c).cards), sit.know, false).cost }));
  scored.sort((a, b) => a.cost - b.cost);
  for (const s of scored) {
    if (out.length >= max) break;
    out.push(s.p);
  }
  return out;
}
