/**
 * Token buckets by key (an address, a player): each key may do `burst` things at once and gets
 * them back at `perMinute`. A key whose bucket is full again holds nothing worth keeping and is
 * forgotten, so the map holds only keys that acted recently: one entry per busy address, bounded
 * by what those addresses can do.
 */
export class KeyedQuota {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  #sweptAt: number;

  constructor(
    readonly perMinute: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(perMinute > 0) || !(burst >= 1)) throw new TypeError(`Expected perMinute > 0 and burst >= 1, got ${perMinute} and ${burst}`);
    this.#sweptAt = now();
  }

  /** Tokens `key` has now (whole or not). */
  left(key: string): number {
    const b = this.#buckets.get(key);
    if (!b) return this.burst;
    return Math.min(this.burst, b.tokens + ((this.now() - b.at) / 60_000) * this.perMinute);
  }

  /** Would `take` succeed? Takes nothing. */
  allows(key: string): boolean {
    return this.left(key) >= 1;
  }

  /** Take one token: false (and nothing taken) when `key` has none. */
  take(key: string): boolean {
    const tokens = this.left(key);
    if (tokens < 1) return false;
    this.#buckets.set(key, { tokens: tokens - 1, at: this.now() });
    this.#sweep();
    return true;
  }

  /** Milliseconds until `key` has a token again (0: it has one). */
  waitMs(key: string): number {
    const tokens = this.left(key);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / this.perMinute) * 60_000);
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** At most once a minute, forget the keys whose buckets have filled up again. */
  #sweep(): void {
    const now = this.now();
    if (now - this.#sweptAt < 60_000) return;
    this.#sweptAt = now;
    for (const [key] of this.#buckets) if (this.left(key) >= this.burst) this.#buckets.delete(key);
  }
}
