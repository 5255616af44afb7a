// Webhook registration through the Workflows API, against the Checkout.com stand-in, with the app's
// real intake receiving what the workflow delivers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebhookServer, type WebhookServer } from "../../test/helpers/checkout-webhooks";
import { useCheckoutStandIn } from "../../test/helpers/checkout-standin";
import { testEnv } from "../../test/helpers/env";
import { createConnectedShop, createShop, NAS_SANDBOX_KEY, SIGNATURE_KEY } from "../../test/helpers/factories";
import { ABC_TEST_KEY, abcAccount, call, nasAccount, OTHER_NAS_KEY, otherNasAccount } from "../../test/standins/checkout/testing";
import { db } from "../db.server";
import { resetEnvForTests } from "../env.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { markReinstalled, markUninstalled } from "../shops/install.server";
import { checkoutEvent, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { connectCheckout } from "./connect.server";
import { connectionSecrets } from "./connection.server";
import { sayAll, sayFieldErrors } from "../i18n/domain-words";
import { checkWorkflowExists, registerWebhookWorkflow, sendWorkflowTestEvent, webhookWorkflowJob, workflowMessageWords, workflowView } from "./workflow.server";

/** A well-formed sandbox key no account of the stand-in has. */
const UNKNOWN_KEY = "sk_sbox_" + "u".repeat(27);

const standIn = useCheckoutStandIn({
  accounts: [nasAccount(), otherNasAccount({ workflowsScope: false }), abcAccount()],
  actionLatencyMs: 1,
  webhooks: { delayMs: 0, retryDelaysMs: [], timeoutMs: 5_000 },
});

let intake: WebhookServer;
beforeAll(async () => {
  intake = await startWebhookServer();
  process.env.SHOPIFY_APP_URL = intake.url;
  resetEnvForTests();
});
afterAll(async () => {
  process.env.SHOPIFY_APP_URL = testEnv.SHOPIFY_APP_URL;
  resetEnvForTests();
  await intake.close();
});

/** A shop on the stand-in's first NAS account, saved without a signature key (the app makes one). */
const connectedShop = (overrides: Record<string, string> = {}) => createConnectedShop(undefined, { signatureKey: "", ...overrides });
const connectionOf = (shopId: string) => db().checkoutConnection.findFirstOrThrow({ where: { shopId } });
const workflowsOf = (account = "shop_a") => standIn().workflows.list(account);

describe("registerWebhookWorkflow", () => {
  it("registers a workflow whose deliveries the app's intake verifies with the key the app made", async () => {
    const { shop } = await connectedShop();
    const before = workflowsOf().length;

    const result = await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");

    expect(result).toMatchObject({ ok: true, status: "registered" });
    const connection = await connectionOf(shop.id);
    const key = connectionSecrets(connection).signatureKey!;
    expect(key).toHaveLength(43);
    const workflow = workflowsOf().find((w) => w.id === connection.workflowId)!;
    expect(workflowsOf()).toHaveLength(before + 1);
    expect(workflow.actions).toEqual([
      expect.objectContaining({ url: `${intake.url}/webhooks/checkout/${connection.endpointId}`, signature: { method: "HMACSHA256", key } }),
    ]);
    const events = workflow.conditions.find((c) => c.type === "event");
    expect(events).toMatchObject({
      events: { gateway: expect.arrayContaining(["payment_approved", "fraud_reported"]), dispute: expect.arrayContaining(["dispute_evidence_required"]) },
    });
    expect(JSON.stringify(events)).not.toContain("card_verified"); // raised by Checkout.com, unused by the app

    standIn().scenarios.play("captured", { account: "shop_a" });
    await standIn().webhooks.idle();
    expect((await db().webhookEvent.findMany({ where: { shopId: shop.id } })).map((e) => e.type).sort()).toEqual(["payment_approved", "payment_captured"]);
    expect(await db().auditLog.count({ where: { shopId: shop.id, action: "checkout.workflow.register", result: "ok" } })).toBe(1);
  });

  it("replaces its workflow with an up-to-date one when run again (processing channels), never leaving two, and keeps the merchant's own key", async () => {
    const { shop } = await connectedShop({ signatureKey: SIGNATURE_KEY });
    await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");
    const first = await connectionOf(shop.id);
    const count = workflowsOf().length;
    await db().checkoutConnection.updateMany({
      where: { shopId: shop.id },
      data: { processingChannelIds: "pc_axclravnqf5u5ejkweijnp5zc4 pc_bqxhxvkd4p3f5pjn5jrbqmzd6y" },
    });

    const again = await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");

    expect(again).toMatchObject({ status: "registered", message: expect.stringMatching(/up to date/) });
    const { workflowId } = await connectionOf(shop.id);
    expect(workflowsOf()).toHaveLength(count);
    expect(workflowsOf().some((w) => w.id === first.workflowId)).toBe(false);
    const workflow = workflowsOf().find((w) => w.id === workflowId)!;
    expect(workflow.conditions).toContainEqual(
      expect.objectContaining({ type: "processing_channel", processing_channels: ["pc_axclravnqf5u5ejkweijnp5zc4", "pc_bqxhxvkd4p3f5pjn5jrbqmzd6y"] }),
    );
    expect(workflow.actions).toHaveLength(1);
    expect(workflow.actions[0].signature?.key).toBe(SIGNATURE_KEY);
  });

  it("scopes the workflow to the merchant's entities: an event of another entity is not delivered; saving other entities replaces it", async () => {
    const OURS = "ent_axclravnqf5u5ejkweijnp5zc4";
    const THEIRS = "ent_bqxhxvkd4p3f5pjn5jrbqmzd6y";
    const form = { accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", secretKey: NAS_SANDBOX_KEY, entityIds: OURS };
    const shop = await createShop();
    expect(await connectCheckout(shop.id, form, "admin@example.com")).toMatchObject({ ok: true });
    const first = await connectionOf(shop.id);
    expect(workflowsOf().find((w) => w.id === first.workflowId)!.conditions).toContainEqual(expect.objectContaining({ type: "entity", entities: [OURS] }));

    const ofEntity = (entity: string) => checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture(), { entity_id: entity }));
    const ours = ofEntity(OURS);
    const theirs = ofEntity(THEIRS);
    standIn().deliverEvent("shop_a", ours);
    standIn().deliverEvent("shop_a", theirs);
    await standIn().webhooks.idle();
    expect((await db().webhookEvent.findMany({ where: { shopId: shop.id } })).map((e) => e.eventId)).toEqual([ours.id]);

    expect(await connectCheckout(shop.id, { ...form, secretKey: "", entityIds: `${OURS}\n${THEIRS}` }, "admin@example.com")).toMatchObject({ ok: true });
    const second = await connectionOf(shop.id);
    expect(second.workflowId).not.toBe(first.workflowId);
    expect(workflowsOf().some((w) => w.id === first.workflowId)).toBe(false);
    expect(workflowsOf().find((w) => w.id === second.workflowId)!.conditions).toContainEqual(
      expect.objectContaining({ type: "entity", entities: [OURS, THEIRS] }),
    );
  });

  it("refuses an entity id that is not one, beside its field, in the reader's language", async () => {
    const shop = await createShop();
    const refused = await connectCheckout(
      shop.id,
      {
        accountType: "NAS",
        environment: "sandbox",
        subdomain: "abcd1234",
        secretKey: NAS_SANDBOX_KEY,
        entityIds: "ent_axclravnqf5u5ejkweijnp5zc4, pc_notanentity",
      },
      "admin@example.com",
    );
    if (refused.ok) throw new Error("saved a wrong entity id");
    expect(refused.fieldErrors).toEqual({ entityIds: "pc_notanentity is not an entity id: those look like ent_ followed by 26 lowercase letters and digits." });
    expect(sayFieldErrors("de", refused.fieldErrors, refused.fieldWords).entityIds).toMatch(/^pc_notanentity ist keine Entity-ID/);
    expect(await db().checkoutConnection.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("makes the workflow again when it was deleted on the dashboard, and says so", async () => {
    const { shop } = await connectedShop();
    await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");
    const deleted = (await connectionOf(shop.id)).workflowId!;
    expect((await call(standIn(), "DELETE", `/workflows/${deleted}`)).status).toBe(204);

    const result = await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");

    expect(result.message).toMatch(/deleted in the Checkout.com Dashboard/);
    const recreated = (await connectionOf(shop.id)).workflowId!;
    expect(recreated).not.toBe(deleted);
    expect(workflowsOf().some((w) => w.id === recreated)).toBe(true);
  });

  it("finds the workflow it made by its name when its id was never saved (a crash between create and save), and replaces it rather than add a second", async () => {
    const { shop } = await connectedShop();
    await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");
    const { workflowId } = await connectionOf(shop.id);
    await db().checkoutConnection.updateMany({ where: { shopId: shop.id }, data: { workflowId: null } });
    const count = workflowsOf().length;

    await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");

    expect(workflowsOf()).toHaveLength(count);
    expect(workflowsOf().some((w) => w.id === workflowId)).toBe(false);
    const replacement = (await connectionOf(shop.id)).workflowId;
    expect(workflowsOf().some((w) => w.id === replacement)).toBe(true);
  });

  it("two shops on one Checkout.com account each get their own workflow, and one's registration leaves the other's alone", async () => {
    const a = await connectedShop();
    const b = await connectedShop();
    await registerWebhookWorkflow(a.shop.id, "admin@example.com", "sandbox");
    await registerWebhookWorkflow(b.shop.id, "admin@example.com", "sandbox");
    const [wa, wb] = await Promise.all([connectionOf(a.shop.id), connectionOf(b.shop.id)]);
    expect(wa.workflowId).not.toBe(wb.workflowId);
    const urlOf = (id: string | null) => workflowsOf().find((w) => w.id === id)!.actions[0].url;
    const before = JSON.stringify(workflowsOf().find((w) => w.id === wa.workflowId));

    await registerWebhookWorkflow(b.shop.id, "admin@example.com", "sandbox");

    expect(urlOf(wa.workflowId)).toContain(wa.endpointId);
    expect(urlOf((await connectionOf(b.shop.id)).workflowId)).toContain(wb.endpointId);
    expect(JSON.stringify(workflowsOf().find((w) => w.id === wa.workflowId))).toBe(before);
  });

  it("a key without the flow:workflows scope: the key itself works (a dispute read), so set up by hand, with the scope named; nothing made", async () => {
    const { shop } = await connectedShop({ secretKey: OTHER_NAS_KEY });
    const result = await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");
    expect(result).toMatchObject({ ok: false, status: "manual" });
    expect(result.keyRefused).toBeUndefined();
    expect(result.message).toContain("flow:workflows");
    expect(workflowsOf("shop_b")).toEqual([]);
    const connection = await connectionOf(shop.id);
    expect((await workflowView(connection)).status).toBe("manual");
    // The read that told the two apart is the connection test, recorded as one.
    expect(connection).toMatchObject({ lastTestOk: true, lastTestMessage: "Connected to Checkout.com sandbox (NAS)." });
  });

  it("a key Checkout.com does not know (wrong, revoked, the other environment's): said so, neither registered nor by hand, and nothing imported", async () => {
    const shop = await createShop();
    const saved = await connectCheckout(
      shop.id,
      { accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", secretKey: UNKNOWN_KEY },
      "admin@example.com",
    );
    const refusal =
      "The webhook could not be registered: Checkout.com refused the secret key. Check that it is correct, belongs to this environment (sandbox or production), and has not been revoked.";
    expect(saved).toMatchObject({ ok: true, message: `Checkout.com connection saved. ${refusal}` });
    if (saved.ok)
      expect(sayAll("fr", saved.words)).toMatch(/^Connexion Checkout.com enregistrée\. Le webhook n'a pas pu être enregistré : Checkout.com a refusé/);
    const connection = await connectionOf(shop.id);
    expect(connection).toMatchObject({ workflowStatus: "failed", workflowId: null, workflowMessage: refusal, lastTestOk: false });
    expect(connection.lastTestMessage).toMatch(/^Checkout.com refused this secret key in sandbox/);
    expect(await db().job.count({ where: { shopId: shop.id, kind: JOB_KINDS.checkoutBackfill } })).toBe(0);
  });

  it("ABC accounts have no Workflows API: set up by hand in the Hub", async () => {
    const { shop } = await createConnectedShop(undefined, { accountType: "ABC", secretKey: ABC_TEST_KEY, signatureKey: "" });
    const result = await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");
    expect(result).toMatchObject({ ok: false, status: "manual" });
    expect(result.message).toBe("Accounts on Checkout.com's previous platform (ABC) create webhooks in the Hub: follow the steps below.");
    expect(sayAll("de", result.words)).toBe(
      "Konten auf der früheren Plattform von Checkout.com (ABC) erstellen Webhooks im Hub: Folgen Sie den Schritten unten.",
    );
    expect(standIn().requests.some((r) => r.path.startsWith("/workflows") && r.accountId === "shop_abc")).toBe(false);
  });

  it("Checkout.com unavailable: failed, with the reason, and the next registration succeeds", async () => {
    const { shop } = await connectedShop();
    standIn().faults.set({ status: 503, paths: /^\/workflows\/event-types$/ });
    const failed = await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");
    expect(failed).toMatchObject({ ok: false, status: "failed" });
    expect(failed.message).toBe("The webhook could not be registered: Checkout.com could not be reached or had an error. Try again shortly.");
    expect(sayAll("de", failed.words)).toBe(
      "Der Webhook konnte nicht registriert werden: Checkout.com war nicht erreichbar oder hatte einen Fehler. Versuchen Sie es in Kürze erneut.",
    );
    // Recorded in English on the connection, and said again in the reader's language when Settings reads it.
    const recorded = (await connectionOf(shop.id)).workflowMessage;
    expect(recorded).toBe(failed.message);
    expect(sayAll("fr", workflowMessageWords(recorded)!)).toBe(
      "Le webhook n'a pas pu être enregistré : Checkout.com n'a pas pu être joint ou a rencontré une erreur. Réessayez sous peu.",
    );
    expect(workflowMessageWords("The webhook could not be registered: something this app never said.")).toBeNull();
    standIn().faults.clear();
    expect((await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox")).status).toBe("registered");
  });
});

describe("checkWorkflowExists", () => {
  it("marks a workflow deleted on the dashboard as missing, and registering again makes it anew; an outage changes nothing", async () => {
    const { shop } = await connectedShop();
    await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");
    const registered = await connectionOf(shop.id);

    standIn().faults.set({ status: 503, paths: /^\/workflows\/wf_/ });
    expect(await checkWorkflowExists(registered)).toMatchObject({ workflowStatus: "registered", workflowId: registered.workflowId });
    standIn().faults.clear();
    expect((await call(standIn(), "DELETE", `/workflows/${registered.workflowId}`)).status).toBe(204);

    const checked = await checkWorkflowExists(registered);

    expect(checked).toMatchObject({
      workflowStatus: "missing",
      workflowId: null,
      workflowMessage: expect.stringMatching(/deleted in the Checkout.com Dashboard/),
    });
    expect((await workflowView(checked)).status).toBe("missing");
    expect(await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox")).toMatchObject({ status: "registered" });
    const { workflowId } = await connectionOf(shop.id);
    expect(workflowsOf().some((w) => w.id === workflowId)).toBe(true);
  });
});

describe("sendWorkflowTestEvent", () => {
  it("sends a sample event through the shop's workflow; the app receives it", async () => {
    const { shop } = await connectedShop();
    await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");
    expect((await workflowView(await connectionOf(shop.id))).canSendTest).toBe(true);

    const result = await sendWorkflowTestEvent(shop.id);
    await standIn().webhooks.idle();

    expect(result.ok).toBe(true);
    expect((await workflowView(await connectionOf(shop.id))).lastEvent).toMatchObject({ type: "payment_declined" });
  });

  it("is refused before registration and in production", async () => {
    const { shop } = await connectedShop();
    const early = await sendWorkflowTestEvent(shop.id);
    expect(early).toMatchObject({ ok: false, message: "Register the sandbox webhook with Checkout.com first." });
    expect(sayAll("fr", early.words)).toBe("Enregistrez d'abord le webhook sandbox auprès de Checkout.com.");
    await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");
    await db().checkoutConnection.updateMany({ where: { shopId: shop.id }, data: { environment: "production" } });
    expect(await sendWorkflowTestEvent(shop.id)).toMatchObject({ ok: false, message: expect.stringMatching(/sandbox only/) });
  });
});

describe("uninstall and reinstall", () => {
  it("an uninstall deletes the shop's workflow at Checkout.com; the reinstall registers it again through the worker", async () => {
    const { shop } = await connectedShop();
    await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");
    const { workflowId } = await connectionOf(shop.id);

    await markUninstalled(shop.domain);

    expect(workflowsOf().some((w) => w.id === workflowId)).toBe(false);
    expect(await connectionOf(shop.id)).toMatchObject({ workflowId: null, workflowStatus: "removed" });

    await markReinstalled(shop.domain);
    const job = await db().job.findFirstOrThrow({ where: { shopId: shop.id, kind: JOB_KINDS.webhookWorkflow } });
    await webhookWorkflowJob({ id: job.id, shopId: shop.id, kind: job.kind, key: job.key, payload: {}, attempts: 1 });

    const again = await connectionOf(shop.id);
    expect(again.workflowStatus).toBe("registered");
    expect(workflowsOf().some((w) => w.id === again.workflowId)).toBe(true);
  });

  it("a reinstall registers nothing for a shop whose webhook was made by hand", async () => {
    const { shop } = await connectedShop({ secretKey: OTHER_NAS_KEY, signatureKey: SIGNATURE_KEY });
    await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox");
    await markUninstalled(shop.domain);
    await markReinstalled(shop.domain);
    expect(await db().job.count({ where: { shopId: shop.id, kind: JOB_KINDS.webhookWorkflow } })).toBe(0);
    expect((await connectionOf(shop.id)).workflowStatus).toBe("manual");
  });
});
