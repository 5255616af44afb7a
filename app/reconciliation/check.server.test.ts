// The order check against both stand-ins: the payment as Checkout.com's webhooks recorded it (the
// stand-in's own events, through the app's inbox and worker), the order as the Shopify stand-in holds
// it. The shop has no payments app connected in the Shopify stand-in, so a refund made through Shopify
// stays PENDING there until a test settles it as the payments app would.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { useMoneyStandIns } from "../../test/helpers/money-world";
import { createOrder, installShop } from "../../test/helpers/holds";
import { putInInbox } from "../../test/helpers/checkout-webhooks";
import { ckoId } from "../../test/fixtures/checkout-events";
import { createEventFactory } from "../../test/standins/checkout/events";
import { call } from "../../test/standins/checkout/testing";
import type { StoredPayment } from "../../test/standins/checkout/state";
import type { OrderRecord } from "../../test/standins/shopify/store";
import type { PaymentActionDetails, PaymentDetails } from "../checkout/schemas";
import { db, rawSql } from "../db.server";
import { createAppWorker, JOB_HANDLERS } from "../events/registry.server";
import { storeOrderLink } from "../holds/matching.server";
import { REFUND_CREATE_MUTATION } from "../money/shopify-documents";
import { readOrderMoney } from "../money/shopify-order.server";
import { adminApi } from "../shopify/admin-api.server";
import { localOrderMoney } from "../orders/order-transactions.server";
import { answerOrderWebhook } from "../orders/order-webhooks.server";
import { TEST_API_SECRET } from "../../test/helpers/env";
import { transactionCreatedDelivery } from "../../test/standins/shopify/transaction-webhooks";
import { importPayment } from "../payments/import.server";
import { dayOf } from "../queue/daily.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { checkPaymentAgainstOrder } from "./check.server";
import { fixReconciliationIssue } from "./fixes.server";
import { CHECK_DELAY_MS, queueReconciliationCheck } from "./queue.server";
import { sweepPage } from "./sweep.server";

// Filled in before the tests run: read through it, not destructured.
const world = useMoneyStandIns();

type Installed = Awaited<ReturnType<typeof installShop>>;
let shop: Installed;
beforeEach(async () => {
  shop = await installShop(world.shopify);
});

const account = () => world.checkout.state.account("shop_a");
const events = () => createEventFactory(world.checkout.url, () => new Date());

/** Checkout.com's webhooks reaching the app: into the inbox, applied by the worker (no job runs). */
async function deliver(into: Installed, ...list: Array<Record<string, unknown>>) {
  for (const event of list) await putInInbox(into.connection, event);
  await createAppWorker({ jobHandlers: {} }).runUntilIdle();
}

/** Delivers the events of the stand-in payment's actions after the first `from`. */
async function deliverActions(into: Installed, stored: StoredPayment, from: number) {
  const list = [
    ...(from === 0 ? [events().authorization(account(), stored)] : []),
    ...stored.actions.slice(Math.max(from, 1)).map((a) => events().action(account(), stored, a)),
  ];
  await deliver(into, ...list);
  return list;
}

interface Paid {
  stored: StoredPayment;
  order: OrderRecord;
  paymentId: string;
  /** The webhooks that recorded it. */
  delivered: Array<Record<string, unknown>>;
}

/**
 * An order of USD 94.00 paid at Shopify's checkout through Checkout.com (captured: a SALE; else an
 * AUTHORIZATION), the payment at Checkout.com, recorded from its webhooks, and linked to the order.
 */
async function paidOrder(into: Installed = shop, options: { capture?: boolean; currency?: string } = {}): Promise<Paid> {
  const capture = options.capture ?? true;
  const shopifyPaymentId = `c${randomUUID().replaceAll("-", "").slice(0, 20)}.1`;
  const stored = world.checkout.state.createPayment({ amount: 9_400, currency: options.currency ?? "USD", reference: shopifyPaymentId, capture });
  const order = createOrder(world.shopify, into.domain, {
    currency: "USD",
    payment: {
      kind: capture ? "SALE" : "AUTHORIZATION",
      gateway: "checkout_com",
      paymentId: shopifyPaymentId,
      receipt: { id: stored.fixture.id, status: capture ? "Captured" : "Authorized" },
    },
  });
  const delivered = await deliverActions(into, stored, 0);
  const payment = await db().payment.findFirstOrThrow({ where: { shopId: into.shop.id, ckoPaymentId: stored.fixture.id } });
  await link(into, payment.id, order);
  return { stored, order, paymentId: payment.id, delivered };
}

/** Matching links the payment to its order. */
const link = (into: Installed, paymentId: string, order: OrderRecord) =>
  storeOrderLink(into.shop.id, paymentId, {
    order: {
      gid: order.id,
      legacyId: order.id.split("/").at(-1)!,
      name: order.name,
      checkoutToken: null,
      email: null,
      createdAt: new Date(),
      total: 9_400,
      currency: "USD",
      transactionIds: [],
    },
    matchedBy: "transaction",
    confidence: "strong",
    needsReview: false,
  });

/** A money action made at Checkout.com (its dashboard, or API), and its webhook delivered to the app. */
async function atCheckout(paid: Paid, kind: "refunds" | "captures", amount: number, into: Installed = shop) {
  const before = paid.stored.actions.length;
  const answer = await call(world.checkout, "POST", `/payments/${paid.stored.fixture.id}/${kind}`, { body: { amount, reference: "dashboard" } });
  expect(answer.status).toBe(202);
  const [event] = await deliverActions(into, paid.stored, before);
  return event;
}

/** A refund through Shopify's refundCreate on the payment's transaction: PENDING, no payments app here. */
async function refundInShopify(paid: Paid, amount: string) {
  await world.shopify.graphql(shop.domain, {
    query: REFUND_CREATE_MUTATION,
    variables: {
      key: `refund-${randomUUID()}`,
      input: {
        orderId: paid.order.id,
        currency: "USD",
        transactions: [{ orderId: paid.order.id, parentId: paid.order.transactions[0].id, amount, kind: "REFUND", gateway: "checkout_com" }],
      },
    },
  });
  return world.shopify.store.requireOrder(paid.order.id).transactions.findLast((t) => t.kind === "REFUND")!;
}

/** Shopify's order_transactions/create for the stand-in's transaction, answered by the app. */
async function postTransactionWebhook(transactionId: string) {
  const { body, headers } = transactionCreatedDelivery(world.shopify.store, transactionId, TEST_API_SECRET);
  const request = new Request("https://app.example/webhooks/order_transactions/create", { method: "POST", headers, body });
  expect((await answerOrderWebhook(request, "order_transactions/create")).status).toBe(200);
}

const issuesOf = (shopId: string) =>
  db().reconciliationIssue.findMany({
    where: { shopId },
    orderBy: { kind: "asc" },
    select: { kind: true, status: true, checkoutAmount: true, shopifyAmount: true, amount: true, currency: true, orderName: true, paymentId: true },
  });
const auditsOf = async (paymentId: string) =>
  (await db().auditLog.findMany({ where: { paymentId, action: { startsWith: "reconciliation." } }, orderBy: { createdAt: "asc" } })).map((a) => ({
    action: a.action,
    actor: a.actor,
    source: a.source,
    details: JSON.parse(a.details),
  }));
const checkJobs = (shopId: string) =>
  db().job.findMany({
    where: { shopId, kind: JOB_KINDS.reconciliationCheck },
    orderBy: { key: "asc" },
    select: { key: true, payload: true, runAt: true, status: true },
  });
/** The worker running the shop's reconciliation_check jobs that are due. */
const runChecks = () => createAppWorker({ jobHandlers: { [JOB_KINDS.reconciliationCheck]: JOB_HANDLERS[JOB_KINDS.reconciliationCheck] } }).runUntilIdle();

describe("refunds", () => {
  it("a refund made at Checkout.com that Shopify never saw is an open issue until the order records it", async () => {
    const paid = await paidOrder();
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "compared", opened: 0, updated: 0, resolved: 0 });

    await atCheckout(paid, "refunds", 1_500);
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "compared", opened: 1, updated: 0, resolved: 0 });
    const open = { kind: "refund_missing_in_shopify", checkoutAmount: 1_500, shopifyAmount: 0, amount: 1_500, currency: "USD", orderName: paid.order.name };
    expect(await issuesOf(shop.shop.id)).toEqual([{ ...open, status: "open", paymentId: paid.paymentId }]);
    // Checked again with nothing changed: the same issue, brought up to date, not opened twice.
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "compared", opened: 0, updated: 1, resolved: 0 });

    // The merchant records the refund in Shopify; until its gateway answers, the order is settling.
    const refund = await refundInShopify(paid, "15.00");
    expect(refund.status).toBe("PENDING");
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "settling", stuck: false });
    world.shopify.store.updateTransaction(refund.id, { status: "SUCCESS" });
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "compared", opened: 0, updated: 0, resolved: 1 });
    const resolved = await db().reconciliationIssue.findFirstOrThrow({ where: { shopId: shop.shop.id } });
    expect(resolved).toMatchObject({ status: "resolved", amount: 1_500 });
    expect(resolved.resolvedAt).toBeInstanceOf(Date);

    // Another refund at Checkout.com: the resolved issue opens again, as a new sighting.
    await atCheckout(paid, "refunds", 500);
    const later = new Date(Date.now() + 60_000);
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId, { now: later })).toMatchObject({ opened: 1, resolved: 0 });
    const reopened = await db().reconciliationIssue.findFirstOrThrow({ where: { shopId: shop.shop.id } });
    expect(reopened).toMatchObject({ status: "open", checkoutAmount: 2_000, shopifyAmount: 1_500, amount: 500, resolvedAt: null, firstSeenAt: later });

    const system = { actor: "system", source: "system" };
    expect(await auditsOf(paid.paymentId)).toEqual([
      {
        ...system,
        action: "reconciliation.issue_open",
        details: { kind: "refund_missing_in_shopify", amount: 1_500, currency: "USD", orderName: paid.order.name },
      },
      {
        ...system,
        action: "reconciliation.issue_resolved",
        details: { kind: "refund_missing_in_shopify", amount: 1_500, currency: "USD", orderName: paid.order.name },
      },
      {
        ...system,
        action: "reconciliation.issue_open",
        details: { kind: "refund_missing_in_shopify", amount: 500, currency: "USD", orderName: paid.order.name },
      },
    ]);
  });

  it("a payment no longer linked to an order resolves its open issue once, and is not compared", async () => {
    const paid = await paidOrder();
    await atCheckout(paid, "refunds", 1_500);
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toMatchObject({ outcome: "compared", opened: 1 });
    await db().orderLink.delete({ where: { paymentId: paid.paymentId } });

    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "not_linked", opened: 0, updated: 0, resolved: 1 });
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "not_linked", opened: 0, updated: 0, resolved: 0 });
    expect((await issuesOf(shop.shop.id)).map((i) => i.status)).toEqual(["resolved"]);
    expect(await db().auditLog.count({ where: { shopId: shop.shop.id, paymentId: paid.paymentId, action: { startsWith: "reconciliation." } } })).toBe(2);
  });

  it("while the order is settling the job waits a minute, without using up an attempt", async () => {
    const paid = await paidOrder();
    await atCheckout(paid, "refunds", 1_500);
    await refundInShopify(paid, "15.00");
    await db().job.updateMany({ where: { shopId: shop.shop.id, kind: JOB_KINDS.reconciliationCheck }, data: { runAt: new Date() } });
    const started = Date.now();
    await runChecks();
    const jobs = await db().job.findMany({ where: { shopId: shop.shop.id, kind: JOB_KINDS.reconciliationCheck } });
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      expect(job).toMatchObject({ status: "pending", attempts: 0, lastError: "The order's capture or refund is still settling in Shopify" });
      expect(job.runAt.getTime()).toBeGreaterThanOrEqual(started + 60_000);
    }
    expect(await issuesOf(shop.shop.id)).toEqual([]);
  });
});

describe("the order's local copy", () => {
  it("the check reads the order's transactions alone, at under half of Shopify's price for the order with its lines", async () => {
    const paid = await paidOrder();
    // No refill: what a read takes from the bucket is what Shopify charged for it.
    world.shopify.limits.configure({ restoreRate: 0 });
    const available = () => world.shopify.limits.bucket(shop.domain).status().currentlyAvailable;
    const before = available();
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toMatchObject({ outcome: "compared" });
    const check = before - available();
    const beforeMoney = available();
    await readOrderMoney(adminApi(shop.domain), paid.order.id);
    const withLines = beforeMoney - available();
    expect(check).toBeGreaterThan(0);
    expect(2 * check).toBeLessThan(withLines);
  });

  it("every read of the order refreshes it, for the daily sweep to compare with", async () => {
    const paid = await paidOrder();
    const [sale] = paid.order.transactions;
    const refund = await refundInShopify(paid, "15.00");
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "settling", stuck: false });
    const copy = await localOrderMoney(shop.shop.id, [paid.order.id]);
    expect(copy.get(paid.order.id)?.currency).toBe("USD");
    expect(copy.get(paid.order.id)?.transactions.map((t) => [t.id, t.kind, t.status, t.amount, t.parentId])).toEqual([
      [sale.id, "SALE", "SUCCESS", 9_400, null],
      [refund.id, "REFUND", "PENDING", 1_500, sale.id],
    ]);
    expect(copy.get(paid.order.id)?.transactions[0].references).toEqual([sale.paymentId, sale.authorizationCode, paid.stored.fixture.id, "Captured"]);

    world.shopify.store.updateTransaction(refund.id, { status: "SUCCESS" });
    await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId);
    expect((await localOrderMoney(shop.shop.id, [paid.order.id])).get(paid.order.id)?.transactions.map((t) => t.status)).toEqual(["SUCCESS", "SUCCESS"]);
  });

  it("a check the copy agrees with asks Shopify nothing; one the copy leaves in doubt reads the order", async () => {
    const paid = await paidOrder();
    world.shopify.limits.configure({ restoreRate: 0 });
    const available = () => world.shopify.limits.bucket(shop.domain).status().currentlyAvailable;
    const compared = { outcome: "compared", opened: 0, updated: 0, resolved: 0 };
    // No copy yet: Shopify is read, and the copy kept.
    let before = available();
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual(compared);
    expect(available()).toBeLessThan(before);
    before = available();
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual(compared);
    expect(available()).toBe(before);

    // A refund at Checkout.com the copy lacks: Shopify is read, and there it is missing too.
    await atCheckout(paid, "refunds", 1_500);
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ ...compared, opened: 1 });
    expect(available()).toBeLessThan(before);
    before = available();
    // The order records it and Shopify's webhook brings it into the copy: the copy agrees, but an open
    // issue is resolved only on Shopify's word, so Shopify is read once more; after that, not.
    const refund = world.shopify.store.addTransaction(paid.order.id, {
      kind: "REFUND",
      parentId: paid.order.transactions[0].id,
      amount: "15.00",
      receipt: null,
    });
    await postTransactionWebhook(refund.id);
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ ...compared, resolved: 1 });
    expect(available()).toBeLessThan(before);
    before = available();
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual(compared);
    expect(available()).toBe(before);
  });

  it("a copy filled by Shopify's webhooks alone is enough: the first check of a sale's payment asks Shopify nothing", async () => {
    const paid = await paidOrder();
    await postTransactionWebhook(paid.order.transactions[0].id);
    world.shopify.limits.configure({ restoreRate: 0 });
    const before = world.shopify.limits.bucket(shop.domain).status().currentlyAvailable;
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "compared", opened: 0, updated: 0, resolved: 0 });
    expect(world.shopify.limits.bucket(shop.domain).status().currentlyAvailable).toBe(before);
  });

  it("checks started together read the local copies in one turn, and each gets its own shop's answer", async () => {
    const agreeing = await paidOrder();
    await postTransactionWebhook(agreeing.order.transactions[0].id);
    const other = await installShop(world.shopify);
    const inDoubt = await paidOrder(other);
    await atCheckout(inDoubt, "refunds", 1_500, other);
    world.shopify.limits.configure({ restoreRate: 0 });
    const available = (domain: string) => world.shopify.limits.bucket(domain).status().currentlyAvailable;
    const before = { shop: available(shop.domain), other: available(other.domain) };
    const reads = vi.spyOn(rawSql(), "readsTogether");
    try {
      const results = await Promise.all([
        checkPaymentAgainstOrder(shop.shop.id, agreeing.paymentId),
        checkPaymentAgainstOrder(other.shop.id, agreeing.paymentId),
        checkPaymentAgainstOrder(other.shop.id, inDoubt.paymentId),
        checkPaymentAgainstOrder(shop.shop.id, randomUUID()),
      ]);
      expect(results).toEqual([
        { outcome: "compared", opened: 0, updated: 0, resolved: 0 },
        { outcome: "skipped", reason: "unknown_payment" },
        { outcome: "compared", opened: 1, updated: 0, resolved: 0 },
        { outcome: "skipped", reason: "unknown_payment" },
      ]);
      // One turn for the four local checks, one for the reads after the in-doubt check's Shopify read.
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
    }
    expect(available(shop.domain)).toBe(before.shop);
    expect(available(other.domain)).toBeLessThan(before.other);
    expect((await issuesOf(other.shop.id)).map((i) => i.paymentId)).toEqual([inDoubt.paymentId]);
    expect(await issuesOf(shop.shop.id)).toEqual([]);
  });

  it("the sweep after a check finds the payment agreeing with the copy, and queues nothing", async () => {
    const paid = await paidOrder();
    await atCheckout(paid, "refunds", 1_500);
    world.shopify.store.addTransaction(paid.order.id, { kind: "REFUND", parentId: paid.order.transactions[0].id, amount: "15.00", receipt: null });
    await db().job.updateMany({ where: { shopId: shop.shop.id, kind: JOB_KINDS.reconciliationCheck }, data: { runAt: new Date() } });
    await runChecks();
    expect((await checkJobs(shop.shop.id)).map((j) => j.status)).toEqual(["done"]);

    await sweepPage(shop.shop.id, dayOf(new Date()), 0, null);
    expect((await checkJobs(shop.shop.id)).map((j) => j.status)).toEqual(["done"]);
    expect(await issuesOf(shop.shop.id)).toEqual([]);
  });
});

describe("captures and chargebacks", () => {
  it("a capture Checkout.com declined is an issue of the whole authorisation, resolved when a capture goes through and the order shows it", async () => {
    const paid = await paidOrder(shop, { capture: false });
    world.checkout.state.declineNext(paid.stored.fixture.id, "Capture");
    const declined = await atCheckout(paid, "captures", 9_400);
    expect(declined.type).toBe("payment_capture_declined");
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toMatchObject({ opened: 1 });
    expect(await issuesOf(shop.shop.id)).toEqual([
      {
        kind: "capture_declined",
        status: "open",
        checkoutAmount: 0,
        shopifyAmount: 0,
        amount: 9_400,
        currency: "USD",
        orderName: paid.order.name,
        paymentId: paid.paymentId,
      },
    ]);

    // Captured at the second try, and the payments app records the capture on the order.
    await atCheckout(paid, "captures", 9_400);
    world.shopify.store.addTransaction(paid.order.id, { kind: "CAPTURE", parentId: paid.order.transactions[0].id, amount: "94.00", receipt: null });
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "compared", opened: 0, updated: 0, resolved: 1 });
    expect((await issuesOf(shop.shop.id)).map((i) => [i.kind, i.status])).toEqual([["capture_declined", "resolved"]]);
  });

  it("a lost dispute is a chargeback the order must reflect, until a refund on the order records it", async () => {
    const paid = await paidOrder();
    const dispute = world.checkout.state.createDispute({ account: "shop_a", paymentId: paid.stored.fixture.id });
    world.checkout.state.setDisputeStatus(dispute.fixture.id, "lost");
    await deliver(shop, events().dispute(account(), "dispute_lost", dispute));
    expect(await db().dispute.findFirstOrThrow({ where: { shopId: shop.shop.id } })).toMatchObject({ status: "lost", amount: 9_400 });

    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toMatchObject({ opened: 1 });
    expect(await issuesOf(shop.shop.id)).toEqual([
      {
        kind: "chargeback_not_reflected",
        status: "open",
        checkoutAmount: 9_400,
        shopifyAmount: 0,
        amount: 9_400,
        currency: "USD",
        orderName: paid.order.name,
        paymentId: paid.paymentId,
      },
    ]);

    // The merchant records the chargeback as a manual refund on the order.
    world.shopify.store.addTransaction(paid.order.id, { kind: "REFUND", gateway: "manual", amount: "94.00", paymentId: null, receipt: null });
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "compared", opened: 0, updated: 0, resolved: 1 });
  });

  it("a payment in another currency than its order's is one issue: no amount can be compared", async () => {
    const paid = await paidOrder(shop, { currency: "EUR" });
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toMatchObject({ opened: 1 });
    expect(await issuesOf(shop.shop.id)).toEqual([
      {
        kind: "currency_differs",
        status: "open",
        checkoutAmount: 9_400,
        shopifyAmount: 9_400,
        amount: 9_400,
        currency: "EUR",
        orderName: paid.order.name,
        paymentId: paid.paymentId,
      },
    ]);
  });
});

describe("fixes from the Reconciliation screen", () => {
  const finance = (into: Installed = shop) => ({ shopId: into.shop.id, actor: "Sam Finance <sam@example.com>" });
  const openIssue = (paymentId: string) => db().reconciliationIssue.findFirstOrThrow({ where: { paymentId, status: "open" } });

  it("records a refund made at Checkout.com on the order, moving no money, and the difference closes; a double click records it once", async () => {
    const paid = await paidOrder();
    await atCheckout(paid, "refunds", 1_500);
    await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId);
    const issue = await openIssue(paid.paymentId);
    const refundsAtCheckout = () => world.checkout.state.payments.get(paid.stored.fixture.id)!.refunded;

    const [first, second] = await Promise.all([fixReconciliationIssue(finance(), issue.id), fixReconciliationIssue(finance(), issue.id)]);
    expect([first, second].map((r) => r.ok)).toEqual([true, true]);
    expect([first, second].filter((r) => r.repeated)).toHaveLength(1);
    const order = world.shopify.store.requireOrder(paid.order.id);
    expect(order.transactions.filter((t) => t.kind === "REFUND").map((t) => [t.gateway, t.status, t.amount])).toEqual([["manual", "SUCCESS", 1_500]]);
    expect(refundsAtCheckout()).toBe(1_500);
    expect(await issuesOf(shop.shop.id)).toEqual([expect.objectContaining({ kind: "refund_missing_in_shopify", status: "resolved", amount: 1_500 })]);
    // The sweep, comparing with the order's local copy, counts the recorded refund as the payment's too.
    await db().job.updateMany({ where: { shopId: shop.shop.id, kind: JOB_KINDS.reconciliationCheck }, data: { runAt: new Date() } });
    await runChecks();
    await sweepPage(shop.shop.id, dayOf(new Date()), 0, null);
    expect((await checkJobs(shop.shop.id)).map((j) => j.status)).toEqual(["done"]);
    await expect(fixReconciliationIssue(finance(), issue.id)).rejects.toThrow("This difference has no fix to make now.");
  });

  it("refuses to record more than the order still misses, writing nothing", async () => {
    const paid = await paidOrder();
    await atCheckout(paid, "refunds", 1_500);
    await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId);
    const issue = await openIssue(paid.paymentId);
    // Meanwhile the merchant refunded 10.00 in Shopify (its gateway answered): only 5.00 is still missing.
    world.shopify.store.updateTransaction((await refundInShopify(paid, "10.00")).id, { status: "SUCCESS" });
    const result = await fixReconciliationIssue(finance(), issue.id);
    expect(result).toMatchObject({ ok: false, message: "Only USD 5.00 of Checkout.com's refunds is missing on the order now; look at the difference again." });
    expect(world.shopify.store.requireOrder(paid.order.id).transactions.filter((t) => t.gateway === "manual")).toEqual([]);
    expect(await db().moneyAction.count({ where: { paymentId: paid.paymentId } })).toBe(0);
  });

  it("captures again what a declined capture left, through the order once, and the difference closes when the capture goes through", async () => {
    const paid = await paidOrder(shop, { capture: false });
    world.checkout.state.declineNext(paid.stored.fixture.id, "Capture");
    await atCheckout(paid, "captures", 9_400);
    await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId);
    const issue = await openIssue(paid.paymentId);

    const result = await fixReconciliationIssue(finance(), issue.id);
    expect(result).toMatchObject({ ok: true, repeated: false, action: { kind: "capture", via: "shopify", amount: 9_400, status: "accepted" } });
    expect(await fixReconciliationIssue(finance(), issue.id)).toMatchObject({ ok: true, repeated: true });
    const captures = world.shopify.store.requireOrder(paid.order.id).transactions.filter((t) => t.kind === "CAPTURE");
    expect(captures.map((t) => [t.status, t.amount])).toEqual([["PENDING", 9_400]]);
    // Shopify's payments app carries it out at Checkout.com, whose webhook comes back.
    await atCheckout(paid, "captures", 9_400);
    world.shopify.store.updateTransaction(captures[0].id, { status: "SUCCESS" });
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toMatchObject({ outcome: "compared", resolved: 1 });
    const audited = await db().auditLog.findFirstOrThrow({ where: { paymentId: paid.paymentId, action: "payment.capture" } });
    expect(audited).toMatchObject({ actor: "Sam Finance <sam@example.com>", result: "ok" });
  });

  it("another shop's difference is not found, and a kind without a fix is refused", async () => {
    const other = await installShop(world.shopify);
    const paid = await paidOrder(other);
    await atCheckout(paid, "refunds", 1_500, other);
    await checkPaymentAgainstOrder(other.shop.id, paid.paymentId);
    const issue = await openIssue(paid.paymentId);
    await expect(fixReconciliationIssue(finance(shop), issue.id)).rejects.toThrow("This difference does not exist in this shop.");
    expect(await db().moneyAction.count({ where: { paymentId: paid.paymentId } })).toBe(0);
  });
});

describe("dismissed issues", () => {
  it("stay dismissed while the amount at stake is the same, and open again when it changes", async () => {
    const paid = await paidOrder();
    await atCheckout(paid, "refunds", 1_500);
    await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId);
    const dismissedAt = new Date();
    const dismissal = { status: "dismissed", dismissReason: "Refunded by bank transfer", dismissedBy: "finance@example.com", dismissedAt };
    await db().reconciliationIssue.updateMany({ where: { shopId: shop.shop.id }, data: dismissal });

    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "compared", opened: 0, updated: 1, resolved: 0 });
    expect(await db().reconciliationIssue.findFirstOrThrow({ where: { shopId: shop.shop.id } })).toMatchObject({ ...dismissal, amount: 1_500 });

    await atCheckout(paid, "refunds", 700);
    expect(await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId)).toEqual({ outcome: "compared", opened: 1, updated: 0, resolved: 0 });
    expect(await db().reconciliationIssue.findFirstOrThrow({ where: { shopId: shop.shop.id } })).toMatchObject({
      status: "open",
      checkoutAmount: 2_200,
      shopifyAmount: 0,
      amount: 2_200,
      dismissReason: null,
      dismissedBy: null,
      dismissedAt: null,
    });
    expect((await auditsOf(paid.paymentId)).map((a) => [a.action, a.details.amount])).toEqual([
      ["reconciliation.issue_open", 1_500],
      ["reconciliation.issue_open", 2_200],
    ]);
  });
});

describe("shops", () => {
  it("a shop's check never reads or changes another shop's payment or issues", async () => {
    const paid = await paidOrder();
    await atCheckout(paid, "refunds", 1_500);
    await checkPaymentAgainstOrder(shop.shop.id, paid.paymentId);
    const before = await db().reconciliationIssue.findFirstOrThrow({ where: { shopId: shop.shop.id } });

    const other = await installShop(world.shopify);
    expect(await checkPaymentAgainstOrder(other.shop.id, paid.paymentId)).toEqual({ outcome: "skipped", reason: "unknown_payment" });
    // Its job naming the other shop's payment does nothing either.
    await queueReconciliationCheck(other.shop.id, paid.paymentId, "forged", { now: new Date(Date.now() - CHECK_DELAY_MS) });
    await runChecks();
    expect(await db().job.findFirstOrThrow({ where: { shopId: other.shop.id, kind: JOB_KINDS.reconciliationCheck } })).toMatchObject({ status: "done" });

    // Its own payment linked to the first shop's order: its Shopify access does not see that order.
    const own = await db().payment.create({
      data: { shopId: other.shop.id, ckoPaymentId: ckoId("pay"), amount: 9_400, currency: "USD", status: "Captured", capturedAmount: 9_400 },
    });
    await db().orderLink.create({
      data: { shopId: other.shop.id, paymentId: own.id, orderGid: paid.order.id, orderName: paid.order.name, matchedBy: "manual", confidence: "strong" },
    });
    expect(await checkPaymentAgainstOrder(other.shop.id, own.id)).toEqual({ outcome: "skipped", reason: "order_gone" });

    expect(await db().reconciliationIssue.findMany({ where: { shopId: other.shop.id } })).toEqual([]);
    expect(await db().reconciliationIssue.findFirstOrThrow({ where: { shopId: shop.shop.id } })).toEqual(before);
  });
});

describe("queuing the check", () => {
  it("one waiting check per payment, two minutes after its latest change, queued again once it ran", async () => {
    const paid = await paidOrder();
    // The capture queued it, the link (later) took it over.
    const [first] = await checkJobs(shop.shop.id);
    expect((await checkJobs(shop.shop.id)).map((j) => [j.key, JSON.parse(j.payload), j.status])).toEqual([
      [paid.paymentId, { paymentId: paid.paymentId, cause: "linked" }, "pending"],
    ]);

    const deliveredAt = Date.now();
    const refund = await atCheckout(paid, "refunds", 1_500);
    const [afterRefund] = await checkJobs(shop.shop.id);
    expect(afterRefund).toMatchObject({ key: paid.paymentId, status: "pending" });
    expect(JSON.parse(afterRefund.payload)).toEqual({ paymentId: paid.paymentId, cause: refund.id });
    expect(afterRefund.runAt.getTime()).toBeGreaterThanOrEqual(deliveredAt + CHECK_DELAY_MS);
    expect(afterRefund.runAt.getTime()).toBeGreaterThan(first.runAt.getTime());
    expect(afterRefund.runAt.getTime()).toBeLessThan(Date.now() + CHECK_DELAY_MS + 1_000);
    // The same event again (a redelivery), and the same link stored again: nothing changes.
    await deliver(shop, refund);
    await link(shop, paid.paymentId, paid.order);
    expect(await checkJobs(shop.shop.id)).toEqual([afterRefund]);

    const dispute = world.checkout.state.createDispute({ account: "shop_a", paymentId: paid.stored.fixture.id });
    const received = events().dispute(account(), "dispute_evidence_required", dispute);
    await deliver(shop, received);
    // A later event that leaves the status where it is queues nothing.
    await deliver(shop, events().dispute(account(), "dispute_evidence_required", dispute));
    expect((await checkJobs(shop.shop.id)).map((j) => [j.key, JSON.parse(j.payload).cause])).toEqual([[paid.paymentId, received.id]]);

    // The check runs; the dispute's loss afterwards queues the same row again, from scratch.
    await db().job.updateMany({ where: { shopId: shop.shop.id, kind: JOB_KINDS.reconciliationCheck }, data: { runAt: new Date() } });
    await runChecks();
    expect((await checkJobs(shop.shop.id)).map((j) => j.status)).toEqual(["done"]);
    const lostAt = Date.now();
    const lost = events().dispute(account(), "dispute_lost", dispute);
    await deliver(shop, lost);
    const again = await db().job.findMany({ where: { shopId: shop.shop.id, kind: JOB_KINDS.reconciliationCheck } });
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ key: paid.paymentId, status: "pending", attempts: 0, lastError: null, completedAt: null });
    expect(JSON.parse(again[0].payload)).toEqual({ paymentId: paid.paymentId, cause: lost.id });
    expect(again[0].runAt.getTime()).toBeGreaterThanOrEqual(lostAt + CHECK_DELAY_MS);
  });

  it("a change while the check runs gets a check of its own after it, and the running one does not wait for the order", async () => {
    const paid = await paidOrder();
    await atCheckout(paid, "refunds", 1_500);
    await refundInShopify(paid, "15.00");
    // A worker claims the waiting check.
    const [waiting] = await db().job.findMany({ where: { shopId: shop.shop.id, kind: JOB_KINDS.reconciliationCheck } });
    const running = await db().job.update({
      where: { id: waiting.id },
      data: { status: "processing", leaseOwner: "worker-1", leaseExpiresAt: new Date(Date.now() + 60_000), attempts: 1 },
    });

    const changedAt = Date.now();
    await queueReconciliationCheck(shop.shop.id, paid.paymentId, "evt_during");
    await queueReconciliationCheck(shop.shop.id, paid.paymentId, "evt_during_too");
    const rows = await db().job.findMany({ where: { shopId: shop.shop.id, kind: JOB_KINDS.reconciliationCheck }, orderBy: { key: "asc" } });
    expect(rows.map((j) => [j.key, j.status, j.id === running.id])).toEqual([
      [paid.paymentId, "pending", false],
      [`${paid.paymentId}:${running.id}`, "processing", true],
    ]);
    expect(rows[0].runAt.getTime()).toBeGreaterThanOrEqual(changedAt + CHECK_DELAY_MS);
    expect(JSON.parse(rows[0].payload)).toEqual({ paymentId: paid.paymentId, cause: "evt_during_too" });

    // The running check finds the refund still settling: the fresh check looks later, so it ends.
    const handler = JOB_HANDLERS[JOB_KINDS.reconciliationCheck];
    const job = { id: running.id, shopId: shop.shop.id, kind: running.kind, key: running.key, payload: { paymentId: paid.paymentId }, attempts: 1 };
    await expect(handler(job)).resolves.toBeUndefined();
    // With no other check waiting, it waits a minute and looks again itself.
    await db().job.update({ where: { id: rows[0].id }, data: { status: "done" } });
    await expect(handler(job)).rejects.toMatchObject({ name: "JobMustWait", retryInMs: 60_000 });
  });

  it("on the import of a payment read from Checkout.com's API, its newest action the cause", async () => {
    const id = ckoId("pay");
    const refundId = ckoId("act");
    const details: PaymentDetails = {
      id,
      requested_on: "2026-11-02T09:00:00.000Z",
      status: "Partially Refunded",
      amount: 5_000,
      currency: "EUR",
      reference: "#1042",
    };
    const actions: PaymentActionDetails[] = [
      { id: refundId, type: "Refund", amount: 1_200, approved: true, processed_on: "2026-11-05T10:00:00.000Z", response_code: "10000" },
      { id: ckoId("act"), type: "Capture", amount: 5_000, approved: true, processed_on: "2026-11-02T12:00:00.000Z", response_code: "10000" },
      { id: ckoId("act"), type: "Authorization", amount: 5_000, approved: true, processed_on: "2026-11-02T09:00:00.000Z", response_code: "10000" },
    ];
    const imported = await db().$transaction((tx) => importPayment(tx, shop.shop.id, details, actions));
    await db().$transaction((tx) => importPayment(tx, shop.shop.id, details, actions));
    expect((await checkJobs(shop.shop.id)).map((j) => [j.key, JSON.parse(j.payload)])).toEqual([[imported!.id, { paymentId: imported!.id, cause: refundId }]]);
  });
});
