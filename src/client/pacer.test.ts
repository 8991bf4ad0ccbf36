import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Pacer } from "./pacer.ts";

/** A manual clock: timers fire only when the test advances time. */
function clock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let seq = 0;
  return {
    setTimer: (fn: () => void, ms: number) => {
      const id = ++seq;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (id: unknown) => {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        now = next.at;
        next.fn();
      }
      now = end;
    },
  };
}

describe("Pacer", () => {
  test("draws the first item at once and holds each before the next", () => {
    const c = clock();
    const drawn: string[] = [];
    const p = new Pacer<string>({ draw: (x) => (drawn.push(x), 100), ...c });
    p.push("a");
    p.push("b");
    p.push("c");
    assert.deepEqual(drawn, ["a"]);
    c.advance(99);
    assert.deepEqual(drawn, ["a"]);
    c.advance(1);
    assert.deepEqual(drawn, ["a", "b"]);
    c.advance(100);
    assert.deepEqual(drawn, ["a", "b", "c"]);
    assert.equal(p.backlog, 0);
  });

  test("items with no hold are drawn together", () => {
    const c = clock();
    const drawn: string[] = [];
    const p = new Pacer<string>({ draw: (x) => (drawn.push(x), x === "play" ? 100 : 0), ...c });
    p.push("chat");
    p.push("seat");
    p.push("play");
    p.push("chat2");
    assert.deepEqual(drawn, ["chat", "seat", "play"]);
    c.advance(100);
    assert.deepEqual(drawn, ["chat", "seat", "play", "chat2"]);
  });

  test("now() jumps the hold and the queue (your own play shows at once)", () => {
    const c = clock();
    const drawn: string[] = [];
    const p = new Pacer<string>({ draw: (x) => (drawn.push(x), 100), ...c });
    p.push("a");
    p.now("mine");
    assert.deepEqual(drawn, ["a", "mine"]);
  });

  test("reset() forgets the backlog", () => {
    const c = clock();
    const drawn: string[] = [];
    const p = new Pacer<string>({ draw: (x) => (drawn.push(x), 100), ...c });
    p.push("a");
    p.push("b");
    p.reset();
    c.advance(1000);
    assert.deepEqual(drawn, ["a"]);
    assert.equal(p.busy, false);
    p.push("c");
    assert.deepEqual(drawn, ["a", "c"]);
  });

  test("the factor scales holds, a long backlog shortens them, a hidden page skips them", () => {
    const c = clock();
    const drawn: number[] = [];
    const p = new Pacer<number>({ draw: (x) => (drawn.push(x), 100), factor: 0.5, ...c });
    p.push(1);
    p.push(2);
    c.advance(50);
    assert.deepEqual(drawn, [1, 2]);

    const d: number[] = [];
    const q = new Pacer<number>({ draw: (x) => (d.push(x), 100), ...c });
    for (let i = 0; i < 12; i++) q.push(i);
    c.advance(100);
    assert.deepEqual(d, [0, 1]);
    c.advance(25); // 10 still waiting: a quarter of the hold
    assert.deepEqual(d, [0, 1, 2]);

    const e: number[] = [];
    const r = new Pacer<number>({ draw: (x) => (e.push(x), 100), hidden: () => true, ...c });
    r.push(1);
    r.push(2);
    assert.deepEqual(e, [1, 2]);
  });

  test("with maxLagMs no item is drawn later than that after it arrived", () => {
    let now = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const drawnAt: [number, number][] = [];
    const p = new Pacer<{ n: number; at: number }>({
      draw: (x) => (drawnAt.push([x.n, now]), 900),
      setTimer: (fn, ms) => timers.push({ at: now + ms, fn }),
      clearTimer: () => {},
      now: () => now,
      arrivedAt: (x) => x.at,
      maxLagMs: 1000,
    });
    // Four plays arrive 300 ms apart, each wanting 900 ms on screen.
    for (let n = 0; n < 4; n++) {
      now = n * 300;
      p.push({ n, at: now });
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > now) break;
        timers.shift();
        next.fn();
      }
    }
    while (timers.length) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift()!;
      now = next.at;
      next.fn();
    }
    assert.deepEqual(drawnAt.map(([n]) => n), [0, 1, 2, 3], "in order");
    for (const [n, at] of drawnAt) assert.ok(at - n * 300 <= 1000, `item ${n} drawn ${at - n * 300} ms after it arrived`);
    // Without the bound the last would wait 3 × 900 − 900 = 1800 ms.
    assert.ok(drawnAt[3][1] - 900 < 1800);
  });
});
