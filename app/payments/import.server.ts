// A payment read from Checkout.com's API instead of delivered by webhook (the backfill on connect,
// app/checkout/backfill.server.ts), recorded through the same path as its events: each action the API
// lists (authorization, captures, refunds, voids) becomes the event that would have reported it, parsed
// with the events' own schema and recorded oldest first. The timeline's source key is the action id,
// and captured and refunded totals count each action id once, so importing a payment twice, or one
// whose webhooks also arrive, records it once.
//
// It is history, so it only records: no Flow trigger, no early warning, and no money action settled
// or looked into (a refund made before the app was connected is not "someone else's" to put a note on
// the order about). Its review is queued marked `imported`: it matches the order and applies the risk
// rules like any other, but holds only an order that has not shipped (app/holds/review.server.ts).
import type { PaymentActionDetails, PaymentDetails } from "../checkout/schemas";
import type { RawSql } from "../lib/prepared-sql.server";
import { selectOne } from "../lib/sql.server";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";
import { queueReconciliationCheck } from "../reconciliation/queue.server";
import { validDate } from "../webhooks/envelope";
import { paymentEventDataSchema, type PaymentEventType } from "./payment-events";
import { recordPaymentEvent } from "./record.server";

/** The event that reports each kind of action, approved and declined. Other kinds (payouts, card verifications) are not a shop's sales. */
const EVENTS_OF_ACTION: Record<string, { approved: PaymentEventType; declined: PaymentEventType }> = {
  Authorization: { approved: "payment_approved", declined: "payment_declined" },
  Capture: { approved: "payment_captured", declined: "payment_capture_declined" },
  Refund: { approved: "payment_refunded", declined: "payment_refund_declined" },
  Void: { approved: "payment_voided", declined: "payment_void_declined" },
};

/** The event `data` Checkout.com would have sent for this action of this payment. */
function eventData(payment: PaymentDetails, action: PaymentActionDetails) {
  const authorization = action.type === "Authorization";
  return paymentEventDataSchema.parse({
    id: payment.id,
    action_id: action.id,
    amount: action.amount ?? (authorization ? payment.amount : undefined),
    currency: payment.currency,
    reference: payment.reference,
    processed_on: action.processed_on,
    approved: action.approved,
    response_code: action.response_code,
    response_summary: action.response_summary,
    // The authorization event is the one that carries the card, customer and risk data.
    ...(authorization
      ? {
          risk: payment.risk,
          source: payment.source,
          customer: payment.customer,
          shipping: payment.shipping,
          payment_ip: payment.payment_ip,
          "3ds": payment["3ds"],
        }
      : {}),
  });
}

/**
 * Records a payment read from the API with its actions (GET /payments/{id}/actions), inside the
 * caller's transaction, and queues its review and its order check. Returns its row's id and whether
 * the app did not have it before, or null when none of its actions is a sale's (nothing recorded).
 */
export async function importPayment(
  tx: RawSql,
  shopId: string,
  payment: PaymentDetails,
  actions: PaymentActionDetails[],
): Promise<{ id: string; created: boolean } | null> {
  const known = await selectOne(tx, "Payment", { shopId, ckoPaymentId: payment.id });
  const requestedOn = validDate(payment.requested_on);
  const sales = actions
    .filter((a) => a.type in EVENTS_OF_ACTION)
    .sort((a, b) => (validDate(a.processed_on)?.getTime() ?? 0) - (validDate(b.processed_on)?.getTime() ?? 0));
  let recorded: { id: string; ckoPaymentId: string } | null = null;
  for (const action of sales) {
    const events = EVENTS_OF_ACTION[action.type];
    const type = action.approved === false ? events.declined : events.approved;
    const occurredAt = validDate(action.processed_on) ?? requestedOn ?? new Date();
    const { payment: row } = await recordPaymentEvent(
      tx,
      { shopId, eventId: action.id, type, occurredAt },
      { ...eventData(payment, action), paymentId: payment.id },
      // Its own time, not the import's: the velocity rules count a card's payments by when they were made.
      { createdAt: requestedOn ?? occurredAt },
    );
    recorded = row;
  }
  if (!recorded) return null;
  // Once per payment, like the first review of a delivered one: a payment reviewed already is not again.
  await enqueueJob(shopId, JOB_KINDS.paymentReview, recorded.id, { paymentId: recorded.id, ckoPaymentId: recorded.ckoPaymentId, imported: true }, { tx });
  // Its order check (app/reconciliation), once per newest action: an import that finds more checks again.
  await queueReconciliationCheck(shopId, recorded.id, sales.at(-1)!.id, { tx });
  return { id: recorded.id, created: !known };
}
