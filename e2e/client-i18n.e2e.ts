// Issue 18 in the browser: languages, reactions, sound and motion, the accessibility scan and
// the faults a new player hit. Screenshots of the lobby, the table and the result in en,
// zh-Hant and vi at 360 and 1280 px land in e2e/screenshots/ (looked at by a person).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContextOptions, Page, WebSocketRoute } from "playwright-core";
import type { RunningServer } from "../src/server/app.ts";
import {
  browserAvailable,
  buildClient,
  dealOver,
  drawnEvents,
  isMyTurn,
  launchBrowser,
  matchOver,
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
const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

interface Opts {
  name?: string;
  locale?: string;
  phone?: boolean;
  reducedMotion?: "reduce" | "no-preference";
}

/** Relative luminance contrast of two CSS rgb() colours (WCAG 2). */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

describe("browser client: languages, reactions, sound, accessibility, faults", { skip: !available && "no Chromium (see the message above)" }, () => {
  let server: RunningServer;
  let browser: Browser;

  const open = async (o: Opts = {}): Promise<Player> => {
    const context = await browser.newContext({
      ...(o.phone ? PHONE : DESKTOP),
      locale: o.locale ?? "en-US",
      reducedMotion: o.reducedMotion ?? "no-preference",
    });
    await context.addInitScript(
      ({ name }) => {
        localStorage.setItem("bigtwo.pace", "0.1");
        if (name && !localStorage.getItem("bigtwo.name")) localStorage.setItem("bigtwo.name", name);
      },
      { name: o.name ?? null },
    );
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const p: Player = { name: o.name ?? "", context, page, sent: [], received: [], errors: [] };
    page.on("console", (m) => {
      if (m.type() === "error") p.errors.push(m.text());
    });
    page.on("pageerror", (e) => p.errors.push(String(e)));
    page.on("websocket", (ws) => {
      ws.on("framesent", (f) => {
        if (typeof f.payload === "string") p.sent.push(JSON.parse(f.payload) as Record<string, unknown>);
      });
      ws.on("framereceived", (f) => {
        if (typeof f.payload === "string") p.received.push(JSON.parse(f.payload) as Record<string, unknown>);
      });
    });
    return p;
  };

  /** axe-core on the page as it is now: no serious or critical violation. */
  const axe = async (page: Page, what: string) => {
    const r = await new AxeBuilder({ page }).analyze();
    const bad = r.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(
      bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(" | ")}`),
      [],
      `axe on ${what}`,
    );
  };

  /** Play the human's turns (hint, then play or pass) until the deal's result shows. */
  const playToResult = async (page: Page) => {
    const deadline = Date.now() + 80_000;
    while (!(await dealOver(page)) && !(await matchOver(page))) {
      assert.ok(Date.now() < deadline, "the deal did not end in time");
      if (await isMyTurn(page)) await takeTurn(page);
      else await sleep(30);
    }
    await sleep(300);
  };

  /** Every button, select and input a finger can press is at least 44 × 44 px (hand cards overlap by design). */
  const smallTargets = async (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("button, select, input:not([type=radio]):not([type=checkbox]), [role=button]")]
        .filter((el) => !el.closest("[data-testid=hand]") && el.offsetParent !== null && !el.closest(".sr-only"))
        .map((el) => ({ el, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.width < 43.5 || r.height < 43.5))
        .map(({ el, r }) => `${el.tagName.toLowerCase()}"${(el.textContent ?? "").trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`),
    );

  before(async () => {
    buildClient();
    server = await startTestServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const lang of [
    { code: "en", locale: "en-US", name: "Mei", game: "Big Two", play: "Play", result: /wins deal 1|You win deal 1/ },
    { code: "zh-Hant", locale: "zh-TW", name: "小美", game: "大老二", play: "出牌", result: /第 1 局/ },
    { code: "vi", locale: "vi-VN", name: "Lan", game: "Big Two", play: "Đánh", result: /ván 1/ },
  ]) {
    test(`${lang.code}: chosen from the browser's language; lobby, table and result at 360 and 1280 px${lang.code === "en" ? ", with the axe scan" : ""}`, { timeout: 300_000 }, async () => {
      const p = await open({ name: lang.name, locale: lang.locale });
      const { page } = p;
      await page.goto(server.url);
      await page.waitForSelector(".lobby");
      assert.equal(await page.getAttribute("html", "lang"), lang.code);
      assert.match((await page.locator("h1.logo").textContent()) ?? "", new RegExp(`^${lang.game}`));
      const both = async (name: string) => {
        await page.setViewportSize({ width: 360, height: 740 });
        await sleep(150);
        await shot(page, `${lang.code}-${name}-360`);
        assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, `${name} fits 360 px`);
        if (lang.code === "en") assert.deepEqual(await smallTargets(page), [], `touch targets on the ${name} at 360 px`);
        await page.setViewportSize({ width: 1280, height: 800 });
        await sleep(150);
        await shot(page, `${lang.code}-${name}-1280`);
      };
      await both("lobby");
      if (lang.code === "en") {
        await axe(page, "the lobby");
        await page.click("[data-testid=create-open]");
        await page.waitForSelector("[data-testid=create-form]");
        await axe(page, "the create form");
        await shot(page, "en-create-1280");
        await page.click("[data-testid=create-open]");
      }
      await page.click("[data-testid=play-bots]");
      await page.waitForSelector("[data-testid=hand] [data-card]");
      await until("my turn", () => isMyTurn(page), 30_000);
      await page.click("[data-testid=hint]");
      await settle(page);
      assert.equal(await page.locator("[data-testid=play]").textContent(), lang.play);
      await both("table");
      if (lang.code === "en") {
        await axe(page, "the table");
        // The "?" panel explains the keyboard controls.
        await page.keyboard.press("?");
        await page.waitForSelector("[data-testid=help]");
        const help = (await page.locator("[data-testid=help]").textContent()) ?? "";
        for (const word of ["Enter", "Space", "Esc", "pass", "hint", "clear"]) assert.ok(help.includes(word), `help mentions ${word}`);
        await axe(page, "the keyboard help");
        await shot(page, "en-help-1280");
        await page.click("[data-testid=help-toggle]");
      }
      await playToResult(page);
      assert.match((await page.locator("#result-title").textContent()) ?? "", lang.result);
      // The result table keeps the bot badges on a phone.
      await page.setViewportSize({ width: 360, height: 740 });
      await sleep(100);
      assert.equal(await page.locator(".scores .badge.bot").first().isVisible(), true, "bot badges at 360 px");
      await both("result");
      if (lang.code === "en") await axe(page, "the result");
      assert.deepEqual(p.errors, []);
      await p.context.close();
    });
  }

  test("the language switch is remembered; errors come by code in the chosen language", { timeout: 60_000 }, async () => {
    const p = await open({ name: "Ivy", locale: "en-GB" });
    await p.page.goto(server.url);
    await p.page.waitForSelector(".lobby");
    assert.equal(await p.page.getAttribute("html", "lang"), "en");
    await p.page.selectOption("[data-testid=lang]", "vi");
    await p.page.waitForFunction(() => document.documentElement.lang === "vi");
    assert.match((await p.page.locator("[data-testid=play-bots]").textContent()) ?? "", /Chơi với máy ngay/);
    await p.page.reload();
    await p.page.waitForSelector(".lobby");
    assert.equal(await p.page.getAttribute("html", "lang"), "vi", "remembered over a reload");
    // A server error (no such table) in Vietnamese, from its stable code, not the server's English.
    await p.page.fill("#join-code", "ZZZZZZ");
    await p.page.click(".join-code button[type=submit]");
    const toast = p.page.locator("[data-testid=toast]");
    await toast.waitFor();
    assert.equal((await toast.textContent())?.replace("✕", ""), "Không có bàn nào với mã hoặc liên kết đó (có thể đã kết thúc).");
    await p.page.selectOption("[data-testid=lang]", "zh-Hans");
    await p.page.waitForFunction(() => document.documentElement.lang === "zh-Hans");
    await settle(p.page);
    assert.match((await p.page.locator("h1.logo").textContent()) ?? "", /^锄大地/);
    await p.page.selectOption("[data-testid=lang]", "fil");
    await p.page.waitForFunction(() => document.documentElement.lang === "fil");
    await settle(p.page);
    assert.match((await p.page.locator("h1.logo").textContent()) ?? "", /^Pusoy Dos/);
    assert.deepEqual(p.errors.filter((e) => !/404/.test(e)), []);
    await p.context.close();
  });

  test("faults: the Leave confirmation is readable while hovered; the phone header keeps the table's facts; bots have their own avatars; your last play shows by your hand", { timeout: 90_000 }, async () => {
    const p = await open({ name: "Pia Pia Pia Pia", phone: true });
    await p.page.goto(server.url);
    await p.page.click("[data-testid=play-bots]");
    await p.page.waitForSelector("[data-testid=hand] [data-card]");
    // 360 px: the deal number, the match length and the clock are on screen, the name whole.
    const facts = p.page.locator("[data-testid=table-facts]");
    assert.ok(await facts.isVisible(), "facts visible at 360 px");
    const text = (await facts.textContent()) ?? "";
    assert.match(text, /Deal 1 of 4/);
    assert.match(text, /4 deals/);
    assert.match(text, /30 s turns/);
    const title = p.page.locator(".table-title strong");
    assert.equal(await title.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), true, "the table name is not cut off");
    for (const loc of [facts.locator(".fact").first(), facts.locator(".fact").last()]) {
      const box = (await loc.boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= 360.5, "each fact inside the screen");
    }
    // Bot avatars: Ana, Ben, Cai (not "B", "B", "B").
    const avatars = await p.page.locator(".seat .avatar").allTextContents();
    assert.equal(new Set(avatars).size, avatars.length, `distinct avatars: ${avatars.join(" ")}`);
    assert.ok(!avatars.includes("B") || avatars.filter((a) => a === "B").length === 1);
    // Your own last play next to your hand.
    await until("my turn", () => isMyTurn(p.page), 30_000);
    let played = false;
    for (let i = 0; i < 6 && !played; i++) {
      await until("my turn", () => isMyTurn(p.page), 30_000);
      played = (await takeTurn(p.page, { tap: true })) === "play";
    }
    assert.ok(played, "the human played a card in six turns");
    await p.page.waitForSelector("[data-testid=my-last] .card");
    assert.ok((await p.page.locator("[data-testid=my-last] .card").count()) >= 1);
    // The Leave confirmation under a hovering mouse: white on a dark red, not white on white.
    await p.page.setViewportSize({ width: 1280, height: 800 });
    await until("a playing table", async () => (await p.page.locator(".my-area").count()) > 0);
    const leave = p.page.locator("[data-testid=leave]");
    await leave.click();
    await leave.hover();
    await sleep(250); // past the background transition
    assert.match((await leave.textContent()) ?? "", /Leave\? A bot takes your seat/);
    const [fg, bg] = await leave.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
    const ratio = contrast(fg, bg);
    assert.ok(ratio >= 4.5, `hovered Leave? contrast ${ratio.toFixed(2)} (${fg} on ${bg})`);
    await shot(p.page, "leave-hover");
    assert.deepEqual(p.errors, []);
    await p.context.close();
  });

  test("reactions reach players and spectators; a watch link says what it is; players see someone watching; the spectator keeps up", { timeout: 90_000 }, async () => {
    const host = await open({ name: "Hana" });
    await host.page.goto(server.url);
    await host.page.click("[data-testid=play-bots]");
    await host.page.waitForSelector("[data-testid=hand] [data-card]");
    const code = await tableCode(host.page);
    assert.ok(code);
    assert.equal(await host.page.locator("[data-testid=watchers]").count(), 0, "nobody watching yet");

    // A first-time visitor with a watch link is told they are about to watch.
    const fan = await open({ locale: "zh-TW", phone: true });
    await fan.page.goto(`${server.url}/?watch=${code}`);
    await fan.page.waitForSelector("[data-testid=intent]");
    assert.match((await fan.page.locator("[data-testid=intent]").textContent()) ?? "", /觀戰/);
    assert.equal(await fan.page.locator("button[type=submit]").textContent(), "觀戰");
    await fan.page.fill("#name-input", "阿傑");
    await fan.page.click("button[type=submit]");
    await fan.page.waitForSelector("[data-testid=watching]");

    // The host sees that someone is watching.
    await host.page.waitForSelector("[data-testid=watchers]");
    assert.match((await host.page.locator("[data-testid=watchers]").textContent()) ?? "", /1 watching/);

    // Host reacts; the spectator sees it beside the host's seat.
    await host.page.click("[data-testid=emote-toggle]");
    await host.page.click("[data-emote=gg]");
    await fan.page.waitForSelector("[data-testid=reaction][data-emote=gg]");
    assert.match((await fan.page.locator("[data-testid=reaction][data-emote=gg]").textContent()) ?? "", /Hana/);
    await shot(fan.page, "zh-Hant-spectator-reaction-360");
    // The spectator reacts; the host sees it, marked as a spectator's.
    await fan.page.tap("[data-testid=emote-toggle]");
    await fan.page.tap("[data-emote=wow]");
    await host.page.waitForSelector("[data-testid=reaction][data-emote=wow].at-watch");
    assert.match((await host.page.locator("[data-testid=reaction][data-emote=wow]").textContent()) ?? "", /阿傑/);
    await shot(host.page, "en-reaction-1280");
    assert.ok(host.sent.some((f) => f.type === "react" && f.emote === "gg"));

    // The spectator's view follows the player's (the lag bound itself is the pacer's unit test,
    // on a fake clock: a loaded test machine cannot time it honestly).
    for (let i = 0; i < 3; i++) {
      await until("the host's turn", () => isMyTurn(host.page), 30_000);
      const mine = await drawnEvents(host.page);
      await until("the spectator to catch up", async () => (await drawnEvents(fan.page)) >= mine);
      if (await dealOver(host.page)) break;
      await takeTurn(host.page);
    }
    assert.deepEqual(host.errors, []);
    assert.deepEqual(fan.errors, []);
    await host.context.close();
    await fan.context.close();
  });

  test("sound waits for the first gesture and the mute switch is remembered; motion comes from the seat and stops under prefers-reduced-motion", { timeout: 90_000 }, async () => {
    const p = await open({ name: "Sol" });
    await p.page.goto(server.url);
    await p.page.waitForSelector(".lobby");
    type W = { bigTwo: { sound: { ready: boolean; played: string[] } } };
    const sound = () => p.page.evaluate(() => ({ ready: (window as unknown as W).bigTwo.sound.ready, played: (window as unknown as W).bigTwo.sound.played.slice() }));
    assert.deepEqual(await sound(), { ready: false, played: [] }, "nothing before a gesture");
    await p.page.click("[data-testid=play-bots]");
    await p.page.waitForSelector("[data-testid=hand] [data-card]");
    await until("my turn", () => isMyTurn(p.page), 30_000);
    await takeTurn(p.page);
    await until("a play's sound", async () => (await sound()).played.some((k) => k === "play" || k === "pass" || k === "bomb"));
    assert.ok((await sound()).ready);
    // The cards on the table came from a seat's side.
    // Read together in one call that finds the element itself: a bot may play between two
    // separate reads, and a locator's element can be replaced (detached) between its lookup and
    // its evaluate, which leaves a computed style of ''.
    const { from, anim } = await p.page.evaluate(() => {
      const el = document.querySelector("[data-testid=top-play]")!;
      return { from: el.getAttribute("data-from"), anim: getComputedStyle(el.querySelector(".card")!).animationName };
    });
    assert.match(from ?? "", /^(left|right|top|bottom)$/);
    assert.equal(anim, `from-${from}`);
    // Mute: remembered, and nothing more is played.
    await p.page.click("[data-testid=mute]");
    const count = (await sound()).played.length;
    await p.page.reload();
    await p.page.waitForSelector("[data-testid=hand] [data-card]");
    assert.equal(await p.page.locator("[data-testid=mute]").getAttribute("aria-label"), "Sound off");
    await p.page.mouse.click(5, 5);
    await until("my turn", () => isMyTurn(p.page), 30_000);
    await takeTurn(p.page);
    await sleep(300);
    assert.deepEqual((await sound()).played, [], `muted: nothing played after the reload (before it: ${count})`);
    await p.context.close();

    // Reduced motion: the same table, no animation on the cards.
    const still = await open({ name: "Sol2", reducedMotion: "reduce" });
    await still.page.goto(server.url);
    await still.page.click("[data-testid=play-bots]");
    await still.page.waitForSelector("[data-testid=hand] [data-card]");
    await until("a play on the table", async () => (await still.page.locator("[data-testid=top-play] .card").count()) > 0 || (await isMyTurn(still.page)), 30_000);
    if ((await still.page.locator("[data-testid=top-play] .card").count()) === 0) await takeTurn(still.page);
    const none = await still.page.evaluate(() => getComputedStyle(document.querySelector("[data-testid=top-play] .card")!).animationName);
    assert.equal(none, "none");
    await still.context.close();
  });

  test("finished tables show as finished in the lobby; a restart says so once, with one full stop", { timeout: 90_000 }, async () => {
    // A public one-deal table of one player and one bot, played to its end.
    const ann = await open({ name: "Ann" });
    await ann.page.goto(server.url);
    await ann.page.click("[data-testid=create-open]");
    await ann.page.fill("#ct-name", "Short one");
    await ann.page.locator(".create .seg label").first().click();
    await ann.page.selectOption("#ct-bots", "1");
    await ann.page.selectOption("#ct-deals", "1");
    await ann.page.click("[data-testid=create-submit]");
    await ann.page.waitForSelector("[data-testid=hand] [data-card]");
    const watcher = await open({ name: "Bo" });
    await watcher.page.goto(server.url);
    const row = watcher.page.locator(".table-row", { hasText: "Short one" });
    await row.waitFor();
    await playToResult(ann.page);
    assert.ok(await matchOver(ann.page));
    await until("the row to say finished", async () => (await row.getAttribute("data-status")) === "over");
    assert.equal(await row.locator("[data-testid=table-over]").textContent(), "finished");
    assert.equal(await row.locator("button").count(), 0, "no Join or Watch on a finished table");
    assert.doesNotMatch((await row.textContent()) ?? "", /\d\/\d/);
    await shot(watcher.page, "en-lobby-finished-1280");
    await ann.context.close();
    await watcher.context.close();

    // The server says it is restarting (its real notice, then the socket closes): the banner's
    // sentences, no doubled stop, no toast repeating it.
    const p = await open({ name: "Ned" });
    let socket: WebSocketRoute | null = null;
    await p.page.routeWebSocket(/\/ws$/, (ws) => {
      ws.connectToServer();
      socket = ws;
    });
    await p.page.goto(server.url);
    await p.page.waitForSelector(".lobby");
    await until("the socket", async () => socket !== null);
    const route = socket as unknown as WebSocketRoute;
    route.send(JSON.stringify({ type: "shutdown", message: "The server is restarting. You will be reconnected.", reconnectInMs: 4000 }));
    await route.close({ code: 1001, reason: "restart" });
    const banner = p.page.locator("[data-testid=conn-banner]");
    await banner.waitFor();
    await until("the reconnect countdown", async () => /Reconnecting/.test((await banner.textContent()) ?? ""), 10_000);
    const said = (await banner.textContent()) ?? "";
    assert.match(said, /^The server is restarting\. Reconnecting (in \d+ seconds?…|…)/);
    assert.doesNotMatch(said, /\.\./);
    assert.equal(await p.page.locator("[data-testid=toast]").count(), 0, "no toast repeating the banner");
    await shot(p.page, "en-restart-1280");
    // And it does reconnect.
    await banner.waitFor({ state: "detached", timeout: 15_000 });
    await p.context.close();
  });
});
