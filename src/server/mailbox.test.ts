import { test } from "node:test";
import assert from "node:assert/strict";
import { Mailbox } from "./mailbox.ts";

test("handles messages one at a time, in order, across awaits", async () => {
  const log: string[] = [];
  const box = new Mailbox<number>(
    async (n) => {
      log.push(`start ${n}`);
      await new Promise((r) => setTimeout(r, n === 1 ? 20 : 1));
      log.push(`end ${n}`);
    },
    () => assert.fail("no error expected"),
  );
  box.post(1);
  box.post(2);
  box.post(3);
  await new Promise((r) => setTimeout(r, 60));
  await box.idle();
  assert.deepEqual(log, ["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
});

test("an exception in one message is reported and the next still runs; capacity bounds the queue", async () => {
  const errors: unknown[] = [];
  const seen: number[] = [];
  const box = new Mailbox<number>(
    (n) => {
      if (n === 2) throw new Error("boom");
      seen.push(n);
    },
    (e) => errors.push(e),
    3,
  );
  assert.equal(box.post(1), true);
  assert.equal(box.post(2), true);
  assert.equal(box.post(3), true);
  await box.idle();
  assert.deepEqual(seen, [1, 3]);
  assert.equal(errors.length, 1);
  const slow = new Mailbox<number>(async () => new Promise((r) => setTimeout(r, 5)), () => {}, 2);
  assert.equal(slow.post(1), true); // being handled
  assert.equal(slow.post(2), true);
  assert.equal(slow.post(3), true);
  assert.equal(slow.post(4), false);
  slow.close();
  assert.equal(slow.post(5), false);
});

test("synchronous handlers run within post, one at a time: a message posted from a handler waits its turn", () => {
  const log: string[] = [];
  const box: Mailbox<string> = new Mailbox<string>(
    (m) => {
      log.push(`start ${m}`);
      if (m === "a") box.post("b"); // queued, not handled inside "a"
      log.push(`end ${m}`);
    },
    () => assert.fail("no error expected"),
  );
  box.post("a");
  // No await: both messages were handled before post returned, without a microtask.
  assert.deepEqual(log, ["start a", "end a", "start b", "end b"]);
});

test("a handler's promise holds the mailbox; later messages queue behind it, and a rejection is reported", async () => {
  const log: string[] = [];
  const errors: unknown[] = [];
  let release!: () => void;
  const box = new Mailbox<string>(
    (m) => {
      log.push(m);
      if (m === "slow") return new Promise<void>((r) => (release = r));
      if (m === "bad") return Promise.reject(new Error("bad"));
    },
    (e) => errors.push(e),
  );
  box.post("slow");
  box.post("next");
  assert.deepEqual(log, ["slow"], "next waits for slow's promise");
  release();
  await box.idle();
  assert.deepEqual(log, ["slow", "next"]);
  box.post("bad");
  box.post("after");
  await box.idle();
  assert.deepEqual(log, ["slow", "next", "bad", "after"]);
  assert.equal(errors.length, 1);
});

test("a handler that returns a value that is not a promise has finished; the next message still runs", () => {
  const seen: number[] = [];
  const box = new Mailbox<number>(
    (n) => {
      seen.push(n);
      return n as unknown as void; // e.g. a handler that returns what a reply callback returned
    },
    () => assert.fail("no error expected"),
  );
  box.post(1);
  box.post(2);
  assert.deepEqual(seen, [1, 2]);
  assert.equal(box.post(3), true);
  assert.deepEqual(seen, [1, 2, 3]);
});

test("if onError throws, the mailbox closes and the failure is thrown on its own stack, not at the poster", async () => {
  const uncaught: unknown[] = [];
  const listener = (e: unknown) => uncaught.push(e);
  // node:test reports uncaught exceptions as failures; take this one over for the test.
  const previous = process.listeners("uncaughtException");
  process.removeAllListeners("uncaughtException");
  process.on("uncaughtException", listener);
  try {
    const box = new Mailbox<number>(
      () => {
        throw new Error("handler");
      },
      () => {
        throw new Error("onError");
      },
    );
    assert.doesNotThrow(() => box.post(1));
    assert.equal(box.post(2), false, "a mailbox whose error handling failed takes no more messages");
    await new Promise((r) => setImmediate(r));
    assert.equal(uncaught.length, 1);
    assert.equal((uncaught[0] as Error).message, "onError");
  } finally {
    process.removeListener("uncaughtException", listener);
    for (const l of previous) process.on("uncaughtException", l);
  }
});

test("the control lane is never refused by a full input lane, and keeps its place in the order", async () => {
  const seen: string[] = [];
  let release!: () => void;
  const box = new Mailbox<string>(
    (m) => {
      seen.push(m);
      if (m === "hold") return new Promise<void>((r) => (release = r));
    },
    () => assert.fail("no error expected"),
    2,
  );
  assert.equal(box.post("hold"), true); // handled at once, holds the mailbox
  assert.equal(box.post("in1"), true);
  assert.equal(box.post("in2"), true);
  assert.equal(box.post("in3"), false, "the input lane holds 2");
  assert.equal(box.control("detach"), true, "a control message is queued even so");
  assert.equal(box.post("in4"), false, "control messages do not make room for input");
  release();
  await box.idle();
  assert.deepEqual(seen, ["hold", "in1", "in2", "detach"]);
  // Once drained, the input lane takes messages again; a closed mailbox refuses both lanes.
  assert.equal(box.post("in5"), true);
  box.close();
  assert.equal(box.control("late"), false);
  assert.equal(box.post("late"), false);
});
