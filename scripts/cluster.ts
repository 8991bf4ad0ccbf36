// `npm run cluster -- [--nodes N] [--public-url-template http://127.0.0.1:<port>]`
// A local cluster: one node per core (or --nodes N) on consecutive ports from PORT (default 8080),
// all sharing REDIS_URL (default redis://127.0.0.1:6379) and one SESSION_SECRET (made here when
// unset). Each node's log lines are prefixed with its id; a node that dies is started again after
// a short delay with the same NODE_ID, so it takes its tables back. SIGTERM/SIGINT are passed to
// every node, and the script exits once they all have.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = `Usage: npm run cluster -- [--nodes N] [--public-url-template URL] [--restart-delay-ms 1000]
  --nodes                nodes to start (default: one per core, here ${availableParallelism()})
  --public-url-template  each node's PUBLIC_URL; <port> is replaced by its port (default http://127.0.0.1:<port>)
  --restart-delay-ms     wait this long before starting a node that died again
Environment: PORT (first node's port, default 8080), REDIS_URL (default redis://127.0.0.1:6379),
SESSION_SECRET (made once and shared when unset); every other variable is passed to the nodes.`;

function fail(message: string): never {
  process.stderr.write(`cluster: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      nodes: { type: "string", default: String(availableParallelism()) },
      "public-url-template": { type: "string", default: "http://127.0.0.1:<port>" },
      "restart-delay-ms": { type: "string", default: "1000" },
      help: { type: "boolean", default: false },
    },
  }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help) {
  process.stdout.write(USAGE + "\n");
  process.exit(0);
}
const int = (name: string, raw: string, min: number, max: number) => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) fail(`Expected ${name} to be a whole number from ${min} to ${max}, got "${raw}".`);
  return n;
};
const count = int("--nodes", values.nodes, 1, 256);
const restartDelayMs = int("--restart-delay-ms", values["restart-delay-ms"], 0, 600000);
const firstPort = int("PORT", process.env.PORT || "8080", 1, 65535 - count + 1);
const metricsBase = int("METRICS_PORT", process.env.METRICS_PORT || "9464", 0, 65535 - count + 1);
const template = values["public-url-template"];
if (!template.includes("<port>") && count > 1) fail(`Expected --public-url-template to contain <port> (each node needs its own URL), got "${template}".`);
const env = {
  ...process.env,
  REDIS_URL: process.env.REDIS_URL || "redis://127.0.0.1:6379",
  SESSION_SECRET: process.env.SESSION_SECRET || randomBytes(24).toString("base64url"),
  // Several nodes keep records only in a shared PostgreSQL (an embedded one belongs to one node).
  RECORDS: process.env.DATABASE_URL ? (process.env.RECORDS ?? "on") : "off",
};

const out = (line: string) => process.stdout.write(line + "\n");
out(`cluster: ${count} node(s) on ports ${firstPort}–${firstPort + count - 1}, Redis ${env.REDIS_URL}`);

// Build the browser client once, as `npm start` does, rather than once per node.
const built = spawnSync(process.execPath, [join(ROOT, "scripts/build-client.mjs")], { cwd: ROOT, stdio: "inherit" });
if (built.status !== 0) process.exit(built.status ?? 1);

interface Node {
  id: string;
  port: number;
  proc: ChildProcess | null;
  restart: NodeJS.Timeout | null;
}

let stopping = false;
/** Whether a node ended badly after we asked them all to stop (the script then exits 1). */
let unclean = false;
let stopSignal: NodeJS.Signals | null = null;
const nodes: Node[] = Array.from({ length: count }, (_, i) => ({ id: `node-${firstPort + i}`, port: firstPort + i, proc: null, restart: null }));

function prefixLines(stream: NodeJS.ReadableStream, tag: string, to: NodeJS.WritableStream): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => to.write(`[${tag}] ${line}\n`));
}

function start(node: Node): void {
  node.restart = null;
  const proc = spawn(process.execPath, ["--single-threaded-gc", "--import", "tsx", join(ROOT, "src/server/main.ts")], {
    cwd: ROOT,
    // Each node's /metrics on a port of its own: METRICS_PORT (default 9464) plus the node's index.
    env: { ...env, PORT: String(node.port), NODE_ID: node.id, PUBLIC_URL: template.replaceAll("<port>", String(node.port)), METRICS_PORT: metricsBase === 0 ? "0" : String(metricsBase + node.port - firstPort) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  node.proc = proc;
  out(`cluster: ${node.id} started (pid ${proc.pid}) on port ${node.port}`);
  prefixLines(proc.stdout!, node.id, process.stdout);
  prefixLines(proc.stderr!, node.id, process.stderr);
  proc.once("exit", (code, signal) => {
    node.proc = null;
    if (stopping) {
      out(`cluster: ${node.id} exited (${signal ?? code})`);
      // A node still starting when the signal came dies of it: it held nothing to hand over.
      if (code !== 0 && signal !== stopSignal) unclean = true;
      if (nodes.every((n) => n.proc === null)) {
        out("cluster: every node has exited");
        process.exit(unclean ? 1 : 0);
      }
      return;
    }
    out(`cluster: ${node.id} died (${signal ?? `exit ${code}`}); starting it again in ${restartDelayMs} ms`);
    node.restart = setTimeout(() => start(node), restartDelayMs);
  });
}

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  stopSignal = signal;
  out(`cluster: ${signal}: stopping ${nodes.filter((n) => n.proc).length} node(s)`);
  for (const node of nodes) {
    if (node.restart) clearTimeout(node.restart);
    node.restart = null;
    node.proc?.kill(signal);
  }
  if (nodes.every((n) => n.proc === null)) process.exit(0);
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));

for (const node of nodes) start(node);
