import http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { saveConnection } from "../checkout/connection.server";
import { webhookEndpointCache } from "../checkout/webhook-endpoint-cache.server";
import { createDb, db, setDb } from "../db.server";
import { action } from "../routes/webhooks.checkout.$endpointId";
import { checkoutEvent, ckoId, paymentEventData, paymentFixture, signBody } from "../../test/fixtures/checkout-events";
import { deliver, startWebhookServer, type WebhookServer } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop, SIGNATURE_KEY } from "../../test/helpers/factories";
import { callAction } from "../../test/helpers/shopify";
import { MAX_WEBHOOK_BYTES } from "./receive.server";
import { createWorker } from "./worker.server";

let server: WebhookServer;
beforeAll(async () => {
  server = await startWebhookServer();
});
afterAll(() => server.close());
beforeEach(() => webhookEndpointCache.clear());

const approved = (overrides = {}) => {
  const payment = paymentFixture(overrides);
  return checkoutEvent("payment_approved", paymentEventData("payment_approved", payment));
};
const stored = (shopId?: string) => db().webhookEvent.count({ where: shopId ? { shopId } : {} });

describe("receiving a Checkout.com webhook", () => {
  it("stores a signed event as received and answers 200 without processing it", async () => {
    const { shop, connection } = await createConnectedShop();
    const event = approved();
    const body = JSON.stringify(event);
    const result = await deliver(server, connection.endpointId, body);
    expect(result).toEqual({ status: 200, body: { received: true } });
    const row = await db().webhookEvent.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(row).toMatchObject({
      connectionId: connection.id,
      eventId: event.id,
      type: "payment_approved",
      ckoPaymentId: (event.data as { id: string }).id,
      payload: body,
      status: "pending",
      attempts: 0,
    });
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("verifies ABC deliveries with the account's secret key", async () => {
    const secretKey = "sk_test_0b7d6b5e-2f41-4c43-9d1e-6a5bd2c1e0f9";
    const { shop, connection } = await createConnectedShop(undefined, { accountType: "ABC", secretKey, subdomain: "" });
    const event = checkoutEvent("payment_captured", paymentEventData("payment_captured", paymentFixture()), { envelope: "ABC" });
    expect((await deliver(server, connection.endpointId, event, { key: SIGNATURE_KEY })).status).toBe(401);
    expect((await deliver(server, connection.endpointId, event, { key: secretKey })).status).toBe(200);
    expect(await stored(shop.id)).toBe(1);
  });

  it("answers a repeated delivery 200 as a duplicate and stores it once", async () => {
    const { shop, connection } = await createConnectedShop();
    const event = approved();
    expect((await deliver(server, connection.endpointId, event)).body).toEqual({ received: true });
    expect(await deliver(server, connection.endpointId, event)).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(await stored(shop.id)).toBe(1);
  });

  it("stores concurrent identical deliveries once, and they are processed once", async () => {
    const { shop, connection } = await createConnectedShop();
    const event = approved();
    const results = await Promise.all(Array.from({ length: 25 }, () => deliver(server, connection.endpointId, event)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.duplicate !== true)).toHaveLength(1);
    expect(await stored(shop.id)).toBe(1);
    await Promise.all([createWorker({ jobHandlers: {} }).runUntilIdle(), createWorker({ jobHandlers: {} }).runUntilIdle()]);
    expect(await db().paymentActivity.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await db().job.count({ where: { shopId: shop.id, kind: "payment_review" } })).toBe(1);
  });

  it("keeps concurrent distinct deliveries apart (group commit answers each with its own outcome)", async () => {
    const { shop, connection } = await createConnectedShop();
    const events = Array.from({ length: 40 }, () => approved());
    const results = await Promise.all([...events, events[0], events[1]].map((e) => deliver(server, connection.endpointId, e)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.duplicate === true)).toHaveLength(2);
    expect(await stored(shop.id)).toBe(40);
  });
});

describe("rejections store nothing", () => {
  it("404 for an unknown endpoint", async () => {
    await createConnectedShop();
    const before = await stored();
    const unknown = await deliver(server, "Unknown_endpoint_id_0000000000000", approved());
    expect(unknown).toEqual({ status: 404, body: { error: "Unknown webhook endpoint" } });
    expect((await deliver(server, "../../etc", approved())).status).toBe(404);
    expect(await stored()).toBe(before);
  });

  it("401 for a missing, wrong, altered or re-serialised signature", async () => {
    const { shop, connection } = await createConnectedShop();
    const body = JSON.stringify(approved());
    const altered = Buffer.from(body);
    altered[altered.length - 2] ^= 0x01;
    const reserialised = JSON.stringify(JSON.parse(body), null, 1);
    const cases = [
      await deliver(server, connection.endpointId, body, { signature: null }),
      await deliver(server, connection.endpointId, body, { key: "not-the-signature-key-0000" }),
      await deliver(server, connection.endpointId, altered, { signature: signBody(body, SIGNATURE_KEY) }),
      await deliver(server, connection.endpointId, reserialised, { signature: signBody(body, SIGNATURE_KEY) }),
    ];
    expect(cases.map((c) => c.status)).toEqual([401, 401, 401, 401]);
    expect(cases[0].body.error).toBe("Missing Cko-Signature header");
    expect(cases[1].body.error).toBe("Cko-Signature does not match the body");
    for (const c of cases) expect(JSON.stringify(c.body)).not.toContain(SIGNATURE_KEY);
    expect(await stored(shop.id)).toBe(0);
  });

  it("verifies before parsing: an unsigned non-JSON body is 401, not 400", async () => {
    const { connection } = await createConnectedShop();
    expect((await deliver(server, connection.endpointId, "not json", { signature: "0".repeat(64) })).status).toBe(401);
  });

  it("401 when the configured Authorization value is missing or wrong", async () => {
    const { shop, connection } = await createConnectedShop(undefined, { authorizationHeader: "Bearer fixed-webhook-value" });
    const event = approved();
    const missing = await deliver(server, connection.endpointId, event);
    const wrong = await deliver(server, connection.endpointId, event, { authorization: "Bearer other" });
    expect([missing.status, wrong.status]).toEqual([401, 401]);
    expect(JSON.stringify(wrong.body)).not.toContain("fixed-webhook-value");
    expect(await stored(shop.id)).toBe(0);
    expect((await deliver(server, connection.endpointId, event, { authorization: "Bearer fixed-webhook-value" })).status).toBe(200);
    expect(await stored(shop.id)).toBe(1);
  });

  it("400 for a signed body that is not JSON, or JSON that is not an event", async () => {
    const { shop, connection } = await createConnectedShop();
    const notJson = await deliver(server, connection.endpointId, "{not json");
    expect(notJson).toEqual({ status: 400, body: { error: "Body is not JSON" } });
    for (const body of [{ type: "payment_approved", data: {} }, { id: "evt_1", data: {} }, [1, 2], { id: "evt_1", type: 7 }, "null"]) {
      const result = await deliver(server, connection.endpointId, typeof body === "string" ? body : JSON.stringify(body));
      expect(result.status).toBe(400);
      expect(result.body.error).toMatch(/^Body is not a Checkout.com event/);
    }
    expect(await stored(shop.id)).toBe(0);
  });

  it("413 for a body over 1 MB, declared or streamed, without reading it all", async () => {
    const { shop, connection } = await createConnectedShop();
    const big = JSON.stringify({ ...approved(), padding: "x".repeat(MAX_WEBHOOK_BYTES) });
    const declared = await deliver(server, connection.endpointId, big);
    expect(declared.status).toBe(413);
    // Chunked, with no Content-Length: refused once the limit is passed.
    const streamed = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${server.url}/webhooks/checkout/${connection.endpointId}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Cko-Signature": signBody(big, SIGNATURE_KEY), "Transfer-Encoding": "chunked" },
      });
      request.on("response", (response) => resolve(response.statusCode ?? 0));
      request.on("error", reject);
      for (let i = 0; i < big.length; i += 64 * 1024) request.write(big.slice(i, i + 64 * 1024));
      request.end();
    });
    expect(streamed).toBe(413);
    expect(await stored(shop.id)).toBe(0);
  });

  it("405 for anything but POST", async () => {
    const { connection } = await createConnectedShop();
    const response = await fetch(`${server.url}/webhooks/checkout/${connection.endpointId}`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("503 when the database cannot store the event, so Checkout.com retries; nothing half-written", async () => {
    const { shop, connection } = await createConnectedShop();
    const event = approved();
    // Warm the endpoint cache, then lose the database.
    expect((await deliver(server, connection.endpointId, approved({ id: ckoId("pay") }))).status).toBe(200);
    const healthy = db();
    const broken = createDb("file:/nonexistent-directory/for-this-test/db.sqlite");
    setDb(broken);
    try {
      const result = await deliver(server, connection.endpointId, event);
      expect(result).toEqual({ status: 503, body: { error: "The event could not be stored right now; retry later" } });
      webhookEndpointCache.clear();
      expect((await deliver(server, connection.endpointId, event)).status).toBe(503);
    } finally {
      setDb(healthy);
      await broken.$disconnect().catch(() => {});
    }
    expect(await db().webhookEvent.count({ where: { shopId: shop.id, eventId: event.id as string } })).toBe(0);
    expect((await deliver(server, connection.endpointId, event)).status).toBe(200);
  });
});

describe("connections and tenancy", () => {
  it("one shop's endpoint cannot be used with another shop's key", async () => {
    const a = await createConnectedShop(undefined, { signatureKey: "shop-a-signature-key-0001" });
    const b = await createConnectedShop(undefined, { signatureKey: "shop-b-signature-key-0002" });
    const event = approved();
    expect((await deliver(server, a.connection.endpointId, event, { key: "shop-b-signature-key-0002" })).status).toBe(401);
    expect((await deliver(server, a.connection.endpointId, event, { key: "shop-a-signature-key-0001" })).status).toBe(200);
    expect(await stored(a.shop.id)).toBe(1);
    expect(await stored(b.shop.id)).toBe(0);
  });

  it("an event about another shop's payment only ever writes to the receiving shop", async () => {
    const a = await createConnectedShop(undefined, { signatureKey: "shop-a-signature-key-0001" });
    const b = await createConnectedShop(undefined, { signatureKey: "shop-b-signature-key-0002" });
    const payment = paymentFixture({ amount: 1000 });
    await deliver(server, b.connection.endpointId, checkoutEvent("payment_approved", paymentEventData("payment_approved", payment)), { key: "shop-b-signature-key-0002" });
    // Shop A's endpoint, correctly signed by A, claims a refund on B's payment id.
    await deliver(server, a.connection.endpointId, checkoutEvent("payment_refunded", paymentEventData("payment_refunded", payment)), { key: "shop-a-signature-key-0001" });
    await createWorker({ jobHandlers: {} }).runUntilIdle();
    const bPayment = await db().payment.findUniqueOrThrow({ where: { shopId_ckoPaymentId: { shopId: b.shop.id, ckoPaymentId: payment.id } } });
    expect(bPayment).toMatchObject({ status: "Authorized", refundedAmount: 0 });
    expect(await db().paymentActivity.count({ where: { paymentId: bPayment.id } })).toBe(1);
    const aPayment = await db().payment.findUniqueOrThrow({ where: { shopId_ckoPaymentId: { shopId: a.shop.id, ckoPaymentId: payment.id } } });
    expect(aPayment.refundedAmount).toBe(1000);
  });

  it("uses new keys as soon as the settings are saved", async () => {
    const { shop, connection } = await createConnectedShop();
    expect((await deliver(server, connection.endpointId, approved())).status).toBe(200);
    const saved = await saveConnection(shop.id, { accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", signatureKey: "rotated-signature-key-0003" });
    expect(saved.ok).toBe(true);
    expect((await deliver(server, connection.endpointId, approved())).status).toBe(401);
    expect((await deliver(server, connection.endpointId, approved(), { key: "rotated-signature-key-0003" })).status).toBe(200);
  });

  it("answers 404 once a cached connection was deleted (shop redacted)", async () => {
    const { shop, connection } = await createConnectedShop();
    expect((await deliver(server, connection.endpointId, approved())).status).toBe(200);
    await db().shop.delete({ where: { id: shop.id } });
    expect((await deliver(server, connection.endpointId, approved())).status).toBe(404);
    expect(await stored(shop.id)).toBe(0);
  });
});

describe("the Remix route", () => {
  const post = (endpointId: string, body: string, headers: Record<string, string> = {}) =>
    callAction(action as never, new Request(`https://app.test/webhooks/checkout/${endpointId}`, { method: "POST", body, headers }), { endpointId });

  it("stores, deduplicates and rejects like the node handler", async () => {
    const { shop, connection } = await createConnectedShop();
    const body = JSON.stringify(approved());
    const signature = signBody(body, SIGNATURE_KEY);
    expect((await post(connection.endpointId, body, { "Cko-Signature": signature })).status).toBe(200);
    expect(await (await post(connection.endpointId, body, { "Cko-Signature": signature })).json()).toEqual({ received: true, duplicate: true });
    expect((await post(connection.endpointId, body, { "Cko-Signature": "0".repeat(64) })).status).toBe(401);
    expect((await post(connection.endpointId, "x".repeat(MAX_WEBHOOK_BYTES + 1), { "Cko-Signature": signature })).status).toBe(413);
    expect((await post("nope-not-an-endpoint", body, { "Cko-Signature": signature })).status).toBe(404);
    expect(await stored(shop.id)).toBe(1);
  });
});
