// The world the fault tests break: a migrated database (SQLite, or a PostgreSQL schema when
// TEST_DATABASE_URL is set), one connected shop, the Shopify stand-in in this process reached by the
// app through the relay (so its store survives the app being killed), optionally the Checkout.com
// stand-in holding the shop's account, and the real app: server.ts with the production build and its
// in-process worker (leases of 5 s, so a killed app's work is taken over quickly), in a child
// process this test can kill.
// App processes log to `appLog` (FAULTS_APP_LOGS=1 also prints them): errors are expected here.
import { randomUUID } from "node:crypto";
import { db, setDb } from "../../app/db.server";
import { resetEnvForTests } from "../../app/env.server";
import { JOB_KINDS } from "../../app/queue/jobs.server";
import { appEnv, buildAppIfNeeded, freePort, startAppServer, type AppServer } from "../helpers/app-server";
import { createTestDb, type TestDb } from "../helpers/db";
import type { CheckoutEvent } from "../helpers/event-mix";
import { TEST_API_KEY, TEST_API_SECRET, testEnv } from "../helpers/env";
import { accepted, deliverConcurrently, postSigned, type DeliveryAnswer } from "../helpers/checkout-webhooks";
import { createConnectedShop } from "../helpers/factories";
import { seedOfflineSession } from "../helpers/session-token";
import { SHOPIFY_RELAY_PRELOAD, startShopifyRelay, type ShopifyRelay } from "../helpers/shopify-relay";
import type { BucketConfig } from "../standins/shopify/cost";
import { createCheckoutStandIn, type CheckoutStandIn } from "../standins/checkout/server";
import { nasAccount } from "../standins/checkout/testing";
import { createShopifyStandIn, type ShopifyStandIn } from "../standins/shopify/index";

export interface WorldOptions {
  /** The Shopify bucket per shop (the stand-in's default is the standard plan). */
  bucket?: Partial<BucketConfig>;
  /** Start the Checkout.com stand-in too, holding the shop's account and sending it webhooks. */
  checkout?: boolean;
  /** A PostgreSQL URL for the database, or "" for SQLite; TEST_DATABASE_URL decides by default. */
  postgresUrl?: string;
  /** How long the Shopify stand-in takes to answer each Admin API call (default: at once). */
  shopifyLatencyMs?: number;
}

export async function startWorld(options: WorldOptions = {}) {
  Object.assign(process.env, testEnv);
  resetEnvForTests();
  buildAppIfNeeded();
  const database: TestDb = await createTestDb(options.postgresUrl ?? process.env.TEST_DATABASE_URL);
  setDb(database.client);
  const shopify: ShopifyStandIn = createShopifyStandIn({
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    bucket: options.bucket,
    latencyMs: options.shopifyLatencyMs,
  });
  const relay: ShopifyRelay = await startShopifyRelay(shopify);
  const domain = `faults-${randomUUID().slice(0, 8)}.myshopify.com`;
  const { shop, connection } = await createConnectedShop(domain);
  shopify.store.createShop({ domain });
  await seedOfflineSession(domain, { accessToken: shopify.issueAccessToken(domain).token });

  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const webhookUrl = `${appUrl}/webhooks/checkout/${connection.endpointId}`;
  const appLog: string[] = [];
  let app: AppServer | null = null;
  const checkout: CheckoutStandIn | null = options.checkout
    ? await createCheckoutStandIn({ accounts: [nasAccount({ webhookUrl })], webhooks: { delayMs: 0, retryDelaysMs: [500, 1_000, 2_000, 5_000] } })
    : null;

  /** Starts the app (again) on the same port and database; `env` adds to or overrides its configuration. */
  async function startApp(env: Record<string, string> = {}): Promise<AppServer> {
    app = await startAppServer(
      port,
      // This process's test configuration turns the in-process worker off; the app runs it, as in production.
      appEnv(database.url, {
        WORKER_IN_PROCESS: "true",
        WORKER_LEASE_SECONDS: "5",
        SHOPIFY_RELAY_URL: relay.url,
        ...(checkout ? { CHECKOUT_API_BASE_URL: checkout.url } : {}),
        ...env,
      }),
      {
        imports: [SHOPIFY_RELAY_PRELOAD],
        onStderr: (text) => {
          appLog.push(text);
          if (process.env.FAULTS_APP_LOGS) process.stderr.write(text);
        },
      },
    );
    return app;
  }

  /** POSTs one event, signed like Checkout.com. */
  const deliver = (event: CheckoutEvent) => postSigned(webhookUrl, event);

  /** Delivers events over `connections` parallel connections; the answer per event id. */
  const deliverAll = (events: CheckoutEvent[], connections: number, onAnswer?: (event: CheckoutEvent, answer: DeliveryAnswer) => void) =>
    deliverConcurrently([webhookUrl], events, connections, onAnswer);

  /** Delivers until every event got a 2xx, as Checkout.com retries; returns how many retries it took. */
  async function deliverUntilAccepted(events: CheckoutEvent[], connections: number, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    let left = events;
    let retries = 0;
    for (let round = 0; left.length; round++) {
      if (Date.now() > deadline) throw new Error(`${left.length} events were still refused after ${timeoutMs} ms`);
      if (round > 0) await new Promise((r) => setTimeout(r, 250));
      const answers = await deliverAll(left, connections);
      left = left.filter((e) => !accepted(answers.get(e.id)));
      if (round > 0 || left.length) retries += left.length;
    }
    return retries;
  }

  /**
   * Waits until every inbox event is finished (processed or dead) and every job too, but for jobs
   * scheduled more than 30 s ahead (a payment waiting for its order looks again minutes later) and
   * order checks not yet due: a check runs two minutes after its payment changed, and counting it from
   * 30 s before then stalled a later test's wait on an earlier test's payments (CI, PostgreSQL).
   */
  async function waitUntilSettled(timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = new Date();
      const soon = new Date(now.getTime() + 30_000);
      const [events, unfinished] = await Promise.all([
        db().webhookEvent.count({ where: { status: { in: ["pending", "processing"] } } }),
        db().job.groupBy({
          by: ["kind", "status"],
          where: {
            OR: [
              { status: "processing" },
              { status: "pending", runAt: { lte: now } },
              { status: "pending", runAt: { lte: soon }, NOT: { kind: JOB_KINDS.reconciliationCheck, lastError: null } },
            ],
          },
          _count: true,
        }),
      ]);
      const jobs = unfinished.reduce((sum, group) => sum + group._count, 0);
      if (events + jobs === 0) return;
      if (Date.now() > deadline) {
        const kinds = unfinished.map((group) => `${group._count} ${group.kind} ${group.status}`).join(", ");
        throw new Error(`not settled after ${timeoutMs} ms: ${events} events and ${jobs} jobs unfinished (${kinds})\n${appLog.join("").slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Holds and risk assessments our app put on an order in the stand-in. */
  function ourMarks(orderId: string) {
    const order = shopify.store.requireOrder(orderId);
    return {
      holds: order.fulfillmentOrders.flatMap((fo) => fo.holds).filter((h) => h.appId === shopify.app.id),
      assessments: order.riskAssessments.filter((a) => a.providerAppId === shopify.app.id),
      tags: order.tags,
    };
  }

  return {
    database,
    shopify,
    relay,
    checkout,
    shop,
    connection,
    domain,
    appUrl,
    webhookUrl,
    appLog,
    get app() {
      return app;
    },
    startApp,
    deliver,
    deliverAll,
    deliverUntilAccepted,
    waitUntilSettled,
    ourMarks,
    /** An order in the stand-in: USD 94.00, one open fulfillment order. */
    createOrder: () => shopify.store.createOrder({ shop: domain, email: "ada@example.com" }),
    async close() {
      await app?.stop();
      await relay.close();
      await checkout?.stop();
      setDb(undefined);
      await database.dispose();
    },
  };
}

export type World = Awaited<ReturnType<typeof startWorld>>;

export { accepted, type DeliveryAnswer } from "../helpers/checkout-webhooks";
export { declinedPaymentEvent, orderPayment, paymentEvents, timelineEntriesPerEvent, type CheckoutEvent } from "../helpers/event-mix";
