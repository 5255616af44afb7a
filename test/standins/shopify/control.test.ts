// The control API lets another process seed and inspect the stand-in that runs inside the app.
import { afterAll, beforeAll, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../../helpers/env";
import { shopifyControlClient, startControlServer } from "./control";
import { createShopifyStandIn } from "./index";

const standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, paymentsApp: { retryDelaysMs: [] } });
let control: Awaited<ReturnType<typeof startControlServer>>;

beforeAll(async () => {
  control = await startControlServer(standIn);
});
afterAll(() => control.close());

it("seeds and reads the store from another process", async () => {
  const client = shopifyControlClient(control.url);
  await client.createShop({ domain: "demo.myshopify.com", currencyCode: "GBP" });
  const order = await client.createOrder({ shop: "demo.myshopify.com", currency: "EUR", risk: { level: "HIGH" } });
  expect(standIn.store.order(order.id)?.presentmentCurrencyCode).toBe("EUR");
  await client.failNext(1, 503);
  expect((await standIn.graphql("demo.myshopify.com", { query: "{ shop { name } }" })).status).toBe(503);
  const snapshot = await client.snapshot();
  expect(snapshot.orders.map((o) => o.name)).toEqual(["#1001"]);
});

it("refuses unknown methods and reports failures", async () => {
  expect((await fetch(`${control.url}/dropTables`, { method: "POST", body: "{}" })).status).toBe(404);
  expect((await fetch(`${control.url}/createOrder`, { method: "POST", body: '{"args": "x"}' })).status).toBe(400);
  await expect(shopifyControlClient(control.url).createOrder({ shop: "nowhere.myshopify.com" })).rejects.toThrow(/Unknown shop nowhere/);
});

it("runs GraphQL as the app, points the payments app somewhere and reads what it did, the ledger and the emails", async () => {
  const client = shopifyControlClient(control.url);
  await client.createShop({ domain: "money.myshopify.com" });
  const order = await client.createOrder({ shop: "money.myshopify.com", email: "ada@example.com", lineItems: [{ title: "Mug", price: 12, sku: "MUG-1" }] });
  // Nothing listens on port 9: the call fails fast and, with no retries configured, the transaction fails.
  await client.connectPaymentsApp("money.myshopify.com", { baseUrl: "http://127.0.0.1:9", secretKey: "sk_sbox_abcdefghijklmnopqrstuvwxyz2" });
  await client.setInventory("money.myshopify.com", "MUG-1", 5);
  const result = await client.graphql("money.myshopify.com", {
    query: `mutation($input: RefundInput!) { refundCreate(input: $input) @idempotent(key: "control-1") { refund { id } userErrors { message } } }`,
    variables: {
      input: {
        orderId: order.id,
        notify: true,
        refundLineItems: [{ lineItemId: order.lineItems[0].id, quantity: 1, restockType: "CANCEL" }],
        transactions: [{ orderId: order.id, parentId: order.transactions[0].id, gateway: "checkout_com", kind: "REFUND", amount: "12.00" }],
      },
    },
  });
  expect((result.body as { data: { refundCreate: { userErrors: unknown[] } } }).data.refundCreate.userErrors).toEqual([]);
  await client.paymentsAppIdle();
  const [call] = await client.paymentsAppCalls(order.id);
  expect(call).toMatchObject({
    kind: "REFUND",
    state: "failed",
    path: `/payments/${order.transactions[0].paymentId}/refunds`,
    body: { amount: 1200 },
    attempts: [{ error: expect.any(String) }],
  });
  expect((await client.order(order.id))!.transactions[1]).toMatchObject({ kind: "REFUND", status: "FAILURE", errorCode: "PAYMENT_PROVIDER_ERROR" });
  expect(await client.inventory("money.myshopify.com", "MUG-1")).toMatchObject({ available: 6 });
  expect(await client.notifications("money.myshopify.com")).toEqual([expect.objectContaining({ kind: "refund", to: "ada@example.com" })]);
});
