// The payment record and its timeline, kept current from Checkout.com events inside the worker's
// transaction. Everything here is idempotent: the timeline is unique per (payment, source key), the
// status never moves back (status.ts), and captured/refunded totals are sums over distinct action ids,
// so a replayed or repeated event changes nothing. It runs for every event, so it uses the raw
// statements of lib/sql.server.ts rather than typed queries (about ten times cheaper each).
import type { Payment } from "@prisma/client";
import type { Tx } from "../db.server";
import { enqueueJob, JOB_KINDS } from "../events/jobs.server";
import { validDate } from "../events/envelope";
import { queueFlowTrigger } from "../flow/triggers.server";
import { insertIfAbsent, selectOne, updateWhere } from "../lib/sql.server";
import { classifyResponse, describeDecline } from "./declines";
import { AUTHORIZATION_EVENTS, CAPTURE_EVENT, REFUND_EVENT, type PaymentEventData, type PaymentEventType } from "./payment-events";
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
  tx: Tx,
  shopId: string,
  ckoPaymentId: string,
  seed: { amount?: number; currency?: string; reference?: string; status: PaymentStatus },
): Promise<Payment> {
  const key = { shopId, ckoPaymentId };
  await insertIfAbsent(tx, "Payment", { ...key, amount: seed.amount ?? 0, currency: seed.currency ?? "", reference: seed.reference ?? null, status: seed.status }, ["shopId", "ckoPaymentId"]);
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
  details?: Record<string, unknown>;
}

/** Adds an entry to a payment's timeline, once. True when it was new. */
export async function recordActivity(tx: Tx, payment: Pick<Payment, "id" | "shopId">, entry: ActivityEntry): Promise<boolean> {
  const { details, ...rest } = entry;
  return insertIfAbsent(
    tx,
    "PaymentActivity",
    { amount: null, currency: null, actor: null, ...rest, shopId: payment.shopId, paymentId: payment.id, details: JSON.stringify(details ?? {}) },
    ["paymentId", "sourceKey"],
  );
}

/** Captured and refunded totals: each action counts once, however many events reported it. */
async function moneyTotals(tx: Tx, paymentId: string) {
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

// What a payment event says about a refund, capture or void the app asked for (MoneyAction).
const ACTION_OUTCOME: Partial<Record<string, "succeeded" | "declined">> = {
  payment_captured: "succeeded",
  payment_refunded: "succeeded",
  payment_voided: "succeeded",
  payment_capture_declined: "declined",
  payment_refund_declined: "declined",
  payment_void_declined: "declined",
};

/**
 * What the payment's processed events already said about one of its actions, or null. Checkout.com's
 * webhook for a refund can be processed before its answer to the refund request reaches us (or
 * before a retry gets it, when the first answer was lost): the action then learns its outcome here.
 */
export async function reportedActionOutcome(tx: Tx, paymentId: string, ckoActionId: string) {
  const rows = await tx.paymentActivity.findMany({
    where: { paymentId, kind: "event", type: { in: Object.keys(ACTION_OUTCOME) } },
    select: { type: true, details: true },
  });
  for (const row of rows) {
    const details = JSON.parse(row.details) as { actionId?: string; responseCode?: string; responseSummary?: string };
    if (details.actionId !== ckoActionId) continue;
    const status = ACTION_OUTCOME[row.type]!;
    return { status, error: status === "declined" ? describeDecline(details.responseCode, details.responseSummary) : null };
  }
  return null;
}

/** Applies one payment event (payment_* or fraud_reported) to its payment. `d.paymentId` must be set. */
export async function applyPaymentEvent(tx: Tx, source: EventSource, d: PaymentEventData & { paymentId: string }) {
  const type = source.type as PaymentEventType;
  const authorization = AUTHORIZATION_EVENTS.has(type);
  const payment = await ensurePayment(tx, source.shopId, d.paymentId, {
    amount: d.amount,
    currency: d.currency,
    reference: d.reference,
    status: statusImpliedBy(type),
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
  await updateWhere(tx, "Payment", { id: payment.id }, changes);

  const outcome = ACTION_OUTCOME[type];
  if (outcome && d.action_id) {
    await tx.$executeRaw`
      UPDATE "MoneyAction" SET "status" = ${outcome}, "error" = ${outcome === "declined" ? describeDecline(d.response_code, d.response_summary) : null}, "updatedAt" = ${new Date()}
      WHERE "shopId" = ${source.shopId} AND "paymentId" = ${payment.id} AND "ckoActionId" = ${d.action_id} AND "status" IN ('requested', 'accepted')`;
  }

  // Shopify Flow triggers (app/flow), queued with this transaction: once per decline, once per refund action.
  if (type === "payment_declined" || type === "payment_capture_declined") {
    const step = type === "payment_declined" ? "authorization" : "capture";
    await queueFlowTrigger(source.shopId, "payment_declined", { paymentId: payment.id, step, responseCode: d.response_code, responseSummary: d.response_summary }, { key: source.eventId, tx });
  }
  if (type === REFUND_EVENT && d.amount !== undefined) {
    await queueFlowTrigger(source.shopId, "refund_processed", { paymentId: payment.id, amount: d.amount }, { key: d.action_id ?? source.eventId, tx });
  }

  const review = { paymentId: payment.id, ckoPaymentId: payment.ckoPaymentId };
  const firstReview = await enqueueJob(source.shopId, JOB_KINDS.paymentReview, payment.id, review, { tx });
  // Events arrive in any order (and concurrent workers finish them in any order): the capture may be
  // recorded, and the payment reviewed, before the authorization that carries the risk data. When
  // this event changed what the risk rules look at, the payment is reviewed again; a review is safe
  // to repeat (a hold, once decided, is never decided again).
  if (!firstReview && RISK_FACTS.some((field) => changes[field] !== payment[field])) {
    await enqueueJob(source.shopId, JOB_KINDS.paymentReview, `${payment.id}:${source.eventId}`, review, { tx });
  }
  return payment;
}
