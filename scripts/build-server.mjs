#!/usr/bin/env node
/* global process, console */
// `npm start` runs this first (prestart): compile the server to plain JavaScript (dist/node, by
// tsc -p tsconfig.build.json) when it is missing or older than any source it is built from, so
// production runs `node dist/node/server/main.js` with production dependencies only, and a fresh
// clone's `npm install && npm start` still just works.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { staleness } from "./stale.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const marker = join(root, "dist/node/server/main.js");
const sources = ["src/server", "src/rules", "src/protocol", "src/bots", "tsconfig.json", "tsconfig.build.json", "package-lock.json"];

const force = process.argv.includes("--force");
const { built, stale } = staleness(root, marker, sources);

if (!force && !stale) {
  console.log("server: dist/node is up to date");
  process.exit(0);
}

const tsc = join(root, "node_modules/typescript/bin/tsc");
if (!existsSync(tsc)) {
  // A production install (npm ci --omit=dev) has no compiler: it runs what was built before it.
  if (built > 0) {
    console.warn("server: typescript is not installed (npm ci --omit=dev?); running the dist/node built earlier");
    process.exit(0);
  }
  console.error("server: dist/node is missing and typescript is not installed. Build first with dev dependencies:");
  console.error("  npm ci && npm run build && npm prune --omit=dev");
  process.exit(1);
}

console.log(built === 0 ? "server: dist/node missing, building…" : "server: sources changed, rebuilding…");
// A clean output: a source that was deleted must not leave its old module behind.
rmSync(join(root, "dist/node"), { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
if (r.status !== 0) {
  console.error("server: tsc failed");
  process.exit(r.status ?? 1);
}
console.log("server: built dist/node");
