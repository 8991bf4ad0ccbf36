import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Signed guest tokens: `playerId.signature`. The secret never leaves the server. */
export class Tokens {
  readonly #secret: Buffer;

  constructor(secret: string | null) {
    this.#secret = secret ? Buffer.from(secret) : randomBytes(32);
  }

  #sign(playerId: string): string {
    return createHmac("sha256", this.#secret).update(playerId).digest("base64url");
  }

  issue(playerId: string): string {
    return `${playerId}.${this.#sign(playerId)}`;
  }

  /** The player id a token names, or null if it was not signed by this secret. */
  verify(token: string): string | null {
    const dot = token.lastIndexOf(".");
    if (dot <= 0) return null;
    const playerId = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.#sign(playerId));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return playerId;
  }

  static newPlayerId(): string {
    return "p_" + randomBytes(9).toString("base64url");
  }
}
