// `node --import tsx test/bench/soak.ts`: memory of the app under sustained load.
// Starts the production server (test/bench/bench-app.ts: server.ts, the Remix build, the in-process
// worker) on a fresh SQLite database (or a PostgreSQL schema when BENCH_DATABASE_URL is set) with one
// connected shop whose Shopify is the stand-in (answering after 50 ms, Plus bucket), and sends a sale
// (test/bench/sale.ts) at a steady rate of Checkout.com events: card payments (70%: the order is
// created in the stand-in and Shopify's signed orders/create and order_transactions/create are
// delivered just before its payment_approved, then payment_captured; the worker reviews each payment and 1% are held) and
// declines (30%). After a warm-up it reads the server's resident memory (VmRSS in /proc/<pid>/status)
// at the start, every `--sample` seconds and at the end.
// Options: --seconds=N measured duration (300) --rate=N Checkout.com events per second (1000) --warmup=N (150: every kind of work has started, see WARMUP_S)
//          --speed-targets=report: the keeping-up targets are printed but do not fail the run (CI while issue 15 is open)
//          --sample=N seconds between readings (5) --max-in-flight=N (256)
//          --separate-worker: the server with WORKER_IN_PROCESS=false and one `npm run worker` process
//            beside it (the topology for sustained load; its memory is reported too)
// Prints the figures and a last JSON line; `runSoak` returns them. Targets (exit 1 when one is missed):
// no leak, i.e. the server's heap after a full garbage collection (test/bench/heap-probe.preload.ts,
// asked at every reading) and its resident memory each trend up by at most 10% of their first
// minute's value over the run, both measured on the lowest reading of each minute. Without the
// collections resident memory grows for minutes while V8 widens its heap towards a working size (a
// CI run read minute floors 237 → 269 MB while the heap after GC stayed at 47 MB), and single readings
// swing with the collector (233 → 346 → 237 MB within 45 s); what a leak keeps survives every
// collection and lifts every minute's lowest reading, on the heap or, for native memory (SQLite, the
// allocator), in RSS. The worker keeps up (at
// most 10 seconds of events waiting, and of jobs due, at the end); every delivery answered 2xx; the
// rate was really sent (at least 95% of it: no more than --max-in-flight deliveries wait for answers).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CHECK_DELAY_MS } from "../../app/reconciliation/queue.server";
import { accepted, type DeliveryAnswer } from "../helpers/checkout-webhooks";
import { dueWork, jobsDoneSince, startBenchApp } from "./bench-app";
import { postDelivery, saleTraffic, SHOPIFY_LATENCY_MS, type Delivery, type SaleTraffic } from "./sale";

/**
 * The default warm-up: until every kind of work the sale makes is running. The reconciliation checks
 * come due CHECK_DELAY_MS after each payment; with a one-minute warm-up they began inside the measured
 * window and lifted its floors once (heap +4.5%, RSS +7.5% in CI) with nothing kept after.
 */
const WARMUP_S = CHECK_DELAY_MS / 1000 + 30;

const HEAP_PROBE_PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), "heap-probe.preload.ts");

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
  /** Jobs running or due when the load stopped. */
  jobs_due_at_end: number;
  /** Those jobs by kind. */
  jobs_due_by_kind: Record<string, number>;
  /** Jobs done per second while measured (from the end of the warm-up until the figures are read), by kind. */
  jobs_done_per_s_by_kind: Record<string, number>;
  /** Shopify's webhooks (orders/create and order_transactions/create per card payment, not counted in the rate). */
  shopify_webhooks_accepted: number;
  shopify_webhooks_failed: number;
  rss_start_mb: number;
  rss_end_mb: number;
  rss_peak_mb: number;
  rss_growth_mb: number;
  rss_growth_pct: number;
  /** Growth over the run of the least-squares line through all readings, % of the first reading (printed, not a target). */
  rss_trend_pct: number;
  /** The lowest reading of each minute of the run. */
  rss_floor_mb: number[];
  /** Growth over the run of the least-squares line through the minute floors, % of the first floor (the target). */
  rss_floor_trend_pct: number;
  rss_samples_mb: number[];
  /** The server's heap after a full garbage collection, at each reading (test/bench/heap-probe.preload.ts). */
  heap_start_mb: number;
  heap_end_mb: number;
  heap_floor_mb: number[];
  heap_floor_trend_pct: number;
  heap_trend_pct: number;
  heap_samples_mb: number[];
  /** The worker process's, with --separate-worker. */
  worker_rss_start_mb?: number;
  worker_rss_end_mb?: number;
  app_errors_logged: number;
}

const TREND_TARGET_PCT = 10;
/** The window whose lowest RSS reading is its floor. */
const FLOOR_WINDOW_SECONDS = 60;
const BACKLOG_TARGET_SECONDS = 10;
/** The rate the soak must really send at, as a share of --rate. */
const RATE_TARGET_SHARE = 0.95;

/** Growth over the run of the least-squares line through evenly spaced readings, % of the first. */
export function trendPct(samples: number[]): number {
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

/** The lowest of each run of `perWindow` consecutive readings (a last, shorter run counts when at least half full). */
export function floors(samples: number[], perWindow: number): number[] {
  const result: number[] = [];
  for (let i = 0; i < samples.length; i += perWindow) {
    const window = samples.slice(i, i + perWindow);
    if (window.length * 2 >= perWindow || !result.length) result.push(Math.min(...window));
  }
  return result;
}

/**
 * The targets a soak run missed, in words. With `speed: "report"` (CI until issue 15's throughput is
 * met) the keeping-up targets (rate sent, events and jobs waiting) are left to the caller to print:
 * memory and errors still count.
 */
export function missedTargets(f: SoakFigures, options: { speed?: "report" } = {}): string[] {
  const missed: string[] = [];
  const speed = options.speed !== "report";
  // Deliveries are not sent while --max-in-flight of them wait for an answer: an app that cannot keep up gets fewer.
  if (speed && f.rate_achieved < f.rate_target * RATE_TARGET_SHARE)
    missed.push(`sent ${f.rate_achieved} events/s (target ${f.rate_target}: the app kept too many deliveries waiting)`);
  if (f.heap_floor_trend_pct > TREND_TARGET_PCT) missed.push(`heap after GC floor trend +${f.heap_floor_trend_pct}% (target ≤ ${TREND_TARGET_PCT}%)`);
  if (f.rss_floor_trend_pct > TREND_TARGET_PCT) missed.push(`RSS floor trend +${f.rss_floor_trend_pct}% (target ≤ ${TREND_TARGET_PCT}%)`);
  if (speed && f.backlog_at_end > f.rate_target * BACKLOG_TARGET_SECONDS)
    missed.push(`${f.backlog_at_end} events waiting at the end (target ≤ ${f.rate_target * BACKLOG_TARGET_SECONDS})`);
  if (speed && f.jobs_due_at_end > f.rate_target * BACKLOG_TARGET_SECONDS)
    missed.push(`${f.jobs_due_at_end} jobs due at the end (target ≤ ${f.rate_target * BACKLOG_TARGET_SECONDS})`);
  if (f.errors || f.non_2xx || f.shopify_webhooks_failed)
    missed.push(`${f.non_2xx} non-2xx answers, ${f.errors} errors and ${f.shopify_webhooks_failed} Shopify webhooks not accepted (target 0)`);
  return missed;
}

/** Resident memory of a process, in MB. */
export function residentMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

/**
 * An endless sale: 70% card payments (Shopify's two webhooks, then two events), 30% declines. Each
 * item is one Checkout.com event, with the Shopify deliveries to make just before it, if any.
 */
function eventStream(traffic: SaleTraffic) {
  let n = 0;
  const queue: Delivery[] = [];
  return (): { before: Delivery[]; event: Delivery } => {
    if (!queue.length) {
      n++;
      if (n % 10 < 3) queue.push(traffic.declined());
      else queue.push(...traffic.nextPayment());
    }
    const before: Delivery[] = [];
    while (queue[0].sender === "shopify") before.push(queue.shift()!);
    return { before, event: queue.shift()! };
  };
}

export async function runSoak(options: SoakOptions = {}): Promise<SoakFigures> {
  const seconds = options.seconds ?? 300;
  const rate = options.rate ?? 1000;
  const warmup = options.warmupSeconds ?? WARMUP_S;
  const sampleEvery = options.sampleSeconds ?? 5;
  const maxInFlight = options.maxInFlight ?? 256;

  let appErrors = 0;
  let heapProbeAnswer: ((heapUsedMb: number) => void) | null = null;
  const bench = await startBenchApp({
    databaseUrl: process.env.BENCH_DATABASE_URL,
    separateWorker: options.separateWorker,
    shopifyLatencyMs: SHOPIFY_LATENCY_MS,
    env: { LOG_LEVEL: "warn" },
    server: { imports: [HEAP_PROBE_PRELOAD] },
    onStderr: (text) => {
      appErrors += text.split("\n").filter((line) => line.includes('"level":"error"')).length;
      const probe = /^heap-probe (\{.*\})$/m.exec(text);
      if (probe) heapProbeAnswer?.((JSON.parse(probe[1]) as { heapUsedMb: number }).heapUsedMb);
    },
  });
  const { server, worker } = bench;
  const pid = server.child.pid!;
  /** The server's heap after a full garbage collection (test/bench/heap-probe.preload.ts), in MB. */
  const heapAfterGc = () =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the server did not answer the heap probe within 10 s")), 10_000);
      heapProbeAnswer = (mb) => {
        clearTimeout(timer);
        heapProbeAnswer = null;
        resolve(mb);
      };
      process.kill(pid, "SIGUSR2");
    });
  const next = eventStream(saleTraffic(bench));
  const counts = { sent: 0, accepted: 0, non2xx: 0, errors: 0, shopifyAccepted: 0, shopifyFailed: 0 };
  let inFlight = 0;

  const send = async () => {
    inFlight++;
    counts.sent++;
    const { before, event } = next();
    // Shopify's webhooks first, answered, then the payment's first event (as in a sale: the order
    // exists when Checkout.com reports the payment).
    for (const delivery of before) {
      const answer: DeliveryAnswer = await postDelivery(server.url, delivery);
      if (accepted(answer)) counts.shopifyAccepted++;
      else counts.shopifyFailed++;
    }
    const answer = await postDelivery(server.url, event);
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
    const measuredFrom = new Date();
    // Each reading: the heap after a full collection, then RSS (so that it is read after the collection too).
    const heapSamples = [await heapAfterGc()];
    const start = residentMb(pid);
    const workerStart = worker ? residentMb(worker.pid!) : undefined;
    const samples = [start];
    let nextSample = sampleEvery;
    let reading: Promise<void> = Promise.resolve();
    await steady(seconds, (elapsed) => {
      if (elapsed < nextSample) return;
      nextSample += sampleEvery;
      reading = reading.then(async () => {
        heapSamples.push(await heapAfterGc());
        samples.push(residentMb(pid));
        console.log(
          `  ${Math.round(elapsed)} s: RSS ${samples.at(-1)} MB, heap after GC ${heapSamples.at(-1)} MB, ${counts.accepted - before.accepted} accepted`,
        );
      });
    });
    await reading;
    heapSamples.push(await heapAfterGc());
    const end = residentMb(pid);
    samples.push(end);
    const workerEnd = worker ? residentMb(worker.pid!) : undefined;
    const samplesPerWindow = Math.max(1, Math.round(FLOOR_WINDOW_SECONDS / sampleEvery));
    const minuteFloors = floors(samples, samplesPerWindow);
    while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
    const backlog = await dueWork();
    const done = await jobsDoneSince(measuredFrom);
    const measuredSeconds = (Date.now() - measuredFrom.getTime()) / 1000;
    const sent = counts.sent - before.sent;
    return {
      seconds,
      rate_target: rate,
      rate_achieved: Math.round(sent / seconds),
      accepted: counts.accepted - before.accepted,
      non_2xx: counts.non2xx - before.non2xx,
      errors: counts.errors - before.errors,
      backlog_at_end: backlog.events,
      jobs_due_at_end: backlog.jobs,
      jobs_due_by_kind: backlog.jobsByKind,
      jobs_done_per_s_by_kind: Object.fromEntries(Object.entries(done).map(([kind, n]) => [kind, Math.round((10 * n) / measuredSeconds) / 10])),
      shopify_webhooks_accepted: counts.shopifyAccepted - before.shopifyAccepted,
      shopify_webhooks_failed: counts.shopifyFailed - before.shopifyFailed,
      rss_start_mb: start,
      rss_end_mb: end,
      rss_peak_mb: Math.max(...samples),
      rss_growth_mb: Math.round((end - start) * 10) / 10,
      rss_growth_pct: Math.round(((end - start) / start) * 1000) / 10,
      rss_trend_pct: trendPct(samples),
      rss_floor_mb: minuteFloors,
      rss_floor_trend_pct: trendPct(minuteFloors),
      rss_samples_mb: samples,
      heap_start_mb: heapSamples[0],
      heap_end_mb: heapSamples.at(-1)!,
      heap_floor_mb: floors(heapSamples, samplesPerWindow),
      heap_floor_trend_pct: trendPct(floors(heapSamples, samplesPerWindow)),
      heap_trend_pct: trendPct(heapSamples),
      heap_samples_mb: heapSamples,
      ...(worker ? { worker_rss_start_mb: workerStart, worker_rss_end_mb: workerEnd } : {}),
      app_errors_logged: appErrors,
    };
  } finally {
    await bench.stop();
  }
}

/** " (12 reconciliation_check, 3 payment_review)", or nothing when no job was due. */
function describeKinds(byKind: Record<string, number>): string {
  const kinds = Object.entries(byKind).sort(([, a], [, b]) => b - a);
  return kinds.length ? ` (${kinds.map(([kind, n]) => `${n} ${kind}`).join(", ")})` : "";
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const signed = (n: number) => (n >= 0 ? `+${n}` : `${n}`);
  const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
  const figures = await runSoak({
    seconds: arg("seconds", 300),
    rate: arg("rate", 1000),
    warmupSeconds: arg("warmup", WARMUP_S),
    sampleSeconds: arg("sample", 5),
    maxInFlight: arg("max-in-flight", 256),
    separateWorker: process.argv.includes("--separate-worker"),
  });
  const missed = missedTargets(figures);
  const failing = process.argv.includes("--speed-targets=report") ? missedTargets(figures, { speed: "report" }) : missed;
  console.log(
    `RSS ${figures.rss_start_mb} MB at the start, ${figures.rss_end_mb} MB after ${figures.seconds} s (${figures.rss_growth_mb >= 0 ? "+" : ""}${figures.rss_growth_mb} MB; ` +
      `minute floors ${figures.rss_floor_mb.join(", ")} MB, floor trend ${signed(figures.rss_floor_trend_pct)}%, target ≤ ${TREND_TARGET_PCT}%; ` +
      `trend of all readings ${signed(figures.rss_trend_pct)}%; peak ${figures.rss_peak_mb} MB); ` +
      `heap after a full GC ${figures.heap_start_mb} → ${figures.heap_end_mb} MB (minute floors ${figures.heap_floor_mb.join(", ")} MB, floor trend ${signed(figures.heap_floor_trend_pct)}%, trend of all ${signed(figures.heap_trend_pct)}%); ` +
      `${figures.accepted} events accepted at ${figures.rate_achieved}/s, ` +
      `${figures.non_2xx} non-2xx, ${figures.errors} errors, ${figures.shopify_webhooks_accepted} Shopify webhooks accepted (${figures.shopify_webhooks_failed} not), ` +
      `${figures.backlog_at_end} events waiting for the worker and ${figures.jobs_due_at_end} jobs due at the end${describeKinds(figures.jobs_due_by_kind)}, ` +
      `jobs done per second while measured${describeKinds(figures.jobs_done_per_s_by_kind)}` +
      (figures.worker_rss_start_mb === undefined ? "" : `; worker process RSS ${figures.worker_rss_start_mb} → ${figures.worker_rss_end_mb} MB`),
  );
  console.log(missed.length ? `targets missed: ${missed.join("; ")}` : "targets met");
  if (failing.length < missed.length) console.log("(--speed-targets=report: keeping up is reported, not failing this run; issue 15 is open)");
  console.log(JSON.stringify({ bench: "soak", ...figures, targets_missed: missed }));
  process.exit(failing.length ? 1 : 0);
}
