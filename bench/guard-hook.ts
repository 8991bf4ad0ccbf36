// Preloaded into every process the bench starts: if the orchestrator is gone (killed, crashed),
// the child ends too, so no server or load generator outlives its run.
const parent = Number(process.env.BENCH_PARENT_PID);
if (parent > 0) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 1000).unref();
}
