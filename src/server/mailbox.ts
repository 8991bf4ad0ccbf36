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
      let pending: unknown;
      try {
        pending = this.handle(message);
      } catch (error) {
        this.#report(error, message);
        continue;
      }
      // Only a thenable holds the mailbox; any other value (a handler may return what a callee
      // returned) means the message is done.
      if (typeof (pending as PromiseLike<void> | undefined)?.then === "function") {
        (pending as PromiseLike<void>).then(
          () => this.#drain(),
          (error: unknown) => {
            this.#report(error, message);
            this.#drain();
          },
        );
        return;
      }
    }
    this.#running = false;
  }

  /**
   * Hand a handler's failure to onError. If onError itself throws, this actor can no longer be
   * trusted: it takes no more messages, and the error is thrown again on a fresh stack, so it is
   * as loud as any uncaught exception instead of reaching whoever posted the message.
   */
  #report(error: unknown, message: M): void {
    try {
      this.onError(error, message);
    } catch (failure) {
      this.close();
      queueMicrotask(() => {
        throw failure;
      });
    }
  }
}
