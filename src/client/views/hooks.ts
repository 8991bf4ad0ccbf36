import { useEffect, useState } from "preact/hooks";

export { secs as seconds } from "../i18n/index.ts";

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
