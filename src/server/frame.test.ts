import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { greedyStrategy } from "../bots/strategies/index.ts";
import { nextDealLeader, viewFor, type Action, type DealEvent } from "../rules/index.ts";
import type { ServerMessage } from "../protocol/index.ts";
import { encodePlay, playFrame } from "./frame.ts";
import { foldEntry, growInPlace, newGame } from "./game.ts";
import { resolveSettings } from "./lobby.ts";
import { textFrame } from "./wire.ts";

type PlayMessage = Extract<ServerMessage, { type: "play" }>;

/** Every event of a few whole deals, as a table makes them: bots' plays and passes, and turn-clock timeouts. */
function dealEvents(deals: number, seed: number): DealEvent[] {
  const settings = resolveSettings({ seats: 4, deals: null, lossLimit: 10_000, turnSeconds: 30 }, { turnSeconds: 30 }, "test");
  let game = newGame(settings);
  let seq = 0;
  const events: DealEvent[] = [];
  for (let d = 0; d < deals; d++) {
    const dealt = foldEntry(game, settings, {
      kind: "deal",
      n: ++seq,
      seq,
      seats: [],
      at: 0,
      dealNo: d + 1,
      seed: `frame-test-${seed}-${d}`,
      leader: nextDealLeader(game.match),
      match: game.match,
      lastResult: game.lastResult,
    });
    assert.ok(dealt.ok);
    game = dealt.game;
    while (game.deal && game.deal.winner === null) {
      const s = game.deal.turn;
      let action: Action;
      if ((seq + seed) % 7 === 0) action = { type: "timeout", seat: s };
      else {
        const a = greedyStrategy(viewFor(game.deal, s));
        action = a.type === "play" ? { type: "play", seat: s, cards: a.cards } : { type: "pass", seat: s };
      }
      const f = foldEntry(game, settings, { kind: "action", n: ++seq, seq, action, at: 0 }, growInPlace);
      assert.ok(f.ok, f.ok ? "" : f.code);
      game = f.game;
      events.push(f.event!);
    }
  }
  return events;
}

test("encodePlay writes what JSON.stringify writes, for every event of whole deals", () => {
  const events = dealEvents(12, 1);
  const kinds = new Set(events.flatMap((e) => (e.type === "play" ? [e.combo.kind] : [e.type])));
  assert.ok(kinds.has("pass") && kinds.has("single") && kinds.size >= 4, `too few kinds of event: ${[...kinds].join(", ")}`);
  assert.ok(events.some((e) => e.auto) && events.some((e) => !e.auto));
  events.forEach((event, i) => {
    const msg: PlayMessage = { type: "play", tableId: "AbCd-EfGh", seq: i + 2, event, turnMs: i % 5 === 0 ? null : 29_999 - i };
    assert.equal(encodePlay(msg), JSON.stringify(msg));
  });
});

test("encodePlay escapes every string as JSON.stringify does", () => {
  const integer = fc.integer({ min: -(2 ** 31), max: 2 ** 31 });
  // Any UTF-16 code unit, lone surrogates included ("binary" leaves those out), and any code point.
  const text = fc.oneof(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }), fc.string({ unit: "binary" }));
  const play = fc.record({
    type: fc.constant("play" as const),
    seat: integer,
    combo: fc.record({ kind: text, cards: fc.array(text, { maxLength: 6 }) }),
    auto: fc.boolean(),
  });
  const pass = fc.record({ type: fc.constant("pass" as const), seat: integer, auto: fc.boolean() });
  fc.assert(
    fc.property(text, integer, fc.oneof(play, pass), fc.option(integer), (tableId, seq, event, turnMs) => {
      const msg = { type: "play", tableId, seq, event, turnMs } as PlayMessage;
      assert.equal(encodePlay(msg), JSON.stringify(msg));
    }),
    { numRuns: 2000 },
  );
});

test("a play frame keeps its message for in-process bots and frames its text once", () => {
  const msg: PlayMessage = { type: "play", tableId: "t1", seq: 3, event: { type: "pass", seat: 1, auto: false }, turnMs: 1000 };
  const f = playFrame(msg);
  assert.equal(f.msg, msg);
  assert.equal(f.text, JSON.stringify(msg));
  assert.deepEqual(f.wire, textFrame(JSON.stringify(msg)));
  assert.equal(f.wire, f.wire);
});
