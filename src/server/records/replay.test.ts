// Replays rebuild exactly what the live table produced: random bot matches run on a real Table,
// the records it hands out (dealEnded/matchEnded) are rebuilt through game.ts's replay, and the
// hands, results and totals are compared with what a spectator saw on the wire.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Card } from "../../rules/types.ts";
import type { ServerMessage } from "../../protocol/index.ts";
import { newDeal } from "../../rules/index.ts";
import type { Connection } from "../connection.ts";
import type { OutFrame } from "../frame.ts";
import { newGame, replay } from "../game.ts";
import type { LogEntry } from "../ports/table-log.ts";
import { recordingTable } from "./test-table.ts";
import type { DealRecord, MatchRecord } from "./types.ts";

class Watcher implements Connection {
  readonly id = 1_000_000 + Math.floor(Math.random() * 1e6);
  readonly kind = "socket" as const;
  readonly got: ServerMessage[] = [];
  onMatchEnd: () => void = () => {};
  send(f: OutFrame): void {
    this.got.push(f.msg);
    if (f.msg.type === "matchEnd") this.onMatchEnd();
  }
  close(): void {}
}

async function playMatch(input: { seats: 2 | 3 | 4; deals: number; suitOrder: "DCHS" | "CDHS"; winnerLeads: boolean }) {
  const deals: DealRecord[] = [];
  let ended: MatchRecord | null = null;
  const table = await recordingTable(
    { seats: input.seats, deals: input.deals, turnSeconds: 0, botLevel: "random", variant: { suitOrder: input.suitOrder, winnerLeadsNextDeal: input.winnerLeads } },
    { dealEnded: (r) => void deals.push(r), matchEnded: (r) => void (ended = r) },
  );
  const settings = table.settings;
  const watcher = new Watcher();
  const over = new Promise<void>((r) => (watcher.onMatchEnd = r));
  table.post({ type: "watch", playerId: "w", name: "Watcher", conn: watcher });
  table.post({ type: "fill" });
  await over;
  table.close("test/done", "done");
  return { settings, deals, ended: ended as MatchRecord | null, seen: watcher.got };
}

test("property: a recorded match replays to exactly the hands, results and totals the live table produced", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({ seats: fc.constantFrom(2 as const, 3 as const, 4 as const), deals: fc.integer({ min: 1, max: 3 }), suitOrder: fc.constantFrom("DCHS" as const, "CDHS" as const), winnerLeads: fc.boolean() }),
      async (input) => {
        const { settings, deals, ended, seen } = await playMatch(input);
        assert.ok(ended, "the match ended and was handed to the records");
        assert.equal(deals.length, input.deals);
        const dealEnds = seen.filter((m) => m.type === "dealEnd");
        // Each deal as the wire showed it: the cards each seat played, in order, per deal.
        const played: Card[][][] = [];
        for (const m of seen) {
          if (m.type === "deal") played.push(Array.from({ length: settings.seats }, () => []));
          if (m.type === "play" && m.event.type === "play") played.at(-1)![m.event.seat].push(...m.event.combo.cards);
        }
        let match = newGame(settings).match;
        let lastResult = null;
        for (const [i, d] of deals.entries()) {
          assert.equal(d.matchId, ended.matchId);
          assert.equal(d.dealNo, i + 1);
          const log: LogEntry[] = [
            { kind: "deal", n: 0, seq: 0, dealNo: d.dealNo, seed: d.seed, leader: d.leader, match, lastResult, seats: [...d.seats], at: 0 },
            ...d.actions.map((action, k) => ({ kind: "action" as const, n: k + 1, seq: k + 1, action, at: 0 })),
          ];
          const game = replay(settings, log);
          const live = dealEnds[i];
          assert.ok(live?.type === "dealEnd");
          assert.deepEqual(game.lastResult, live.result, `deal ${d.dealNo}: the replayed result is the live one`);
          assert.deepEqual(d.result, live.result);
          assert.deepEqual(game.match.totals, live.totals, `deal ${d.dealNo}: totals after it`);
          // The hands as dealt, from the seed, are what each seat played plus what it was left with.
          const dealt = newDeal({ variant: settings.variant, seats: settings.seats, seed: d.seed, leader: d.leader }).hands;
          dealt.forEach((hand, s) => {
            assert.deepEqual([...hand].sort(), [...played[i][s], ...live.result.hands[s]].sort(), `deal ${d.dealNo}, seat ${s}: hand as dealt`);
          });
          match = game.match;
          lastResult = game.lastResult;
        }
        assert.deepEqual(ended.totals, match.totals);
        assert.equal(ended.seats.length, settings.seats);
        assert.ok(ended.seats.every((s) => !s.human));
        assert.equal(ended.settings.botLevel, "random");
      },
    ),
    { numRuns: 12 },
  );
});
