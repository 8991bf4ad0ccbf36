/**
 * A serial mailbox: messages are handled one at a time, each to completion (including its
 * awaits) before the next starts. This is what makes an actor's state safe without locks: no
 * read-modify-write of a table ever spans another message's handling.
 *
 * A handler that finishes synchronously returns nothing, and the next message is handled in the
 * same turn: no promise is made and no microtask is queued per message, which matters on the hot
 * path (every play). A handler that returns a promise holds the mailbox until it settles.
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
    if (!this.#running) this.#drain();
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

  /** Handle queued messages until the queue is empty or a handler returns a promise. */
  #drain(): void {
    this.#running = true;
    while (this.#queue.length > 0) {
      const message = this.#queue.shift() as M;
      let pending: void | Promise<void>;
      try {
        pending = this.handle(message);
      } catch (error) {
        this.onError(error, message);
        continue;
      }
      if (pending) {
        // Still running: the rest of the queue waits for this message to finish.
        pending.then(
          () => this.#drain(),
          (error: unknown) => {
            this.onError(error, message);
            this.#drain();
          },
        );
        return;
      }
    }
    this.#running = false;
  }
}
