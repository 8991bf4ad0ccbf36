import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isRematchMessage, rematchLine, rematchState } from "./rematch.ts";

const offer = { type: "rematch", tableId: "t1", seq: 58, inMs: 20000, answers: ["pending", "yes", "yes", "pending"], outcome: null };

describe("rematch offer", () => {
  test("recognises the offer and nothing else", () => {
    assert.equal(isRematchMessage(offer), true);
    assert.equal(isRematchMessage({ ...offer, outcome: "again", inMs: null }), true);
    assert.equal(isRematchMessage({ ...offer, type: "matchEnd" }), false);
    assert.equal(isRematchMessage({ ...offer, answers: ["maybe"] }), false);
    assert.equal(isRematchMessage({ ...offer, inMs: "soon" }), false);
    assert.equal(isRematchMessage(null), false);
  });

  test("the countdown is an absolute deadline; a settled offer has none", () => {
    assert.deepEqual(rematchState(offer as Parameters<typeof rematchState>[0], 1000), { deadline: 21000, answers: offer.answers, outcome: null });
    assert.equal(rematchState({ ...(offer as Parameters<typeof rematchState>[0]), inMs: null, outcome: "over" }, 1000).deadline, null);
  });

  test("says who has agreed and who is still deciding, leaving out the reader", () => {
    const names = ["you", "Bot Ana", "Bot Ben", "Raj"];
    const r = rematchState(offer as Parameters<typeof rematchState>[0], 0);
    assert.equal(rematchLine(r, names, 0), "Bot Ana and Bot Ben want to play again · waiting for Raj");
    assert.equal(rematchLine({ ...r, answers: ["yes", "yes", "yes", "yes"] }, names, 0), "Bot Ana, Bot Ben and Raj want to play again");
    assert.equal(rematchLine({ ...r, outcome: "again" }, names, 0), "Everyone's in: a new match is starting…");
    assert.equal(rematchLine({ ...r, outcome: "over" }, names, 0), "No rematch this time.");
  });
});
