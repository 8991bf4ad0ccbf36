// Short sounds, synthesised with Web Audio (no files to fetch, nothing to cache): your turn, a
// play, a pass, a bomb (four of a kind or a straight flush), the clock's last seconds and a
// win. Browsers refuse audio before the page has had a user gesture, and a sound out of
// nowhere is rude anyway: no AudioContext exists until the first pointer or key press.

export type SoundKind = "turn" | "play" | "pass" | "bomb" | "tick" | "win";

interface Note {
  /** Start, seconds after now. */
  at: number;
  freq: number;
  dur: number;
  type: OscillatorType;
  gain: number;
  /** Slide to this frequency over the note. */
  to?: number;
}

const NOTES: Record<SoundKind, Note[]> = {
  play: [{ at: 0, freq: 520, to: 380, dur: 0.07, type: "triangle", gain: 0.25 }],
  pass: [{ at: 0, freq: 240, to: 200, dur: 0.09, type: "sine", gain: 0.18 }],
  turn: [
    { at: 0, freq: 880, dur: 0.12, type: "sine", gain: 0.2 },
    { at: 0.11, freq: 1320, dur: 0.16, type: "sine", gain: 0.18 },
  ],
  bomb: [
    { at: 0, freq: 140, to: 50, dur: 0.35, type: "sawtooth", gain: 0.3 },
    { at: 0.02, freq: 90, to: 40, dur: 0.4, type: "square", gain: 0.15 },
  ],
  tick: [{ at: 0, freq: 1200, dur: 0.035, type: "square", gain: 0.08 }],
  win: [523, 659, 784, 1047].map((freq, i) => ({ at: i * 0.11, freq, dur: 0.16, type: "triangle" as const, gain: 0.22 })),
};

/** What the sounds need of Web Audio (a fake in the tests). */
export interface AudioLike {
  readonly currentTime: number;
  readonly destination: AudioNode;
  createOscillator(): OscillatorNode;
  createGain(): GainNode;
  resume?(): Promise<void>;
}

export interface SoundOptions {
  muted(): boolean;
  /** Makes the audio context; called once, on the first gesture. */
  create?: () => AudioLike | null;
  /** Where the first-gesture listeners go (the document). */
  target?: Pick<EventTarget, "addEventListener" | "removeEventListener"> | null;
}

export class Sound {
  private ctx: AudioLike | null = null;
  private unlocked = false;
  /** Every sound actually started, newest last (bounded): the e2e tests read it. */
  readonly played: SoundKind[] = [];
  private readonly create: () => AudioLike | null;

  constructor(private readonly opts: SoundOptions) {
    this.create =
      opts.create ??
      (() => {
        const Ctor = (globalThis as { AudioContext?: new () => AudioContext }).AudioContext;
        return Ctor ? new Ctor() : null;
      });
    const target = opts.target === undefined ? (typeof document === "undefined" ? null : document) : opts.target;
    if (target) {
      const unlock = () => {
        this.unlock();
        target.removeEventListener("pointerdown", unlock, true);
        target.removeEventListener("keydown", unlock, true);
      };
      target.addEventListener("pointerdown", unlock, true);
      target.addEventListener("keydown", unlock, true);
    }
  }

  get ready(): boolean {
    return this.unlocked;
  }

  /** The first user gesture happened: audio may start. */
  unlock(): void {
    if (this.unlocked) return;
    this.unlocked = true;
    try {
      this.ctx = this.create();
      void this.ctx?.resume?.();
    } catch {
      this.ctx = null; // no audio on this device; the game is the same without it
    }
  }

  play(kind: SoundKind): void {
    if (!this.unlocked || this.opts.muted()) return;
    this.played.push(kind);
    if (this.played.length > 50) this.played.shift();
    const ctx = this.ctx;
    if (!ctx) return;
    const t0 = ctx.currentTime + 0.01;
    for (const n of NOTES[kind]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = n.type;
      osc.frequency.setValueAtTime(n.freq, t0 + n.at);
      if (n.to) osc.frequency.exponentialRampToValueAtTime(n.to, t0 + n.at + n.dur);
      gain.gain.setValueAtTime(0.0001, t0 + n.at);
      gain.gain.exponentialRampToValueAtTime(n.gain, t0 + n.at + 0.008);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n.at + n.dur);
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(t0 + n.at);
      osc.stop(t0 + n.at + n.dur + 0.02);
    }
  }
}

/** Which sound a drawn play makes: a bomb for four of a kind and straight flushes. */
export function soundOfEvent(ev: { type: "play"; combo: { kind: string } } | { type: "pass" }): SoundKind {
  if (ev.type === "pass") return "pass";
  return ev.combo.kind === "fourOfAKind" || ev.combo.kind === "straightFlush" ? "bomb" : "play";
}
