// The write queue between the tables and the database. A table's dealEnded/matchEnded only pushes
// a record onto an array (no I/O, no await, nothing that can throw into the table); a drain loop,
// outside every table's turn, writes what waits in batches. A slow database makes the queue
// longer, a down one makes the loop retry with backoff; neither reaches a table. The queue is
// bounded: past the bound a record is refused, counted and logged whole (so it can be replayed by
// hand), never dropped silently.

import type { Logger } from "pino";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { Job } from "./repo.ts";
import type { DealRecord, MatchRecord } from "./types.ts";

export interface RecorderOptions {
  /** Write one batch; throws if nothing of it was written. */
  write(jobs: readonly Job[]): Promise<void>;
  log: Logger;
  registry: Registry;
  /** Records waiting at most (default 100,000: about 100 MB of deals at worst). */
  maxQueue?: number;
  /** Records per transaction (default 100). */
  batch?: number;
  /** First retry delay; doubles up to maxBackoffMs (defaults 200 ms, 30 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A record the database refuses (not an outage) this many times in a batch of one is given up, logged whole. */
  maxRejects?: number;
}

/** PostgreSQL error classes that mean "this data is wrong", not "the database is unavailable". */
const DATA_ERROR = /^(22|23|42)/;

export class Recorder {
  readonly #queue: Job[] = [];
  readonly #opts: Required<Omit<RecorderOptions, "write" | "log" | "registry">>;
  readonly #write: RecorderOptions["write"];
  readonly #log: Logger;
  #running: Promise<void> | null = null;
  #closed = false;
  readonly #metrics;

  constructor(options: RecorderOptions) {
    this.#write = options.write;
    this.#log = options.log.child({ part: "records" });
    this.#opts = {
      maxQueue: options.maxQueue ?? 100_000,
      batch: options.batch ?? 100,
      backoffMs: options.backoffMs ?? 200,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      maxRejects: options.maxRejects ?? 5,
    };
    const registers = [options.registry];
    this.#metrics = {
      queued: new Gauge({ name: "bigtwo_records_queued", help: "Deal and match records waiting to be written to the database.", registers }),
      written: new Counter({ name: "bigtwo_records_written_total", help: "Records written to the database, by kind.", labelNames: ["kind"] as const, registers }),
      errors: new Counter({ name: "bigtwo_records_write_errors_total", help: "Failed batch writes (each is retried).", registers }),
      lost: new Counter({
        name: "bigtwo_records_lost_total",
        help: "Records not written, by reason: queue_full (the queue was at its bound), rejected (the database refused the record itself), shutdown (still queued when the server stopped). Each is logged whole.",
        labelNames: ["reason"] as const,
        registers,
      }),
      batchSeconds: new Histogram({ name: "bigtwo_records_batch_seconds", help: "Time to write one batch.", buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10], registers }),
    };
    for (const kind of ["deal", "match"]) this.#metrics.written.inc({ kind }, 0);
    for (const reason of ["queue_full", "rejected", "shutdown"]) this.#metrics.lost.inc({ reason }, 0);
  }

  get size(): number {
    return this.#queue.length;
  }

  dealEnded(record: DealRecord): void {
    this.#push({ kind: "deal", record });
  }

  matchEnded(record: MatchRecord): void {
    this.#push({ kind: "match", record });
  }

  #push(job: Job): void {
    if (this.#closed || this.#queue.length >= this.#opts.maxQueue) {
      this.#lose(this.#closed ? "shutdown" : "queue_full", [job]);
      return;
    }
    this.#queue.push(job);
    this.#metrics.queued.set(this.#queue.length);
    this.#running ??= this.#drain();
  }

  #lose(reason: "queue_full" | "rejected" | "shutdown", jobs: readonly Job[]): void {
    this.#metrics.lost.inc({ reason }, jobs.length);
    for (const job of jobs) this.#log.error({ reason, record: job }, "a %s record was not written (%s)", job.kind, reason);
  }

  /** Resolves once every queued record is written (tests; shutdown). */
  async flushed(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    // Leave the table's turn first: the write starts from a fresh macrotask.
    await new Promise((r) => setImmediate(r));
    let failures = 0;
    let rejects = 0;
    let single = false;
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, single ? 1 : this.#opts.batch);
      const end = this.#metrics.batchSeconds.startTimer();
      try {
        await this.#write(batch);
        end();
        this.#queue.splice(0, batch.length);
        this.#metrics.queued.set(this.#queue.length);
        for (const job of batch) this.#metrics.written.inc({ kind: job.kind });
        if (failures > 0) this.#log.info({ after: failures }, "records are being written again");
        failures = 0;
        rejects = 0;
        single = false;
      } catch (err) {
        this.#metrics.errors.inc();
        const dataError = DATA_ERROR.test(String((err as { code?: unknown }).code ?? ""));
        if (dataError && batch.length > 1) {
          // One bad record must not hold back the rest: write them one at a time until past it.
          single = true;
          continue;
        }
        if (dataError && ++rejects >= this.#opts.maxRejects) {
          this.#queue.splice(0, 1);
          this.#metrics.queued.set(this.#queue.length);
          this.#lose("rejected", batch);
          rejects = 0;
          continue;
        }
        failures++;
        const delay = Math.min(this.#opts.maxBackoffMs, this.#opts.backoffMs * 2 ** Math.min(failures - 1, 20));
        if (failures === 1 || failures % 10 === 0) {
          this.#log.warn({ err, failures, queued: this.#queue.length, retryInMs: delay }, "writing records failed; retrying");
        }
        if (this.#closed) break;
        await this.#sleep(delay);
        if (this.#closed) break;
      }
    }
    this.#running = null;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
      this.#closeWake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  #closeWake: (() => void) | null = null;

  /**
   * Stop taking records and write what waits, for at most `boundMs`. What is still queued then
   * is counted and logged as lost (reason shutdown).
   */
  async close(boundMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), boundMs)));
    const done = await Promise.race([this.flushed().then(() => "done" as const), bound]);
    clearTimeout(timer);
    this.#closed = true;
    this.#closeWake?.();
    if (done === "late" || this.#queue.length > 0) {
      // The drain loop may be inside a write; it stops at its next turn. A batch that was being
      // written may yet land: it is logged as lost too, and writing it again by hand is harmless
      // (writes are idempotent).
      const left = this.#queue.splice(0);
      this.#metrics.queued.set(0);
      this.#lose("shutdown", left);
    }
  }
}
