import { test } from "node:test";
import assert from "node:assert/strict";
import { applyAction, legalActions, newDeal, viewFor } from "../rules/index.ts";
import type { ClientMessage, ServerMessage } from "../protocol/index.ts";
import { BotBrain } from "./brain.ts";
import { greedyStrategy } from "./strategies/index.ts";

const now = (fn: () => void) => {
  fn();
  return () => {};
};

test("the brain acts only on its own turn, from its own view", () => {
  const deal = newDeal({ seats: 4, seed: "brain-1" });
  const sent: ClientMessage[] = [];
  const other = (deal.turn + 1) % 4;
  const idle = new BotBrain({ strategy: greedyStrategy, thinkMs: () => 0, send: (m) => sent.push(m), schedule: now });
  idle.receive({ type: "deal", tableId: "t", seq: 1, dealNo: 1, deal: viewFor(deal, other), turnMs: null });
  assert.equal(sent.length, 0);
  const leader = new BotBrain({ strategy: greedyStrategy, thinkMs: () => 0, send: (m) => sent.push(m), schedule: now });
  leader.receive({ type: "deal", tableId: "t", seq: 1, dealNo: 1, deal: viewFor(deal, deal.turn), turnMs: null });
  assert.equal(sent.length, 1);
  assert.equal(sent[0].type, "play");
  assert.ok(sent[0].type === "play" && sent[0].cards.includes(deal.mustContain!));
});

test("a refused move is followed by the safest legal move, once, so a table never stalls", () => {
  const deal = newDeal({ seats: 4, seed: "brain-2" });
  const sent: ClientMessage[] = [];
  const brain = new BotBrain({
    strategy: () => ({ type: "pass" }), // a leader may not pass: the server will refuse it
    thinkMs: () => 0,
    send: (m) => sent.push(m),
    schedule: now,
  });
  brain.receive({ type: "deal", tableId: "t", seq: 1, dealNo: 1, deal: viewFor(deal, deal.turn), turnMs: null });
  assert.deepEqual(sent, [{ type: "pass" }]);
  brain.receive({ type: "error", code: "pass/leader-cannot-pass", message: "You lead: play something." });
  assert.equal(sent.length, 2);
  assert.equal(sent[1].type, "play");
  brain.receive({ type: "error", code: "play/not-higher", message: "again" });
  assert.equal(sent.length, 2, "falls back only once per turn");
  assert.equal(brain.stats.errors, 2);
});

test("a move the rate limit dropped is made again later, not given up", () => {
  const deal = newDeal({ seats: 4, seed: "brain-3" });
  const sent: ClientMessage[] = [];
  const delays: number[] = [];
  const brain = new BotBrain({
    strategy: greedyStrategy,
    thinkMs: () => 0,
    send: (m) => sent.push(m),
    schedule: (fn, ms) => {
      delays.push(ms);
      fn();
      return () => {};
    },
  });
  brain.receive({ type: "deal", tableId: "t", seq: 1, dealNo: 1, deal: viewFor(deal, deal.turn), turnMs: null });
  assert.equal(sent.length, 1);
  brain.receive({ type: "error", code: "rate/limited", message: "slow down" });
  assert.deepEqual(sent[1], sent[0], "the same move, again");
  assert.ok(delays[1] > 0, "after a pause");
  assert.equal(brain.stats.errors, 0, "not counted as a refusal");
});

test("a move the table could not save (its log unreachable) is sent again, the same move, less and less often, until it is saved: a clock-less table never stalls", () => {
  const deal = newDeal({ seats: 4, seed: "brain-4" });
  const sent: ClientMessage[] = [];
  const delays: number[] = [];
  let asked = 0;
  const brain = new BotBrain({
    // A strategy that draws on the bot's generator: asked again, it could choose another move.
    strategy: (view, rng) => {
      asked++;
      const plays = legalActions(view).plays;
      return { type: "play", cards: plays[rng.int(plays.length)].cards };
    },
    thinkMs: () => 0,
    send: (m) => sent.push(m),
    schedule: (fn, ms) => {
      delays.push(ms);
      fn();
      return () => {};
    },
  });
  brain.receive({ type: "deal", tableId: "t", seq: 1, dealNo: 1, deal: viewFor(deal, deal.turn), turnMs: null });
  for (let i = 0; i < 5; i++) brain.receive({ type: "error", code: "table/log-unavailable", message: "not saved yet" });
  assert.equal(sent.length, 6, "the move and five tries more");
  assert.ok(sent.every((m) => JSON.stringify(m) === JSON.stringify(sent[0])), "the same move each time");
  assert.equal(asked, 1, "the strategy is not asked again");
  assert.deepEqual(delays.filter((ms) => ms > 0), [500, 1000, 2000, 4000, 8000], "backing off");
  assert.equal(brain.stats.errors, 0, "not counted as a refusal");
  // Saved at last: the play comes back, and the next refusal starts from a short wait again.
  const saved = applyAction(deal, { type: "play", seat: deal.turn, cards: (sent[0] as { cards: string[] }).cards as never });
  assert.ok(saved.ok);
  brain.receive({ type: "play", tableId: "t", seq: 2, event: saved.event, turnMs: null });
  brain.receive({ type: "error", code: "table/log-unavailable", message: "not saved yet" });
  assert.equal(delays.at(-1), 500);
});

test("stop cancels a pending move; resume thinks again with the current think time and moves once", () => {
  const deal = newDeal({ seats: 4, seed: "brain-4" });
  const sent: ClientMessage[] = [];
  const pending: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  let think = 60_000;
  const brain = new BotBrain({
    strategy: greedyStrategy,
    thinkMs: () => think,
    send: (m) => sent.push(m),
    schedule: (fn, ms) => {
      const p = { fn, ms, cancelled: false };
      pending.push(p);
      return () => (p.cancelled = true);
    },
  });
  brain.receive({ type: "deal", tableId: "t", seq: 1, dealNo: 1, deal: viewFor(deal, deal.turn), turnMs: null });
  assert.deepEqual(pending.map((p) => [p.ms, p.cancelled]), [[60_000, false]]);
  brain.stop();
  assert.equal(pending[0].cancelled, true);
  think = 0;
  brain.resume();
  assert.deepEqual(pending.map((p) => [p.ms, p.cancelled]), [[60_000, true], [0, false]]);
  pending[1].fn();
  assert.equal(sent.length, 1);
  assert.equal(sent[0].type, "play");
  // Sent, its echo not yet here: the view still says it is this seat's turn, and resuming must
  // not make the move a second time.
  brain.resume();
  assert.equal(pending.length, 2);
  // Not its turn any more (its own play folded in): resuming schedules nothing.
  const played = applyAction(deal, { type: "play", seat: deal.turn, cards: sent[0].type === "play" ? sent[0].cards : [] });
  assert.ok(played.ok);
  brain.receive({ type: "play", tableId: "t", seq: 2, event: played.event, turnMs: null });
  const before = pending.length;
  brain.resume();
  assert.equal(pending.length, before);
});

/** A brain that thinks 60 s and a scheduler that only records: the test runs or cancels each step. */
function recordingBrain() {
  const sent: ClientMessage[] = [];
  const pending: { fn: () => void; cancelled: boolean }[] = [];
  const brain = new BotBrain({
    strategy: greedyStrategy,
    thinkMs: () => 60_000,
    send: (m) => sent.push(m),
    schedule: (fn) => {
      const p = { fn, cancelled: false };
      pending.push(p);
      return () => (p.cancelled = true);
    },
  });
  return { brain, sent, live: () => pending.filter((p) => !p.cancelled) };
}

/** The end of deal 1, with another deal to come. */
const DEAL_END: ServerMessage = {
  type: "dealEnd",
  tableId: "t",
  seq: 2,
  result: { winner: 1, scores: [0, 1, 2, 3].map(() => ({ cardsLeft: 0, penalty: 0, delta: 0 })), hands: [[], [], [], []] },
  totals: [0, 0, 0, 0],
  nextInMs: 5000,
};

test("between deals, a 'ready' the rate limit dropped and stop cancelled is sent on resume", () => {
  const deal = newDeal({ seats: 4, seed: "brain-5" });
  const { brain, sent, live } = recordingBrain();
  brain.receive({ type: "deal", tableId: "t", seq: 1, dealNo: 1, deal: viewFor(deal, 0), turnMs: null });
  brain.receive(DEAL_END);
  assert.deepEqual(sent, [{ type: "ready" }]);
  brain.receive({ type: "error", code: "rate/limited", message: "slow down" });
  assert.equal(live().length, 1, "the retry is scheduled");
  brain.stop();
  assert.equal(live().length, 0);
  brain.resume();
  assert.deepEqual(sent, [{ type: "ready" }, { type: "ready" }], "said again on resume");
  brain.resume();
  assert.equal(sent.length, 2, "and only once");
});

test("a snapshot says whether a deal is on: after a missed deal frame, resume makes the move, not a 'ready'", () => {
  const first = newDeal({ seats: 4, seed: "brain-6a" });
  const second = newDeal({ seats: 4, seed: "brain-6b" });
  const { brain, sent, live } = recordingBrain();
  const seat = second.turn;
  brain.receive({ type: "deal", tableId: "t", seq: 1, dealNo: 1, deal: viewFor(first, seat), turnMs: null });
  brain.receive(DEAL_END);
  // The socket dropped; the next deal began meanwhile, and the snapshot on reconnect shows it.
  const snapshot = { type: "snapshot", tableId: "t", seq: 9, seat, status: "playing", dealNo: 2, deal: viewFor(second, seat) };
  brain.receive(snapshot as unknown as ServerMessage);
  assert.equal(live().length, 1, "its move is being thought about");
  brain.stop();
  brain.resume();
  assert.equal(live().length, 1, "thought about again");
  live()[0].fn();
  assert.deepEqual(sent.map((m) => m.type), ["ready", "play"]);
});

test("a brain that follows a deal holds the view the server would send, and leaves the dealt message as it was", () => {
  let deal = newDeal({ seats: 4, seed: "brain-fold" });
  const seat = 2;
  const dealt = viewFor(deal, seat);
  const asDealt = structuredClone(dealt);
  const brain = new BotBrain({ strategy: greedyStrategy, thinkMs: () => 0, send: () => {}, schedule: () => () => {} });
  brain.receive({ type: "deal", tableId: "t", seq: 1, dealNo: 1, deal: dealt, turnMs: null });
  let seq = 1;
  while (deal.winner === null) {
    const { canPass, plays } = legalActions(viewFor(deal, deal.turn));
    const r = applyAction(deal, canPass ? { type: "pass", seat: deal.turn } : { type: "play", seat: deal.turn, cards: plays[0].cards });
    assert.ok(r.ok);
    deal = r.state;
    brain.receive({ type: "play", tableId: "t", seq: ++seq, event: r.event, turnMs: null });
    assert.deepEqual(brain.view, viewFor(deal, seat));
  }
  assert.ok(seq > 10, "the deal ran to its end");
  assert.deepEqual(dealt, asDealt);
});

/** A strategy whose answers the test hands out: each call waits until `answer` resolves it. */
function later() {
  const asked: { view: import("../rules/index.ts").PlayerView; resolve: (a: import("./strategy.ts").BotAction) => void; reject: (e: Error) => void }[] = [];
  const strategy = (view: import("../rules/index.ts").PlayerView) =>
    new Promise<import("./strategy.ts").BotAction>((resolve, reject) => asked.push({ view, resolve, reject }));
  return { asked, strategy };
}
const settle = () => new Promise((r) => setImmediate(r));

test("an answer that comes later (a search on a worker) is sent if the deal is where it was, and dropped if it moved on", async () => {
  const deal = newDeal({ seats: 4, seed: "brain-async" });
  const sent: ClientMessage[] = [];
  const { asked, strategy } = later();
  const brain = new BotBrain({ strategy, thinkMs: () => 0, send: (m) => sent.push(m), schedule: now });
  brain.receive({ type: "deal", tableId: "t", seq: 1, dealNo: 1, deal: viewFor(deal, deal.turn), turnMs: null });
  assert.equal(asked.length, 1);
  assert.equal(sent.length, 0, "nothing is sent while the answer is awaited");
  const move = legalActions(asked[0].view).plays[0];
  asked[0].resolve({ type: "play", cards: move.cards });
  await settle();
  assert.deepEqual(sent, [{ type: "play", cards: move.cards }]);
  assert.equal(brain.stats.actions, 1);

  // The next time: the turn clock plays for the bot while it thinks; its late answer is dropped.
  const sent2: ClientMessage[] = [];
  const b2 = later();
  const brain2 = new BotBrain({ strategy: b2.strategy, thinkMs: () => 0, send: (m) => sent2.push(m), schedule: now });
  brain2.receive({ type: "deal", tableId: "t", seq: 1, dealNo: 1, deal: viewFor(deal, deal.turn), turnMs: null });
  const auto = legalActions(viewFor(deal, deal.turn)).plays[0];
  const after = applyAction(deal, { type: "play", seat: deal.turn, cards: auto.cards });
  assert.ok(after.ok);
  brain2.receive({ type: "play", tableId: "t", seq: 2, event: after.event, turnMs: null });
  b2.asked[0].resolve({ type: "play", cards: auto.cards });
  await settle();
  assert.deepEqual(sent2, [], "an answer to a turn that is over is not sent");
});

test("stop drops an answer being awaited; resume asks again; a failed answer plays the safest legal move", async () => {
  const deal = newDeal({ seats: 4, seed: "brain-async-2" });
  const sent: ClientMessage[] = [];
  const { asked, strategy } = later();
  const brain = new BotBrain({ strategy, thinkMs: () => 0, send: (m) => sent.push(m), schedule: now });
  brain.receive({ type: "deal", tableId: "t", seq: 1, dealNo: 1, deal: viewFor(deal, deal.turn), turnMs: null });
  brain.stop();
  asked[0].resolve({ type: "play", cards: legalActions(asked[0].view).plays[0].cards });
  await settle();
  assert.deepEqual(sent, [], "stopped: the answer is dropped");
  brain.resume();
  assert.equal(asked.length, 2, "resumed: asked again");
  asked[1].reject(new Error("the search worker exited"));
  await settle();
  const out: ClientMessage[] = sent.slice();
  assert.equal(out.length, 1);
  assert.equal(out[0].type, "play", "a leader cannot pass: the safest legal move is a play");
  assert.ok(out[0].type === "play" && out[0].cards.includes(deal.mustContain!));
  assert.match(brain.stats.lastError ?? "", /strategy failed: the search worker exited/);
});
