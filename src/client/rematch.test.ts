import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { getLang, setLang } from "./i18n/index.ts";
import { isRematchMessage, rematchLine, rematchState } from "./rematch.ts";

const line = (...args: Parameters<typeof rematchLine>) => rematchLine(...args).join(" · ");
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
    const names = ["You", "Ana", "Ben", "Raj"];
    const r = rematchState(offer as Parameters<typeof rematchState>[0], 0);
    assert.equal(line(r, names, 0), "Ana and Ben want to play again · waiting for Raj");
    assert.equal(line({ ...r, answers: ["yes", "yes", "yes", "yes"] }, names, 0), "Ana, Ben, and Raj want to play again");
    assert.equal(line({ ...r, answers: ["yes", "yes", "pending", "pending"] }, names, 0), "Ana wants to play again · waiting for Ben and Raj");
    assert.equal(line({ ...r, outcome: "again" }, names, 0), "Everyone's in: a new match is starting…");
    assert.equal(line({ ...r, outcome: "over" }, names, 0), "No rematch this time.");
  });

  test("in the reader's language, with its own lists and its own words for one name or several", () => {
    const r = rematchState(offer as Parameters<typeof rematchState>[0], 0);
    const names = ["", "Ana", "Ben", "Raj"];
    const was = getLang();
    try {
      setLang("zh-Hant");
      assert.equal(line(r, names, 0), "Ana和Ben 想再來一場 · 還在等 Raj");
      assert.equal(line({ ...r, outcome: "over" }, names, 0), "這次沒有再來一場。");
      setLang("vi");
      assert.equal(line(r, names, 0), "Ana và Ben muốn chơi lại · đang chờ Raj");
      // Filipino: "sina" before several names, "si" before one (its plural rules count 2 and 3 as "one").
      setLang("fil");
      assert.equal(line(r, names, 0), "gusto nina Ana at Ben na maglaro ulit · hinihintay si Raj");
    } finally {
      setLang(was);
    }
  });
});
