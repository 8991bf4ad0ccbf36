/**
 * Sliding-window attempt counter per key (an IP, an account name). In memory, per node: a
 * cluster behind a load balancer multiplies the allowance by its node count at most.
 */
export class RateLimit {
  readonly #hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `key` may try again, or 0 if it may now. */
  retryAfter(key: string): number {
    const hits = this.#live(key);
    if (hits.length < this.limit) return 0;
    return Math.max(1, Math.ceil((hits[0] + this.windowMs - this.now()) / 1000));
  }

  hit(key: string): void {
    const hits = this.#live(key);
    hits.push(this.now());
    this.#hits.set(key, hits);
    if (this.#hits.size > 50_000) this.#sweep();
  }

  reset(key: string): void {
    this.#hits.delete(key);
  }

  #live(key: string): number[] {
    const since = this.now() - this.windowMs;
    const hits = (this.#hits.get(key) ?? []).filter((t) => t > since);
    if (hits.length === 0) this.#hits.delete(key);
    return hits;
  }

  #sweep(): void {
    for (const key of [...this.#hits.keys()]) this.#live(key);
  }
}
