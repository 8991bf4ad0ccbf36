// What `npm start`'s prestart builds (build-client.mjs, build-server.mjs) share: whether an
// output is missing or older than any source it is built from.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The newest modification time under `path` (0 if it does not exist); node_modules and dot-files are left out. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    max = Math.max(max, newest(join(path, entry)));
  }
  return max;
}

/**
 * `built`: when `marker` (a file the build writes last) was written, 0 if it is missing;
 * `stale`: missing, or older than one of `sources` (paths relative to `root`).
 */
export function staleness(root, marker, sources) {
  const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
  const source = Math.max(...sources.map((s) => newest(join(root, s))));
  return { built, stale: built === 0 || built < source };
}
