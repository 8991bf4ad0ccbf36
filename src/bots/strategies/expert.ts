import { legalActions, type Combo, type PlayerView } from "../../rules/index.ts";
import { isControl, knowledge, plan, without, type Knowledge, type Plan } from "../plan.ts";
import { moveOfCombo, SimDeal, type Move } from "../sim.ts";
import type { BotAction } from "../strategy.ts";

/** Tuning of the expert's choices; exported for the tuning runs and for search's pruning. */
export const EXPERT_WEIGHTS = {
  /** Following with a control when nobody is close to going out: what keeping it is worth. */
  keepControl: 9,
  /** Winning a trick gives the lead: worth this much when the play is sure to win it. */
  leadBonus: 0,
  /** Passing lets the opponent on top, holding this few cards or fewer, keep the lead... */
  dangerCards: 7,
  /** ...which costs this much divided by its cards left. */
  dangerPass: 100,
};

/** What a view tells the planner: the hand as suit masks, the knowledge, the opponents' counts. */
export interface Situation {
  view: PlayerView;
  deal: SimDeal;
  hand: Uint8Array;
  know: Knowledge;
  /** Fewest cards any opponent holds. */
  oppMin: number;
}

export function situation(view: PlayerView): Situation {
  const deal = SimDeal.fromView(view);
  const me = view.seat;
  const hand = deal.hands.slice(me * 13, me * 13 + 13);
  let oppMax = 0, oppMin = 99;
  view.counts.forEach((n, s) => {
    if (s === me) return;
    oppMax = Math.max(oppMax, n);
    oppMin = Math.min(oppMin, n);
  });
  return { view, deal, hand, know: knowledge(deal.c, hand, deal.played, oppMax), oppMin };
}

/**
 * The expert: plans the hand as the fewest combinations (plan.ts), counts the cards played to
 * know which combinations still control their kind of trick, leads its weakest combinations,
 * follows with combinations the plan wants gone, keeps 2s and strong five-card hands until they
 * win the lead or an opponent is close to going out, and plays out when it can finish.
 */
export function expertStrategy(view: PlayerView): BotAction {
  const { plays } = legalActions(view);
  if (plays.length === 0) return { type: "pass" };
  const pick = expertChoice(view, plays);
  return pick === null ? { type: "pass" } : { type: "play", cards: pick.cards };
}

/** The expert's choice among `plays` (the view's legal plays); null = pass. */
export function expertChoice(view: PlayerView, plays: readonly Combo[]): Combo | null {
  const all = plays.find((p) => p.cards.length === view.hand.length);
  if (all) return all;
  const sit = situation(view);
  const moves = plays.map((p) => moveOfCombo(p, sit.deal.c));
  const i = view.top === null ? lead(sit, moves) : follow(sit, moves, view.top.seat);
  return i < 0 ? null : plays[i];
}

function sameCards(a: Move, b: Move): boolean {
  return a.size === b.size && a.cards.every((x, i) => x === b.cards[i]);
}

function lead(sit: Situation, moves: Move[]): number {
  const { hand, know, deal } = sit;
  if (deal.must >= 0) {
    // The first play of the deal: the plan's combination with the start card, if there is one.
    const p = plan(hand, know);
    const withStart = p.combos.find((m) => m.cards.includes(deal.must));
    const j = withStart ? moves.findIndex((m) => sameCards(m, withStart)) : -1;
    if (j >= 0) return j;
    return cheapest(sit, moves);
  }
  const p = plan(hand, know);
  const j = leadFromPlan(sit, p);
  const k = j === null ? -1 : moves.findIndex((m) => sameCards(m, j));
  return k >= 0 ? k : cheapest(sit, moves);
}

/** The lead a plan suggests: play out when it can finish, otherwise the weakest combination. */
export function leadFromPlan(sit: Situation, p: Plan): Move | null {
  const { know, oppMin } = sit;
  if (p.combos.length === 0) return null;
  if (p.losers <= 1) {
    // Every control keeps the lead; the one loser goes last.
    const order = [...p.combos].sort((a, b) => Number(b.control) - Number(a.control) || b.size - a.size);
    return order[0];
  }
  let best = p.combos[0];
  let bestScore = Infinity;
  for (const m of p.combos) {
    let s = m.strength - (m.size === 5 ? 0.3 : m.size === 3 ? 0.2 : m.size === 2 ? 0.12 : 0);
    if (m.control) s += 2;
    // An opponent about to go out answers a small combination of its size: avoid leading those.
    if (m.size <= oppMin && oppMin <= 2 && !isControl(m.size, m.value, know)) s += 3 - m.strength;
    if (s < bestScore) {
      bestScore = s;
      best = m;
    }
  }
  return best;
}

/** The play that leaves the cheapest plan. */
function cheapest(sit: Situation, moves: Move[]): number {
  let best = 0;
  let bestCost = Infinity;
  moves.forEach((m, i) => {
    const cost = plan(without(sit.hand, m.cards), sit.know, false).cost;
    if (cost < bestCost) {
      bestCost = cost;
      best = i;
    }
  });
  return best;
}

function follow(sit: Situation, moves: Move[], topSeat: number): number {
  const { hand, know, view, oppMin } = sit;
  const w = EXPERT_WEIGHTS;
  const base = plan(hand, know, false).cost;
  const topCount = view.counts[topSeat];
  // Pass: nothing changes, unless the player on top is about to go out.
  let best = -1;
  let bestScore = topCount <= w.dangerCards ? w.dangerPass / topCount : 0;
  const urgent = oppMin <= 2;
  moves.forEach((m, i) => {
    const rest = without(hand, m.cards);
    let score = plan(rest, know, false).cost - base;
    if (isControl(m.size, m.value, know)) {
      if (plan(rest, know).losers <= 1) score -= 1000; // wins the lead and then the deal
      score -= w.leadBonus;
      if (!urgent) score += w.keepControl * Math.min(1, (oppMin - 2) / 6);
    }
    // Against an opponent about to go out, the higher the better.
    if (urgent && m.size <= oppMin) score -= (m.value / (m.size === 3 ? 13 : 52)) * 4;
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best;
}
