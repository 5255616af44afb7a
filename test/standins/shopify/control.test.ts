// The control API lets another process seed and inspect the stand-in that runs inside the app.
import { afterAll, beforeAll, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../../helpers/env";
import { shopifyControlClient, startControlServer } from "./control";
import { createShopifyStandIn } from "./index";

const standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET });
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
