#!/usr/bin/env node
/* global process, console */
// `npm start` runs this first (prestart): build the browser client only when dist/client is
// missing or older than any source it is built from, so a fresh clone just works and a second
// start costs nothing.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const marker = join(root, "dist/client/index.html");
const sources = ["src/client", "src/rules", "src/protocol", "src/bots", "vite.config.ts", "package-lock.json"];

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

const force = process.argv.includes("--force");
const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
const source = Math.max(...sources.map((s) => newest(join(root, s))));

if (!force && built > 0 && built >= source) {
  console.log("client: dist/client is up to date");
  process.exit(0);
}

console.log(built === 0 ? "client: dist/client missing, building…" : "client: sources changed, rebuilding…");
const vite = join(root, "node_modules/vite/bin/vite.js");
if (!existsSync(vite)) {
  // A production install without dev dependencies: start the server anyway (it says the client
  // is missing) rather than refusing to start.
  console.warn("client: vite is not installed (npm ci without dev dependencies?); not building dist/client");
  process.exit(0);
}
const r = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
if (r.status !== 0) {
  console.error("client: vite build failed");
  process.exit(r.status ?? 1);
}
console.log("client: built dist/client");
