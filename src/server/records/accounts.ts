// Accounts, sessions and passkeys. An account is bound to a player id (the guest's, when they
// save their progress), so the record a guest built stays theirs. Passwords are hashed with
// scrypt (node:crypto, in the thread pool, so hashing never holds the event loop); sessions are
// random tokens of which the database keeps only a SHA-256, so a leaked table opens no session.

import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { sql } from "kysely";
import type { Db } from "./db.ts";
import { START } from "./ratings.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const BAD_CREDENTIALS = () => new ApiError(401, "auth/bad-credentials", "That name and password (or passkey) do not match an account.");

const SESSION_DAYS = 30;
const CHALLENGE_MS = 5 * 60_000;
const NAME = /^[\p{L}\p{N}_.\- ]{1,24}$/u;

export function checkName(raw: unknown): string {
  const name = typeof raw === "string" ? raw.trim().replace(/\s+/g, " ") : "";
  if (!NAME.test(name)) throw new ApiError(400, "auth/bad-name", "A name is 1 to 24 letters, digits, spaces, or _ . -");
  return name;
}

export function checkPassword(raw: unknown): string {
  if (typeof raw !== "string" || raw.length < 8 || raw.length > 200) {
    throw new ApiError(400, "auth/weak-password", "A password is 8 to 200 characters long.");
  }
  return raw;
}

// ------------------------------------------------------------------ passwords

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 64 };

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((ok, fail) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? fail(err) : ok(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** The same work whether or not `stored` is a hash, so timing tells nobody whether a name exists. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? "").split("$");
  const ok = parts.length === 6 && parts[0] === "scrypt";
  const [N, r, p] = ok ? parts.slice(1, 4).map(Number) : [SCRYPT.N, SCRYPT.r, SCRYPT.p];
  const salt = ok ? Buffer.from(parts[4], "base64url") : randomBytes(16);
  const expected = ok ? Buffer.from(parts[5], "base64url") : randomBytes(SCRYPT.keylen);
  const key = await scrypt(password, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return timingSafeEqual(key, expected) && ok;
}

// ------------------------------------------------------------------ accounts

export interface Account {
  playerId: string;
  name: string;
  guest: false;
  passkeys: number;
  password: boolean;
  createdAt: string;
}

export async function accountOf(db: Db, playerId: string): Promise<Account | null> {
  const a = await db
    .selectFrom("accounts as a")
    .select((eb) => [
      "a.player_id",
      "a.name",
      "a.password_hash",
      "a.created_at",
      eb.selectFrom("passkeys as k").whereRef("k.player_id", "=", "a.player_id").select(eb.fn.countAll<string>().as("n")).as("passkeys"),
    ])
    .where("a.player_id", "=", playerId)
    .executeTakeFirst();
  if (!a) return null;
  return { playerId: a.player_id, name: a.name, guest: false, passkeys: Number(a.passkeys ?? 0), password: a.password_hash !== null, createdAt: a.created_at.toISOString() };
}

/** Refuse early what creating an account for `playerId` named `name` would refuse. */
export async function checkNewAccount(db: Db, playerId: string, name: string): Promise<void> {
  if (await db.selectFrom("accounts").select("player_id").where("player_id", "=", playerId).executeTakeFirst()) {
    throw new ApiError(409, "auth/account-exists", "This player already has an account: sign in instead.");
  }
  if (await db.selectFrom("accounts").select("player_id").where(sql`lower(name)`, "=", name.toLowerCase()).executeTakeFirst()) {
    throw new ApiError(409, "auth/name-taken", "Another account has that name; choose another.");
  }
}

/** Make `playerId` (a guest until now) an account. */
export async function createAccount(db: Db, playerId: string, name: string, passwordHash: string | null): Promise<void> {
  try {
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto("players")
        .values({ player_id: playerId, name, guest: false, mu: START.mu, sigma: START.sigma })
        .onConflict((c) => c.column("player_id").doUpdateSet({ name, guest: false, updated_at: sql<Date>`now()` }))
        .execute();
      await tx.insertInto("accounts").values({ player_id: playerId, name, password_hash: passwordHash }).execute();
    });
  } catch (err) {
    if ((err as { code?: string }).code === "23505") {
      // Unique violation: the account or the name was taken since the check.
      await checkNewAccount(db, playerId, name);
      throw new ApiError(409, "auth/name-taken", "Another account has that name; choose another.");
    }
    throw err;
  }
}

export async function passwordLogin(db: Db, name: string, password: string): Promise<string> {
  const a = await db.selectFrom("accounts").select(["player_id", "password_hash"]).where(sql`lower(name)`, "=", name.trim().toLowerCase()).executeTakeFirst();
  const good = await verifyPassword(password, a?.password_hash ?? null);
  if (!a || !good) throw BAD_CREDENTIALS();
  return a.player_id;
}

// ------------------------------------------------------------------ sessions

const digest = (token: string) => createHash("sha256").update(token).digest("base64url");

export async function startSession(db: Db, playerId: string): Promise<{ token: string; maxAgeSeconds: number }> {
  const token = randomBytes(32).toString("base64url");
  const maxAgeSeconds = SESSION_DAYS * 86400;
  await db
    .insertInto("sessions")
    .values({ token_hash: digest(token), player_id: playerId, expires_at: new Date(Date.now() + maxAgeSeconds * 1000) })
    .execute();
  return { token, maxAgeSeconds };
}

export async function sessionPlayer(db: Db, token: string): Promise<string | null> {
  const s = await db
    .selectFrom("sessions")
    .select("player_id")
    .where("token_hash", "=", digest(token))
    .where("expires_at", ">", new Date())
    .executeTakeFirst();
  return s?.player_id ?? null;
}

/** End this session, or (everywhere) every session of its account. */
export async function endSession(db: Db, token: string, everywhere: boolean): Promise<void> {
  if (everywhere) {
    const playerId = await sessionPlayer(db, token);
    if (playerId) await db.deleteFrom("sessions").where("player_id", "=", playerId).execute();
  }
  await db.deleteFrom("sessions").where("token_hash", "=", digest(token)).execute();
  await db.deleteFrom("sessions").where("expires_at", "<", new Date()).execute();
}

// ------------------------------------------------------------------ passkeys

export interface RelyingParty {
  rpID: string;
  origin: string;
  rpName: string;
}

async function saveChallenge(db: Db, challenge: string, kind: "register" | "login", playerId: string | null, name: string | null): Promise<string> {
  const challengeId = "c_" + randomBytes(12).toString("base64url");
  await db.deleteFrom("challenges").where("expires_at", "<", new Date()).execute();
  await db
    .insertInto("challenges")
    .values({ challenge_id: challengeId, challenge, kind, player_id: playerId, name, expires_at: new Date(Date.now() + CHALLENGE_MS) })
    .execute();
  return challengeId;
}

/** Single use: the row is deleted as it is read. */
async function takeChallenge(db: Db, challengeId: unknown, kind: "register" | "login") {
  if (typeof challengeId !== "string") throw new ApiError(400, "auth/challenge", "That passkey challenge is unknown or has expired; start again.");
  const c = await db.deleteFrom("challenges").where("challenge_id", "=", challengeId).returningAll().executeTakeFirst();
  if (!c || c.kind !== kind || c.expires_at.getTime() < Date.now()) {
    throw new ApiError(400, "auth/challenge", "That passkey challenge is unknown or has expired; start again.");
  }
  return c;
}

/** For a new account (`name` given) or for adding a passkey to `playerId`'s account (`name` null). */
export async function passkeyRegisterOptions(db: Db, rp: RelyingParty, playerId: string, name: string | null) {
  const account = name === null ? await accountOf(db, playerId) : null;
  const existing = await db.selectFrom("passkeys").select(["credential_id", "transports"]).where("player_id", "=", playerId).execute();
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: name ?? account?.name ?? playerId,
    userID: new TextEncoder().encode(playerId),
    attestationType: "none",
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    excludeCredentials: existing.map((k) => ({ id: k.credential_id, transports: k.transports as string[] })),
  });
  const challengeId = await saveChallenge(db, options.challenge, "register", playerId, name);
  return { challengeId, options };
}

/** Returns the player id, and whether an account was created. */
export async function passkeyRegisterVerify(db: Db, rp: RelyingParty, challengeId: unknown, response: RegistrationResponseJSON) {
  const c = await takeChallenge(db, challengeId, "register");
  let verified;
  try {
    verified = await verifyRegistrationResponse({ response, expectedChallenge: c.challenge, expectedOrigin: rp.origin, expectedRPID: rp.rpID, requireUserVerification: false });
  } catch {
    throw BAD_CREDENTIALS();
  }
  if (!verified.verified) throw BAD_CREDENTIALS();
  const playerId = c.player_id!;
  const created = c.name !== null;
  if (created) {
    await checkNewAccount(db, playerId, c.name!);
    await createAccount(db, playerId, c.name!, null);
  } else if (!(await accountOf(db, playerId))) {
    throw new ApiError(401, "auth/signed-out", "Sign in first.");
  }
  const cred = verified.registrationInfo.credential;
  await db
    .insertInto("passkeys")
    .values({ credential_id: cred.id, player_id: playerId, public_key: cred.publicKey, counter: cred.counter, transports: JSON.stringify(cred.transports ?? []) })
    .execute();
  return { playerId, created };
}

export async function passkeyLoginOptions(db: Db, rp: RelyingParty) {
  const options = await generateAuthenticationOptions({ rpID: rp.rpID, userVerification: "preferred" });
  const challengeId = await saveChallenge(db, options.challenge, "login", null, null);
  return { challengeId, options };
}

export async function passkeyLoginVerify(db: Db, rp: RelyingParty, challengeId: unknown, response: AuthenticationResponseJSON): Promise<string> {
  const c = await takeChallenge(db, challengeId, "login");
  const key = typeof response?.id === "string" ? await db.selectFrom("passkeys").selectAll().where("credential_id", "=", response.id).executeTakeFirst() : undefined;
  if (!key) throw BAD_CREDENTIALS();
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: c.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: { id: key.credential_id, publicKey: new Uint8Array(key.public_key), counter: Number(key.counter), transports: key.transports as string[] },
      requireUserVerification: false,
    });
  } catch {
    throw BAD_CREDENTIALS();
  }
  if (!verified.verified) throw BAD_CREDENTIALS();
  await db.updateTable("passkeys").set({ counter: verified.authenticationInfo.newCounter }).where("credential_id", "=", key.credential_id).execute();
  return key.player_id;
}
