// A quick look at one server under the throughput load, for A/B runs of a server change: plays/s,
// the server's CPU per delivered frame split into its main thread and its other threads (GC and
// compiler helpers, libuv's pool), user and system time, and (game server) its GCs per kind.
// Usage: node --import tsx bench/tools/cpu-split.ts [ours|relay] [tables=500] [zero|paced]
// BENCH_PROFILE_DIR=dir also writes CPU profiles of the window, the server's and the generator's
// (summarize with profile-top.ts);
// EXTRA_ENV='{"NAME":"value"}' adds server environment. Not pinned by niceness: a rough tool.
import { Gen, startGameServer, startRelay } from "../lib/gen.ts";
import { counters, diffCounters, threadCpu } from "../lib/proc.ts";
import { scrape, value } from "../lib/prom.ts";
import { sleep } from "../lib/stats.ts";
import { LOAD_SETTINGS } from "../plan.ts";

const kind = process.argv[2] ?? "ours";
const tables = Number(process.argv[3] ?? 500);
const mode = (process.argv[4] ?? "zero") as "zero" | "paced";
const extra = JSON.parse(process.env.EXTRA_ENV ?? "{}") as Record<string, string>;
const server =
  kind === "ours"
    ? await startGameServer({ RATE_PER_SECOND: "10000", RATE_BURST: "20000", ...extra })
    : await startRelay({ RELAY_PAD_BYTES: "95", ...extra });
const gen = new Gen();
try {
  if (kind === "ours") await gen.request({ cmd: "open", url: server.url, tables, mode, settings: LOAD_SETTINGS, concurrency: 50 });
  else {
    await gen.request({ cmd: "relayOpen", url: server.url, groups: tables, mode, inBytes: 24, concurrency: 50 });
    await gen.request({ cmd: "relayKick" });
  }
  await sleep(4000);
  const m0 = kind === "ours" ? await scrape(server.url) : null;
  await gen.request({ cmd: "stats" });
  const t0 = threadCpu(server.pid);
  const k0 = counters(server.pid);
  if (process.env.BENCH_PROFILE_DIR) process.kill(server.pid, "SIGWINCH");
  await gen.toggleProfile();
  await sleep(10_000);
  if (process.env.BENCH_PROFILE_DIR) process.kill(server.pid, "SIGWINCH");
  const s = await gen.request({ cmd: "stats" });
  const t1 = threadCpu(server.pid);
  const k = diffCounters(k0, counters(server.pid));
  const m1 = kind === "ours" ? await scrape(server.url) : null;
  // After the figures: the generator stops to write its profile.
  await gen.toggleProfile();
  const per = (seconds: number) => ((seconds * 1e6) / s.framesIn).toFixed(2);
  console.log(
    `${kind}: ${(s.actions / s.seconds).toFixed(0)} plays/s, ${s.framesIn} frames; µs per frame: main thread ${per(t1.main - t0.main)}, ` +
      `other threads ${per(t1.other - t0.other)}, user ${per(k.user)}, system ${per(k.system)}; ` +
      `generator ${s.cpu.toFixed(2)} cores, ${((s.cpu * 1e6) / (s.actions / s.seconds)).toFixed(1)} µs a play`,
  );
  if (m0 && m1) {
    for (const gc of ["minor", "major", "incremental"]) {
      const d = (name: string) => value(m1, name, `kind="${gc}"`) - value(m0, name, `kind="${gc}"`);
      const ms = d("bigtwo_nodejs_gc_duration_seconds_sum");
      console.log(`  gc ${gc}: ${d("bigtwo_nodejs_gc_duration_seconds_count")} in 10 s, ${(ms * 1000).toFixed(0)} ms, ${per(ms)} µs per frame`);
    }
  }
} finally {
  await gen.stop();
  await server.proc.stop();
}
process.exit(0);
