// Matching through the order index, counting the Admin API calls the Shopify stand-in receives: an
// indexed order is matched with no Shopify read; a payment to hold whose order the index lacks asks
// Shopify at once; any other payment waits and asks Shopify on its retry; the order webhooks' jobs link
// waiting payments without reading the order from Shopify; one shop's index never serves another.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { createAppWorker, JOB_HANDLERS } from "../events/registry.server";
import { indexedOrder } from "../orders/order-index.server";
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
import { callAction, shopifyWebhookRequest } from "../../test/helpers/shopify";
import { restOrder } from "../../test/standins/shopify/order-webhooks";
import { restTransaction } from "../../test/standins/shopify/transaction-webhooks";
import { action as orderCreatedRoute } from "../routes/webhooks.orders.create";
import { action as transactionCreatedRoute } from "../routes/webhooks.order_transactions.create";
import { reviewPayment } from "./review.server";
import { recordActivity } from "../payments/record.server";

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
/** The shop's Admin API calls from now on. */
const callsFrom = () => {
  const start = shopifyCalls(standIn, shop.domain).length;
  return () => shopifyCalls(standIn, shop.domain).slice(start);
};
const ORDER_READS = ["HoldOrderCandidates"];
const orderReads = (calls: Array<string | null>) => calls.filter((c) => ORDER_READS.includes(c ?? ""));

/** The order_created jobs the order webhooks queued, run as the worker runs them. */
async function runOrderJobs() {
  await createAppWorker({ jobHandlers: { [JOB_KINDS.orderCreated]: JOB_HANDLERS[JOB_KINDS.orderCreated] } }).runUntilIdle();
}

describe("a new order", () => {
  it("does not take a waiting payment whose reference names another order, though email and amount agree", async () => {
    // Two orders of one customer for the same amount; the payment names the second. The first
    // order's webhook arrives while the payment waits: a weak match must not link it there.
    const other = createOrder(standIn, shop.domain);
    const own = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, {
      reference: own.name,
      customerEmail: "ada@example.com",
      amount: 9400,
      riskFlagged: false,
      riskScore: 1,
    });
    await deliverOrderWebhooks(standIn, other);
    await runOrderJobs();
    expect(await linkOf(payment.id)).toBeNull();
    await deliverOrderWebhooks(standIn, own);
    await runOrderJobs();
    expect(await linkOf(payment.id)).toMatchObject({ orderGid: own.id, matchedBy: "reference_name", confidence: "strong" });
  });
});

describe("a payment to hold", () => {
  it("whose order is indexed is matched with no Shopify read: Shopify is called only to place the hold", async () => {
    const order = createOrder(standIn, shop.domain);
    await deliverOrderWebhooks(standIn, order);
    const payment = await createPayment(shop.shop.id, { reference: order.name });
    const calls = callsFrom();
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
    expect(orderReads(calls())).toEqual([]);
    expect(calls()).toContain("HoldFulfillmentOrder");
    expect(holdsOn(standIn, order.id).ours).toHaveLength(1);
  });

  it("whose order the index lacks (its webhook not here yet) asks Shopify at once, and indexes what it found", async () => {
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name, riskFlagged: true });
    const calls = callsFrom();
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
    expect(calls()[0]).toBe("HoldOrderCandidates");
    expect(await linkOf(payment.id)).toMatchObject({ orderGid: order.id, matchedBy: "reference_name" });
    expect(await indexedOrder(shop.shop.id, order.id)).toMatchObject({
      name: order.name,
      transactionIds: expect.arrayContaining([order.transactions[0].paymentId]),
    });
  });

  it("by the rules alone (not flagged by Checkout.com) is urgent too", async () => {
    await db().listEntry.create({ data: { shopId: shop.shop.id, list: "deny", kind: "email", value: "ada@example.com" } });
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name, riskFlagged: false, riskScore: 5 });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
  });
});

describe("a payment not to hold", () => {
  it("waits when the index misses, without asking Shopify, and asks Shopify on its retry (a lost webhook)", async () => {
    const order = createOrder(standIn, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name, riskFlagged: false, riskScore: 1 });
    const calls = callsFrom();
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("waiting");
    expect(calls()).toEqual([]);
    expect(await linkOf(payment.id)).toBeNull();

    // The retry job (payment_review, key <id>:retry:1) runs later.
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("no_risk");
    expect(calls()).toEqual(["HoldOrderCandidates"]);
    expect(await linkOf(payment.id)).toMatchObject({ orderGid: order.id, matchedBy: "reference_name" });
  });

  it("is linked by the order's webhooks when it arrives, with no Shopify read", async () => {
    const payment = await createPayment(shop.shop.id, { reference: "#4242", riskFlagged: false, riskScore: 1 });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("waiting");
    const order = createOrder(standIn, shop.domain, { name: "#4242" });
    const calls = callsFrom();
    await deliverOrderWebhooks(standIn, order);
    await runOrderJobs();
    expect(await linkOf(payment.id)).toMatchObject({ orderGid: order.id, matchedBy: "reference_name" });
    expect(calls()).toEqual([]);
  });

  it("known only by a Checkout.com action id is linked once the transaction carrying it arrives, with no Shopify read", async () => {
    const ckoPaymentId = ckoId("pay");
    const fixture = paymentFixture({ id: ckoPaymentId });
    const event = checkoutEvent("payment_approved", paymentEventData("payment_approved", fixture));
    await db().webhookEvent.create({
      data: {
        shopId: shop.shop.id,
        connectionId: shop.connection.id,
        eventId: event.id as string,
        type: "payment_approved",
        ckoPaymentId,
        payload: JSON.stringify(event),
        status: "processed",
      },
    });
    const actionId = (event.data as { action_id: string }).action_id;
    const payment = await createPayment(shop.shop.id, { ckoPaymentId, reference: null, customerEmail: null, riskFlagged: false, riskScore: 1 });
    // Processing the event put it on the payment's timeline, with its action id.
    await recordActivity(db(), payment, {
      sourceKey: event.id as string,
      kind: "event",
      type: "payment_approved",
      summary: "Authorized",
      occurredAt: new Date(),
      actionId,
    });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("waiting");

    const order = createOrder(standIn, shop.domain, { email: null, payment: { gateway: "checkout_com", paymentId: null, authorizationCode: actionId } });
    const calls = callsFrom();
    // orders/create carries no transactions: nothing to link yet.
    await callAction(orderCreatedRoute, shopifyWebhookRequest("/webhooks/orders/create", "orders/create", shop.domain, restOrder(standIn.store, order)));
    await runOrderJobs();
    expect(await linkOf(payment.id)).toBeNull();
    // order_transactions/create brings the action id.
    const transaction = restTransaction(standIn.store, order.transactions[0].id);
    await callAction(
      transactionCreatedRoute,
      shopifyWebhookRequest("/webhooks/order_transactions/create", "order_transactions/create", shop.domain, transaction),
    );
    await runOrderJobs();
    expect(await linkOf(payment.id)).toMatchObject({ orderGid: order.id, matchedBy: "transaction", confidence: "strong" });
    expect(calls()).toEqual([]);
  });
});

describe("tenancy", () => {
  it("shop A's indexed order never matches shop B's payment, however alike", async () => {
    const a = shop;
    const b = await installShop(standIn);
    const ckoPaymentId = ckoId("pay");
    const order = createOrder(standIn, a.domain, { email: "ada@example.com", payment: { paymentId: ckoPaymentId } });
    await deliverOrderWebhooks(standIn, order);
    const payment = await createPayment(b.shop.id, {
      ckoPaymentId,
      reference: order.name,
      amount: 9400,
      customerEmail: "ada@example.com",
      riskFlagged: false,
      riskScore: 1,
    });
    expect(await reviewPayment(b.shop.id, payment.id)).toBe("waiting");
    expect(await linkOf(payment.id)).toBeNull();
    expect(shopifyCalls(standIn, b.domain)).toEqual([]);
  });
});
