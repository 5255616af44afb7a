// `npm run bench`: every benchmark, each in its own process (they set their own environment and
// database), then one JSON line with all figures; exits 1 when one missed a target or failed.
// Webhooks run on SQLite (one process), and on PostgreSQL too (two web and three worker processes)
// when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.
// `--quick` runs smaller loads but keeps the 5-minute soak (memory under sustained load, at 100 events/s);
// `--soak-seconds=N` changes its length.
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const quick = process.argv.includes("--quick");
const soakSeconds = process.argv.find((a) => a.startsWith("--soak-seconds="))?.split("=")[1] ?? "300";
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
// Issue 15's throughput targets are not met yet: with --speed-targets=report (CI) they are printed,
// and only correctness, memory and the other targets fail the run.
const speedTargets = process.argv.includes("--speed-targets=report") ? ["--speed-targets=report"] : [];

const BENCHES: Array<{ name: string; script: string; args: string[]; env?: Record<string, string> }> = [
  { name: "webhooks_sqlite", script: "test/bench/webhooks.ts", args: [...(quick ? ["--seconds=5"] : []), ...speedTargets], env: { BENCH_DATABASE_URL: "" } },
  // PostgreSQL in the topology for many workers: two web processes sharing the load, three worker processes.
  ...(postgresUrl
    ? [
        {
          name: "webhooks_postgres",
          script: "test/bench/webhooks.ts",
          args: [...(quick ? ["--seconds=5"] : []), "--web=2", "--workers=3", ...speedTargets],
          env: { BENCH_DATABASE_URL: postgresUrl },
        },
      ]
    : []),
  { name: "holds", script: "test/bench/holds.ts", args: quick ? ["--latency=20", "--burst=200"] : [] },
  { name: "evidence", script: "test/bench/evidence.ts", args: [] },
  { name: "zendesk", script: "test/bench/zendesk-timeline.ts", args: quick ? ["--payments=100000", "--requests=200"] : [] },
  { name: "reconcile", script: "test/bench/reconcile.ts", args: quick ? ["--lines=10000", "--sweep=20000"] : [] },
  { name: "insights", script: "test/bench/insights.ts", args: quick ? ["--payments=100000", "--requests=100", "--events=2000"] : [] },
  { name: "mcp", script: "test/bench/mcp.ts", args: quick ? ["--payments=20000", "--requests=200"] : [] },
  {
    name: "soak",
    script: "test/bench/soak.ts",
    args: [`--seconds=${soakSeconds}`, ...(quick ? ["--rate=100"] : []), ...speedTargets],
    env: { BENCH_DATABASE_URL: "" },
  },
];

function run(bench: (typeof BENCHES)[number]): Promise<{ code: number; figures: unknown }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", bench.script, ...bench.args], {
      cwd: root,
      env: { ...process.env, ...bench.env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on("exit", (code) => {
      const json = out
        .trim()
        .split("\n")
        .reverse()
        .find((line) => line.startsWith("{"));
      resolve({ code: code ?? 1, figures: json ? JSON.parse(json) : null });
    });
  });
}

const all: Record<string, unknown> = {};
let failed = false;
/**
 * Waits (at most a minute) for the processes of the previous benchmark to wind down, so each one is
 * measured on a machine as quiet as it gets: the 1-minute load average under 1 per CPU.
 */
async function settle() {
  const started = Date.now();
  while (os.loadavg()[0] > os.cpus().length && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 2_000));
  return os.loadavg()[0];
}

for (const bench of BENCHES) {
  const load = await settle();
  console.log(`\n== ${bench.name} (load average ${load.toFixed(2)})`);
  const { code, figures } = await run(bench);
  all[bench.name] = figures;
  if (code !== 0) {
    failed = true;
    console.log(`${bench.name} missed a target or failed (exit ${code})`);
  }
}
console.log(JSON.stringify(all));
process.exit(failed ? 1 : 0);
