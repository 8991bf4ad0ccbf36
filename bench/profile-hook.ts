// Preloaded into a server under test when `npm run bench -- --profile` asks for CPU profiles:
// SIGWINCH starts the V8 profiler and the next SIGWINCH writes the profile of just that window
// to BENCH_PROFILE_DIR, so start-up and ramp-up stay out of it.
import { Session } from "node:inspector";
import { mkdirSync, writeFileSync } from "node:fs";

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let n = 0;
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  process.on("SIGWINCH", () => {
    void (async () => {
      if (!running) {
        running = true;
        await post("Profiler.enable");
        await post("Profiler.setSamplingInterval", { interval: 100 });
        await post("Profiler.start");
        return;
      }
      running = false;
      const { profile } = (await post("Profiler.stop")) as { profile: unknown };
      mkdirSync(dir, { recursive: true });
      const file = `${dir}/${process.env.BENCH_PROFILE_NAME ?? "server"}-${process.pid}-${n++}.cpuprofile`;
      writeFileSync(file, JSON.stringify(profile));
      process.stderr.write(`BENCH_PROFILE ${file}\n`);
    })();
  });
}
