import assert from "node:assert/strict";
import { test } from "node:test";
import { Sound, soundOfEvent, type AudioLike } from "./sound.ts";

function fakeAudio() {
  const started: number[] = [];
  const param = () => ({ setValueAtTime() {}, exponentialRampToValueAtTime() {} });
  const node = () => ({ connect() {} });
  const ctx = {
    currentTime: 0,
    destination: {} as AudioNode,
    createOscillator: () => ({ ...node(), type: "sine", frequency: param(), start: (t: number) => started.push(t), stop() {} }) as unknown as OscillatorNode,
    createGain: () => ({ ...node(), gain: param() }) as unknown as GainNode,
  } satisfies AudioLike;
  return { ctx, started };
}

test("nothing is made or played before the first user gesture; the gesture unlocks it", () => {
  const target = new EventTarget();
  let made = 0;
  const audio = fakeAudio();
  const s = new Sound({ muted: () => false, target, create: () => (made++, audio.ctx) });
  s.play("turn");
  assert.equal(made, 0, "no AudioContext before a gesture");
  assert.deepEqual(s.played, []);
  target.dispatchEvent(new Event("keydown"));
  assert.equal(made, 1);
  s.play("turn");
  s.play("win");
  assert.deepEqual(s.played, ["turn", "win"]);
  assert.equal(audio.started.length, 2 + 4, "two notes for the turn, four for the win");
  target.dispatchEvent(new Event("pointerdown"));
  assert.equal(made, 1, "one context for the page");
});

test("muted plays nothing; unmuted plays again", () => {
  let muted = true;
  const audio = fakeAudio();
  const s = new Sound({ muted: () => muted, target: null, create: () => audio.ctx });
  s.unlock();
  s.play("play");
  assert.equal(audio.started.length, 0);
  muted = false;
  s.play("play");
  assert.equal(audio.started.length, 1);
});

test("bombs are four of a kind and straight flushes", () => {
  assert.equal(soundOfEvent({ type: "play", combo: { kind: "fourOfAKind" } }), "bomb");
  assert.equal(soundOfEvent({ type: "play", combo: { kind: "straightFlush" } }), "bomb");
  assert.equal(soundOfEvent({ type: "play", combo: { kind: "fullHouse" } }), "play");
  assert.equal(soundOfEvent({ type: "pass" }), "pass");
});
