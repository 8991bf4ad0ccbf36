import { test } from "node:test";
import assert from "node:assert/strict";
import * as rules from "./index.ts";

test("index exports exactly the agreed API", () => {
  assert.deepEqual(Object.keys(rules).sort(), [
    "DEFAULT_VARIANT",
    "applyAction",
    "applyEvent",
    "autoAction",
    "beats",
    "cardName",
    "checkPlay",
    "classify",
    "compareCards",
    "createRng",
    "describeCombo",
    "formatCards",
    "fullDeck",
    "legalActions",
    "legalPlays",
    "newDeal",
    "newMatch",
    "nextDealLeader",
    "parseCard",
    "parseCards",
    "publicView",
    "recordDeal",
    "resolveVariant",
    "scoreDeal",
    "shuffle",
    "sortCards",
    "viewFor",
  ]);
});

test("a whole deal through the public API", () => {
  let state = rules.newDeal({ seats: 4, seed: "0123456789abcdef0123456789abcdef" });
  const views = [0, 1, 2, 3].map((s) => rules.viewFor(state, s));
  while (state.winner === null) {
    const r = rules.applyAction(state, { type: "timeout", seat: state.turn });
    assert.ok(r.ok);
    state = r.state;
    for (let s = 0; s < 4; s++) views[s] = rules.applyEvent(views[s], r.event);
  }
  for (let s = 0; s < 4; s++) assert.deepEqual(views[s], rules.viewFor(state, s));
  const result = rules.scoreDeal(state);
  assert.equal(result.scores.reduce((a, x) => a + x.delta, 0), 0);
});
