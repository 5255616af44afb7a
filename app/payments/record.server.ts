// The payment record and its timeline, kept current from Checkout.com events inside the worker's
// transaction (and from the actions of payments read from the API: import.server.ts). Everything here
// is idempotent: the timeline is unique per (payment, source key), the status never moves back (status.ts), and captured/refunded totals are sums over distinct action ids,
// so a replayed or repeated event changes nothing. It runs for every event, so it uses the raw
// statements of lib/sql.server.ts rather than typed queries (about ten times cheaper each).
import type { Payment } from "@prisma/client";
import type { RawSql } from "../lib/prepared-sql.server";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";
import { validDate } from "../webhooks/envelope";
import { checkoutDeclineDue } from "../flow/checkout-declines.server";
import { queueFlowTrigger } from "../flow/triggers.server";
import { insertIfAbsent, selectOne, updateWhere } from "../lib/sql.server";
import { markPaymentStale } from "../insights/stale.server";
import { settleFromEvent } from "../money/event-outcomes.server";
import { queueReconciliationCheck } from "../reconciliation/queue.server";
import { classifyResponse } from "./declines";
import { AUTHORIZATION_EVENTS, CAPTURE_EVENT, EARLY_WARNING_EVENTS, REFUND_EVENT, type PaymentEventData, type PaymentEventType } from "./payment-events";
import { nextStatus, statusImpliedBy, type PaymentStatus } from "./status";
import { describePaymentEvent } from "./timeline";

/** Where a change came from: the shop, the event (its id is the timeline's source key) and when it happened. */
export interface EventSource {
  shopId: string;
  eventId: string;
  type: string;
  occurredAt: Date;
}

/**
 * The payment row for one Checkout.com payment in one shop, created from `seed` when first seen
 * (events arrive in any order, so any of them may be first), and locked for the transaction.
 */
export async function ensurePayment(
  tx: RawSql,
  shopId: string,
  ckoPaymentId: string,
  seed: {
    amount?: number;
    currency?: string;
    reference?: string;
    status: PaymentStatus;
    /** When Checkout.com made it (its first event's processed_on, an import's requested_on), when earlier than now. */
    createdAt?: Date;
  },
): Promise<Payment> {
  const key = { shopId, ckoPaymentId };
  await insertIfAbsent(
    tx,
    "Payment",
    {
      ...key,
      amount: seed.amount ?? 0,
      currency: seed.currency ?? "",
      reference: seed.reference ?? null,
      status: seed.status,
      ...(seed.createdAt ? { createdAt: seed.createdAt } : {}),
    },
    ["shopId", "ckoPaymentId"],
  );
  const payment = await selectOne(tx, "Payment", key, { lock: true });
  if (!payment) throw new Error(`Payment ${ckoPaymentId} vanished while being recorded`);
  return payment;
}

export interface ActivityEntry {
  /** Unique per payment: the event id, action id or an app-made key. Recording the same key twice adds nothing. */
  sourceKey: string;
  kind: "event" | "action";
  type: string;
  summary: string;
  occurredAt: Date;
  amount?: number | null;
  currency?: string | null;
  actor?: string | null;
  /** The Checkout.com action an event reports (indexed: an order carrying it finds the payment). */
  actionId?: string | null;
  details?: Record<string, unknown>;
}

/** Adds an entry to a payment's timeline, once. True when it was new. */
export async function recordActivity(tx: RawSql, payment: Pick<Payment, "id" | "shopId">, entry: ActivityEntry): Promise<boolean> {
  const { details, ...rest } = entry;
  return insertIfAbsent(
    tx,
    "PaymentActivity",
    {
      amount: null,
      currency: null,
      actor: null,
      actionId: null,
      ...rest,
      shopId: payment.shopId,
      paymentId: payment.id,
      details: JSON.stringify(details ?? {}),
    },
    ["paymentId", "sourceKey"],
  );
}

/** Captured and refunded totals: each action counts once, however many events reported it. */
async function moneyTotals(tx: RawSql, paymentId: string) {
  const rows = await tx.$queryRaw<Array<{ type: string; amount: number | null; sourceKey: string; details: string }>>`
    SELECT "type", "amount", "sourceKey", "details" FROM "PaymentActivity"
    WHERE "paymentId" = ${paymentId} AND "type" IN (${CAPTURE_EVENT}, ${REFUND_EVENT})`;
  const counted = new Set<string>();
  const totals = { capturedAmount: 0, refundedAmount: 0 };
  for (const row of rows) {
    const actionId = (JSON.parse(row.details) as { actionId?: string }).actionId ?? row.sourceKey;
    if (counted.has(`${row.type}:${actionId}`)) continue;
    counted.add(`${row.type}:${actionId}`);
    if (row.type === CAPTURE_EVENT) totals.capturedAmount += Number(row.amount ?? 0);
    else totals.refundedAmount += Number(row.amount ?? 0);
  }
  return totals;
}

/** The payment's fields the risk rules read (app/holds: riskFactsOf). */
const RISK_FACTS = [
  "amount",
  "currency",
  "riskFlagged",
  "riskScore",
  "customerEmail",
  "ckoCustomerId",
  "cardFingerprint",
  "cardBin",
  "cardCountry",
  "billingCountry",
  "shippingCountry",
] as const satisfies ReadonlyArray<keyof Payment>;

/** The payment's fields the order check compares with its Shopify order (app/reconciliation), besides a declined capture. */
const RECONCILED_FACTS = ["currency", "capturedAmount", "refundedAmount"] as const satisfies ReadonlyArray<keyof Payment>;

const earliest = (at: Date | null | undefined, now: Date) => (at && at < now ? at : now);

const sameValue = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

/** The fields of `after` whose values differ from the row's. */
function changedFields<T extends object>(row: T, after: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(after).filter(([field, value]) => !sameValue(value, row[field as keyof T]))) as Partial<T>;
}

/**
 * Records one payment event on its payment: the row (made when first seen), its timeline, totals,
 * status and the facts the risk rules read. Nothing else: `applyPaymentEvent` reacts to the event,
 * an import (payments/import.server.ts) only records history. Returns the row as it was before, and
 * what changed.
 */
export async function recordPaymentEvent(tx: RawSql, source: EventSource, d: PaymentEventData & { paymentId: string }, options: { createdAt?: Date } = {}) {
  const type = source.type as PaymentEventType;
  const authorization = AUTHORIZATION_EVENTS.has(type);
  const payment = await ensurePayment(tx, source.shopId, d.paymentId, {
    amount: d.amount,
    currency: d.currency,
    reference: d.reference,
    status: statusImpliedBy(type),
    // When Checkout.com made it, not when its first event reached us: a webhook redelivered after an
    // outage still places the payment on its own day (Insights, velocity rules). Never in the future.
    createdAt: options.createdAt ?? earliest(validDate(d.processed_on), new Date()),
  });
  const response = d.response_code ? classifyResponse(d.response_code, d.response_summary) : null;

  await recordActivity(tx, payment, {
    sourceKey: source.eventId,
    kind: "event",
    type,
    amount: d.amount ?? null,
    currency: d.currency ?? payment.currency,
    summary: describePaymentEvent(type, d, payment.currency),
    occurredAt: validDate(d.processed_on) ?? source.occurredAt,
    actionId: d.action_id ?? null,
    details: {
      actionId: d.action_id,
      responseCode: d.response_code,
      responseSummary: d.response_summary,
      declineClass: response?.declineClass ?? undefined,
    },
  });

  const totals =
    type === CAPTURE_EVENT || type === REFUND_EVENT
      ? await moneyTotals(tx, payment.id)
      : { capturedAmount: payment.capturedAmount, refundedAmount: payment.refundedAmount };
  // The authorization reports the payment's amount; a capture or refund reports only its own.
  const amount = authorization && d.amount !== undefined ? d.amount : payment.amount;
  const source3ds = d["3ds"] ? JSON.stringify(d["3ds"]) : null;

  const changes = {
    amount,
    currency: (authorization ? d.currency : undefined) ?? (payment.currency || d.currency || ""),
    reference: payment.reference ?? d.reference ?? null,
    // Never un-flagged: a later event without risk data does not clear a flag.
    riskFlagged: payment.riskFlagged || Boolean(d.risk?.flagged) || type === "payment_risk_matched",
    riskScore: typeof d.risk?.score === "number" ? Math.round(d.risk.score) : payment.riskScore,
    customerEmail: d.customer?.email?.trim().toLowerCase() ?? payment.customerEmail,
    customerName: d.customer?.name ?? payment.customerName,
    ckoCustomerId: d.customer?.id ?? payment.ckoCustomerId,
    ipAddress: d.payment_ip ?? payment.ipAddress,
    cardScheme: d.source?.scheme ?? payment.cardScheme,
    cardBin: d.source?.bin ?? payment.cardBin,
    cardLast4: d.source?.last4 ?? payment.cardLast4,
    cardFingerprint: d.source?.fingerprint ?? payment.cardFingerprint,
    cardCountry: d.source?.issuer_country ?? payment.cardCountry,
    billingCountry: d.source?.billing_address?.country ?? payment.billingCountry,
    shippingCountry: d.shipping?.address?.country ?? payment.shippingCountry,
    avsCheck: d.source?.avs_check ?? payment.avsCheck,
    cvvCheck: d.source?.cvv_check ?? payment.cvvCheck,
    threeDs: source3ds ?? payment.threeDs,
    // The response code that matters is the authorization's, not a later capture's "10000".
    ...(authorization && response
      ? { responseCode: d.response_code, responseSummary: d.response_summary ?? response.reason, declineClass: response.declineClass }
      : {}),
    processedOn: (authorization ? validDate(d.processed_on) : null) ?? payment.processedOn ?? validDate(d.processed_on),
    ...totals,
    status: nextStatus(payment.status, statusImpliedBy(type), { amount, ...totals }),
  };
  // Only what changed: SQLite rewrites the entry of every index on a column the UPDATE sets, and the
  // payment has seven (most events change two or three columns).
  await updateWhere(tx, "Payment", { id: payment.id }, changedFields(payment, changes));
  await markPaymentStale(tx, payment, changes);
  return { payment, changes };
}

/**
 * Applies one payment event (payment_* or fraud_reported) delivered by Checkout.com: records it, then
 * settles the money action it reports, queues Flow triggers, the payment's review and early warnings.
 * `d.paymentId` must be set. Returns the payment (as it was before) and the key of the review job it
 * queued, if any (the caller may do that review in this transaction: app/holds/review.server.ts).
 */
export async function applyPaymentEvent(tx: RawSql, source: EventSource, d: PaymentEventData & { paymentId: string }) {
  const type = source.type as PaymentEventType;
  const { payment, changes } = await recordPaymentEvent(tx, source, d);

  // A capture, refund or void outcome settles the money action that asked for it (app/money).
  await settleFromEvent(tx, source, payment.id, type, d);

  // Shopify Flow triggers (app/flow), queued with this transaction: once per decline, once per refund action.
  if (type === "payment_declined" || type === "payment_capture_declined") {
    const step = type === "payment_declined" ? "authorization" : "capture";
    await queueFlowTrigger(
      source.shopId,
      "payment_declined",
      { paymentId: payment.id, step, responseCode: d.response_code, responseSummary: d.response_summary },
      { key: source.eventId, tx },
    );
    // Decline recovery: a soft-declined checkout, decided once the customer had time to try again.
    if (type === "payment_declined" && changes.declineClass === "soft") {
      await queueFlowTrigger(
        source.shopId,
        "checkout_payment_declined",
        { paymentId: payment.id },
        { key: payment.id, tx, runAt: checkoutDeclineDue(source.occurredAt) },
      );
    }
  }
  if (type === REFUND_EVENT && d.amount !== undefined) {
    await queueFlowTrigger(source.shopId, "refund_processed", { paymentId: payment.id, amount: d.amount }, { key: d.action_id ?? source.eventId, tx });
  }

  const review = { paymentId: payment.id, ckoPaymentId: payment.ckoPaymentId };
  // A payment Checkout.com flagged (or a fraud warning) is reviewed in the priority lane: its hold
  // must not wait behind a backlog (docs/decisions/0009).
  const priority = changes.riskFlagged || type === "fraud_reported" ? 1 : 0;
  let reviewJob: string | null = payment.id;
  const firstReview = await enqueueJob(source.shopId, JOB_KINDS.paymentReview, reviewJob, review, { tx, priority });
  // Events arrive in any order (and concurrent workers finish them in any order): the capture may be
  // recorded, and the payment reviewed, before the authorization that carries the risk data. When
  // this event changed what the risk rules look at, the payment is reviewed again; a review is safe
  // to repeat (a hold, once decided, is never decided again).
  if (!firstReview) {
    reviewJob = RISK_FACTS.some((field) => changes[field] !== payment[field]) ? `${payment.id}:${source.eventId}` : null;
    if (reviewJob) await enqueueJob(source.shopId, JOB_KINDS.paymentReview, reviewJob, review, { tx, priority });
  }
  // The order check, when the event changed what it compares with the order (app/reconciliation).
  if (type === "payment_capture_declined" || RECONCILED_FACTS.some((field) => changes[field] !== payment[field])) {
    await queueReconciliationCheck(source.shopId, payment.id, source.eventId, { tx });
  }
  // The issuer's warning before a dispute: hold or refund now, once per payment and kind (app/holds/early-warnings.server.ts).
  if (EARLY_WARNING_EVENTS.has(type)) {
    const warning = { paymentId: payment.id, type, reason: d.fraud?.reason ?? null };
    await enqueueJob(source.shopId, JOB_KINDS.earlyWarning, `${payment.id}:${type}`, warning, { tx, priority: 1 });
  }
  return { payment, reviewJob };
}
