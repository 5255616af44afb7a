// Payment review against the Shopify stand-in: each way of finding the order, waiting for orders that
// do not exist yet, the rules' outcomes, and exactly one hold per payment under retries and races.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { checkoutEvent, ckoId, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import {
  createOrder,
  createPayment,
  deliverOrderWebhooks,
  holdsOn,
  installShop,
  shopifyCalls,
  startShopifyStandIn,
  type ShopifyStandIn,
} from "../../test/helpers/holds";
import type { OrderRecord } from "../../test/standins/shopify/store";
import { HOLD_BUSY, HOLD_TAG, HoldBusyError, withHoldLease } from "./holds.server";
import { resetEnvForTests } from "../env.server";
import { reviewNewOrder, reviewPayment } from "./review.server";
import { recordActivity } from "../payments/record.server";
import { saveFlowSettings } from "../flow/settings.server";

const flowForm = (handles: string[]) => {
  const form = new FormData();
  for (const handle of handles) form.append("trigger", handle);
  return form;
};

let world: ReturnType<typeof startShopifyStandIn>;
let standIn: ShopifyStandIn;
let shop: Awaited<ReturnType<typeof installShop>>;

beforeAll(() => {
  world = startShopifyStandIn();
  standIn = world.standIn;
});
afterAll(() => world.close());
beforeEach(async () => {
  shop = await installShop(standIn);
});

const linkOf = (paymentId: string) => db().orderLink.findUnique({ where: { paymentId } });

/** Stores a payment event in the inbox, as the webhook pipeline does. */
async function storeEvent(paymentId: string, type: string, extra: Record<string, unknown> = {}) {
  const fixture = paymentFixture({ id: paymentId });
  const event = checkoutEvent(type, paymentEventData(type, fixture, extra));
  await db().webhookEvent.create({
    data: {
      shopId: shop.shop.id,
      connectionId: shop.connection.id,
      eventId: event.id as string,
      type,
      ckoPaymentId: paymentId,
      payload: JSON.stringify(event),
      status: "processed",
    },
  });
  return event;
}

// Each way of matching, found in the order index (filled by the order webhooks, no Shopify call) and
// in Shopify (a payment not to hold asks Shopify from its first retry on).
const SOURCES = [
  { source: "the order index", prepare: (order: OrderRecord) => deliverOrderWebhooks(standIn, order), payment: {}, shopifyReads: 0 },
  { source: "Shopify, on a retry", prepare: async () => {}, payment: { matchAttempts: 1 }, shopifyReads: undefined },
] as const;

describe.each(SOURCES)("matching a payment to its order, from $source", ({ prepare, payment: retry, shopifyReads }) => {
  const calls = () => shopifyCalls(standIn, shop.domain);
  const expectReads = (before: number) => {
    if (shopifyReads !== undefined) expect(calls().length - before).toBe(shopifyReads);
    else expect(calls().slice(before)).toContain("HoldOrderCandidates");
  };

  it("matches the reference as the order name (strong)", async () => {
    const order = createOrder(standIn, shop.domain, { email: "other@example.com" });
    await prepare(order);
    const payment = await createPayment(shop.shop.id, { reference: order.name, riskFlagged: false, riskScore: 1, ...retry });
    const before = calls().length;
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("no_risk");
    expectReads(before);
    expect(await linkOf(payment.id)).toMatchObject({
      orderGid: order.id,
      orderName: order.name,
      matchedBy: "reference_name",
      confidence: "strong",
      needsReview: false,
    });
    expect((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).matchStatus).toBe("matched");
  });

  it("matches the reference as the order id", async () => {
    const order = createOrder(standIn, shop.domain, { email: null });
    await prepare(order);
    const payment = await createPayment(shop.shop.id, { reference: order.id.split("/").pop(), riskFlagged: false, riskScore: 1, ...retry });
    const before = calls().length;
    await reviewPayment(shop.shop.id, payment.id);
    expectReads(before);
    expect(await linkOf(payment.id)).toMatchObject({ orderGid: order.id, matchedBy: "reference_id", confidence: "strong" });
  });

  it("matches the reference as the checkout token", async () => {
    const order = createOrder(standIn, shop.domain, { checkoutToken: "0f9e8d7c6b5a49382716a5b4c3d2e1f0", email: null });
    await prepare(order);
    const payment = await createPayment(shop.shop.id, { reference: "0f9e8d7c6b5a49382716a5b4c3d2e1f0", riskFlagged: false, riskScore: 1, ...retry });
    const before = calls().length;
    await reviewPayment(shop.shop.id, payment.id);
    expectReads(before);
    expect(await linkOf(payment.id)).toMatchObject({ orderGid: order.id, matchedBy: "checkout_token", confidence: "strong" });
  });

  it("matches an order whose transaction carries the Checkout.com payment id", async () => {
    const ckoPaymentId = ckoId("pay");
    const order = createOrder(standIn, shop.domain, { email: null, payment: { gateway: "checkout_com", paymentId: ckoPaymentId } });
    await prepare(order);
    const payment = await createPayment(shop.shop.id, { ckoPaymentId, reference: "cart-7781", riskFlagged: false, riskScore: 1, ...retry });
    const before = calls().length;
    await reviewPayment(shop.shop.id, payment.id);
    expectReads(before);
    expect(await linkOf(payment.id)).toMatchObject({ orderGid: order.id, matchedBy: "transaction", confidence: "strong" });
  });
});

describe("a risky payment whose order is not found", () => {
  it("tells Flow once, when the first retry (which asks Shopify) still finds no order", async () => {
    await saveFlowSettings(shop.shop.id, flowForm(["cko-payment-unmatched"]));
    const payment = await createPayment(shop.shop.id, { reference: "cart-that-never-ordered" });
    const flowJobs = () => db().job.findMany({ where: { shopId: shop.shop.id, kind: JOB_KINDS.flowTrigger } });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("waiting");
    expect(await flowJobs()).toEqual([]); // its order webhook may just be late
    for (let i = 0; i < 2; i++) expect(await reviewPayment(shop.shop.id, payment.id)).toBe("waiting");
    expect((await flowJobs()).map((j) => j.key)).toEqual([`payment_unmatched:${payment.id}`]);
  });
});

describe("matching by email and amount (weak)", () => {
  it("waits until Shopify was asked the payment's own reference, then links the same email, amount and currency for review", async () => {
    const order = createOrder(standIn, shop.domain, { email: "Ada@Example.com" });
    const otherCurrency = createOrder(standIn, shop.domain, { email: "ada@example.com", currency: "EUR" });
    await deliverOrderWebhooks(standIn, order);
    await deliverOrderWebhooks(standIn, otherCurrency);
    const payment = await createPayment(shop.shop.id, { reference: "unknown-ref", amount: 9400, riskFlagged: false, riskScore: 1 });
    // First review, from the index only: its own order may just not be indexed yet.
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("waiting");
    expect(await linkOf(payment.id)).toBeNull();
    // The retry asks Shopify, which knows no order by that reference either: the weak match it is.
    await reviewPayment(shop.shop.id, payment.id);
    expect(await linkOf(payment.id)).toMatchObject({ orderGid: order.id, matchedBy: "email_amount", confidence: "weak", needsReview: true });
  });

  it("never takes a payment of a burst for the same customer's earlier order while its own order is not indexed yet", async () => {
    // Two orders of one customer, same amount; only the first reached the index (its webhook came).
    const first = createOrder(standIn, shop.domain, { email: "ada@example.com" });
    const second = createOrder(standIn, shop.domain, { email: "ada@example.com" });
    await deliverOrderWebhooks(standIn, first);
    const paysFirst = await createPayment(shop.shop.id, { reference: first.name, amount: 9400, riskFlagged: false, riskScore: 1 });
    const paysSecond = await createPayment(shop.shop.id, { reference: second.name, amount: 9400, riskFlagged: false, riskScore: 1 });
    await reviewPayment(shop.shop.id, paysFirst.id);
    expect(await reviewPayment(shop.shop.id, paysSecond.id)).toBe("waiting");
    expect(await linkOf(paysSecond.id)).toBeNull();
    // Shopify, asked on the retry, knows the second order by name.
    await db().payment.update({ where: { id: paysSecond.id }, data: { matchAttempts: 1 } });
    await reviewPayment(shop.shop.id, paysSecond.id);
    expect(await linkOf(paysSecond.id)).toMatchObject({ orderGid: second.id, matchedBy: "reference_name", confidence: "strong" });
  });

  it("does not offer an order another payment is linked to", async () => {
    const order = createOrder(standIn, shop.domain, { email: "ada@example.com" });
    await deliverOrderWebhooks(standIn, order);
    const paid = await createPayment(shop.shop.id, { reference: order.name, amount: 9400, riskFlagged: false, riskScore: 1 });
    await reviewPayment(shop.shop.id, paid.id);
    expect(await linkOf(paid.id)).toMatchObject({ orderGid: order.id });
    const stranger = await createPayment(shop.shop.id, { reference: "unknown-ref", amount: 9400, riskFlagged: false, riskScore: 1, matchAttempts: 1 });
    await reviewPayment(shop.shop.id, stranger.id);
    expect(await linkOf(stranger.id)).toBeNull();
  });
});

describe("matching a payment to its order", () => {
  it("matches an order whose transaction carries the payment's action id (from its stored events)", async () => {
    const ckoPaymentId = ckoId("pay");
    const event = await storeEvent(ckoPaymentId, "payment_approved");
    const actionId = (event.data as { action_id: string }).action_id;
    // The gateway recorded the authorization's action id, and the order's payment id lookup misses.
    const order = createOrder(standIn, shop.domain, { email: null, payment: { gateway: "checkout_com", paymentId: null, authorizationCode: actionId } });
    const payment = await createPayment(shop.shop.id, { ckoPaymentId, reference: null, riskFlagged: false, riskScore: 1, customerEmail: null });
    // Processing the event put it on the payment's timeline, with its action id.
    await recordActivity(db(), payment, {
      sourceKey: event.id as string,
      kind: "event",
      type: "payment_approved",
      summary: "Authorized",
      occurredAt: new Date(),
      actionId,
    });
    // A transaction search by payment_id cannot see an authorization code, so this is found only
    // once the order is known (orders/create): the same decision, made from the order's side.
    await reviewNewOrder(shop.shop.id, order.id);
    expect(await linkOf(payment.id)).toMatchObject({ orderGid: order.id, matchedBy: "transaction", confidence: "strong" });
  });

  it("uses a stored link first, without looking again", async () => {
    const linked = createOrder(standIn, shop.domain);
    const other = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: other.name, matchStatus: "matched" });
    await db().orderLink.create({
      data: { shopId: shop.shop.id, paymentId: payment.id, orderGid: linked.id, orderName: linked.name, matchedBy: "manual", confidence: "strong" },
    });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
    expect(holdsOn(standIn, linked.id).ours).toHaveLength(1);
    expect(holdsOn(standIn, other.id).ours).toHaveLength(0);
  });

  it("never links a payment to an order of another shop", async () => {
    const otherShop = await installShop(standIn);
    const foreign = createOrder(standIn, otherShop.domain);
    await deliverOrderWebhooks(standIn, foreign);
    // Flagged: it looks in its shop's index, then asks Shopify for its shop, at once.
    const payment = await createPayment(shop.shop.id, { reference: foreign.name, customerEmail: null });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("waiting");
    expect(await linkOf(payment.id)).toBeNull();
  });
});

describe("payments approved before their order exists", () => {
  it("stays pending and retries later with a new job, then matches at once on orders/create", async () => {
    const payment = await createPayment(shop.shop.id, { reference: "#5555" });
    const now = new Date();
    expect(await reviewPayment(shop.shop.id, payment.id, { now })).toBe("waiting");
    const stored = await db().payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(stored).toMatchObject({ matchStatus: "pending", matchAttempts: 1 });
    const retry = await db().job.findUniqueOrThrow({
      where: { shopId_kind_key: { shopId: shop.shop.id, kind: JOB_KINDS.paymentReview, key: `${payment.id}:retry:1` } },
    });
    expect(retry.runAt.getTime()).toBe(now.getTime() + 30_000);
    expect(JSON.parse(retry.payload)).toEqual({ paymentId: payment.id });

    // The second attempt backs off further.
    expect(await reviewPayment(shop.shop.id, payment.id, { now })).toBe("waiting");
    const second = await db().job.findUniqueOrThrow({
      where: { shopId_kind_key: { shopId: shop.shop.id, kind: JOB_KINDS.paymentReview, key: `${payment.id}:retry:2` } },
    });
    expect(second.runAt.getTime()).toBe(now.getTime() + 60_000);

    const order = createOrder(standIn, shop.domain, { name: "#5555" });
    expect(await reviewNewOrder(shop.shop.id, order.id)).toEqual([payment.id]);
    expect(await linkOf(payment.id)).toMatchObject({ orderGid: order.id, matchedBy: "reference_name" });
    expect(holdsOn(standIn, order.id).ours).toHaveLength(1);
  });

  it("gives up once the shop's match window is over", async () => {
    await db().shopSettings.update({ where: { shopId: shop.shop.id }, data: { matchWindowMinutes: 10 } });
    const payment = await createPayment(shop.shop.id, { reference: "#7777", processedOn: new Date(Date.now() - 11 * 60_000) });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("unmatched");
    expect((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).matchStatus).toBe("unmatched");
    expect(await db().job.count({ where: { shopId: shop.shop.id, key: { startsWith: payment.id } } })).toBe(0);
  });

  it("does nothing for a shop that uninstalled the app", async () => {
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name });
    await db().shop.update({ where: { id: shop.shop.id }, data: { uninstalledAt: new Date() } });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("not_reviewable");
    expect(await reviewNewOrder(shop.shop.id, order.id)).toEqual([]);
    expect(holdsOn(standIn, order.id).ours).toHaveLength(0);
  });

  it("does not review declined payments, and waits for pending ones", async () => {
    const declined = await createPayment(shop.shop.id, { status: "Declined" });
    expect(await reviewPayment(shop.shop.id, declined.id)).toBe("not_reviewable");
    const pending = await createPayment(shop.shop.id, { status: "Pending" });
    expect(await reviewPayment(shop.shop.id, pending.id)).toBe("waiting");
  });
});

describe("rules and holds", () => {
  it("holds every open fulfillment order with our handle, records a risk assessment and tags the order", async () => {
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name, riskScore: 91 });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");

    const hold = await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } });
    expect(hold).toMatchObject({ status: "held", orderGid: order.id, riskAssessmentDone: true, tagged: true });
    expect(JSON.parse(hold.ruleHits)).toEqual([
      { rule: "flagged", value: true },
      { rule: "risk_score", value: 91, threshold: 70 },
    ]);
    const { ours, order: after } = holdsOn(standIn, order.id);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ reason: "HIGH_RISK_OF_FRAUD", handle: hold.externalId, externalId: hold.externalId, status: "ON_HOLD" });
    expect(ours[0].reasonNotes).toContain("Risk score 91 is at or above 70");
    expect(JSON.parse(hold.shopifyHoldIds)).toEqual([{ fulfillmentOrderId: ours[0].fulfillmentOrderId, holdId: ours[0].id }]);
    const assessment = after.riskAssessments.find((a) => a.providerAppId === standIn.app.id);
    expect(assessment).toMatchObject({ riskLevel: "HIGH" });
    expect(assessment!.facts.map((f) => f.description)).toContain("Checkout.com flagged the payment as risky");
    expect(after.tags).toContain(HOLD_TAG);
    const activity = await db().paymentActivity.findMany({ where: { paymentId: payment.id }, orderBy: { createdAt: "asc" } });
    expect(activity.map((a) => a.type)).toEqual(["hold_decided", "hold_placed"]);
  });

  it("holds the order's other open fulfillment orders too, and skips closed ones", async () => {
    const order = createOrder(standIn, shop.domain, {
      lineItems: [
        { title: "Sweater", price: "44.50" },
        { title: "Scarf", price: "44.50" },
      ],
    });
    const fo = order.fulfillmentOrders[0];
    order.fulfillmentOrders.push({ ...fo, id: standIn.store.newId("FulfillmentOrder"), holds: [], lineItems: [] });
    order.fulfillmentOrders.push({ ...fo, id: standIn.store.newId("FulfillmentOrder"), holds: [], lineItems: [], status: "CLOSED" });
    const payment = await createPayment(shop.shop.id, { reference: order.name });
    await reviewPayment(shop.shop.id, payment.id);
    const held = holdsOn(standIn, order.id).ours.map((h) => h.fulfillmentOrderId);
    expect(held).toEqual([order.fulfillmentOrders[0].id, order.fulfillmentOrders[1].id]);
  });

  it("does nothing when no rule fires", async () => {
    const order = createOrder(standIn, shop.domain);
    await deliverOrderWebhooks(standIn, order);
    const payment = await createPayment(shop.shop.id, { reference: order.name, riskFlagged: false, riskScore: 10 });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("no_risk");
    expect(await db().hold.count({ where: { paymentId: payment.id } })).toBe(0);
    expect(holdsOn(standIn, order.id).ours).toHaveLength(0);
  });

  it("never holds what is on the allow list", async () => {
    await db().listEntry.create({ data: { shopId: shop.shop.id, list: "allow", kind: "email", value: "ada@example.com" } });
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("allowed");
    expect(holdsOn(standIn, order.id).ours).toHaveLength(0);
    expect(await db().paymentActivity.findFirst({ where: { paymentId: payment.id, type: "risk_allowed" } })).not.toBeNull();
  });

  it("holds a deny-listed card even when Checkout.com did not flag the payment", async () => {
    await db().listEntry.create({ data: { shopId: shop.shop.id, list: "deny", kind: "bin", value: "424242" } });
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name, riskFlagged: false, riskScore: 5 });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
    expect(JSON.parse((await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } })).ruleHits)).toEqual([
      { rule: "deny_bin", value: "424242", threshold: "424242" },
    ]);
  });

  it("uses the IP country only when the payment's metadata carries it", async () => {
    await db().riskRules.update({ where: { shopId: shop.shop.id }, data: { holdOnFlagged: false, scoreThreshold: null, holdOnIpCountryMismatch: true } });
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("no_risk");

    const order2 = createOrder(standIn, shop.domain);
    const payment2 = await createPayment(shop.shop.id, { reference: order2.name });
    await storeEvent(payment2.ckoPaymentId, "payment_approved", { metadata: { ip_country: "ng" } });
    expect(await reviewPayment(shop.shop.id, payment2.id)).toBe("held");
    expect(JSON.parse((await db().hold.findUniqueOrThrow({ where: { paymentId: payment2.id } })).ruleHits)).toEqual([
      { rule: "ip_country", value: "NG", threshold: "US" },
    ]);
  });

  it("counts the customer's recent payments and cards in this shop only (velocity), from the payments table", async () => {
    await db().riskRules.update({
      where: { shopId: shop.shop.id },
      data: { holdOnFlagged: false, scoreThreshold: null, velocityHours: 6, velocityMaxPayments: 2, velocityMaxCards: 2 },
    });
    const email = "velocity@example.com";
    const other = await installShop(standIn);
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    // Another shop's payments, and this shop's older than the window, do not count.
    for (let i = 0; i < 5; i++) await createPayment(other.shop.id, { customerEmail: email, riskFlagged: false, cardFingerprint: `OTHER${i}` });
    await createPayment(shop.shop.id, { customerEmail: email, riskFlagged: false, cardFingerprint: "CARD-A", createdAt: hoursAgo(7) });
    await createPayment(shop.shop.id, {
      customerEmail: email,
      riskFlagged: false,
      cardFingerprint: "CARD-A",
      createdAt: hoursAgo(2),
      ipAddress: "198.51.100.1",
    });
    const order = createOrder(standIn, shop.domain);
    await deliverOrderWebhooks(standIn, order);
    const second = await createPayment(shop.shop.id, {
      customerEmail: email,
      reference: order.name,
      riskFlagged: false,
      cardFingerprint: "CARD-B",
      ipAddress: "198.51.100.2",
    });
    expect(await reviewPayment(shop.shop.id, second.id)).toBe("no_risk");

    const order3 = createOrder(standIn, shop.domain);
    const third = await createPayment(shop.shop.id, {
      customerEmail: email,
      reference: order3.name,
      riskFlagged: false,
      cardFingerprint: "CARD-C",
      ipAddress: "198.51.100.3",
    });
    expect(await reviewPayment(shop.shop.id, third.id)).toBe("held");
    expect(JSON.parse((await db().hold.findUniqueOrThrow({ where: { paymentId: third.id } })).ruleHits)).toEqual([
      { rule: "velocity_payments", value: 3, threshold: 2, subject: `email ${email}`, hours: 6 },
      { rule: "velocity_cards", value: 3, threshold: 2, subject: `email ${email}`, hours: 6 },
    ]);
  });

  it("holds a customer whose email or card disputed or was refunded before, here only", async () => {
    await db().riskRules.update({
      where: { shopId: shop.shop.id },
      data: { holdOnFlagged: false, scoreThreshold: null, holdOnPriorChargeback: true, holdOnPriorRefund: true },
    });
    const other = await installShop(standIn);
    const disputedElsewhere = await createPayment(other.shop.id, { customerEmail: "history@example.com", cardFingerprint: "CARD-H" });
    await db().dispute.create({
      data: {
        shopId: other.shop.id,
        ckoDisputeId: "dsp_elsewhere",
        paymentId: disputedElsewhere.id,
        amount: 100,
        currency: "USD",
        status: "evidence_required",
      },
    });
    const order = createOrder(standIn, shop.domain);
    await deliverOrderWebhooks(standIn, order);
    const first = await createPayment(shop.shop.id, {
      customerEmail: "history@example.com",
      cardFingerprint: "CARD-H",
      reference: order.name,
      riskFlagged: false,
    });
    expect(await reviewPayment(shop.shop.id, first.id)).toBe("no_risk");

    // The same card, another email: its earlier payment here was disputed and refunded.
    await db().dispute.create({ data: { shopId: shop.shop.id, ckoDisputeId: "dsp_here", paymentId: first.id, amount: 100, currency: "USD", status: "lost" } });
    await db().payment.update({ where: { id: first.id }, data: { refundedAmount: 9400 } });
    const order2 = createOrder(standIn, shop.domain);
    const again = await createPayment(shop.shop.id, {
      customerEmail: "new-name@example.com",
      cardFingerprint: "CARD-H",
      reference: order2.name,
      riskFlagged: false,
    });
    expect(await reviewPayment(shop.shop.id, again.id)).toBe("held");
    expect(JSON.parse((await db().hold.findUniqueOrThrow({ where: { paymentId: again.id } })).ruleHits)).toEqual([
      { rule: "prior_chargeback", value: 1 },
      { rule: "prior_refund", value: 1 },
    ]);
  });

  it("holds on AVS, CVV and 3-D Secure results as Checkout.com reports them", async () => {
    await db().riskRules.update({
      where: { shopId: shop.shop.id },
      data: { holdOnFlagged: false, scoreThreshold: null, holdOnAvsNoMatch: true, holdOnCvvNoMatch: true, holdOn3dsOutcomes: JSON.stringify(["attempted"]) },
    });
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, {
      reference: order.name,
      riskFlagged: false,
      avsCheck: "N",
      cvvCheck: "N",
      threeDs: JSON.stringify({ enrolled: "Y", authentication_response: "A", eci: "06" }),
    });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
    expect(JSON.parse((await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } })).ruleHits)).toEqual([
      { rule: "avs_no_match", value: "N" },
      { rule: "cvv_no_match", value: "N" },
      { rule: "three_ds", value: "attempted" },
    ]);
  });

  it("in monitor-only mode records what would have been held, without touching Shopify", async () => {
    await db().riskRules.update({ where: { shopId: shop.shop.id }, data: { monitorOnly: true } });
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("monitored");
    expect(await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } })).toMatchObject({ status: "monitored", monitorOnly: true });
    const { ours, order: after } = holdsOn(standIn, order.id);
    expect(ours).toHaveLength(0);
    expect(after.tags).not.toContain(HOLD_TAG);
    expect(after.riskAssessments.filter((a) => a.providerAppId === standIn.app.id)).toHaveLength(0);
  });

  it("marks the hold failed when the order already shipped", async () => {
    const order = createOrder(standIn, shop.domain, { fulfillment: {} });
    const payment = await createPayment(shop.shop.id, { reference: order.name });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("failed");
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shop.shop.id, action: "hold.place" } });
    expect(entry).toMatchObject({ result: "error" });
    expect(entry.error).toMatch(/no open fulfillment orders/);
  });
});

describe("exactly one hold per payment", () => {
  const assessmentsOf = (orderId: string) => standIn.store.requireOrder(orderId).riskAssessments.filter((a) => a.providerAppId === standIn.app.id);

  it("repeats nothing when the review runs again", async () => {
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name });
    for (let i = 0; i < 3; i++) expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
    expect(holdsOn(standIn, order.id).ours).toHaveLength(1);
    expect(assessmentsOf(order.id)).toHaveLength(1);
    expect(await db().hold.count({ where: { paymentId: payment.id } })).toBe(1);
  });

  it("finds the hold it placed when a crash lost the record of it", async () => {
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name });
    await reviewPayment(shop.shop.id, payment.id);
    // As if the worker died after Shopify answered but before our writes.
    await db().hold.update({ where: { paymentId: payment.id }, data: { status: "pending", shopifyHoldIds: "[]", riskAssessmentDone: false, tagged: false } });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
    const { ours } = holdsOn(standIn, order.id);
    expect(ours).toHaveLength(1);
    expect(JSON.parse((await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } })).shopifyHoldIds)).toEqual([
      { fulfillmentOrderId: ours[0].fulfillmentOrderId, holdId: ours[0].id },
    ]);
    expect(assessmentsOf(order.id)).toHaveLength(1);
  });

  it("places one hold when workers race on one payment", async () => {
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name });
    const runs = await Promise.allSettled([
      reviewPayment(shop.shop.id, payment.id),
      reviewPayment(shop.shop.id, payment.id),
      reviewNewOrder(shop.shop.id, order.id),
      reviewPayment(shop.shop.id, payment.id),
    ]);
    // Whoever found the hold busy failed so that its job is retried; the retry changes nothing.
    for (const run of runs) if (run.status === "rejected") expect(run.reason).toBeInstanceOf(HoldBusyError);
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
    expect(holdsOn(standIn, order.id).ours).toHaveLength(1);
    expect(assessmentsOf(order.id)).toHaveLength(1);
    expect(await db().hold.count({ where: { paymentId: payment.id } })).toBe(1);
    expect(await db().orderLink.count({ where: { paymentId: payment.id } })).toBe(1);
  });

  it("renews a live holder's lease while it works (a waiting job never takes it over from a slow one), and gives it back at the end", async () => {
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name });
    await reviewPayment(shop.shop.id, payment.id);
    const hold = await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } });
    const configured = process.env.WORKER_LEASE_SECONDS;
    process.env.WORKER_LEASE_SECONDS = "5"; // the hold lease: 10 s, renewed every 3.3 s
    resetEnvForTests();
    try {
      const leaseNow = async () => (await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).leaseExpiresAt;
      const seen: Array<Date | null> = [];
      const outcome = await withHoldLease(hold.id, { waitMs: 0 }, async () => {
        seen.push(await leaseNow());
        await new Promise((resolve) => setTimeout(resolve, 3_600)); // a slow Shopify, past a third of the lease
        seen.push(await leaseNow());
        return withHoldLease(hold.id, { waitMs: 0 }, async () => "taken over");
      });
      expect(outcome).toBe(HOLD_BUSY);
      expect(seen[1]!.getTime()).toBeGreaterThan(seen[0]!.getTime() + 3_000);
      // Given back at the end, renewed or not: the next holder need not wait.
      expect(await leaseNow()).toBeNull();
    } finally {
      if (configured === undefined) delete process.env.WORKER_LEASE_SECONDS;
      else process.env.WORKER_LEASE_SECONDS = configured;
      resetEnvForTests();
    }
  });

  it("two workers that both read the order before either placed the hold still place one", async () => {
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name });
    const { placeFulfillmentHolds, orderHoldState } = await import("./shopify-orders.server");
    const { adminApi } = await import("../shopify/admin-api.server");
    const api = adminApi(shop.domain);
    const state = await orderHoldState(api, order.id);
    const input = { orderGid: order.id, externalId: `cko-companion-hold-${payment.id}`, reasonNotes: "test" };
    const [a, b] = await Promise.all([placeFulfillmentHolds(api, input, state), placeFulfillmentHolds(api, input, state)]);
    expect(holdsOn(standIn, order.id).ours).toHaveLength(1);
    expect(a).toEqual(b);
  });
});
