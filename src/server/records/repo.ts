// Reading and writing the records. Writes come in batches from the Recorder; each batch is one
// transaction, and every write is idempotent (a deal by match and number, a match by its id),
// so a batch retried after a lost reply changes nothing twice.

import { sql } from "kysely";
import { newDeal } from "../../rules/index.ts";
import type { Db } from "./db.ts";
import { botSkill, placesFromTotals, rateMatch, shownRating, START, type Entrant, type Skill } from "./ratings.ts";
import type { DealRecord, MatchRecord, SeatRecord } from "./types.ts";

export type Job = { kind: "deal"; record: DealRecord } | { kind: "match"; record: MatchRecord };

export async function writeBatch(db: Db, jobs: readonly Job[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const deals = jobs.flatMap((j) => (j.kind === "deal" ? [j.record] : []));
    if (deals.length > 0) {
      await tx
        .insertInto("deals")
        .values(
          deals.map((d) => ({
            match_id: d.matchId,
            deal_no: d.dealNo,
            table_id: d.tableId,
            seed: d.seed,
            leader: d.leader,
            actions: JSON.stringify(d.actions),
            result: JSON.stringify(d.result),
            seats: JSON.stringify(d.seats.map((s, seat) => seatJson(s, seat, d.settings.botLevel))),
          })),
        )
        .onConflict((c) => c.columns(["match_id", "deal_no"]).doNothing())
        .execute();
    }
    for (const j of jobs) if (j.kind === "match") await writeMatch(tx, j.record);
  });
}

function seatJson(s: SeatRecord, seat: number, botLevel: string) {
  return { seat, playerId: s.playerId ?? "", name: s.name ?? "", human: s.human, botLevel: s.human ? null : botLevel };
}

interface Participant {
  playerId: string;
  name: string;
  seat: number | null;
  human: boolean;
  botLevel: string | null;
  total: number;
  place: number;
}

/** Who took part: the seats at the end, then the people who left before it (last, sharing a place). */
async function participants(db: Db, m: MatchRecord): Promise<Participant[]> {
  const places = placesFromTotals(m.totals);
  const out: Participant[] = m.seats.map((s, seat) => ({
    playerId: s.playerId ?? "",
    name: s.name ?? "",
    seat,
    human: s.human,
    botLevel: s.human ? null : m.settings.botLevel,
    total: m.totals[seat] ?? 0,
    place: places[seat],
  }));
  const seen = new Set(out.map((p) => p.playerId));
  const deals = await db.selectFrom("deals").select(["seats"]).where("match_id", "=", m.matchId).orderBy("deal_no").execute();
  const last = m.seats.length + 1;
  for (const d of deals) {
    for (const s of d.seats as ReturnType<typeof seatJson>[]) {
      if (!s.human || seen.has(s.playerId)) continue;
      seen.add(s.playerId);
      out.push({ playerId: s.playerId, name: s.name, seat: null, human: true, botLevel: null, total: 0, place: last });
    }
  }
  return out;
}

async function writeMatch(db: Db, m: MatchRecord): Promise<void> {
  const people = await participants(db, m);
  const humans = people.filter((p) => p.human);
  const ranked = humans.length >= 2;
  const dealCount = await db
    .selectFrom("deals")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("match_id", "=", m.matchId)
    .executeTakeFirstOrThrow();
  const inserted = await db
    .insertInto("matches")
    .values({
      match_id: m.matchId,
      table_id: m.tableId,
      ranked,
      settings: JSON.stringify(m.settings),
      seats: JSON.stringify(m.seats.map((s, seat) => seatJson(s, seat, m.settings.botLevel))),
      totals: JSON.stringify(m.totals),
      winners: JSON.stringify(m.winners),
      deals: Number(dealCount.n),
    })
    .onConflict((c) => c.column("match_id").doNothing())
    .returning(["match_id", "ended_at"])
    .executeTakeFirst();
  if (!inserted) return; // recorded before: exactly once

  // Every person gets a players row; lock them (another node may be rating one of them).
  const ids = humans.map((p) => p.playerId);
  if (ids.length > 0) {
    await db
      .insertInto("players")
      .values(humans.map((p) => ({ player_id: p.playerId, name: p.name, mu: START.mu, sigma: START.sigma })))
      .onConflict((c) => c.column("player_id").doNothing())
      .execute();
  }
  const rows = ids.length > 0 ? await db.selectFrom("players").selectAll().where("player_id", "in", ids).orderBy("player_id").forUpdate().execute() : [];
  const byId = new Map(rows.map((r) => [r.player_id, r]));

  const winners = new Set(m.winners);
  const before = people.map((p): Skill => (p.human ? { mu: byId.get(p.playerId)!.mu, sigma: byId.get(p.playerId)!.sigma } : botSkill(p.botLevel)));
  const after = ranked ? rateMatch(people.map((p, i): Entrant => ({ skill: before[i], place: p.place, fixed: !p.human }))) : before;

  await db
    .insertInto("match_players")
    .values(
      people.map((p, i) => ({
        match_id: m.matchId,
        player_id: p.playerId,
        seat: p.seat,
        name: p.name,
        human: p.human,
        bot_level: p.botLevel,
        total: p.total,
        place: p.place,
        won: p.seat !== null && winners.has(p.seat),
        rating_before: ranked ? shownRating(before[i]) : null,
        rating_after: ranked ? shownRating(after[i]) : null,
        ended_at: inserted.ended_at,
      })),
    )
    .execute();

  for (const [i, p] of people.entries()) {
    if (!p.human) continue;
    const won = p.seat !== null && winners.has(p.seat);
    await db
      .updateTable("players")
      .set((eb) => ({
        mu: after[i].mu,
        sigma: after[i].sigma,
        matches: eb("matches", "+", 1),
        ranked: eb("ranked", "+", ranked ? 1 : 0),
        wins: eb("wins", "+", won ? 1 : 0),
        // A guest's name follows what they last played as; an account keeps its own.
        name: sql<string>`case when guest then ${p.name} else name end`,
        updated_at: sql<Date>`now()`,
      }))
      .where("player_id", "=", p.playerId)
      .execute();
  }
}

// ------------------------------------------------------------------ reads (the HTTP API)

export async function leaderboard(db: Db, minMatches: number, limit: number) {
  const rows = await db
    .selectFrom("players")
    .select(["player_id", "name", "guest", "mu", "sigma", "matches", "ranked", "wins"])
    .where("ranked", ">=", minMatches)
    .orderBy(sql`mu - 3 * sigma`, "desc")
    .orderBy("wins", "desc")
    .orderBy("player_id")
    .limit(limit)
    .execute();
  return {
    minMatches,
    players: rows.map((r) => ({
      playerId: r.player_id,
      name: r.name,
      guest: r.guest,
      rating: shownRating(r),
      matches: r.matches,
      ranked: r.ranked,
      wins: r.wins,
    })),
  };
}

export async function player(db: Db, playerId: string) {
  const p = await db.selectFrom("players").selectAll().where("player_id", "=", playerId).executeTakeFirst();
  if (!p) return null;
  const recent = await db
    .selectFrom("match_players as mp")
    .innerJoin("matches as m", "m.match_id", "mp.match_id")
    .select(["mp.match_id", "m.table_id", "m.ended_at", "mp.seat", "mp.place", "mp.won", "m.ranked", "mp.total", "m.deals", "mp.rating_before", "mp.rating_after", "m.seats"])
    .where("mp.player_id", "=", playerId)
    .orderBy("mp.ended_at", "desc")
    .orderBy("mp.match_id", "desc")
    .limit(20)
    .execute();
  const history = await db
    .selectFrom("match_players")
    .select(["match_id", "ended_at", "rating_after"])
    .where("player_id", "=", playerId)
    .where("rating_after", "is not", null)
    .orderBy("ended_at", "desc")
    .orderBy("match_id", "desc")
    .limit(100)
    .execute();
  return {
    playerId: p.player_id,
    name: p.name,
    guest: p.guest,
    rating: shownRating(p),
    mu: p.mu,
    sigma: p.sigma,
    matches: p.matches,
    ranked: p.ranked,
    wins: p.wins,
    ratingHistory: history.reverse().map((h) => ({ matchId: h.match_id, endedAt: h.ended_at.toISOString(), rating: h.rating_after })),
    recent: recent.map((r) => ({
      matchId: r.match_id,
      tableId: r.table_id,
      endedAt: r.ended_at.toISOString(),
      seat: r.seat,
      place: r.place,
      won: r.won,
      ranked: r.ranked,
      total: r.total,
      deals: r.deals,
      ratingBefore: r.rating_before,
      ratingAfter: r.rating_after,
      players: (r.seats as ReturnType<typeof seatJson>[]).map((s) => ({ seat: s.seat, playerId: s.playerId, name: s.name, human: s.human })),
    })),
  };
}

export async function match(db: Db, matchId: string) {
  const m = await db.selectFrom("matches").selectAll().where("match_id", "=", matchId).executeTakeFirst();
  if (!m) return null;
  const players = await db.selectFrom("match_players").selectAll().where("match_id", "=", matchId).orderBy("place").orderBy("seat").execute();
  const deals = await db.selectFrom("deals").selectAll().where("match_id", "=", matchId).orderBy("deal_no").execute();
  const settings = m.settings as DealRecord["settings"];
  return {
    matchId: m.match_id,
    tableId: m.table_id,
    endedAt: m.ended_at.toISOString(),
    ranked: m.ranked,
    settings,
    players: players.map((p) => ({
      seat: p.seat,
      playerId: p.player_id,
      name: p.name,
      human: p.human,
      botLevel: p.bot_level,
      total: p.total,
      place: p.place,
      won: p.won,
      ratingBefore: p.rating_before,
      ratingAfter: p.rating_after,
    })),
    totals: m.totals,
    winners: m.winners,
    deals: deals.map((d) => ({
      dealNo: d.deal_no,
      seed: d.seed,
      leader: d.leader,
      hands: newDeal({ variant: settings.variant, seats: settings.seats, seed: d.seed, leader: d.leader }).hands,
      actions: d.actions,
      result: d.result,
      seats: d.seats,
    })),
  };
}
