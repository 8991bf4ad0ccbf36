import { useEffect, useState } from "preact/hooks";

/** Re-render every `ms` while mounted; returns the current time (Date.now clock). */
export function useNow(ms: number, active = true): number {
  const [, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms, active]);
  // The state only schedules re-renders; a render caused by anything else reads the clock too.
  return Date.now();
}

export function seconds(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}` : `${s} s`;
}
