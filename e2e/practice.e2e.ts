// Practice offline and the installable app, end to end: a real server serves the built client
// once, then stops; the page reloads from the service worker's cache and a practice deal is
// played against the bots in the page's Web Worker, with nothing listening on the server's port.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { startServer, type RunningServer } from "../src/server/app.ts";
import {
  browserAvailable,
  buildClient,
  handCards,
  isMyTurn,
  launchBrowser,
  newPlayer,
  ROOT,
  settle,
  shot,
  startTestServer,
  takeTurn,
  until,
  type Player,
} from "./harness.ts";

const available = browserAvailable();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DIST = join(ROOT, "dist/client");
/** The browser logs refused WebSocket connections and failed loads while the server is down; nothing else may be logged. */
const offlineNoise = /WebSocket connection to .* failed|Failed to load resource|ERR_CONNECTION_REFUSED/;

/** The files a build precaches: everything in dist/client but source maps and the worker itself. */
function builtFiles(dir = DIST): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return builtFiles(path);
    const rel = relative(DIST, path).split(sep).join("/");
    return rel.endsWith(".map") || rel === "sw.js" ? [] : [rel];
  });
}

/** Wait for the active service worker, then list what its cache holds (paths). */
async function cachedPaths(page: Page): Promise<{ caches: string[]; paths: string[] }> {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const names = (await caches.keys()).filter((k) => k.startsWith("bigtwo-"));
    const paths = names.length === 1 ? (await (await caches.open(names[0])).keys()).map((r) => new URL(r.url).pathname) : [];
    return { caches: names, paths };
  });
}

async function playUntilDealEnds(p: Player, shots?: string): Promise<number> {
  let turns = 0;
  const deadline = Date.now() + 120_000;
  while ((await p.page.locator("[data-testid=deal-result], [data-testid=match-end]").count()) === 0) {
    assert.ok(Date.now() < deadline, "the practice deal did not end in time");
    if (await isMyTurn(p.page)) {
      if (shots && turns === 1) {
        await p.page.click("[data-testid=hint]");
        await settle(p.page);
        await p.page.setViewportSize({ width: 1280, height: 800 });
        await settle(p.page);
        await shot(p.page, `${shots}-1280`);
        await p.page.setViewportSize({ width: 360, height: 740 });
        await settle(p.page);
        await shot(p.page, `${shots}-360`);
        await p.page.setViewportSize({ width: 1280, height: 800 });
        await settle(p.page);
      }
      await takeTurn(p.page);
      turns++;
    } else await sleep(30);
  }
  return turns;
}

describe("practice offline", { skip: !available && "no Chromium (see the message above)" }, () => {
  let browser: Browser;
  const servers: RunningServer[] = [];

  before(async () => {
    buildClient();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    for (const s of servers) await s.close().catch(() => {});
  });

  test("after one visit the page opens with the server stopped, and a practice deal is played offline", { timeout: 180_000 }, async () => {
    const server = await startTestServer();
    servers.push(server);
    const p = await newPlayer(browser, { name: "Pia" });
    p.page.setDefaultTimeout(20_000);
    await p.page.goto(server.url);
    await p.page.waitForSelector(".lobby");

    // The service worker holds every file of this build.
    const { caches, paths } = await cachedPaths(p.page);
    assert.equal(caches.length, 1, `one cache of this build, got ${caches.join(", ")}`);
    assert.deepEqual(paths.map((x) => x.slice(1)).sort(), builtFiles().sort());
    const manifest = JSON.parse(readFileSync(join(DIST, "manifest.webmanifest"), "utf8")) as { display: string; start_url: string; icons: unknown[] };
    assert.equal(manifest.display, "standalone");
    assert.ok(manifest.icons.length >= 3);
    // Chromium's own verdict on the manifest, the icons and the worker: installable.
    const cdp = await p.context.newCDPSession(p.page);
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: { errorId: string }[] };
    // Playwright's contexts are off-the-record profiles, where Chromium never offers to install;
    // it still checks everything else (a page without a manifest also gets "no-manifest").
    assert.deepEqual(installabilityErrors.map((e) => e.errorId).filter((id) => id !== "in-incognito"), []);
    await cdp.detach();

    await server.close();
    await p.page.reload();
    await p.page.waitForSelector(".lobby");
    // Nothing answers on the server's port any more: the page came from the cache.
    const health = await p.page.evaluate((url) => fetch(`${url}/healthz`).then(() => "answered", () => "failed"), server.url);
    assert.equal(health, "failed");
    await p.page.waitForSelector("[data-testid=conn-banner]");
    assert.ok(await p.page.locator("[data-testid=play-bots]").isDisabled(), "online play waits for the server");
    await p.page.setViewportSize({ width: 1280, height: 800 });
    await shot(p.page, "practice-offline-lobby-1280");
    await p.page.setViewportSize({ width: 360, height: 740 });
    await settle(p.page);
    await shot(p.page, "practice-offline-lobby-360");
    await p.page.setViewportSize({ width: 1280, height: 800 });

    // One deal, easy bots: the whole match is the one deal.
    await p.page.selectOption("[data-testid=practice-deals]", "1");
    await p.page.selectOption("[data-testid=practice-level]", "easy");
    await p.page.click("[data-testid=practice]");
    await p.page.waitForSelector("[data-testid=hand] [data-card]");
    assert.equal((await handCards(p.page)).length, 13);
    assert.equal(await p.page.locator(".seat .badge.bot").count(), 3);
    assert.match((await p.page.locator(".table-title").textContent()) ?? "", /Practice/);
    // The connection is the practice table's: no banner about the server over the table.
    assert.equal(await p.page.locator("[data-testid=conn-banner]").count(), 0);
    assert.equal(await p.page.locator(".table-bar button", { hasText: "Invite" }).count(), 0, "nobody to invite to practice");

    const turns = await playUntilDealEnds(p, "practice-table");
    assert.ok(turns > 0, "the person never had a turn");
    await p.page.waitForSelector("[data-testid=match-end]");
    const rows = p.page.locator("[data-testid=match-end] tbody tr");
    assert.equal(await rows.count(), 4);
    const totals = await rows.locator("td.num.strong").allTextContents();
    const sum = totals.map((t) => Number(t.replace("−", "-").replace("+", ""))).reduce((a, b) => a + b, 0);
    assert.equal(sum, 0, `totals ${totals.join(", ")} are zero-sum`);
    // A practice match is in nobody's records: no link to "My matches".
    assert.equal(await p.page.locator("[data-testid=match-profile]").count(), 0);
    await sleep(300);
    await shot(p.page, "practice-result-1280");
    await p.page.setViewportSize({ width: 360, height: 740 });
    await settle(p.page);
    await shot(p.page, "practice-result-360");

    // Back to the lobby: the connection goes back to (trying) the server.
    await p.page.click("[data-testid=back-to-lobby]");
    await p.page.waitForSelector(".lobby");
    await p.page.waitForSelector("[data-testid=conn-banner]");
    assert.ok(await p.page.locator("[data-testid=practice]").isEnabled(), "practice can start again");
    assert.deepEqual(p.errors.filter((e) => !offlineNoise.test(e)), []);
    await p.context.close();
  });

  test("online, under the service worker: the WebSocket and a bot game work as before", { timeout: 120_000 }, async () => {
    const server = await startTestServer();
    servers.push(server);
    const p = await newPlayer(browser, { name: "Raj" });
    p.page.setDefaultTimeout(20_000);
    await p.page.goto(server.url);
    await cachedPaths(p.page);
    await p.page.reload();
    assert.equal(await p.page.evaluate(() => navigator.serviceWorker.controller !== null), true, "the page is under the worker");
    await p.page.click("[data-testid=play-bots]");
    await p.page.waitForSelector("[data-testid=hand] [data-card]");
    assert.ok(p.received.some((f) => f.type === "welcome"), "the WebSocket reached the server");
    assert.ok(p.received.some((f) => f.type === "deal"));
    // The server's own paths are not served from the cache.
    const health = await p.page.evaluate(() => fetch("/healthz").then((r) => r.status));
    assert.equal(health, 200);
    await until("a turn of ours", () => isMyTurn(p.page), 60_000);
    await takeTurn(p.page);
    assert.ok(p.sent.some((f) => f.type === "play" || f.type === "pass"), "our move went over the WebSocket");
    assert.deepEqual(p.errors, []);
    await p.context.close();
    await server.close();
  });

  test("a new build is a new cache: the next visit after the old pages close runs it", { timeout: 180_000 }, async () => {
    let server = await startTestServer();
    servers.push(server);
    const sw = join(DIST, "sw.js");
    const original = readFileSync(sw, "utf8");
    const p = await newPlayer(browser, { name: "Lin" });
    try {
      await p.page.goto(server.url);
      const first = await cachedPaths(p.page);
      const version = first.caches[0].slice("bigtwo-".length);
      assert.ok(original.includes(`"version":"${version}"`), "the cache is named after the build's version");

      // A rebuild with any change gives a new version (the build hashes every file): stand in for
      // one by changing the version alone, and serve it from a server started afresh on the same
      // port (the static handler reads the files' sizes and etags when it starts).
      writeFileSync(sw, original.replace(`"version":"${version}"`, `"version":"next-${version}"`));
      const port = server.port;
      await server.close();
      server = await startServer({ ...server.config, port });
      servers.push(server);
      await p.page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        await reg?.update();
      });
      // Installed beside the old one, it waits while a page of the old build is open.
      await until("the new worker to install", () =>
        p.page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting)),
      60_000);
      assert.deepEqual((await cachedPaths(p.page)).caches.sort(), [`bigtwo-${version}`, `bigtwo-next-${version}`].sort());

      // The old page goes: with no page of the old build open, the new worker takes over and
      // deletes the old build's cache (asked of the worker itself, as no page is open).
      await p.page.close();
      await until("the new worker to take over", async () => {
        for (const worker of p.context.serviceWorkers()) {
          const state = await worker
            .evaluate(async () => {
              const scope = self as unknown as { registration: { waiting: unknown; active: unknown } };
              return { waiting: scope.registration.waiting !== null, keys: await caches.keys() };
            })
            .catch(() => null);
          if (state && !state.waiting && state.keys.length === 1 && state.keys[0] === `bigtwo-next-${version}`) return true;
        }
        return false;
      }, 60_000);
      // The next visit runs under it.
      const page = await p.context.newPage();
      await page.goto(server.url);
      assert.deepEqual((await cachedPaths(page)).caches, [`bigtwo-next-${version}`]);
    } finally {
      writeFileSync(sw, original);
      await p.context.close();
      await server.close();
    }
  });
});
