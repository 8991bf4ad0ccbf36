// What one action costs the game server, piece by piece, without sockets: each step of the
// server's path for a play is timed in isolation over a few thousand recorded actions. The
// throughput scenario measures the whole (server CPU per delivered frame, beside a bare relay);
// this says where the difference goes. Usage: node --import tsx bench/tools/hot-path.ts
import { randomBytes } from "node:crypto";
import { greedyStrategy } from "../../src/bots/strategies/index.ts";
import { decodeClientMessage } from "../../src/protocol/index.ts";
import { applyEvent, nextDealLeader, viewFor, type Action, type PlayerView } from "../../src/rules/index.ts";
import { foldEntry, growInPlace, newGame, type Game } from "../../src/server/game.ts";
import { frame, playFrame } from "../../src/server/frame.ts";
import { resolveSettings } from "../../src/server/lobby.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { MemoryStore } from "../../src/server/ports/memory.ts";
import type { LogEntry } from "../../src/server/ports/table-log.ts";

const settings = resolveSettings({ seats: 4, deals: null, lossLimit: 10000, turnSeconds: 30 }, { turnSeconds: 30 }, "bench");

/** Play `deals` deals with the greedy bot and record the log, as a table would. */
function record(deals: number): { log: LogEntry[]; clientTexts: string[] } {
  const log: LogEntry[] = [];
  const clientTexts: string[] = [];
  let game: Game = newGame(settings);
  let seq = 0;
  for (let d = 0; d < deals; d++) {
    const entry: LogEntry = { kind: "deal", n: ++seq, seq, seats: [], at: 0, dealNo: d + 1, seed: randomBytes(16).toString("hex"), leader: nextDealLeader(game.match), match: game.match, lastResult: game.lastResult };
    let f = foldEntry(game, settings, entry);
    if (!f.ok) throw new Error(f.code);
    game = f.game;
    log.push(entry);
    const views: PlayerView[] = [0, 1, 2, 3].map((s) => viewFor(game.deal!, s));
    while (game.deal && game.deal.winner === null) {
      const s = game.deal.turn;
      const a = greedyStrategy(views[s]);
      const action: Action = a.type === "play" ? { type: "play", seat: s, cards: a.cards } : { type: "pass", seat: s };
      clientTexts.push(JSON.stringify(a.type === "play" ? { type: "play", cards: a.cards } : { type: "pass" }));
      const e: LogEntry = { kind: "action", n: ++seq, seq, action, at: 0 };
      f = foldEntry(game, settings, e);
      if (!f.ok) throw new Error(f.code);
      game = f.game;
      log.push(e);
      for (let v = 0; v < 4; v++) views[v] = applyEvent(views[v], f.event!);
    }
  }
  return { log, clientTexts };
}

/** Mean µs per call of `fn` over `n` calls, the best of a few repetitions (the least disturbed). */
async function time(n: number, fn: (i: number) => unknown): Promise<number> {
  let best = Infinity;
  for (let rep = 0; rep < 7; rep++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = fn(i);
      if (r instanceof Promise) await r;
    }
    best = Math.min(best, ((performance.now() - t0) * 1000) / n);
  }
  return best;
}

const { log, clientTexts } = record(60);
const actions = log.filter((e) => e.kind === "action").length;
const dealsN = log.length - actions;
const perDeal = actions / dealsN;
const rows: [string, number][] = [];

rows.push(["decode: JSON.parse + schema check of the play", await time(clientTexts.length, (i) => decodeClientMessage(clientTexts[i]))]);

// The rules: fold every logged entry, as a live table does (deals included, spread per action;
// the table's keeper appends to each deal's own lists, fresh for every deal).
{
  const us = await time(1, () => {
    let g = newGame(settings);
    for (const e of log) {
      const f = foldEntry(g, settings, e, growInPlace);
      if (f.ok) g = f.game;
    }
  });
  rows.push(["rules: foldEntry (check + apply), per action, deals spread", us / actions]);
}

{
  const store = new MemoryStore();
  await store.join({ id: "bench", url: "" }, 2 ** 31 - 1);
  const fences = await Promise.all(Array.from({ length: 500 }, (_, t) => store.claim(`t${t}`, null, "bench")));
  const entries = Array.from({ length: 500 }, () => 0);
  rows.push([
    "store: MemoryStore.append (fenced; entry copy included)",
    await time(20_000, async (i) => {
      const t = i % 500;
      store.append(`t${t}`, { ...log[i % log.length], n: ++entries[t] }, fences[t]);
    }),
  ]);
}

{
  const m = createMetrics();
  rows.push([
    "metrics: actions.inc + latency.observe + 1 frame in + 4.2 frames out",
    await time(100_000, () => {
      m.actions.accepted.inc();
      m.actionLatency.observe(0.0004);
      m.framesIn.inc();
      m.framesOut.inc();
      m.framesOut.inc();
      m.framesOut.inc();
      m.framesOut.inc();
    }),
  ]);
}

{
  // The play frame as #act builds it, encoded once.
  let g = newGame(settings);
  const events: unknown[] = [];
  for (const e of log) {
    const f = foldEntry(g, settings, e);
    if (f.ok) {
      g = f.game;
      if (f.event) events.push(f.event);
    }
  }
  rows.push([
    "encode: the play frame, once (encodePlay)",
    await time(events.length, (i) => playFrame({ type: "play", tableId: "AbCdEfGh", seq: i, event: events[i] as never, turnMs: 29_999 }).text),
  ]);
}

{
  // Per deal: the seed, four seat views and four deal frames; spread over the deal's actions.
  let g = newGame(settings);
  const states: Game[] = [];
  for (const e of log) {
    const f = foldEntry(g, settings, e);
    if (f.ok) g = f.game;
    if (e.kind === "deal") states.push(g);
  }
  let bytes = 0;
  const us = await time(states.length, (i) => {
    bytes += randomBytes(16).toString("hex").length;
    for (let s = 0; s < 4; s++) bytes += frame({ type: "deal", tableId: "AbCdEfGh", seq: 1, dealNo: 1, deal: viewFor(states[i].deal!, s), turnMs: 30_000 }).text.length;
  });
  if (bytes === 0) throw new Error("nothing encoded");
  rows.push(["deal start: seed, 4 views, 4 deal frames encoded (per action)", us / perDeal]);
}

const total = rows.reduce((a, [, v]) => a + v, 0);
process.stdout.write(`Server hot path, µs per action (${actions} actions over ${dealsN} deals, ${perDeal.toFixed(1)} actions a deal; node ${process.version})\n\n`);
for (const [k, v] of rows) process.stdout.write(`  ${v.toFixed(2).padStart(7)}  ${k}\n`);
process.stdout.write(`  ${total.toFixed(2).padStart(7)}  total of the parts measured here\n`);
process.stdout.write(`\nNot here: ws framing and the write syscalls (the same work the relay does), routing (hub, mailbox, promises), GC.\n`);
