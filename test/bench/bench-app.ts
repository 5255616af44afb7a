// The app the load benchmarks measure: the production server (server.ts, the Remix build) on a fresh
// database (SQLite, or a PostgreSQL schema when `databaseUrl` is one) with one connected shop whose
// Shopify is the stand-in in this process, reached through the relay, with an offline session, so the
// jobs the events make (payment reviews) talk to a Shopify as they would in production. The worker
// runs in the server process, or in `workers` `npm run worker` processes beside `web` server processes
// (which then run WORKER_IN_PROCESS=false); `separateWorker` is one such worker.
import type { ChildProcess } from "node:child_process";
import { appEnv, buildAppIfNeeded, freePort, startAppServer, startWorkerProcess, type AppServer, type AppServerOptions } from "../helpers/app-server";
import { createTestDb, type TestDb } from "../helpers/db";
import { TEST_API_KEY, TEST_API_SECRET, testEnv } from "../helpers/env";
import { SHOPIFY_RELAY_PRELOAD, startShopifyRelay } from "../helpers/shopify-relay";
import { PLAN_BUCKETS } from "../standins/shopify/cost";
import type { ShopifyStandIn } from "../standins/shopify/index";

export interface BenchAppOptions {
  databaseUrl?: string;
  /** Server processes (server.ts) sharing the load. Default 1. */
  web?: number;
  /** `npm run worker` processes; when there are any, the servers run no worker. Default 0. */
  workers?: number;
  /** One worker process beside the server (same as `workers: 1`). */
  separateWorker?: boolean;
  /** How long the Shopify stand-in takes to answer each call, in ms (real Shopify: about 50). Default 0. */
  shopifyLatencyMs?: number;
  /** More configuration for the app processes. */
  env?: Record<string, string>;
  /** Options of the server process (more `--import`s, node flags, stderr). */
  server?: AppServerOptions;
  onStderr?: (text: string) => void;
}

export interface BenchApp {
  /** The first server process, and all of them. */
  server: AppServer;
  servers: AppServer[];
  /** The first worker process (null when the servers run the worker), and all of them. */
  worker: ChildProcess | null;
  workers: ChildProcess[];
  topology: { web: number; workers: number; inProcessWorker: boolean };
  database: TestDb;
  /** The Shopify stand-in the app reaches through the relay, and the connected shop in it. */
  shopify: ShopifyStandIn;
  shop: { id: string; domain: string };
  /** The shop's Checkout.com webhook URL on the first server; deliveries are signed with SIGNATURE_KEY. */
  webhookUrl: string;
  /** The same path on each server. */
  webhookUrls: string[];
  /** The path of the shop's Checkout.com webhook (on any server). */
  webhookPath: string;
  provider: "sqlite" | "postgresql";
  stop(): Promise<void>;
}

export async function startBenchApp(options: BenchAppOptions = {}): Promise<BenchApp> {
  buildAppIfNeeded();
  // This process writes the database (the shop, its connection, its session) with the app's own code.
  Object.assign(process.env, testEnv, { LOG_LEVEL: "silent" });
  const { resetEnvForTests } = await import("../../app/env.server");
  resetEnvForTests();
  const { setDb } = await import("../../app/db.server");
  const { createShopifyStandIn } = await import("../standins/shopify/index");
  const { createConnectedShop } = await import("../helpers/factories");
  const { seedOfflineSession } = await import("../helpers/session-token");

  const database = await createTestDb(options.databaseUrl ?? "");
  setDb(database.client);
  const shopify = createShopifyStandIn({
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    bucket: PLAN_BUCKETS.plus,
    latencyMs: options.shopifyLatencyMs ?? 0,
  });
  const relay = await startShopifyRelay(shopify);
  const domain = "bench-shop.myshopify.com";
  const { shop, connection } = await createConnectedShop(domain);
  shopify.store.createShop({ domain });
  await seedOfflineSession(domain, { accessToken: shopify.issueAccessToken(domain).token });

  const webCount = Math.max(1, options.web ?? 1);
  const workerCount = options.workers ?? (options.separateWorker ? 1 : 0);
  const env = appEnv(database.url, { WORKER_IN_PROCESS: String(workerCount === 0), SHOPIFY_RELAY_URL: relay.url, ...options.env });
  const processOptions = { ...options.server, imports: [SHOPIFY_RELAY_PRELOAD, ...(options.server?.imports ?? [])], onStderr: options.onStderr };
  const ports = await Promise.all(Array.from({ length: webCount }, () => freePort()));
  const servers = await Promise.all(ports.map((port) => startAppServer(port, env, processOptions)));
  const workers = await Promise.all(
    Array.from({ length: workerCount }, () =>
      startWorkerProcess(env, { imports: processOptions.imports, onStderr: options.onStderr, nodeArgs: options.server?.nodeArgs }),
    ),
  );
  const webhookPath = `/webhooks/checkout/${connection.endpointId}`;
  return {
    server: servers[0],
    servers,
    worker: workers[0] ?? null,
    workers,
    topology: { web: webCount, workers: workerCount, inProcessWorker: env.WORKER_IN_PROCESS !== "false" },
    database,
    shopify,
    shop: { id: shop.id, domain },
    webhookUrl: `${servers[0].url}${webhookPath}`,
    webhookUrls: servers.map((s) => `${s.url}${webhookPath}`),
    webhookPath,
    provider: database.url.startsWith("file:") ? "sqlite" : "postgresql",
    async stop() {
      await Promise.all(
        workers.map((worker) => {
          if (worker.exitCode !== null || worker.signalCode !== null) return;
          const exited = new Promise((resolve) => worker.once("exit", resolve));
          worker.kill("SIGTERM");
          return exited;
        }),
      );
      await Promise.all(servers.map((server) => server.stop()));
      await relay.close();
      setDb(undefined);
      await database.dispose();
    },
  };
}

/** Events Checkout.com delivered that no worker has processed yet. */
export async function inboxBacklog(): Promise<number> {
  const { db } = await import("../../app/db.server");
  return db().webhookEvent.count({ where: { status: { in: ["pending", "processing"] } } });
}

/**
 * Work the app has to do now: inbox events not processed yet (pending or being processed), and jobs
 * running or due (pending with runAt reached). Zero means everything delivered so far is done.
 */
export async function dueWork(now = new Date()): Promise<{ events: number; jobs: number; jobsByKind: Record<string, number> }> {
  const { db } = await import("../../app/db.server");
  const [events, byKind] = await Promise.all([
    inboxBacklog(),
    db().job.groupBy({
      by: ["kind"],
      where: { OR: [{ status: "processing" }, { status: "pending", runAt: { lte: now } }] },
      _count: { _all: true },
    }),
  ]);
  const jobsByKind = Object.fromEntries(byKind.map((row) => [row.kind, row._count._all]));
  return { events, jobs: Object.values(jobsByKind).reduce((sum, n) => sum + n, 0), jobsByKind };
}

/** Jobs done since `since`, by kind. */
export async function jobsDoneSince(since: Date): Promise<Record<string, number>> {
  const { db } = await import("../../app/db.server");
  const byKind = await db().job.groupBy({ by: ["kind"], where: { status: "done", completedAt: { gte: since } }, _count: { _all: true } });
  return Object.fromEntries(byKind.map((row) => [row.kind, row._count._all]));
}

/**
 * Jobs not finished: pending (due or scheduled later) or processing. Not counted: work queued ahead on
 * purpose, not tried yet and not due yet, so no work left behind: a reconciliation check, which each
 * payment change queues two minutes ahead (app/reconciliation/queue.server.ts), and Insights' roll-up,
 * queued for the minute after the change (app/insights/stale.server.ts).
 */
export async function jobsLeft(now = new Date()): Promise<number> {
  const { db } = await import("../../app/db.server");
  return db().job.count({
    where: {
      status: { in: ["pending", "processing"] },
      NOT: { kind: { in: ["reconciliation_check", "insights_rollup"] }, status: "pending", attempts: 0, runAt: { gt: now } },
    },
  });
}

/** When the app last finished something: the latest event processed or job done (epoch ms), or null. */
export async function lastFinishedAt(): Promise<number | null> {
  const { db } = await import("../../app/db.server");
  const [events, jobs] = await Promise.all([db().webhookEvent.aggregate({ _max: { processedAt: true } }), db().job.aggregate({ _max: { completedAt: true } })]);
  const times = [events._max.processedAt, jobs._max.completedAt].filter((t): t is Date => t instanceof Date).map((t) => t.getTime());
  return times.length ? Math.max(...times) : null;
}

/** Rows per status of the inbox and of the job queue. */
export async function statusCounts(): Promise<{ events: Record<string, number>; jobs: Record<string, number>; jobsDoneByKind: Record<string, number> }> {
  const { db } = await import("../../app/db.server");
  const [events, jobs, done] = await Promise.all([
    db().webhookEvent.groupBy({ by: ["status"], _count: { _all: true } }),
    db().job.groupBy({ by: ["status"], _count: { _all: true } }),
    db().job.groupBy({ by: ["kind"], where: { status: "done" }, _count: { _all: true } }),
  ]);
  const counted = <K extends "status" | "kind">(key: K, rows: Array<Record<K, string> & { _count: { _all: number } }>) =>
    Object.fromEntries(rows.map((r) => [r[key], r._count._all]));
  return { events: counted("status", events), jobs: counted("status", jobs), jobsDoneByKind: counted("kind", done) };
}
