// `node --import tsx test/bench/soak.ts`: memory of the app under sustained load.
// Starts the production server (test/bench/bench-app.ts: server.ts, the Remix build, the in-process
// worker) on a fresh SQLite database (or a PostgreSQL schema when BENCH_DATABASE_URL is set) with one
// connected shop whose Shopify is the stand-in, and sends signed Checkout.com webhooks at a steady rate: card payments (payment_approved, then payment_captured; the worker reviews each one,
// which asks Shopify for its order) and declines. After a warm-up it reads the server's resident
// memory (VmRSS in /proc/<pid>/status) at the start, every `--sample` seconds and at the end.
// Options: --seconds=N measured duration (300) --rate=N events per second (100) --warmup=N (60: the heap grows to its working size in the first minute)
//          --sample=N seconds between readings (15) --max-in-flight=N (256)
//          --separate-worker: the server with WORKER_IN_PROCESS=false and one `npm run worker` process
//            beside it (the topology for sustained load; its memory is reported too)
// Prints the figures and a last JSON line; `runSoak` returns them. Targets (exit 1 when one is missed):
// memory flat, i.e. the least-squares trend of the RSS readings grows by at most 10% of the first
// reading over the run (single readings swing with the garbage collector); the worker keeps up (at
// most 10 seconds of events waiting at the end); every delivery answered 2xx.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { declinedPaymentEvent, orderPayment, paymentEvents, type CheckoutEvent } from "../helpers/event-mix";
import { accepted, postSigned } from "../helpers/checkout-webhooks";
import { inboxBacklog, startBenchApp } from "./bench-app";

export interface SoakOptions {
  seconds?: number;
  rate?: number;
  warmupSeconds?: number;
  sampleSeconds?: number;
  maxInFlight?: number;
  separateWorker?: boolean;
}

export interface SoakFigures {
  seconds: number;
  rate_target: number;
  rate_achieved: number;
  accepted: number;
  non_2xx: number;
  errors: number;
  /** Events the worker had not processed yet when the load stopped. */
  backlog_at_end: number;
  rss_start_mb: number;
  rss_end_mb: number;
  rss_peak_mb: number;
  rss_growth_mb: number;
  rss_growth_pct: number;
  /** Growth over the run of the least-squares line through the readings, % of the first reading. */
  rss_trend_pct: number;
  rss_samples_mb: number[];
  /** The worker process's, with --separate-worker. */
  worker_rss_start_mb?: number;
  worker_rss_end_mb?: number;
  app_errors_logged: number;
}

const TREND_TARGET_PCT = 10;
const BACKLOG_TARGET_SECONDS = 10;

/** Growth over the run of the least-squares line through evenly spaced readings, % of the first. */
function trendPct(samples: number[]): number {
  const n = samples.length;
  const meanX = (n - 1) / 2;
  const meanY = samples.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  samples.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  const slope = den ? num / den : 0;
  return Math.round(((slope * (n - 1)) / samples[0]) * 1000) / 10;
}

/** The targets a soak run missed, in words. */
export function missedTargets(f: SoakFigures): string[] {
  const missed: string[] = [];
  if (f.rss_trend_pct > TREND_TARGET_PCT) missed.push(`memory trend +${f.rss_trend_pct}% (target ≤ ${TREND_TARGET_PCT}%)`);
  if (f.backlog_at_end > f.rate_target * BACKLOG_TARGET_SECONDS) missed.push(`${f.backlog_at_end} events waiting at the end (target ≤ ${f.rate_target * BACKLOG_TARGET_SECONDS})`);
  if (f.errors || f.non_2xx) missed.push(`${f.non_2xx} non-2xx answers and ${f.errors} errors (target 0)`);
  return missed;
}

/** Resident memory of a process, in MB. */
export function residentMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

/** An endless, realistic stream: 70% card payments as two events each, 30% declines. */
function eventStream() {
  let n = 0;
  const queue: CheckoutEvent[] = [];
  return (): CheckoutEvent => {
    if (!queue.length) {
      n++;
      if (n % 10 < 3) queue.push(declinedPaymentEvent(n));
      else queue.push(...paymentEvents(orderPayment(`#S${n}`, n % 10 === 9)));
    }
    return queue.shift()!;
  };
}

export async function runSoak(options: SoakOptions = {}): Promise<SoakFigures> {
  const seconds = options.seconds ?? 300;
  const rate = options.rate ?? 100;
  const warmup = options.warmupSeconds ?? 60;
  const sampleEvery = options.sampleSeconds ?? 15;
  const maxInFlight = options.maxInFlight ?? 256;

  let appErrors = 0;
  const bench = await startBenchApp({
    databaseUrl: process.env.BENCH_DATABASE_URL,
    separateWorker: options.separateWorker,
    env: { LOG_LEVEL: "warn" },
    onStderr: (text) => (appErrors += text.split("\n").filter((line) => line.includes('"level":"error"')).length),
  });
  const { server, worker } = bench;
  const pid = server.child.pid!;
  const url = bench.webhookUrl;
  const next = eventStream();
  const counts = { sent: 0, accepted: 0, non2xx: 0, errors: 0 };
  let inFlight = 0;

  const send = async () => {
    inFlight++;
    counts.sent++;
    const answer = await postSigned(url, next());
    inFlight--;
    if (accepted(answer)) counts.accepted++;
    else if (typeof answer === "number") counts.non2xx++;
    else counts.errors++;
  };

  /** Sends at `rate` per second for `duration` seconds, calling `tick` about every second. */
  async function steady(duration: number, tick: (elapsed: number) => void = () => {}) {
    const started = performance.now();
    let due = 0;
    let lastTick = 0;
    for (;;) {
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= duration) break;
      // Open loop: what is due by now is sent, unless too many are already waiting for an answer.
      for (; due < elapsed * rate; due++) if (inFlight < maxInFlight) void send();
      if (elapsed - lastTick >= 1) {
        lastTick = Math.floor(elapsed);
        tick(elapsed);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  try {
    console.log(
      `soak: production server pid ${pid}${worker ? ` and worker process pid ${worker.pid}` : " with its in-process worker"}, ${rate} events/s; warm-up ${warmup} s, then ${seconds} s measured`,
    );
    await steady(warmup);
    const before = { ...counts };
    const start = residentMb(pid);
    const workerStart = worker ? residentMb(worker.pid!) : undefined;
    const samples = [start];
    let nextSample = sampleEvery;
    await steady(seconds, (elapsed) => {
      if (elapsed < nextSample) return;
      nextSample += sampleEvery;
      samples.push(residentMb(pid));
      console.log(`  ${Math.round(elapsed)} s: RSS ${samples.at(-1)} MB, ${counts.accepted - before.accepted} accepted`);
    });
    const end = residentMb(pid);
    samples.push(end);
    const workerEnd = worker ? residentMb(worker.pid!) : undefined;
    while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
    const backlog = await inboxBacklog();
    const sent = counts.sent - before.sent;
    return {
      seconds,
      rate_target: rate,
      rate_achieved: Math.round(sent / seconds),
      accepted: counts.accepted - before.accepted,
      non_2xx: counts.non2xx - before.non2xx,
      errors: counts.errors - before.errors,
      backlog_at_end: backlog,
      rss_start_mb: start,
      rss_end_mb: end,
      rss_peak_mb: Math.max(...samples),
      rss_growth_mb: Math.round((end - start) * 10) / 10,
      rss_growth_pct: Math.round(((end - start) / start) * 1000) / 10,
      rss_trend_pct: trendPct(samples),
      rss_samples_mb: samples,
      ...(worker ? { worker_rss_start_mb: workerStart, worker_rss_end_mb: workerEnd } : {}),
      app_errors_logged: appErrors,
    };
  } finally {
    await bench.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
  const figures = await runSoak({
    seconds: arg("seconds", 300),
    rate: arg("rate", 100),
    warmupSeconds: arg("warmup", 60),
    sampleSeconds: arg("sample", 15),
    maxInFlight: arg("max-in-flight", 256),
    separateWorker: process.argv.includes("--separate-worker"),
  });
  const missed = missedTargets(figures);
  console.log(
    `RSS ${figures.rss_start_mb} MB at the start, ${figures.rss_end_mb} MB after ${figures.seconds} s (${figures.rss_growth_mb >= 0 ? "+" : ""}${figures.rss_growth_mb} MB; ` +
      `trend ${figures.rss_trend_pct >= 0 ? "+" : ""}${figures.rss_trend_pct}%, target ≤ ${TREND_TARGET_PCT}%; peak ${figures.rss_peak_mb} MB); ${figures.accepted} events accepted at ${figures.rate_achieved}/s, ` +
      `${figures.non_2xx} non-2xx, ${figures.errors} errors, ${figures.backlog_at_end} waiting for the worker at the end` +
      (figures.worker_rss_start_mb === undefined ? "" : `; worker process RSS ${figures.worker_rss_start_mb} → ${figures.worker_rss_end_mb} MB`),
  );
  console.log(missed.length ? `targets missed: ${missed.join("; ")}` : "targets met");
  console.log(JSON.stringify({ bench: "soak", ...figures }));
  process.exit(missed.length ? 1 : 0);
}
