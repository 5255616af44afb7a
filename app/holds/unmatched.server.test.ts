// Risky payments without an order, against the Shopify stand-in: they are listed with candidate
// orders from the order index, a reviewer links one by hand (audited) and the order is held once;
// linking is refused across shops, twice, or to an order another payment has.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { createOrder, createPayment, deliverOrderWebhooks, holdsOn, installShop, startShopifyStandIn, type ShopifyStandIn } from "../../test/helpers/holds";
import type { Reviewer } from "./review-actions.server";
import { reviewPayment } from "./review.server";
import { linkPaymentByHand, listUnmatchedRisky } from "./unmatched.server";

let world: ReturnType<typeof startShopifyStandIn>;
let shopify: ShopifyStandIn;
let shop: Awaited<ReturnType<typeof installShop>>;
let reviewer: Reviewer;

beforeAll(() => {
  world = startShopifyStandIn();
  shopify = world.standIn;
});
afterAll(() => world.close());
beforeEach(async () => {
  shop = await installShop(shopify);
  reviewer = { shopId: shop.shop.id, shop: shop.domain, actor: "Rita Reviewer <rita@example.com>" };
});

/** A flagged payment whose reference names no order: matching finds none and gives up. */
async function unmatchedPayment(owner = shop, data: Parameters<typeof createPayment>[1] = {}) {
  const payment = await createPayment(owner.shop.id, { reference: "cart-7f3a", customerEmail: "grace@example.com", ...data });
  await db().payment.update({ where: { id: payment.id }, data: { matchStatus: "unmatched" } });
  return payment;
}

const linkAudits = () => db().auditLog.findMany({ where: { shopId: shop.shop.id, action: "payment.link" }, orderBy: { createdAt: "asc" } });

describe("the Unmatched tab", () => {
  it("lists a flagged payment without an order, with the indexed orders of its email or amount as candidates", async () => {
    const payment = await unmatchedPayment();
    const byEmail = createOrder(shopify, shop.domain, { email: "grace@example.com" });
    const other = createOrder(shopify, shop.domain, { email: "someone@example.com", lineItems: [{ title: "Mug", price: "12.00", quantity: 1 }] });
    await deliverOrderWebhooks(shopify, byEmail);
    await deliverOrderWebhooks(shopify, other);

    const [listed, ...rest] = await listUnmatchedRisky(shop.shop.id);
    expect(rest).toEqual([]);
    expect(listed).toMatchObject({ id: payment.id, amount: 9400, currency: "USD", reasons: expect.arrayContaining(["flagged"]), stillLooking: false });
    expect(listed.candidates.map((c) => [c.name, c.why, c.total, c.currency])).toEqual([[byEmail.name, ["email", "amount"], 9400, "USD"]]);
  });

  it("leaves out payments that are not risky, declined, or already linked", async () => {
    await createPayment(shop.shop.id, { riskFlagged: false, riskScore: 5, reference: "cart-1", matchStatus: "unmatched" });
    await unmatchedPayment(shop, { status: "Declined" });
    const order = createOrder(shopify, shop.domain);
    const matched = await createPayment(shop.shop.id, { reference: order.name });
    expect(await reviewPayment(shop.shop.id, matched.id)).toBe("held");
    expect(await listUnmatchedRisky(shop.shop.id)).toEqual([]);
  });
});

describe("linking by hand", () => {
  it("links the payment to the order named, audits it, and holds the order once", async () => {
    const payment = await unmatchedPayment();
    const order = createOrder(shopify, shop.domain, { email: "grace@example.com" });

    const results = await Promise.all([linkPaymentByHand(reviewer, payment.id, order.name), linkPaymentByHand(reviewer, payment.id, order.name)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => r.ok)?.message).toBe(`Linked to ${order.name}. The order is held for review.`);
    expect(await db().orderLink.findUniqueOrThrow({ where: { paymentId: payment.id } })).toMatchObject({ orderGid: order.id, matchedBy: "manual" });
    expect(holdsOn(shopify, order.id).ours).toHaveLength(1);
    const audits = await linkAudits();
    expect(audits.map((a) => [a.actor, a.result])).toEqual(
      expect.arrayContaining([
        [reviewer.actor, "ok"],
        [reviewer.actor, "error"],
      ]),
    );
    expect(await listUnmatchedRisky(shop.shop.id)).toEqual([]);
  });

  it("finds the order by its number in Shopify when the order index does not have it", async () => {
    const payment = await unmatchedPayment();
    const order = createOrder(shopify, shop.domain);
    const result = await linkPaymentByHand(reviewer, payment.id, order.name.replace("#", ""));
    expect(result).toMatchObject({ ok: true });
    expect(holdsOn(shopify, order.id).ours).toHaveLength(1);
  });

  it("says so and links nothing when Shopify cannot be asked for the order", async () => {
    const payment = await unmatchedPayment();
    const order = createOrder(shopify, shop.domain);
    shopify.limits.failNext(20, 503);
    const result = await linkPaymentByHand(reviewer, payment.id, order.name).finally(() => shopify.limits.clearFaults());
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("Shopify could not be asked for the order") });
    expect(await db().orderLink.count({ where: { paymentId: payment.id } })).toBe(0);
  });

  it("refuses an order another payment has, an order of another shop, and another shop's payment", async () => {
    const payment = await unmatchedPayment();
    const order = createOrder(shopify, shop.domain);
    const first = await createPayment(shop.shop.id, { reference: order.name });
    await reviewPayment(shop.shop.id, first.id);
    expect(await linkPaymentByHand(reviewer, payment.id, order.name)).toEqual({
      ok: false,
      message: `${order.name} is already linked to another payment.`,
      notice: { key: "orderTaken", values: { order: order.name } },
    });

    const other = await installShop(shopify);
    const theirOrder = createOrder(shopify, other.domain);
    expect(await linkPaymentByHand(reviewer, payment.id, theirOrder.id)).toMatchObject({
      ok: false,
      message: `No order ${theirOrder.id} was found in this shop.`,
    });

    const theirPayment = await unmatchedPayment(other);
    expect(await linkPaymentByHand(reviewer, theirPayment.id, order.name)).toMatchObject({ ok: false, notFound: true });
    expect(await db().orderLink.count({ where: { paymentId: { in: [payment.id, theirPayment.id] } } })).toBe(0);
    expect((await linkAudits()).every((a) => a.result === "error")).toBe(true);
  });
});
