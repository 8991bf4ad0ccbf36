// Records end to end (issue 17): a guest plays a match against bots (the server offers no rematch
// yet: the test hands the page one, to see the offer in zh-Hant and vi), saves their progress with
// a passkey (Chromium's virtual authenticator), signs in on a second browser with the same passkey
// (copied across, as a synced passkey would be), opens their profile there and replays the first
// deal; then two guests play a ranked match so the leaderboard has rows. A real server with an
// in-memory PGlite database. Screenshots of the records pages at 360 and 1280 px.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import type { Browser, CDPSession, Page, WebSocketRoute } from "playwright-core";
import { cardName } from "../src/rules/index.ts";
import type { Card } from "../src/rules/types.ts";
import type { RunningServer } from "../src/server/app.ts";
import { startServer } from "../src/server/app.ts";
import { openRecordsDatabase } from "../src/server/records/index.ts";
import { join } from "node:path";
import { browserAvailable, buildClient, handCards, isMyTurn, launchBrowser, newPlayer, ROOT, settle, shot, takeTurn, until, type Player } from "./harness.ts";

const available = browserAvailable();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface MatchJson {
  matchId: string;
  players: { seat: number | null; playerId: string | null; name: string }[];
  deals: { dealNo: number; hands: string[][]; result: { winner: number; scores: { delta: number }[] } }[];
}

/** A virtual platform authenticator on this page's tab: resident keys, user verification, always present. */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, id: authenticatorId };
}

describe("records: accounts, profile, replay, leaderboard", { skip: !available && "no Chromium (see the message above)" }, () => {
  let server: RunningServer;
  let browser: Browser;
  // Passkeys need a host name for their relying party: the server's default is localhost:PORT.
  let base: string;
  const players: Player[] = [];

  const player = async (opts: Parameters<typeof newPlayer>[1] & { width?: number } = {}) => {
    const p = await newPlayer(browser, opts);
    if (opts.width) await p.page.setViewportSize({ width: opts.width, height: 860 });
    p.page.setDefaultTimeout(15_000);
    players.push(p);
    return p;
  };

  /** Take this player's turns until the match-end screen shows (other seats are bots or other players' loops). */
  const playToTheEnd = async (ps: Player[], what: string) => {
    const deadline = Date.now() + 90_000;
    while (true) {
      let ended = 0;
      let acted = false;
      for (const p of ps) {
        if ((await p.page.locator("[data-testid=match-end]").count()) > 0) {
          ended++;
          continue;
        }
        if (await isMyTurn(p.page)) {
          await takeTurn(p.page);
          acted = true;
        }
      }
      if (ended === ps.length) return;
      assert.ok(Date.now() < deadline, `${what}: the match did not end in time`);
      if (!acted) await sleep(30);
    }
  };

  const createTable = async (p: Player, opts: { name: string; bots: number }) => {
    await p.page.goto(base);
    await p.page.click("[data-testid=create-open]");
    await p.page.fill("#ct-name", opts.name);
    await p.page.selectOption("#ct-private", "private");
    await p.page.selectOption("#ct-deals", "1");
    await p.page.selectOption("#ct-bots", String(opts.bots));
    await p.page.click("[data-testid=create-submit]");
  };

  before(async () => {
    buildClient();
    const log = pino({ level: "silent" });
    const database = await openRecordsDatabase({ databaseUrl: null, dataDir: null }, log);
    server = await startServer(
      {
        host: "127.0.0.1",
        port: 0,
        logLevel: "silent",
        botThinkMs: 15,
        turnSeconds: 30,
        nextDealDelayMs: 60_000,
        reconnectGraceSeconds: 30,
        leaderboardMinMatches: 1,
        clientDir: join(ROOT, "dist/client"),
      },
      // startServer(overrides, stores, clock, database): the default stores and clock, and records.
      undefined,
      undefined,
      database,
    );
    base = `http://localhost:${server.port}`;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a guest plays bots, saves progress with a passkey, signs in elsewhere and replays the first deal", { timeout: 180_000 }, async () => {
    // --- browser A: a guest's match against three bots, one deal
    const a = await player({ name: "Mei" });
    // The server offers no rematch yet: the test hands the page one through its own socket.
    let socketA: WebSocketRoute | null = null;
    await a.page.routeWebSocket(/\/ws$/, (ws) => {
      ws.connectToServer();
      socketA = ws;
    });
    await createTable(a, { name: "Mei vs bots", bots: 3 });
    await a.page.waitForSelector("[data-testid=hand] [data-card]");
    const dealt = await handCards(a.page);
    assert.equal(dealt.length, 13);
    const mySeat = await a.page.evaluate(() => (window as unknown as { bigTwo: { state: { table: { seat: number } } } }).bigTwo.state.table.seat);
    await playToTheEnd([a], "Mei vs bots");
    await settle(a.page);
    await a.page.waitForSelector("[data-testid=match-profile]");
    // matchEnd names the recorded match: the match-end screen links to its replay.
    const replayHref = await a.page.locator("[data-testid=match-replay]").getAttribute("href");
    assert.match(replayHref ?? "", /^\/replay\/[^/]+$/);

    assert.equal(await a.page.locator("[data-testid=match-replay]").textContent(), "Replay");
    assert.equal(await a.page.locator("[data-testid=match-profile]").textContent(), "My matches");
    await shot(a.page, "records-match-end");

    // The same screen with a rematch offer (two bots agreed, one deciding), in Traditional Chinese
    // and Vietnamese on a phone: every word from the catalogue (issue 18), the names in the
    // language's own list, nothing wider than the screen.
    const table = await a.page.evaluate(() => (window as unknown as { bigTwo: { state: { table: { tableId: string; seq: number } } } }).bigTwo.state.table);
    const answers = [0, 1, 2, 3].map((s) => (s === (mySeat + 1) % 4 || s === (mySeat + 2) % 4 ? "yes" : "pending"));
    (socketA as unknown as WebSocketRoute).send(JSON.stringify({ type: "rematch", tableId: table.tableId, seq: table.seq + 1, inMs: 20_000, answers, outcome: null }));
    await a.page.waitForSelector("[data-testid=rematch]");
    const setLanguage = async (lang: string) => {
      await a.page.evaluate((l) => (window as unknown as { bigTwo: { setLanguage(l: string): void } }).bigTwo.setLanguage(l), lang);
      await settle(a.page);
    };
    await a.page.setViewportSize({ width: 360, height: 740 });
    for (const lang of [
      { code: "zh-Hant", game: "大老二", replay: "重播", mine: "我的比賽", title: "再來一場？", yes: "再來一場", line: /^\S+和\S+ 想再來一場 · 還在等 \S+$/ },
      { code: "vi", game: "Big Two", replay: "Xem lại", mine: "Trận của tôi", title: "Chơi lại không?", yes: "Chơi lại", line: /^\S+ và \S+ muốn chơi lại · đang chờ \S+$/ },
    ]) {
      await setLanguage(lang.code);
      assert.equal(await a.page.title(), `Mei vs bots · ${lang.game}`);
      assert.equal(await a.page.locator("[data-testid=match-replay]").textContent(), lang.replay);
      assert.equal(await a.page.locator("[data-testid=match-profile]").textContent(), lang.mine);
      assert.equal(await a.page.locator("#rematch-title").textContent(), lang.title);
      assert.equal(await a.page.locator("[data-testid=play-again]").textContent(), lang.yes);
      assert.match((await a.page.locator("[data-testid=rematch-line]").textContent()) ?? "", lang.line);
      assert.equal(await a.page.evaluate(() => document.documentElement.scrollWidth), 360, `${lang.code} match end fits 360 px`);
      await a.page.locator("[data-testid=back-to-lobby]").scrollIntoViewIfNeeded();
      await shot(a.page, `records-match-end-${lang.code}-360`);
    }
    await setLanguage("en");
    await a.page.setViewportSize({ width: 1200, height: 800 });

    // --- back to the lobby, and save progress with a passkey
    const authA = await virtualAuthenticator(a.page);
    await a.page.click("[data-testid=back-to-lobby]");
    await a.page.waitForSelector(".lobby");
    const guestId = await a.page.evaluate(() => (window as unknown as { bigTwo: { state: { playerId: string } } }).bigTwo.state.playerId);
    // The dialog in Traditional Chinese and Vietnamese on a phone, both ways to save: solid (the
    // page's text once showed through it) and on screen.
    await a.page.setViewportSize({ width: 360, height: 740 });
    for (const lang of [
      { code: "zh-Hant", game: "大老二", title: "儲存我的進度" },
      { code: "vi", game: "Big Two", title: "Lưu tiến trình" },
    ]) {
      await a.page.selectOption("[data-testid=lang]", lang.code);
      await settle(a.page);
      assert.equal(await a.page.title(), lang.game);
      await a.page.click("[data-testid=save-progress]");
      await a.page.waitForSelector("[data-testid=account-dialog]");
      assert.equal(await a.page.locator("#account-title").textContent(), lang.title);
      const look = await a.page.evaluate(() => {
        const d = document.querySelector("[data-testid=account-dialog]")!;
        const o = d.parentElement!;
        return { background: getComputedStyle(d).backgroundColor, overlay: getComputedStyle(o).position, box: d.getBoundingClientRect().toJSON() as DOMRect };
      });
      assert.equal(look.background, "rgb(13, 47, 35)", `${lang.code}: the dialog is solid`);
      assert.equal(look.overlay, "fixed");
      assert.ok(look.box.left >= 0 && look.box.right <= 360 && look.box.top >= 0 && look.box.bottom <= 740, `${lang.code}: the dialog is on screen`);
      await shot(a.page, `save-progress-${lang.code}-360`);
      await a.page.click("[data-testid=use-password]");
      await settle(a.page);
      await shot(a.page, `save-progress-password-${lang.code}-360`);
      await a.page.keyboard.press("Escape");
      await a.page.waitForSelector("[data-testid=account-dialog]", { state: "detached" });
    }
    await a.page.selectOption("[data-testid=lang]", "en");
    await a.page.setViewportSize({ width: 1200, height: 800 });
    await a.page.click("[data-testid=save-progress]");
    await a.page.waitForSelector("[data-testid=account-dialog]");
    await shot(a.page, "save-progress");
    await a.page.fill("[data-testid=account-name]", "Mei Records");
    await a.page.click("[data-testid=save-passkey]");
    await a.page.waitForSelector("[data-testid=sign-out]");
    assert.equal(await a.page.locator("[data-testid=account-dialog]").count(), 0, "the dialog closes once saved");
    const { credentials } = await authA.cdp.send("WebAuthn.getCredentials", { authenticatorId: authA.id });
    assert.equal(credentials.length, 1, "one passkey was made");
    assert.equal(credentials[0].isResidentCredential, true);

    // --- browser B: a first visit; sign in with the same passkey (synced to this device)
    const b = await player({ width: 1280 });
    await b.page.goto(base);
    const authB = await virtualAuthenticator(b.page);
    await authB.cdp.send("WebAuthn.addCredential", { authenticatorId: authB.id, credential: credentials[0] });
    await b.page.click("[data-testid=sign-in]");
    await b.page.waitForSelector("[data-testid=account-dialog]");
    await b.page.click("[data-testid=signin-passkey]");
    await b.page.waitForSelector(".lobby [data-testid=sign-out]");
    await until("browser B to play as the account", async () =>
      (await b.page.evaluate(() => (window as unknown as { bigTwo: { state: { playerId: string | null } } }).bigTwo.state.playerId)) === guestId,
    );
    assert.equal(await b.page.locator("[data-testid=my-name]").textContent(), "Mei Records");

    // --- the profile, in browser B
    await b.page.click("[data-testid=my-profile]");
    await b.page.waitForSelector("[data-testid=profile]");
    assert.equal(new URL(b.page.url()).pathname, `/profile/${encodeURIComponent(guestId)}`);
    assert.match((await b.page.locator("[data-testid=profile-name]").textContent()) ?? "", /^Mei Records/);
    assert.match((await b.page.locator("[data-testid=profile-rating]").textContent()) ?? "", /★ [\d,]+/);
    const rows = b.page.locator("[data-testid=recent] li");
    assert.equal(await rows.count(), 1, "one finished match in the history");
    await shot(b.page, "records-profile-1280");

    // --- replay the first deal
    await rows.first().locator("[data-testid=replay-link]").click();
    await b.page.waitForSelector("[data-testid=replay]");
    const matchId = decodeURIComponent(new URL(b.page.url()).pathname.split("/")[2]);
    assert.equal(`/replay/${encodeURIComponent(matchId)}`, replayHref, "the match-end link and the profile name the same match");
    const rec = (await (await b.page.request.get(`${base}/api/matches/${encodeURIComponent(matchId)}`)).json()) as MatchJson;
    assert.equal(rec.deals.length, 1);
    assert.equal(await b.page.locator("[data-testid=deal-picker]").inputValue(), "1");
    assert.match((await b.page.locator("[data-testid=step-line]").textContent()) ?? "", /^As dealt/);
    // Every hand face up, and Mei's is the one browser A was dealt.
    assert.equal(await b.page.locator("[data-testid=replay-hand]").count(), 4);
    const mineInReplay = await b.page
      .locator(`.replay-seat[data-seat="${mySeat}"] [role=img]`)
      .evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
    assert.equal(mineInReplay.length, 13);
    assert.deepEqual(new Set(mineInReplay), new Set(dealt.map((c) => cardName(c as Card))));
    await shot(b.page, "records-replay-start-1280");

    // Forward three, back three: the same step line and hands.
    const line0 = await b.page.locator("[data-testid=step-line]").textContent();
    const hands0 = await b.page.locator(".replay-felt").innerText();
    for (let i = 0; i < 3; i++) await b.page.click("[data-testid=step-forward]");
    assert.match((await b.page.locator("[data-testid=step-line]").textContent()) ?? "", /^3 of \d+: /);
    for (let i = 0; i < 3; i++) await b.page.click("[data-testid=step-back]");
    assert.equal(await b.page.locator("[data-testid=step-line]").textContent(), line0);
    assert.equal(await b.page.locator(".replay-felt").innerText(), hands0);

    // Play at 4×, pause, then jump to the end: the result is the recorded one.
    await b.page.selectOption("[data-testid=speed]", "4");
    await b.page.click("[data-testid=play-pause]");
    await until("the replay to move on by itself", async () => /^\d+ of \d+/.test((await b.page.locator("[data-testid=step-line]").textContent()) ?? ""));
    await b.page.click("[data-testid=play-pause]");
    await b.page.click("[data-testid=step-last]");
    await b.page.waitForSelector("[data-testid=replay-result]");
    const winner = rec.deals[0].result.winner;
    assert.match((await b.page.locator("[data-testid=replay-result] h2").textContent()) ?? "", new RegExp(`^${escape(seatName(rec, winner))} wins the deal`));
    const deltas = await b.page.locator("[data-testid=replay-result] tbody tr td:nth-child(3)").allTextContents();
    assert.deepEqual(deltas.map(parseSigned), rec.deals[0].result.scores.map((s) => s.delta));
    await shot(b.page, "records-replay-end-1280");

    assert.deepEqual(a.errors, [], "console errors in browser A");
    assert.deepEqual(b.errors, [], "console errors in browser B");
    await a.context.close();
    await b.context.close();
  });

  test("two guests' ranked match: the leaderboard and profiles, at 360 and 1280 px", { timeout: 180_000 }, async () => {
    const ann = await player({ name: "Ann" });
    const bo = await player({ name: "Bo" });
    await createTable(ann, { name: "Ann and Bo", bots: 2 });
    await ann.page.waitForSelector("[data-testid=waiting]");
    const code = await ann.page.evaluate(() => (window as unknown as { bigTwo: { state: { table: { code: string } } } }).bigTwo.state.table.code);
    await bo.page.goto(`${base}/?join=${encodeURIComponent(code)}`);
    for (const p of [ann, bo]) await p.page.waitForSelector("[data-testid=hand] [data-card]");
    await playToTheEnd([ann, bo], "Ann and Bo");

    // Records are written off the table's turn: wait for the board to list both.
    const viewer = await player({ name: "Viewer", width: 1280 });
    await until(
      "the leaderboard to list Ann and Bo",
      async () => {
        const r = await viewer.page.request.get(`${base}/api/leaderboard`);
        const body = (await r.json()) as { players: { name: string }[] };
        return ["Ann", "Bo"].every((n) => body.players.some((p) => p.name === n));
      },
      20_000,
    );
    for (const [width, who] of [
      [1280, viewer],
      [360, await player({ name: "Phone", phone: true })],
    ] as const) {
      const page = who.page;
      await page.goto(`${base}/leaderboard`);
      await page.waitForSelector("[data-testid=leaderboard] table");
      const listed = await page.locator(".lb tbody th a").allTextContents();
      assert.ok(listed.includes("Ann") && listed.includes("Bo"), `leaderboard rows: ${listed.join(", ")}`);
      const ratings = (await page.locator(".lb tbody td.strong").allTextContents()).map((t) => Number(t.replace(/,/g, "")));
      assert.deepEqual(ratings, ratings.slice().sort((x, y) => y - x), "best first");
      await shot(page, `records-leaderboard-${width}`);
      await page.locator(".lb tbody th a", { hasText: "Ann" }).click();
      await page.waitForSelector("[data-testid=profile]");
      assert.match((await page.locator("[data-testid=profile-name]").textContent()) ?? "", /^Ann/);
      await page.waitForSelector("[data-testid=rating-chart]");
      await shot(page, `records-profile-${width}`);
      await page.locator("[data-testid=replay-link]").first().click();
      await page.waitForSelector("[data-testid=replay]");
      for (let i = 0; i < 6; i++) await page.click("[data-testid=step-forward]");
      await shot(page, `records-replay-${width}`);
      assert.deepEqual(who.errors, [], `console errors at ${width} px`);
    }

    // The same pages in Traditional Chinese and Vietnamese on a phone: every word from the
    // catalogue (issue 18), nothing wider than the screen. Whole-page shots, to be looked at.
    for (const lang of [
      { code: "zh-Hant", locale: "zh-TW", board: "排行榜", place: /^第 \d+ 名/, step: /^第 6 手，共 \d+ 手：/ },
      { code: "vi", locale: "vi-VN", board: "Bảng xếp hạng", place: /^Hạng \d+/, step: /^6\/\d+: / },
    ]) {
      const { page, errors } = await player({ name: "Phone", phone: true, locale: lang.locale });
      const fits = async (what: string) =>
        assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, `${lang.code} ${what} fits 360 px`);
      await page.goto(`${base}/leaderboard`);
      await page.waitForSelector("[data-testid=leaderboard] table");
      assert.equal(await page.getAttribute("html", "lang"), lang.code);
      assert.equal(await page.locator("[data-testid=leaderboard] h1").textContent(), lang.board);
      await fits("leaderboard");
      await shot(page, `records-leaderboard-${lang.code}-360`, { fullPage: true });
      await page.locator(".lb tbody th a", { hasText: "Ann" }).click();
      await page.waitForSelector("[data-testid=rating-chart]");
      assert.match((await page.locator("[data-testid=recent] .r-place").first().textContent()) ?? "", lang.place);
      await fits("profile");
      await shot(page, `records-profile-${lang.code}-360`, { fullPage: true });
      await page.locator("[data-testid=replay-link]").first().click();
      await page.waitForSelector("[data-testid=replay]");
      for (let i = 0; i < 6; i++) await page.click("[data-testid=step-forward]");
      assert.match((await page.locator("[data-testid=step-line]").textContent()) ?? "", lang.step);
      await fits("replay");
      await shot(page, `records-replay-${lang.code}-360`);
      await shot(page, `records-replay-${lang.code}-360-full`, { fullPage: true });
      assert.deepEqual(errors, [], `console errors in ${lang.code}`);
    }
    await ann.context.close();
    await bo.context.close();
  });
});

function seatName(rec: MatchJson, seat: number): string {
  return rec.players.find((p) => p.seat === seat)?.name ?? `Seat ${seat + 1}`;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function parseSigned(t: string): number {
  return Number(t.replace("−", "-").replace("+", ""));
}
