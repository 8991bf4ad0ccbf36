import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Config } from "./config.ts";
import type { Metrics } from "./metrics.ts";

/**
 * The page's Content-Security-Policy. The built client (Vite) loads one module script and one
 * stylesheet from its own origin and has no inline script; preact sets styles through the CSSOM,
 * which style-src does not govern. The icon is a data: URL. WebSockets go to this origin, or to
 * another node's (ALLOWED_ORIGINS). e2e/security.e2e.ts loads the built client under it and
 * fails on any violation.
 */
export function contentSecurityPolicy(config: Pick<Config, "allowedOrigins">, cluster: readonly string[] = []): string {
  const origins = [...new Set([...config.allowedOrigins, ...cluster.map((url) => new URL(url).origin)])];
  const sockets = origins.map((o) => o.replace(/^http/, "ws"));
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self' data: blob:",
    `connect-src 'self' ${[...origins, ...sockets].join(" ")}`.trim(),
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Headers on every response of the game port. */
export function securityHeaders(config: Pick<Config, "allowedOrigins">, cluster: readonly string[] = []): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(config, cluster),
    "x-content-type-options": "nosniff",
    // frame-ancestors for browsers that read CSP, X-Frame-Options for the ones that do not.
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
  };
}

/** The game port serves pages and health checks: GET and HEAD (and OPTIONS, answered 204). */
const SERVED = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Wrap the game port's handler: security headers on every answer, and methods it does not serve
 * (TRACE, POST, PUT, ...) refused with 405 before the handler sees them.
 */
export function guarded(
  config: Pick<Config, "allowedOrigins">,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  /** Several nodes: the live nodes' public URLs, whose sockets the page may open (a redirect, a failover). */
  cluster: () => readonly string[] = () => [],
) {
  let headers = Object.entries(securityHeaders(config));
  let nodes = "";
  return (req: IncomingMessage, res: ServerResponse): void => {
    const live = cluster();
    if (live.join(" ") !== nodes) {
      nodes = live.join(" ");
      headers = Object.entries(securityHeaders(config, live));
    }
    for (const [name, value] of headers) res.setHeader(name, value);
    const method = req.method ?? "GET";
    // The records API (/api/...) takes POST and DELETE (sign-in, sign-out); it answers the rest itself.
    if (!SERVED.has(method) && !(req.url ?? "").startsWith("/api/")) {
      res.writeHead(405, { allow: "GET, HEAD, OPTIONS", "content-type": "text/plain" }).end("Method not allowed");
      return;
    }
    if (method === "OPTIONS") {
      res.writeHead(204, { allow: "GET, HEAD, OPTIONS" }).end();
      return;
    }
    handler(req, res);
  };
}

/**
 * /metrics on its own port (METRICS_HOST:METRICS_PORT, loopback by default), so the game port
 * tells nobody on the internet how busy the node is. A port already taken is logged and the node
 * runs without metrics rather than not at all.
 */
export async function startMetricsServer(config: Pick<Config, "metricsHost" | "metricsPort">, metrics: Metrics, log: Logger): Promise<Server | null> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, { "content-type": metrics.registry.contentType });
        res.end(text);
      },
      (err) => {
        log.error({ err }, "metrics failed");
        res.writeHead(500).end();
      },
    );
  });
  server.on("clientError", (_err, socket) => socket.destroy());
  const listening = await new Promise<boolean>((ok) => {
    server.once("error", (err) => {
      log.error({ err, port: config.metricsPort }, "metrics: cannot listen; /metrics is not served");
      ok(false);
    });
    server.listen({ port: config.metricsPort, host: config.metricsHost }, () => ok(true));
  });
  return listening ? server : null;
}
