// The Checkout.com events load and fault tests send: card payments for Shopify orders (held or not by
// the default risk rules) and declined payments (no order, nothing to hold), and the check that each
// processed event left exactly one timeline entry.
import { db } from "../../app/db.server";
import { checkoutEvent, paymentEventData, paymentFixture, type PaymentFixture } from "../fixtures/checkout-events";

/** An event as Checkout.com sends it. */
export type CheckoutEvent = Record<string, unknown> & { id: string; type: string };

export const paymentEvent = (type: string, payment: PaymentFixture, extra: Record<string, unknown> = {}) =>
  checkoutEvent(type, paymentEventData(type, payment, extra)) as CheckoutEvent;

/** payment_approved then payment_captured, as Checkout.com sends them for a card payment. */
export const paymentEvents = (payment: PaymentFixture): CheckoutEvent[] => ["payment_approved", "payment_captured"].map((type) => paymentEvent(type, payment));

/** A payment for a stand-in order (USD 94.00; reference = order name) that the default rules hold, or not. */
export const orderPayment = (orderName: string, risky: boolean) =>
  paymentFixture({ reference: orderName, amount: 9400, ...(risky ? { flagged: true, riskScore: 87 } : {}) });

/** A declined payment (no order, nothing to hold): its one event. */
export const declinedPaymentEvent = (n: number): CheckoutEvent =>
  paymentEvent("payment_declined", paymentFixture({ reference: `checkout-${n}`, responseCode: "20051", responseSummary: "Insufficient Funds" }));

/** Timeline entries per event id (kind "event"): each processed event must have exactly one. */
export async function timelineEntriesPerEvent(): Promise<Map<string, number>> {
  const rows = await db().paymentActivity.groupBy({ by: ["sourceKey"], where: { kind: "event" }, _count: { _all: true } });
  return new Map(rows.map((r) => [r.sourceKey, r._count._all]));
}
