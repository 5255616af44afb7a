// "Cancel the order at once on a deny-list hit" (off by default), against both stand-ins: a deny-listed
// payment's order is held and then canceled with its refund once, whatever the retries; other rules'
// holds, monitor-only mode and the default only hold or record.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import type { CheckoutStandIn } from "../../test/standins/checkout/server";
import { useMoneyStandIns } from "../../test/helpers/money-world";
import { createOrder, createPayment, holdsOn, installShop, type ShopifyStandIn } from "../../test/helpers/holds";
import { DENY_LIST_ACTOR, reviewPayment } from "./review.server";

let shopify: ShopifyStandIn;
let checkout: CheckoutStandIn;
let shop: Awaited<ReturnType<typeof installShop>>;

const standIns = useMoneyStandIns();
beforeEach(async () => {
  ({ shopify, checkout } = standIns);
  shop = await installShop(shopify);
  await db().listEntry.create({ data: { shopId: shop.shop.id, list: "deny", kind: "email", value: "mallory@example.com" } });
});

const rules = (data: { cancelOnDenyListHit: boolean; monitorOnly?: boolean }) =>
  db().riskRules.upsert({ where: { shopId: shop.shop.id }, update: data, create: { shopId: shop.shop.id, ...data } });

/** A captured USD 94.00 payment at Checkout.com for a new order, unflagged (risk score 5). */
async function paidOrder(email: string, overrides: { riskFlagged?: boolean } = {}) {
  const cko = checkout.state.createPayment({ amount: 9400, currency: "USD", capture: true });
  const order = createOrder(shopify, shop.domain);
  const payment = await createPayment(shop.shop.id, {
    ckoPaymentId: cko.fixture.id,
    reference: order.name,
    status: "Captured",
    capturedAmount: 9400,
    customerEmail: email,
    riskFlagged: overrides.riskFlagged ?? false,
    riskScore: 5,
  });
  return { order, payment };
}

const refundsAt = (ckoPaymentId: string) => checkout.state.payment("shop_a", ckoPaymentId).actions.filter((a) => a.type === "Refund");

describe("a deny-list hit", () => {
  it("by default holds the order for a reviewer and cancels nothing", async () => {
    const { order, payment } = await paidOrder("mallory@example.com");
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
    expect(holdsOn(shopify, order.id).ours).toHaveLength(1);
    expect(shopify.store.requireOrder(order.id).cancelledAt).toBeNull();
    expect(refundsAt(payment.ckoPaymentId)).toHaveLength(0);
  });

  it("with the rule on, cancels the unshipped order and refunds it once, as the app, however often the review runs", async () => {
    await rules({ cancelOnDenyListHit: true });
    const { order, payment } = await paidOrder("Mallory@Example.com");
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("canceled");
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("canceled");

    expect(shopify.store.requireOrder(order.id)).toMatchObject({ cancelReason: "FRAUD" });
    expect(shopify.store.requireOrder(order.id).cancelledAt).not.toBeNull();
    expect(refundsAt(payment.ckoPaymentId)).toHaveLength(1);
    expect(await db().moneyAction.findMany({ where: { paymentId: payment.id } })).toMatchObject([
      { kind: "refund", source: "system", requestedBy: DENY_LIST_ACTOR },
    ]);
    expect(await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } })).toMatchObject({ status: "canceled", resolvedBy: DENY_LIST_ACTOR });
    const audited = await db().auditLog.findMany({ where: { shopId: shop.shop.id, action: "order.cancel", paymentId: payment.id } });
    expect(audited.length).toBeGreaterThan(0);
    expect(audited.every((entry) => entry.actor === DENY_LIST_ACTOR && entry.source === "system" && entry.result === "ok")).toBe(true);
    const timeline = await db().paymentActivity.findMany({ where: { paymentId: payment.id, type: "order_canceled" } });
    expect(timeline.map((a) => a.summary)).toEqual([
      `Order canceled by ${DENY_LIST_ACTOR} because the payment hit the deny list (canceling those at once is on)`,
    ]);
  });

  it("with the rule on, only holds orders that other rules flagged", async () => {
    await rules({ cancelOnDenyListHit: true });
    const { order, payment } = await paidOrder("ada@example.com", { riskFlagged: true });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
    expect(shopify.store.requireOrder(order.id).cancelledAt).toBeNull();
    expect(refundsAt(payment.ckoPaymentId)).toHaveLength(0);
  });

  it("in monitor-only mode records the hit and touches nothing", async () => {
    await rules({ cancelOnDenyListHit: true, monitorOnly: true });
    const { order, payment } = await paidOrder("mallory@example.com");
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("monitored");
    expect(holdsOn(shopify, order.id).ours).toHaveLength(0);
    expect(shopify.store.requireOrder(order.id).cancelledAt).toBeNull();
    expect(refundsAt(payment.ckoPaymentId)).toHaveLength(0);
  });
});
