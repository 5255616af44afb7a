// Many app instances and workers on one PostgreSQL: two web instances (server.ts, the production build,
// WORKER_IN_PROCESS=false) behind a round-robin "load balancer" take 10,000 signed Checkout.com webhooks
// of two shops, and three `npm run worker` processes (worker.process.ts) process them, while agents ask
// this process for refunds (with double clicks) whose outcomes Checkout.com reports by webhook.
// One worker is killed with SIGKILL a third of the way through. A trigger in the test schema logs
// every lease change (claims, renewals, ends), which proves no event or job was ever owned by two
// workers at once, that the live workers' leases never ran out (they renew them), and that the dead
// worker's leases were taken over after they expired. Each event leaves one timeline entry, each
// risky order exactly one hold in the Shopify stand-in (shared by all workers through the relay), and
// Checkout.com sees each refund once.
import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db, setDb } from "../../app/db.server";
import { resetEnvForTests } from "../../app/env.server";
import { requestMoneyAction } from "../../app/money/actions.server";
import { appEnv, buildAppIfNeeded, freePort, startAppServer, startWorkerProcess, type AppServer } from "../helpers/app-server";
import { accepted, deliverConcurrently } from "../helpers/checkout-webhooks";
import { createTestDb, type TestDb } from "../helpers/db";
import { TEST_API_KEY, TEST_API_SECRET } from "../helpers/env";
import { declinedPaymentEvent, orderPayment, paymentEvents, timelineEntriesPerEvent, type CheckoutEvent } from "../helpers/event-mix";
import { createConnectedShop } from "../helpers/factories";
import { seedOfflineSession } from "../helpers/session-token";
import { SHOPIFY_RELAY_PRELOAD, startShopifyRelay, type ShopifyRelay } from "../helpers/shopify-relay";
import { createCheckoutStandIn, type CheckoutStandIn } from "../standins/checkout/server";
import { nasAccount } from "../standins/checkout/testing";
import { PLAN_BUCKETS } from "../standins/shopify/cost";
import { createShopifyStandIn, type ShopifyStandIn } from "../standins/shopify/index";

const TOTAL_EVENTS = 10_000;
const WORKERS = 3;
const RISKY_PER_SHOP = 50;
const SAFE_PER_SHOP = 50;
/** Shop A's safe payments that agents refund while the workers run. */
const REFUNDS = 40;
const REFUND_AMOUNT = 2_500;
const LEASE_SECONDS = 5;
const WEB_INSTANCES = 2;

// Logs every lease change of the inbox and the job queue, in the order the database made them.
const LEASE_LOG_SQL = `
  CREATE TABLE "LeaseLog" (
    "seq" bigserial PRIMARY KEY, "queue" text NOT NULL, "rowId" text NOT NULL, "what" text NOT NULL,
    "owner" text, "leaseExpiresAt" timestamp(3), "at" timestamp(3) NOT NULL DEFAULT (clock_timestamp() AT TIME ZONE 'UTC'));
  CREATE FUNCTION log_lease() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW."status" = 'processing' AND (OLD."status" <> 'processing' OR OLD."leaseOwner" IS DISTINCT FROM NEW."leaseOwner") THEN
      INSERT INTO "LeaseLog" ("queue", "rowId", "what", "owner", "leaseExpiresAt") VALUES (TG_ARGV[0], NEW."id", 'claim', NEW."leaseOwner", NEW."leaseExpiresAt");
    ELSIF NEW."status" = 'processing' AND OLD."leaseExpiresAt" IS DISTINCT FROM NEW."leaseExpiresAt" THEN
      INSERT INTO "LeaseLog" ("queue", "rowId", "what", "owner", "leaseExpiresAt") VALUES (TG_ARGV[0], NEW."id", 'renew', NEW."leaseOwner", NEW."leaseExpiresAt");
    ELSIF OLD."status" = 'processing' AND NEW."status" <> 'processing' THEN
      INSERT INTO "LeaseLog" ("queue", "rowId", "what", "owner") VALUES (TG_ARGV[0], NEW."id", NEW."status", OLD."leaseOwner");
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER lease_log AFTER UPDATE ON "WebhookEvent" FOR EACH ROW EXECUTE FUNCTION log_lease('event');
  CREATE TRIGGER lease_log AFTER UPDATE ON "Job" FOR EACH ROW EXECUTE FUNCTION log_lease('job');`;

interface LeaseLogRow {
  queue: string;
  rowId: string;
  what: string;
  owner: string | null;
  leaseExpiresAt: Date | null;
  at: Date;
}

let testDb: TestDb;
let schemaClient: pg.Client;
let shopify: ShopifyStandIn;
let shopifyInProcess: ReturnType<ShopifyStandIn["listen"]> | undefined;
let relay: ShopifyRelay;
let checkout: CheckoutStandIn;
const webInstances: AppServer[] = [];
const workers: ChildProcess[] = [];
/** The end of what the workers wrote on stderr (warnings and errors), for a failure's message. */
let workerLog = "";

beforeAll(async () => {
  // The workers need the database's URL, so this file makes its own schema.
  testDb = await createTestDb();
  setDb(testDb.client);
  schemaClient = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await schemaClient.connect();
  await schemaClient.query(`SET search_path TO "${new URL(testDb.url).searchParams.get("schema")}"`);
  await schemaClient.query(LEASE_LOG_SQL);
  shopify = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, bucket: PLAN_BUCKETS.plus });
  relay = await startShopifyRelay(shopify);
  // This process asks Shopify too: agents' refunds first look at the order (app/money).
  shopifyInProcess = shopify.listen();
  checkout = await createCheckoutStandIn({ accounts: [nasAccount()], webhooks: { delayMs: 0, retryDelaysMs: [500, 1_000, 2_000, 5_000] } });
  process.env.CHECKOUT_API_BASE_URL = checkout.url;
  resetEnvForTests();
  buildAppIfNeeded();
  for (let i = 0; i < WEB_INSTANCES; i++) {
    webInstances.push(
      await startAppServer(await freePort(), appProcessEnv({ WORKER_IN_PROCESS: "false" }), { imports: [SHOPIFY_RELAY_PRELOAD], onStderr: keepLog }),
    );
  }
});

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
  shopifyInProcess?.close();
  await Promise.allSettled([...webInstances.map((w) => w.stop()), relay?.close(), checkout?.stop(), schemaClient?.end()]);
  delete process.env.CHECKOUT_API_BASE_URL;
  resetEnvForTests();
  await testDb?.dispose();
});

const keepLog = (text: string) => (workerLog = (workerLog + text).slice(-4000));

/** What every app process (web instance or worker) is started with: the same database, Shopify, Checkout.com. */
const appProcessEnv = (extra: Record<string, string> = {}) =>
  appEnv(testDb.url, { SHOPIFY_RELAY_URL: relay.url, CHECKOUT_API_BASE_URL: checkout.url, WORKER_LEASE_SECONDS: String(LEASE_SECONDS), ...extra });

/** `npm run worker`, with the Shopify relay preloaded. */
async function startWorker(): Promise<ChildProcess> {
  const worker = await startWorkerProcess(appProcessEnv(), { imports: [SHOPIFY_RELAY_PRELOAD], onStderr: keepLog });
  workers.push(worker);
  return worker;
}

async function installShop(domain: string) {
  const { shop, connection } = await createConnectedShop(domain);
  shopify.store.createShop({ domain });
  await seedOfflineSession(domain, { accessToken: shopify.issueAccessToken(domain).token });
  const orders = (n: number) => Array.from({ length: n }, () => shopify.store.createOrder({ shop: domain, email: "ada@example.com" }));
  return { shop, connection, risky: orders(RISKY_PER_SHOP), safe: orders(SAFE_PER_SHOP) };
}

/** Delivers a shop's events through the load balancer (each to the next web instance); every one must be acknowledged. */
async function deliverAll(connection: { endpointId: string }, events: CheckoutEvent[]) {
  const urls = webInstances.map((w) => `${w.url}/webhooks/checkout/${connection.endpointId}`);
  const answers = await deliverConcurrently(urls, events, 16);
  expect(events.filter((e) => !accepted(answers.get(e.id))).map((e) => answers.get(e.id))).toEqual([]);
}

async function until(what: string, done: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the workers said:\n${workerLog}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Replays the lease log: two owners at once, renewals and completions by someone else, and takeovers of expired leases. */
function checkLeases(log: LeaseLogRow[]) {
  const holders = new Map<string, { owner: string; expires: number }>();
  const overlaps: string[] = [];
  const foreignEnds: string[] = [];
  const takeovers: Array<{ rowId: string; from: string; to: string }> = [];
  const completions = new Map<string, number>();
  for (const entry of log) {
    const key = `${entry.queue}:${entry.rowId}`;
    const holder = holders.get(key);
    if (entry.what === "claim") {
      if (holder) {
        // Another claim while held is only allowed once the lease has run out (clocks agree to a few ms).
        if (entry.at.getTime() + 5 < holder.expires) overlaps.push(`${key} claimed by ${entry.owner} while ${holder.owner} held it`);
        else takeovers.push({ rowId: key, from: holder.owner, to: entry.owner! });
      }
      holders.set(key, { owner: entry.owner!, expires: entry.leaseExpiresAt!.getTime() });
    } else if (entry.what === "renew") {
      if (!holder || holder.owner !== entry.owner) foreignEnds.push(`${key} renewed by ${entry.owner}, held by ${holder?.owner}`);
      else holder.expires = entry.leaseExpiresAt!.getTime();
    } else {
      if (!holder || holder.owner !== entry.owner) foreignEnds.push(`${key} ${entry.what} by ${entry.owner}, held by ${holder?.owner}`);
      holders.delete(key);
      if (entry.what === "processed" || entry.what === "done") completions.set(key, (completions.get(key) ?? 0) + 1);
    }
  }
  return { overlaps, foreignEnds, takeovers, completions };
}

it(`${WEB_INSTANCES} web instances and ${WORKERS} worker processes, ${TOTAL_EVENTS} events: each processed once, one hold per risky order, each refund once, a killed worker's leases taken over`, async () => {
  const started = performance.now();
  const a = await installShop("workers-a.myshopify.com");
  const b = await installShop("workers-b.myshopify.com");
  checkout.state.account("shop_a").webhookUrl = `${webInstances[1].url}/webhooks/checkout/${a.connection.endpointId}`;

  // Shop A's first safe payments are known to Checkout.com too: agents refund them during the run.
  const refundable = a.safe.slice(0, REFUNDS).map((o) => orderPayment(o.name, false));
  for (const p of refundable) checkout.state.createPayment({ account: "shop_a", capture: true, ...p });
  const paymentsOf = (shop: typeof a, refunds: typeof refundable = []) => [
    ...shop.risky.flatMap((o) => paymentEvents(orderPayment(o.name, true))),
    ...refunds.flatMap(paymentEvents),
    ...shop.safe.slice(refunds.length).flatMap((o) => paymentEvents(orderPayment(o.name, false))),
  ];
  const eventsA = paymentsOf(a, refundable);
  const eventsB = paymentsOf(b);
  const fillers = TOTAL_EVENTS - eventsA.length - eventsB.length - REFUNDS; // the refunds' webhooks complete the count
  const fillA = Array.from({ length: Math.floor(fillers / 2) }, (_, i) => declinedPaymentEvent(i));
  const fillB = Array.from({ length: fillers - fillA.length }, (_, i) => declinedPaymentEvent(100_000 + i));

  await Promise.all(Array.from({ length: WORKERS }, () => startWorker()));
  const workersUp = performance.now();
  const delivering = performance.now();
  // Delivery goes on while a worker dies: processing keeps pace with it, so once it ends there may
  // be no backlog left for the victim to hold leases on.
  const delivery = Promise.all([deliverAll(a.connection, [...eventsA, ...fillA]), deliverAll(b.connection, [...eventsB, ...fillB])]).then(() =>
    performance.now(),
  );
  delivery.catch(() => {}); // awaited below; a failure then fails the test

  // A third of the way, one worker dies holding leases.
  await until("a third of the events processed", async () => (await db().webhookEvent.count({ where: { status: "processed" } })) >= TOTAL_EVENTS / 3, 120_000);
  // It is frozen first and killed only while it holds some: between batches it may hold none.
  const victim = workers[0];
  const heldBy = (pid: number | undefined) => db().$queryRaw<Array<{ id: string }>>`
      SELECT "id" FROM "WebhookEvent" WHERE "status" = 'processing' AND "leaseOwner" LIKE ${`%:${pid}:%`}
      UNION ALL SELECT "id" FROM "Job" WHERE "status" = 'processing' AND "leaseOwner" LIKE ${`%:${pid}:%`}`;
  let orphaned: Array<{ id: string }> = [];
  await until(
    "the victim frozen while holding leases",
    async () => {
      if (victim.exitCode !== null || victim.signalCode !== null) throw new Error(`the victim exited (${victim.exitCode ?? victim.signalCode}):\n${workerLog}`);
      victim.kill("SIGSTOP");
      orphaned = await heldBy(victim.pid);
      if (orphaned.length === 0) victim.kill("SIGCONT");
      return orphaned.length > 0;
    },
    60_000,
  );
  victim.kill("SIGKILL");
  await new Promise((resolve) => victim.once("exit", resolve));
  const delivered = await delivery;

  // Meanwhile agents refund, each with a double click.
  await until(
    "the refundable payments captured",
    async () => (await db().payment.count({ where: { ckoPaymentId: { in: refundable.map((p) => p.id) }, status: "Captured" } })) === REFUNDS,
    60_000,
  );
  const refunds: Array<Awaited<ReturnType<typeof requestMoneyAction>>> = [];
  let nextRefund = 0;
  const agent = async () => {
    for (let i = nextRefund++; i < REFUNDS; i = nextRefund++) {
      const payment = await db().payment.findFirstOrThrow({ where: { ckoPaymentId: refundable[i].id } });
      const ask = () =>
        requestMoneyAction({
          shopId: a.shop.id,
          paymentId: payment.id,
          kind: "refund",
          amount: REFUND_AMOUNT,
          requestedBy: "agent@example.com",
          source: "zendesk",
          intent: `zendesk:ticket:${i}:refund:${REFUND_AMOUNT}`,
        });
      refunds.push(...(await Promise.all([ask(), ask()])));
    }
  };
  await Promise.all(Array.from({ length: 4 }, agent));
  expect(refunds.every((r) => r.ok)).toBe(true);
  await checkout.webhooks.idle();

  await until(
    "every event and job finished",
    async () => {
      const [events, unfinished, jobs] = await Promise.all([
        db().webhookEvent.count(),
        db().webhookEvent.count({ where: { status: { in: ["pending", "processing"] } } }),
        db().job.count({ where: { OR: [{ status: "processing" }, { status: "pending", runAt: { lte: new Date(Date.now() + 30_000) } }] } }),
      ]);
      return events === TOTAL_EVENTS && unfinished + jobs === 0;
    },
    150_000,
  );
  const finished = performance.now();
  for (const worker of workers.slice(1)) {
    const exited = new Promise<number | null>((resolve) => worker.once("exit", (code) => resolve(code)));
    worker.kill("SIGTERM");
    expect(await exited).toBe(0);
  }

  // Every event processed, once.
  expect(await db().webhookEvent.count({ where: { status: "processed" } })).toBe(TOTAL_EVENTS);
  const timeline = await timelineEntriesPerEvent();
  expect(timeline.size).toBe(TOTAL_EVENTS);
  expect([...timeline.values()].every((n) => n === 1)).toBe(true);
  expect(await db().job.count({ where: { status: "dead" } })).toBe(0);

  // Never two owners at once; the dead worker's leases were taken over once they expired.
  const log = (await schemaClient.query<LeaseLogRow>(`SELECT * FROM "LeaseLog" ORDER BY "seq"`)).rows;
  const leases = checkLeases(log);
  expect(leases.overlaps).toEqual([]);
  expect(leases.foreignEnds).toEqual([]);
  const eventCompletions = [...leases.completions].filter(([key]) => key.startsWith("event:"));
  expect(eventCompletions).toHaveLength(TOTAL_EVENTS);
  expect(eventCompletions.every(([, n]) => n === 1)).toBe(true);
  expect(orphaned.length).toBeGreaterThan(0);
  // Only the dead worker's: the live ones renewed theirs.
  expect(leases.takeovers.filter((t) => !t.from.includes(`:${victim.pid}:`))).toEqual([]);
  const takenOver = new Set(leases.takeovers.map((t) => t.rowId.split(":")[1]));
  expect(orphaned.map((r) => r.id).filter((id) => !takenOver.has(id))).toEqual([]);
  const owners = new Set(log.filter((e) => e.what === "claim").map((e) => e.owner));
  expect(owners.size).toBe(WORKERS);

  // One hold (and one risk assessment) per risky order, none on the others; tenancy kept.
  const ours = (orderId: string) => {
    const order = shopify.store.requireOrder(orderId);
    return {
      holds: order.fulfillmentOrders.flatMap((fo) => fo.holds).filter((h) => h.appId === shopify.app.id).length,
      assessments: order.riskAssessments.filter((r) => r.providerAppId === shopify.app.id).length,
    };
  };
  for (const shop of [a, b]) {
    for (const order of shop.risky) expect({ order: order.id, ...ours(order.id) }).toEqual({ order: order.id, holds: 1, assessments: 1 });
    for (const order of shop.safe) expect(ours(order.id).holds).toBe(0);
    expect(await db().hold.count({ where: { shopId: shop.shop.id, status: "held" } })).toBe(RISKY_PER_SHOP);
    const linked = await db().orderLink.findMany({ where: { shopId: shop.shop.id }, select: { orderGid: true } });
    const own = new Set([...shop.risky, ...shop.safe].map((o) => o.id));
    expect(linked.every((l) => own.has(l.orderGid))).toBe(true);
  }

  // Checkout.com: each refund once, one idempotency key per refund, and nothing else asked of it.
  const actionRequests = checkout.requests.filter((r) => r.method === "POST");
  expect(actionRequests.every((r) => /^\/payments\/[^/]+\/refunds$/.test(r.path))).toBe(true);
  for (const p of refundable) {
    const stored = checkout.state.payments.get(p.id)!;
    expect({ refunded: stored.refunded, refunds: stored.actions.filter((x) => x.type === "Refund").length }).toEqual({ refunded: REFUND_AMOUNT, refunds: 1 });
    expect(new Set(actionRequests.filter((r) => r.path === `/payments/${p.id}/refunds`).map((r) => r.idempotencyKey)).size).toBe(1);
  }
  const actions = await db().moneyAction.findMany({ select: { status: true } });
  expect(actions).toHaveLength(REFUNDS);
  expect(actions.every((x) => x.status === "succeeded")).toBe(true);
  expect(await db().payment.count({ where: { ckoPaymentId: { in: refundable.map((p) => p.id) }, refundedAmount: REFUND_AMOUNT } })).toBe(REFUNDS);

  const calls = relay.calls;
  console.log(
    JSON.stringify({
      web_instances: WEB_INSTANCES,
      workers: WORKERS,
      events: TOTAL_EVENTS,
      webhooks_accepted_per_s_beside_busy_workers: Math.round((TOTAL_EVENTS - REFUNDS) / ((delivered - delivering) / 1000)),
      jobs: await db().job.count(),
      seconds_to_process: Number(((finished - workersUp) / 1000).toFixed(1)),
      events_per_s: Math.round(TOTAL_EVENTS / ((finished - workersUp) / 1000)),
      killed_worker_leases_taken_over: orphaned.length,
      lease_renewals: log.filter((e) => e.what === "renew").length,
      holds: 2 * RISKY_PER_SHOP,
      shopify_calls: calls.length,
      shopify_throttled: calls.filter((c) => c.throttled).length,
      refunds: REFUNDS,
      total_seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    }),
  );
  // The waits above bound each stage (and name it when one runs out); this only bounds their sum.
}, 480_000);
