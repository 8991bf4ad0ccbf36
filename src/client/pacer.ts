// Plays arrive as fast as bots make them; a person needs time to read each one. Table events
// go through this queue: each is drawn, then holds the screen for a moment before the next.
// Your own play is drawn at once, a snapshot throws the backlog away, and a long backlog or
// a hidden tab speeds things up so the screen never falls far behind the server. With
// `maxLagMs`, no item waits longer than that after it arrived: a spectator watching four quick
// seats ran about 2 s behind the players before (issue 18), because holds add up faster than
// the backlog speed-up kicked in.

export interface PacerOptions<T> {
  /** Draw one item; return how long (ms) it should stay before the next is drawn. */
  draw(item: T): number;
  /** Scales every hold (tests run fast with a small factor). */
  factor?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  hidden?: () => boolean;
  /** When an item arrived (same clock as `now`); with `maxLagMs`, bounds how late it is drawn. */
  arrivedAt?: (item: T) => number;
  maxLagMs?: number;
  now?: () => number;
}

export class Pacer<T> {
  private queue: T[] = [];
  private timer: unknown = null;
  private readonly opts: Required<Omit<PacerOptions<T>, "arrivedAt" | "maxLagMs">> & Pick<PacerOptions<T>, "arrivedAt" | "maxLagMs">;

  constructor(opts: PacerOptions<T>) {
    this.opts = {
      factor: 1,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      hidden: () => false,
      now: () => Date.now(),
      ...opts,
    };
  }

  get backlog(): number {
    return this.queue.length;
  }

  get busy(): boolean {
    return this.timer !== null || this.queue.length > 0;
  }

  push(item: T): void {
    this.queue.push(item);
    if (this.timer === null) this.pump();
  }

  /** Draw this item now, ahead of anything waiting (it still holds the screen afterwards). */
  now(item: T): void {
    this.queue.unshift(item);
    if (this.timer !== null) {
      this.opts.clearTimer(this.timer);
      this.timer = null;
    }
    this.pump();
  }

  /** Forget everything waiting (a snapshot supersedes it). */
  reset(): void {
    this.queue = [];
    if (this.timer !== null) this.opts.clearTimer(this.timer);
    this.timer = null;
  }

  /** Draw everything waiting at once. */
  flush(): void {
    if (this.timer !== null) this.opts.clearTimer(this.timer);
    this.timer = null;
    while (this.queue.length > 0) this.opts.draw(this.queue.shift() as T);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const item = this.queue.shift() as T;
      let hold = this.opts.draw(item) * this.opts.factor;
      if (this.opts.hidden()) hold = 0;
      else if (this.queue.length > 8) hold *= 0.25;
      else if (this.queue.length > 4) hold *= 0.6;
      const { arrivedAt, maxLagMs } = this.opts;
      if (hold > 0 && arrivedAt && maxLagMs !== undefined && this.queue.length > 0) {
        // The next item may not be drawn later than maxLagMs after it arrived.
        const due = arrivedAt(this.queue[0]) + maxLagMs - this.opts.now();
        hold = Math.max(0, Math.min(hold, due));
      }
      if (hold > 0) {
        this.timer = this.opts.setTimer(() => {
          this.timer = null;
          this.pump();
        }, hold);
        return;
      }
    }
  }
}
