// `npm run cluster` for real: two nodes on free ports sharing the real Redis (REDIS_URL, default
// 127.0.0.1:6379) under a key prefix of their own; one node killed with SIGKILL comes back; SIGTERM
// stops the lot and the script exits 0.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "redis";
import { TestClient } from "../src/server/test-client.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `bt-test-cluster-script-${randomBytes(4).toString("hex")}:`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const free = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });

/** A port p, picked by the system, with p+1 free too. */
async function twoFreePorts(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    if (p < 65535 && (await free(p + 1))) return p;
  }
  throw new Error("no two consecutive free ports");
}

async function ready(url: string): Promise<boolean> {
  try {
    const res = await fetch(url + "/readyz", { signal: AbortSignal.timeout(2000) });
    return res.status === 200 && ((await res.json()) as { ready: boolean }).ready === true;
  } catch {
    return false;
  }
}

async function waitFor(what: string, ms: number, cond: () => boolean | Promise<boolean>): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting: ${what}`);
    await sleep(100);
  }
}

after(async () => {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  for await (const keys of redis.scanIterator({ MATCH: `${PREFIX}*`, COUNT: 500 })) if (keys.length) await redis.del(keys);
  await redis.quit();
});

test("npm run cluster: two nodes answer, a node killed with SIGKILL comes back under its id, SIGTERM stops them all and exits 0", { timeout: 240_000 }, async () => {
  const port = await twoFreePorts();
  const script = spawn(process.execPath, ["--import", "tsx", "scripts/cluster.ts", "--nodes", "2", "--restart-delay-ms", "200"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", REDIS_URL, REDIS_PREFIX: PREFIX, SESSION_SECRET: "", LOG_LEVEL: "warn", LEASE_MS: "1500" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((r) => script.once("exit", (code) => r(code)));
  let output = "";
  script.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const urls = [`http://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`];
  const pidOf = (id: string) => [...output.matchAll(new RegExp(`cluster: ${id} started \\(pid (\\d+)\\)`, "g"))].map((m) => Number(m[1]));
  try {
    await waitFor("both nodes ready", 180_000, async () => (await ready(urls[0])) && (await ready(urls[1])));
    // Each node has its PUBLIC_URL and sees the other: welcome names both.
    // (A node learns of the others at its next lease renewal.)
    await waitFor("welcome to name both nodes", 10_000, async () => {
      const c = await TestClient.player(urls[0], "Mei");
      c.close();
      return JSON.stringify([...(c.welcome.nodes ?? [])].sort()) === JSON.stringify([...urls].sort());
    });
    assert.match(output, new RegExp(`\\[node-${port}\\] Big Two Online on http://127\\.0\\.0\\.1:${port}`), "node lines are prefixed with the node's id");

    const [first] = pidOf(`node-${port + 1}`);
    process.kill(first, "SIGKILL");
    await waitFor("the killed node to be down", 10_000, async () => !(await ready(urls[1])));
    await waitFor("the killed node started again", 30_000, () => pidOf(`node-${port + 1}`).length === 2);
    assert.notEqual(pidOf(`node-${port + 1}`)[1], first, "a new process");
    await waitFor("the restarted node ready", 60_000, () => ready(urls[1]));
    assert.ok(await ready(urls[0]), "the other node kept running");
    assert.match(output, new RegExp(`node-${port + 1} died \\(SIGKILL\\)`));

    script.kill("SIGTERM");
    assert.equal(await exited, 0, "the script exits 0 once every node has drained");
    assert.match(output, /every node has exited/);
    assert.equal(await ready(urls[0]), false);
    assert.equal(await ready(urls[1]), false);
  } finally {
    if (script.exitCode === null) {
      script.kill("SIGKILL");
      for (const id of [`node-${port}`, `node-${port + 1}`]) for (const pid of pidOf(id)) try { process.kill(pid, "SIGKILL"); } catch { /* already gone */ }
    }
  }
});
