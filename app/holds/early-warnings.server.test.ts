// The issuer's early warnings against both stand-ins: a fraud report or retrieval request holds the
// unshipped order once; under the merchant's amount the payment is refunded once (the held order
// canceled with it, or a shipped order refunded), never over it; monitor-only and rules off only
// record; without an order the payment waits under Unmatched. Also from the event to the job.
import { beforeEach, describe, expect, it } from "vitest";
import { db, rawSql } from "../db.server";
import { applyEvent } from "../events/handlers.server";
import { checkoutEvent } from "../../test/fixtures/checkout-events";
import type { CheckoutStandIn } from "../../test/standins/checkout/server";
import { useMoneyStandIns } from "../../test/helpers/money-world";
import { createOrder, createPayment, holdsOn, installShop, type ShopifyStandIn } from "../../test/helpers/holds";
import { actOnEarlyWarning, EARLY_WARNING_ACTOR, type EarlyWarning } from "./early-warnings.server";
import { HOLD_TAG } from "./holds.server";
import { countUnmatchedRisky } from "./unmatched.server";

let shopify: ShopifyStandIn;
let checkout: CheckoutStandIn;
let shop: Awaited<ReturnType<typeof installShop>>;

const standIns = useMoneyStandIns();
beforeEach(async () => {
  ({ shopify, checkout } = standIns);
  shop = await installShop(shopify);
});

/** A captured USD 94.00 payment, known at Checkout.com, for an order (unless `order: false`); not flagged. */
async function paidOrder(options: { order?: boolean } = {}) {
  const cko = checkout.state.createPayment({ amount: 9400, currency: "USD", capture: true });
  const order = options.order === false ? null : createOrder(shopify, shop.domain);
  const payment = await createPayment(shop.shop.id, {
    ckoPaymentId: cko.fixture.id,
    reference: order?.name ?? "lost-cart-17",
    status: "Captured",
    capturedAmount: 9400,
    riskFlagged: false,
    riskScore: 5,
  });
  return { order, payment };
}

const rules = (data: { earlyWarningRefundUpTo?: Record<string, number>; monitorOnly?: boolean; enabled?: boolean }) => {
  const fields = {
    monitorOnly: data.monitorOnly ?? false,
    enabled: data.enabled ?? true,
    earlyWarningRefundUpTo: JSON.stringify(data.earlyWarningRefundUpTo ?? {}),
  };
  return db().riskRules.upsert({ where: { shopId: shop.shop.id }, update: fields, create: { shopId: shop.shop.id, ...fields } });
};
const fraud = (paymentId: string): EarlyWarning => ({ paymentId, type: "fraud_reported", reason: "Fraudulent Use Of Account Number" });
const refundsAt = (ckoPaymentId: string) => checkout.state.payment("shop_a", ckoPaymentId).actions.filter((a) => a.type === "Refund");
const ourAssessments = (orderId: string) => shopify.store.requireOrder(orderId).riskAssessments.filter((a) => a.providerAppId === shopify.app.id);

describe("an early warning on an order that has not shipped", () => {
  it("holds it once, with the issuer's reason, however often the warning is acted on", async () => {
    const { order, payment } = await paidOrder();
    expect(await actOnEarlyWarning(shop.shop.id, fraud(payment.id))).toBe("held");
    expect(await actOnEarlyWarning(shop.shop.id, fraud(payment.id))).toBe("held");
    expect(await actOnEarlyWarning(shop.shop.id, { paymentId: payment.id, type: "payment_retrieval" })).toBe("held");

    expect(holdsOn(shopify, order!.id).ours).toHaveLength(1);
    expect(ourAssessments(order!.id)).toHaveLength(1);
    expect(shopify.store.requireOrder(order!.id).tags).toContain(HOLD_TAG);
    const hold = await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } });
    expect(hold).toMatchObject({
      status: "held",
      ruleHits: JSON.stringify([{ rule: "early_warning", value: "fraud_reported", threshold: "Fraudulent Use Of Account Number" }]),
    });
    expect(refundsAt(payment.ckoPaymentId)).toHaveLength(0);
    expect((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).riskFlagged).toBe(true);
  });

  it("refunds at once up to the merchant's amount: the order is canceled with its refund, once", async () => {
    await rules({ earlyWarningRefundUpTo: { USD: 10000 } });
    const { order, payment } = await paidOrder();
    expect(await actOnEarlyWarning(shop.shop.id, fraud(payment.id))).toBe("refunded");
    expect(await actOnEarlyWarning(shop.shop.id, fraud(payment.id))).toBe("already_decided");
    expect(await actOnEarlyWarning(shop.shop.id, { paymentId: payment.id, type: "payment_retrieval" })).toBe("already_decided");

    expect(refundsAt(payment.ckoPaymentId)).toHaveLength(1);
    expect(refundsAt(payment.ckoPaymentId)[0].amount).toBe(9400);
    expect(await db().moneyAction.findMany({ where: { paymentId: payment.id } })).toMatchObject([
      { kind: "refund", source: "system", requestedBy: EARLY_WARNING_ACTOR },
    ]);
    expect(shopify.store.requireOrder(order!.id)).toMatchObject({ cancelReason: "FRAUD" });
    expect(shopify.store.requireOrder(order!.id).cancelledAt).not.toBeNull();
    expect(await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } })).toMatchObject({ status: "canceled", resolvedBy: EARLY_WARNING_ACTOR });
    const audited = await db().auditLog.findMany({ where: { shopId: shop.shop.id, action: "order.cancel" } });
    // The money service's entry and the hold's, both the app's own.
    expect(audited).toMatchObject([1, 2].map(() => ({ actor: EARLY_WARNING_ACTOR, source: "system", result: "ok" })));
  });

  it("never refunds over the amount, nor in another currency: it holds for a reviewer", async () => {
    await rules({ earlyWarningRefundUpTo: { USD: 9399, EUR: 100000 } });
    const { order, payment } = await paidOrder();
    expect(await actOnEarlyWarning(shop.shop.id, fraud(payment.id))).toBe("held");
    expect(refundsAt(payment.ckoPaymentId)).toHaveLength(0);
    expect(shopify.store.requireOrder(order!.id).cancelledAt).toBeNull();
    expect(holdsOn(shopify, order!.id).ours).toHaveLength(1);
  });

  it("monitor-only records what it would have done, and does nothing in Shopify or at Checkout.com", async () => {
    await rules({ earlyWarningRefundUpTo: { USD: 10000 }, monitorOnly: true });
    const { order, payment } = await paidOrder();
    expect(await actOnEarlyWarning(shop.shop.id, fraud(payment.id))).toBe("monitored");
    expect(holdsOn(shopify, order!.id).ours).toHaveLength(0);
    expect(refundsAt(payment.ckoPaymentId)).toHaveLength(0);
    const said = await db().paymentActivity.findMany({ where: { paymentId: payment.id, type: "early_warning" } });
    expect(said.map((a) => a.summary)).toEqual([
      "The issuer reported this payment as fraud: Fraudulent Use Of Account Number. Monitor only: would have refunded it (up to USD 100.00).",
    ]);
  });

  it("with the rules off, only records the warning", async () => {
    await rules({ enabled: false, earlyWarningRefundUpTo: { USD: 10000 } });
    const { order, payment } = await paidOrder();
    expect(await actOnEarlyWarning(shop.shop.id, fraud(payment.id))).toBe("recorded");
    expect(holdsOn(shopify, order!.id).ours).toHaveLength(0);
    expect(refundsAt(payment.ckoPaymentId)).toHaveLength(0);
  });
});

describe("an early warning on a shipped order", () => {
  it("refunds it once under the amount (nothing is left to hold)", async () => {
    await rules({ earlyWarningRefundUpTo: { USD: 10000 } });
    const { order, payment } = await paidOrder();
    shopify.store.fulfillOrder(order!.id);
    expect(await actOnEarlyWarning(shop.shop.id, fraud(payment.id))).toBe("refunded");
    expect(await actOnEarlyWarning(shop.shop.id, { paymentId: payment.id, type: "payment_retrieval" })).toBe("refunded");
    expect(refundsAt(payment.ckoPaymentId)).toHaveLength(1);
    expect(shopify.store.requireOrder(order!.id).cancelledAt).toBeNull();
  });

  it("over the amount, tells the reviewer on the timeline and refunds nothing", async () => {
    const { order, payment } = await paidOrder();
    shopify.store.fulfillOrder(order!.id);
    expect(await actOnEarlyWarning(shop.shop.id, { paymentId: payment.id, type: "payment_retrieval" })).toBe("shipped");
    expect(refundsAt(payment.ckoPaymentId)).toHaveLength(0);
    const said = await db().paymentActivity.findMany({ where: { paymentId: payment.id, type: "early_warning" } });
    expect(said.map((a) => a.summary)).toEqual([
      "The issuer asked for the transaction details (retrieval request), often a dispute's first step. The order has shipped (nothing left to hold): refund it or prepare for a dispute.",
    ]);
  });
});

it("without a Shopify order, flags the payment so it waits under Unmatched", async () => {
  const { payment } = await paidOrder({ order: false });
  expect(await countUnmatchedRisky(shop.shop.id)).toBe(0);
  expect(await actOnEarlyWarning(shop.shop.id, fraud(payment.id))).toBe("unmatched");
  expect(await countUnmatchedRisky(shop.shop.id)).toBe(1);
});

it("acts only on the shop's own payment", async () => {
  const { order, payment } = await paidOrder();
  const other = await installShop(shopify);
  expect(await actOnEarlyWarning(other.shop.id, fraud(payment.id))).toBe("not_found");
  expect(holdsOn(shopify, order!.id).ours).toHaveLength(0);
});

it("queues the warning once per payment and kind when its event is processed (fraud_reported names its payment in data.payment)", async () => {
  const { payment } = await paidOrder();
  const event = checkoutEvent("fraud_reported", {
    reference: payment.reference,
    payment: { id: payment.ckoPaymentId, amount: { currency: "USD", value: "94.000000" } },
    fraud: { issue_date: "2026-12-01T10:00:00Z", reason: "Fraudulent Use Of Account Number", type: "6", amount: { currency: "USD", value: "94.00" } },
  });
  for (const eventId of [event.id as string, `${event.id as string}-again`]) {
    const row = {
      id: eventId,
      connectionId: shop.connection.id,
      shopId: shop.shop.id,
      eventId,
      type: "fraud_reported",
      payload: JSON.stringify(event),
      receivedAt: new Date(),
    };
    expect(await applyEvent(rawSql(), row)).toBe("applied");
  }
  const jobs = await db().job.findMany({ where: { shopId: shop.shop.id, kind: "early_warning" } });
  expect(jobs).toMatchObject([{ key: `${payment.id}:fraud_reported`, priority: 1 }]);
  expect(JSON.parse(jobs[0].payload)).toEqual({ paymentId: payment.id, type: "fraud_reported", reason: "Fraudulent Use Of Account Number" });
  const timeline = await db().paymentActivity.findMany({ where: { paymentId: payment.id, type: "fraud_reported" } });
  expect(timeline.map((t) => t.summary)).toEqual([
    "The issuer reported this payment as fraud · Fraudulent Use Of Account Number",
    "The issuer reported this payment as fraud · Fraudulent Use Of Account Number",
  ]);
});
