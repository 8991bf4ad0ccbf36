import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

/**
 * Builds the service worker (src/client/sw.ts) as dist/client/sw.js and writes into it the list
 * of the build's files and a version made from their contents, so a new build is a new sw.js
 * (the browser installs it) with a new cache. A few lines of our own rather than
 * vite-plugin-pwa: that plugin brings Workbox's build tooling (dozens of packages) for what
 * here is one list and one hash, and the worker's strategies are a page of code (sw.ts).
 */
function serviceWorker(): Plugin {
  let publicDir = "";
  return {
    name: "bigtwo:service-worker",
    apply: "build",
    configResolved(config) {
      publicDir = config.publicDir;
    },
    buildStart() {
      this.emitFile({ type: "chunk", id: fileURLToPath(new URL("./src/client/sw.ts", import.meta.url)), fileName: "sw.js" });
    },
    generateBundle: {
      order: "post",
      handler(_options, bundle) {
        const sw = bundle["sw.js"];
        if (!sw || sw.type !== "chunk") this.error("sw.js is missing from the bundle");
        const contents = new Map<string, string | Uint8Array>();
        for (const [name, out] of Object.entries(bundle)) {
          if (name === "sw.js" || name.endsWith(".map")) continue;
          contents.set(name, out.type === "chunk" ? out.code : out.source);
        }
        for (const file of filesUnder(publicDir)) {
          contents.set(relative(publicDir, file).split(sep).join("/"), readFileSync(file));
        }
        const files = [...contents.keys()].sort();
        const hash = createHash("sha256");
        for (const name of files) hash.update(name).update("\0").update(contents.get(name)!).update("\0");
        const precache = JSON.stringify({ version: hash.digest("hex").slice(0, 16), files });
        if (!sw.code.includes("__PRECACHE__")) this.error("sw.js does not read __PRECACHE__");
        sw.code = sw.code.replaceAll("__PRECACHE__", precache);
      },
    },
  };
}

function filesUnder(dir: string): string[] {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// The browser app lives in src/client and imports src/rules, src/protocol and (for practice)
// src/bots from outside that root; the game server serves the build from dist/client.
export default defineConfig({
  root: "src/client",
  // Absolute asset URLs: the records pages live at nested paths (/replay/MATCH/DEAL) that serve
  // the same index.html, where "./assets" would point inside /replay/.
  base: "/",
  plugins: [serviceWorker()],
  build: {
    outDir: "../../dist/client",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
  },
  worker: {
    // The practice worker is a module worker (`new Worker(url, { type: "module" })`).
    format: "es",
  },
  server: {
    port: 5173,
    proxy: {
      "/ws": { target: "ws://127.0.0.1:8080", ws: true },
      "/api": { target: "http://127.0.0.1:8080" },
    },
  },
});
