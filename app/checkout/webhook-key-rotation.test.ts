// A change of the webhook signing key has a grace period: deliveries Checkout.com signed with the
// previous key (it retries them for days) are still accepted for WEBHOOK_KEY_GRACE_HOURS, and the
// Settings summary says so. Before, every delivery signed with the other key failed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { checkoutEvent, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { deliver, startWebhookServer, type WebhookServer } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop, SIGNATURE_KEY } from "../../test/helpers/factories";
import { getConnection, saveConnection, summarize } from "./connection.server";
import { ABC_TEST_KEY } from "../../test/standins/checkout/testing";
import { webhookEndpointCache } from "./webhook-endpoint-cache.server";

let server: WebhookServer;
beforeAll(async () => {
  server = await startWebhookServer();
});
afterAll(() => server.close());

const NEW_KEY = "whsec-rotated-signature-key-0002";
const event = () => checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture()));
const nasForm = (signatureKey: string) => ({ accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", signatureKey });

describe("webhook signing key rotation", () => {
  it("accepts the previous key during the grace period, then only the new one", async () => {
    const { shop, connection } = await createConnectedShop();
    expect((await deliver(server, connection.endpointId, event(), { key: SIGNATURE_KEY })).status).toBe(200);

    const saved = await saveConnection(shop.id, nasForm(NEW_KEY), "admin@example.com");
    expect(saved.ok).toBe(true);
    const summary = summarize((await getConnection(shop.id))!);
    expect(summary.previousWebhookKey).toMatchObject({ last4: SIGNATURE_KEY.slice(-4) });
    const until = Date.parse(summary.previousWebhookKey!.until);
    expect(until - Date.now()).toBeGreaterThan(71 * 3_600_000);
    expect(JSON.stringify(summary)).not.toContain(SIGNATURE_KEY);

    // A retry of a delivery Checkout.com signed before the change, and a new one.
    expect((await deliver(server, connection.endpointId, event(), { key: SIGNATURE_KEY })).status).toBe(200);
    expect((await deliver(server, connection.endpointId, event(), { key: NEW_KEY })).status).toBe(200);
    expect((await deliver(server, connection.endpointId, event(), { key: "whsec-some-other-key-entirely" })).status).toBe(401);

    // The grace period ends.
    await db().checkoutConnection.update({ where: { id: connection.id }, data: { previousWebhookKeyUntil: new Date(Date.now() - 1000) } });
    webhookEndpointCache.forget(connection.endpointId);
    expect((await deliver(server, connection.endpointId, event(), { key: SIGNATURE_KEY })).status).toBe(401);
    expect((await deliver(server, connection.endpointId, event(), { key: NEW_KEY })).status).toBe(200);
    expect(summarize((await getConnection(shop.id))!).previousWebhookKey).toBeNull();
  });

  it("keeps no previous key when the signing key did not change", async () => {
    const { shop } = await createConnectedShop();
    expect((await saveConnection(shop.id, { ...nasForm(""), authorizationHeader: "Bearer fixed-value-0001" }, "admin@example.com")).ok).toBe(true);
    expect((await getConnection(shop.id))!.previousWebhookKeyEnc).toBeNull();
  });

  it("on the previous platform (ABC), changing the secret key changes the signing key", async () => {
    const { shop, connection } = await createConnectedShop(undefined, { accountType: "ABC", secretKey: ABC_TEST_KEY, signatureKey: "" });
    const rotated = "sk_test_11111111-2222-4333-8444-555555555555";
    expect((await saveConnection(shop.id, { accountType: "ABC", environment: "sandbox", secretKey: rotated }, "admin@example.com")).ok).toBe(true);
    expect((await deliver(server, connection.endpointId, event(), { key: ABC_TEST_KEY })).status).toBe(200);
    expect((await deliver(server, connection.endpointId, event(), { key: rotated })).status).toBe(200);
  });
});
