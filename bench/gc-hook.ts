// Preloaded into a server under test (`node --expose-gc --import tsx --import ./bench/gc-hook.ts`)
// so the memory scenario can read the heap after a full GC without any server code: on SIGUSR2
// it collects and prints one `BENCH_MEM {...}` line to stderr. Without --expose-gc it does nothing.
const gc = (globalThis as { gc?: () => void }).gc;
if (typeof gc === "function") {
  process.on("SIGUSR2", () => {
    gc();
    // A second pass after the weak callbacks and finalizers of the first have run.
    setTimeout(() => {
      gc();
      const m = process.memoryUsage();
      process.stderr.write(`BENCH_MEM ${JSON.stringify({ heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
    }, 200);
  });
}
