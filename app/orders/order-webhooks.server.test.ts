// The order index filled by each of Shopify's order webhooks, through the app's routes (HMAC-checked
// by authenticate.webhook, payloads checked by zod): orders/create, orders/updated,
// order_transactions/create.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { action as orderCreated } from "../routes/webhooks.orders.create";
import { action as orderUpdated } from "../routes/webhooks.orders.updated";
import { action as transactionCreated } from "../routes/webhooks.order_transactions.create";
import { createShop } from "../../test/helpers/factories";
import { callAction, shopifyWebhookRequest } from "../../test/helpers/shopify";
import { restOrder } from "../../test/standins/shopify/order-webhooks";
import { ShopifyStore } from "../../test/standins/shopify/store";
import { restTransaction } from "../../test/standins/shopify/transaction-webhooks";
import { indexedOrder } from "./order-index.server";
import { localOrderMoney, storeOrderTransactions } from "./order-transactions.server";

let now = Date.parse("2026-12-04T15:00:00Z");
const shopify = new ShopifyStore(() => now);

/** A shop in the app and in the (in-memory) Shopify store. */
async function shopWithOrders() {
  const shop = await createShop();
  shopify.createShop({ domain: shop.domain, ianaTimezone: "Europe/Berlin" });
  return shop;
}

const post = (action: typeof orderCreated, path: string, topic: string, domain: string, payload: unknown, options?: { hmac?: string }) =>
  callAction(action, shopifyWebhookRequest(path, topic, domain, payload, options));
const sendOrderCreated = (domain: string, payload: unknown, options?: { hmac?: string }) =>
  post(orderCreated, "/webhooks/orders/create", "orders/create", domain, payload, options);
const sendOrderUpdated = (domain: string, payload: unknown) => post(orderUpdated, "/webhooks/orders/updated", "orders/updated", domain, payload);
const sendTransaction = (domain: string, payload: unknown) =>
  post(transactionCreated, "/webhooks/order_transactions/create", "order_transactions/create", domain, payload);

/** A payment stored before its order, still waiting to be linked, naming the order by `reference`. */
const waitingPayment = (shopId: string, reference: string) =>
  db().payment.create({
    data: { shopId, ckoPaymentId: `pay_${randomUUID().replaceAll("-", "")}`, reference, amount: 9400, currency: "USD", status: "Authorized" },
  });
const matchingJobs = (shopId: string) => db().job.findMany({ where: { shopId, kind: JOB_KINDS.orderCreated }, select: { key: true, status: true } });

const row = (shopId: string, orderGid: string) => db().indexedOrder.findUnique({ where: { shopId_orderGid: { shopId, orderGid } } });
const references = async (shopId: string, orderGid: string) =>
  (await db().indexedOrderReference.findMany({ where: { shopId, orderGid }, select: { value: true } })).map((r) => r.value).sort();

describe("orders/create", () => {
  it("indexes the order in the request, and queues matching only when a payment waits for it", async () => {
    const shop = await shopWithOrders();
    const order = shopify.createOrder({ shop: shop.domain, currency: "USD", email: "Ada@Example.com", checkoutToken: "0a1b2c3d4e5f60718293a4b5c6d7e8f9" });
    const response = await sendOrderCreated(shop.domain, restOrder(shopify, order));
    expect(response.status).toBe(200);
    expect(await row(shop.id, order.id)).toMatchObject({
      legacyId: order.id.split("/").pop(),
      name: order.name,
      nameKey: order.name.slice(1),
      checkoutToken: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
      email: "ada@example.com",
      total: 9400,
      currency: "USD",
      createdAt: new Date(now),
      shopifyUpdatedAt: new Date(now),
    });
    // No payment names it yet: the payment to come finds the order in the index itself.
    expect(await matchingJobs(shop.id)).toEqual([]);

    // A payment that came first (its reference is the next order's checkout token) waits for its order.
    await waitingPayment(shop.id, "f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4");
    const awaited = shopify.createOrder({ shop: shop.domain, currency: "USD", checkoutToken: "f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4" });
    expect((await sendOrderCreated(shop.domain, restOrder(shopify, awaited))).status).toBe(200);
    expect(await matchingJobs(shop.id)).toEqual([{ key: awaited.id, status: "pending" }]);
  });

  it("answers 401 to a bad HMAC and 400 to what is not an order, and indexes nothing", async () => {
    const shop = await shopWithOrders();
    const order = shopify.createOrder({ shop: shop.domain });
    expect((await sendOrderCreated(shop.domain, restOrder(shopify, order), { hmac: "bm9wZQ==" })).status).toBe(401);
    expect((await sendOrderCreated(shop.domain, { id: "1 OR 1=1", admin_graphql_api_id: order.id })).status).toBe(400);
    expect(await db().indexedOrder.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("still queues matching for an order whose other fields are not what the index reads (matching then asks Shopify)", async () => {
    const shop = await shopWithOrders();
    const order = shopify.createOrder({ shop: shop.domain });
    const { created_at: _dropped, ...payload } = restOrder(shopify, order);
    expect((await sendOrderCreated(shop.domain, payload)).status).toBe(200);
    expect(await row(shop.id, order.id)).toBeNull();
    expect(await db().job.count({ where: { shopId: shop.id, kind: JOB_KINDS.orderCreated, key: order.id } })).toBe(1);
  });
});

describe("orders/updated", () => {
  it("keeps the newer state, whatever order the webhooks arrive in", async () => {
    const shop = await shopWithOrders();
    const order = shopify.createOrder({ shop: shop.domain, email: "old@example.com" });
    const created = restOrder(shopify, order);
    now += 60_000;
    order.email = "new@example.com";
    shopify.touch(order);
    const updated = restOrder(shopify, order);

    expect((await sendOrderUpdated(shop.domain, updated)).status).toBe(200);
    expect(await row(shop.id, order.id)).toMatchObject({ email: "new@example.com", shopifyUpdatedAt: new Date(now) });
    // orders/create delivered late (a retry): older, so it changes nothing.
    expect((await sendOrderCreated(shop.domain, created)).status).toBe(200);
    expect(await row(shop.id, order.id)).toMatchObject({ email: "new@example.com", shopifyUpdatedAt: new Date(now) });
    expect(await db().indexedOrder.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("refuses what is not an order", async () => {
    const shop = await shopWithOrders();
    expect((await sendOrderUpdated(shop.domain, { id: 7 })).status).toBe(400);
  });
});

describe("order_transactions/create", () => {
  it("adds the transaction's ids to the order, and queues matching again once the order is indexed", async () => {
    const shop = await shopWithOrders();
    const order = shopify.createOrder({
      shop: shop.domain,
      payment: {
        kind: "AUTHORIZATION",
        paymentId: "c25361.1",
        authorizationCode: "743201",
        receipt: { id: "pay_orderwebhooks00000000001", action_id: "act_orderwebhooks00000000001", status: "Authorized" },
      },
    });
    await sendOrderCreated(shop.domain, restOrder(shopify, order));
    // Nothing waited for the order when it came; now a payment known only by Checkout.com's id waits.
    expect(await matchingJobs(shop.id)).toEqual([]);
    await waitingPayment(shop.id, "ref-unknown-to-the-order");
    await db().payment.updateMany({ where: { shopId: shop.id }, data: { ckoPaymentId: "pay_orderwebhooks00000000001" } });
    const transaction = order.transactions[0];
    expect((await sendTransaction(shop.domain, restTransaction(shopify, transaction.id))).status).toBe(200);
    expect(await references(shop.id, order.id)).toEqual(["743201", "act_orderwebhooks00000000001", "c25361.1", "pay_orderwebhooks00000000001"]);
    expect((await indexedOrder(shop.id, order.id))?.transactionIds.sort()).toEqual(await references(shop.id, order.id));
    const key = `${order.id}:transaction:${transaction.id.split("/").pop()}`;
    expect(await db().job.findUnique({ where: { shopId_kind_key: { shopId: shop.id, kind: JOB_KINDS.orderCreated, key } } })).toMatchObject({
      payload: JSON.stringify({ orderGid: order.id }),
    });
    // Shopify's retry of the same webhook adds nothing and queues nothing more.
    await sendTransaction(shop.domain, restTransaction(shopify, transaction.id));
    expect(await references(shop.id, order.id)).toHaveLength(4);
    expect(await matchingJobs(shop.id)).toEqual([{ key, status: "pending" }]);
  });

  it("keeps the ids of a transaction that arrives before its order's orders/create", async () => {
    const shop = await shopWithOrders();
    const order = shopify.createOrder({ shop: shop.domain, payment: { paymentId: "pay_earlytransaction000000001" } });
    await sendTransaction(shop.domain, restTransaction(shopify, order.transactions[0].id));
    expect(await references(shop.id, order.id)).toContain("pay_earlytransaction000000001");
    // The order's own job will see these ids: none queued for the transaction.
    expect(await db().job.count({ where: { shopId: shop.id } })).toBe(0);
    await sendOrderCreated(shop.domain, restOrder(shopify, order));
    expect((await indexedOrder(shop.id, order.id))?.transactionIds).toContain("pay_earlytransaction000000001");
  });

  it("stores the transaction's money in the order's local copy: a pending capture, then a refund on it", async () => {
    const shop = await shopWithOrders();
    const order = shopify.createOrder({ shop: shop.domain, currency: "USD", payment: { kind: "AUTHORIZATION", paymentId: "c25363.1", receipt: null } });
    const [authorization] = order.transactions;
    const capture = shopify.addTransaction(order.id, {
      kind: "CAPTURE",
      status: "PENDING",
      parentId: authorization.id,
      amount: "94.00",
      paymentId: null,
      receipt: null,
    });
    const refund = shopify.addTransaction(order.id, {
      kind: "REFUND",
      parentId: capture.id,
      amount: "20.00",
      paymentId: null,
      authorizationCode: null,
      receipt: null,
    });
    for (const transaction of [capture, refund]) expect((await sendTransaction(shop.domain, restTransaction(shopify, transaction.id))).status).toBe(200);

    const rows = await db().indexedOrderTransaction.findMany({ where: { shopId: shop.id }, orderBy: { amount: "desc" } });
    expect(rows.map(({ indexedAt: _at, ...row }) => row)).toEqual([
      {
        shopId: shop.id,
        orderGid: order.id,
        transactionGid: capture.id,
        kind: "CAPTURE",
        status: "PENDING",
        gateway: "checkout_com",
        amount: 9_400,
        currency: "USD",
        parentGid: authorization.id,
        errorCode: null,
        references: JSON.stringify([capture.authorizationCode]),
        createdAt: new Date(now),
      },
      {
        shopId: shop.id,
        orderGid: order.id,
        transactionGid: refund.id,
        kind: "REFUND",
        status: "SUCCESS",
        gateway: "checkout_com",
        amount: 2_000,
        currency: "USD",
        parentGid: capture.id,
        errorCode: null,
        references: "[]",
        createdAt: new Date(now),
      },
    ]);
    // A read of the order finds the capture settled; Shopify's retry of its webhook, late, brings PENDING
    // back: the copy keeps the last word (the sweep then finds the order settling and has it read again).
    const settled = (await localOrderMoney(shop.id, [order.id])).get(order.id)!;
    await storeOrderTransactions(shop.id, order.id, { ...settled, transactions: settled.transactions.map((t) => ({ ...t, status: "SUCCESS" as const })) });
    await sendTransaction(shop.domain, restTransaction(shopify, capture.id));
    expect((await localOrderMoney(shop.id, [order.id])).get(order.id)?.transactions.map((t) => [t.kind, t.status])).toEqual([
      ["CAPTURE", "PENDING"],
      ["REFUND", "SUCCESS"],
    ]);
  });

  it("still indexes the ids of a transaction whose money is not in the shape stored", async () => {
    const shop = await shopWithOrders();
    const order = shopify.createOrder({ shop: shop.domain, payment: { paymentId: "pay_oddamount00000000000001" } });
    const payload = { ...restTransaction(shopify, order.transactions[0].id), amount: "ninety-four" };
    expect((await sendTransaction(shop.domain, payload)).status).toBe(200);
    expect(await references(shop.id, order.id)).toContain("pay_oddamount00000000000001");
    expect(await db().indexedOrderTransaction.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses a transaction without its order", async () => {
    const shop = await shopWithOrders();
    expect((await sendTransaction(shop.domain, { id: 1, kind: "sale", authorization: "x" })).status).toBe(400);
  });
});
