// Saving the Settings form, switching environments and disconnecting: the workflow registered and the
// backfill started once per active connection and key, never for the inactive environment; a
// disconnect deletes the workflow, forgets the keys and refuses deliveries, keeping the events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutEvent, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { useCheckoutStandIn } from "../../test/helpers/checkout-standin";
import { deliver, startWebhookServer, type WebhookServer } from "../../test/helpers/checkout-webhooks";
import { createShop } from "../../test/helpers/factories";
import { nasAccount, NAS_SANDBOX_KEY } from "../../test/standins/checkout/testing";
import { db } from "../db.server";
import { sayAll } from "../i18n/domain-words";
import { requestMoneyAction } from "../money/actions.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { requestPayoutImport } from "../reconciliation/payouts.server";
import { checkoutBackfillJob, retryCheckoutBackfill } from "./backfill.server";
import { connectCheckout, disconnectCheckout, switchEnvironment } from "./connect.server";
import { activateConnection, connectionIn, connectionSecrets, connectionsOf, getConnection, summarize, testConnection } from "./connection.server";

const PRODUCTION_KEY = "sk_" + "q".repeat(26) + "2";
const standIn = useCheckoutStandIn({
  accounts: [nasAccount(), nasAccount({ id: "live", secretKey: PRODUCTION_KEY })],
  actionLatencyMs: 1,
  webhooks: { delayMs: 0, retryDelaysMs: [], timeoutMs: 1_000 },
});

const sandboxForm = { accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", secretKey: NAS_SANDBOX_KEY };
const productionForm = { accountType: "NAS", environment: "production", subdomain: "live1234", secretKey: PRODUCTION_KEY };
const backfills = (shopId: string) => db().job.findMany({ where: { shopId, kind: JOB_KINDS.checkoutBackfill }, select: { key: true } });

describe("connectCheckout and switchEnvironment", () => {
  it("a first save registers the webhook and starts the import once; production saved beside it imports only when made active", async () => {
    const shop = await createShop();

    const first = await connectCheckout(shop.id, sandboxForm, "admin@example.com");
    expect(first).toMatchObject({
      ok: true,
      message: "Checkout.com connection saved, and its webhook registered. Open disputes and recent payments are being imported: Home shows the progress.",
    });
    if (!first.ok) return;
    expect(sayAll("en", first.words)).toBe(first.message);
    expect(sayAll("de", first.words)).toBe(
      "Checkout.com-Verbindung gespeichert und ihr Webhook registriert. Offene Streitfälle und aktuelle Zahlungen werden importiert: Die Startseite zeigt den Fortschritt.",
    );
    expect(await backfills(shop.id)).toHaveLength(1);

    // Saved again with the same key (a double click, a changed channel): no second import.
    expect(await connectCheckout(shop.id, { ...sandboxForm, secretKey: "" }, "admin@example.com")).toMatchObject({ ok: true });
    expect(await backfills(shop.id)).toHaveLength(1);

    expect(await connectCheckout(shop.id, productionForm, "admin@example.com")).toMatchObject({ ok: true, message: expect.not.stringContaining("imported") });
    expect(await backfills(shop.id)).toHaveLength(1);

    expect(await switchEnvironment(shop.id, "production", "admin@example.com")).toMatchObject({ ok: true });
    expect(await backfills(shop.id)).toHaveLength(2);
    const production = await db().checkoutConnection.findFirstOrThrow({ where: { shopId: shop.id, environment: "production" } });
    expect(await db().checkoutBackfill.count({ where: { shopId: shop.id, connectionId: production.id } })).toBe(1);
  });

  it("a refused form saves, registers and imports nothing", async () => {
    const shop = await createShop();
    expect(await connectCheckout(shop.id, { ...sandboxForm, subdomain: "NOPE" }, "admin@example.com")).toMatchObject({
      ok: false,
      fieldErrors: { subdomain: expect.any(String) },
    });
    expect(await db().checkoutConnection.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await backfills(shop.id)).toHaveLength(0);
  });
});

describe("disconnectCheckout", () => {
  let intake: WebhookServer;
  beforeAll(async () => {
    intake = await startWebhookServer();
  });
  afterAll(() => intake.close());

  const ADMIN = "admin@example.com";
  const event = () => checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture()));
  const rowOf = (shopId: string, environment = "sandbox") => db().checkoutConnection.findFirstOrThrow({ where: { shopId, environment } });
  const workflowIds = () =>
    standIn()
      .workflows.list("shop_a")
      .map((w) => w.id);

  /** A shop connected in the sandbox through the form, its workflow registered and one event received. */
  async function connectedShop() {
    const shop = await createShop();
    expect(await connectCheckout(shop.id, sandboxForm, ADMIN)).toMatchObject({ ok: true, message: expect.stringContaining("webhook registered") });
    const connection = await rowOf(shop.id);
    const signingKey = connectionSecrets(connection).signatureKey!;
    const received = event();
    expect((await deliver(intake, connection.endpointId, received, { key: signingKey })).status).toBe(200);
    return { shop, connection, signingKey, received };
  }

  it("deletes the workflow at Checkout.com, forgets the keys, refuses deliveries unstored and keeps the events; nothing acts until keys are saved again", async () => {
    const { shop, connection, signingKey, received } = await connectedShop();
    expect(workflowIds()).toContain(connection.workflowId);

    const result = await disconnectCheckout(shop.id, "sandbox", ADMIN);

    expect(result).toEqual({
      ok: true,
      message:
        "Sandbox disconnected: its keys were forgotten, and the events already received stay. The app's webhook was deleted at Checkout.com. No environment is active now: nothing acts on orders or moves money until you save keys again or make the other environment active.",
      words: expect.any(Array),
    });
    expect(sayAll("en", result.words)).toBe(result.message);
    expect(sayAll("de", result.words)).toMatch(/^Sandbox getrennt/);
    expect(workflowIds()).not.toContain(connection.workflowId);

    // The keys are gone from the row; what is left says when, and keeps the account's settings and URL.
    const row = await rowOf(shop.id);
    expect(row).toMatchObject({
      active: false,
      disconnectedAt: expect.any(Date),
      secretKeyEnc: "",
      secretKeyLast4: "",
      signatureKeyEnc: null,
      signatureKeyLast4: null,
      authorizationEnc: null,
      previousWebhookKeyEnc: null,
      workflowId: null,
      workflowStatus: null,
      endpointId: connection.endpointId,
      subdomain: "abcd1234",
    });
    expect(() => connectionSecrets(row)).toThrow(/disconnected/);
    expect(summarize((await connectionsOf(shop.id)).sandbox!)).toMatchObject({ disconnectedAt: row.disconnectedAt!.toISOString(), secretKeyLast4: "" });
    const audited = await db().auditLog.findFirstOrThrow({ where: { shopId: shop.id, action: "checkout.connection.disconnect" } });
    expect(JSON.parse(audited.details)).toEqual({ environment: "sandbox", wasActive: true, workflowId: connection.workflowId, workflowDeleted: true });

    // Deliveries, even signed with the key it had, are refused and stored nowhere; what came before stays.
    const refused = await deliver(intake, connection.endpointId, event(), { key: signingKey });
    expect(refused).toEqual({ status: 410, body: { error: "The store has disconnected this Checkout.com connection; nothing was stored" } });
    expect((await db().webhookEvent.findMany({ where: { shopId: shop.id } })).map((e) => e.eventId)).toEqual([received.id]);

    // Nothing uses it: no active connection, no test, no switch to it, no money moved, no import.
    expect(await getConnection(shop.id)).toBeNull();
    expect(await connectionIn(shop.id, "sandbox")).toBeNull();
    expect(await testConnection(shop.id, "sandbox")).toMatchObject({ ok: false, message: "Save your Checkout.com sandbox keys first." });
    expect(await activateConnection(shop.id, "sandbox", ADMIN)).toMatchObject({ ok: false, message: "Save the sandbox keys first." });
    const payment = await db().payment.create({
      data: { shopId: shop.id, ckoPaymentId: paymentFixture().id, amount: 5_000, capturedAmount: 5_000, currency: "EUR", status: "Captured" },
    });
    const refunds = () => standIn().requests.filter((r) => r.path === `/payments/${payment.ckoPaymentId}/refunds`).length;
    const refund = await requestMoneyAction({
      shopId: shop.id,
      paymentId: payment.id,
      kind: "refund",
      amount: 1_000,
      requestedBy: ADMIN,
      source: "admin",
      intent: "disconnect-test:refund",
    });
    expect(refund).toMatchObject({ ok: false, message: "Connect Checkout.com in Settings first." });
    expect(refunds()).toBe(0);
    expect(await requestPayoutImport({ shopId: shop.id, actor: ADMIN })).toMatchObject({ ok: false, message: "Connect Checkout.com first." });
    const page = await db().job.findFirstOrThrow({ where: { shopId: shop.id, kind: JOB_KINDS.checkoutBackfill } });
    await checkoutBackfillJob({ id: page.id, shopId: shop.id, kind: page.kind, key: page.key, payload: JSON.parse(page.payload), attempts: 1 });
    expect(await db().checkoutBackfill.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      phase: "stopped",
      lastError: "Checkout.com was disconnected before the import finished. Connect it again in Settings, then retry.",
    });
    expect(await retryCheckoutBackfill(shop.id, ADMIN)).toMatchObject({ ok: false, message: "Connect Checkout.com in Settings first." });
    expect(await disconnectCheckout(shop.id, "sandbox", ADMIN)).toMatchObject({ ok: false, message: "Sandbox is not connected." });

    // Saving keys again connects it anew: active again, a new workflow and key, the same URL.
    expect(await connectCheckout(shop.id, sandboxForm, ADMIN)).toMatchObject({ ok: true, message: expect.stringContaining("webhook registered") });
    const again = await rowOf(shop.id);
    expect(again).toMatchObject({ active: true, disconnectedAt: null, workflowStatus: "registered", endpointId: connection.endpointId });
    expect(workflowIds()).toContain(again.workflowId);
    const newKey = connectionSecrets(again).signatureKey!;
    expect(newKey).not.toBe(signingKey);
    expect((await deliver(intake, connection.endpointId, event(), { key: newKey })).status).toBe(200);
    expect(await db().webhookEvent.count({ where: { shopId: shop.id } })).toBe(2);
  });

  it("disconnects all the same when Checkout.com will not delete the workflow, naming it for the dashboard; reconnecting replaces it", async () => {
    const { shop, connection } = await connectedShop();
    standIn().faults.set({ status: 503, paths: /^\/workflows\/wf_/ });

    const result = await disconnectCheckout(shop.id, "sandbox", ADMIN);

    expect(result.ok).toBe(true);
    expect(result.message).toContain(
      `Checkout.com did not let the app delete its webhook: delete workflow ${connection.workflowId} in the Checkout.com Dashboard. Its deliveries are refused until then.`,
    );
    expect(sayAll("fr", result.words)).toContain(connection.workflowId!);
    expect(workflowIds()).toContain(connection.workflowId);
    expect(await rowOf(shop.id)).toMatchObject({ disconnectedAt: expect.any(Date), secretKeyEnc: "", workflowId: null });
    const audited = await db().auditLog.findFirstOrThrow({ where: { shopId: shop.id, action: "checkout.connection.disconnect" } });
    expect(JSON.parse(audited.details)).toMatchObject({ workflowDeleted: false });

    // The workflow left behind is found by its name when the shop connects again, and replaced.
    standIn().faults.clear();
    await connectCheckout(shop.id, sandboxForm, ADMIN);
    expect(workflowIds()).not.toContain(connection.workflowId);
    expect(workflowIds()).toContain((await rowOf(shop.id)).workflowId);
  });

  it("disconnecting the inactive environment leaves the active one acting", async () => {
    const { shop } = await connectedShop();
    await connectCheckout(shop.id, productionForm, ADMIN);

    const result = await disconnectCheckout(shop.id, "production", ADMIN);

    expect(result.message).not.toContain("No environment is active");
    expect((await getConnection(shop.id))!.environment).toBe("sandbox");
    expect(await rowOf(shop.id, "production")).toMatchObject({ disconnectedAt: expect.any(Date), active: false });
    // Saved again beside the active sandbox, it waits inactive as before.
    await connectCheckout(shop.id, productionForm, ADMIN);
    expect(await rowOf(shop.id, "production")).toMatchObject({ disconnectedAt: null, active: false });
  });
});
