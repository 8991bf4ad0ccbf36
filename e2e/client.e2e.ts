// The browser client end to end: a real server on an ephemeral port, Debian's Chromium, and
// people's paths through the UI. Screenshots land in e2e/screenshots/ (ignored by git).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import type { RunningServer } from "../src/server/app.ts";
import {
  browserAvailable,
  buildClient,
  dealOver,
  drawnEvents,
  framesOfType,
  handCards,
  isMyTurn,
  launchBrowser,
  matchOver,
  newPlayer,
  settle,
  shot,
  startTestServer,
  tableCode,
  takeTurn,
  until,
  type Player,
} from "./harness.ts";

const available = browserAvailable();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("browser client", { skip: !available && "no Chromium (see the message above)" }, () => {
  let server: RunningServer;
  let browser: Browser;
  const players: Player[] = [];

  const player = async (opts: Parameters<typeof newPlayer>[1] = {}) => {
    const p = await newPlayer(browser, opts);
    p.page.setDefaultTimeout(15_000);
    players.push(p);
    return p;
  };

  const noConsoleErrors = (...ps: Player[]) => {
    for (const p of ps) assert.deepEqual(p.errors, [], `console errors on ${p.name || "a page"}'s page`);
  };

  const closeAll = async (...ps: Player[]) => {
    for (const p of ps) await p.context.close();
  };

  /** From the lobby, one click to a private table with three bots. */
  const startBotGame = async (p: Player) => {
    await p.page.goto(server.url);
    await p.page.click("[data-testid=play-bots]");
    await p.page.waitForSelector("[data-testid=hand] [data-card]");
  };

  const waitForMyTurn = async (p: Player) => until(`${p.name}'s turn`, () => isMyTurn(p.page));

  before(async () => {
    buildClient();
    server = await startTestServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("play against three bots through the UI until the deal result shows", { timeout: 90_000 }, async () => {
    const p = await player({ name: "Mei" });
    await p.page.goto(server.url);
    await p.page.waitForSelector(".lobby");
    assert.equal(await p.page.locator("[data-testid=my-name]").textContent(), "Mei");
    await shot(p.page, "lobby");

    await p.page.click("[data-testid=play-bots]");
    await p.page.waitForSelector("[data-testid=hand] [data-card]");
    const hand = await handCards(p.page);
    assert.equal(hand.length, 13);
    // Cards have accessible names from the rules engine.
    const label = await p.page.locator("[data-testid=hand] [data-card]").first().getAttribute("aria-label");
    assert.match(label ?? "", /^(two|three|four|five|six|seven|eight|nine|ten|jack|queen|king|ace) of (clubs|diamonds|hearts|spades)$/);
    assert.equal(await p.page.locator(".seat .badge.bot").count(), 3);

    let turns = 0;
    const deadline = Date.now() + 70_000;
    while ((await p.page.locator("[data-testid=deal-result], [data-testid=match-end]").count()) === 0) {
      assert.ok(Date.now() < deadline, "the deal did not end in time");
      if (await isMyTurn(p.page)) {
        if (turns === 1) {
          await p.page.click("[data-testid=hint]");
          await settle(p.page);
          await shot(p.page, "table-mid-deal");
        }
        await takeTurn(p.page);
        turns++;
      } else await sleep(30);
    }
    assert.ok(turns > 0, "the human never had a turn");
    await sleep(300);
    await shot(p.page, "deal-result");
    await p.page.setViewportSize({ width: 360, height: 740 });
    await sleep(100);
    await shot(p.page, "phone-result");
    await p.page.setViewportSize({ width: 1200, height: 800 });

    // The result names every seat with penalties and running totals, zero-sum.
    const rows = p.page.locator("[data-testid=deal-result] tbody tr");
    assert.equal(await rows.count(), 4);
    const totals = await rows.locator("td.num.strong").allTextContents();
    const sum = totals.map((t) => Number(t.replace("−", "-").replace("+", ""))).reduce((a, b) => a + b, 0);
    assert.equal(sum, 0, `totals ${totals.join(", ")} are zero-sum`);

    // "Next deal" starts deal 2 at once (the bots are always ready).
    await p.page.click("[data-testid=next-deal]");
    await p.page.waitForSelector("[data-testid=deal-result]", { state: "detached" });
    await until("deal 2", async () => (await handCards(p.page)).length === 13 && (await p.page.locator(".table-title").textContent())!.includes("Deal 2"));
    noConsoleErrors(p);
    await closeAll(p);
  });

  test("an illegal selection cannot be played and sends nothing", { timeout: 60_000 }, async () => {
    const p = await player({ name: "Ivy" });
    await startBotGame(p);
    await waitForMyTurn(p);
    const hand = await handCards(p.page);
    // Sorted by rank, the first and last cards differ in rank: two such cards are never a play.
    await p.page.click(`[data-card="${hand[0]}"]`);
    await p.page.click(`[data-card="${hand[hand.length - 1]}"]`);
    await settle(p.page);
    assert.equal(await p.page.locator("[data-testid=selection-line]").textContent(), "not a combination");
    assert.equal(await p.page.locator(`[data-card="${hand[0]}"]`).getAttribute("aria-pressed"), "true");
    assert.ok(await p.page.locator("[data-testid=play]").isDisabled(), "Play is disabled");

    const sentBefore = p.sent.length;
    await p.page.locator("[data-testid=play]").click({ force: true });
    await p.page.locator(`[data-card="${hand[0]}"]`).focus();
    await p.page.keyboard.press("Enter");
    const leading = await p.page.evaluate(() => {
      const t = (window as unknown as { bigTwo: { state: { table: { deal: { top: unknown } } } } }).bigTwo.state.table;
      return t.deal.top === null;
    });
    if (leading) {
      assert.ok(await p.page.locator("[data-testid=pass]").isDisabled(), "Pass is disabled when you lead");
      await p.page.keyboard.press("p");
    }
    await sleep(400);
    const sent = p.sent.slice(sentBefore);
    assert.deepEqual([...framesOfType(sent, "play"), ...framesOfType(sent, "pass")], [], "nothing was sent");
    assert.equal(await p.page.locator("[data-testid=toast]").count(), 0, "no refusal from the server either");

    // Not vacuous: the keyboard alone can select a legal play (the hint) and play it.
    await p.page.keyboard.press("Escape");
    await settle(p.page);
    assert.equal((await p.page.locator("[data-testid=hand] [aria-pressed=true]").count()), 0);
    // One stroke across three cards selects all three.
    const box = async (c: string) => (await p.page.locator(`[data-card="${c}"]`).boundingBox())!;
    const [b0, b2] = [await box(hand[0]), await box(hand[2])];
    await p.page.mouse.move(b0.x + 10, b0.y + b0.height / 2);
    await p.page.mouse.down();
    await p.page.mouse.move(b2.x + 10, b2.y + b2.height / 2, { steps: 8 });
    await p.page.mouse.up();
    await settle(p.page);
    assert.equal(await p.page.locator("[data-testid=hand] [aria-pressed=true]").count(), 3);
    await p.page.keyboard.press("Escape");
    await settle(p.page);
    // When nothing in the hand beats the table the hint has nothing to offer: pass (by
    // keyboard) and try again on a later turn. A seat that can never beat the table may see the
    // bots finish the deal first; then it asks for the next deal and goes on there.
    for (let tries = 0; tries < 40; tries++) {
      await until(`${p.name}'s turn or the deal's end`, async () => (await isMyTurn(p.page)) || (await dealOver(p.page)) || (await matchOver(p.page)));
      assert.equal(await matchOver(p.page), false, "the match ended before the hint ever had a play");
      if (await dealOver(p.page)) {
        await p.page.click("[data-testid=next-deal]");
        await p.page.waitForSelector("[data-testid=deal-result]", { state: "detached" });
        continue;
      }
      await p.page.keyboard.press("h");
      await settle(p.page);
      if (await p.page.locator("[data-testid=play]").isEnabled()) break;
      if (await p.page.locator("[data-testid=pass]").isEnabled()) {
        const passes = framesOfType(p.sent, "pass").length;
        await p.page.keyboard.press("p");
        await until("the pass to be sent", async () => framesOfType(p.sent, "pass").length > passes);
      } else {
        await sleep(250); // the table is still drawing earlier plays
      }
    }
    const before = await drawnEvents(p.page);
    assert.ok(await p.page.locator("[data-testid=play]").isEnabled(), "the hint is playable");
    assert.match((await p.page.locator("[data-testid=selection-line]").textContent()) ?? "", /(beats the table|ready to lead)$/);
    await p.page.locator("[data-testid=hand] [data-card]").first().focus();
    await p.page.keyboard.press("Enter");
    await until("the play to be drawn", async () => (await drawnEvents(p.page)) > before);
    assert.equal(framesOfType(p.sent.slice(sentBefore), "play").length, 1);
    noConsoleErrors(p);
    await closeAll(p);
  });

  test("a reload mid-deal restores the seat and the hand", { timeout: 60_000 }, async () => {
    const p = await player({ name: "Ray" });
    await startBotGame(p);
    await waitForMyTurn(p);
    await takeTurn(p.page);
    const hand = (await handCards(p.page)).slice().sort();
    const title = await p.page.locator(".table-title strong").textContent();
    assert.ok(hand.length > 0 && hand.length <= 13);

    await p.page.reload();
    await p.page.waitForSelector("[data-testid=hand] [data-card]");
    await settle(p.page);
    assert.deepEqual((await handCards(p.page)).slice().sort(), hand, "same hand after reload");
    assert.equal(await p.page.locator(".table-title strong").textContent(), title);
    assert.equal(await p.page.locator(".my-strip .you").textContent(), "Ray");
    // And the game goes on from the restored seat.
    await waitForMyTurn(p);
    await takeTurn(p.page);
    noConsoleErrors(p);
    await closeAll(p);
  });

  test("a lost connection shows a banner, retries with backoff and restores the table", { timeout: 60_000 }, async () => {
    const p = await player({ name: "Ned" });
    await startBotGame(p);
    await waitForMyTurn(p);
    const hand = (await handCards(p.page)).slice().sort();
    await p.context.setOffline(true);
    await p.page.evaluate(() => (window as unknown as { bigTwo: { conn: { drop(): void } } }).bigTwo.conn.drop());
    const banner = p.page.locator("[data-testid=conn-banner]");
    await banner.waitFor();
    await until("a second attempt", async () => /Reconnecting in/.test((await banner.textContent()) ?? ""), 10_000);
    await shot(p.page, "reconnecting");
    // A legal selection still cannot be sent while there is no connection.
    await p.page.click("[data-testid=hint]");
    await settle(p.page);
    assert.ok(await p.page.locator("[data-testid=play]").isDisabled());
    assert.ok(await p.page.locator("[data-testid=pass]").isDisabled());
    await p.context.setOffline(false);
    await banner.waitFor({ state: "detached", timeout: 15_000 });
    await p.page.waitForSelector("[data-testid=hand] [data-card]");
    await settle(p.page);
    assert.deepEqual((await handCards(p.page)).slice().sort(), hand);
    await waitForMyTurn(p);
    await takeTurn(p.page);
    // The browser itself logs the refused connection attempts while offline; nothing else.
    assert.deepEqual(p.errors.filter((e) => !/WebSocket connection to .* failed/.test(e)), []);
    await closeAll(p);
  });

  test("a spectator sees the table but no hand", { timeout: 60_000 }, async () => {
    const host = await player({ name: "Hana" });
    await startBotGame(host);
    const code = await tableCode(host.page);
    assert.ok(code, "a private table has an invite code");

    const watcher = await player({ name: "Sam" });
    await watcher.page.goto(`${server.url}/?watch=${code}`);
    await watcher.page.waitForSelector("[data-testid=watching]");
    assert.equal(await watcher.page.locator("[data-testid=hand]").count(), 0);
    assert.equal(await watcher.page.locator("[data-testid=play]").count(), 0);
    assert.equal(await watcher.page.locator(".seat").count(), 4, "all four seats shown");
    // The host's next play reaches the spectator.
    await waitForMyTurn(host);
    const seen = await drawnEvents(watcher.page);
    await takeTurn(host.page);
    await until("the spectator to see the play", async () => (await drawnEvents(watcher.page)) > seen);
    await shot(watcher.page, "spectator");
    // Nothing the spectator received carries a hand.
    for (const f of watcher.received) {
      const deal = (f as { deal?: Record<string, unknown> | null }).deal;
      assert.ok(!deal || !("hand" in deal), `a ${String(f.type)} frame carried a hand`);
    }
    noConsoleErrors(host, watcher);
    await closeAll(host, watcher);
  });

  test("four browsers join a private table by its invite link and each plays", { timeout: 120_000 }, async () => {
    const host = await player({ name: "Host" });
    await host.page.goto(server.url);
    await host.page.click("[data-testid=create-open]");
    await host.page.selectOption("#ct-private", "private");
    await host.page.fill("#ct-name", "Friday game");
    await host.page.click("[data-testid=create-submit]");
    await host.page.waitForSelector("[data-testid=waiting]");
    const link = await host.page.locator("[data-testid=waiting] [data-testid=invite-link]").inputValue();
    assert.match(link, /\/\?join=[A-Z0-9]{6}$/);
    await shot(host.page, "invite");
    // A reload while waiting for friends keeps the table (the server frees the seat when the socket goes).
    await host.page.reload();
    await host.page.waitForSelector("[data-testid=waiting]");
    assert.equal(await host.page.locator("[data-testid=waiting] [data-testid=invite-link]").inputValue(), link);

    const bea = await player({ name: "Bea" });
    const cy = await player({ name: "Cy" });
    const dee = await player({ phone: true }); // first visit: no name yet, on a phone
    await bea.page.goto(link);
    await cy.page.goto(link);
    await dee.page.goto(link);
    await dee.page.waitForSelector("#name-input");
    assert.match((await dee.page.locator(".name-form").textContent()) ?? "", /invited/);
    await dee.page.fill("#name-input", "Dee");
    await dee.page.tap("button[type=submit]");
    dee.name = "Dee";

    const all = [host, bea, cy, dee];
    for (const p of all) await p.page.waitForSelector("[data-testid=hand] [data-card]");
    for (const name of ["Bea", "Cy", "Dee"]) {
      assert.equal(await host.page.locator(".seat .nm", { hasText: name }).count(), 1, `${name} is seated`);
    }
    assert.equal(await host.page.locator(".seat .badge.bot").count(), 0, "no bots at a table of friends");

    const acted = new Set<Player>();
    let phoneShot = false;
    const deadline = Date.now() + 90_000;
    while (acted.size < 4) {
      assert.ok(Date.now() < deadline, `only ${[...acted].map((p) => p.name).join(", ")} played`);
      let any = false;
      for (const p of all) {
        if (!(await isMyTurn(p.page))) continue;
        if (p === dee && !phoneShot) {
          await dee.page.tap("[data-testid=hint]");
          await settle(dee.page);
          await shot(dee.page, "phone-360");
          phoneShot = true;
          // Nothing sticks out sideways on a 360 px phone.
          assert.equal(await dee.page.evaluate(() => document.documentElement.scrollWidth), 360);
        }
        await takeTurn(p.page, { tap: p === dee });
        acted.add(p);
        any = true;
      }
      if (!any) await sleep(40);
    }
    for (const p of all) assert.ok(framesOfType(p.sent, "play").length + framesOfType(p.sent, "pass").length > 0);

    // Chat reaches the others.
    await host.page.click("[data-testid=chat-toggle]");
    await host.page.fill("[data-testid=chat-input]", "good luck all");
    await host.page.keyboard.press("Enter");
    await until("Bea to get the chat", async () => (await bea.page.locator(".unread").count()) > 0);
    await bea.page.click("[data-testid=chat-toggle]");
    await bea.page.waitForSelector("[data-testid=chat-list] >> text=good luck all");
    await dee.page.click("[data-testid=chat-toggle]");
    await dee.page.waitForSelector("[data-testid=chat-list] >> text=good luck all");
    await shot(dee.page, "phone-chat");
    await host.page.click("text=Log");
    await host.page.waitForSelector(".log li");
    await shot(host.page, "log");
    // A player who drops shows as offline to the others.
    await cy.context.close();
    await host.page.locator(".seat", { hasText: "Cy" }).locator(".badge.off").waitFor();
    noConsoleErrors(...all);
    await closeAll(host, bea, dee);
  });

  test("a public table appears live in the lobby; two players play a one-deal match to its end", { timeout: 90_000 }, async () => {
    const ann = await player({ name: "Ann" });
    const bo = await player({ name: "Bo" });
    await bo.page.goto(server.url);
    await bo.page.waitForSelector(".lobby .tables");
    await ann.page.goto(server.url);
    await ann.page.click("[data-testid=create-open]");
    await ann.page.fill("#ct-name", "Ann's duel");
    await ann.page.locator(".create .seg label").first().click();
    await ann.page.selectOption("#ct-deals", "1");
    await ann.page.click("[data-testid=create-submit]");
    await ann.page.waitForSelector("[data-testid=waiting]");

    const row = bo.page.locator(".table-row", { hasText: "Ann's duel" });
    await row.waitFor();
    assert.match((await row.textContent()) ?? "", /1\/2/);
    await shot(bo.page, "lobby-tables");
    await row.locator("button", { hasText: "Join" }).click();
    for (const p of [ann, bo]) await p.page.waitForSelector("[data-testid=hand] [data-card]");
    assert.equal((await handCards(ann.page)).length, 13);

    const deadline = Date.now() + 70_000;
    while ((await ann.page.locator("[data-testid=match-end]").count()) === 0 || (await bo.page.locator("[data-testid=match-end]").count()) === 0) {
      assert.ok(Date.now() < deadline, "the match did not end in time");
      let any = false;
      for (const p of [ann, bo]) {
        if (await isMyTurn(p.page)) {
          await takeTurn(p.page);
          any = true;
        }
      }
      if (!any) await sleep(30);
    }
    await sleep(300);
    await shot(ann.page, "match-end");
    const title = (await ann.page.locator("#result-title").textContent()) ?? "";
    assert.match(title, /^Match over/);
    await ann.page.click("[data-testid=back-to-lobby]");
    await ann.page.waitForSelector(".lobby");
    noConsoleErrors(ann, bo);
    await closeAll(ann, bo);
  });

  test("quick match shows the wait, then bots fill the seats", { timeout: 30_000 }, async () => {
    const p = await player({ name: "Quinn" });
    await p.page.goto(server.url);
    await p.page.click("[data-testid=quick-match]");
    await p.page.waitForSelector("[data-testid=quick-panel]");
    assert.match((await p.page.locator("[data-testid=quick-panel]").textContent()) ?? "", /waiting .* in the queue/);
    await shot(p.page, "quick-match");
    await p.page.waitForSelector("[data-testid=hand] [data-card]", { timeout: 10_000 });
    assert.equal(await p.page.locator(".seat .badge.bot").count(), 3);
    noConsoleErrors(p);
    await closeAll(p);
  });
});
