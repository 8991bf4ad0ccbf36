// Shared pieces of the end-to-end suite: a real server on an ephemeral port, Debian's Chromium
// driven by playwright-core, and players that record what their page sends and logs.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startServer, type RunningServer } from "../src/server/app.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SHOTS = join(ROOT, "e2e/screenshots");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Whether the suite can run here. Outside CI a missing browser skips the suite with a loud
 * message; under CI it is a failure, so a broken install step cannot pass unnoticed.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const msg = [
    "",
    "=".repeat(78),
    `  END-TO-END TESTS SKIPPED: no Chromium at ${CHROMIUM}`,
    "  Install Debian's Chromium:   apt-get update && apt-get install -y chromium",
    "  (or set CHROMIUM_PATH to a Chromium/Chrome binary)",
    "=".repeat(78),
    "",
  ].join("\n");
  if (process.env.CI === "true") throw new Error(`CI=true and no browser: ${msg}`);
  process.stderr.write(msg + "\n");
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The server serves dist/client: build it first when the sources are newer. */
export function buildClient(): void {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts/build-client.mjs")], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error("building the client failed");
}

export async function startTestServer(): Promise<RunningServer> {
  return startServer({
    host: "127.0.0.1",
    port: 0,
    logLevel: "silent",
    botThinkMs: 15,
    turnSeconds: 30,
    nextDealDelayMs: 60_000,
    reconnectGraceSeconds: 30,
    quickMatchWaitSeconds: 2,
    clientDir: join(ROOT, "dist/client"),
  });
}

export interface Player {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Every text frame the page sent on its WebSocket, parsed. */
  sent: Record<string, unknown>[];
  /** Every text frame the page received. */
  received: Record<string, unknown>[];
  /** console.error lines and uncaught page errors. */
  errors: string[];
}

export interface PlayerOptions {
  /** Stored before the page loads, as a returning visitor would have it. Omit for a first visit. */
  name?: string;
  phone?: boolean;
  /** The browser's language (navigator.languages), which picks the game's: "zh-TW", "vi-VN". */
  locale?: string;
}

export async function newPlayer(browser: Browser, opts: PlayerOptions = {}): Promise<Player> {
  const context = await browser.newContext({
    ...(opts.phone
      ? { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1200, height: 800 } }),
    ...(opts.locale ? { locale: opts.locale } : {}),
  });
  await context.addInitScript(
    ({ name }) => {
      // Plays are paced for people; the tests only need them in order.
      localStorage.setItem("bigtwo.pace", "0.1");
      if (name && !localStorage.getItem("bigtwo.name")) localStorage.setItem("bigtwo.name", name);
    },
    { name: opts.name ?? null },
  );
  const page = await context.newPage();
  const player: Player = { name: opts.name ?? "", context, page, sent: [], received: [], errors: [] };
  page.on("console", (m) => {
    if (m.type() === "error") player.errors.push(m.text());
  });
  page.on("pageerror", (e) => player.errors.push(String(e)));
  page.on("websocket", (ws) => {
    ws.on("framesent", (f) => {
      if (typeof f.payload === "string") player.sent.push(JSON.parse(f.payload) as Record<string, unknown>);
    });
    ws.on("framereceived", (f) => {
      if (typeof f.payload === "string") player.received.push(JSON.parse(f.payload) as Record<string, unknown>);
    });
  });
  return player;
}

export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: opts.fullPage ?? false });
}

/** The cards in the page's hand, as the page shows them. */
export async function handCards(page: Page): Promise<string[]> {
  return page.locator("[data-testid=hand] [data-card]").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.card ?? ""));
}

export async function isMyTurn(page: Page): Promise<boolean> {
  return (await page.locator(".my-area.my-turn").count()) > 0;
}

/** Whether the page shows a deal's result with a next deal to come. */
export async function dealOver(page: Page): Promise<boolean> {
  return (await page.locator("[data-testid=deal-result]").count()) > 0;
}

/** Whether the page shows the match's final result. */
export async function matchOver(page: Page): Promise<boolean> {
  return (await page.locator("[data-testid=match-end]").count()) > 0;
}

/** Poll until `fn` is true (bounded: a test that waits in vain fails with `what`). */
export async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function framesOfType(list: Record<string, unknown>[], type: string): Record<string, unknown>[] {
  return list.filter((f) => f.type === type);
}

interface DebugWindow {
  bigTwo?: { state: { table: { code: string | null; deal: { history: unknown[] } | null } | null } };
}

/** How many plays and passes the page has drawn in the current deal (-1 without a deal). */
export async function drawnEvents(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as DebugWindow).bigTwo?.state.table?.deal?.history.length ?? -1);
}

export async function tableCode(page: Page): Promise<string | null> {
  return page.evaluate(() => (window as unknown as DebugWindow).bigTwo?.state.table?.code ?? null);
}

/**
 * Take one turn through the UI: Hint then Play, or Pass when nothing beats the table; then
 * wait until the page has drawn it. Returns what it did.
 */
export async function takeTurn(page: Page, opts: { tap?: boolean } = {}): Promise<"play" | "pass"> {
  const click = (sel: string) => (opts.tap ? page.tap(sel) : page.click(sel));
  const before = await drawnEvents(page);
  await click("[data-testid=hint]");
  await settle(page);
  let did: "play" | "pass";
  if (await page.locator("[data-testid=play]").isEnabled()) {
    await click("[data-testid=play]");
    did = "play";
  } else {
    await click("[data-testid=pass]");
    did = "pass";
  }
  await until(`the page to draw its own ${did}`, async () => (await drawnEvents(page)) !== before);
  await settle(page);
  return did;
}

/** The app renders on animation frames: wait until state changes have reached the DOM. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
}
