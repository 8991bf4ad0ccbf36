#!/usr/bin/env node
/* global process, console */
// `npm start` runs this first (prestart): build the browser client only when dist/client is
// missing or older than any source it is built from, so a fresh clone just works and a second
// start costs nothing.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { staleness } from "./stale.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const marker = join(root, "dist/client/index.html");
const sources = ["src/client", "src/rules", "src/protocol", "src/bots", "vite.config.ts", "package-lock.json"];

const force = process.argv.includes("--force");
const { built, stale } = staleness(root, marker, sources);

if (!force && !stale) {
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
