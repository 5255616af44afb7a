// Bench-only preload (`--import`): on SIGUSR2 the process collects all its garbage and writes what is
// left to stderr as one line, `heap-probe {"heapUsedMb":…}`. The soak reads it: what survives a full
// collection is what a leak keeps, while resident memory also counts the heap's free headroom, the
// allocator's free lists and SQLite's page cache, which grow towards a working size and swing.
import v8 from "node:v8";
import vm from "node:vm";

v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

process.on("SIGUSR2", () => {
  collectGarbage();
  const usage = process.memoryUsage();
  const figures = { heapUsedMb: mb(usage.heapUsed), externalMb: mb(usage.external), arrayBuffersMb: mb(usage.arrayBuffers), rssMb: mb(usage.rss) };
  process.stderr.write(`heap-probe ${JSON.stringify(figures)}\n`);
});
