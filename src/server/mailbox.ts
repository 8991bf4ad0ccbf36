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

  /** True once `close` has run: `post` refuses everything from then on. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Queue a message; false if the mailbox is closed or full. */
  post(message: M): boolean {
    if (this.#closed || this.#queue.length >= this.capacity) return false;
    // Nothing is queued unless a message is being handled, so an idle actor handles this one now,
    // without a trip through the queue (most of a table's messages find it idle).
    if (this.#running) this.#queue.push(message);
    else this.#drain(message);
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

  /** Handle `next`, then queued messages, until the queue is empty or a handler returns a promise. */
  #drain(next: M): void {
    this.#running = true;
    for (;;) {
      if (this.#handleOne(next)) return;
      if (this.#queue.length === 0) break;
      next = this.#queue.shift() as M;
    }
    this.#running = false;
  }

  /** Go on after a handler's promise settled. */
  #resume(): void {
    if (this.#queue.length === 0) this.#running = false;
    else this.#drain(this.#queue.shift() as M);
  }

  /** Handle one message; true when its handler returned a promise, which holds the mailbox until it settles. */
  #handleOne(message: M): boolean {
    let pending: unknown;
    try {
      pending = this.handle(message);
    } catch (error) {
      this.#report(error, message);
      return false;
    }
    // Only a thenable holds the mailbox; any other value (a handler may return what a callee
    // returned) means the message is done.
    if (typeof (pending as PromiseLike<void> | undefined)?.then !== "function") return false;
    (pending as PromiseLike<void>).then(
      () => this.#resume(),
      (error: unknown) => {
        this.#report(error, message);
        this.#resume();
      },
    );
    return true;
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
