import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { SnapshotMessage, TableSettings } from "../protocol/messages.ts";
import { applyAction, autoAction, DEFAULT_VARIANT, newDeal, publicView, viewFor } from "../rules/index.ts";
import type { DealEvent, DealState } from "../rules/types.ts";
import { applyTableMessage, currentTrick, fromSnapshot, seatOrder, tricksOf, type TableModel } from "./table-model.ts";

const settings: TableSettings = {
  name: "t",
  seats: 4,
  variant: DEFAULT_VARIANT,
  turnSeconds: 30,
  deals: 4,
  lossLimit: null,
  private: false,
  botLevel: "normal",
  fillWithBotsAfter: null,
};

function snapshot(deal: DealState, seat: number | null): SnapshotMessage {
  return {
    type: "snapshot",
    tableId: "T",
    seq: 1,
    seat,
    settings,
    code: null,
    players: [0, 1, 2, 3].map((s) => ({ seat: s, name: `P${s}`, bot: false, connected: true, playerId: `p${s}` })),
    status: "playing",
    dealNo: 1,
    totals: [0, 0, 0, 0],
    deal: seat === null ? publicView(deal) : viewFor(deal, seat),
    turnMs: 30000,
    nextInMs: null,
    lastResult: null,
  };
}

/** A whole deal played by the clock's automatic actions (pass when allowed, else the lowest play). */
function playOut(seed: string, passLocksTrick = false): { start: DealState; events: DealEvent[]; states: DealState[] } {
  const start = newDeal({ seats: 4, seed, variant: { ...DEFAULT_VARIANT, passLocksTrick } });
  let s = start;
  const events: DealEvent[] = [];
  const states: DealState[] = [];
  // Mix plays and passes: take a play when the seat leads or every third turn.
  let n = 0;
  while (s.winner === null) {
    const auto = autoAction(s);
    let r = applyAction(s, auto);
    if (s.top !== null && n++ % 3 === 0) {
      const v = viewFor(s, s.turn);
      const alt = applyAction(s, { type: "play", seat: s.turn, cards: v.hand.slice(-1) });
      if (alt.ok) r = alt;
    }
    assert.ok(r.ok);
    s = r.state;
    events.push(r.event);
    states.push(s);
  }
  return { start, events, states };
}

describe("table model", () => {
  for (const [seed, locks] of [["a", false], ["b", true], ["c", false]] as const) {
    test(`folding the server's events gives the server's views (seed ${seed}, passLocksTrick ${locks})`, () => {
      const { start, events, states } = playOut(seed, locks);
      for (const seat of [0, 2, null]) {
        let m: TableModel = fromSnapshot(snapshot(start, seat), 0);
        events.forEach((event, i) => {
          m = applyTableMessage(m, { type: "play", tableId: "T", seq: i + 2, event, turnMs: 1000 }, 0);
          const want = seat === null ? publicView(states[i]) : viewFor(states[i], seat);
          assert.deepEqual({ ...m.deal, mustContain: null }, { ...want, mustContain: null });
          // The trick shown is empty exactly when the engine says the table is clear.
          const trick = currentTrick(m.deal!);
          assert.equal(trick.events.length === 0, m.deal!.top === null);
          if (trick.events.length > 0) assert.equal(trick.events[0].type, "play");
        });
        const all = tricksOf(m.deal!).flat();
        assert.deepEqual(all, events, "the tricks partition the history");
      }
    });
  }

  test("a deal end, a seat change and chat", () => {
    const start = newDeal({ seats: 4, seed: "x" });
    let m = fromSnapshot(snapshot(start, 1), 1000);
    assert.equal(m.turnDeadline, 31000);
    m = applyTableMessage(m, { type: "seat", tableId: "T", seq: 2, player: { seat: 2, name: "P2", bot: false, connected: false, playerId: "p2" } }, 0);
    assert.equal(m.players[2].connected, false);
    assert.deepEqual([m.chat.at(-1)!.system, m.chat.at(-1)!.name], ["note.lost", "P2"]);
    m = applyTableMessage(m, { type: "chat", tableId: "T", seq: 3, seat: 0, name: "P0", text: "hi" }, 0);
    assert.equal(m.chat.at(-1)!.text, "hi");
    m = applyTableMessage(m, { type: "reaction", tableId: "T", seq: 3, seat: null, name: "Sam", emote: "wow" }, 50);
    m = applyTableMessage(m, { type: "reaction", tableId: "T", seq: 3, seat: 1, name: "P1", emote: "gg" }, 60);
    assert.deepEqual(m.reactions.map((r) => [r.id, r.seat, r.emote, r.at]), [[1, null, "wow", 50], [2, 1, "gg", 60]]);
    m = applyTableMessage(m, { type: "watchers", tableId: "T", seq: 3, count: 2 }, 0);
    assert.equal(m.watchers, 2);
    const result = { winner: 0, scores: [0, 1, 2, 3].map(() => ({ cardsLeft: 1, penalty: 1, delta: -1 })), hands: [[], [], [], []] };
    m = applyTableMessage(m, { type: "dealEnd", tableId: "T", seq: 4, result, totals: [3, -1, -1, -1], nextInMs: 5000 }, 2000);
    assert.equal(m.status, "between");
    assert.equal(m.result?.nextAt, 7000);
    m = applyTableMessage(m, { type: "matchEnd", tableId: "T", seq: 5, matchId: "m_1", totals: [3, -1, -1, -1], winners: [0] }, 0);
    assert.equal(m.status, "over");
    assert.deepEqual(m.matchEnd?.winners, [0]);
    // Another table's message changes nothing.
    assert.equal(applyTableMessage(m, { type: "chat", tableId: "U", seq: 9, seat: 0, name: "x", text: "y" }, 0), m);
  });

  test("seats sit around you in turn order", () => {
    assert.deepEqual(seatOrder(4, 2), [2, 3, 0, 1]);
    assert.deepEqual(seatOrder(3, null), [0, 1, 2]);
  });
});
