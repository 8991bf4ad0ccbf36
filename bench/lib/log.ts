/** Progress lines go to stderr, so `--json` keeps stdout to the one JSON object. */
export type Log = (line: string) => void;

export function stderrLog(): Log {
  const t0 = performance.now();
  return (line) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
}
