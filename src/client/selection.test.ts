import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { applyAction, legalActions, newDeal, viewFor } from "../rules/index.ts";
import type { Card } from "../rules/types.ts";
import { selectionLine } from "./selection.ts";

describe("selection line", () => {
  const s = newDeal({ seats: 4, seed: "line" });
  const leader = s.turn;
  const lead = viewFor(s, leader);

  test("leading the first trick: name the start card", () => {
    assert.equal(selectionLine(lead, []).text, "Your lead: your play must include 3♦.");
    const ok = selectionLine(lead, ["3D"]);
    assert.deepEqual(ok, { text: "3♦, ready to lead", tone: "good" });
  });

  test("a selection that is no combination, or misses the start card", () => {
    const hand = lead.hand;
    const bad = selectionLine(lead, [hand[0], hand[hand.length - 1]]);
    assert.deepEqual(bad, { text: "not a combination", tone: "bad" });
    const other = hand.find((c) => c !== "3D") as Card;
    const miss = selectionLine(lead, [other]);
    assert.equal(miss.tone, "bad");
    assert.match(miss.text, /must include 3♦$/);
  });

  test("following: size and strength are checked by the engine", () => {
    const r = applyAction(s, { type: "play", seat: leader, cards: ["3D"] });
    assert.ok(r.ok);
    const next = viewFor(r.state, r.state.turn);
    assert.match(selectionLine(next, []).text, /^Your turn: beat 3♦, or pass\.$/);
    const plays = legalActions(next).plays;
    assert.ok(plays.length > 0);
    assert.equal(selectionLine(next, plays[0].cards).tone, "good");
    assert.match(selectionLine(next, plays[0].cards).text, /beats the table$/);
    // A pair when a single is on the table.
    const pair = plays.length ? findPair(next.hand) : null;
    if (pair) assert.match(selectionLine(next, pair).text, /must be 1 card$/);
    // Someone else's turn: described, but not playable.
    const waiting = viewFor(r.state, (r.state.turn + 1) % 4);
    const line = selectionLine(waiting, [waiting.hand[waiting.hand.length - 1]]);
    assert.equal(line.tone, "idle");
    assert.match(line.text, /the table$/);
  });
});

function findPair(hand: Card[]): Card[] | null {
  for (let i = 0; i < hand.length; i++) for (let j = i + 1; j < hand.length; j++) if (hand[i][0] === hand[j][0]) return [hand[i], hand[j]];
  return null;
}
