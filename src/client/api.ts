// The records and accounts HTTP API (docs/api.md), typed. Every call answers a value: the JSON
// body, or an error with the server's stable code (or a client-side one when the request never
// got an answer), so each page can say clearly what went wrong.
import type { TableSettings } from "../protocol/messages.ts";
import type { Action, Card, DealResult } from "../rules/types.ts";
import { t, waitText, type Key } from "./i18n/index.ts";

export interface ApiError {
  ok: false;
  status: number;
  /** The server's stable code, or `net/offline` / `net/bad-answer` when there was no usable answer. */
  code: string;
  message: string;
  /** Seconds to wait, from a 429's Retry-After. */
  retryAfter: number | null;
}
export type ApiResult<T> = { ok: true; status: number; data: T } | ApiError;

export interface LeaderRow {
  playerId: string;
  name: string;
  guest: boolean;
  rating: number;
  matches: number;
  ranked: number;
  wins: number;
}
export interface Leaderboard {
  minMatches: number;
  players: LeaderRow[];
}

export interface MatchPlayerRef {
  seat: number | null;
  playerId: string | null;
  name: string;
  human: boolean;
  botLevel?: string | null;
}

export interface RecentMatch {
  matchId: string;
  tableId?: string;
  endedAt: string;
  seat: number | null;
  place: number;
  won: boolean;
  ranked: boolean;
  total: number;
  deals: number;
  ratingBefore: number | null;
  ratingAfter: number | null;
  players: MatchPlayerRef[];
}

export interface Profile {
  playerId: string;
  name: string;
  guest: boolean;
  rating: number;
  matches: number;
  ranked: number;
  wins: number;
  ratingHistory: { matchId: string; endedAt: string; rating: number }[];
  recent: RecentMatch[];
}

export interface MatchPlayer extends MatchPlayerRef {
  total: number;
  place: number;
  won: boolean;
  ratingBefore: number | null;
  ratingAfter: number | null;
}

export interface MatchDeal {
  dealNo: number;
  seed: string | null;
  leader: number | null;
  hands: Card[][];
  actions: Action[];
  result: DealResult;
  seats?: MatchPlayerRef[];
}

export interface MatchRecord {
  matchId: string;
  tableId?: string;
  endedAt: string;
  ranked: boolean;
  settings: TableSettings;
  players: MatchPlayer[];
  totals: number[];
  winners: number[];
  deals: MatchDeal[];
}

export interface Account {
  playerId: string;
  name: string;
  guest: boolean;
  passkeys: number;
  password: boolean;
  createdAt: string;
}
export interface SignedIn {
  account: Account;
  /** A game token naming the account's playerId: say hello with it. */
  token: string;
}

async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, code: "net/offline", message: "Could not reach the server. Check your connection and try again.", retryAfter: null };
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok && json !== null && typeof json === "object") return { ok: true, status: res.status, data: json as T };
  const err = (json ?? {}) as { code?: unknown; message?: unknown };
  const retry = Number(res.headers.get("retry-after"));
  return {
    ok: false,
    status: res.status,
    code: typeof err.code === "string" ? err.code : "net/bad-answer",
    message: typeof err.message === "string" ? err.message : `The server answered ${res.status} without an explanation.`,
    retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null,
  };
}

const seg = (s: string) => encodeURIComponent(s);

export const api = {
  leaderboard: (limit = 50) => call<Leaderboard>("GET", `/api/leaderboard?limit=${limit}`),
  player: (playerId: string) => call<Profile>("GET", `/api/players/${seg(playerId)}`),
  match: (matchId: string) => call<MatchRecord>("GET", `/api/matches/${seg(matchId)}`),
  me: () => call<SignedIn>("GET", "/api/auth/me"),
  register: (name: string, password: string, token: string) => call<SignedIn>("POST", "/api/auth/register", { name, password, token }),
  login: (name: string, password: string) => call<SignedIn>("POST", "/api/auth/login", { name, password }),
  logout: (everywhere = false) => call<{ ok: true }>("POST", "/api/auth/logout", everywhere ? { everywhere: true } : {}),
  passkeyRegisterOptions: (body: { name: string; token: string } | Record<string, never>) =>
    call<{ challengeId: string; options: unknown }>("POST", "/api/auth/passkey/register/options", body),
  passkeyRegisterVerify: (challengeId: string, response: unknown) =>
    call<SignedIn>("POST", "/api/auth/passkey/register/verify", { challengeId, response }),
  passkeyLoginOptions: () => call<{ challengeId: string; options: unknown }>("POST", "/api/auth/passkey/login/options", {}),
  passkeyLoginVerify: (challengeId: string, response: unknown) => call<SignedIn>("POST", "/api/auth/passkey/login/verify", { challengeId, response }),
};

/** The catalogue's words for each code a records page or the account dialog can meet. */
const ERROR_KEYS: Record<string, Key> = {
  "net/offline": "err.net/offline",
  "records/unavailable": "err.records/unavailable",
  "match/not-found": "err.match/not-found",
  "player/not-found": "err.player/not-found",
  "auth/bad-credentials": "err.auth/bad-credentials",
  "auth/name-taken": "err.auth/name-taken",
  "auth/bad-name": "err.auth/bad-name",
  "auth/weak-password": "err.auth/weak-password",
  "auth/account-exists": "err.auth/account-exists",
  "auth/bad-token": "err.auth/bad-token",
  "auth/challenge": "err.auth/challenge",
  "auth/signed-out": "err.auth/signed-out",
};

/**
 * What a person reads for an API error: the catalogue's words by the stable code, never the
 * server's English `message` (the api/* codes are the client's own mistakes: "something went
 * wrong", with the code to report).
 */
export function apiErrorText(e: ApiError): string {
  if (e.code === "auth/rate-limited") {
    return e.retryAfter !== null ? t("err.auth/rate-limited", { wait: waitText(e.retryAfter) }) : t("err.auth/rate-limited-later");
  }
  if (e.code === "net/bad-answer") return t("err.net/bad-answer", { status: String(e.status) });
  const key = ERROR_KEYS[e.code];
  return key ? t(key) : t("err.unknown", { code: e.code });
}
