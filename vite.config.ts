import { defineConfig } from "vite";

// The browser app lives in src/client and imports src/rules and src/protocol from outside that
// root; the game server serves the build from dist/client.
export default defineConfig({
  root: "src/client",
  // Absolute asset URLs: the records pages live at nested paths (/replay/MATCH/DEAL) that serve
  // the same index.html, where "./assets" would point inside /replay/.
  base: "/",
  build: {
    outDir: "../../dist/client",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: {
      "/ws": { target: "ws://127.0.0.1:8080", ws: true },
      "/api": { target: "http://127.0.0.1:8080" },
    },
  },
});
