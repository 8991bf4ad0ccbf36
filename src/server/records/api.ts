// The HTTP API under /api/ (docs/api.md): records, accounts, sessions, passkeys. One function
// that answers a request or says it is not its own; app.ts calls it before the static files.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Tokens } from "../tokens.ts";
import {
  accountOf,
  ApiError,
  BAD_CREDENTIALS,
  checkName,
  checkNewAccount,
  checkPassword,
  createAccount,
  endSession,
  hashPassword,
  passkeyLoginOptions,
  passkeyLoginVerify,
  passkeyRegisterOptions,
  passkeyRegisterVerify,
  passwordLogin,
  sessionPlayer,
  startSession,
  type RelyingParty,
} from "./accounts.ts";
import type { Db } from "./db.ts";
import { RateLimit } from "./rate-limit.ts";
import { leaderboard, match, player } from "./repo.ts";

export interface ApiOptions {
  /** null: records are off; every /api/ request answers 503. */
  db: Db | null;
  tokens: Tokens;
  log: Logger;
  leaderboardMinMatches: number;
  /** PUBLIC_URL, or null: http://localhost:<port>. */
  publicUrl: string | null;
  /** The port the server listens on (known once it does). */
  port: () => number;
}

const COOKIE = "bt_session";
const MAX_BODY = 16 * 1024;

/** Client-side routes that answer the client's index.html. */
export function isPageRoute(path: string): boolean {
  return path === "/leaderboard" || /^\/(replay|profile)\/[^/]+(\/[^/]*)?$/.test(path);
}

export function createApi(opts: ApiOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const perName = new RateLimit(5, 15 * 60_000);
  const perIp = new RateLimit(30, 15 * 60_000);

  const rp = (): RelyingParty => {
    const url = new URL(opts.publicUrl ?? `http://localhost:${opts.port()}`);
    return { rpID: url.hostname, origin: url.origin, rpName: "Big Two Online" };
  };
  const secure = () => (opts.publicUrl ?? "").startsWith("https:");

  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (!url.pathname.startsWith("/api/")) return false;
    handle(req, res, url).catch((err) => {
      if (err instanceof ApiError) return send(res, err.status, { code: err.code, message: err.message }, err.headers);
      if (unavailable(err)) {
        opts.log.warn({ err }, "records database unavailable");
        return send(res, 503, { code: "records/unavailable", message: "Records are unavailable right now; the game goes on. Try again soon." });
      }
      opts.log.error({ err, path: url.pathname }, "api request failed");
      send(res, 500, { code: "server/internal", message: "Something went wrong on the server." });
    });
    return true;
  };

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const method = req.method ?? "GET";
    const route = ROUTES.find((r) => r.path.test(path));
    if (!route) throw new ApiError(404, "api/not-found", "There is no such endpoint.");
    if (route.method !== method) throw new ApiError(405, "api/method", `Use ${route.method} for ${path}.`, { allow: route.method });
    const db = opts.db;
    if (!db) throw new ApiError(503, "records/unavailable", "Records are off on this server.");
    const body = method === "POST" ? await readJson(req) : {};
    const param = decodeURIComponent(path.match(route.path)?.[1] ?? "");
    const ip = req.socket.remoteAddress ?? "?";
    const cookieToken = readCookie(req, COOKIE);

    const signedIn = async (status: number, playerId: string, session?: { token: string; maxAgeSeconds: number }) => {
      const account = await accountOf(db, playerId);
      if (!account) throw new ApiError(401, "auth/signed-out", "Sign in first.");
      const headers: Record<string, string> = {};
      if (session) headers["set-cookie"] = cookie(session.token, session.maxAgeSeconds, secure());
      send(res, status, { account, token: opts.tokens.issue(playerId) }, headers);
    };
    const guestOf = (token: unknown) => {
      const playerId = typeof token === "string" ? opts.tokens.verify(token) : null;
      if (!playerId || playerId.startsWith("bot_")) throw new ApiError(400, "auth/bad-token", "That game token is not one this server signed; reload the game and try again.");
      return playerId;
    };
    const current = async () => (cookieToken ? await sessionPlayer(db, cookieToken) : null);
    const limited = (...keys: [RateLimit, string][]) => {
      for (const [limit, key] of keys) {
        const after = limit.retryAfter(key);
        if (after > 0) throw new ApiError(429, "auth/rate-limited", `Too many sign-in attempts; try again in ${after} seconds.`, { "retry-after": String(after) });
      }
    };

    switch (route.name) {
      case "leaderboard": {
        const limit = Number(url.searchParams.get("limit") ?? 50);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new ApiError(400, "api/bad-request", "`limit` is a whole number from 1 to 100.");
        return send(res, 200, await leaderboard(db, opts.leaderboardMinMatches, limit));
      }
      case "player": {
        const p = await player(db, param);
        if (!p) throw new ApiError(404, "player/not-found", "No player with that id has finished a match here.");
        return send(res, 200, p);
      }
      case "match": {
        const m = await match(db, param);
        if (!m) throw new ApiError(404, "match/not-found", "No finished match has that id.");
        return send(res, 200, m);
      }
      case "me": {
        const playerId = await current();
        if (!playerId) throw new ApiError(401, "auth/signed-out", "Not signed in.");
        return signedIn(200, playerId);
      }
      case "register": {
        const playerId = guestOf(body.token);
        const name = checkName(body.name);
        const password = checkPassword(body.password);
        await checkNewAccount(db, playerId, name);
        await createAccount(db, playerId, name, await hashPassword(password));
        opts.log.info({ playerId }, "account created (password)");
        return signedIn(201, playerId, await startSession(db, playerId));
      }
      case "login": {
        if (typeof body.name !== "string" || typeof body.password !== "string") throw new ApiError(400, "api/bad-request", "Send `name` and `password`.");
        const nameKey = body.name.trim().toLowerCase();
        limited([perIp, ip], [perName, nameKey]);
        perIp.hit(ip);
        let playerId: string;
        try {
          playerId = await passwordLogin(db, body.name, body.password);
        } catch (err) {
          if (err instanceof ApiError && err.code === "auth/bad-credentials") perName.hit(nameKey);
          throw err;
        }
        perName.reset(nameKey);
        return signedIn(200, playerId, await startSession(db, playerId));
      }
      case "logout": {
        if (cookieToken) await endSession(db, cookieToken, body.everywhere === true);
        return send(res, 200, { ok: true }, { "set-cookie": cookie("", 0, secure()) });
      }
      case "passkeyRegisterOptions": {
        if (body.token === undefined && body.name === undefined) {
          const playerId = await current();
          if (!playerId) throw new ApiError(401, "auth/signed-out", "Sign in first to add a passkey.");
          return send(res, 200, await passkeyRegisterOptions(db, rp(), playerId, null));
        }
        const playerId = guestOf(body.token);
        const name = checkName(body.name);
        await checkNewAccount(db, playerId, name);
        return send(res, 200, await passkeyRegisterOptions(db, rp(), playerId, name));
      }
      case "passkeyRegisterVerify": {
        if (typeof body.response !== "object" || body.response === null) throw new ApiError(400, "api/bad-request", "Send `challengeId` and `response`.");
        const { playerId, created } = await passkeyRegisterVerify(db, rp(), body.challengeId, body.response as never);
        if (created) opts.log.info({ playerId }, "account created (passkey)");
        return signedIn(created ? 201 : 200, playerId, created ? await startSession(db, playerId) : undefined);
      }
      case "passkeyLoginOptions":
        return send(res, 200, await passkeyLoginOptions(db, rp()));
      case "passkeyLoginVerify": {
        if (typeof body.response !== "object" || body.response === null) throw new ApiError(400, "api/bad-request", "Send `challengeId` and `response`.");
        limited([perIp, ip]);
        perIp.hit(ip);
        const playerId = await passkeyLoginVerify(db, rp(), body.challengeId, body.response as never).catch((err) => {
          throw err instanceof ApiError ? err : BAD_CREDENTIALS();
        });
        return signedIn(200, playerId, await startSession(db, playerId));
      }
    }
  }
}

const ROUTES = [
  { name: "leaderboard", method: "GET", path: /^\/api\/leaderboard\/?$/ },
  { name: "player", method: "GET", path: /^\/api\/players\/([^/]+)$/ },
  { name: "match", method: "GET", path: /^\/api\/matches\/([^/]+)$/ },
  { name: "me", method: "GET", path: /^\/api\/auth\/me$/ },
  { name: "register", method: "POST", path: /^\/api\/auth\/register$/ },
  { name: "login", method: "POST", path: /^\/api\/auth\/login$/ },
  { name: "logout", method: "POST", path: /^\/api\/auth\/logout$/ },
  { name: "passkeyRegisterOptions", method: "POST", path: /^\/api\/auth\/passkey\/register\/options$/ },
  { name: "passkeyRegisterVerify", method: "POST", path: /^\/api\/auth\/passkey\/register\/verify$/ },
  { name: "passkeyLoginOptions", method: "POST", path: /^\/api\/auth\/passkey\/login\/options$/ },
  { name: "passkeyLoginVerify", method: "POST", path: /^\/api\/auth\/passkey\/login\/verify$/ },
] as const;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) throw new ApiError(415, "api/json-only", "Send the body as JSON (content-type: application/json).");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new ApiError(413, "api/too-large", "The body is larger than 16 KiB.");
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  } catch {
    throw new ApiError(400, "api/bad-request", "The body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ApiError(400, "api/bad-request", "The body must be a JSON object.");
  return value as Record<string, unknown>;
}

function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim()) || null;
  }
  return null;
}

function cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

/** An outage of the database rather than a mistake in a query. */
function unavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  const code = String(e?.code ?? "");
  return /^(08|53|57)/.test(code) || ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"].includes(code) || /closed|terminat|timeout|connect/i.test(String(e?.message ?? ""));
}
