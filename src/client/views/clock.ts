import { h } from "preact";
import { useState } from "preact/hooks";
import { secs, t } from "../i18n/index.ts";
import { useNow } from "./hooks.ts";

/**
 * How far into the turn this element was created. Read once per element (the callers key it by
 * deadline): changing animation-delay on a running animation would shift it again on every render.
 */
function useStartDelay(deadline: number, totalMs: number): string {
  const [delay] = useState(() => Math.min(totalMs, Math.max(0, totalMs - (deadline - Date.now()))));
  return `-${delay}ms`;
}

function RingArc(props: { deadline: number; totalMs: number; size: number; r: number; circ: number }) {
  const delay = useStartDelay(props.deadline, props.totalMs);
  const c = props.size / 2;
  return h("circle", {
    class: "ring-fg",
    cx: c,
    cy: c,
    r: props.r,
    style: { strokeDasharray: `${props.circ}`, "--circ": `${props.circ}px`, animationDuration: `${props.totalMs}ms`, animationDelay: delay },
  });
}

/**
 * The turn countdown. The ring drains with a CSS animation (smooth, no per-frame renders),
 * started part-way through when the clock was already running; the seconds tick in text.
 */
export function TurnRing(props: { deadline: number; totalMs: number; size?: number }) {
  const { deadline, totalMs } = props;
  const now = useNow(250);
  const left = Math.max(0, deadline - now);
  const size = props.size ?? 56;
  const r = size / 2 - 3;
  const circ = 2 * Math.PI * r;
  return h(
    "span",
    { class: `turn-ring${left < 5000 ? " urgent" : ""}`, role: "timer", "aria-label": t("clock.left", { n: Math.ceil(left / 1000) }) },
    h(
      "svg",
      { width: size, height: size, viewBox: `0 0 ${size} ${size}`, "aria-hidden": "true" },
      h("circle", { class: "ring-bg", cx: size / 2, cy: size / 2, r }),
      h(RingArc, { key: deadline, deadline, totalMs, size, r, circ }),
    ),
    h("span", { class: "ring-text" }, String(Math.ceil(left / 1000))),
  );
}

function BarFill(props: { deadline: number; totalMs: number }) {
  const delay = useStartDelay(props.deadline, props.totalMs);
  return h("span", { class: "turn-bar-fill", style: { animationDuration: `${props.totalMs}ms`, animationDelay: delay } });
}

/** A bar version for your own turn, above the hand. */
export function TurnBar(props: { deadline: number; totalMs: number }) {
  const { deadline, totalMs } = props;
  const now = useNow(250);
  const left = Math.max(0, deadline - now);
  return h(
    "div",
    { class: `turn-bar${left < 5000 ? " urgent" : ""}`, role: "timer", "aria-label": t("clock.leftToPlay", { n: Math.ceil(left / 1000) }) },
    h(BarFill, { key: deadline, deadline, totalMs }),
  );
}

/** Seconds left, as text that ticks. */
export function SecondsLeft(props: { deadline: number }) {
  const now = useNow(250);
  return h("span", { class: "secs" }, secs(props.deadline - now));
}
