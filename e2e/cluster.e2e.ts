// Failover seen from the browser: two real node processes sharing the real Redis (REDIS_URL,
// default 127.0.0.1:6379) under a key prefix of their own. A player starts a match against bots
// on node A's page; node A is killed with SIGKILL; without anyone touching the page it comes back
// to the same seat with the same hand, through node B (from welcome.nodes), which adopts the table.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { createClient } from "redis";
import { browserAvailable, buildClient, framesOfType, handCards, isMyTurn, launchBrowser, newPlayer, ROOT, settle, shot, until, type Player } from "./harness.ts";

const available = browserAvailable();
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `bt-e2e-cluster-${randomBytes(4).toString("hex")}:`;

interface Node {
  id: string;
  proc: ChildProcess;
  url: string;
  /** What the node printed (its log at info), for a failure's message. */
  out: () => string;
}

async function startNode(id: string): Promise<Node> {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      REDIS_URL,
      REDIS_PREFIX: PREFIX,
      SESSION_SECRET: "e2e-cluster-secret-0123456789",
      NODE_ID: id,
      LEASE_MS: "1500",
      BOT_THINK_MS: "20",
      TURN_SECONDS: "0",
      NEXT_DEAL_DELAY_MS: "60000",
      RECORDS: "off",
      METRICS_PORT: "0",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  // Read stdout with a listener that stays: leaving a `for await` loop destroys the stream, and
  // the node's next line (its metrics address, a warning) then dies of EPIPE.
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on("data", (chunk: Buffer) => {
      out += chunk;
      const m = out.match(/Big Two Online on (http:\/\/[\d.]+:\d+)/);
      if (m) resolve(m[1]);
    });
    proc.once("exit", () => reject(new Error(`node ${id} did not start: ${out}`)));
  });
  return { id, proc, url, out: () => out };
}

describe("browser client on a cluster", { skip: !available && "no Chromium (see the message above)" }, () => {
  let browser: Browser;
  const nodes: Node[] = [];

  before(async () => {
    buildClient();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    for (const n of nodes) n.proc.kill("SIGKILL");
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${PREFIX}*`, COUNT: 500 })) if (keys.length) await redis.del(keys);
    await redis.quit();
  });

  test("node A killed with SIGKILL mid-deal: the page comes back by itself to the same seat and hand, through node B", { timeout: 120_000 }, async (t) => {
    const a = await startNode("e2e-a");
    const b = await startNode("e2e-b");
    nodes.push(a, b);
    const p: Player = await newPlayer(browser, { name: "Lin" });
    p.page.setDefaultTimeout(15_000);

    // Both nodes are in welcome.nodes (a node learns of the other at its next lease renewal), and
    // node B is in the page's own CSP connect-src: the header is written when the page is served,
    // which may be just before A learns of B while the welcome, a moment later, already names it.
    // A page whose CSP leaves B out can never reach B (CI failed that way).
    const bSocket = b.url.replace(/^http/, "ws");
    let seen = "";
    await until(
      "welcome and the page's CSP to name both nodes",
      async () => {
        const response = await p.page.goto(a.url);
        const csp = (await response?.allHeaders())?.["content-security-policy"] ?? "";
        await p.page.waitForSelector("[data-testid=play-bots]");
        const welcome = framesOfType(p.received, "welcome").at(-1) as { nodes?: string[] } | undefined;
        seen = `CSP ${csp.split("; ").find((d) => d.startsWith("connect-src")) ?? "(none)"} (from the service worker: ${response?.fromServiceWorker()}); welcome nodes ${welcome?.nodes?.join(" ")}`;
        return csp.includes(bSocket) && JSON.stringify([...(welcome?.nodes ?? [])].sort()) === JSON.stringify([a.url, b.url].sort());
      },
      15_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; B is ${b.url}; last seen: ${seen}`, { cause: error });
    });
    await p.page.click("[data-testid=play-bots]");
    await p.page.waitForSelector("[data-testid=hand] [data-card]");
    // With the turn clock off and quick bots, the deal waits on us: the hand is still.
    await until("Lin's turn", () => isMyTurn(p.page));
    const hand = (await handCards(p.page)).slice().sort();
    const title = await p.page.locator(".table-title strong").textContent();
    const seats = await p.page.locator(".seat").allTextContents();
    assert.equal(hand.length, 13);
    assert.equal(await p.page.locator(".my-strip .you").textContent(), "Lin");
    await shot(p.page, "cluster-before-kill");

    a.proc.kill("SIGKILL");
    const killedAt = Date.now();
    const sockets = new Set<string>();
    p.page.on("websocket", (ws) => sockets.add(ws.url()));
    const banner = p.page.locator("[data-testid=conn-banner]");
    await banner.waitFor({ timeout: 10_000 });
    await shot(p.page, "cluster-reconnecting");

    // Nothing touched: the page tries node B, is sent back to A while A's lease lasts, then B adopts.
    await banner.waitFor({ state: "detached", timeout: 30_000 }).catch((error: unknown) => {
      const frames = p.received.slice(-12).map((f) => JSON.stringify(f).slice(0, 160)).join("\n");
      throw new Error(`${(error as Error).message}\n--- the page's last frames:\n${frames}\n--- node B's log:\n${b.out().slice(-4000)}\n--- node A's log:\n${a.out().slice(-2000)}`, { cause: error });
    });
    t.diagnostic(`back at the table ${Date.now() - killedAt} ms after the kill (lease 1500 ms)`);
    await p.page.waitForSelector("[data-testid=hand] [data-card]");
    await settle(p.page);
    assert.deepEqual((await handCards(p.page)).slice().sort(), hand, "the same hand");
    assert.equal(await p.page.locator(".my-strip .you").textContent(), "Lin", "the same player");
    assert.equal(await p.page.locator(".table-title strong").textContent(), title, "the same table");
    assert.deepEqual(await p.page.locator(".seat").allTextContents(), seats, "the same seats around the table");
    assert.ok(await isMyTurn(p.page), "still our turn");
    assert.ok([...sockets].some((u) => u.startsWith(b.url.replace("http", "ws"))), `the page reconnected through node B (${[...sockets].join(", ")})`);
    const snapshot = framesOfType(p.received, "snapshot").at(-1) as { seat: number; tableId: string } | undefined;
    const first = framesOfType(p.received, "snapshot")[0] as { seat: number; tableId: string };
    assert.equal(snapshot?.seat, first.seat);
    assert.equal(snapshot?.tableId, first.tableId);
    await shot(p.page, "cluster-after-failover");

    // The game goes on on node B: our play is accepted there.
    await p.page.click("[data-testid=hint]");
    await settle(p.page);
    const play = (await p.page.locator("[data-testid=play]").isEnabled()) ? "play" : "pass";
    await p.page.click(`[data-testid=${play}]`);
    await until("the hand to change or the turn to pass", async () => !(await isMyTurn(p.page)) || (await handCards(p.page)).length < 13);
    assert.deepEqual(
      p.errors.filter((e) => !/WebSocket connection to .* failed/.test(e)),
      [],
      "no console errors beyond the browser's own note of the refused connections to the dead node",
    );
    await p.context.close();
  });
});
