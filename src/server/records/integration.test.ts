// Four players over real sockets finish a match; the HTTP API then shows it, with every player's
// rating moved; an account made from a guest signs in on "another browser" and gets the guest's
// player id; after a restart on the same DATA_DIR all of it is still there.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strategyFor } from "../../bots/strategies/index.ts";
import { WsBot } from "../../bots/ws-bot.ts";
import type { ServerMessage } from "../../protocol/index.ts";
import { startServer, type RunningServer } from "../app.ts";
import { TestClient } from "../test-client.ts";
import { openRecordsDatabase } from "./index.ts";
import { pino } from "pino";

const SECRET = "integration-secret-0123456789";

async function boot(dataDir: string): Promise<RunningServer> {
  const database = await openRecordsDatabase({ databaseUrl: null, dataDir }, pino({ level: "silent" }));
  return startServer(
    { port: 0, host: "127.0.0.1", logLevel: "silent", sessionSecret: SECRET, botThinkMs: 0, nextDealDelayMs: 0, turnSeconds: 0, leaderboardMinMatches: 1 },
    undefined,
    undefined,
    database,
  );
}

async function api(server: RunningServer, path: string, init: { method?: string; body?: unknown; cookie?: string } = {}) {
  const res = await fetch(server.url + path, {
    method: init.method ?? "GET",
    headers: { ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...(init.cookie ? { cookie: init.cookie } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const type = res.headers.get("content-type") ?? "";
  return { status: res.status, body: type.includes("json") ? await res.json() : await res.text(), cookie: res.headers.get("set-cookie")?.split(";")[0] ?? null, type };
}

test("four players finish a match; the API shows it with ratings moved; accounts and records survive a restart", { timeout: 600_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), "bigtwo-records-"));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  let server = await boot(dataDir);
  t.after(() => server.close());

  // Four people (WebSocket clients playing random legal moves) at one table.
  const ends: Promise<Extract<ServerMessage, { type: "matchEnd" }>>[] = [];
  const bots = ["Ana", "Ben", "Cy", "Di"].map((name) => {
    let done!: (m: Extract<ServerMessage, { type: "matchEnd" }>) => void;
    ends.push(new Promise((r) => (done = r)));
    return new WsBot({ url: server.url.replace("http", "ws") + "/ws", name, strategy: strategyFor("random"), thinkMs: () => 0, onMessage: (m) => m.type === "matchEnd" && done(m) });
  });
  t.after(() => bots.forEach((b) => b.close()));
  await Promise.all(bots.map((b) => b.connect()));
  const joined = new Promise<string>((resolve) => {
    const ws = bots[0].ws!;
    ws.on("message", (data: Buffer) => {
      const m = JSON.parse(data.toString()) as ServerMessage;
      if (m.type === "joined" && m.tableId) resolve(m.tableId);
    });
  });
  bots[0].send({ type: "table.create", id: 1, settings: { seats: 4, deals: 2, turnSeconds: 0, name: "records" } });
  const tableId = await joined;
  for (const b of bots.slice(1)) b.send({ type: "table.join", tableId });
  const [end] = await Promise.all(ends);
  await server.recorder!.flushed();

  const ids = bots.map((b) => b.playerId!);
  const first = await api(server, `/api/players/${ids[0]}`);
  assert.equal(first.status, 200);
  const matchId = first.body.recent[0].matchId as string;
  for (const [s, id] of ids.entries()) {
    const p = await api(server, `/api/players/${id}`);
    assert.equal(p.status, 200);
    assert.equal(p.body.matches, 1);
    assert.equal(p.body.ranked, 1);
    assert.equal(p.body.guest, true);
    assert.equal(p.body.recent[0].matchId, matchId);
    assert.notEqual(p.body.rating, p.body.recent[0].ratingBefore, `${id}'s rating moved`);
    assert.equal(p.body.wins, end.winners.includes(s) ? 1 : 0);
  }
  const m = await api(server, `/api/matches/${matchId}`);
  assert.equal(m.status, 200);
  assert.deepEqual(m.body.totals, end.totals);
  assert.equal(m.body.ranked, true);
  assert.equal(m.body.deals.length, 2);
  for (const d of m.body.deals) {
    assert.equal(d.hands.length, 4);
    assert.ok(d.actions.length > 0);
    assert.equal(typeof d.result.winner, "number");
  }
  const board = await api(server, "/api/leaderboard");
  assert.deepEqual([...board.body.players.map((p: { playerId: string }) => p.playerId)].sort(), [...ids].sort());

  const missing = await api(server, "/api/matches/m_nope");
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, "match/not-found");
  assert.equal((await api(server, "/api/players/p_nope")).body.code, "player/not-found");
  assert.equal((await api(server, "/api/nothing")).body.code, "api/not-found");
  const page = await api(server, `/replay/${matchId}`);
  assert.equal(page.status, 200);
  assert.match(page.type, /text\/html/);

  // Ana saves her progress with a password; then signs in on another browser.
  const reg = await api(server, "/api/auth/register", { method: "POST", body: { name: "Ana", password: "secret password", token: bots[0].token } });
  assert.equal(reg.status, 201, JSON.stringify(reg.body));
  assert.equal(reg.body.account.playerId, ids[0]);
  assert.ok(reg.cookie);
  const dup = await api(server, "/api/auth/register", { method: "POST", body: { name: "ANA", password: "secret password", token: bots[1].token } });
  assert.equal(dup.body.code, "auth/name-taken");
  const wrong = await api(server, "/api/auth/login", { method: "POST", body: { name: "ana", password: "not her password" } });
  assert.deepEqual([wrong.status, wrong.body.code], [401, "auth/bad-credentials"]);
  const unknown = await api(server, "/api/auth/login", { method: "POST", body: { name: "nobody", password: "not her password" } });
  assert.deepEqual(unknown.body, wrong.body, "one generic error for a wrong name or a wrong password");
  const other = await api(server, "/api/auth/login", { method: "POST", body: { name: "ana", password: "secret password" } });
  assert.equal(other.status, 200);
  assert.equal(other.body.account.playerId, ids[0]);
  const there = await TestClient.player(server.url, "Ana", other.body.token);
  assert.equal(there.welcome.playerId, ids[0], "the game token from sign-in names the account's player");
  there.ws.close();
  assert.equal((await api(server, `/api/players/${ids[0]}`)).body.guest, false);

  // Passkeys: options carry this server's RP id; a response that does not verify gets the one
  // generic error, and its challenge is spent.
  const opts = await api(server, "/api/auth/passkey/register/options", { method: "POST", body: { name: "Ben", token: bots[1].token } });
  assert.equal(opts.status, 200, JSON.stringify(opts.body));
  assert.equal(opts.body.options.rp.id, "localhost");
  assert.equal(opts.body.options.authenticatorSelection.residentKey, "required");
  const fake = { id: "AAAA", rawId: "AAAA", type: "public-key", response: { clientDataJSON: "e30", attestationObject: "oA" }, clientExtensionResults: {} };
  const bad = await api(server, "/api/auth/passkey/register/verify", { method: "POST", body: { challengeId: opts.body.challengeId, response: fake } });
  assert.deepEqual([bad.status, bad.body.code], [401, "auth/bad-credentials"]);
  const spent = await api(server, "/api/auth/passkey/register/verify", { method: "POST", body: { challengeId: opts.body.challengeId, response: fake } });
  assert.equal(spent.body.code, "auth/challenge");
  const login = await api(server, "/api/auth/passkey/login/options", { method: "POST", body: {} });
  assert.equal(login.status, 200);
  assert.deepEqual(login.body.options.allowCredentials ?? [], []);

  // Sign-in is rate-limited per account name: five wrong passwords, then 429 even for the right one.
  for (let i = 0; i < 5; i++) assert.equal((await api(server, "/api/auth/login", { method: "POST", body: { name: "Ana", password: `wrong ${i} password` } })).status, 401);
  const limited = await api(server, "/api/auth/login", { method: "POST", body: { name: "ana", password: "secret password" } });
  assert.deepEqual([limited.status, limited.body.code], [429, "auth/rate-limited"]);

  // Restart on the same data folder.
  bots.forEach((b) => b.close());
  await server.close();
  server = await boot(dataDir);
  const again = await api(server, `/api/matches/${matchId}`);
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, m.body);
  const me = await api(server, "/api/auth/me", { cookie: other.cookie! });
  assert.equal(me.status, 200, "the session survived the restart");
  assert.equal(me.body.account.name, "Ana");
  const out = await api(server, "/api/auth/logout", { method: "POST", body: {}, cookie: other.cookie! });
  assert.equal(out.status, 200);
  assert.equal((await api(server, "/api/auth/me", { cookie: other.cookie! })).status, 401, "signed out");
  assert.equal((await api(server, "/api/auth/me", { cookie: reg.cookie! })).status, 200, "the first browser is still signed in");
});
