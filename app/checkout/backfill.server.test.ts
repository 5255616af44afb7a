// The import from Checkout.com on connect, against both stand-ins, through the queue as it runs in
// production: open disputes synced, the payments of the last 30 days of indexed orders recorded and
// matched (held only while their order has not shipped), page by page, resumable and idempotent,
// put off on a 429, stopped when the connection changes, and for the connected shop only.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCheckoutStandIn } from "../../test/helpers/checkout-standin";
import { createConnectedShop } from "../../test/helpers/factories";
import { createOrder, holdsOn, startShopifyStandIn } from "../../test/helpers/holds";
import { seedOfflineSession } from "../../test/helpers/session-token";
import { nasAccount } from "../../test/standins/checkout/testing";
import { db } from "../db.server";
import { createAppWorker, JOB_HANDLERS } from "../events/registry.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { queueFirstOrderBackfill } from "../shops/install.server";
import { sayAll } from "../i18n/domain-words";
import {
  backfillErrorWords,
  backfillProgress,
  checkoutBackfillJob,
  DISPUTE_PAGE_SIZE,
  ORDER_PAGE_SIZE,
  retryCheckoutBackfill,
  runBackfillPage,
  startCheckoutBackfill,
} from "./backfill.server";
import { clientFor, getConnection, saveConnection } from "./connection.server";

/** One Checkout.com account per test, so each test's shop imports only its own history. */
const ACCOUNTS = ["history", "paged", "resume", "twice", "limits", "changed", "retry", "scoped"] as const;
type Account = (typeof ACCOUNTS)[number];
const keyOf = (account: Account) => `sk_sbox_${account.padEnd(26, "q")}2`;

const checkout = useCheckoutStandIn({
  accounts: ACCOUNTS.map((id) => nasAccount({ id, secretKey: keyOf(id), signatureKey: `whsec-${id}-signature-key` })),
  actionLatencyMs: 1,
});

let shopify: ReturnType<typeof startShopifyStandIn>;
beforeAll(() => {
  // A bucket the reviews do not run dry: pacing is tested elsewhere (app/shopify/admin-api.server.test.ts).
  shopify = startShopifyStandIn({ maximumAvailable: 20_000, restoreRate: 10_000 });
});
afterAll(() => shopify.close());

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

/** A shop installed in Shopify (stand-in) and the app, connected to one Checkout.com account. */
async function connectedShop(account: Account) {
  const domain = `backfill-${account}-${randomUUID().slice(0, 6)}.myshopify.com`;
  const { shop, connection } = await createConnectedShop(domain, { secretKey: keyOf(account) });
  shopify.standIn.store.createShop({ domain });
  await seedOfflineSession(domain, { accessToken: shopify.standIn.issueAccessToken(domain).token });
  return { shop, connection, domain };
}

const KINDS = [JOB_KINDS.orderBackfill, JOB_KINDS.checkoutBackfill, JOB_KINDS.paymentReview, JOB_KINDS.disputeSync];
/** Runs these jobs (of every shop) until none is due; a new worker each time, as after a restart. */
const runJobs = (kinds: string[] = KINDS) =>
  // A failed job waits a minute: a test decides when it is due again.
  createAppWorker({
    jobHandlers: Object.fromEntries(kinds.map((k) => [k, JOB_HANDLERS[k]])),
    retry: { baseMs: 60_000, maxMs: 60_000 },
    random: () => 1,
  }).runUntilIdle();

/** The shop's orders of the last 60 days read into the order index, as after install. */
async function indexOrders(shopId: string) {
  await queueFirstOrderBackfill(shopId);
  await runJobs([JOB_KINDS.orderBackfill]);
}

const backfillJobs = (shopId: string) =>
  db().job.findMany({ where: { shopId, kind: JOB_KINDS.checkoutBackfill }, orderBy: { createdAt: "asc" }, select: { key: true, status: true } });
const paymentOf = (shopId: string, ckoPaymentId: string) =>
  db().payment.findUnique({ where: { shopId_ckoPaymentId: { shopId, ckoPaymentId } }, include: { orderLink: true, hold: true, activities: true } });
/** The shop's next backfill page's job (one at a time). */
const pendingJob = (shopId: string) => db().job.findFirstOrThrow({ where: { shopId, kind: JOB_KINDS.checkoutBackfill, status: "pending" } });
/** Runs a job's handler as the worker would, without marking the job done (a crash right after). */
const runJob = (job: { id: string; shopId: string; kind: string; key: string; payload: string }) =>
  checkoutBackfillJob({ id: job.id, shopId: job.shopId, kind: job.kind, key: job.key, payload: JSON.parse(job.payload), attempts: 1 });
/** The API requests made with this account's key, as "METHOD path?query". */
const requestsOf = (account: Account) =>
  checkout()
    .requests.filter((r) => r.accountId === account)
    .map((r) => `${r.method} ${r.path}${r.query}`);

describe("the import from Checkout.com on connect", () => {
  it("syncs the open disputes and records the payments of the last 30 days of orders, matched, holding only what has not shipped", async () => {
    const { shop, connection, domain } = await connectedShop("history");
    const cko = checkout().state;
    const pay = (reference: string, days: number, more: Parameters<typeof cko.createPayment>[0] = {}) =>
      cko.createPayment({ account: "history", reference, capture: true, requestedOn: daysAgo(days), ...more });
    // Paid through Checkout.com's Shopify app: the order's transaction carries the payment id.
    const byIdPayment = pay("shopify-payment-7f3a", 3);
    const byId = createOrder(shopify.standIn, domain, {
      createdAt: daysAgo(3).toISOString(),
      payment: { gateway: "checkout_com", paymentId: byIdPayment.fixture.id },
    });
    // A custom checkout: the payment's reference is the order's name.
    const byName = createOrder(shopify.standIn, domain, { createdAt: daysAgo(10).toISOString() });
    const byNamePayment = pay(byName.name, 10);
    // Flagged by Checkout.com: one order shipped weeks ago, one still waiting to ship.
    const shipped = createOrder(shopify.standIn, domain, { createdAt: daysAgo(21).toISOString(), fulfillment: {} });
    const shippedPayment = pay(shipped.name, 21, { flagged: true, riskScore: 91 });
    const waiting = createOrder(shopify.standIn, domain, { createdAt: daysAgo(2).toISOString() });
    const waitingPayment = pay(waiting.name, 2, { flagged: true, riskScore: 91, capture: false });
    // Indexed (60 days) but older than the 30 the import looks at.
    const old = createOrder(shopify.standIn, domain, { createdAt: daysAgo(45).toISOString() });
    const oldPayment = pay(old.name, 45);
    // Open disputes (one on a payment from long before the order index), and a closed one.
    const disputed = cko.createDispute({ account: "history", paymentId: byIdPayment.fixture.id });
    const legacy = pay("legacy-0042", 120);
    const underReview = cko.createDispute({ account: "history", paymentId: legacy.fixture.id });
    cko.setDisputeStatus(underReview.fixture.id, "evidence_under_review");
    const won = cko.createDispute({ account: "history", paymentId: pay("won-0001", 90).fixture.id });
    cko.setDisputeStatus(won.fixture.id, "won");
    await indexOrders(shop.id);

    expect(await startCheckoutBackfill(shop.id, connection)).toBe(true);
    expect(await backfillProgress(shop.id)).toMatchObject({ state: "running", phase: "disputes", page: 1, disputesFound: 0, paymentsFound: 0 });
    await runJobs();

    // Disputes: the open ones, synced and linked to their payment (and, once matched, its order).
    const disputes = await db().dispute.findMany({ where: { shopId: shop.id }, orderBy: { ckoDisputeId: "asc" } });
    expect(disputes.map((d) => [d.ckoDisputeId, d.status]).sort()).toEqual(
      [
        [disputed.fixture.id, "evidence_required"],
        [underReview.fixture.id, "evidence_under_review"],
      ].sort(),
    );
    const byIdRow = await paymentOf(shop.id, byIdPayment.fixture.id);
    expect(disputes.find((d) => d.ckoDisputeId === disputed.fixture.id)).toMatchObject({ paymentId: byIdRow!.id, orderGid: byId.id });
    expect(disputes.find((d) => d.ckoDisputeId === underReview.fixture.id)).toMatchObject({ ckoPaymentId: legacy.fixture.id, orderGid: null });

    // Payments: recorded with their history and matched to their orders.
    expect(byIdRow).toMatchObject({
      status: "Captured",
      capturedAmount: 6540,
      matchStatus: "matched",
      orderLink: { orderGid: byId.id, matchedBy: "transaction" },
    });
    expect(byIdRow!.createdAt.getTime()).toBeLessThan(daysAgo(2).getTime()); // its own time, not the import's
    expect(byIdRow!.activities.map((a) => a.type).sort()).toEqual(["payment_approved", "payment_captured"]);
    expect(await paymentOf(shop.id, byNamePayment.fixture.id)).toMatchObject({ orderLink: { orderGid: byName.id, matchedBy: "reference_name" } });
    expect(await paymentOf(shop.id, oldPayment.fixture.id)).toBeNull();
    expect(requestsOf("history").some((r) => r.includes(encodeURIComponent(old.name)))).toBe(false);

    // Flagged: the order that shipped is not held (and says why); the one still to ship is.
    const notHeld = await paymentOf(shop.id, shippedPayment.fixture.id);
    expect(notHeld).toMatchObject({ orderLink: { orderGid: shipped.id }, hold: null });
    expect(notHeld!.activities.find((a) => a.type === "risk_not_held")?.summary).toMatch(
      /^Not held: imported from Checkout\.com after the order had shipped or was canceled \(Checkout\.com flagged/,
    );
    expect(holdsOn(shopify.standIn, shipped.id).ours).toEqual([]);
    expect(await paymentOf(shop.id, waitingPayment.fixture.id)).toMatchObject({ orderLink: { orderGid: waiting.id }, hold: { status: "held" } });
    expect(holdsOn(shopify.standIn, waiting.id).ours).toHaveLength(1);

    expect(await backfillProgress(shop.id)).toMatchObject({ state: "done", disputesFound: 2, paymentsFound: 5 });
    expect(await backfillJobs(shop.id)).toEqual([
      { key: expect.stringMatching(/^connect:/), status: "done" },
      { key: expect.stringMatching(/:payments:page:1$/), status: "done" },
    ]);
    // The order with a payment id on its transaction is read by id; the others by their name first.
    expect(requestsOf("history")).toContain(`GET /payments/${byIdPayment.fixture.id}`);
    expect(requestsOf("history")).toContain(`GET /payments?reference=${encodeURIComponent(byName.name)}&limit=100`);
  });

  it("pages through more open disputes than a page holds: every one synced once, the pages counted", async () => {
    const { shop, connection } = await connectedShop("paged");
    const cko = checkout().state;
    const disputeOn = (i: number) =>
      cko.createDispute({
        account: "paged",
        paymentId: cko.createPayment({ account: "paged", reference: `paged-${i}`, capture: true, requestedOn: daysAgo(40) }).fixture.id,
      });
    const open = Array.from({ length: DISPUTE_PAGE_SIZE + 3 }, (_, i) => disputeOn(i));
    const won = disputeOn(99);
    cko.setDisputeStatus(won.fixture.id, "won");
    await indexOrders(shop.id);
    await startCheckoutBackfill(shop.id, connection);

    const first = await pendingJob(shop.id);
    await runJob(first);
    await db().job.update({ where: { id: first.id }, data: { status: "done" } });
    expect(await backfillProgress(shop.id)).toMatchObject({ state: "running", phase: "disputes", page: 2, pages: 2, disputesFound: DISPUTE_PAGE_SIZE });
    await runJobs();

    const synced = await db().dispute.findMany({ where: { shopId: shop.id }, select: { ckoDisputeId: true } });
    expect(synced.map((d) => d.ckoDisputeId).sort()).toEqual(open.map((d) => d.fixture.id).sort());
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(open.length);
    expect(await backfillProgress(shop.id)).toMatchObject({ state: "done", disputesFound: open.length });
    const lists = requestsOf("paged").filter((r) => r.startsWith("GET /disputes?"));
    expect(lists).toHaveLength(2);
    expect(lists[0]).toMatch(new RegExp(`limit=${DISPUTE_PAGE_SIZE}&skip=0`));
    expect(lists[1]).toMatch(new RegExp(`limit=${DISPUTE_PAGE_SIZE}&skip=${DISPUTE_PAGE_SIZE}`));
    expect((await backfillJobs(shop.id)).map((j) => j.key)).toEqual([
      expect.stringMatching(/^connect:[^:]+:[^:]+$/),
      expect.stringMatching(/:disputes:page:2$/),
      expect.stringMatching(/:payments:page:1$/),
    ]);
  });

  it("goes on after a restart, repeats a page that crashed midway without duplicates, and a finished page never twice", async () => {
    const { shop, connection, domain } = await connectedShop("resume");
    const orders = Array.from({ length: ORDER_PAGE_SIZE + 3 }, (_, i) => createOrder(shopify.standIn, domain, { createdAt: daysAgo(20 - i).toISOString() }));
    for (const order of orders) checkout().state.createPayment({ account: "resume", reference: order.name, capture: true, requestedOn: daysAgo(5) });
    await indexOrders(shop.id);
    await startCheckoutBackfill(shop.id, connection);
    // The disputes page runs; then the first payments page dies after some of its calls (the process was killed).
    const disputesPage = await pendingJob(shop.id);
    await runJob(disputesPage);
    await db().job.update({ where: { id: disputesPage.id }, data: { status: "done" } });
    const paymentsPage = await pendingJob(shop.id);
    expect(paymentsPage.key).toMatch(/:payments:page:1$/);
    const real = clientFor((await getConnection(shop.id))!);
    let calls = 0;
    const dying = {
      ...real,
      listPayments: async (query: Parameters<typeof real.listPayments>[0]) => {
        if (++calls === 4) throw new Error("the worker was killed");
        return real.listPayments(query);
      },
    };
    await expect(runBackfillPage(shop.id, JSON.parse(paymentsPage.payload), { client: dying })).rejects.toThrow("killed");
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(0); // nothing of the page committed

    // A restarted worker takes the page again, and the rest.
    await runJobs();
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(orders.length);
    expect(await db().paymentActivity.count({ where: { shopId: shop.id, type: "payment_captured" } })).toBe(orders.length);
    expect(await backfillProgress(shop.id)).toMatchObject({ state: "done", paymentsFound: orders.length });

    // A page whose job ran to the end but was not marked done (a crash right after) changes nothing when run again.
    const before = checkout().requests.length;
    await runJob(paymentsPage);
    expect(checkout().requests.length).toBe(before);
    expect(await backfillProgress(shop.id)).toMatchObject({ state: "done", paymentsFound: orders.length });
  });

  it("starts once per connection and key, and only for the shop's active connection", async () => {
    const { shop, connection } = await connectedShop("twice");
    expect(await startCheckoutBackfill(shop.id, connection)).toBe(true);
    expect(await startCheckoutBackfill(shop.id, connection)).toBe(false); // a second save of the same keys
    expect(await db().$transaction((tx) => startCheckoutBackfill(shop.id, connection, tx))).toBe(false);
    expect(await db().checkoutBackfill.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await backfillJobs(shop.id)).toEqual([{ key: expect.stringMatching(/^connect:/), status: "pending" }]);
    // Another shop cannot start one with this shop's connection; an inactive connection imports nothing.
    const other = await connectedShop("twice");
    expect(await startCheckoutBackfill(other.shop.id, connection)).toBe(false);
    expect(await startCheckoutBackfill(shop.id, { ...connection, active: false })).toBe(false);
    // The payments wait for the order index's own backfill, which they read.
    await runJobs([JOB_KINDS.checkoutBackfill]);
    expect(await backfillProgress(shop.id)).toMatchObject({ state: "running", phase: "payments", waitingForOrders: true });
    expect(await pendingJob(shop.id)).toMatchObject({ attempts: 0, lastError: "Waiting for the shop's recent orders to be read from Shopify" });
    await indexOrders(shop.id);
    await db().job.updateMany({ where: { shopId: shop.id, kind: JOB_KINDS.checkoutBackfill, status: "pending" }, data: { runAt: new Date() } });
    await runJobs();
    expect(await backfillProgress(shop.id)).toMatchObject({ state: "done" });
    expect(await backfillProgress(other.shop.id)).toBeNull();
  });

  it("puts a page off on a 429 without using up its attempts, and goes on after an outage", async () => {
    const { shop, connection, domain } = await connectedShop("limits");
    const order = createOrder(shopify.standIn, domain, { createdAt: daysAgo(4).toISOString() });
    const payment = checkout().state.createPayment({ account: "limits", reference: order.name, capture: true, requestedOn: daysAgo(4) });
    await indexOrders(shop.id);
    await startCheckoutBackfill(shop.id, connection);
    // The page's own retry meets the limit too: the job waits a minute instead of hammering.
    checkout().faults.set({ status: 429, count: 2, paths: /^\/disputes$/ });
    await runJobs();
    const waiting = await pendingJob(shop.id);
    expect(waiting).toMatchObject({ attempts: 0, lastError: "Checkout.com is rate limiting this account. Try again in a minute." });
    expect(waiting.runAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
    // Refused before the stand-in looked at the key: counted by path.
    expect(checkout().requests.filter((r) => r.path === "/disputes" && r.status === 429)).toHaveLength(2);
    expect(await backfillProgress(shop.id)).toMatchObject({ state: "running", phase: "disputes", lastError: expect.stringMatching(/rate limiting/) });

    // When it is due again: an outage (5xx) is retried with the queue's backoff, then it finishes.
    await db().job.update({ where: { id: waiting.id }, data: { runAt: new Date() } });
    checkout().faults.set({ status: 503, count: 2, paths: /^\/payments$/ });
    await runJobs();
    const retrying = await pendingJob(shop.id);
    expect(retrying).toMatchObject({ key: expect.stringMatching(/:payments:page:1$/), attempts: 1 });
    await db().job.update({ where: { id: retrying.id }, data: { runAt: new Date() } });
    await runJobs();
    expect(await paymentOf(shop.id, payment.fixture.id)).toMatchObject({ orderLink: { orderGid: order.id } });
    expect(await backfillProgress(shop.id)).toMatchObject({ state: "done", paymentsFound: 1 });
  });

  it("stops when the keys change or the app is uninstalled, asking Checkout.com nothing more", async () => {
    const { shop, connection } = await connectedShop("changed");
    await startCheckoutBackfill(shop.id, connection);
    const saved = await saveConnection(
      shop.id,
      { accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", secretKey: keyOf("scoped") },
      "admin@example.com",
    );
    expect(saved.ok).toBe(true);
    await runJobs();
    expect(requestsOf("changed")).toEqual([]);
    expect(await db().checkoutBackfill.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      phase: "stopped",
      lastError: "The secret key changed before the import finished: the new key's account is imported instead.",
    });
    // Home shows the run of the keys in use: none until the new keys' import is started.
    expect(await backfillProgress(shop.id)).toBeNull();

    const uninstalling = await connectedShop("changed");
    await startCheckoutBackfill(uninstalling.shop.id, uninstalling.connection);
    await db().shop.update({ where: { id: uninstalling.shop.id }, data: { uninstalledAt: new Date() } });
    await runBackfillPage(uninstalling.shop.id, JSON.parse((await pendingJob(uninstalling.shop.id)).payload));
    expect(requestsOf("changed")).toEqual([]);
    expect(await db().checkoutBackfill.findFirstOrThrow({ where: { shopId: uninstalling.shop.id } })).toMatchObject({ phase: "disputes", pagesDone: 0 });
  });

  it("shows a refused key as a failure, and a retry (audited) goes on where an interrupted import stopped", async () => {
    const refused = await connectedShop("retry");
    const unknownKey = `sk_sbox_${"unknownkey".padEnd(26, "x")}2`;
    await saveConnection(refused.shop.id, { accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", secretKey: unknownKey }, "admin@example.com");
    await startCheckoutBackfill(refused.shop.id, (await getConnection(refused.shop.id))!);
    await runJobs();
    expect(await backfillProgress(refused.shop.id)).toMatchObject({
      state: "failed",
      phase: "disputes",
      error: expect.stringMatching(/refused the secret key/),
    });
    // Recorded in English; Home says it in the reader's language.
    const failed = await backfillProgress(refused.shop.id);
    const recorded = failed?.state === "failed" ? failed.error : "";
    expect(sayAll("de", backfillErrorWords(recorded)!)).toBe(
      "Checkout.com hat den geheimen Schlüssel abgelehnt. Prüfen Sie, ob er korrekt ist, zu dieser Umgebung (Sandbox oder Produktion) gehört und nicht widerrufen wurde.",
    );

    const { shop, connection } = await connectedShop("retry");
    checkout().state.createDispute({ account: "retry" });
    await indexOrders(shop.id);
    await startCheckoutBackfill(shop.id, connection);
    // Its attempts ran out (or an uninstall canceled it): nothing is left to run it.
    await db().job.updateMany({
      where: { shopId: shop.id, kind: JOB_KINDS.checkoutBackfill },
      data: { status: "dead", lastError: "Checkout.com answered 503" },
    });
    expect(await backfillProgress(shop.id)).toMatchObject({ state: "failed", error: "Checkout.com answered 503" });
    expect(backfillErrorWords("Checkout.com answered 503")).toBeNull();
    const retried = await retryCheckoutBackfill(shop.id, "admin@example.com");
    expect(retried).toMatchObject({ ok: true, message: "The import from Checkout.com goes on where it stopped." });
    expect(sayAll("fr", retried.words)).toBe("L'import depuis Checkout.com reprend là où il s'était arrêté.");
    expect(await backfillProgress(shop.id)).toMatchObject({ state: "running", phase: "disputes" });
    expect(await retryCheckoutBackfill(shop.id, "admin@example.com")).toMatchObject({ ok: false }); // it is running again
    await runJobs();
    expect(await backfillProgress(shop.id)).toMatchObject({ state: "done", disputesFound: 1 });
    expect((await backfillJobs(shop.id)).map((j) => j.key.replace(/^connect:[^:]+:[^:]+/, "<run>"))).toEqual([
      "<run>",
      "<run>:retry:1:disputes:page:1",
      "<run>:retry:1:payments:page:1",
    ]);
    expect(await db().auditLog.findMany({ where: { shopId: shop.id, action: "checkout.backfill.retry" }, select: { actor: true, result: true } })).toEqual([
      { actor: "admin@example.com", result: "ok" },
    ]);
  });

  it("imports for the connected shop only, and leaves out another processing channel's payments", async () => {
    const a = await connectedShop("scoped");
    const b = await connectedShop("scoped");
    const orderA = createOrder(shopify.standIn, a.domain, { createdAt: daysAgo(6).toISOString() });
    createOrder(shopify.standIn, b.domain, { createdAt: daysAgo(6).toISOString() });
    const paymentA = checkout().state.createPayment({ account: "scoped", reference: orderA.name, capture: true, requestedOn: daysAgo(6) });
    const elsewhere = createOrder(shopify.standIn, a.domain, { createdAt: daysAgo(5).toISOString() });
    const otherChannel = checkout().state.createPayment({ account: "scoped", reference: elsewhere.name, capture: true, requestedOn: daysAgo(5) });
    await indexOrders(a.shop.id);
    await indexOrders(b.shop.id);
    await db().checkoutConnection.update({ where: { id: a.connection.id }, data: { processingChannelIds: "pc_ourchannel2222222222222222" } });
    await startCheckoutBackfill(a.shop.id, (await getConnection(a.shop.id))!);

    // Checkout.com names the channel of each payment; this connection sells through one of them.
    const real = clientFor((await getConnection(a.shop.id))!);
    const withChannels = {
      ...real,
      listPayments: async (query: Parameters<typeof real.listPayments>[0]) => {
        const list = await real.listPayments(query);
        const channel = (id: string) => (id === otherChannel.fixture.id ? "pc_otherchannel333333333333333" : "pc_ourchannel2222222222222222");
        return { ...list, data: list.data.map((p) => ({ ...p, processing_channel_id: channel(p.id) })) };
      },
    };
    for (;;) {
      const job = await db().job.findFirst({ where: { shopId: a.shop.id, kind: JOB_KINDS.checkoutBackfill, status: "pending" } });
      if (!job) break;
      await runBackfillPage(a.shop.id, JSON.parse(job.payload), { client: withChannels });
      await db().job.update({ where: { id: job.id }, data: { status: "done" } });
    }
    await runJobs([JOB_KINDS.paymentReview]);

    expect(await paymentOf(a.shop.id, paymentA.fixture.id)).toMatchObject({ orderLink: { orderGid: orderA.id } });
    expect(await paymentOf(a.shop.id, otherChannel.fixture.id)).toBeNull();
    expect(await backfillProgress(a.shop.id)).toMatchObject({ state: "done", paymentsFound: 1 });
    // Shop B, on the same account without an import of its own: nothing of A's, and its orders not asked about.
    const where = { where: { shopId: b.shop.id } };
    expect([await db().payment.count(where), await db().dispute.count(where), await db().checkoutBackfill.count(where)]).toEqual([0, 0, 0]);
    const references = requestsOf("scoped").flatMap((r) => (r.startsWith("GET /payments?") ? [new URLSearchParams(r.split("?")[1]).get("reference")] : []));
    expect(references.sort()).toEqual([orderA.name, elsewhere.name].sort());
  });
});
