// Firing Flow triggers against the Shopify stand-in: what Shopify receives for each event type, and
// nothing when the merchant left the trigger off, the row is another shop's, or there is no order.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { JOB_HANDLERS } from "../events/registry.server";
import { resetThrottleStateForTests } from "../shopify/admin-api.server";
import { createOrderPayment } from "../../test/helpers/factories";
import { TEST_API_KEY, TEST_API_SECRET } from "../../test/helpers/env";
import { installShop } from "../../test/helpers/holds";
import { createShopifyStandIn } from "../../test/standins/shopify";
import { saveFlowSettings } from "./settings.server";
import { FLOW_TRIGGERS, FLOW_TRIGGER_HANDLES } from "./triggers";
import { fireFlowTrigger, flowTriggerJob, queueFlowTrigger } from "./triggers.server";

// The stand-in refuses handles the app has no flow_trigger extension for, as Shopify does.
const standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, flowTriggerHandles: FLOW_TRIGGER_HANDLES });
const server = standIn.listen();
// @shopify/shopify-api keeps the fetch it saw at import time, before msw patched the global one.
setAbstractFetchFunc((input, init) => globalThis.fetch(input, init));
afterAll(() => server.close());

const ON = "flow-on.myshopify.com";
const OFF = "flow-off.myshopify.com";
let shopOn: string;
let shopOff: string;

function turnOn(shopId: string, handles: readonly string[]) {
  const form = new FormData();
  for (const handle of handles) form.append("trigger", handle);
  return saveFlowSettings(shopId, form);
}

const received = (shop: string) => standIn.store.flowTriggers.filter((t) => t.shop === shop);

beforeAll(async () => {
  shopOn = (await installShop(standIn, ON)).shop.id;
  shopOff = (await installShop(standIn, OFF)).shop.id;
  await turnOn(shopOn, FLOW_TRIGGER_HANDLES);
});

beforeEach(() => {
  standIn.store.flowTriggers.length = 0;
  resetThrottleStateForTests();
});

async function heldPayment(shopId: string, status = "held") {
  const { payment, orderLink, orderId } = await createOrderPayment(shopId, {
    orderName: "#1042",
    payment: { amount: 25_000, currency: "EUR", riskScore: 91, riskFlagged: true },
  });
  const hold = await db().hold.create({
    data: {
      shopId,
      paymentId: payment.id,
      orderGid: orderLink.orderGid,
      orderName: orderLink.orderName,
      status,
      ruleHits: JSON.stringify([
        { rule: "risk_score", value: 91, threshold: 70 },
        { rule: "flagged", value: true },
      ]),
      externalId: `hold-${payment.id}`,
    },
  });
  return { payment, hold, orderId };
}

async function dispute(shopId: string, status: string, options: { linked?: boolean } = {}) {
  const { payment, orderId } = await createOrderPayment(shopId, { orderName: "#2001" });
  const row = await db().dispute.create({
    data: {
      shopId,
      ckoDisputeId: `dsp_${payment.id.slice(0, 8)}`,
      paymentId: options.linked === false ? null : payment.id,
      ckoPaymentId: payment.ckoPaymentId,
      category: "product_service_not_received",
      reasonCode: "13.1",
      amount: 12_345,
      currency: "USD",
      status,
      evidenceRequiredBy: new Date("2030-05-06T07:08:09Z"),
    },
  });
  return { dispute: row, payment, orderId };
}

describe("fireFlowTrigger", () => {
  it("payment flagged: sends the held order with score, rules and a review link", async () => {
    const { hold, orderId } = await heldPayment(shopOn);
    const result = await fireFlowTrigger(shopOn, "payment_flagged", { holdId: hold.id });

    expect(result.fired).toBe(true);
    expect(received(ON)).toEqual([expect.objectContaining({ handle: "cko-payment-flagged", appApiKey: TEST_API_KEY })]);
    expect(received(ON)[0].payload).toEqual({
      order_id: orderId,
      "Order name": "#1042",
      "Payment ID": expect.stringMatching(/^pay_/),
      Amount: 250,
      Currency: "EUR",
      "Risk score": 91,
      "Risk flagged": true,
      "Fulfillment held": true,
      "Rules matched": "Risk score 91 is at or above 70; Checkout.com flagged the payment as risky",
      "Review URL": `https://admin.shopify.com/store/flow-on/apps/checkout-com-companion/app/holds/${hold.id}`,
    });
  });

  it("payment flagged: waits while the hold is being placed; otherwise says whether fulfillment is held", async () => {
    const pending = await heldPayment(shopOn, "pending");
    await expect(fireFlowTrigger(shopOn, "payment_flagged", { holdId: pending.hold.id })).rejects.toThrow(/still being placed/);
    expect(received(ON)).toEqual([]);

    for (const status of ["monitored", "failed", "released"]) {
      const { hold } = await heldPayment(shopOn, status);
      await fireFlowTrigger(shopOn, "payment_flagged", { holdId: hold.id });
    }
    expect(received(ON).map((t) => (t.payload as Record<string, unknown>)["Fulfillment held"])).toEqual([false, false, false]);
  });

  it("risky payment without an order: sends the payment, and nothing once it was linked meanwhile", async () => {
    const payment = await db().payment.create({
      data: {
        shopId: shopOn,
        ckoPaymentId: "pay_no_order_yet",
        reference: "cart-7",
        customerEmail: "ada@example.com",
        amount: 4_250,
        currency: "GBP",
        status: "Captured",
        riskFlagged: true,
        riskScore: 93,
      },
    });
    expect((await fireFlowTrigger(shopOn, "payment_unmatched", { paymentId: payment.id })).fired).toBe(true);
    expect(received(ON)).toEqual([expect.objectContaining({ handle: "cko-payment-unmatched" })]);
    expect(received(ON)[0].payload).toEqual({
      "Payment ID": "pay_no_order_yet",
      Amount: 42.5,
      Currency: "GBP",
      "Payment reference": "cart-7",
      "Customer email": "ada@example.com",
      "Risk score": 93,
      "Risk flagged": true,
      "Order matched": false,
      "Review URL": "https://admin.shopify.com/store/flow-on/apps/checkout-com-companion/app/holds/unmatched",
    });

    await db().orderLink.create({
      data: { shopId: shopOn, paymentId: payment.id, orderGid: "gid://shopify/Order/9", orderName: "#9", matchedBy: "manual", confidence: "strong" },
    });
    expect(await fireFlowTrigger(shopOn, "payment_unmatched", { paymentId: payment.id })).toEqual({ fired: false, reason: "not_applicable" });
    expect(received(ON)).toHaveLength(1);
  });

  it("payment declined: sends the class and the reason of the event", async () => {
    const { payment, orderId } = await createOrderPayment(shopOn, {
      payment: { status: "Declined", responseCode: "20051", responseSummary: "Insufficient Funds", declineClass: "soft" },
    });
    await fireFlowTrigger(shopOn, "payment_declined", {
      paymentId: payment.id,
      step: "authorization",
      responseCode: "20051",
      responseSummary: "Insufficient Funds",
    });
    expect(received(ON)).toEqual([
      expect.objectContaining({
        handle: "cko-payment-declined",
        payload: expect.objectContaining({
          order_id: orderId,
          "Declined step": "authorization",
          "Decline class": "soft",
          Reason: "Insufficient funds",
          "Response code": "20051",
          Amount: 123.45,
        }),
      }),
    ]);
  });

  it("payment declined: a capture decline carries its own code, not the authorization's", async () => {
    const { payment } = await createOrderPayment(shopOn, { payment: { status: "Authorized", responseCode: "10000" } });
    await fireFlowTrigger(shopOn, "payment_declined", { paymentId: payment.id, step: "capture", responseCode: "30043" });
    expect(received(ON)[0].payload).toMatchObject({ "Declined step": "capture", "Decline class": "hard", Reason: "Stolen card", "Response code": "30043" });
    expect(await fireFlowTrigger(shopOn, "payment_declined", { paymentId: payment.id, step: "capture" })).toEqual({ fired: false, reason: "not_applicable" });
  });

  it("refund processed: sends this refund and the total", async () => {
    const { payment, orderId } = await createOrderPayment(shopOn, {
      payment: { status: "Partially Refunded", capturedAmount: 12_345, refundedAmount: 5_000 },
    });
    await fireFlowTrigger(shopOn, "refund_processed", { paymentId: payment.id, amount: 2_000 });
    expect(received(ON)).toEqual([
      expect.objectContaining({
        handle: "cko-refund-processed",
        payload: expect.objectContaining({ order_id: orderId, "Refund amount": 20, "Total refunded": 50, "Fully refunded": false }),
      }),
    ]);
  });

  it("dispute opened: sends amount, category, deadline and a link to the dispute", async () => {
    const { dispute: row, orderId } = await dispute(shopOn, "evidence_required");
    await fireFlowTrigger(shopOn, "dispute_opened", { disputeId: row.id });
    expect(received(ON)).toEqual([
      expect.objectContaining({
        handle: "cko-dispute-opened",
        payload: expect.objectContaining({
          order_id: orderId,
          "Order name": "#2001",
          Amount: 123.45,
          Category: "product_service_not_received",
          "Reason code": "13.1",
          "Evidence due": "2030-05-06T07:08:09.000Z",
          "Dispute URL": `https://admin.shopify.com/store/flow-on/apps/checkout-com-companion/app/disputes/${row.id}`,
        }),
      }),
    ]);
  });

  it("dispute closed: sends won or lost, and nothing while the dispute is open", async () => {
    const won = await dispute(shopOn, "won");
    const lost = await dispute(shopOn, "expired");
    const open = await dispute(shopOn, "evidence_under_review");
    await fireFlowTrigger(shopOn, "dispute_closed", { disputeId: won.dispute.id });
    await fireFlowTrigger(shopOn, "dispute_closed", { disputeId: lost.dispute.id });
    expect(await fireFlowTrigger(shopOn, "dispute_closed", { disputeId: open.dispute.id })).toEqual({ fired: false, reason: "not_applicable" });
    expect(received(ON).map((t) => [t.handle, (t.payload as Record<string, unknown>).Outcome, (t.payload as Record<string, unknown>).Won])).toEqual([
      ["cko-dispute-closed", "won", true],
      ["cko-dispute-closed", "lost", false],
    ]);
  });

  it("dispute evidence due soon: sends the deadline, the hours left and a link to the dispute", async () => {
    const { dispute: row, orderId } = await dispute(shopOn, "evidence_required");
    const deadline = new Date(Date.now() + 30 * 3_600_000 + 60_000);
    await db().dispute.update({ where: { id: row.id }, data: { evidenceRequiredBy: deadline } });
    expect((await fireFlowTrigger(shopOn, "dispute_evidence_due", { disputeId: row.id })).fired).toBe(true);
    expect(received(ON)).toEqual([expect.objectContaining({ handle: "cko-dispute-evidence-due" })]);
    expect(received(ON)[0].payload).toEqual({
      order_id: orderId,
      "Order name": "#2001",
      "Dispute ID": row.ckoDisputeId,
      Amount: 123.45,
      Currency: "USD",
      Reason: "product_service_not_received",
      "Evidence due": deadline.toISOString(),
      "Hours left": 30,
      "Dispute URL": `https://admin.shopify.com/store/flow-on/apps/checkout-com-companion/app/disputes/${row.id}`,
    });
  });

  it("dispute evidence due soon: nothing once the dispute was answered, moved on, or its deadline passed", async () => {
    const answered = await dispute(shopOn, "evidence_required");
    await db().dispute.update({ where: { id: answered.dispute.id }, data: { responseState: "submitted" } });
    const accepting = await dispute(shopOn, "evidence_required");
    await db().dispute.update({ where: { id: accepting.dispute.id }, data: { responseState: "accepting" } });
    const underReview = await dispute(shopOn, "evidence_under_review");
    const lost = await dispute(shopOn, "lost");
    const passed = await dispute(shopOn, "evidence_required");
    await db().dispute.update({ where: { id: passed.dispute.id }, data: { evidenceRequiredBy: new Date(Date.now() - 60_000) } });
    const noDeadline = await dispute(shopOn, "evidence_required");
    await db().dispute.update({ where: { id: noDeadline.dispute.id }, data: { evidenceRequiredBy: null } });
    for (const d of [answered, accepting, underReview, lost, passed, noDeadline]) {
      expect(await fireFlowTrigger(shopOn, "dispute_evidence_due", { disputeId: d.dispute.id })).toEqual({ fired: false, reason: "not_applicable" });
    }
    const noOrder = await dispute(shopOn, "evidence_required", { linked: false });
    expect(await fireFlowTrigger(shopOn, "dispute_evidence_due", { disputeId: noOrder.dispute.id })).toEqual({ fired: false, reason: "no_order" });
    expect(await fireFlowTrigger(shopOff, "dispute_evidence_due", { disputeId: answered.dispute.id })).toEqual({ fired: false, reason: "disabled" });
    expect(received(ON)).toEqual([]);
  });

  it("uses the dispute's own order id when its payment is unknown", async () => {
    const { dispute: row } = await dispute(shopOn, "evidence_required", { linked: false });
    await db().dispute.update({ where: { id: row.id }, data: { orderGid: "gid://shopify/Order/9090" } });
    await fireFlowTrigger(shopOn, "dispute_opened", { disputeId: row.id });
    expect(received(ON)[0].payload).toMatchObject({ order_id: 9090, "Order name": "" });
  });

  it("sends nothing for a trigger the shop did not turn on", async () => {
    const { hold } = await heldPayment(shopOff);
    const { dispute: row } = await dispute(shopOff, "evidence_required");
    expect(await fireFlowTrigger(shopOff, "payment_flagged", { holdId: hold.id })).toEqual({ fired: false, reason: "disabled" });
    expect(await fireFlowTrigger(OFF, "dispute_opened", { disputeId: row.id })).toEqual({ fired: false, reason: "disabled" });

    await turnOn(shopOff, [FLOW_TRIGGERS.dispute_opened.handle]);
    expect(await fireFlowTrigger(shopOff, "payment_flagged", { holdId: hold.id })).toEqual({ fired: false, reason: "disabled" });
    expect((await fireFlowTrigger(OFF, "dispute_opened", { disputeId: row.id })).fired).toBe(true);
    expect(received(OFF).map((t) => t.handle)).toEqual(["cko-dispute-opened"]);
    await turnOn(shopOff, []);
  });

  it("never reads another shop's rows", async () => {
    await turnOn(shopOff, FLOW_TRIGGER_HANDLES);
    const { hold, payment } = await heldPayment(shopOn);
    const { dispute: row } = await dispute(shopOn, "evidence_required");
    expect(await fireFlowTrigger(shopOff, "payment_flagged", { holdId: hold.id })).toEqual({ fired: false, reason: "not_found" });
    expect(await fireFlowTrigger(shopOff, "refund_processed", { paymentId: payment.id, amount: 100 })).toEqual({ fired: false, reason: "not_found" });
    expect(await fireFlowTrigger(shopOff, "dispute_opened", { disputeId: row.id })).toEqual({ fired: false, reason: "not_found" });
    expect(await fireFlowTrigger(shopOff, "dispute_evidence_due", { disputeId: row.id })).toEqual({ fired: false, reason: "not_found" });
    expect(standIn.store.flowTriggers).toEqual([]);
    await turnOn(shopOff, []);
  });

  it("sends nothing for a payment with no Shopify order: Flow acts on orders", async () => {
    const payment = await db().payment.create({
      data: { shopId: shopOn, ckoPaymentId: "pay_unmatched", amount: 100, currency: "USD", status: "Declined", responseCode: "30043" },
    });
    expect(await fireFlowTrigger(shopOn, "payment_declined", { paymentId: payment.id, step: "authorization" })).toEqual({ fired: false, reason: "no_order" });
    expect(standIn.store.flowTriggers).toEqual([]);
  });

  it("lets a Shopify outage fail the call so the job is retried", async () => {
    const { hold } = await heldPayment(shopOn);
    standIn.limits.failNext(10, 503);
    await expect(fireFlowTrigger(shopOn, "payment_flagged", { holdId: hold.id })).rejects.toThrow(/Shopify is unavailable/);
    standIn.limits.clearFaults();
    expect(standIn.store.flowTriggers).toEqual([]);
  });
});

describe("checkout payment declined (decline recovery)", () => {
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  let seq = 0;

  /** A payment Checkout.com declined with `code`, as recorded from its payment_declined event: no order. */
  function declined(shopId: string, email: string | null, options: { code?: string; at?: Date; reference?: string } = {}) {
    seq += 1;
    return db().payment.create({
      data: {
        shopId,
        ckoPaymentId: `pay_recovery_${seq}`,
        reference: options.reference ?? `shopify-attempt-${seq}`,
        customerEmail: email,
        amount: 8_900,
        currency: "EUR",
        status: "Declined",
        responseCode: options.code ?? "20051",
        processedOn: options.at ?? minutesAgo(31),
      },
    });
  }

  const checkoutIn = (shop: string, email: string, createdAt: Date, extra: { completedAt?: string } = {}) =>
    standIn.store.createAbandonedCheckout({ shop, email, createdAt: createdAt.toISOString().replace(/\.\d{3}Z$/, "Z"), ...extra });

  it("sends the customer's email, the recovery URL of their newest checkout before the decline, and what to suggest", async () => {
    const email = "recover-1@example.com";
    checkoutIn(ON, email, minutesAgo(3 * 24 * 60)); // an old checkout, outside the day before the decline
    const theirs = checkoutIn(ON, email, minutesAgo(45));
    checkoutIn(ON, "someone-else@example.com", minutesAgo(33));
    checkoutIn(ON, email, minutesAgo(5)); // started after the decline: another visit
    const payment = await declined(shopOn, "Recover-1@Example.com");

    const result = await fireFlowTrigger(shopOn, "checkout_payment_declined", { paymentId: payment.id });
    expect(result.fired).toBe(true);
    expect(received(ON)).toEqual([
      {
        shop: ON,
        appApiKey: TEST_API_KEY,
        handle: "cko-checkout-payment-declined",
        receivedAt: expect.any(String),
        payload: {
          "Customer email": email,
          "Recovery URL": theirs.abandonedCheckoutUrl,
          "Payment ID": payment.ckoPaymentId,
          Amount: 89,
          Currency: "EUR",
          "Decline class": "soft",
          Reason: "Insufficient funds",
          "Suggested action": "another_card",
          Suggestion: "Please use another card or payment method: this card cannot pay for the order right now.",
        },
      },
    ]);
  });

  it("sends once for two soft declines of one checkout: the later one speaks for it", async () => {
    const email = "recover-2@example.com";
    const checkout = checkoutIn(ON, email, minutesAgo(50));
    const first = await declined(shopOn, email, { at: minutesAgo(40) });
    const retry = await declined(shopOn, email, { at: minutesAgo(32), code: "20091" });

    expect(await fireFlowTrigger(shopOn, "checkout_payment_declined", { paymentId: first.id })).toEqual({ fired: false, reason: "superseded" });
    expect((await fireFlowTrigger(shopOn, "checkout_payment_declined", { paymentId: retry.id })).fired).toBe(true);
    expect(received(ON).map((t) => t.payload)).toEqual([
      expect.objectContaining({
        "Payment ID": retry.ckoPaymentId,
        "Recovery URL": checkout.abandonedCheckoutUrl,
        Reason: "Issuer unavailable",
        "Suggested action": "retry",
      }),
    ]);
  });

  it("sends an empty recovery URL when Shopify has no checkout of the customer", async () => {
    const payment = await declined(shopOn, "recover-3@example.com", { code: "20005" });
    await fireFlowTrigger(shopOn, "checkout_payment_declined", { paymentId: payment.id });
    expect(received(ON).map((t) => t.payload)).toEqual([
      expect.objectContaining({ "Recovery URL": "", "Suggested action": "contact_bank", Reason: "Declined by the issuer (do not honour)" }),
    ]);
  });

  it("never sends for a hard or a risk decline, a decline without an email, or one from long ago", async () => {
    const email = "recover-4@example.com";
    checkoutIn(ON, email, minutesAgo(45));
    const hard = await declined(shopOn, email, { code: "30043" });
    const risk = await declined(shopOn, "recover-4b@example.com", { code: "40101" });
    const noEmail = await declined(shopOn, null);
    const old = await declined(shopOn, "recover-4c@example.com", { at: minutesAgo(25 * 60) });
    for (const payment of [hard, risk, noEmail, old]) {
      expect(await fireFlowTrigger(shopOn, "checkout_payment_declined", { paymentId: payment.id })).toEqual({ fired: false, reason: "not_applicable" });
    }
    expect(received(ON)).toEqual([]);
  });

  it("sends nothing once the customer paid: a later approved payment, an order, or the checkout completed in Shopify", async () => {
    const approved = await declined(shopOn, "recover-5@example.com", { at: minutesAgo(40) });
    await createOrderPayment(shopOn, { payment: { customerEmail: "recover-5@example.com", status: "Captured", processedOn: minutesAgo(38) } });

    const ordered = await declined(shopOn, "recover-6@example.com", { at: minutesAgo(40) });
    await db().payment.create({
      data: {
        shopId: shopOn,
        ckoPaymentId: "pay_recovery_linked",
        customerEmail: "recover-6@example.com",
        amount: 8_900,
        currency: "EUR",
        status: "Pending",
        processedOn: minutesAgo(36),
      },
    });
    await db().orderLink.create({
      data: {
        shopId: shopOn,
        paymentId: (await db().payment.findFirstOrThrow({ where: { ckoPaymentId: "pay_recovery_linked" } })).id,
        orderGid: "gid://shopify/Order/777001",
        orderName: "#777",
        matchedBy: "email_amount",
        confidence: "weak",
      },
    });

    const completed = await declined(shopOn, "recover-7@example.com", { at: minutesAgo(40) });
    checkoutIn(ON, "recover-7@example.com", minutesAgo(50), { completedAt: minutesAgo(35).toISOString() });

    for (const payment of [approved, ordered, completed]) {
      expect(await fireFlowTrigger(shopOn, "checkout_payment_declined", { paymentId: payment.id })).toEqual({ fired: false, reason: "recovered" });
    }
    // An approval before the decline was another purchase: the decline still gets its message.
    const earlier = await declined(shopOn, "recover-5@example.com", { at: minutesAgo(31) });
    expect((await fireFlowTrigger(shopOn, "checkout_payment_declined", { paymentId: earlier.id })).fired).toBe(true);
  });

  it("sends nothing while the trigger is off, and nothing of shop A's decline to shop B with the same customer", async () => {
    const email = "recover-8@example.com";
    const mine = checkoutIn(ON, email, minutesAgo(45));
    checkoutIn(OFF, email, minutesAgo(40));
    const payment = await declined(shopOn, email);
    const theirs = await declined(shopOff, email);
    expect(await fireFlowTrigger(shopOff, "checkout_payment_declined", { paymentId: theirs.id })).toEqual({ fired: false, reason: "disabled" });

    await turnOn(shopOff, [FLOW_TRIGGERS.checkout_payment_declined.handle]);
    // Shop B's customer paid there after shop A's decline: that says nothing about shop A's checkout.
    await createOrderPayment(shopOff, { payment: { customerEmail: email, status: "Captured", processedOn: minutesAgo(20) } });
    expect(await fireFlowTrigger(shopOff, "checkout_payment_declined", { paymentId: payment.id })).toEqual({ fired: false, reason: "not_found" });
    expect((await fireFlowTrigger(shopOn, "checkout_payment_declined", { paymentId: payment.id })).fired).toBe(true);
    expect(received(ON).map((t) => t.payload)).toEqual([expect.objectContaining({ "Recovery URL": mine.abandonedCheckoutUrl })]);
    expect(received(OFF)).toEqual([]);
    await turnOn(shopOff, []);
  });
});

describe("queueFlowTrigger and the flow_trigger job", () => {
  const jobs = (shopId: string) => db().job.findMany({ where: { shopId, kind: "flow_trigger" }, orderBy: { createdAt: "asc" } });

  it("queues one job per cause, inside the caller's transaction, and the job sends it", async () => {
    const { dispute: row, orderId } = await dispute(shopOn, "evidence_required");
    await db().$transaction(async (tx) => {
      await queueFlowTrigger(shopOn, "dispute_opened", { disputeId: row.id }, { key: row.id, tx });
      await queueFlowTrigger(shopOn, "dispute_opened", { disputeId: row.id }, { key: row.id, tx });
    });
    const queued = (await jobs(shopOn)).filter((j) => j.key === `dispute_opened:${row.id}`);
    expect(queued).toHaveLength(1);

    // Through the worker's registry: the kind is registered to this handler.
    await JOB_HANDLERS.flow_trigger({ ...queued[0], payload: JSON.parse(queued[0].payload), attempts: 1 });
    expect(received(ON)).toEqual([expect.objectContaining({ handle: "cko-dispute-opened", payload: expect.objectContaining({ order_id: orderId }) })]);
  });

  it("queues nothing when the trigger is off, and nothing if the transaction rolls back", async () => {
    const { hold } = await heldPayment(shopOff);
    await queueFlowTrigger(shopOff, "payment_flagged", { holdId: hold.id }, { key: hold.id });
    expect(await jobs(shopOff)).toEqual([]);

    const mine = await heldPayment(shopOn);
    await expect(
      db().$transaction(async (tx) => {
        await queueFlowTrigger(shopOn, "payment_flagged", { holdId: mine.hold.id }, { key: mine.hold.id, tx });
        throw new Error("processing failed");
      }),
    ).rejects.toThrow("processing failed");
    expect((await jobs(shopOn)).filter((j) => j.key === `payment_flagged:${mine.hold.id}`)).toEqual([]);
  });

  it("refuses a job whose payload is not a known trigger with valid facts", async () => {
    const base = { id: "j", shopId: shopOn, kind: "flow_trigger", key: "x", attempts: 1 };
    await expect(flowTriggerJob({ ...base, payload: { trigger: "order_paid", facts: {} } })).rejects.toThrow();
    await expect(flowTriggerJob({ ...base, payload: { trigger: "refund_processed", facts: { paymentId: "p" } } })).rejects.toThrow();
    expect(standIn.store.flowTriggers).toEqual([]);
  });
});
