// dispute_* webhook events: a minimal Dispute row kept current (never moved back to an earlier
// stage), a timeline entry on the disputed payment, and a dispute_sync job for the disputes feature,
// which fetches the full dispute and builds evidence.
import { z } from "zod";
import type { RawSql } from "../lib/prepared-sql.server";
import { validDate } from "../webhooks/envelope";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";
import { disputeOutcome } from "../flow/triggers";
import { queueFlowTrigger } from "../flow/triggers.server";
import { formatMoney } from "../lib/money";
import { insertIfAbsent, selectOne, updateWhere } from "../lib/sql.server";
import { ensurePayment, recordActivity, type EventSource } from "../payments/record.server";
import { statusImpliedBy } from "../payments/status";
import { closedAtFor } from "./status";
import { markDisputeStale, markInsightsStale } from "../insights/stale.server";
import { queueDisputeTicketNote } from "../zendesk/dispute-tickets.server";
import { queueReconciliationCheck } from "../reconciliation/queue.server";

const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === "" ? undefined : String(v)));

export const disputeEventDataSchema = z
  .object({
    id: z.string().min(1),
    category: text,
    status: text,
    amount: z
      .number()
      .int()
      .nonnegative()
      .nullish()
      .transform((v) => v ?? undefined),
    currency: text,
    reason_code: text,
    payment_id: text,
    payment_reference: text,
    evidence_required_by: text,
    received_on: text,
    relevant_evidence: z.array(z.string()).nullish(),
  })
  .passthrough();
export type DisputeEventData = z.infer<typeof disputeEventDataSchema>;

// The stage each event puts a dispute in (Checkout.com's dispute statuses).
const STATUS_BY_EVENT: Record<string, string> = {
  dispute_evidence_required: "evidence_required",
  dispute_evidence_submitted: "evidence_under_review",
  dispute_evidence_acknowledged_by_scheme: "evidence_under_review",
  dispute_accepted: "accepted",
  dispute_won: "won",
  dispute_lost: "lost",
  dispute_resolved: "resolved",
  dispute_canceled: "canceled",
  dispute_expired: "expired",
  dispute_arbitration_sent_to_scheme: "arbitration_under_review",
  dispute_arbitration_won: "arbitration_won",
  dispute_arbitration_lost: "arbitration_lost",
};

const STAGE: Record<string, number> = {
  evidence_required: 0,
  evidence_under_review: 1,
  accepted: 2,
  won: 2,
  lost: 2,
  resolved: 2,
  canceled: 2,
  expired: 2,
  closed: 2,
  arbitration_under_review: 3,
  arbitration_won: 4,
  arbitration_lost: 4,
};
const stage = (status: string) => STAGE[status] ?? -1;

/** The dispute status after this event: the event's stage, unless the dispute is already further. */
export function nextDisputeStatus(current: string | null, type: string, reported: string | undefined): string {
  const status = STATUS_BY_EVENT[type] ?? reported ?? "evidence_required";
  return current !== null && stage(current) >= stage(status) ? current : status;
}

function describeDisputeEvent(type: string, d: DisputeEventData): string {
  const money = d.amount !== undefined && d.currency ? formatMoney(d.amount, d.currency) : null;
  const due = validDate(d.evidence_required_by);
  const what = type.replace(/^dispute_/, "").replaceAll("_", " ");
  const parts = [
    d.category ? d.category.replaceAll("_", " ") : null,
    d.reason_code ? `reason ${d.reason_code}` : null,
    money,
    due && (type === "dispute_received" || type === "dispute_evidence_required") ? `evidence due ${due.toISOString().slice(0, 10)}` : null,
  ].filter(Boolean);
  return `Dispute ${what}${parts.length ? `: ${parts.join(" · ")}` : ""}`;
}

export async function applyDisputeEvent(tx: RawSql, source: EventSource, d: DisputeEventData) {
  const payment = d.payment_id
    ? await ensurePayment(tx, source.shopId, d.payment_id, {
        amount: d.amount,
        currency: d.currency,
        reference: d.payment_reference,
        status: statusImpliedBy("dispute"),
      })
    : null;
  const key = { shopId: source.shopId, ckoDisputeId: d.id };
  const created = await insertIfAbsent(
    tx,
    "Dispute",
    { ...key, amount: d.amount ?? 0, currency: d.currency ?? payment?.currency ?? "", status: nextDisputeStatus(null, source.type, d.status) },
    ["shopId", "ckoDisputeId"],
  );
  const dispute = await selectOne(tx, "Dispute", key, { lock: true });
  if (!dispute) throw new Error(`Dispute ${d.id} vanished while being recorded`);
  const status = nextDisputeStatus(dispute.status, source.type, d.status);
  const receivedOn = validDate(d.received_on) ?? dispute.receivedOn;
  await updateWhere(
    tx,
    "Dispute",
    { id: dispute.id },
    {
      status,
      closedAt: closedAtFor(status, dispute.closedAt, source.occurredAt),
      amount: d.amount ?? dispute.amount,
      currency: d.currency ?? dispute.currency,
      category: d.category ?? dispute.category,
      reasonCode: d.reason_code ?? dispute.reasonCode,
      evidenceRequiredBy: validDate(d.evidence_required_by) ?? dispute.evidenceRequiredBy,
      receivedOn,
      relevantEvidence: d.relevant_evidence ? JSON.stringify(d.relevant_evidence) : dispute.relevantEvidence,
      paymentId: payment?.id ?? dispute.paymentId,
      ckoPaymentId: d.payment_id ?? dispute.ckoPaymentId,
    },
  );
  await markDisputeStale(tx, source.shopId, created ? null : dispute, { receivedOn, createdAt: dispute.createdAt });
  if (payment) {
    // It may be new, made from the dispute.
    await markInsightsStale(tx, source.shopId, payment.createdAt);
    await recordActivity(tx, payment, {
      sourceKey: source.eventId,
      kind: "event",
      type: source.type,
      amount: d.amount ?? null,
      currency: d.currency ?? null,
      summary: describeDisputeEvent(source.type, d),
      occurredAt: source.occurredAt,
      details: { disputeId: d.id, category: d.category, reasonCode: d.reason_code },
    });
  }
  // A chargeback takes money back: the payment's order check (app/reconciliation) after each new status.
  if (payment && (created || status !== dispute.status)) await queueReconciliationCheck(source.shopId, payment.id, source.eventId, { tx });
  // Shopify Flow triggers (app/flow), queued with this transaction: opened once per dispute, closed once per outcome.
  if (source.type === "dispute_received" || source.type === "dispute_evidence_required")
    await queueFlowTrigger(source.shopId, "dispute_opened", { disputeId: dispute.id }, { key: dispute.id, tx });
  if (disputeOutcome(status)) await queueFlowTrigger(source.shopId, "dispute_closed", { disputeId: dispute.id }, { key: `${dispute.id}:${status}`, tx });
  // The dispute's Zendesk ticket gets a note of the later events (none without a ticket).
  await queueDisputeTicketNote(tx, source.shopId, {
    disputeId: dispute.id,
    eventId: source.eventId,
    eventType: source.type,
    occurredAt: source.occurredAt.toISOString(),
  });
  await enqueueJob(
    source.shopId,
    JOB_KINDS.disputeSync,
    `${d.id}:${source.eventId}`,
    { disputeId: dispute.id, ckoDisputeId: d.id, eventType: source.type },
    { tx },
  );
  return dispute.id;
}
