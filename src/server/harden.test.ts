// Attacks from the open internet (issue 19), each performed against a real server on a real port.
// Loopback source addresses 127.0.0.2, 127.0.0.3, ... stand for different people.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { CloseCode, ErrorCode, PROTOCOL_VERSION, type ServerMessage } from "../protocol/index.ts";
import { startServer, type RunningServer } from "./app.ts";
import type { Config } from "./config.ts";
import { TestClient } from "./test-client.ts";

const FAST: Partial<Config> = { port: 0, metricsPort: 0, host: "127.0.0.1", logLevel: "silent", botThinkMs: 0, nextDealDelayMs: 0, turnSeconds: 0 };

async function withServer(overrides: Partial<Config>, fn: (s: RunningServer) => Promise<void>): Promise<void> {
  const s = await startServer({ ...FAST, ...overrides });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

/** Open a WebSocket from `from`; resolves with the socket once open, or the HTTP status refusing it. */
function openFrom(s: RunningServer, from: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(s.url.replace("http", "ws") + "/ws", { localAddress: from, headers });
    ws.once("open", () => resolve({ ws }));
    ws.once("unexpected-response", (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once("error", (err) => reject(err));
  });
}

async function helloOn(ws: WebSocket, name: string): Promise<void> {
  const welcome = new Promise<void>((ok) => ws.on("message", (d) => (JSON.parse(d.toString()) as ServerMessage).type === "welcome" && ok()));
  ws.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, name }));
  await welcome;
}

/** A raw TCP connection from `from` that says nothing (or only `text`). */
function rawFrom(s: RunningServer, from: string, text = ""): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: "127.0.0.1", port: s.port, localAddress: from }, () => {
      if (text) sock.write(text);
      resolve(sock);
    });
    sock.once("error", reject);
  });
}

function closedWithin(sock: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (sock.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    sock.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
    sock.on("error", () => {});
    sock.resume();
  });
}

function httpGet(url: string, method = "GET", headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.once("error", reject);
    req.end();
  });
}

describe("abuse from one address", () => {
  test("one address cannot hold more than its share of connections; another address is still served", async () => {
    await withServer({ maxConnectionsPerAddress: 5 }, async (s) => {
      const held: WebSocket[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await openFrom(s, "127.0.0.2");
        assert.ok("ws" in r, `connection ${i + 1} of 5 is accepted`);
        held.push(r.ws);
      }
      const sixth = await openFrom(s, "127.0.0.2");
      assert.deepEqual("status" in sixth ? sixth.status : "open", 429);
      // Idle raw connections (unfinished handshakes) count too.
      const idle = await rawFrom(s, "127.0.0.2");
      assert.equal(await closedWithin(idle, 3000), true, "a raw connection past the cap is dropped");
      const honest = await openFrom(s, "127.0.0.3");
      assert.ok("ws" in honest, "an honest player from another address is served");
      await helloOn(honest.ws, "Honest");
      assert.equal((await httpGet(s.url + "/healthz")).status, 200);
      // Closing one frees its place.
      held.pop()!.close();
      let again: Awaited<ReturnType<typeof openFrom>> = { status: 0 };
      for (let i = 0; i < 50 && !("ws" in again); i++) {
        await new Promise((r) => setTimeout(r, 20));
        again = await openFrom(s, "127.0.0.2");
      }
      assert.ok("ws" in again, "a freed place can be taken again");
      for (const ws of [...held, honest.ws, again.ws]) ws.terminate();
      const metrics = await (await fetch(s.metricsUrl + "/metrics")).text();
      assert.match(metrics, /bigtwo_disconnects_total\{reason="per-address"\} [1-9]/);
    });
  });

  test("a connection that never finishes its handshake is dropped after the handshake deadline", async () => {
    await withServer({ handshakeTimeoutMs: 300 }, async (s) => {
      const silent = await rawFrom(s, "127.0.0.4");
      const partial = await rawFrom(s, "127.0.0.4", "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n");
      // Node's defaults kept such a socket 60-90 s; bounded here by a wait far shorter than that.
      assert.equal(await closedWithin(silent, 10_000), true, "a silent connection is dropped");
      assert.equal(await closedWithin(partial, 10_000), true, "a connection that stops mid-headers is dropped");
      const fine = await TestClient.player(s.url, "Fine");
      assert.equal(fine.welcome.name, "Fine");
      fine.close();
    });
  });

  test("past the socket cap an upgrade gets 503 while /healthz still answers", async () => {
    await withServer({ maxConnections: 3, maxConnectionsPerAddress: 0 }, async (s) => {
      assert.equal(s.maxConnections, 3);
      const held: WebSocket[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await openFrom(s, "127.0.0.5");
        assert.ok("ws" in r);
        held.push(r.ws);
      }
      const over = await openFrom(s, "127.0.0.6");
      assert.deepEqual("status" in over ? over.status : "open", 503);
      assert.equal((await httpGet(s.url + "/healthz")).status, 200);
      for (const ws of held) ws.terminate();
    });
  });

  test("with TRUST_PROXY, the address comes from X-Forwarded-For of a trusted proxy, and from nobody else", async () => {
    await withServer({ maxConnectionsPerAddress: 2, trustProxy: ["127.0.0.10"] }, async (s) => {
      // Through the proxy (127.0.0.10), three people: two sockets each are fine, a third is not.
      const held: WebSocket[] = [];
      for (const person of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) {
        for (let i = 0; i < 2; i++) {
          const r = await openFrom(s, "127.0.0.10", { "x-forwarded-for": `198.51.100.9, ${person}` });
          assert.ok("ws" in r, `${person}'s socket ${i + 1} through the proxy`);
          held.push(r.ws);
        }
      }
      const third = await openFrom(s, "127.0.0.10", { "x-forwarded-for": "203.0.113.1" });
      assert.deepEqual("status" in third ? third.status : "open", 429, "the person behind the proxy is capped, not the proxy");
      // A peer that is not a trusted proxy cannot pick its address by writing the header.
      const liar: WebSocket[] = [];
      for (let i = 0; i < 2; i++) {
        const r = await openFrom(s, "127.0.0.11", { "x-forwarded-for": `192.0.2.${i}` });
        assert.ok("ws" in r);
        liar.push(r.ws);
      }
      const liarThird = await openFrom(s, "127.0.0.11", { "x-forwarded-for": "192.0.2.77" });
      assert.deepEqual("status" in liarThird ? liarThird.status : "open", 429, "X-Forwarded-For from an untrusted peer is ignored");
      for (const ws of [...held, ...liar]) ws.terminate();
    });
  });
});

describe("origins", () => {
  test("a page on another origin cannot open a WebSocket; the server's own origin and clients without Origin can", async () => {
    await withServer({}, async (s) => {
      const host = new URL(s.url).host;
      for (const origin of ["https://evil.example", "null", `http://${host}.evil.example`, "file://"]) {
        const r = await openFrom(s, "127.0.0.7", { origin });
        assert.deepEqual("status" in r ? r.status : "open", 403, `Origin ${origin} is refused`);
      }
      for (const origin of [`http://${host}`, null]) {
        const r = await openFrom(s, "127.0.0.7", origin === null ? {} : { origin });
        assert.ok("ws" in r, `Origin ${origin ?? "(none)"} is served`);
        r.ws.terminate();
      }
    });
  });

  test("with ALLOWED_ORIGINS, only those origins' pages are served (a hostile name pointed at the server is not)", async () => {
    await withServer({ allowedOrigins: ["https://bigtwo.example", "https://node2.bigtwo.example"] }, async (s) => {
      for (const origin of ["https://bigtwo.example", "https://node2.bigtwo.example", null]) {
        const r = await openFrom(s, "127.0.0.8", origin === null ? {} : { origin });
        assert.ok("ws" in r, `Origin ${origin ?? "(none)"} is served`);
        r.ws.terminate();
      }
      // DNS rebinding: evil.example resolves to this server, so Host and Origin agree.
      const r = await openFrom(s, "127.0.0.8", { origin: "http://evil.example", host: "evil.example" });
      assert.deepEqual("status" in r ? r.status : "open", 403);
    });
  });
});

describe("HTTP", () => {
  test("pages carry the security headers; TRACE and other unserved methods get 405", async () => {
    await withServer({}, async (s) => {
      const page = await httpGet(s.url + "/");
      assert.equal(page.status, 200);
      const csp = String(page.headers["content-security-policy"]);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/, "no inline or eval script allowed");
      assert.equal(page.headers["x-content-type-options"], "nosniff");
      assert.equal(page.headers["x-frame-options"], "DENY");
      assert.equal(page.headers["referrer-policy"], "no-referrer");
      assert.equal((await httpGet(s.url + "/healthz")).headers["x-content-type-options"], "nosniff");
      for (const method of ["TRACE", "POST", "PUT", "DELETE", "PATCH"]) {
        const r = await httpGet(s.url + "/", method);
        assert.equal(r.status, 405, `${method} is refused`);
        assert.doesNotMatch(r.body, /GET \/ HTTP/, "nothing of the request is echoed");
      }
    });
  });

  test("the page, the service worker and the manifest are revalidated on every load; the build's hashed files are cached for a year", async () => {
    // A client build of three files: a page kept by the browser's heuristic cache ran an old build
    // with an old CSP (a cluster page that could never reach a node that joined later).
    const dir = mkdtempSync(join(tmpdir(), "bigtwo-client-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>t</title>");
    writeFileSync(join(dir, "sw.js"), "// sw");
    writeFileSync(join(dir, "manifest.webmanifest"), "{}");
    writeFileSync(join(dir, "assets", "index-AbC123.js"), "// js");
    try {
      await withServer({ clientDir: dir }, async (s) => {
        for (const path of ["/", "/index.html", "/sw.js", "/manifest.webmanifest", "/profile/p_x"]) {
          const r = await httpGet(s.url + path);
          assert.equal(r.status, 200, path);
          assert.equal(r.headers["cache-control"], "no-cache", path);
        }
        const asset = await httpGet(s.url + "/assets/index-AbC123.js");
        assert.equal(asset.status, 200);
        assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("/metrics is not on the game port; it is on the metrics port, loopback by default", async () => {
    await withServer({}, async (s) => {
      assert.equal((await httpGet(s.url + "/metrics")).status, 404);
      assert.ok(s.metricsUrl);
      assert.match(s.metricsUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await httpGet(s.metricsUrl + "/metrics");
      assert.equal(r.status, 200);
      assert.match(r.body, /bigtwo_connections /);
    });
  });

  test("metric names are not doubled, and a flood counts one disconnect per socket", async () => {
    await withServer({ ratePerSecond: 5, rateBurst: 5 }, async (s) => {
      for (let n = 0; n < 2; n++) {
        const flood = await TestClient.player(s.url, "Flood" + n);
        for (let i = 0; i < 300; i++) flood.send({ type: "lobby.unsubscribe" });
        assert.equal((await flood.closedWith()).code, CloseCode.Flood);
      }
      const text = await (await fetch(s.metricsUrl + "/metrics")).text();
      assert.doesNotMatch(text, /process_process_/);
      assert.match(text, /^bigtwo_process_cpu_user_seconds_total /m);
      // No metric that walks every socket's handle on each scrape (about 100 ms at 16,000 sockets).
      assert.doesNotMatch(text, /nodejs_active_(handles|resources|requests)|process_open_fds/);
      assert.match(text, /^bigtwo_connections /m);
      assert.match(text, /bigtwo_disconnects_total\{reason="flood"\} 2\n/);
    });
  });

  test("a rate-limited message's error carries its id", async () => {
    await withServer({ ratePerSecond: 1, rateBurst: 2 }, async (s) => {
      const c = await TestClient.player(s.url, "Quick");
      for (let i = 1; i <= 4; i++) c.send({ type: "lobby.unsubscribe", id: `u${i}` });
      const limited = await c.next("error", (e) => e.code === ErrorCode.RateLimited);
      assert.match(String(limited.id), /^u\d$/);
      c.close();
    });
  });
});
