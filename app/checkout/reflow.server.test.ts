// Redelivery after an outage, against the Checkout.com stand-in, with the app's real intake receiving
// what the workflow delivers: events that had arrived are stored once and not processed again, the
// ones lost in the outage arrive and are processed; the payments of a time range come from the Shopify
// order index and from the payments the app recorded, of this shop only.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCheckoutStandIn } from "../../test/helpers/checkout-standin";
import { testEnv } from "../../test/helpers/env";
import { createConnectedShop, createShop } from "../../test/helpers/factories";
import { ckoId } from "../../test/fixtures/checkout-events";
import { call, nasAccount, OTHER_NAS_KEY, otherNasAccount } from "../../test/standins/checkout/testing";
import { db } from "../db.server";
import { resetEnvForTests } from "../env.server";
import { createAppWorker } from "../events/registry.server";
import { indexOrders } from "../orders/order-index.server";
import type { OrderSnapshot } from "../orders/order-payloads";
import { handleCheckoutWebhook } from "../webhooks/receive.server";
import { sayAll, sayFieldErrors } from "../i18n/domain-words";
import { MAX_REDELIVERY_PAYMENTS, parseRedeliveryForm, paymentIdsBetween, requestRedelivery, type RedeliveryRequest } from "./reflow.server";
import { registerWebhookWorkflow } from "./workflow.server";

const standIn = useCheckoutStandIn({
  accounts: [nasAccount(), otherNasAccount({ reflowScope: false })],
  actionLatencyMs: 1,
  // No retries: a delivery refused during the outage is lost, as after Checkout.com's last retry.
  webhooks: { delayMs: 0, retryDelaysMs: [], timeoutMs: 5_000 },
});

/** The app's webhook intake, which answers 503 while `down` (an outage on the app's side). */
const intake = { down: false, url: "", server: http.createServer((req, res) => (intake.down ? res.writeHead(503).end() : handleCheckoutWebhook(req, res))) };
beforeAll(async () => {
  await new Promise<void>((resolve) => intake.server.listen(0, "127.0.0.1", resolve));
  intake.url = `http://127.0.0.1:${(intake.server.address() as AddressInfo).port}`;
  process.env.SHOPIFY_APP_URL = intake.url;
  resetEnvForTests();
});
afterAll(async () => {
  process.env.SHOPIFY_APP_URL = testEnv.SHOPIFY_APP_URL;
  resetEnvForTests();
  intake.server.closeAllConnections();
  await new Promise<void>((resolve) => intake.server.close(() => resolve()));
});

const ACTOR = "Sam Staff <staff@example.com>";
const HOUR = 3_600_000;

/** A shop on the stand-in account `secretKey` belongs to, with the workflow the app registers. */
async function registeredShop(overrides: Record<string, string> = {}) {
  const { shop } = await createConnectedShop(undefined, { signatureKey: "", ...overrides });
  expect((await registerWebhookWorkflow(shop.id, "admin@example.com", "sandbox")).status).toBe("registered");
  const connection = await db().checkoutConnection.findFirstOrThrow({ where: { shopId: shop.id } });
  return { shop, connection };
}

/** A captured payment at the stand-in: payment_approved and payment_captured delivered to every workflow. */
async function capturedPayment() {
  const { payment } = standIn().scenarios.play("captured", { account: "shop_a" });
  await standIn().webhooks.idle();
  return payment.fixture.id;
}

const processEvents = () => createAppWorker({ jobHandlers: {} }).runUntilIdle();
const eventsOf = (shopId: string, ckoPaymentId: string) =>
  db().webhookEvent.findMany({
    where: { shopId, ckoPaymentId },
    orderBy: { eventId: "asc" },
    select: { eventId: true, type: true, status: true, attempts: true, processedAt: true },
  });
const reflowRequests = () => standIn().requests.filter((r) => r.path === "/workflows/events/reflow");
const range = (from: Date, to: Date): RedeliveryRequest => ({ mode: "range", from, to });

let nextOrder = 8_200_000_001;
function order(createdAt: Date, transactionIds: string[]): OrderSnapshot {
  const id = nextOrder++;
  return {
    gid: `gid://shopify/Order/${id}`,
    legacyId: String(id),
    name: `#${id}`,
    checkoutToken: null,
    email: null,
    createdAt,
    updatedAt: createdAt,
    total: 1000,
    currency: "USD",
    transactionIds,
  };
}

describe("requestRedelivery after an outage", () => {
  it("redelivers a time range's payments: events already stored are not stored or processed again, the lost ones arrive and are processed", async () => {
    const { shop, connection } = await registeredShop();
    const received = await capturedPayment();
    await processEvents();
    const before = await eventsOf(shop.id, received);
    expect(before.map((e) => [e.type, e.status])).toEqual(
      expect.arrayContaining([
        ["payment_approved", "processed"],
        ["payment_captured", "processed"],
      ]),
    );

    intake.down = true;
    const lost = await capturedPayment();
    intake.down = false;
    expect(await eventsOf(shop.id, lost)).toEqual([]);
    expect(await db().payment.count({ where: { shopId: shop.id, ckoPaymentId: lost } })).toBe(0);
    // Shopify knows the order paid by the lost payment: the order index has its transaction id.
    await indexOrders(shop.id, [order(new Date(), [lost, "743201"])]);

    const result = await requestRedelivery(shop.id, range(new Date(Date.now() - HOUR), new Date(Date.now() + HOUR)), ACTOR);
    await standIn().webhooks.idle();

    expect(result).toMatchObject({
      ok: true,
      subjects: 2,
      batches: 1,
      message: expect.stringMatching(/^Asked Checkout.com to redeliver the events of 2 payments/),
    });
    // The English (the audit log's) and the words the Events screen says in the reader's language.
    expect(sayAll("en", result.words)).toBe(result.message);
    expect(sayAll("fr", result.words)).toBe("Checkout.com a été invité à renvoyer les événements de 2 paiements ; ils apparaîtront ici à leur arrivée.");
    const [sent] = reflowRequests().slice(-1);
    expect((sent.body as { subjects: string[] }).subjects.sort()).toEqual([lost, received].sort());
    expect((sent.body as { workflows: string[] }).workflows).toEqual([connection.workflowId]);
    // Each stored event came again, same id, and the intake answered it (200) without a new row.
    const toThisShop = standIn()
      .webhooks.deliveries()
      .filter((d) => d.url.endsWith(connection.endpointId) && before.some((e) => e.eventId === d.eventId));
    expect(toThisShop.map((d) => d.state)).toEqual(["delivered", "delivered", "delivered", "delivered"]);
    expect(await eventsOf(shop.id, received)).toEqual(before);
    expect(await eventsOf(shop.id, lost)).toHaveLength(2);
    await processEvents();
    expect((await eventsOf(shop.id, lost)).map((e) => e.status)).toEqual(["processed", "processed"]);
    expect(await eventsOf(shop.id, received)).toEqual(before);
    expect(await db().payment.findFirstOrThrow({ where: { shopId: shop.id, ckoPaymentId: lost } })).toMatchObject({ status: "Captured" });

    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shop.id, action: "checkout.reflow_requested" } });
    expect(entry).toMatchObject({ actor: ACTOR, result: "ok" });
    expect(JSON.parse(entry.details)).toMatchObject({ subjects: 2, batches: 1, request: expect.stringMatching(/^\d{4}-.*Z\/\d{4}-.*Z$/) });
  });

  it("redelivers one payment by its id, once however often it is asked within a minute", async () => {
    const { shop } = await registeredShop();
    const paymentId = await capturedPayment();
    await processEvents();
    const before = await eventsOf(shop.id, paymentId);
    const payment = await db().payment.findFirstOrThrow({ where: { shopId: shop.id, ckoPaymentId: paymentId } });
    const sentBefore = reflowRequests().length;

    const first = await requestRedelivery(shop.id, { mode: "payment", paymentId }, ACTOR);
    const again = await requestRedelivery(shop.id, { mode: "payment", paymentId }, ACTOR);
    await standIn().webhooks.idle();

    expect(first).toMatchObject({ ok: true, subjects: 1, batches: 1, message: expect.stringMatching(/of 1 payment;/) });
    expect(again).toMatchObject({ ok: false, refusal: "just_requested" });
    expect(reflowRequests()).toHaveLength(sentBefore + 1);
    expect(await eventsOf(shop.id, paymentId)).toEqual(before);
    expect(await db().auditLog.findFirst({ where: { shopId: shop.id, action: "checkout.reflow_requested", result: "ok" } })).toMatchObject({
      paymentId: payment.id,
    });
  });
});

describe("requestRedelivery refusals", () => {
  it("a payment Checkout.com keeps no events of: not found, with the account named", async () => {
    const { shop } = await registeredShop();
    const result = await requestRedelivery(shop.id, { mode: "payment", paymentId: ckoId("pay") }, ACTOR);
    expect(result).toMatchObject({ ok: false, refusal: "not_found", message: expect.stringMatching(/no events .* sandbox account/) });
    expect(await db().auditLog.findFirst({ where: { shopId: shop.id, action: "checkout.reflow_requested" } })).toMatchObject({ result: "error" });
  });

  it("without the app's workflow (set up by hand, ABC, or not connected): says why and asks nothing of Checkout.com", async () => {
    const { shop } = await registeredShop();
    await db().checkoutConnection.updateMany({ where: { shopId: shop.id }, data: { workflowStatus: "manual" } });
    const sentBefore = standIn().requests.length;
    expect(await requestRedelivery(shop.id, { mode: "payment", paymentId: ckoId("pay") }, ACTOR)).toMatchObject({
      ok: false,
      refusal: "no_workflow",
      message: expect.stringMatching(/registers .* Register it with Checkout.com in Settings/),
    });
    const unconnected = await createShop();
    expect(await requestRedelivery(unconnected.id, { mode: "payment", paymentId: ckoId("pay") }, ACTOR)).toMatchObject({ refusal: "not_connected" });
    expect(standIn().requests.length).toBe(sentBefore);
  });

  it("a workflow deleted on the dashboard: register again", async () => {
    const { shop, connection } = await registeredShop();
    expect((await call(standIn(), "DELETE", `/workflows/${connection.workflowId}`)).status).toBe(204);
    expect(await requestRedelivery(shop.id, { mode: "payment", paymentId: ckoId("pay") }, ACTOR)).toMatchObject({
      refusal: "workflow_unavailable",
      message: expect.stringMatching(/register the webhook again/),
    });
  });

  it("a key without the flow:reflow scope: the scope is named", async () => {
    const { shop } = await registeredShop({ secretKey: OTHER_NAS_KEY });
    const refused = await requestRedelivery(shop.id, { mode: "payment", paymentId: ckoId("pay") }, ACTOR);
    expect(refused).toMatchObject({
      refusal: "missing_scope",
      message: "This key may not ask for redelivery: give it the flow:reflow scope (Checkout.com Dashboard → Developers → Keys) and ask again.",
    });
    expect(sayAll("de", refused.words)).toBe(
      "Dieser Schlüssel darf keine erneute Zustellung anfordern: Geben Sie ihm die Berechtigung flow:reflow (Checkout.com-Dashboard → Developers → Keys) und fragen Sie erneut.",
    );
  });

  it("a range with no payment, and one with too many, sends nothing", async () => {
    const { shop } = await registeredShop();
    const sentBefore = reflowRequests().length;
    const longAgo = new Date("2020-01-01T00:00:00Z");
    const none = await requestRedelivery(shop.id, range(longAgo, new Date(longAgo.getTime() + HOUR)), ACTOR);
    expect(none).toMatchObject({ refusal: "no_payments", message: expect.stringContaining("1 Jan 2020, 00:00 UTC") });
    expect(sayAll("en", none.words)).toBe(none.message);
    expect(sayAll("de", none.words)).toMatch(/^Keine von 1 Jan 2020, 00:00 UTC bis .* erstellte Bestellung oder Zahlung trägt eine Checkout.com-Zahlungs-ID/);
    const at = new Date("2026-06-01T12:00:00Z");
    await db().payment.createMany({
      data: Array.from({ length: MAX_REDELIVERY_PAYMENTS + 1 }, () => ({
        shopId: shop.id,
        ckoPaymentId: ckoId("pay"),
        amount: 100,
        currency: "USD",
        status: "Authorized",
        createdAt: at,
      })),
    });
    const tooMany = await requestRedelivery(shop.id, range(new Date(at.getTime() - HOUR), new Date(at.getTime() + HOUR)), ACTOR);
    expect(tooMany).toMatchObject({ refusal: "too_many_payments", message: expect.stringContaining("More than 1,000 payments") });
    expect(sayAll("en", tooMany.words)).toBe(tooMany.message);
    expect(sayAll("de", tooMany.words)).toBe("In diesem Zeitraum wurden mehr als 1.000 Zahlungen getätigt: Wählen Sie einen kürzeren Zeitraum.");
    expect(reflowRequests()).toHaveLength(sentBefore);
  });
});

describe("paymentIdsBetween", () => {
  const at = new Date("2026-11-20T10:00:00Z");
  const from = new Date(at.getTime() - HOUR);
  const to = new Date(at.getTime() + HOUR);

  it("unites the payment ids on the range's Shopify orders with the payments recorded in it, once each, of this shop only", async () => {
    const a = await createShop();
    const b = await createShop();
    const [onOrder, recorded, both, before, after, theirs, theirsRecorded] = Array.from({ length: 7 }, () => ckoId("pay"));
    await indexOrders(a.id, [
      order(at, [onOrder, "743201", "act_xdgahpc5xpru5hz3aws3lpggqa", `pay_${"A".repeat(26)}`, "pay_tooshort"]),
      order(new Date(at.getTime() + 30 * 60_000), [both]),
      order(new Date(from.getTime() - 1), [before]),
      order(new Date(to.getTime() + 1), [after]),
    ]);
    await indexOrders(b.id, [order(at, [theirs])]);
    const payment = (shopId: string, ckoPaymentId: string, createdAt: Date) =>
      db().payment.create({ data: { shopId, ckoPaymentId, amount: 100, currency: "USD", status: "Authorized", createdAt } });
    await payment(a.id, recorded, at);
    await payment(a.id, both, at);
    await payment(a.id, ckoId("pay"), new Date(to.getTime() + HOUR));
    await payment(b.id, theirsRecorded, at);

    expect((await paymentIdsBetween(a.id, from, to)).sort()).toEqual([onOrder, recorded, both].sort());
    expect((await paymentIdsBetween(b.id, from, to)).sort()).toEqual([theirs, theirsRecorded].sort());
  });

  it("includes both ends of the range", async () => {
    const shop = await createShop();
    const [first, last] = [ckoId("pay"), ckoId("pay")];
    await indexOrders(shop.id, [order(from, [first]), order(to, [last])]);
    expect((await paymentIdsBetween(shop.id, from, to)).sort()).toEqual([first, last].sort());
  });
});

describe("parseRedeliveryForm", () => {
  it("reads a payment id (trimmed, any case) or a from/to range in UTC", () => {
    const id = ckoId("pay");
    expect(parseRedeliveryForm({ mode: "payment", paymentId: ` ${id.toUpperCase()} ` })).toEqual({ ok: true, request: { mode: "payment", paymentId: id } });
    expect(parseRedeliveryForm({ mode: "range", from: "2026-12-04T15:00", to: "2026-12-04T18:30" })).toEqual({
      ok: true,
      request: { mode: "range", from: new Date("2026-12-04T15:00:00Z"), to: new Date("2026-12-04T18:30:00Z") },
    });
  });

  it.each([
    [{ mode: "payment", paymentId: "pay_123" }, "paymentId", /pay_ followed by 26/],
    [{ mode: "payment", paymentId: "" }, "paymentId", /pay_ followed by 26/],
    [{ mode: "range", from: "yesterday", to: "2026-12-04T18:30" }, "from", /date and time/],
    [{ mode: "range", from: "2026-12-04T18:30", to: "2026-12-04T18:30" }, "to", /End after the start/],
    [{ mode: "range", from: "2026-11-01T00:00", to: "2026-12-02T00:01" }, "to", /At most 31 days/],
    [{ mode: "everything" }, "mode", /./],
  ])("refuses %j with an error on %s", (form, field, message) => {
    const parsed = parseRedeliveryForm(form);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.fieldErrors[field]).toMatch(message);
      // Its words read, in English, as the message (zod's own, for a mode the form never sends, has none).
      if (field !== "mode") expect(sayAll("en", parsed.fieldWords[field])).toBe(parsed.fieldErrors[field]);
    }
  });

  it("says a wrong field in German, the English unchanged", () => {
    const parsed = parseRedeliveryForm({ mode: "range", from: "2026-11-01T00:00", to: "2026-12-02T00:01" });
    if (parsed.ok) throw new Error("accepted a range of 31 days and a minute");
    expect(parsed.fieldErrors).toEqual({ to: "At most 31 days at a time: split the range." });
    expect(sayFieldErrors("de", parsed.fieldErrors, parsed.fieldWords)).toEqual({ to: "Höchstens 31 Tage auf einmal: Teilen Sie den Zeitraum auf." });
  });
});
