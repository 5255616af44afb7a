// The order check against both stand-ins: the payment as Checkout.com's webhooks recorded it (the
// stand-in's own events, through the app's inbox and worker), the order as the Shopify stand-in holds
// it. The shop has no payments app connected in the Shopify stand-in, so a refund made through Shopify
// stays PENDING there until a test settles it as the payments app would.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { useMoneyStandIns } from "../../test/helpers/money-world";
import { createOrder, installShop } from "../../test/helpers/holds";
import { putInInbox } from "../../test/helpers/checkout-webhooks";
import { ckoId } from "../../test/fixtures/checkout-events";
import { createEventFactory } from "../../test/standins/checkout/events";
import { call } from "../../test/standins/checkout/testing";
import type { StoredPayment } from "../../test/standins/checkout/state";
import type { OrderRecord } from "../../test/standins/shopify/store";
import type { PaymentActionDetails, PaymentDetails } from "../checkout/schemas";
import { db } from "../db.server";
import { createAppWorker, JOB_HANDLERS } from "../events/registry.server";
import { storeOrderLink } from "../holds/matching.server";
import { REFUND_CREATE_MUTATION } from "../money/shopify-documents";
import { importPayment } from "../payments/import.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { checkPaymentAgainstOrder } from "./check.server";
import { CHECK_DELAY_MS, queueReconciliationCheck } from "./queue.server";

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
  it("once per money event, dispute status and order link, two minutes after it", async () => {
    const paid = await paidOrder();
    const captureEvent = paid.delivered.find((e) => e.type === "payment_captured")!;
    // The authorisation changed nothing the check compares; the capture and the link did.
    expect((await checkJobs(shop.shop.id)).map((j) => j.key).sort()).toEqual([`${paid.paymentId}:${captureEvent.id}`, `${paid.paymentId}:linked`].sort());

    const deliveredAt = Date.now();
    const refund = await atCheckout(paid, "refunds", 1_500);
    const refundJob = (await checkJobs(shop.shop.id)).find((j) => j.key === `${paid.paymentId}:${refund.id}`)!;
    expect(JSON.parse(refundJob.payload)).toEqual({ paymentId: paid.paymentId });
    expect(refundJob.runAt.getTime()).toBeGreaterThanOrEqual(deliveredAt + CHECK_DELAY_MS);
    expect(refundJob.runAt.getTime()).toBeLessThan(Date.now() + CHECK_DELAY_MS + 1_000);
    // The same event again (a redelivery), and the same link stored again: nothing more is queued.
    await deliver(shop, refund);
    await link(shop, paid.paymentId, paid.order);
    expect(await queueReconciliationCheck(shop.shop.id, paid.paymentId, refund.id as string)).toBe(false);
    expect(await checkJobs(shop.shop.id)).toHaveLength(3);

    const dispute = world.checkout.state.createDispute({ account: "shop_a", paymentId: paid.stored.fixture.id });
    const received = events().dispute(account(), "dispute_evidence_required", dispute);
    await deliver(shop, received);
    // A later event that leaves the status where it is queues nothing.
    await deliver(shop, events().dispute(account(), "dispute_evidence_required", dispute));
    const lost = events().dispute(account(), "dispute_lost", dispute);
    await deliver(shop, lost);
    expect((await checkJobs(shop.shop.id)).map((j) => j.key).filter((k) => k.endsWith(received.id as string) || k.endsWith(lost.id as string))).toEqual(
      [`${paid.paymentId}:${received.id}`, `${paid.paymentId}:${lost.id}`].sort(),
    );
    expect(await checkJobs(shop.shop.id)).toHaveLength(5);
  });

  it("once per import of a payment read from Checkout.com's API, keyed by its newest action", async () => {
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
    expect((await checkJobs(shop.shop.id)).map((j) => j.key)).toEqual([`${imported!.id}:${refundId}`]);
  });
});
