// From Checkout.com event to Shopify Flow: events go through the real inbox worker (which applies them
// and queues flow_trigger jobs in the same transaction), the worker runs the jobs, and the Shopify
// stand-in must have received each trigger exactly once, even when Checkout.com delivers twice.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { createAppWorker } from "../events/registry.server";
import { recordHoldDecision } from "../holds/holds.server";
import { checkoutEvent, disputeEventData, disputeFixture, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { putInInbox } from "../../test/helpers/checkout-webhooks";
import { createOrderPayment } from "../../test/helpers/factories";
import { TEST_API_KEY, TEST_API_SECRET } from "../../test/helpers/env";
import { installShop } from "../../test/helpers/holds";
import { createShopifyStandIn } from "../../test/standins/shopify";
import { saveFlowSettings } from "./settings.server";
import { FLOW_TRIGGER_HANDLES } from "./triggers";
import { flowTriggerJob } from "./triggers.server";

const standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, flowTriggerHandles: FLOW_TRIGGER_HANDLES });
const server = standIn.listen();
setAbstractFetchFunc((input, init) => globalThis.fetch(input, init));
afterAll(() => server.close());

const DOMAIN = "flow-events.myshopify.com";
let installed: Awaited<ReturnType<typeof installShop>>;

// Only the flow jobs run: the other features' jobs (matching, dispute sync) are not under test here.
const work = () => createAppWorker({ jobHandlers: { flow_trigger: flowTriggerJob } }).runUntilIdle();
const received = () => standIn.store.flowTriggers.map((t) => ({ handle: t.handle, payload: t.payload as Record<string, unknown> }));

async function deliverTwice(event: Record<string, unknown>) {
  await putInInbox(installed.connection, event);
  await putInInbox(installed.connection, { ...event, id: `${event.id as string}x` });
}

beforeAll(async () => {
  installed = await installShop(standIn, DOMAIN);
  const form = new FormData();
  for (const handle of FLOW_TRIGGER_HANDLES) form.append("trigger", handle);
  await saveFlowSettings(installed.shop.id, form);
});

beforeEach(() => {
  standIn.store.flowTriggers.length = 0;
});

describe("Checkout.com events start Flow workflows", () => {
  it("payment_declined and payment_capture_declined", async () => {
    const declined = paymentFixture({ responseCode: "20051", responseSummary: "Insufficient Funds" });
    const { orderId } = await createOrderPayment(installed.shop.id, { payment: { ckoPaymentId: declined.id } });
    const event = checkoutEvent("payment_declined", paymentEventData("payment_declined", declined));
    await putInInbox(installed.connection, event);
    await putInInbox(installed.connection, event); // the same delivery again
    await work();

    const capture = paymentFixture();
    await createOrderPayment(installed.shop.id, { payment: { ckoPaymentId: capture.id } });
    await putInInbox(
      installed.connection,
      checkoutEvent(
        "payment_capture_declined",
        paymentEventData("payment_capture_declined", capture, { response_code: "30041", response_summary: "Lost Card" }),
      ),
    );
    await work();

    expect(received()).toEqual([
      {
        handle: "cko-payment-declined",
        payload: expect.objectContaining({ order_id: orderId, "Declined step": "authorization", "Decline class": "soft", "Response code": "20051" }),
      },
      { handle: "cko-payment-declined", payload: expect.objectContaining({ "Declined step": "capture", "Decline class": "hard", Reason: "Lost card" }) },
    ]);
  });

  it("payment_refunded, once per refund action however often it is reported", async () => {
    const p = paymentFixture({ amount: 10_000 });
    const { orderId } = await createOrderPayment(installed.shop.id, { payment: { ckoPaymentId: p.id, amount: 10_000 } });
    await putInInbox(installed.connection, checkoutEvent("payment_captured", paymentEventData("payment_captured", p)));
    await deliverTwice(checkoutEvent("payment_refunded", paymentEventData("payment_refunded", { ...p, amount: 2_500 })));
    await work();
    expect(received()).toEqual([
      {
        handle: "cko-refund-processed",
        payload: expect.objectContaining({ order_id: orderId, "Refund amount": 25, "Total refunded": 25, "Fully refunded": false }),
      },
    ]);
  });

  it("dispute opened, then closed as won", async () => {
    const p = paymentFixture();
    const { orderId } = await createOrderPayment(installed.shop.id, { payment: { ckoPaymentId: p.id } });
    const d = disputeFixture({ paymentId: p.id, category: "not_as_described", amount: 6540 });
    await putInInbox(installed.connection, checkoutEvent("dispute_received", disputeEventData(d)));
    await deliverTwice(checkoutEvent("dispute_evidence_required", disputeEventData(d)));
    await work();
    await deliverTwice(checkoutEvent("dispute_won", disputeEventData({ ...d, status: "won" })));
    await work();

    expect(received()).toEqual([
      {
        handle: "cko-dispute-opened",
        payload: expect.objectContaining({
          order_id: orderId,
          "Dispute ID": d.id,
          Amount: 65.4,
          Category: "not_as_described",
          "Evidence due": new Date(d.evidenceRequiredBy).toISOString(),
        }),
      },
      { handle: "cko-dispute-closed", payload: expect.objectContaining({ order_id: orderId, Outcome: "won", Won: true }) },
    ]);
  });

  it("a monitored risk decision", async () => {
    const { payment, orderLink, orderId } = await createOrderPayment(installed.shop.id, { payment: { riskScore: 95, riskFlagged: true } });
    await recordHoldDecision(payment, orderLink, { action: "monitor", hits: [{ rule: "risk_score", value: 95, threshold: 70 }] });
    await recordHoldDecision(payment, orderLink, { action: "monitor", hits: [{ rule: "risk_score", value: 95, threshold: 70 }] });
    await work();
    expect(received()).toEqual([
      {
        handle: "cko-payment-flagged",
        payload: expect.objectContaining({
          order_id: orderId,
          "Risk score": 95,
          "Fulfillment held": false,
          "Rules matched": "Risk score 95 is at or above 70",
        }),
      },
    ]);
  });

  it("nothing for events of a shop that turned Flow off", async () => {
    await saveFlowSettings(installed.shop.id, new FormData());
    const p = paymentFixture({ responseCode: "20051" });
    await createOrderPayment(installed.shop.id, { payment: { ckoPaymentId: p.id } });
    const event = checkoutEvent("payment_declined", paymentEventData("payment_declined", p));
    await putInInbox(installed.connection, event);
    await work();
    expect(received()).toEqual([]);
    // Not even queued: a shop without Flow gets no jobs.
    expect(await db().job.count({ where: { shopId: installed.shop.id, kind: "flow_trigger", key: `payment_declined:${event.id as string}` } })).toBe(0);
    expect(await db().webhookEvent.count({ where: { eventId: event.id as string, status: "processed" } })).toBe(1);
  });
});

describe("decline recovery", () => {
  it("fires once for a checkout declined twice, 30 minutes after the decline, with the recovery URL; never for a hard decline", async () => {
    const form = new FormData();
    for (const handle of FLOW_TRIGGER_HANDLES) form.append("trigger", handle);
    await saveFlowSettings(installed.shop.id, form);
    const email = "declined-twice@example.com";
    const checkout = standIn.store.createAbandonedCheckout({ shop: DOMAIN, email, createdAt: new Date(Date.now() - 10 * 60_000).toISOString() });
    // Each attempt of the checkout is its own Checkout.com payment, with its own Shopify payment id as reference.
    const first = paymentFixture({ email, reference: "attempt-1", responseCode: "20051", responseSummary: "Insufficient Funds" });
    const retry = paymentFixture({ email, reference: "attempt-2", responseCode: "20051", responseSummary: "Insufficient Funds" });
    const hard = paymentFixture({ email: "stolen@example.com", reference: "attempt-3", responseCode: "30043", responseSummary: "Stolen card" });
    for (const p of [first, retry, hard]) await deliverTwice(checkoutEvent("payment_declined", paymentEventData("payment_declined", p)));
    await work();

    const keys = new Map(
      (await db().payment.findMany({ where: { ckoPaymentId: { in: [first.id, retry.id, hard.id] } } })).map((p) => [
        p.ckoPaymentId,
        `checkout_payment_declined:${p.id}`,
      ]),
    );
    const queued = await db().job.findMany({ where: { shopId: installed.shop.id, kind: "flow_trigger", key: { in: [...keys.values()] } } });
    // One job per declined payment, however often its event came; none for the hard decline.
    expect(queued.map((j) => j.key).sort()).toEqual([keys.get(first.id), keys.get(retry.id)].sort());
    for (const job of queued) {
      expect(job.status).toBe("pending");
      expect(job.runAt.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    }
    expect(received().filter((t) => t.handle === "cko-checkout-payment-declined")).toEqual([]);

    await createAppWorker({ jobHandlers: { flow_trigger: flowTriggerJob }, now: () => new Date(Date.now() + 31 * 60_000) }).runUntilIdle();
    expect(received().filter((t) => t.handle === "cko-checkout-payment-declined")).toEqual([
      {
        handle: "cko-checkout-payment-declined",
        payload: expect.objectContaining({
          "Customer email": email,
          "Payment ID": retry.id,
          "Recovery URL": checkout.abandonedCheckoutUrl,
          "Decline class": "soft",
        }),
      },
    ]);
  });
});
