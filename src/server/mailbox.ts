/**
 * A serial mailbox: messages are handled one at a time, each to completion (including its
 * awaits) before the next starts. This is what makes an actor's state safe without locks: no
 * read-modify-write of a table ever spans another message's handling.
 */
export class Mailbox<M> {
  readonly #queue: M[] = [];
  #running = false;
  #closed = false;

  constructor(
    private readonly handle: (message: M) => void | Promise<void>,
    private readonly onError: (error: unknown, message: M) => void,
    /** A bound on queued messages; past it `post` refuses. */
    private readonly capacity = 10_000,
  ) {}

  get size(): number {
    return this.#queue.length;
  }

  /** Queue a message; false if the mailbox is closed or full. */
  post(message: M): boolean {
    if (this.#closed || this.#queue.length >= this.capacity) return false;
    this.#queue.push(message);
    if (!this.#running) void this.#drain();
    return true;
  }

  /** Stop taking messages; queued ones are dropped. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }

  /** Resolves once the queue is empty and nothing is being handled. */
  async idle(): Promise<void> {
    while (this.#running) await new Promise((r) => setImmediate(r));
  }

  async #drain(): Promise<void> {
    this.#running = true;
    while (this.#queue.length > 0) {
      const message = this.#queue.shift() as M;
      try {
        const r = this.handle(message);
        if (r) await r;
      } catch (error) {
        this.onError(error, message);
      }
    }
    this.#running = false;
  }
}
