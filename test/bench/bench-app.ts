// The app the load benchmarks measure: the production server (server.ts, the Remix build) on a fresh
// database (SQLite, or a PostgreSQL schema when `databaseUrl` is one) with one connected shop whose
// Shopify is the stand-in in this process, reached through the relay, with an offline session, so the
// jobs the events make (payment reviews) talk to a Shopify as they would in production. The worker
// runs in the server process, or (`separateWorker`) in one `npm run worker` process beside it.
import type { ChildProcess } from "node:child_process";
import { appEnv, buildAppIfNeeded, freePort, startAppServer, startWorkerProcess, type AppServer, type AppServerOptions } from "../helpers/app-server";
import { createTestDb, type TestDb } from "../helpers/db";
import { TEST_API_KEY, TEST_API_SECRET, testEnv } from "../helpers/env";
import { SHOPIFY_RELAY_PRELOAD, startShopifyRelay } from "../helpers/shopify-relay";
import { PLAN_BUCKETS } from "../standins/shopify/cost";

export interface BenchAppOptions {
  databaseUrl?: string;
  separateWorker?: boolean;
  /** More configuration for the app processes. */
  env?: Record<string, string>;
  /** Options of the server process (more `--import`s, node flags, stderr). */
  server?: AppServerOptions;
  onStderr?: (text: string) => void;
}

export interface BenchApp {
  server: AppServer;
  worker: ChildProcess | null;
  database: TestDb;
  /** The shop's Checkout.com webhook URL; deliveries are signed with SIGNATURE_KEY. */
  webhookUrl: string;
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
  const shopify = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, bucket: PLAN_BUCKETS.plus });
  const relay = await startShopifyRelay(shopify);
  const domain = "bench-shop.myshopify.com";
  const { connection } = await createConnectedShop(domain);
  shopify.store.createShop({ domain });
  await seedOfflineSession(domain, { accessToken: shopify.issueAccessToken(domain).token });

  const env = appEnv(database.url, { WORKER_IN_PROCESS: String(!options.separateWorker), SHOPIFY_RELAY_URL: relay.url, ...options.env });
  const processOptions = { ...options.server, imports: [SHOPIFY_RELAY_PRELOAD, ...(options.server?.imports ?? [])], onStderr: options.onStderr };
  const server = await startAppServer(await freePort(), env, processOptions);
  const worker = options.separateWorker ? await startWorkerProcess(env, { imports: processOptions.imports, onStderr: options.onStderr }) : null;
  return {
    server,
    worker,
    database,
    webhookUrl: `${server.url}/webhooks/checkout/${connection.endpointId}`,
    provider: database.url.startsWith("file:") ? "sqlite" : "postgresql",
    async stop() {
      if (worker && worker.exitCode === null) {
        const exited = new Promise((resolve) => worker.once("exit", resolve));
        worker.kill("SIGTERM");
        await exited;
      }
      await server.stop();
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
