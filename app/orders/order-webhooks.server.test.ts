// The order index filled by each of Shopify's order webhooks, through the app's routes (HMAC-checked
// by authenticate.webhook, payloads checked by zod): orders/create, orders/updated,
// order_transactions/create.
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

const row = (shopId: string, orderGid: string) => db().indexedOrder.findUnique({ where: { shopId_orderGid: { shopId, orderGid } } });
const references = async (shopId: string, orderGid: string) =>
  (await db().indexedOrderReference.findMany({ where: { shopId, orderGid }, select: { value: true } })).map((r) => r.value).sort();

describe("orders/create", () => {
  it("indexes the order in the request and queues matching", async () => {
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
    expect(await db().job.findUnique({ where: { shopId_kind_key: { shopId: shop.id, kind: JOB_KINDS.orderCreated, key: order.id } } })).toMatchObject({
      status: "pending",
    });
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
    expect(await db().job.count({ where: { shopId: shop.id, kind: JOB_KINDS.orderCreated } })).toBe(2);
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

  it("refuses a transaction without its order", async () => {
    const shop = await shopWithOrders();
    expect((await sendTransaction(shop.domain, { id: 1, kind: "sale", authorization: "x" })).status).toBe(400);
  });
});
