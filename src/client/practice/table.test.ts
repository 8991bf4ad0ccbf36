import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ServerMessage } from "../../protocol/messages.ts";
import { applyEvent, legalActions, newDeal, type Card, type PlayerView } from "../../rules/index.ts";
import { PRACTICE_TABLE_ID, PRACTICE_UNAVAILABLE, PracticeTable, type PracticeSettings } from "./table.ts";

/** Timers the test runs itself, in time order: no real clock, no waiting. */
class FakeTimers {
  #now = 0;
  #tasks: { at: number; n: number; fn: () => void; live: boolean }[] = [];
  #n = 0;
  schedule = (fn: () => void, ms: number) => {
    const task = { at: this.#now + ms, n: this.#n++, fn, live: true };
    this.#tasks.push(task);
    return () => {
      task.live = false;
    };
  };
  /** Run the next due task; false when none is left. */
  step(): boolean {
    this.#tasks = this.#tasks.filter((t) => t.live);
    if (this.#tasks.length === 0) return false;
    this.#tasks.sort((a, b) => a.at - b.at || a.n - b.n);
    const task = this.#tasks.shift()!;
    this.#now = task.at;
    task.fn();
    return true;
  }
}

interface Harness {
  table: PracticeTable;
  timers: FakeTimers;
  frames: ServerMessage[];
  closed: number[];
  send(msg: Record<string, unknown>): void;
}

const SETTINGS: PracticeSettings = { deals: 4, botLevel: "normal", title: "Practice" };

function harness(opts: { settings?: Partial<PracticeSettings>; seeds?: string[]; onFrame?: (msg: ServerMessage, h: Harness) => void } = {}): Harness {
  const timers = new FakeTimers();
  const seeds = opts.seeds?.slice() ?? [];
  let n = 0;
  const h = {
    timers,
    frames: [] as ServerMessage[],
    closed: [] as number[],
  } as Harness;
  h.table = new PracticeTable({
    settings: { ...SETTINGS, ...opts.settings },
    // The three bots draw their seeds first, then each deal.
    seed: () => seeds.shift() ?? `seed-${n++}`,
    thinkMs: () => 0,
    schedule: timers.schedule,
    send: (text) => {
      const msg = JSON.parse(text) as ServerMessage;
      h.frames.push(msg);
      opts.onFrame?.(msg, h);
    },
    close: (code) => h.closed.push(code),
  });
  h.send = (msg) => h.table.receive(JSON.stringify(msg));
  return h;
}

const hello = { type: "hello", v: 1, name: "Mei", id: 0 };

function errorsOf(frames: ServerMessage[]): { code: string; id: unknown }[] {
  return frames.flatMap((f) => (f.type === "error" ? [{ code: f.code, id: f.id }] : []));
}

/** A deal seed under which seat 0 holds the three of diamonds (or not), found by dealing. */
function seedWhere(holds3D: boolean): string {
  for (let i = 0; ; i++) {
    const seed = `probe-${i}`;
    if (newDeal({ seats: 4, seed }).hands[0].includes("3D") === holds3D) return seed;
  }
}

/**
 * The person's side of a whole match, as a client plays it: keep the view from the frames,
 * play the engine's first legal play (or pass) on our turn, say ready after each deal.
 */
function playWholeMatch(settings: Partial<PracticeSettings>, opts: { ready?: boolean } = {}): Harness {
  let view: PlayerView | null = null;
  let sent = 0;
  const h = harness({
    settings,
    onFrame: (msg, h) => {
      if (msg.type === "deal") view = msg.deal as PlayerView;
      else if (msg.type === "play" && view) view = applyEvent(view, msg.event) as PlayerView;
      else if (msg.type === "dealEnd" && opts.ready === false) h.send({ type: "pass", id: 1000 + ++sent });
      else if (msg.type === "dealEnd" && msg.nextInMs !== null) h.send({ type: "ready", id: ++sent });
      if ((msg.type === "deal" || msg.type === "play") && view && view.winner === null && view.turn === view.seat) {
        const { canPass, plays } = legalActions(view);
        h.send(plays.length > 0 ? { type: "play", cards: plays[0].cards, id: ++sent } : { type: "pass", id: ++sent });
        assert.ok(plays.length > 0 || canPass, "a seat to act always has a move");
      }
    },
  });
  h.send(hello);
  for (let i = 0; i < 100_000 && !h.frames.some((f) => f.type === "matchEnd"); i++) {
    if (!h.timers.step()) break;
  }
  return h;
}

describe("practice table", () => {
  test("a seeded whole match with bots reaches matchEnd, in the server's frames", () => {
    const h = playWholeMatch({ deals: 3 });
    const types = h.frames.map((f) => f.type);
    assert.deepEqual(types.slice(0, 3), ["welcome", "snapshot", "deal"]);
    assert.equal(types.at(-1), "matchEnd");
    assert.equal(types.filter((t) => t === "deal").length, 3);
    assert.equal(types.filter((t) => t === "dealEnd").length, 3);
    assert.deepEqual(errorsOf(h.frames), [], "no move of the person's was refused");

    const welcome = h.frames[0];
    assert.ok(welcome.type === "welcome" && welcome.tableId === PRACTICE_TABLE_ID && welcome.name === "Mei");
    const snap = h.frames[1];
    assert.ok(snap.type === "snapshot");
    assert.equal(snap.seat, 0);
    assert.equal(snap.settings.turnSeconds, 0, "no turn clock");
    assert.equal(snap.settings.deals, 3);
    assert.deepEqual(snap.players.map((p) => p.bot), [false, true, true, true]);

    // Table events are numbered one after another, as the server numbers them.
    const seqs = h.frames.flatMap((f) => ("seq" in f && f.type !== "snapshot" ? [f.seq] : []));
    seqs.forEach((s, i) => assert.equal(s, seqs[0] + i, "sequence numbers are consecutive"));

    // Every deal ends with a winner out of cards; the totals are the sum of the deals' zero-sum deltas.
    let totals = [0, 0, 0, 0];
    for (const f of h.frames) {
      if (f.type !== "dealEnd") continue;
      assert.equal(f.result.hands[f.result.winner].length, 0);
      assert.equal(f.result.scores.reduce((a, s) => a + s.delta, 0), 0);
      totals = totals.map((t, s) => t + f.result.scores[s].delta);
      assert.deepEqual(f.totals, totals);
    }
    const end = h.frames.at(-1)!;
    assert.ok(end.type === "matchEnd");
    assert.deepEqual(end.totals, totals);
    assert.deepEqual(end.winners, totals.flatMap((t, s) => (t === Math.max(...totals) ? [s] : [])));
  });

  test("the same seeds give the same match, and each deal is the one its seed deals", () => {
    const a = playWholeMatch({ deals: 2 });
    const b = playWholeMatch({ deals: 2 });
    assert.deepEqual(a.frames, b.frames);
    // Seeds seed-0..2 went to the bots, so deal 1 is seed-3's.
    const deal = a.frames.find((f) => f.type === "deal");
    assert.ok(deal?.type === "deal");
    assert.deepEqual((deal.deal as PlayerView).hand, newDeal({ seats: 4, seed: "seed-3" }).hands[0]);
  });

  test("every bot level plays a match to the end", () => {
    for (const botLevel of ["easy", "hard"] as const) {
      const h = playWholeMatch({ deals: 1, botLevel });
      assert.equal(h.frames.at(-1)?.type, "matchEnd", botLevel);
    }
  });

  test("illegal plays are refused with the rules' codes and change nothing", () => {
    const h = harness({ seeds: ["b1", "b2", "b3", seedWhere(true)] });
    h.send(hello);
    const deal = h.frames.find((f) => f.type === "deal");
    assert.ok(deal?.type === "deal");
    const view = deal.deal as PlayerView;
    assert.equal(view.turn, 0, "we hold the three of diamonds and lead");
    const hand = view.hand;
    const other: Card = (["2S", "2H", "AS", "AH"] as Card[]).find((c) => !hand.includes(c))!;
    const notAPair = [hand[0], hand[hand.length - 1]];
    const without3D = hand.find((c) => c !== "3D")!;
    const count = h.frames.length;

    h.send({ type: "play", cards: [other], id: 1 });
    h.send({ type: "play", cards: notAPair, id: 2 });
    h.send({ type: "play", cards: [without3D], id: 3 });
    h.send({ type: "pass", id: 4 });
    h.send({ type: "play", cards: ["3D", "3D"], id: 5 });
    assert.deepEqual(errorsOf(h.frames.slice(count)), [
      { code: "play/cards-not-in-hand", id: 1 },
      { code: "play/not-a-combination", id: 2 },
      { code: "play/must-include-start", id: 3 },
      { code: "pass/leader-cannot-pass", id: 4 },
      { code: "play/duplicate-cards", id: 5 },
    ]);
    assert.equal(h.frames.length, count + 5, "a refusal is the only frame: nothing was played");

    // The deal is as it was: the legal lead is accepted, seen by everyone and acknowledged.
    h.send({ type: "play", cards: ["3D"], id: 6 });
    const [played, ack] = h.frames.slice(count + 5);
    assert.ok(played.type === "play" && played.event.type === "play");
    assert.deepEqual(played.event.combo.cards, ["3D"]);
    assert.deepEqual(ack, { type: "ack", id: 6 });
  });

  test("out of turn, the person is refused", () => {
    const h = harness({ seeds: ["b1", "b2", "b3", seedWhere(false)] });
    h.send(hello);
    h.send({ type: "play", cards: ["3D"], id: 7 });
    h.send({ type: "pass", id: 8 });
    assert.deepEqual(errorsOf(h.frames), [
      { code: "turn/not-yours", id: 7 },
      { code: "turn/not-yours", id: 8 },
    ]);
  });

  test("the wire's mistakes get the server's codes; requests for the server are refused", () => {
    const h = harness();
    h.send({ type: "pass", id: 1 });
    h.table.receive("{not json");
    h.send({ type: "no.such", id: 2 });
    h.send(hello);
    h.send(hello);
    h.send({ type: "table.create", id: 3, settings: {} });
    h.send({ type: "quick.join", id: 4 });
    h.send({ type: "play", cards: "3D", id: 5 });
    h.send({ type: "chat", text: "   ", id: 6 });
    assert.deepEqual(errorsOf(h.frames), [
      { code: "auth/hello-first", id: 1 },
      { code: "proto/bad-json", id: undefined },
      { code: "proto/unknown-type", id: 2 },
      { code: "auth/already-hello", id: 0 },
      { code: PRACTICE_UNAVAILABLE, id: 3 },
      { code: PRACTICE_UNAVAILABLE, id: 4 },
      { code: "proto/bad-message", id: 5 },
      { code: "chat/too-long", id: 6 },
    ]);
  });

  test("a reaction comes back as the table's reaction frame; a malformed one is refused", () => {
    const h = harness();
    h.send(hello);
    const count = h.frames.length;
    h.send({ type: "react", emote: "gg", id: 11 });
    h.send({ type: "react", emote: "<b>", id: 12 });
    const [reaction, ack, refused] = h.frames.slice(count);
    assert.ok(reaction.type === "reaction");
    assert.deepEqual({ seat: reaction.seat, name: reaction.name, emote: reaction.emote }, { seat: 0, name: "Mei", emote: "gg" });
    assert.deepEqual(ack, { type: "ack", id: 11 });
    assert.ok(refused.type === "error" && refused.code === "proto/bad-message" && refused.id === 12);
  });

  test("leaving answers `left`, closes the port and stops the bots", () => {
    const h = harness({ seeds: ["b1", "b2", "b3", seedWhere(false)] });
    h.send(hello);
    h.send({ type: "table.leave", id: 9 });
    assert.deepEqual(h.frames.at(-1), { type: "left", id: 9, tableId: PRACTICE_TABLE_ID });
    assert.deepEqual(h.closed, [1000]);
    const count = h.frames.length;
    while (h.timers.step());
    h.send({ type: "pass", id: 10 });
    assert.equal(h.frames.length, count, "nothing is sent after leaving");
  });

  test("after a deal's result the next deal starts by itself when the person does not say ready", () => {
    const h = playWholeMatch({ deals: 2 }, { ready: false });
    const ends = h.frames.filter((f) => f.type === "dealEnd");
    assert.equal(ends.length, 2);
    assert.equal(ends[0].type === "dealEnd" && ends[0].nextInMs, 8000);
    assert.equal(ends[1].type === "dealEnd" && ends[1].nextInMs, null, "the last deal: the match is over");
    assert.equal(h.frames.filter((f) => f.type === "ack").length, h.frames.filter((f) => f.type === "play" && f.event.seat === 0).length);
    assert.ok(h.frames.some((f) => f.type === "matchEnd"));
    // A move between deals (and after the match) is refused: no deal is being played.
    assert.deepEqual(errorsOf(h.frames).map((e) => e.code), ["table/no-deal", "table/no-deal"]);
  });

  test("bad settings are a programmer's error", () => {
    assert.throws(() => harness({ settings: { deals: 0 } }), /deals/);
    assert.throws(() => harness({ settings: { botLevel: "grandmaster" as never } }), /botLevel/);
  });
});
