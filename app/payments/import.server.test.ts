// A payment read from Checkout.com's API (the backfill on connect) recorded as its events would have
// recorded it: status, totals and risk facts from its actions, once however often it is imported or
// its webhooks also arrive, and as history: reviewed (marked imported), but no Flow trigger and no
// look into where a refund came from.
import type { CheckoutConnection } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { checkoutEvent, ckoId, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { putInInbox } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop } from "../../test/helpers/factories";
import type { PaymentActionDetails, PaymentDetails } from "../checkout/schemas";
import { db } from "../db.server";
import { createAppWorker } from "../events/registry.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { importPayment } from "./import.server";

let connection: CheckoutConnection;
let shopId: string;
beforeEach(async () => {
  ({ connection } = await createConnectedShop());
  shopId = connection.shopId;
});

const requestedOn = "2026-11-02T09:00:00.000Z";
const details = (id: string, more: Partial<PaymentDetails> = {}): PaymentDetails => ({
  id,
  requested_on: requestedOn,
  status: "Partially Refunded",
  amount: 5000,
  currency: "EUR",
  reference: "#1042",
  risk: { flagged: true, score: 81 },
  source: { type: "card", scheme: "Visa", bin: "424242", last4: "4242", fingerprint: "FP-1", issuer_country: "DE", avs_check: "S", cvv_check: "Y" },
  customer: { id: "cus_1", email: "Grace@Example.com", name: "Grace Hopper" },
  shipping: { address: { country: "FR" } },
  payment_ip: "203.0.113.9",
  ...more,
});
/** Latest first, as GET /payments/{id}/actions lists them. */
const actions = (ids: ActionIds): PaymentActionDetails[] => [
  { id: ids.refund, type: "Refund", amount: 1200, approved: true, processed_on: "2026-11-05T10:00:00.000Z", response_code: "10000" },
  { id: ids.capture, type: "Capture", amount: 5000, approved: true, processed_on: "2026-11-02T12:00:00.000Z", response_code: "10000" },
  {
    id: ids.authorization,
    type: "Authorization",
    amount: 5000,
    approved: true,
    processed_on: requestedOn,
    response_code: "10100",
    response_summary: "Approved - Risk flagged",
  },
];
type ActionIds = { authorization: string; capture: string; refund: string };
const actionIds = (): ActionIds => ({ authorization: ckoId("act"), capture: ckoId("act"), refund: ckoId("act") });

const importOnce = (payment: PaymentDetails, list: PaymentActionDetails[]) => db().$transaction((tx) => importPayment(tx, shopId, payment, list));
const jobsOf = (kind: string) => db().job.findMany({ where: { shopId, kind }, select: { key: true, payload: true } });

describe("importPayment", () => {
  it("records the payment from its actions, oldest first, with its own time and the authorization's facts", async () => {
    const id = ckoId("pay");
    const ids = actionIds();
    const result = await importOnce(details(id), actions(ids));
    expect(result).toEqual({ id: expect.any(String), created: true });

    const payment = await db().payment.findUniqueOrThrow({ where: { id: result!.id }, include: { activities: { orderBy: { occurredAt: "asc" } } } });
    expect(payment).toMatchObject({
      ckoPaymentId: id,
      status: "Partially Refunded",
      amount: 5000,
      currency: "EUR",
      capturedAmount: 5000,
      refundedAmount: 1200,
      reference: "#1042",
      riskFlagged: true,
      riskScore: 81,
      customerEmail: "grace@example.com",
      cardFingerprint: "FP-1",
      cardCountry: "DE",
      shippingCountry: "FR",
      responseCode: "10100",
      processedOn: new Date(requestedOn),
      createdAt: new Date(requestedOn),
    });
    expect(payment.activities.map((a) => [a.type, a.sourceKey, a.amount])).toEqual([
      ["payment_approved", ids.authorization, 5000],
      ["payment_captured", ids.capture, 5000],
      ["payment_refunded", ids.refund, 1200],
    ]);
    // Reviewed as history; nothing sent to Flow, no look into where the refund came from.
    expect(await jobsOf(JOB_KINDS.paymentReview)).toEqual([
      { key: payment.id, payload: JSON.stringify({ paymentId: payment.id, ckoPaymentId: id, imported: true }) },
    ]);
    expect(await jobsOf(JOB_KINDS.flowTrigger)).toEqual([]);
    expect(await jobsOf(JOB_KINDS.moneyElsewhere)).toEqual([]);
  });

  it("records a payment once, however often it is imported and when its webhooks also arrive", async () => {
    const fixture = paymentFixture({ amount: 5000, currency: "EUR" });
    const ids = actionIds();
    await importOnce(details(fixture.id), actions(ids));
    expect(await importOnce(details(fixture.id), actions(ids))).toMatchObject({ created: false });
    // Checkout.com delivers the capture's event too (a webhook of the same action, its own event id).
    await putInInbox(connection, checkoutEvent("payment_captured", paymentEventData("payment_captured", fixture, { action_id: ids.capture, amount: 5000 })));
    await createAppWorker({ jobHandlers: {} }).runUntilIdle();

    const payment = await db().payment.findUniqueOrThrow({ where: { shopId_ckoPaymentId: { shopId, ckoPaymentId: fixture.id } } });
    expect(payment).toMatchObject({ capturedAmount: 5000, refundedAmount: 1200, status: "Partially Refunded" });
    expect(await db().paymentActivity.count({ where: { paymentId: payment.id, kind: "event" } })).toBe(4); // the 3 actions, and the capture's event on the timeline
    expect(await jobsOf(JOB_KINDS.paymentReview)).toHaveLength(1);
  });

  it("records a declined authorization as declined, and nothing for a payment with no sale's action", async () => {
    const declined = await importOnce(details(ckoId("pay"), { status: "Declined", risk: { flagged: false } }), [
      {
        id: ckoId("act"),
        type: "Authorization",
        amount: 5000,
        approved: false,
        processed_on: requestedOn,
        response_code: "20051",
        response_summary: "Insufficient Funds",
      },
    ]);
    expect(await db().payment.findUniqueOrThrow({ where: { id: declined!.id } })).toMatchObject({
      status: "Declined",
      responseCode: "20051",
      declineClass: "soft",
    });
    expect(await importOnce(details(ckoId("pay")), [{ id: ckoId("act"), type: "Card Verification", approved: true, response_code: "10000" }])).toBeNull();
  });
});
