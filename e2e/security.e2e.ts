// The built client under the server's security headers (issue 19): the page must work with its
// Content-Security-Policy (no inline script, no violation of any kind), and no other page may
// frame it or open its WebSocket.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import type { RunningServer } from "../src/server/app.ts";
import { browserAvailable, buildClient, launchBrowser, newPlayer, shot, startTestServer, until } from "./harness.ts";

const available = browserAvailable();

describe("the client under the server's security headers", { skip: !available && "no Chromium (see the message above)" }, () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    buildClient();
    server = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a whole bot game's worth of UI runs under the CSP with no violation", async () => {
    const p = await newPlayer(browser, { name: "Csp" });
    const violations: string[] = [];
    await p.page.exposeFunction("reportViolation", (v: string) => violations.push(v));
    await p.context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const response = await p.page.goto(server.url);
    const csp = response?.headers()["content-security-policy"] ?? "";
    assert.match(csp, /script-src 'self'(;|$)/);
    await p.page.click("[data-testid=play-bots]");
    await p.page.waitForSelector("[data-testid=hand] [data-card]");
    await until("a welcome over the WebSocket", async () => p.received.some((f) => f.type === "welcome"));
    await shot(p.page, "security-csp-table");
    assert.deepEqual(violations, [], "no Content-Security-Policy violation");
    assert.deepEqual(p.errors.filter((e) => /Content Security Policy|Refused to/i.test(e)), []);
    await p.context.close();
  });

  test("another site cannot frame the game, nor open its WebSocket", async () => {
    // The other site: a page on another origin (another port) that frames the game.
    const evil = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><title>elsewhere</title><iframe id="f" src="${server.url}/"></iframe>`);
    });
    await new Promise<void>((ok) => evil.listen(0, "127.0.0.1", () => ok()));
    const p = await newPlayer(browser, { name: "Evil" });
    try {
      await p.page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const frame = (await (await p.page.$("#f"))!.contentFrame())!;
      // Either the browser refuses to render it, or the game renders: wait for one of them.
      let outcome = "";
      await until("the frame to be refused or rendered", async () => {
        if (frame.url().startsWith("chrome-error:")) outcome = "refused";
        else if (await frame.$("#app > *").catch(() => null)) outcome = "rendered";
        return outcome !== "";
      });
      assert.equal(outcome, "refused", "the game does not render inside another site's frame");
      const opened = await p.page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url);
            ws.onopen = () => resolve("open");
            ws.onerror = () => resolve("refused");
          }),
        server.url.replace("http", "ws") + "/ws",
      );
      assert.equal(opened, "refused", "a page on another origin cannot open the game's WebSocket");
    } finally {
      await p.context.close();
      evil.close();
    }
  });
});
