// `npm run bench:webhooks`: Checkout.com webhook intake of the production build.
//   1. starts the production server (test/bench/bench-app.ts: the Remix build, the in-process worker on,
//      as in production) on a fresh SQLite database, or a PostgreSQL schema when BENCH_DATABASE_URL is
//      set, with one connected shop whose Shopify is the stand-in;
//   2. sends signed, unique, realistic events (payment_approved then payment_captured per payment) at a
//      fixed concurrency for a fixed time, and prints accepted events/s and p50/p99 acknowledgement
//      latency, then how long the worker takes to process everything that was accepted;
//   3. runs the same load against a bare node:http server that only reads the body and answers 200;
//   4. prints the ratio, and last a JSON line with the figures.
// Options: --connections=N (50) --seconds=S (10) --drain-limit=S (600) --profile (writes a CPU profile
// of the app server and prints where its time went). WORKER_IN_PROCESS=false measures intake alone.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { checkoutEvent, paymentEventData, paymentFixture, signBody } from "../fixtures/checkout-events";
import { freePort, ROOT } from "../helpers/app-server";
import { SIGNATURE_KEY } from "../helpers/factories";
import { inboxBacklog, startBenchApp } from "./bench-app";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const CONNECTIONS = arg("connections", 50);
const SECONDS = arg("seconds", 10);
const PROFILE = process.argv.includes("--profile");
const DRAIN_LIMIT_S = arg("drain-limit", 600);
const INTAKE_ONLY = process.env.WORKER_IN_PROCESS === "false";

function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Unique signed events: for each payment its payment_approved, then its payment_captured. */
function eventSource() {
  const run = crypto.randomBytes(4).toString("hex");
  const templates = (["payment_approved", "payment_captured"] as const).map((type) =>
    JSON.stringify(checkoutEvent(type, paymentEventData(type, paymentFixture({ id: "pay_PAYMENTID" })), { id: "evt_EVENTID" })),
  );
  let n = 0;
  return () => {
    const i = n++;
    const id = (prefix: string, k: number) => `${prefix}_${run}${k.toString(36).padStart(18, "0")}`;
    const body = templates[i % 2].replace("evt_EVENTID", id("evt", i)).replaceAll("pay_PAYMENTID", id("pay", i >> 1));
    return { body, signature: signBody(body, SIGNATURE_KEY) };
  };
}

interface LoadResult {
  accepted: number;
  rejected: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function load(url: string, connections: number, seconds: number): Promise<LoadResult> {
  const next = eventSource();
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          const { body, signature } = next();
          return { ...request, body, headers: { "content-type": "application/json", "cko-signature": signature } };
        },
      },
    ],
  });
  return {
    accepted: result["2xx"],
    rejected: result.non2xx,
    errors: result.errors + result.timeouts,
    perSecond: result["2xx"] / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

async function drain(expected: number) {
  const { db } = await import("../../app/db.server");
  const started = performance.now();
  let left = await inboxBacklog();
  while (left > 0 && performance.now() - started < DRAIN_LIMIT_S * 1000) {
    await new Promise((r) => setTimeout(r, 250));
    left = await inboxBacklog();
  }
  const ms = left === 0 ? performance.now() - started : NaN;
  const counts = async (table: "webhookEvent" | "job") => {
    const rows = await (db()[table] as unknown as { groupBy(args: object): Promise<Array<{ status: string; _count: { _all: number } }>> }).groupBy({ by: ["status"], _count: { _all: true } });
    return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
  };
  const events = await counts("webhookEvent");
  const stored = Object.values(events).reduce((a, b) => a + b, 0);
  if (stored < expected) throw new Error(`accepted ${expected} events but only ${stored} are stored`);
  return { ms, left, counts: events, jobs: await counts("job") };
}

const BARE_SERVER = `
  require("node:http").createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = '{"received":true}';
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length }).end(body);
    });
  }).keepAliveTimeout = 65000;
`;

function summarizeProfile(dir: string) {
  // tsx runs a loader thread with a profile of its own: the main thread's is the largest.
  const file = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .sort((a, b) => fs.statSync(path.join(dir, b)).size - fs.statSync(path.join(dir, a)).size)[0];
  if (!file) return console.log("(no CPU profile was written)");
  const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>;
  };
  const total = profile.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0);
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  for (const n of profile.nodes) {
    const url = n.callFrame.url.replace(/^file:\/\//, "").replace(ROOT + "/", "");
    const where = url.startsWith("node_modules/") ? url.split("/").slice(0, url.startsWith("node_modules/@") ? 3 : 2).join("/") : url || "(native)";
    const key = `${n.callFrame.functionName || "(anonymous)"}  ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (n.hitCount ?? 0));
    byModule.set(where, (byModule.get(where) ?? 0) + (n.hitCount ?? 0));
  }
  const top = (m: Map<string, number>, count: number) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, count).map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
  console.log(`\nCPU profile of the app server (${path.join(dir, file)}): self time by module`);
  console.log(top(byModule, 15).join("\n"));
  console.log("self time by function");
  console.log(top(byFunction, 25).join("\n"));
}

async function main() {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "cko-bench-profile-"));
  const bench = await startBenchApp({
    databaseUrl: process.env.BENCH_DATABASE_URL,
    env: INTAKE_ONLY ? { WORKER_IN_PROCESS: "false" } : {},
    server: PROFILE ? { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] } : {},
  });
  let app: LoadResult;
  let drained: Awaited<ReturnType<typeof drain>>;
  try {
    console.log(`app server up (production build, ${bench.provider}); ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`);
    await load(bench.webhookUrl, 10, 2); // warm-up
    app = await load(bench.webhookUrl, CONNECTIONS, SECONDS);
    // WORKER_IN_PROCESS=false measures intake alone (nothing processes the events).
    drained = INTAKE_ONLY ? { ms: NaN, left: NaN, counts: {}, jobs: {} } : await drain(app.accepted);
  } finally {
    await bench.stop();
  }
  console.log(`app:  ${app.accepted} accepted in ${SECONDS}s at ${CONNECTIONS} connections = ${Math.round(app.perSecond)} events/s; ack latency p50 ${app.p50} ms, p99 ${app.p99} ms; ${app.rejected} non-2xx, ${app.errors} errors`);
  const drainWords = Number.isNaN(drained.left)
    ? "not measured (WORKER_IN_PROCESS=false)"
    : drained.left === 0
      ? `drained ${(drained.ms / 1000).toFixed(1)} s after the load ended`
      : `NOT drained ${DRAIN_LIMIT_S} s after the load ended (${drained.left} events left)`;
  console.log(`      processing ${drainWords}; events ${JSON.stringify(drained.counts)}; jobs ${JSON.stringify(drained.jobs)}`);

  const barePort = await freePort();
  const bare = spawn(process.execPath, ["-e", `${BARE_SERVER.replace("}).keepAliveTimeout = 65000;", `}).listen(${barePort}, "127.0.0.1").keepAliveTimeout = 65000;`)}`], { stdio: "inherit" });
  let bareResult: LoadResult;
  try {
    await new Promise((r) => setTimeout(r, 300));
    await load(`http://127.0.0.1:${barePort}/`, 10, 2);
    bareResult = await load(`http://127.0.0.1:${barePort}/`, CONNECTIONS, SECONDS);
  } finally {
    await stop(bare);
  }
  console.log(`bare: ${bareResult.accepted} answered in ${SECONDS}s = ${Math.round(bareResult.perSecond)} requests/s; p50 ${bareResult.p50} ms, p99 ${bareResult.p99} ms`);
  const ratio = app.perSecond / bareResult.perSecond;
  console.log(`ratio app/bare: ${ratio.toFixed(2)}`);
  if (PROFILE) summarizeProfile(profileDir);
  else fs.rmSync(profileDir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      database: bench.provider,
      accepted_per_s: Math.round(app.perSecond),
      p50_ms: app.p50,
      p99_ms: app.p99,
      drain_s: Number.isNaN(drained.ms) ? null : Number((drained.ms / 1000).toFixed(1)),
      events_left: Number.isNaN(drained.left) ? null : drained.left,
      non_2xx: app.rejected,
      errors: app.errors,
      bare_accepted_per_s: Math.round(bareResult.perSecond),
      bare_p99_ms: bareResult.p99,
      ratio: Number(ratio.toFixed(3)),
      connections: CONNECTIONS,
      seconds: SECONDS,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
