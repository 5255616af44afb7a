import type { CheckoutConnection } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { replayEvent } from "../events/inbox.server";
import { createAppWorker } from "../events/registry.server";
import {
  checkoutEvent,
  ckoId,
  disputeEventData,
  disputeFixture,
  paymentEventData,
  paymentFixture,
  type Envelope,
  type PaymentFixture,
} from "../../test/fixtures/checkout-events";
import { putInInbox } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop } from "../../test/helpers/factories";

let connection: CheckoutConnection;
let shopId: string;
beforeEach(async () => {
  ({ connection } = await createConnectedShop());
  shopId = connection.shopId;
});

const process = () => createAppWorker({ jobHandlers: {} }).runUntilIdle();

/** Delivers events in this order, processing each before the next arrives. */
async function deliverInOrder(...events: Array<Record<string, unknown>>) {
  for (const event of events) {
    await putInInbox(connection, event);
    await process();
  }
}

const event = (type: string, p: PaymentFixture, extra: Record<string, unknown> = {}, envelope: Envelope = "NAS") =>
  checkoutEvent(type, paymentEventData(type, p, extra), { envelope });
const paymentOf = (p: PaymentFixture) => db().payment.findUniqueOrThrow({ where: { shopId_ckoPaymentId: { shopId, ckoPaymentId: p.id } } });
const timelineOf = async (p: PaymentFixture) => db().paymentActivity.findMany({ where: { paymentId: (await paymentOf(p)).id }, orderBy: { createdAt: "asc" } });

describe("the payment record", () => {
  it("records an authorization with its card, customer, risk and checks", async () => {
    const p = paymentFixture({ email: "Ada@Example.com", riskScore: 35, threeDs: { downgraded: false, enrolled: "Y", authentication_response: "Y" } });
    await deliverInOrder(event("payment_approved", p));
    expect(await paymentOf(p)).toMatchObject({
      status: "Authorized",
      amount: 6540,
      currency: "USD",
      reference: "#1001",
      riskFlagged: false,
      riskScore: 35,
      customerEmail: "ada@example.com",
      customerName: "Ada Lovelace",
      cardScheme: "Visa",
      cardBin: "424242",
      cardLast4: "4242",
      cardFingerprint: p.fingerprint,
      cardCountry: "US",
      billingCountry: "US",
      shippingCountry: "US",
      ipAddress: "203.0.113.10",
      avsCheck: "S",
      cvvCheck: "Y",
      responseCode: "10000",
      declineClass: null,
    });
    expect(JSON.parse((await paymentOf(p)).threeDs!)).toMatchObject({ enrolled: "Y" });
    const [entry] = await timelineOf(p);
    expect(entry).toMatchObject({ kind: "event", type: "payment_approved", amount: 6540, summary: "Authorized USD 65.40 · Visa •••• 4242 · risk score 35" });
  });

  it("reads ABC events like NAS events, timed by created_on", async () => {
    const p = paymentFixture();
    const at = new Date("2026-01-02T03:04:05.000Z");
    const abc = checkoutEvent("payment_approved", { ...paymentEventData("payment_approved", p), processed_on: undefined }, { envelope: "ABC", at });
    expect(abc).not.toHaveProperty("timestamp");
    await deliverInOrder(abc, event("payment_captured", p, {}, "ABC"));
    expect(await paymentOf(p)).toMatchObject({ status: "Captured", capturedAmount: 6540, cardLast4: "4242" });
    const timeline = await timelineOf(p);
    expect(timeline.map((e) => e.type)).toEqual(["payment_approved", "payment_captured"]);
    expect(timeline[0].occurredAt.toISOString()).toBe(at.toISOString());
  });

  it("does not move backwards when events arrive out of order", async () => {
    const p = paymentFixture({ riskScore: 80, flagged: true });
    await deliverInOrder(event("payment_captured", p), event("payment_approved", p), event("payment_pending", p));
    const payment = await paymentOf(p);
    expect(payment).toMatchObject({ status: "Captured", capturedAmount: 6540, riskFlagged: true, riskScore: 80, cardLast4: "4242", responseCode: "10100" });
    expect((await timelineOf(p)).map((e) => e.type)).toEqual(["payment_captured", "payment_approved", "payment_pending"]);
  });

  it("keeps a voided payment voided when the authorization arrives late", async () => {
    const p = paymentFixture();
    await deliverInOrder(event("payment_voided", p), event("payment_approved", p));
    expect((await paymentOf(p)).status).toBe("Voided");
  });

  it("sums partial captures and refunds by action id, not by event", async () => {
    const p = paymentFixture({ amount: 10_000 });
    const refundA = event("payment_refunded", p, { amount: 1_500, reference: "refund-a" });
    // The same refund action reported again under another event id.
    const refundAAgain: Record<string, unknown> = { ...event("payment_refunded", p, { amount: 1_500, reference: "refund-a" }), id: ckoId("evt") };
    expect((refundAAgain.data as { action_id: string }).action_id).toBe((refundA.data as { action_id: string }).action_id);
    await deliverInOrder(event("payment_approved", p), event("payment_captured", p, { amount: 6_000 }));
    expect(await paymentOf(p)).toMatchObject({ status: "Partially Captured", capturedAmount: 6_000 });
    await deliverInOrder(event("payment_captured", p, { amount: 4_000 }), refundA, refundAAgain);
    expect(await paymentOf(p)).toMatchObject({ status: "Partially Refunded", capturedAmount: 10_000, refundedAmount: 1_500 });
    await deliverInOrder(event("payment_refunded", p, { amount: 8_500, reference: "refund-b" }));
    expect(await paymentOf(p)).toMatchObject({ status: "Refunded", refundedAmount: 10_000 });
  });

  it("changes nothing when a processed event is replayed", async () => {
    const p = paymentFixture();
    const refund = event("payment_refunded", p, { amount: 1_000 });
    await deliverInOrder(event("payment_captured", p), refund);
    const before = await paymentOf(p);
    const row = await db().webhookEvent.findFirstOrThrow({ where: { shopId, eventId: refund.id as string } });
    expect(await replayEvent(shopId, row.id, "staff@example.com")).toEqual({ ok: true, message: "Event queued for processing again." });
    expect(await process()).toBe(1);
    const after = await paymentOf(p);
    expect({ ...after, updatedAt: null }).toEqual({ ...before, updatedAt: null });
    expect(await timelineOf(p)).toHaveLength(2);
    expect(await db().job.count({ where: { shopId, kind: "payment_review" } })).toBe(1);
  });

  it.each([
    ["20051", "Insufficient Funds", "soft", "Declined: Insufficient funds (20051, soft decline: the customer may retry)"],
    ["30043", "Stolen Card", "hard", "Declined: Stolen card (30043, hard decline: retrying will not help)"],
    ["40101", "Risk Blocked Transaction", "risk", "Declined: Blocked by Fraud Detection (40101, risk decline: blocked before reaching the issuer)"],
    ["20999", "Something new", "soft", "Declined: Declined by the issuer; a retry may succeed (20999, soft decline: the customer may retry)"],
  ])("classifies a decline with response code %s", async (code, summary, declineClass, words) => {
    const p = paymentFixture({ responseCode: code, responseSummary: summary });
    await deliverInOrder(event("payment_declined", p));
    expect(await paymentOf(p)).toMatchObject({ status: "Declined", responseCode: code, responseSummary: summary, declineClass });
    expect((await timelineOf(p))[0].summary).toContain(words);
  });

  it("keeps the authorization's response code when a capture reports 10000", async () => {
    const p = paymentFixture({ flagged: true });
    await deliverInOrder(event("payment_approved", p), event("payment_captured", p));
    expect(await paymentOf(p)).toMatchObject({ responseCode: "10100", riskFlagged: true });
  });

  it("settles the money action the app asked for, by action id", async () => {
    const p = paymentFixture();
    await deliverInOrder(event("payment_captured", p));
    const payment = await paymentOf(p);
    const refund = event("payment_refunded", p, { amount: 500 });
    const declined = event("payment_refund_declined", p, { amount: 700, response_code: "20051", response_summary: "Insufficient Funds" });
    const [ok, refused] = await Promise.all(
      [refund, declined].map((e, i) =>
        db().moneyAction.create({
          data: {
            shopId,
            paymentId: payment.id,
            kind: "refund",
            amount: 500,
            currency: "USD",
            idempotencyKey: `k${i}`,
            status: "accepted",
            ckoActionId: (e.data as { action_id: string }).action_id,
            requestedBy: "staff",
            source: "admin",
          },
        }),
      ),
    );
    await deliverInOrder(refund, declined);
    expect(await db().moneyAction.findUniqueOrThrow({ where: { id: ok.id } })).toMatchObject({ status: "succeeded", error: null });
    expect(await db().moneyAction.findUniqueOrThrow({ where: { id: refused.id } })).toMatchObject({
      status: "declined",
      error: "Insufficient funds (20051, soft decline: the customer may retry)",
    });
    expect((await paymentOf(p)).refundedAmount).toBe(500);
  });

  it("queues one payment review per payment, in the same transaction as the update", async () => {
    const p = paymentFixture();
    await deliverInOrder(event("payment_approved", p), event("payment_captured", p));
    const payment = await paymentOf(p);
    const jobs = await db().job.findMany({ where: { shopId, kind: "payment_review" } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ key: payment.id, status: "pending" });
    expect(JSON.parse(jobs[0].payload)).toEqual({ paymentId: payment.id, ckoPaymentId: p.id });
  });

  it("reviews again when a late event brings the risk data (a capture recorded before its flagged authorization)", async () => {
    const p = paymentFixture({ flagged: true, riskScore: 91 });
    await deliverInOrder(event("payment_captured", p));
    const payment = await paymentOf(p);
    expect(payment.riskFlagged).toBe(false);
    await db().job.updateMany({ where: { shopId }, data: { status: "done" } }); // the first review ran: nothing to hold yet
    await deliverInOrder(event("payment_approved", p));
    expect((await paymentOf(p)).riskFlagged).toBe(true);
    const pending = await db().job.findMany({ where: { shopId, kind: "payment_review", status: "pending" } });
    expect(pending).toHaveLength(1);
    expect(JSON.parse(pending[0].payload)).toEqual({ paymentId: payment.id, ckoPaymentId: p.id });
  });

  it("writes every payment event type to the timeline", async () => {
    const types = [
      "payment_pending",
      "payment_approved",
      "payment_authorization_incremented",
      "payment_capture_pending",
      "payment_captured",
      "payment_refund_pending",
      "payment_refunded",
      "payment_chargeback",
      "payment_retrieval",
      "payment_risk_matched",
      "payment_authentication_failed",
      "fraud_reported",
    ];
    const p = paymentFixture();
    await deliverInOrder(...types.map((t) => event(t, p)));
    const timeline = await timelineOf(p);
    expect(timeline.map((e) => e.type)).toEqual(types);
    expect(new Set(timeline.map((e) => e.summary)).size).toBe(types.length);
    expect(await db().webhookEvent.count({ where: { shopId, status: "processed" } })).toBe(types.length);
  });
});

describe("dispute events", () => {
  it("keeps a minimal dispute, links its payment, and never moves it back", async () => {
    const p = paymentFixture();
    const d = disputeFixture({ paymentId: p.id, amount: 6540, category: "fraudulent", reasonCode: "10.4", evidenceRequiredBy: "2026-12-01T00:00:00.000Z" });
    await deliverInOrder(event("payment_captured", p));
    const received = checkoutEvent("dispute_received", disputeEventData(d));
    const won = checkoutEvent("dispute_won", disputeEventData({ ...d, status: "won" }));
    const lateRequired = checkoutEvent("dispute_evidence_required", disputeEventData(d));
    await deliverInOrder(received, won, lateRequired);
    const dispute = await db().dispute.findUniqueOrThrow({ where: { shopId_ckoDisputeId: { shopId, ckoDisputeId: d.id } } });
    const payment = await paymentOf(p);
    expect(dispute).toMatchObject({
      status: "won",
      amount: 6540,
      currency: "USD",
      category: "fraudulent",
      reasonCode: "10.4",
      paymentId: payment.id,
      ckoPaymentId: p.id,
    });
    expect(dispute.evidenceRequiredBy?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    const timeline = await timelineOf(p);
    expect(timeline.map((e) => e.summary)).toEqual([
      "Captured USD 65.40",
      "Dispute received: fraudulent · reason 10.4 · USD 65.40 · evidence due 2026-12-01",
      "Dispute won: fraudulent · reason 10.4 · USD 65.40",
      "Dispute evidence required: fraudulent · reason 10.4 · USD 65.40 · evidence due 2026-12-01",
    ]);
    const syncs = await db().job.findMany({ where: { shopId, kind: "dispute_sync" }, orderBy: { createdAt: "asc" } });
    expect(syncs.map((j) => j.key).sort()).toEqual([received, won, lateRequired].map((e) => `${d.id}:${e.id}`).sort());
  });

  it("creates the payment when the dispute is the first thing heard of it", async () => {
    const d = disputeFixture({ amount: 1200, currency: "EUR" });
    await deliverInOrder(checkoutEvent("dispute_received", disputeEventData(d), { envelope: "ABC" }));
    const payment = await db().payment.findUniqueOrThrow({ where: { shopId_ckoPaymentId: { shopId, ckoPaymentId: d.paymentId } } });
    expect(payment).toMatchObject({ amount: 1200, currency: "EUR", status: "Authorized" });
    expect(await db().dispute.count({ where: { shopId, paymentId: payment.id } })).toBe(1);
  });
});
