import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { parseRoute, routePath, type Route } from "./router.ts";

describe("routes", () => {
  test("each page's path", () => {
    assert.deepEqual(parseRoute("/"), { page: "game" });
    assert.deepEqual(parseRoute("/replay/m_1"), { page: "replay", matchId: "m_1", deal: null });
    assert.deepEqual(parseRoute("/replay/m_1", "?deal=3"), { page: "replay", matchId: "m_1", deal: 3 });
    assert.deepEqual(parseRoute("/replay/m_1", "?deal=0"), { page: "replay", matchId: "m_1", deal: null });
    assert.deepEqual(parseRoute("/replay/m_1", "?deal=x"), { page: "replay", matchId: "m_1", deal: null });
    assert.deepEqual(parseRoute("/replay/m_1/2"), { page: "replay", matchId: "m_1", deal: 2 });
    assert.deepEqual(parseRoute("/replay/m_1/x"), { page: "replay", matchId: "m_1", deal: null });
    assert.deepEqual(parseRoute("/profile/p%20q"), { page: "profile", playerId: "p q" });
    assert.deepEqual(parseRoute("/leaderboard/"), { page: "leaderboard" });
  });

  test("anything else is the game, including a bad escape", () => {
    for (const p of ["/replay", "/replay/a/1/2", "/profile/%E0%A4%A", "/nope", "/leaderboard/x", "/account"]) {
      assert.deepEqual(parseRoute(p), { page: "game" }, p);
    }
  });

  test("a route's path parses back to the route", () => {
    // "." and ".." are dot segments a URL resolves away (even percent-encoded): no id can be one.
    const id = fc.string({ minLength: 1, maxLength: 40 }).filter((x) => x !== "." && x !== "..");
    const route: fc.Arbitrary<Route> = fc.oneof(
      fc.constant({ page: "game" } as const),
      fc.constant({ page: "leaderboard" } as const),
      fc.record({ page: fc.constant("replay" as const), matchId: id, deal: fc.option(fc.integer({ min: 1, max: 9999 })) }),
      fc.record({ page: fc.constant("profile" as const), playerId: id }),
    );
    fc.assert(
      fc.property(route, (r) => {
        const url = new URL(routePath(r), "http://x");
        assert.deepEqual(parseRoute(url.pathname, url.search), { ...r });
      }),
    );
  });
});
