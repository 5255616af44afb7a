// `node --import tsx test/bench/soak.ts`: memory of the app under sustained load.
// Starts the production server (server.ts, the Remix build, the in-process worker) on a fresh SQLite
// database (or a PostgreSQL schema when BENCH_DATABASE_URL is set) with one connected shop whose
// Shopify is the stand-in (reached through the relay), and sends signed Checkout.com webhooks at a
// steady rate: card payments (payment_approved, then payment_captured; the worker reviews each one,
// which asks Shopify for its order) and declines. After a warm-up it reads the server's resident
// memory (VmRSS in /proc/<pid>/status) at the start, every `--sample` seconds and at the end.
// Options: --seconds=N measured duration (300) --rate=N events per second (100) --warmup=N (30)
//          --sample=N seconds between readings (30) --max-in-flight=N (256)
//          --separate-worker: the server with WORKER_IN_PROCESS=false and one `npm run worker` process
//            beside it (the topology for sustained load; its memory is reported too)
// Prints the figures and a last JSON line; `runSoak` returns them. Exits 1 when memory grew by more
// than 20% over the measured run (target: flat).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { signBody } from "../fixtures/checkout-events";
import { appEnv, buildAppIfNeeded, freePort, startAppServer, startWorkerProcess } from "../helpers/app-server";
import { createTestDb } from "../helpers/db";
import { TEST_API_KEY, TEST_API_SECRET, testEnv } from "../helpers/env";
import { declinedPaymentEvent, orderPayment, paymentEvents, type CheckoutEvent } from "../helpers/event-mix";
import { SHOPIFY_RELAY_PRELOAD, startShopifyRelay } from "../helpers/shopify-relay";

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
  rss_samples_mb: number[];
  /** The worker process's, with --separate-worker. */
  worker_rss_start_mb?: number;
  worker_rss_end_mb?: number;
  app_errors_logged: number;
}

const GROWTH_TARGET_PCT = 20;

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
  const warmup = options.warmupSeconds ?? 30;
  const sampleEvery = options.sampleSeconds ?? 30;
  const maxInFlight = options.maxInFlight ?? 256;

  buildAppIfNeeded();
  Object.assign(process.env, testEnv, { LOG_LEVEL: "silent" });
  const { resetEnvForTests } = await import("../../app/env.server");
  resetEnvForTests();
  const { db, setDb } = await import("../../app/db.server");
  const { createShopifyStandIn } = await import("../standins/shopify/index");
  const { createConnectedShop, SIGNATURE_KEY } = await import("../helpers/factories");
  const { seedOfflineSession } = await import("../helpers/session-token");

  const database = await createTestDb(process.env.BENCH_DATABASE_URL);
  setDb(database.client);
  const shopify = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, bucket: { maximumAvailable: 20_000, restoreRate: 1_000 } });
  const relay = await startShopifyRelay(shopify);
  const domain = "soak.myshopify.com";
  const { connection } = await createConnectedShop(domain);
  shopify.store.createShop({ domain });
  await seedOfflineSession(domain, { accessToken: shopify.issueAccessToken(domain).token });

  let appErrors = 0;
  const processOptions = {
    imports: [SHOPIFY_RELAY_PRELOAD],
    onStderr: (text: string) => (appErrors += text.split("\n").filter((line) => line.includes('"level":"error"')).length),
  };
  const env = appEnv(database.url, { WORKER_IN_PROCESS: String(!options.separateWorker), SHOPIFY_RELAY_URL: relay.url, LOG_LEVEL: "warn" });
  const server = await startAppServer(await freePort(), env, processOptions);
  const worker = options.separateWorker ? await startWorkerProcess(env, processOptions) : null;
  const pid = server.child.pid!;
  const url = `${server.url}/webhooks/checkout/${connection.endpointId}`;
  const next = eventStream();
  const counts = { sent: 0, accepted: 0, non2xx: 0, errors: 0 };
  let inFlight = 0;

  const send = async () => {
    const body = JSON.stringify(next());
    inFlight++;
    counts.sent++;
    try {
      const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", "Cko-Signature": signBody(body, SIGNATURE_KEY) }, body });
      await response.arrayBuffer();
      if (response.ok) counts.accepted++;
      else counts.non2xx++;
    } catch {
      counts.errors++;
    } finally {
      inFlight--;
    }
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
    const backlog = await db().webhookEvent.count({ where: { status: { in: ["pending", "processing"] } } });
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
      rss_samples_mb: samples,
      ...(worker ? { worker_rss_start_mb: workerStart, worker_rss_end_mb: workerEnd } : {}),
      app_errors_logged: appErrors,
    };
  } finally {
    if (worker) {
      const exited = new Promise((resolve) => worker.once("exit", resolve));
      worker.kill("SIGTERM");
      await exited;
    }
    await server.stop();
    await relay.close();
    setDb(undefined);
    await database.dispose();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
  const figures = await runSoak({
    seconds: arg("seconds", 300),
    rate: arg("rate", 100),
    warmupSeconds: arg("warmup", 30),
    sampleSeconds: arg("sample", 30),
    maxInFlight: arg("max-in-flight", 256),
    separateWorker: process.argv.includes("--separate-worker"),
  });
  console.log(
    `RSS ${figures.rss_start_mb} MB at the start, ${figures.rss_end_mb} MB after ${figures.seconds} s (${figures.rss_growth_mb >= 0 ? "+" : ""}${figures.rss_growth_mb} MB, ` +
      `${figures.rss_growth_pct}%; peak ${figures.rss_peak_mb} MB; target growth ≤ ${GROWTH_TARGET_PCT}%); ${figures.accepted} events accepted at ${figures.rate_achieved}/s, ` +
      `${figures.non_2xx} non-2xx, ${figures.errors} errors, ${figures.backlog_at_end} waiting for the worker at the end` +
      (figures.worker_rss_start_mb === undefined ? "" : `; worker process RSS ${figures.worker_rss_start_mb} → ${figures.worker_rss_end_mb} MB`),
  );
  console.log(JSON.stringify({ bench: "soak", ...figures }));
  process.exit(figures.rss_growth_pct <= GROWTH_TARGET_PCT && figures.errors === 0 && figures.non_2xx === 0 ? 0 : 1);
}
