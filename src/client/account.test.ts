import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { AccountStore, passkeyErrorText } from "./account.ts";

/** A fake of the records API: answers by path, and records each request's path and body. */
function fakeApi(answers: Record<string, { status: number; body: unknown; headers?: Record<string, string> }>) {
  const calls: { path: string; body: unknown }[] = [];
  globalThis.fetch = (async (input: string, init?: RequestInit) => {
    const path = String(input).split("?")[0];
    calls.push({ path, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const a = answers[path];
    if (!a) return new Response(JSON.stringify({ code: "api/not-found", message: "no" }), { status: 404 });
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { "content-type": "application/json", ...a.headers } });
  }) as typeof fetch;
  return calls;
}

const account = { playerId: "p_1", name: "Mei", guest: false, passkeys: 0, password: true, createdAt: "2026-12-06T18:00:00.000Z" };

describe("account store", () => {
  const realFetch = globalThis.fetch;
  let stored: Map<string, string>;
  beforeEach(() => {
    stored = new Map();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => void stored.set(k, v),
      removeItem: (k: string) => void stored.delete(k),
    };
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  const store = (tokens: (string | null)[]) =>
    new AccountStore({ guestToken: () => stored.get("bigtwo.token") ?? null, onToken: (t) => tokens.push(t) });

  test("save my progress with a password: the guest's token proves the player, the account's token is used next", async () => {
    stored.set("bigtwo.token", "guest-token");
    const calls = fakeApi({ "/api/auth/register": { status: 201, body: { account, token: "account-token" } } });
    const tokens: (string | null)[] = [];
    const s = store(tokens);
    assert.equal(await s.savePassword("  Mei ", "correct horse"), true);
    assert.deepEqual(calls, [{ path: "/api/auth/register", body: { name: "Mei", password: "correct horse", token: "guest-token" } }]);
    assert.deepEqual(tokens, ["account-token"]);
    assert.equal(s.state.phase, "signed-in");
    assert.equal(s.state.account?.name, "Mei");
    assert.match(s.state.notice ?? "", /Progress saved/);
    assert.equal(stored.get("bigtwo.account"), "p_1");
  });

  test("refusals are shown in words, with the wait of a rate limit, and change nothing", async () => {
    stored.set("bigtwo.token", "guest-token");
    fakeApi({
      "/api/auth/register": { status: 409, body: { code: "auth/name-taken", message: "taken" } },
      "/api/auth/login": { status: 429, body: { code: "auth/rate-limited", message: "slow" }, headers: { "retry-after": "600" } },
    });
    const tokens: (string | null)[] = [];
    const s = store(tokens);
    assert.equal(await s.savePassword("Mei", "correct horse"), false);
    assert.equal(s.state.error, "Another account already has this name. Choose another.");
    assert.equal(await s.signInPassword("Mei", "wrong"), false);
    assert.equal(s.state.error, "Too many attempts. Try again in 10 minutes.");
    assert.deepEqual(tokens, []);
    assert.equal(s.state.phase, "unknown");
    assert.equal(s.state.busy, null);
  });

  test("no server: a clear offline message", async () => {
    stored.set("bigtwo.token", "guest-token");
    globalThis.fetch = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof fetch;
    const s = store([]);
    assert.equal(await s.savePassword("Mei", "correct horse"), false);
    assert.match(s.state.error ?? "", /Could not reach the server/);
  });

  test("signing in elsewhere keeps this browser's guest to give back at sign-out", async () => {
    stored.set("bigtwo.token", "browser-b-guest");
    fakeApi({
      "/api/auth/login": { status: 200, body: { account, token: "account-token" } },
      "/api/auth/logout": { status: 200, body: { ok: true } },
    });
    const tokens: (string | null)[] = [];
    const s = store(tokens);
    assert.equal(await s.signInPassword("mei", "correct horse"), true);
    stored.set("bigtwo.token", "account-token");
    assert.equal(await s.signOut(), true);
    assert.deepEqual(tokens, ["account-token", "browser-b-guest"]);
    assert.equal(s.state.phase, "guest");
    assert.equal(stored.has("bigtwo.account"), false);
  });

  test("on load: a guest browser asks nothing; a signed-in one whose session ended becomes a guest", async () => {
    const calls = fakeApi({ "/api/auth/me": { status: 401, body: { code: "auth/signed-out", message: "no" } } });
    const tokens: (string | null)[] = [];
    const guest = store(tokens);
    await guest.refresh();
    assert.equal(calls.length, 0);
    assert.equal(guest.state.phase, "guest");

    stored.set("bigtwo.account", "p_1");
    const was = store(tokens);
    await was.refresh();
    assert.deepEqual(calls.map((c) => c.path), ["/api/auth/me"]);
    assert.equal(was.state.phase, "guest");
    assert.deepEqual(tokens, [null]);
    assert.equal(stored.has("bigtwo.account"), false);
  });

  test("passkey failures from the browser read as what to do next", () => {
    const err = (name: string) => Object.assign(new Error("x"), { name });
    assert.match(passkeyErrorText(err("NotAllowedError")), /cancelled or timed out/);
    assert.match(passkeyErrorText(err("InvalidStateError")), /already holds a passkey/);
    assert.match(passkeyErrorText(err("SecurityError")), /https/);
  });
});
