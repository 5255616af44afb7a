// What the load benchmarks need from the stand-in, kept as Shopify behaves: an answer after Shopify's
// latency, a hook on holds as they land, searches of a large store that find exactly what a full
// scan finds, and orders/create deliveries (REST order, signed like Shopify).
import crypto from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../../helpers/env";
import { createShopifyStandIn } from "./index";
import { orderCreatedDelivery, restOrder, restTime } from "./order-webhooks";
import { filterOrders } from "./search";

const SHOP = "north-loop.myshopify.com";

function world(options: { latencyMs?: number } = {}) {
  const standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, ...options });
  standIn.store.createShop({ domain: SHOP });
  const token = standIn.issueAccessToken(SHOP).token;
  const call = (query: string, variables: Record<string, unknown> = {}) =>
    fetchVia(standIn, `https://${SHOP}/admin/api/2026-07/graphql.json`, token, { query, variables });
  return { standIn, call };
}

/** One Admin API call through the stand-in's msw handlers (as the relay makes it). */
async function fetchVia(standIn: ReturnType<typeof createShopifyStandIn>, url: string, token: string, body: unknown) {
  const { getResponse } = await import("msw");
  const request = new Request(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify(body),
  });
  const response = await getResponse(standIn.handlers, request);
  return (await response!.json()) as { data?: any; errors?: unknown[] };
}

const HOLD = `mutation($id: ID!) {
  fulfillmentOrderHold(id: $id, fulfillmentHold: { reason: HIGH_RISK_OF_FRAUD, reasonNotes: "risky", handle: "bench" }) {
    fulfillmentHold { id }
    userErrors { field message }
  }
}`;

describe("latency", () => {
  it("answers each call after the configured latency, and at once by default", async () => {
    const slow = world({ latencyMs: 60 });
    const started = performance.now();
    await slow.call("{ shop { name } }");
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    slow.standIn.limits.setLatency(0);
    // "At once": no wait is scheduled (a wall-clock bound would fail on a busy machine).
    const timers = vi.spyOn(globalThis, "setTimeout");
    try {
      for (const { call } of [world(), slow]) await call("{ shop { name } }");
      expect(timers.mock.calls.filter(([, ms]) => (ms ?? 0) >= 50)).toEqual([]);
    } finally {
      timers.mockRestore();
    }
  });

  it("places a hold only once the latency has passed", async () => {
    const { standIn, call } = world({ latencyMs: 50 });
    const order = standIn.store.createOrder({ shop: SHOP });
    const seen: Array<{ orderId: string; at: number }> = [];
    standIn.store.watchHolds((_hold, { order: held }) => seen.push({ orderId: held.id, at: performance.now() }));
    const started = performance.now();
    const pending = call(HOLD, { id: order.fulfillmentOrders[0].id });
    expect(seen).toEqual([]);
    const answer = await pending;
    expect(answer.data.fulfillmentOrderHold.userErrors).toEqual([]);
    expect(seen.map((s) => s.orderId)).toEqual([order.id]);
    expect(seen[0].at - started).toBeGreaterThanOrEqual(45);
  });
});

describe("holds watch", () => {
  it("reports every hold placed, by an app or staff, with its order, until stopped", () => {
    const { standIn } = world();
    const order = standIn.store.createOrder({ shop: SHOP });
    const seen: string[] = [];
    const stop = standIn.store.watchHolds((hold, { order: held, fulfillmentOrder }) => seen.push(`${held.name} ${fulfillmentOrder.status} ${hold.handle}`));
    standIn.store.addHold(order.fulfillmentOrders[0].id, {
      handle: "staff",
      reason: "OTHER",
      reasonNotes: null,
      appId: null,
      externalId: null,
      notifyMerchant: false,
    });
    stop();
    standIn.store.addHold(order.fulfillmentOrders[0].id, {
      handle: "later",
      reason: "OTHER",
      reasonNotes: null,
      appId: null,
      externalId: null,
      notifyMerchant: false,
    });
    expect(seen).toEqual([`${order.name} ON_HOLD staff`]);
  });
});

describe("searching a large store", () => {
  it("finds by name, id, payment id and checkout token exactly what a scan of every order finds", async () => {
    const { standIn, call } = world();
    const other = "other-shop.myshopify.com";
    standIn.store.createShop({ domain: other });
    const orders = Array.from({ length: 200 }, (_, i) =>
      standIn.store.createOrder({
        shop: i % 10 === 0 ? other : SHOP,
        payment: { paymentId: `c${1000 + (i % 100)}.1` },
        checkoutToken: `tok${i}`.padEnd(32, "x"),
      }),
    );
    const mine = orders.filter((o) => o.shop === SHOP);
    const sample = mine[42];
    const queries = [
      `name:${sample.name}`,
      `name:${sample.name.replace("#", "")}`,
      `name:"${sample.name.toLowerCase()}"`,
      `id:${sample.id.split("/").pop()}`,
      `payment_id:${sample.transactions[0].paymentId}`,
      `payment_id:${sample.transactions[0].paymentId!.toUpperCase()}`,
      `checkout_token:${sample.checkoutToken}`,
      `name:${sample.name} OR name:${mine[7].name}`,
      `name:${sample.name} email:nobody@example.com`,
      `payment_id:c1000.1 OR payment_id:c1001.1`,
      `name:${orders[0].name}`,
      `name:#1 OR tag:vip`,
      `-name:${sample.name}`,
    ];
    for (const query of queries) {
      const data = (await call(`query($q: String!) { orders(first: 250, query: $q) { nodes { id } } }`, { q: query })).data;
      const scanned = filterOrders(mine, query, standIn.store)
        .orders.map((o) => o.id)
        .sort();
      expect([...data.orders.nodes.map((n: { id: string }) => n.id)].sort(), query).toEqual(scanned);
    }
  });
});

describe("orders/create", () => {
  it("carries the order as the REST Admin API renders it, agreeing with the GraphQL Admin API", async () => {
    const { standIn, call } = world();
    const order = standIn.store.createOrder({
      shop: SHOP,
      email: "Ada@Example.com",
      lineItems: [{ title: "Merino wool sweater", price: "89.00", quantity: 2, sku: "SWTR-M-NVY" }],
      payment: { kind: "SALE", paymentId: "c1.1", receipt: { id: "pay_abc" } },
    });
    const rest = restOrder(standIn.store, order) as Record<string, any>;
    const { order: gql } = (
      await call(
        `query($id: ID!) { order(id: $id) { id legacyResourceId name email createdAt currencyCode presentmentCurrencyCode
      totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } subtotalPriceSet { presentmentMoney { amount } }
      lineItems(first: 5) { nodes { id quantity sku } } } }`,
        { id: order.id },
      )
    ).data;
    expect(rest.id).toBe(Number(gql.legacyResourceId));
    expect(rest.admin_graphql_api_id).toBe(gql.id);
    expect(rest.name).toBe(gql.name);
    expect(rest.email).toBe(gql.email);
    expect(Date.parse(rest.created_at)).toBe(Date.parse(gql.createdAt));
    expect(rest.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(rest.currency).toBe(gql.currencyCode);
    expect(rest.presentment_currency).toBe(gql.presentmentCurrencyCode);
    expect(Number(rest.total_price)).toBe(Number(gql.totalPriceSet.presentmentMoney.amount));
    expect(rest.total_price).toBe("183.00");
    expect(Number(rest.total_price_set.shop_money.amount)).toBe(Number(gql.totalPriceSet.shopMoney.amount));
    expect(Number(rest.subtotal_price)).toBe(Number(gql.subtotalPriceSet.presentmentMoney.amount));
    expect(rest.line_items.map((li: any) => [li.admin_graphql_api_id, li.quantity, li.sku])).toEqual(
      gql.lineItems.nodes.map((li: any) => [li.id, li.quantity, li.sku]),
    );
    expect(rest.checkout_token).toBe(order.checkoutToken);
    expect(rest.financial_status).toBe("paid");
    expect(rest.fulfillment_status).toBeNull();
    expect(rest.payment_gateway_names).toEqual(["checkout_com"]);
  });

  it("is signed like Shopify: base64 HMAC-SHA256 of the exact body with the app's secret, and Shopify's headers", () => {
    const { standIn } = world();
    const order = standIn.store.createOrder({ shop: SHOP });
    const { body, headers } = orderCreatedDelivery(standIn.store, order, TEST_API_SECRET);
    expect(headers["X-Shopify-Hmac-Sha256"]).toBe(crypto.createHmac("sha256", TEST_API_SECRET).update(body, "utf8").digest("base64"));
    expect(headers).toMatchObject({
      "Content-Type": "application/json",
      "X-Shopify-Topic": "orders/create",
      "X-Shopify-Shop-Domain": SHOP,
      "X-Shopify-API-Version": "2026-07",
    });
    expect(JSON.parse(body).admin_graphql_api_id).toBe(order.id);
  });

  it("writes times in the shop's zone with its offset", () => {
    expect(restTime("2026-12-04T20:49:20Z", "America/New_York")).toBe("2026-12-04T15:49:20-05:00");
    expect(restTime("2026-07-04T20:49:20Z", "America/New_York")).toBe("2026-07-04T16:49:20-04:00");
    expect(restTime("2026-12-04T20:49:20Z", "Asia/Kolkata")).toBe("2026-12-05T02:19:20+05:30");
    expect(restTime("2026-12-04T20:49:20Z", "UTC")).toBe("2026-12-04T20:49:20+00:00");
  });
});
