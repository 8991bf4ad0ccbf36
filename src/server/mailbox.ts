/**
 * A serial mailbox: messages are handled one at a time, each to completion (including its
 * awaits) before the next starts. This is what makes an actor's state safe without locks: no
 * read-modify-write of a table ever spans another message's handling.
 *
 * A handler that finishes synchronously returns nothing, and the next message is handled in the
 * same turn: no promise is made and no microtask is queued per message, which matters on the hot
 * path (every play). A handler that returns a promise holds the mailbox until it settles.
 *
 * Two lanes share one order. `post` is the input lane (players' messages): bounded, and a refusal
 * is returned to the sender, who tells the player. `control` is the lane for what must never be
 * lost (a socket attached or detached, a seat left, a timer, a close): it is not bounded by the
 * capacity, since losing a detach once left a seat "connected" forever. Control messages are few
 * per input (each comes from a socket's life or a timer), so the lane cannot grow without bound
 * while the input lane is bounded.
 */
export class Mailbox<M> {
  readonly #queue: M[] = [];
  /** Parallel to #queue: whether each queued message came by the input lane. */
  readonly #input: boolean[] = [];
  /** Input-lane messages queued now: the capacity bounds this count. */
  #inputs = 0;
  #running = false;
  #closed = false;

  constructor(
    private readonly handle: (message: M) => void | Promise<void>,
    private readonly onError: (error: unknown, message: M) => void,
    /** A bound on queued input-lane messages; past it `post` refuses. */
    private readonly capacity = 10_000,
  ) {}

  get size(): number {
    return this.#queue.length;
  }

  /** True once `close` has run: `post` refuses everything from then on. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Queue an input message; false if the mailbox is closed or its input lane is full. */
  post(message: M): boolean {
    if (this.#closed || this.#inputs >= this.capacity) return false;
    return this.#enqueue(message, true);
  }

  /** Queue a control message: refused only by a closed mailbox. */
  control(message: M): boolean {
    if (this.#closed) return false;
    return this.#enqueue(message, false);
  }

  #enqueue(message: M, input: boolean): boolean {
    // Nothing is queued unless a message is being handled, so an idle actor handles this one now,
    // without a trip through the queue (most of a table's messages find it idle).
    if (this.#running) {
      this.#queue.push(message);
      this.#input.push(input);
      if (input) this.#inputs++;
    } else this.#drain(message);
    return true;
  }

  #shift(): M {
    if (this.#input.shift()) this.#inputs--;
    return this.#queue.shift() as M;
  }

  /** Stop taking messages; queued ones are dropped. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    this.#input.length = 0;
    this.#inputs = 0;
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
      next = this.#shift();
    }
    this.#running = false;
  }

  /** Go on after a handler's promise settled. */
  #resume(): void {
    if (this.#queue.length === 0) this.#running = false;
    else this.#drain(this.#shift());
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
