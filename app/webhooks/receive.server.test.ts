import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { saveConnection } from "../checkout/connection.server";
import { webhookEndpointCache } from "../checkout/webhook-endpoint-cache.server";
import { createDb, db, setDb } from "../db.server";
import { action } from "../routes/webhooks.checkout.$endpointId";
import { checkoutEvent, ckoId, paymentEventData, paymentFixture, signBody } from "../../test/fixtures/checkout-events";
import { deliver, startWebhookServer, type WebhookServer } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop, SIGNATURE_KEY } from "../../test/helpers/factories";
import { callAction } from "../../test/helpers/shopify";
import { resetEnvForTests } from "../env.server";
import { BURST_SECONDS, resetIntakeLimitsForTests } from "./intake-limits.server";
import { MAX_WEBHOOK_BYTES } from "./receive.server";
import { createAppWorker } from "../events/registry.server";

let server: WebhookServer;
beforeAll(async () => {
  server = await startWebhookServer();
});
afterAll(() => server.close());
beforeEach(() => {
  webhookEndpointCache.clear();
  resetIntakeLimitsForTests();
});

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
      priority: 0,
    });
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("marks a flagged payment's event and a fraud warning for the priority lane", async () => {
    const { shop, connection } = await createConnectedShop();
    const flagged = checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture({ flagged: true, riskScore: 88 })));
    const warning = checkoutEvent("fraud_reported", { id: paymentFixture().id });
    for (const event of [flagged, warning]) expect((await deliver(server, connection.endpointId, JSON.stringify(event))).status).toBe(200);
    const rows = await db().webhookEvent.findMany({ where: { shopId: shop.id }, select: { eventId: true, priority: true } });
    expect(Object.fromEntries(rows.map((r) => [r.eventId, r.priority]))).toEqual({ [flagged.id as string]: 1, [warning.id as string]: 1 });
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
    await Promise.all([createAppWorker({ jobHandlers: {} }).runUntilIdle(), createAppWorker({ jobHandlers: {} }).runUntilIdle()]);
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
    await deliver(server, b.connection.endpointId, checkoutEvent("payment_approved", paymentEventData("payment_approved", payment)), {
      key: "shop-b-signature-key-0002",
    });
    // Shop A's endpoint, correctly signed by A, claims a refund on B's payment id.
    await deliver(server, a.connection.endpointId, checkoutEvent("payment_refunded", paymentEventData("payment_refunded", payment)), {
      key: "shop-a-signature-key-0001",
    });
    await createAppWorker({ jobHandlers: {} }).runUntilIdle();
    const bPayment = await db().payment.findUniqueOrThrow({ where: { shopId_ckoPaymentId: { shopId: b.shop.id, ckoPaymentId: payment.id } } });
    expect(bPayment).toMatchObject({ status: "Authorized", refundedAmount: 0 });
    expect(await db().paymentActivity.count({ where: { paymentId: bPayment.id } })).toBe(1);
    const aPayment = await db().payment.findUniqueOrThrow({ where: { shopId_ckoPaymentId: { shopId: a.shop.id, ckoPaymentId: payment.id } } });
    expect(aPayment.refundedAmount).toBe(1000);
  });

  it("uses new keys as soon as the settings are saved (the previous one only during its grace period: webhook-key-rotation.test.ts)", async () => {
    const { shop, connection } = await createConnectedShop();
    expect((await deliver(server, connection.endpointId, approved())).status).toBe(200);
    const saved = await saveConnection(
      shop.id,
      {
        accountType: "NAS",
        environment: "sandbox",
        subdomain: "abcd1234",
        signatureKey: "rotated-signature-key-0003",
      },
      "admin@example.com",
    );
    expect(saved.ok).toBe(true);
    expect((await deliver(server, connection.endpointId, approved(), { key: "rotated-signature-key-0003" })).status).toBe(200);
    expect((await deliver(server, connection.endpointId, approved(), { key: "rotated-signature-key-0004" })).status).toBe(401);
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

  it("answers an unknown endpoint 404 without reading the body, even one that never ends", async () => {
    const never = new ReadableStream({ pull: () => new Promise(() => {}) });
    const request = new Request("https://app.test/webhooks/checkout/Unknown_endpoint_id_0000000000000", {
      method: "POST",
      body: never,
      duplex: "half",
    } as RequestInit);
    const response = await callAction(action as never, request, { endpointId: "Unknown_endpoint_id_0000000000000" });
    expect(response.status).toBe(404);
  });

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

/**
 * A POST from a chosen loopback address (127.0.0.x: each is a different client to the limits) that
 * sends `sent` bytes of a body declared as `declared` bytes, and ends it only when `sent` is all of it.
 */
function rawPost(endpointId: string, options: { from?: string; body?: string; declared?: number; signature?: string } = {}) {
  const body = Buffer.from(options.body ?? "{}");
  const declared = options.declared ?? body.length;
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const url = new URL(`${server.url}/webhooks/checkout/${endpointId}`);
    const request = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: "POST",
      localAddress: options.from ?? "127.0.0.1",
      agent: false,
      headers: { "Content-Type": "application/json", "Content-Length": String(declared), ...(options.signature ? { "Cko-Signature": options.signature } : {}) },
    });
    request.on("response", (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text });
        request.destroy();
      });
    });
    request.on("error", (error) => (request.destroyed ? undefined : reject(error)));
    request.write(body);
    if (declared === body.length) request.end();
  });
}

const randomId = () => randomBytes(24).toString("base64url");

describe("before the body is read", () => {
  it("answers 404 for an unknown endpoint at once: a body that never ends still gets its answer, and the connection closes", async () => {
    const never = { declared: 1_000_000, body: "x".repeat(1024) };
    for (const id of [randomId(), "abc", randomId()]) {
      const answer = await rawPost(id, never);
      expect([answer.status, JSON.parse(answer.body)]).toEqual([404, { error: "Unknown webhook endpoint" }]);
      expect(answer.headers.connection).toBe("close");
    }
    // A known endpoint waits for its body (and refuses one declared too large at once, as before).
    const { connection } = await createConnectedShop();
    expect((await rawPost(connection.endpointId, { declared: MAX_WEBHOOK_BYTES + 1, body: "x" })).status).toBe(413);
  });

  it("keeps the connection open after a refusal while the sender is still writing, so it reads the answer instead of a reset", async () => {
    // Checkout.com treats a reset like an outage and retries; the 404 (or an uninstalled shop's 410)
    // is only heard if the connection stays up until the sender has its answer. A raw socket, so the
    // sender can go on writing after the answer as one mid-way through a large body does.
    const { connection } = await createConnectedShop();
    const url = new URL(server.url);
    const chunk = `${(64 * 1024).toString(16)}\r\n${"x".repeat(64 * 1024)}\r\n`;
    for (const [id, status, before] of [
      [randomId(), 404, 1],
      [connection.endpointId, 413, 17],
    ] as const) {
      const outcome = await new Promise<{ answer: string; error?: string }>((resolve) => {
        const socket = net.connect(Number(url.port), url.hostname);
        let answer = "";
        socket.on("error", (error) => resolve({ answer: answer.split("\r\n")[0], error: (error as NodeJS.ErrnoException).code }));
        socket.on("end", () => resolve({ answer: answer.split("\r\n")[0] }));
        socket.on("data", (data) => {
          if (answer) return;
          answer = data.toString("latin1");
          // The answer is in; another 512 KB follows at a sender's pace, then the body's end.
          let more = 8;
          const next = () => (more-- > 0 ? socket.write(chunk, () => setTimeout(next, 5)) : socket.write("0\r\n\r\n"));
          next();
        });
        socket.write(`POST /webhooks/checkout/${id} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
        // An unknown endpoint is refused before any body; a known one once the body passes 1 MB.
        for (let i = 0; i < before; i++) socket.write(chunk);
      });
      expect(outcome).toEqual({ answer: `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}` });
    }
  });

  it("lets one address try unknown ids within its budget, then answers 429 with Retry-After without asking the database", async () => {
    const { shop, connection } = await createConnectedShop();
    // The endpoint is known here (an id never seen yet costs a lookup, within the sender's budget).
    expect((await deliver(server, connection.endpointId, approved())).status).toBe(200);
    const answers = [];
    const started = performance.now();
    for (let i = 0; i < 100; i++) answers.push(await rawPost(randomId(), { from: "127.0.0.2" }));
    // The budget: 5 a second, 50 at once (it refills while the spray runs).
    const budget = 5 * BURST_SECONDS + Math.ceil(((performance.now() - started) / 1000) * 5);
    const notFound = answers.filter((a) => a.status === 404).length;
    expect(answers.slice(0, 5 * BURST_SECONDS).every((a) => a.status === 404)).toBe(true);
    expect(notFound).toBeLessThanOrEqual(budget);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBe(100 - notFound);
    expect(limited.length).toBeGreaterThanOrEqual(25);
    for (const a of limited) expect([a.headers["retry-after"], JSON.parse(a.body)]).toEqual(["1", { error: "Too many requests; retry later" }]);
    // Every lookup's answer is cached: only the ids within the budget were looked up.
    expect(webhookEndpointCache.sizes().missing).toBe(notFound);
    // Another address has its own budget; the sprayer still reaches a real endpoint, and a spray
    // never pushed that endpoint out of the cache.
    expect((await rawPost(randomId(), { from: "127.0.0.3" })).status).toBe(404);
    const body = JSON.stringify(approved());
    expect((await rawPost(connection.endpointId, { from: "127.0.0.2", body, signature: signBody(body, SIGNATURE_KEY) })).status).toBe(200);
    expect(webhookEndpointCache.get(connection.endpointId)?.kind).toBe("found");
    expect(await stored(shop.id)).toBe(2);
  });

  it("gives an address that delivered a signed event room for endpoints since removed (Checkout.com's own)", async () => {
    const { connection } = await createConnectedShop();
    const body = JSON.stringify(approved());
    expect((await rawPost(connection.endpointId, { from: "127.0.0.4", body, signature: signBody(body, SIGNATURE_KEY) })).status).toBe(200);
    const gone = Array.from({ length: 20 }, randomId);
    const answers = [];
    for (let i = 0; i < 5 * BURST_SECONDS + 20; i++) answers.push((await rawPost(gone[i % gone.length], { from: "127.0.0.4" })).status);
    expect(new Set(answers)).toEqual(new Set([404]));
  });

  it("answers 429 with Retry-After to deliveries over an endpoint's limit, reads none of their bodies and stores nothing", async () => {
    process.env.WEBHOOK_LIMIT_PER_ENDPOINT = "1";
    resetEnvForTests();
    resetIntakeLimitsForTests();
    try {
      const { shop, connection } = await createConnectedShop();
      for (let i = 0; i < BURST_SECONDS; i++) expect((await deliver(server, connection.endpointId, approved())).status).toBe(200);
      const over = await rawPost(connection.endpointId, { declared: 100_000, body: "{" });
      expect([over.status, over.headers["retry-after"], over.headers.connection]).toEqual([429, "1", "close"]);
      const signed = await deliver(server, connection.endpointId, approved());
      expect(signed.status).toBe(429);
      expect(await stored(shop.id)).toBe(BURST_SECONDS);
      // Another shop's endpoint is not affected.
      const other = await createConnectedShop();
      expect((await deliver(server, other.connection.endpointId, approved())).status).toBe(200);
    } finally {
      delete process.env.WEBHOOK_LIMIT_PER_ENDPOINT;
      resetEnvForTests();
    }
  });

  it("never limits a real burst: 2,000 deliveries over 50 connections from one address to one endpoint", async () => {
    const { shop, connection } = await createConnectedShop();
    const events = Array.from({ length: 2000 }, () => approved());
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < events.length) statuses.push((await deliver(server, connection.endpointId, events[next++])).status);
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await stored(shop.id)).toBe(2000);
  }, 60_000);
});
