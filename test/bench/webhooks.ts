// `npm run bench:webhooks`: webhook intake and processing of the production build during a sale.
//   1. starts the app (test/bench/bench-app.ts: the Remix build as production runs it) on a fresh SQLite
//      database, or a PostgreSQL schema when BENCH_DATABASE_URL is set, with one connected shop whose
//      Shopify is the stand-in (answering each call after --shopify-latency ms, Plus plan bucket).
//      Topology: --web=N server processes sharing the load (1) and --workers=M `npm run worker`
//      processes (0: the servers run the in-process worker, as a single-process install does);
//   2. sends a sale (test/bench/sale.ts) at a fixed concurrency for a fixed time, after a short warm-up
//      whose work is drained first: per payment its Shopify order (created in the stand-in and
//      announced with Shopify's signed orders/create and order_transactions/create webhooks), then
//      Checkout.com's payment_approved and payment_captured; 1% of payments are flagged as risky, which the default rules hold;
//   3. measures intake (Checkout.com events accepted/s, acknowledgement latency p50/p99), processing
//      (`processed_per_s`: events accepted divided by the time from the first accepted delivery until
//      the last event was processed and the last due job finished, found by polling the database until
//      no event is waiting and no job is running or due), `jobs_left` (jobs pending or running at the
//      end, including ones scheduled later, but not the reconciliation checks queued ahead on purpose), and for each flagged payment the time from the 200 of its
//      payment_approved to our hold landing in the Shopify stand-in (`hold_p50_ms`, `hold_p99_ms`; a
//      hold never placed counts as infinitely late);
//   4. runs the same load against a bare node:http server that only reads the body and answers 200;
//   5. prints the figures, the targets (issue 15) and a last JSON line; exits 1 when a target is missed
//      (with --speed-targets=report, as CI runs it while issue 15 is open, only when a correctness target is).
// Options: --connections=N (50) --seconds=S (10) --web=N (1) --workers=M (0) --shopify-latency=MS (50)
//          --flagged-share=F (0.01) --warmup-payments=N (200) --drain-limit=S (600)
//          --profile (writes a CPU profile of the first server and prints where its time went).
// WORKER_IN_PROCESS=false without --workers measures intake alone (nothing processes the events).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort, ROOT } from "../helpers/app-server";
import { dueWork, jobsLeft, lastFinishedAt, startBenchApp, statusCounts } from "./bench-app";
import { cpuWindow, type CpuWindow } from "./cpu";
import {
  DELIVERIES_PER_PAYMENT,
  FLAGGED_SHARE,
  percentile,
  saleTraffic,
  SHOPIFY_LATENCY_MS,
  watchAppHolds,
  type Delivery,
  type SalePayment,
  type SaleTraffic,
} from "./sale";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const CONNECTIONS = arg("connections", 50);
const SECONDS = arg("seconds", 10);
const WEB = arg("web", 1);
const WORKERS = arg("workers", 0);
const SHOPIFY_LATENCY = arg("shopify-latency", SHOPIFY_LATENCY_MS);
const FLAGGED = arg("flagged-share", FLAGGED_SHARE);
const WARMUP_PAYMENTS = arg("warmup-payments", 200);
const PROFILE = process.argv.includes("--profile");
/** CI until issue 15's speed targets are met: they are printed, and only correctness fails the run. */
const SPEED_TARGETS_REPORTED = process.argv.includes("--speed-targets=report");
const DRAIN_LIMIT_S = arg("drain-limit", 600);
const INTAKE_ONLY = process.env.WORKER_IN_PROCESS === "false" && WORKERS === 0;

// Issue 15's targets.
const TARGETS = {
  oneProcessProcessedPerS: 1000,
  acceptedPerS: 4000,
  ackP99Ms: 50,
  multiProcessProcessedPerS: 1500,
  holdP50Ms: 300,
  holdP99Ms: 2000,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

interface SenderStats {
  accepted: number;
  rejected: number;
  latencies: number[];
}

interface LoadResult {
  seconds: number;
  /** Checkout.com's deliveries (the intake figures) and Shopify's (orders/create, order_transactions/create). */
  checkout: SenderStats;
  shopify: SenderStats;
  /** Connection errors and timeouts. */
  errors: number;
  payments: number;
  /** Epoch ms of the first 2xx answer. */
  firstAcceptedAt: number | null;
  /** performance.now() of the 2xx to each flagged payment's payment_approved, by order id. */
  flaggedAckAt: Map<string, number>;
  /** Flagged payments whose payment_approved was accepted, by order id. */
  flaggedPayments: Map<string, SalePayment>;
}

interface Connection {
  deliveries: Delivery[];
  sentAt: number;
}

/**
 * Sends the sale over `connections` keep-alive connections spread over `urls` (the web processes),
 * each connection sending a payment's deliveries in turn (orders/create, order_transactions/create,
 * payment_approved, payment_captured), for `seconds` or until `payments` payments were sent.
 */
async function load(urls: string[], connections: number, traffic: SaleTraffic, run: { seconds: number } | { payments: number }): Promise<LoadResult> {
  const result: LoadResult = {
    seconds: "seconds" in run ? run.seconds : NaN,
    checkout: { accepted: 0, rejected: 0, latencies: [] },
    shopify: { accepted: 0, rejected: 0, latencies: [] },
    errors: 0,
    payments: 0,
    firstAcceptedAt: null,
    flaggedAckAt: new Map(),
    flaggedPayments: new Map(),
  };
  const paymentsBefore = traffic.payments;
  const started = performance.now();
  const requests = Array.from({ length: DELIVERIES_PER_PAYMENT }, (_, k) => ({
    method: "POST" as const,
    setupRequest: (request: autocannon.Request, context: Connection) => {
      if (k === 0) context.deliveries = traffic.nextPayment();
      const delivery = context.deliveries[k];
      context.sentAt = performance.now();
      return { ...request, method: "POST" as const, path: delivery.path, headers: delivery.headers, body: delivery.body };
    },
    onResponse: (status: number, _body: string, context: Connection) => {
      const now = performance.now();
      const delivery = context.deliveries[k];
      const stats = delivery.sender === "checkout" ? result.checkout : result.shopify;
      stats.latencies.push(now - context.sentAt);
      if (status < 200 || status >= 300) {
        stats.rejected++;
        return;
      }
      stats.accepted++;
      result.firstAcceptedAt ??= Date.now();
      if (delivery.type === "payment_approved" && delivery.payment?.flagged) {
        result.flaggedAckAt.set(delivery.payment.orderId, now);
        result.flaggedPayments.set(delivery.payment.orderId, delivery.payment);
      }
    },
  }));
  const share = (total: number, i: number) => Math.floor(total / urls.length) + (i < total % urls.length ? 1 : 0);
  const runs = await Promise.all(
    urls.map((url, i) =>
      autocannon({
        url,
        connections: share(connections, i),
        ...("seconds" in run ? { duration: run.seconds } : { amount: share(run.payments, i) * DELIVERIES_PER_PAYMENT }),
        // Types say Request[]; autocannon hands each connection's context to both callbacks.
        requests: requests as unknown as autocannon.Request[],
      }),
    ),
  );
  if (!("seconds" in run)) result.seconds = (performance.now() - started) / 1000;
  result.errors = runs.reduce((sum, r) => sum + r.errors + r.timeouts, 0);
  result.payments = traffic.payments - paymentsBefore;
  return result;
}

const latencyFigures = (latencies: number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
};

/**
 * Polls until no event waits and no job runs or is due (seen twice in a row, so a job that queues
 * another is not taken for the end), or `limitS` passed. `finishedAt`: when the last of that work
 * finished (epoch ms), read from the rows.
 */
async function drainAll(limitS: number, label: string) {
  const started = performance.now();
  let idleOnce = false;
  let lastReport = started;
  for (;;) {
    const { events, jobs } = await dueWork();
    if (events + jobs === 0) {
      if (idleOnce) break;
      idleOnce = true;
      await sleep(20);
      continue;
    }
    idleOnce = false;
    const now = performance.now();
    if (now - started > limitS * 1000) return { drained: false, waitedMs: now - started, finishedAt: null, left: { events, jobs } };
    if (now - lastReport >= 15_000) {
      lastReport = now;
      console.log(`      ${label}: after ${Math.round((now - started) / 1000)} s, ${events} events waiting, ${jobs} jobs running or due`);
    }
    await sleep(100);
  }
  return { drained: true, waitedMs: performance.now() - started, finishedAt: await lastFinishedAt(), left: { events: 0, jobs: 0 } };
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
    const where = url.startsWith("node_modules/")
      ? url
          .split("/")
          .slice(0, url.startsWith("node_modules/@") ? 3 : 2)
          .join("/")
      : url || "(native)";
    const key = `${n.callFrame.functionName || "(anonymous)"}  ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (n.hitCount ?? 0));
    byModule.set(where, (byModule.get(where) ?? 0) + (n.hitCount ?? 0));
  }
  const top = (m: Map<string, number>, count: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
  console.log(`\nCPU profile of the app server (${path.join(dir, file)}): self time by module`);
  console.log(top(byModule, 15).join("\n"));
  console.log("self time by function");
  console.log(top(byFunction, 25).join("\n"));
}

/**
 * Where a flagged payment's hold waited, from the app's own timestamps (p50 of each stage): its
 * payment_approved stored → processed (the event lane), → the hold decided (the review job: queue,
 * matching, rules), → placed in Shopify (the Admin API calls).
 */
async function holdPathStages(app: LoadResult): Promise<string> {
  const flagged = [...app.flaggedPayments.values()].map((p) => p.ckoPaymentId);
  if (!flagged.length) return "";
  const { db } = await import("../../app/db.server");
  const [events, payments] = await Promise.all([
    db().webhookEvent.findMany({
      where: { ckoPaymentId: { in: flagged }, type: "payment_approved" },
      select: { ckoPaymentId: true, receivedAt: true, processedAt: true },
    }),
    db().payment.findMany({ where: { ckoPaymentId: { in: flagged } }, select: { ckoPaymentId: true, hold: { select: { decidedAt: true, heldAt: true } } } }),
  ]);
  const stages: Record<"processed" | "decided" | "held", number[]> = { processed: [], decided: [], held: [] };
  for (const e of events) {
    const hold = payments.find((p) => p.ckoPaymentId === e.ckoPaymentId)?.hold;
    if (!e.processedAt || !hold?.heldAt) continue;
    stages.processed.push(e.processedAt.getTime() - e.receivedAt.getTime());
    stages.decided.push(hold.decidedAt.getTime() - e.processedAt.getTime());
    stages.held.push(hold.heldAt.getTime() - hold.decidedAt.getTime());
  }
  const p50 = (values: number[]) => latencyFigures(values).p50;
  return `      hold path p50: stored → event processed ${p50(stages.processed)} ms, → hold decided ${p50(stages.decided)} ms, → placed in Shopify ${p50(stages.held)} ms`;
}

/** For flagged payments whose order got no hold in Shopify: what the app made of them (order link, hold). */
async function unheldDiagnosis(app: LoadResult, heldAt: Map<string, number>): Promise<string> {
  const missing = [...app.flaggedPayments.values()].filter((p) => !heldAt.has(p.orderId));
  if (!missing.length) return "";
  const { db } = await import("../../app/db.server");
  const payments = await db().payment.findMany({
    where: { ckoPaymentId: { in: missing.map((p) => p.ckoPaymentId) } },
    select: {
      ckoPaymentId: true,
      status: true,
      matchStatus: true,
      orderLink: { select: { orderGid: true, matchedBy: true } },
      hold: { select: { status: true, orderGid: true } },
    },
  });
  const seen: Record<string, number> = {};
  for (const p of missing) {
    const row = payments.find((r) => r.ckoPaymentId === p.ckoPaymentId);
    const what = !row
      ? "no payment"
      : `${row.status}, match ${row.matchStatus}${row.orderLink ? ` by ${row.orderLink.matchedBy}${row.orderLink.orderGid === p.orderId ? "" : " to ANOTHER order"}` : ""}, hold ${row.hold?.status ?? "none"}`;
    seen[what] = (seen[what] ?? 0) + 1;
  }
  return `; not held in Shopify: ${missing.length} (${Object.entries(seen)
    .map(([what, n]) => `${n}× ${what}`)
    .join("; ")})`;
}

const finite = (n: number) => (Number.isFinite(n) ? n : null);

async function main() {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "cko-bench-profile-"));
  const bench = await startBenchApp({
    databaseUrl: process.env.BENCH_DATABASE_URL,
    web: WEB,
    workers: WORKERS,
    shopifyLatencyMs: SHOPIFY_LATENCY,
    env: { ...(INTAKE_ONLY ? { WORKER_IN_PROCESS: "false" } : {}), ...(process.env.SQL_TIMINGS ? { SQL_TIMINGS: process.env.SQL_TIMINGS } : {}) },
    server: PROFILE ? { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] } : {},
  });
  const topology = `${bench.topology.web} web process${bench.topology.web > 1 ? "es" : ""}, ${
    bench.topology.workers
      ? `${bench.topology.workers} worker process${bench.topology.workers > 1 ? "es" : ""}`
      : bench.topology.inProcessWorker
        ? "in-process worker"
        : "no worker (intake only)"
  }`;
  const oneProcess = bench.topology.web === 1 && bench.topology.workers === 0;
  const holds = watchAppHolds(bench.shopify);
  const urls = bench.servers.map((s) => s.url);
  const traffic = saleTraffic(bench, { flaggedShare: FLAGGED });
  let app: LoadResult;
  let drained: Awaited<ReturnType<typeof drainAll>> | null = null;
  let counts: Awaited<ReturnType<typeof statusCounts>>;
  let left = NaN;
  let unheld = "";
  let holdStages = "";
  /** Checkout.com events stored during the load (accepted, and any whose answer the load stopped before reading). */
  let stored = 0;
  /** CPU used from the start of the load until the work was done (or, intake only, the load ended). */
  let cpu: CpuWindow;
  try {
    console.log(
      `app up (production build, ${bench.provider}; ${topology}); Shopify stand-in answers after ${SHOPIFY_LATENCY} ms, Plus bucket; ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`,
    );
    await load(urls, 10, traffic, { payments: WARMUP_PAYMENTS });
    if (!INTAKE_ONLY) {
      const warm = await drainAll(DRAIN_LIMIT_S, "warm-up");
      console.log(
        `warm-up: ${WARMUP_PAYMENTS} payments, their work done ${(warm.waitedMs / 1000).toFixed(1)} s after they were sent${warm.drained ? "" : " (NOT drained)"}`,
      );
    }
    const before = await statusCounts();
    const storedBefore = Object.values(before.events).reduce((a, b) => a + b, 0);
    const window = cpuWindow({
      ...Object.fromEntries(bench.servers.map((s, i) => [`web${i + 1}`, s.child.pid!])),
      ...Object.fromEntries(bench.workers.map((w, i) => [`worker${i + 1}`, w.pid!])),
      "load generator and Shopify stand-in": process.pid,
    });
    app = await load(urls, CONNECTIONS, traffic, { seconds: SECONDS });
    if (!INTAKE_ONLY) drained = await drainAll(DRAIN_LIMIT_S, "processing");
    cpu = window.end();
    counts = await statusCounts();
    stored = Object.values(counts.events).reduce((a, b) => a + b, 0) - storedBefore;
    if (stored < app.checkout.accepted) throw new Error(`accepted ${app.checkout.accepted} events but only ${stored} are stored`);
    left = await jobsLeft();
    unheld = await unheldDiagnosis(app, holds.heldAt);
    holdStages = INTAKE_ONLY ? "" : await holdPathStages(app);
  } finally {
    holds.stop();
    await bench.stop();
  }

  const ack = latencyFigures(app.checkout.latencies);
  const shopifyAck = latencyFigures(app.shopify.latencies);
  const acceptedPerS = app.checkout.accepted / SECONDS;
  const processedPerS =
    drained?.drained && drained.finishedAt !== null && app.firstAcceptedAt !== null ? stored / ((drained.finishedAt - app.firstAcceptedAt) / 1000) : NaN;
  const holdLatencies = [...app.flaggedAckAt].map(([orderId, ackAt]) => {
    const heldAt = holds.heldAt.get(orderId);
    return heldAt === undefined ? Infinity : Math.max(0, heldAt - ackAt);
  });
  const hold = latencyFigures(holdLatencies);
  const holdsPlaced = holdLatencies.filter(Number.isFinite).length;

  console.log(
    `app:  ${app.payments} payments in ${SECONDS}s at ${CONNECTIONS} connections: ${app.checkout.accepted} Checkout.com events accepted = ${Math.round(acceptedPerS)} events/s; ack latency p50 ${ack.p50} ms, p99 ${ack.p99} ms; ` +
      `${app.checkout.rejected} non-2xx, ${app.errors} connection errors`,
  );
  console.log(
    `      Shopify orders/create and order_transactions/create: ${app.shopify.accepted} accepted, ${app.shopify.rejected} non-2xx; ack latency p50 ${shopifyAck.p50} ms, p99 ${shopifyAck.p99} ms`,
  );
  if (drained) {
    console.log(
      drained.drained
        ? `      processing: everything done ${(drained.waitedMs / 1000).toFixed(1)} s after the load ended: ${stored} events in ${((drained.finishedAt! - app.firstAcceptedAt!) / 1000).toFixed(1)} s from the first accepted delivery to the last job finished = ${Math.round(processedPerS)} events/s`
        : `      processing NOT done ${DRAIN_LIMIT_S} s after the load ended (${drained.left.events} events waiting, ${drained.left.jobs} jobs running or due)`,
    );
    console.log(
      `      jobs left (pending or running, scheduled later included): ${left}; events ${JSON.stringify(counts.events)}; jobs ${JSON.stringify(counts.jobs)}, done by kind ${JSON.stringify(counts.jobsDoneByKind)}`,
    );
    console.log(
      `      holds: ${holdsPlaced} of ${holdLatencies.length} flagged payments held; payment_approved acknowledged → hold in Shopify p50 ${hold.p50} ms, p99 ${hold.p99} ms${unheld}`,
    );
    if (holdStages) console.log(holdStages);
  } else {
    console.log("      processing not measured (WORKER_IN_PROCESS=false and no worker process)");
  }

  // What the app's processes cost per event, and how much of the machine they got: on two CPUs shared
  // with the load generator, the stand-in (and PostgreSQL), events per wall second is bounded by the
  // neighbours; events per CPU second of the app is not (decision 0009).
  const appCpuMs = Object.entries(cpu.byProcess)
    .filter(([name]) => name.startsWith("web") || name.startsWith("worker"))
    .reduce((sum, [, ms]) => sum + ms, 0);
  const share = (ms: number) => Math.round((100 * ms) / cpu.machine.total);
  const appCpuMsPerEvent = stored ? appCpuMs / stored : NaN;
  console.log(
    `cpu:  the app's processes used ${(appCpuMs / 1000).toFixed(1)} CPU s = ${appCpuMsPerEvent.toFixed(2)} ms per Checkout.com event (with its share of Shopify's webhooks and every job) = ${Math.round(1000 / appCpuMsPerEvent)} events per CPU second; ` +
      `of the machine's ${cpu.cpus} CPUs over the window: ${Object.entries(cpu.byProcess)
        .map(([name, ms]) => `${name} ${share(ms)}%`)
        .join(", ")}, all busy ${share(cpu.machine.busy)}%`,
  );

  const barePort = await freePort();
  const bare = spawn(
    process.execPath,
    ["-e", `${BARE_SERVER.replace("}).keepAliveTimeout = 65000;", `}).listen(${barePort}, "127.0.0.1").keepAliveTimeout = 65000;`)}`],
    { stdio: "inherit" },
  );
  let bareResult: LoadResult;
  try {
    await sleep(300);
    await load([`http://127.0.0.1:${barePort}`], 10, traffic, { payments: WARMUP_PAYMENTS });
    bareResult = await load([`http://127.0.0.1:${barePort}`], CONNECTIONS, traffic, { seconds: SECONDS });
  } finally {
    await stop(bare);
  }
  const bareAck = latencyFigures(bareResult.checkout.latencies);
  const barePerS = bareResult.checkout.accepted / SECONDS;
  console.log(
    `bare: ${bareResult.checkout.accepted} Checkout.com events answered in ${SECONDS}s = ${Math.round(barePerS)} requests/s; p50 ${bareAck.p50} ms, p99 ${bareAck.p99} ms`,
  );
  const ratio = acceptedPerS / barePerS;
  console.log(`ratio app/bare: ${ratio.toFixed(2)}`);
  if (PROFILE) summarizeProfile(profileDir);
  else fs.rmSync(profileDir, { recursive: true, force: true });

  // Issue 15's targets for this topology: speed (with --speed-targets=report, as in CI until issue 15
  // is done, printed but not failing the run) and correctness (always failing it).
  const targets: Array<{ what: string; met: boolean; speed?: boolean }> = [];
  if (bench.provider === "sqlite" && oneProcess) {
    targets.push({
      what: `accepted ${Math.round(acceptedPerS)} events/s (target ≥ ${TARGETS.acceptedPerS})`,
      met: acceptedPerS >= TARGETS.acceptedPerS,
      speed: true,
    });
    targets.push({ what: `ack p99 ${ack.p99} ms while processing runs (target ≤ ${TARGETS.ackP99Ms})`, met: ack.p99 <= TARGETS.ackP99Ms, speed: true });
  }
  targets.push({
    what: `${app.checkout.rejected + app.shopify.rejected} non-2xx answers and ${app.errors} errors (target 0)`,
    met: app.checkout.rejected + app.shopify.rejected + app.errors === 0,
  });
  if (drained) {
    const processedTarget =
      bench.provider === "sqlite" && oneProcess
        ? TARGETS.oneProcessProcessedPerS
        : bench.provider === "postgresql" && bench.topology.web >= 2 && bench.topology.workers >= 3
          ? TARGETS.multiProcessProcessedPerS
          : null;
    if (processedTarget !== null)
      targets.push({
        what: `processed ${Number.isNaN(processedPerS) ? "(not drained)" : Math.round(processedPerS)} events/s (target ≥ ${processedTarget})`,
        met: processedPerS >= processedTarget,
        speed: true,
      });
    targets.push({ what: `${holdsPlaced} of ${holdLatencies.length} flagged payments held (target all)`, met: holdsPlaced === holdLatencies.length });
    targets.push({ what: `${left} jobs left (target 0)`, met: left === 0 });
    if (holdLatencies.length) {
      targets.push({ what: `hold p50 ${hold.p50} ms (target ≤ ${TARGETS.holdP50Ms})`, met: hold.p50 <= TARGETS.holdP50Ms, speed: true });
      targets.push({ what: `hold p99 ${hold.p99} ms (target ≤ ${TARGETS.holdP99Ms})`, met: hold.p99 <= TARGETS.holdP99Ms, speed: true });
    } else {
      targets.push({ what: `hold latency not measured: no flagged payment among the ${app.payments} of the burst`, met: false, speed: true });
    }
  }
  const missed = targets.filter((t) => !t.met).map((t) => t.what);
  const failing = targets.filter((t) => !t.met && !(t.speed && SPEED_TARGETS_REPORTED)).map((t) => t.what);
  console.log(
    `targets (${bench.provider}, ${topology}): ${targets.map((t) => `${t.met ? "met" : "MISSED"}: ${t.what}`).join("; ") || "none for this topology"}`,
  );
  console.log(missed.length ? `targets missed: ${missed.join("; ")}` : "targets met");
  if (SPEED_TARGETS_REPORTED && failing.length < missed.length)
    console.log("(--speed-targets=report: speed targets are reported, not failing this run; issue 15 is open)");

  console.log(
    JSON.stringify({
      database: bench.provider,
      web: bench.topology.web,
      workers: bench.topology.workers,
      in_process_worker: bench.topology.inProcessWorker,
      accepted_per_s: Math.round(acceptedPerS),
      p50_ms: ack.p50,
      p99_ms: ack.p99,
      processed_per_s: finite(Math.round(processedPerS)),
      jobs_left: drained ? left : null,
      hold_p50_ms: drained ? finite(hold.p50) : null,
      hold_p99_ms: drained ? finite(hold.p99) : null,
      holds_placed: drained ? holdsPlaced : null,
      flagged_payments: holdLatencies.length,
      payments: app.payments,
      events_stored: stored,
      shopify_webhooks_p99_ms: shopifyAck.p99,
      drain_s: drained?.drained ? Number((drained.waitedMs / 1000).toFixed(1)) : null,
      events_left: drained ? drained.left.events : null,
      non_2xx: app.checkout.rejected + app.shopify.rejected,
      errors: app.errors,
      bare_accepted_per_s: Math.round(barePerS),
      bare_p99_ms: bareAck.p99,
      ratio: Number(ratio.toFixed(3)),
      app_cpu_ms_per_event: finite(Number(appCpuMsPerEvent.toFixed(3))),
      app_cpu_share_pct: share(appCpuMs),
      machine_busy_pct: share(cpu.machine.busy),
      shopify_latency_ms: SHOPIFY_LATENCY,
      connections: CONNECTIONS,
      seconds: SECONDS,
      targets_missed: missed,
    }),
  );
  process.exit(failing.length ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
