// Rules engine benchmark (not a test): `npm run bench:rules [-- --json]`.
// 1. legalPlays on random 13-card hands, leading and following each kind of table: median and
//    p90 microseconds per call. Tables are drawn from the 39 cards not in the hand.
// 2. Whole random 4-seat deals through the public API (legalActions on the seat's view, a
//    seeded random choice, applyAction): deals per second and microseconds per deal, by the
//    wall clock and by this process's CPU time (the CPU figure holds on a busy machine).
import { loadavg } from "node:os";
import {
  applyAction,
  createRng,
  fullDeck,
  legalActions,
  legalPlays,
  newDeal,
  shuffle,
  viewFor,
  type Action,
  type Card,
  type Combo,
  type ComboKind,
  type Rng,
} from "../src/rules/index.ts";

const JSON_OUTPUT = process.argv.includes("--json");
const SAMPLES = 2000;
const ROUNDS = 5;
const DEAL_SECONDS = 3;

interface Sample {
  hand: Card[];
  table: Combo | null;
}

interface CallStats {
  scenario: string;
  calls: number;
  medianUs: number;
  p90Us: number;
  meanPlays: number;
}

const KINDS: ComboKind[] = ["single", "pair", "triple", "straight", "flush", "fullHouse", "fourOfAKind", "straightFlush"];

function samplesFor(kind: ComboKind | null, rng: Rng): Sample[] {
  const out: Sample[] = [];
  while (out.length < SAMPLES) {
    const deck = shuffle(fullDeck(), rng);
    const hand = deck.slice(0, 13);
    if (kind === null) {
      out.push({ hand, table: null });
      continue;
    }
    const tables = legalPlays(deck.slice(13), null).filter((c) => c.kind === kind);
    if (tables.length > 0) out.push({ hand, table: tables[rng.int(tables.length)] });
  }
  return out;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function timeCalls(scenario: string, samples: readonly Sample[]): CallStats {
  let plays = 0;
  for (const s of samples) plays += legalPlays(s.hand, s.table).length; // warm-up
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of samples) {
      const t0 = process.hrtime.bigint();
      legalPlays(s.hand, s.table);
      times.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  return {
    scenario,
    calls: times.length,
    medianUs: quantile(times, 0.5),
    p90Us: quantile(times, 0.9),
    meanPlays: plays / samples.length,
  };
}

function randomDeal(seed: string, rng: Rng): number {
  let state = newDeal({ seats: 4, seed });
  let turns = 0;
  while (state.winner === null) {
    const seat = state.turn;
    const { canPass, plays } = legalActions(viewFor(state, seat));
    const k = rng.int(plays.length + (canPass ? 1 : 0));
    const action: Action = k < plays.length ? { type: "play", seat, cards: plays[k].cards } : { type: "pass", seat };
    const r = applyAction(state, action);
    if (!r.ok) throw new Error(`legal action refused: ${r.code}`);
    state = r.state;
    turns++;
  }
  return turns;
}

interface DealStats {
  deals: number;
  dealsPerSecond: number;
  usPerDeal: number;
  medianUsPerDeal: number;
  cpuUsPerDeal: number;
  meanTurns: number;
}

function timeDeals(): DealStats {
  const rng = createRng("bench deals");
  for (let i = 0; i < 200; i++) randomDeal(`warm${i}`, rng);
  const times: number[] = [];
  let turns = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const budget = BigInt(DEAL_SECONDS * 1e9);
  while (process.hrtime.bigint() - start < budget) {
    const t0 = process.hrtime.bigint();
    turns += randomDeal(`deal${times.length}`, rng);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const totalUs = Number(process.hrtime.bigint() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  return {
    deals: times.length,
    dealsPerSecond: Math.round((times.length / totalUs) * 1e6),
    usPerDeal: totalUs / times.length,
    medianUsPerDeal: quantile(times, 0.5),
    cpuUsPerDeal: (cpu.user + cpu.system) / times.length,
    meanTurns: turns / times.length,
  };
}

const rng = createRng("bench legalPlays");
const calls: CallStats[] = [timeCalls("lead", samplesFor(null, rng))];
for (const kind of KINDS) calls.push(timeCalls(`follow ${kind}`, samplesFor(kind, rng)));
const deals = timeDeals();

const result = {
  bench: "rules",
  node: process.version,
  date: new Date().toISOString(),
  loadAverage1m: loadavg()[0],
  legalPlays: calls,
  deals,
  targets: { leadMedianUs: 50, usPerDeal: 1000 },
};

if (JSON_OUTPUT) {
  console.log(JSON.stringify(result));
} else {
  const f = (x: number): string => x.toFixed(2).padStart(9);
  console.log(
    `rules bench, node ${process.version}, load average ${loadavg()[0].toFixed(2)}; ` +
      `${SAMPLES} random 13-card hands x ${ROUNDS} rounds per row`,
  );
  console.log("");
  console.log(`${"legalPlays".padEnd(22)}${"median µs".padStart(10)}${"p90 µs".padStart(10)}${"plays".padStart(8)}`);
  for (const c of calls) {
    console.log(`${c.scenario.padEnd(22)} ${f(c.medianUs)} ${f(c.p90Us)}${c.meanPlays.toFixed(1).padStart(8)}`);
  }
  console.log("");
  console.log(
    `random 4-seat deals: ${deals.deals} in ${DEAL_SECONDS} s = ${deals.dealsPerSecond} deals/s, ` +
      `${deals.usPerDeal.toFixed(0)} µs/deal (median ${deals.medianUsPerDeal.toFixed(0)} µs, ` +
      `CPU ${deals.cpuUsPerDeal.toFixed(0)} µs), ${deals.meanTurns.toFixed(1)} turns/deal`,
  );
  const lead = calls[0].medianUs;
  console.log(
    `targets: lead median < 50 µs: ${lead < 50 ? "met" : "MISSED"} (${lead.toFixed(2)}); ` +
      `deal < 1000 µs: ${deals.usPerDeal < 1000 ? "met" : "MISSED"} (${deals.usPerDeal.toFixed(0)})`,
  );
}
