// The clock port: every actor reads time and arms timers through it, so one table has one clock
// and tests can move time by hand. `now` is wall-clock milliseconds (comparable across nodes, so
// a deadline written to a table's log means the same on the node that adopts the table), taken
// from the monotonic clock's origin so that a wall-clock step inside a process moves nothing.

export type TimerHandle = { readonly __timer: unique symbol } | NodeJS.Timeout;

export interface Clock {
  now(): number;
  setTimer(ms: number, fire: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimer: (ms, fire) => setTimeout(fire, ms),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A clock that moves only when told to: timers fire in deadline order inside `advance`. */
export class ManualClock implements Clock {
  #now: number;
  #next = 0;
  readonly #timers = new Map<number, { at: number; fire: () => void }>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fire: () => void): TimerHandle {
    const id = ++this.#next;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fire });
    return id as unknown as TimerHandle;
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers.delete(handle as unknown as number);
  }

  /** Move time forward by `ms`, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let due: [number, { at: number; fire: () => void }] | null = null;
      for (const entry of this.#timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = Math.max(this.#now, due[1].at);
      due[1].fire();
    }
    this.#now = end;
  }

  get pending(): number {
    return this.#timers.size;
  }
}
