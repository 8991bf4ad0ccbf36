// A finished deal, rebuilt play by play from its record with the same reducer the live table
// ran (state = actions.reduce(applyAction, newDeal(...))), so a replay shows exactly what was
// played, every hand face up. Pure: no DOM, no clock; the replay page steps through `frames`.
import type { Action, Card, DealEvent, DealResult, DealState, Variant } from "../rules/types.ts";
import { applyAction, compareCards, newDeal, resolveVariant, scoreDeal, sortCards } from "../rules/index.ts";

/** One deal as the records API keeps it (docs/api.md): its hands as dealt, every action, its result. */
export interface RecordedDeal {
  /** The shuffle seed; when present the deal is re-dealt from it and must give `hands`. */
  seed?: string | null;
  /** The seat that led with any combination (winner leads next deal); null: the start-card rule. */
  leader?: number | null;
  /** Each seat's hand as dealt. */
  hands: Card[][];
  /** Every action in order, as the table accepted it (a `timeout` is the clock acting). */
  actions: Action[];
  result: DealResult;
}

export interface Replay {
  /** frames[0] is the deal as dealt; frames[i] the deal after the i-th action. */
  frames: DealState[];
  /** events[i] took frames[i] to frames[i + 1]. */
  events: DealEvent[];
  /** The result the rebuilt deal scores, which equals the recorded one (checked). */
  result: DealResult;
}

export type ReplayError = {
  ok: false;
  code: "replay/bad-record" | "replay/hands-mismatch" | "replay/illegal-action" | "replay/unfinished" | "replay/result-mismatch";
  message: string;
};

export type ReplayBuild = { ok: true; replay: Replay } | ReplayError;

function fail(code: ReplayError["code"], message: string): ReplayError {
  return { ok: false, code, message };
}

function sameCards(a: readonly Card[], b: readonly Card[], v: Variant): boolean {
  if (a.length !== b.length) return false;
  const x = sortCards(a, v);
  const y = sortCards(b, v);
  return x.every((c, i) => c === y[i]);
}

/**
 * The deal as dealt from its hands alone (a record without a seed), by the start rules of
 * newDeal: the holder of the lowest card leads and, with firstPlayMustContainStart, must play it;
 * with `leader`, that seat leads with anything.
 */
export function dealFromHands(variant: Variant, hands: Card[][], leader: number | null): DealState {
  const seats = hands.length;
  const sorted = hands.map((h) => sortCards(h, variant));
  let lowSeat = 0;
  let low: Card | null = null;
  sorted.forEach((hand, s) => {
    if (hand.length > 0 && (low === null || compareCards(hand[0], low, variant) < 0)) {
      low = hand[0];
      lowSeat = s;
    }
  });
  if (low === null) throw new TypeError("dealFromHands: every hand is empty");
  return {
    variant,
    seats,
    counts: sorted.map((h) => h.length),
    turn: leader ?? lowSeat,
    top: null,
    passed: new Array<boolean>(seats).fill(false),
    playedAny: new Array<boolean>(seats).fill(false),
    mustContain: leader === null && variant.firstPlayMustContainStart ? low : null,
    played: [],
    history: [],
    winner: null,
    hands: sorted,
    setAside: [],
  };
}

function sameResult(a: DealResult, b: DealResult): boolean {
  return (
    a.winner === b.winner &&
    a.scores.length === b.scores.length &&
    a.scores.every((s, i) => s.cardsLeft === b.scores[i].cardsLeft && s.penalty === b.scores[i].penalty && s.delta === b.scores[i].delta)
  );
}

/**
 * Rebuild a recorded deal. Refuses, with a stable code, a record whose seed does not give its
 * hands, an action the reducer rejects, a deal that does not end, or a result other than the one
 * the rebuilt deal scores: a replay that showed something else than what was played would lie.
 */
export function buildReplay(variantIn: Partial<Variant> | undefined, deal: RecordedDeal): ReplayBuild {
  const variant = resolveVariant(variantIn);
  const seats = Array.isArray(deal?.hands) ? deal.hands.length : 0;
  if (seats < 2 || seats > 4 || !Array.isArray(deal.actions)) {
    return fail("replay/bad-record", "This deal's record has no hands or no actions.");
  }
  const leader = deal.leader ?? null;
  let start: DealState;
  try {
    if (deal.seed) {
      start = newDeal({ variant, seats, seed: deal.seed, leader });
      if (!start.hands.every((h, s) => sameCards(h, deal.hands[s], variant))) {
        return fail("replay/hands-mismatch", "The recorded hands are not the ones this deal's seed deals.");
      }
    } else {
      start = dealFromHands(variant, deal.hands, leader);
    }
  } catch (err) {
    return fail("replay/bad-record", `This deal's record cannot be dealt: ${(err as Error).message}`);
  }
  const frames: DealState[] = [start];
  const events: DealEvent[] = [];
  let state = start;
  for (let i = 0; i < deal.actions.length; i++) {
    const r = applyAction(state, deal.actions[i]);
    if (!r.ok) return fail("replay/illegal-action", `Action ${i + 1} of ${deal.actions.length} is refused by the rules (${r.code}).`);
    state = r.state;
    frames.push(state);
    events.push(r.event);
  }
  if (state.winner === null) return fail("replay/unfinished", "This deal's record ends before anyone went out.");
  const result = scoreDeal(state);
  if (deal.result && !sameResult(result, deal.result)) {
    return fail("replay/result-mismatch", "The rebuilt deal scores differently from its recorded result.");
  }
  return { ok: true, replay: { frames, events, result } };
}

/** Clamp a step index to the replay (0 = as dealt, frames.length - 1 = the end). */
export function clampStep(replay: Replay, index: number): number {
  return Math.max(0, Math.min(replay.frames.length - 1, Math.trunc(index)));
}

/** The trick as it stands at a frame: the events since the table was last cleared, oldest first. */
export function trickAt(replay: Replay, index: number): DealEvent[] {
  const state = replay.frames[index];
  if (state.top === null) return [];
  const out: DealEvent[] = [];
  // Walk back to the play that opened this trick: the frame before it has an empty table.
  for (let i = index; i > 0; i--) {
    out.unshift(replay.events[i - 1]);
    if (replay.frames[i - 1].top === null) break;
  }
  return out;
}
