// The Events screen's "Redeliver from Checkout.com", as the embedded admin calls it: Reviewers and above
// only (refused on the server, not only hidden), the form validated with errors beside its fields,
// a refusal explained, and a success that names the count of payments.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkoutEvent, ckoId, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { useCheckoutStandIn } from "../../test/helpers/checkout-standin";
import { TEST_APP_URL } from "../../test/helpers/env";
import { installShop, startShopifyStandIn, type ShopifyStandIn } from "../../test/helpers/holds";
import { seedStaff, sessionToken } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import { call, nasAccount } from "../../test/standins/checkout/testing";
import { db } from "../db.server";
import * as route from "./app.events._index";
import * as eventRoute from "./app.events.$id";

const checkout = useCheckoutStandIn({ accounts: [nasAccount()], actionLatencyMs: 1, webhooks: { delayMs: 0, retryDelaysMs: [], timeoutMs: 1_000 } });

let world: ReturnType<typeof startShopifyStandIn>;
let shopify: ShopifyStandIn;
beforeAll(() => {
  world = startShopifyStandIn();
  shopify = world.standIn;
});
afterAll(() => world.close());

const OWNER = 74_000_201;
const VIEWER = 74_000_251;
const REVIEWER = 74_000_252;
const GERMAN_REVIEWER = 74_000_253;
let shop: Awaited<ReturnType<typeof installShop>>;

beforeEach(async () => {
  shop = await installShop(shopify);
  await seedStaff(shop.domain, { userId: OWNER, role: "owner" });
  await seedStaff(shop.domain, { userId: VIEWER, role: "viewer" });
  await seedStaff(shop.domain, { userId: REVIEWER, role: "reviewer" });
  await seedStaff(shop.domain, { userId: GERMAN_REVIEWER, role: "reviewer", locale: "de" });
});

/**
 * The shop's connection gets a workflow at the stand-in, as registration leaves it. It subscribes to a
 * type the tests never raise, so a reflow is accepted and sends nothing anywhere.
 */
async function registerWorkflow() {
  const workflow = await call(checkout(), "POST", "/workflows", {
    body: {
      name: shop.domain,
      conditions: [{ type: "event", events: { gateway: ["payment_expired"] } }],
      actions: [{ type: "webhook", url: "http://127.0.0.1:9/webhooks/checkout/x", signature: { key: "k".repeat(32) } }],
    },
  });
  await db().checkoutConnection.updateMany({ where: { shopId: shop.shop.id }, data: { workflowId: workflow.body.id, workflowStatus: "registered" } });
}

/** A payment whose payment_approved Checkout.com keeps. */
function paymentAtCheckout() {
  const event = checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture()));
  checkout().deliverEvent("shop_a", event);
  return (event.data as { id: string }).id;
}

const headers = (userId: number) => ({ Authorization: `Bearer ${sessionToken(shop.domain, { userId })}` });
const post = (userId: number, form: Record<string, string>) =>
  callAction(
    route.action,
    new Request(`${TEST_APP_URL}/app/events`, { method: "POST", headers: headers(userId), body: new URLSearchParams({ intent: "redeliver", ...form }) }),
  );
const load = (userId: number) => callAction(route.loader, new Request(`${TEST_APP_URL}/app/events`, { headers: headers(userId) }));
const reflows = () => checkout().requests.filter((r) => r.path.includes("/reflow"));

describe("Redeliver from Checkout.com", () => {
  it("a reviewer asks for a payment's events: the count in the answer, the reviewer in the audit log", async () => {
    await registerWorkflow();
    const paymentId = paymentAtCheckout();
    const sent = reflows().length;

    const response = await post(REVIEWER, { mode: "payment", paymentId });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      intent: "redeliver",
      ok: true,
      message: "Asked Checkout.com to redeliver the events of 1 payment; they will appear here as they arrive.",
    });
    expect(reflows()).toHaveLength(sent + 1);
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shop.shop.id, action: "checkout.reflow_requested" } });
    expect(entry).toMatchObject({ actor: `Sam Staff <staff${REVIEWER}@example.com>`, result: "ok" });
  });

  it("refuses a viewer with 403, asking nothing of Checkout.com; the screen tells them who may", async () => {
    await registerWorkflow();
    const sent = reflows().length;
    const response = await post(VIEWER, { mode: "payment", paymentId: paymentAtCheckout() });
    expect(response.status).toBe(403);
    expect((await response.json()).message).toMatch(/Reviewer/);
    expect(reflows()).toHaveLength(sent);
    expect(await (await load(VIEWER)).json()).toMatchObject({ canRedeliver: false, redelivery: { available: true } });
  });

  it.each([
    [{ mode: "payment", paymentId: "pay_123" }, "paymentId", /pay_ followed by 26/],
    [{ mode: "range", from: "2026-12-04T10:00", to: "2026-12-04T09:00" }, "to", /End after the start/],
    [{ mode: "range", from: "2026-10-01T00:00", to: "2026-12-01T00:00" }, "to", /At most 31 days/],
    [{ mode: "range", from: "", to: "2026-12-01T00:00" }, "from", /date and time/],
  ])("answers 400 with the field's error for %j, asking nothing", async (form, field, message) => {
    await registerWorkflow();
    const sent = reflows().length;
    const response = await post(OWNER, form);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ intent: "redeliver", ok: false, message: expect.stringMatching(/highlighted fields/) });
    expect(body.fieldErrors[field]).toMatch(message);
    expect(reflows()).toHaveLength(sent);
  });

  it("without the app's workflow: the screen says why up front, and a request is refused (409) with the reason", async () => {
    const view = await (await load(OWNER)).json();
    expect(view).toMatchObject({
      canRedeliver: true,
      redelivery: { available: false, reason: expect.stringMatching(/Register it with Checkout.com in Settings/) },
    });
    const sent = reflows().length;
    const response = await post(OWNER, { mode: "payment", paymentId: ckoId("pay") });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ ok: false, message: view.redelivery.reason });
    expect(reflows()).toHaveLength(sent);
  });

  it("still replays dead-lettered events, and answers 400 to an unknown intent", async () => {
    const replay = await callAction(
      route.action,
      new Request(`${TEST_APP_URL}/app/events`, { method: "POST", headers: headers(REVIEWER), body: new URLSearchParams({ intent: "replay-dead" }) }),
    );
    expect(await replay.json()).toMatchObject({ intent: "replay-dead", ok: true, message: "There were no dead-lettered events." });
    const unknown = await post(OWNER, { intent: "purge" });
    expect(unknown.status).toBe(400);
  });
});

describe("in the staff member's language", () => {
  it("answers a German reviewer in German", async () => {
    await registerWorkflow();
    const sent = reflows().length;
    const replay = await callAction(
      route.action,
      new Request(`${TEST_APP_URL}/app/events`, { method: "POST", headers: headers(GERMAN_REVIEWER), body: new URLSearchParams({ intent: "replay-dead" }) }),
    );
    expect(await replay.json()).toMatchObject({ ok: true, message: "Es gab keine zurückgestellten Ereignisse." });

    const refused = await post(GERMAN_REVIEWER, { mode: "payment", paymentId: "pay_123" });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      message: "Korrigieren Sie die markierten Felder. Bei Checkout.com wurde nichts angefragt.",
      fieldErrors: { paymentId: "Geben Sie eine Checkout.com-Zahlungs-ID ein: pay_, gefolgt von 26 Buchstaben und Ziffern." },
    });
    expect(reflows()).toHaveLength(sent);

    // The domain's answer in German; the audit log keeps its English.
    const asked = await post(GERMAN_REVIEWER, { mode: "payment", paymentId: paymentAtCheckout() });
    expect(await asked.json()).toMatchObject({
      ok: true,
      message: "Checkout.com wurde gebeten, die Ereignisse von 1 Zahlung erneut zuzustellen; sie erscheinen hier, sobald sie eintreffen.",
    });

    const unknown = await callAction(
      eventRoute.action,
      new Request(`${TEST_APP_URL}/app/events/e-1`, { method: "POST", headers: headers(GERMAN_REVIEWER), body: new URLSearchParams({ intent: "purge" }) }),
      { id: "e-1" },
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ ok: false, message: "Unbekannte Aktion." });
  });

  it("says why redelivery is unavailable, and refuses it, in German; the audit log records the English", async () => {
    expect(await (await load(GERMAN_REVIEWER)).json()).toMatchObject({
      redelivery: { available: false, reason: expect.stringMatching(/^Checkout.com stellt Ereignisse über den Webhook erneut zu/) },
    });
    const refused = await post(GERMAN_REVIEWER, { mode: "payment", paymentId: ckoId("pay") });
    expect(refused.status).toBe(409);
    expect((await refused.json()).message).toMatch(/Registrieren Sie ihn zuerst in den Einstellungen bei Checkout.com\.$/);
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shop.shop.id, action: "checkout.reflow_requested" } });
    expect(entry.error).toMatch(/^Checkout.com redelivers events through the webhook the app registers/);
  });
});
