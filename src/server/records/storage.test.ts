// The storage layer against both databases it runs on: PGlite and PostgreSQL.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { resolveSettings } from "../lobby.ts";
import { accountOf, checkNewAccount, createAccount, endSession, hashPassword, passwordLogin, sessionPlayer, startSession, verifyPassword } from "./accounts.ts";
import { migrate, openDatabase } from "./db.ts";
import { leaderboard, match, player, writeBatch, type Job } from "./repo.ts";
import { openTestDatabase, postgresOrSkip } from "./test-databases.ts";
import type { DealRecord, MatchRecord, SeatRecord } from "./types.ts";

const settings = resolveSettings({ seats: 4, deals: 2, botLevel: "easy" }, { turnSeconds: 30 }, "storage test");
const human = (id: string): SeatRecord => ({ playerId: id, name: id.toUpperCase(), human: true });
const bot = (s: number): SeatRecord => ({ playerId: `bot_t_${s}`, name: `Bot ${s}`, human: false });

function deal(matchId: string, dealNo: number, seats: SeatRecord[]): DealRecord {
  return {
    tableId: "t1",
    matchId,
    dealNo,
    seed: `seed-${matchId}-${dealNo}`,
    leader: null,
    actions: [{ type: "pass", seat: 1 }],
    result: { winner: 0, scores: seats.map(() => ({ cardsLeft: 0, penalty: 0, delta: 0 })), hands: seats.map(() => []) },
    seats,
    settings,
  };
}

function matchEnd(matchId: string, seats: SeatRecord[], totals: number[]): MatchRecord {
  const best = Math.max(...totals);
  return { tableId: "t1", matchId, settings, seats, totals, winners: totals.flatMap((t, s) => (t === best ? [s] : [])) };
}

for (const kind of ["pglite", "postgres"] as const) {
  describe(`records storage on ${kind}`, () => {
    test("migrations run up from an empty database, and again change nothing", async (t) => {
      if (kind === "postgres" && !(await postgresOrSkip(t))) return;
      const { database, drop } = await openTestDatabase(kind, false);
      t.after(drop);
      const first = await migrate(database.db);
      assert.deepEqual(first.results?.map((r) => [r.migrationName, r.status]), [["0001-records", "Success"]]);
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(database.db);
      for (const name of ["accounts", "challenges", "deals", "match_players", "matches", "passkeys", "players", "sessions"]) {
        assert.ok(tables.rows.some((r) => r.table_name === name), `table ${name} exists`);
      }
      const again = await migrate(database.db);
      assert.deepEqual(again.results, []);
    });

    test("a finished match is recorded once however often its batch is written, with ratings moved once", async (t) => {
      if (kind === "postgres" && !(await postgresOrSkip(t))) return;
      const { database, drop } = await openTestDatabase(kind);
      t.after(drop);
      const db = database.db;
      const seats = ["ann", "bob", "cat", "dan"].map(human);
      const jobs: Job[] = [
        { kind: "deal", record: deal("m1", 1, seats) },
        { kind: "deal", record: deal("m1", 2, seats) },
        { kind: "match", record: matchEnd("m1", seats, [20, -4, -6, -10]) },
      ];
      await writeBatch(db, jobs);
      await writeBatch(db, jobs); // a retry after a lost reply
      await writeBatch(db, [jobs[2]]);
      const counts = await sql<{ m: number; mp: number; d: number }>`select (select count(*)::int from matches) as m, (select count(*)::int from match_players) as mp, (select count(*)::int from deals) as d`.execute(db);
      assert.deepEqual(counts.rows[0], { m: 1, mp: 4, d: 2 });

      const ann = await player(db, "ann");
      const dan = await player(db, "dan");
      assert.ok(ann && dan);
      assert.equal(ann.matches, 1);
      assert.equal(ann.wins, 1);
      assert.equal(ann.ranked, 1);
      assert.ok(ann.rating > 1000 - 100 && ann.rating > dan.rating, "the winner is rated above the last");
      assert.ok(ann.mu > 25 && dan.mu < 25);
      assert.equal(ann.recent[0].matchId, "m1");
      assert.equal(ann.recent[0].ratingAfter, ann.rating);
      assert.equal(ann.ratingHistory.length, 1);

      const m = await match(db, "m1");
      assert.ok(m);
      assert.equal(m.ranked, true);
      assert.deepEqual(m.totals, [20, -4, -6, -10]);
      assert.deepEqual(m.winners, [0]);
      assert.equal(m.deals.length, 2);
      assert.equal(m.deals[0].hands.length, 4);
      assert.ok(m.deals[0].hands.every((h) => h.length === 13));
      assert.deepEqual(m.deals[0].actions, [{ type: "pass", seat: 1 }]);
      assert.deepEqual(m.players.map((p) => [p.playerId, p.place]), [["ann", 1], ["bob", 2], ["cat", 3], ["dan", 4]]);

      const board = await leaderboard(db, 1, 10);
      assert.deepEqual(board.players.map((p) => p.playerId), ["ann", "bob", "cat", "dan"]);
      assert.equal((await leaderboard(db, 2, 10)).players.length, 0, "one ranked match is below a minimum of two");
      assert.equal(await match(db, "nope"), null);
      assert.equal(await player(db, "nope"), null);
    });

    test("one person against bots is unranked; a person who left is rated last", async (t) => {
      if (kind === "postgres" && !(await postgresOrSkip(t))) return;
      const { database, drop } = await openTestDatabase(kind);
      t.after(drop);
      const db = database.db;
      const solo = [human("sol"), bot(1), bot(2), bot(3)];
      await writeBatch(db, [{ kind: "deal", record: deal("m2", 1, solo) }, { kind: "match", record: matchEnd("m2", solo, [9, -3, -3, -3]) }]);
      const sol = await player(db, "sol");
      assert.ok(sol);
      assert.equal(sol.rating, 1000);
      assert.equal(sol.ranked, 0);
      assert.equal(sol.matches, 1);
      assert.equal(sol.recent[0].ranked, false);
      assert.equal(sol.recent[0].ratingAfter, null);

      // Eve played deal 1 and left; a bot finished her seat. Two people stayed: ranked.
      const start = [human("ivy"), human("joe"), bot(2), human("eve")];
      const end = [human("ivy"), human("joe"), bot(2), bot(3)];
      await writeBatch(db, [
        { kind: "deal", record: deal("m3", 1, start) },
        { kind: "deal", record: deal("m3", 2, end) },
        { kind: "match", record: matchEnd("m3", end, [5, 10, -5, -10]) },
      ]);
      const m = await match(db, "m3");
      assert.ok(m);
      assert.equal(m.ranked, true);
      const eve = m.players.find((p) => p.playerId === "eve");
      assert.ok(eve);
      assert.equal(eve.seat, null);
      assert.equal(eve.place, 5);
      assert.ok(eve.ratingAfter! < eve.ratingBefore!);
      const botRow = await db.selectFrom("players").select("player_id").where("player_id", "like", "bot_%").execute();
      assert.deepEqual(botRow, [], "bots have no players row: never rated");
    });

    test("accounts: names unique whatever their case, passwords verified, sessions kept in the database", async (t) => {
      if (kind === "postgres" && !(await postgresOrSkip(t))) return;
      const { database, url, drop } = await openTestDatabase(kind);
      t.after(drop);
      const db = database.db;
      await createAccount(db, "p_ada", "Ada", await hashPassword("correct horse"));
      await assert.rejects(checkNewAccount(db, "p_other", "ADA"), { code: "auth/name-taken" });
      await assert.rejects(createAccount(db, "p_other", "aDa", null), { code: "auth/name-taken" });
      await assert.rejects(checkNewAccount(db, "p_ada", "Someone"), { code: "auth/account-exists" });
      assert.equal(await passwordLogin(db, " ada ", "correct horse"), "p_ada");
      await assert.rejects(passwordLogin(db, "ada", "wrong horse"), { code: "auth/bad-credentials" });
      await assert.rejects(passwordLogin(db, "nobody", "correct horse"), { code: "auth/bad-credentials" });
      assert.equal(await verifyPassword("x", "not a hash"), false);
      const account = await accountOf(db, "p_ada");
      assert.equal(account?.name, "Ada");
      assert.equal(account?.password, true);
      assert.equal((await player(db, "p_ada"))?.guest, false);

      const a = await startSession(db, "p_ada");
      const b = await startSession(db, "p_ada");
      if (url) {
        // Another connection (as after a restart) finds the same session.
        const other = await openDatabase({ databaseUrl: url, dataDir: null });
        assert.equal(await sessionPlayer(other.db, a.token), "p_ada");
        await other.close();
      }
      assert.equal(await sessionPlayer(db, a.token), "p_ada");
      await endSession(db, a.token, false);
      assert.equal(await sessionPlayer(db, a.token), null);
      assert.equal(await sessionPlayer(db, b.token), "p_ada", "signing out here leaves the other browser signed in");
      const c = await startSession(db, "p_ada");
      await endSession(db, c.token, true);
      assert.equal(await sessionPlayer(db, b.token), null, "signing out everywhere ends every session");
    });
  });
}
