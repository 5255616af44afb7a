// Shopify's REST order and transaction payloads to what the order index stores, as toCandidate reads
// the same order from the Admin API.
import { describe, expect, it } from "vitest";
import { restOrder } from "../../test/standins/shopify/order-webhooks";
import { ShopifyStore } from "../../test/standins/shopify/store";
import { restTransaction } from "../../test/standins/shopify/transaction-webhooks";
import { orderWebhookSchema, referencesFromTransactionWebhook, snapshotFromOrderWebhook, transactionWebhookSchema } from "./order-payloads";
import { isIndexableReference } from "./order-index.server";

function store() {
  const s = new ShopifyStore(() => Date.parse("2026-12-04T15:00:00Z"));
  s.createShop({ domain: "payloads.myshopify.com", currencyCode: "EUR", ianaTimezone: "America/New_York" });
  return s;
}

describe("orders/create and orders/updated payloads", () => {
  it("read as the index stores them: presentment total in minor units, lower-case email, Shopify's times", () => {
    const s = store();
    const order = s.createOrder({
      shop: "payloads.myshopify.com",
      currency: "USD",
      email: "Ada@Example.COM",
      checkoutToken: "c0ffee00c0ffee00c0ffee00c0ffee00",
    });
    const snapshot = snapshotFromOrderWebhook(orderWebhookSchema.parse(restOrder(s, order)));
    expect(snapshot).toEqual({
      gid: order.id,
      legacyId: order.id.split("/").pop(),
      name: order.name,
      checkoutToken: "c0ffee00c0ffee00c0ffee00c0ffee00",
      email: "ada@example.com",
      // 89.00 + 5.00 shipping in the buyer's USD, not the shop's EUR.
      total: 9400,
      currency: "USD",
      createdAt: new Date("2026-12-04T15:00:00Z"),
      updatedAt: new Date("2026-12-04T15:00:00Z"),
      transactionIds: [],
    });
  });

  it("reads zero-decimal currencies and payloads without total_price_set; an order without email has none", () => {
    const s = store();
    const order = s.createOrder({
      shop: "payloads.myshopify.com",
      currency: "JPY",
      lineItems: [{ title: "Tea", price: 1500 }],
      shippingPrice: 0,
      email: null,
      customer: null,
    });
    const payload = restOrder(s, order);
    expect(snapshotFromOrderWebhook(orderWebhookSchema.parse(payload))).toMatchObject({ total: 1500, currency: "JPY", email: null });
    const { total_price_set: _set, ...older } = payload;
    expect(snapshotFromOrderWebhook(orderWebhookSchema.parse({ ...older, total_price: "1500", presentment_currency: "JPY" }))).toMatchObject({
      total: 1500,
      currency: "JPY",
    });
  });

  it("an amount that is not money in its currency never equals a payment amount", () => {
    const s = store();
    const payload = restOrder(s, s.createOrder({ shop: "payloads.myshopify.com", currency: "USD" }));
    const odd = { ...payload, total_price_set: { presentment_money: { amount: "94.001", currency_code: "USD" } } };
    expect(snapshotFromOrderWebhook(orderWebhookSchema.parse(odd)).total).toBeNaN();
  });

  it("refuses what is not an order", () => {
    expect(orderWebhookSchema.safeParse({}).success).toBe(false);
    expect(orderWebhookSchema.safeParse({ id: "1; DROP TABLE", admin_graphql_api_id: "gid://shopify/Order/1", name: "#1" }).success).toBe(false);
    expect(
      orderWebhookSchema.safeParse({
        id: 1,
        admin_graphql_api_id: "gid://shopify/Customer/1",
        name: "#1",
        created_at: "2026-12-04T10:00:00-05:00",
        currency: "USD",
        total_price: "1.00",
      }).success,
    ).toBe(false);
    expect(
      orderWebhookSchema.safeParse({
        id: 1,
        admin_graphql_api_id: "gid://shopify/Order/1",
        name: "#1",
        created_at: "yesterday",
        currency: "USD",
        total_price: "1.00",
      }).success,
    ).toBe(false);
  });
});

describe("order_transactions/create payloads", () => {
  it("give the order and the ids a payment may be known by: Shopify's payment id, the authorization code, the receipt's ids", () => {
    const s = store();
    const order = s.createOrder({
      shop: "payloads.myshopify.com",
      payment: {
        kind: "AUTHORIZATION",
        paymentId: "rBqM3fYZ0K1s2",
        authorizationCode: "act_authorizationcode00001",
        receipt: { id: "pay_abcdefghijklmnopqrstuvwxyz", status: "Authorized", approved: true },
      },
    });
    const payload = transactionWebhookSchema.parse(restTransaction(s, order.transactions[0].id));
    const { orderGid, values } = referencesFromTransactionWebhook(payload);
    expect(orderGid).toBe(order.id);
    expect(values).toEqual(["rBqM3fYZ0K1s2", "act_authorizationcode00001", "pay_abcdefghijklmnopqrstuvwxyz", "Authorized"]);
    // Status words are no ids: the index leaves them out.
    expect(values.filter(isIndexableReference)).toEqual(["rBqM3fYZ0K1s2", "act_authorizationcode00001", "pay_abcdefghijklmnopqrstuvwxyz"]);
  });

  it("keeps ids of every shape but not words, blanks or huge strings", () => {
    expect(["123456", "pay_x1y2", "c2536.1", "AbCdEfGhIjKlMnOpQrSt"].every(isIndexableReference)).toBe(true);
    expect(["success", "Captured", "abc", "two words", "", "x".repeat(256)].some(isIndexableReference)).toBe(false);
  });

  it("refuses a transaction without its order", () => {
    expect(transactionWebhookSchema.safeParse({ id: 5, kind: "sale" }).success).toBe(false);
    expect(transactionWebhookSchema.safeParse({ id: 5, order_id: "5" }).success).toBe(false);
  });
});
