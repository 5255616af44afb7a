// The payment's story in the sidebar's words: Checkout.com statuses onto the contract's states, and the
// timeline rows (Checkout.com events, the app's actions, holds, disputes) onto its entry types.
import type { PaymentStatus } from "../payments/status";
import type { PaymentState, TimelineEntry, TimelineEntryType } from "./contract";

const STATE_BY_STATUS: Record<PaymentStatus, PaymentState> = {
  Pending: "pending",
  Authorized: "authorized",
  "Card Verified": "authorized",
  Declined: "declined",
  Canceled: "canceled",
  Expired: "expired",
  Voided: "voided",
  "Partially Captured": "partially_captured",
  Captured: "captured",
  Paid: "captured",
  "Partially Refunded": "partially_refunded",
  Refunded: "refunded",
  // The money went back to the customer (e.g. a returned bank payment).
  Returned: "refunded",
};

export const paymentState = (status: string): PaymentState => STATE_BY_STATUS[status as PaymentStatus] ?? "pending";

// PaymentActivity.type → entry type. Refunds are decided by the running totals (full or partial);
// anything not listed is "other" with its own summary.
const ENTRY_BY_ACTIVITY: Record<string, TimelineEntryType> = {
  payment_approved: "authorized",
  payment_captured: "captured",
  payment_declined: "declined",
  payment_authentication_failed: "declined",
  payment_refund_declined: "refund_declined",
  payment_voided: "voided",
  payment_risk_matched: "flagged",
  fraud_reported: "flagged",
  refund_requested: "refund_requested",
  void_requested: "void_requested",
  hold_decided: "flagged",
  hold_monitored: "flagged",
  hold_placed: "held",
  hold_released: "released",
  order_canceled: "order_canceled",
  dispute_received: "dispute_opened",
  dispute_evidence_required: "dispute_opened",
  dispute_evidence_submitted: "evidence_submitted",
  dispute_won: "dispute_won",
  dispute_arbitration_won: "dispute_won",
  dispute_lost: "dispute_lost",
  dispute_arbitration_lost: "dispute_lost",
  dispute_accepted: "dispute_lost",
};

export interface ActivityRow {
  id: string;
  type: string;
  sourceKey: string;
  amount: number | null;
  currency: string | null;
  summary: string;
  actor: string | null;
  details: string;
  occurredAt: Date;
  createdAt: Date;
}

/** A dispute as the timeline needs it, to add what its events did not record. */
export interface DisputeRow {
  ckoDisputeId: string;
  status: string;
  amount: number;
  currency: string;
  receivedOn: Date | null;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  submittedBy: string | null;
}

const currencyOrNull = (c: string | null | undefined) => (c && /^[A-Z]{3}$/.test(c) ? c : null);
const details = (json: string): Record<string, unknown> => {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};
const DECLINE_CLASSES = new Set(["soft", "hard", "risk"]);
const OUTCOME_TYPES: TimelineEntryType[] = ["dispute_won", "dispute_lost"];

/**
 * Timeline entries, oldest first. Dispute milestones the events did not record (a dispute that arrived
 * before its payment, evidence submitted from the Shopify app) are added from the dispute itself, once.
 */
export function timelineEntries(payment: { capturedAmount: number; currency: string }, activities: ActivityRow[], disputes: DisputeRow[]): TimelineEntry[] {
  const ordered = [...activities].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime());
  const entries: Array<TimelineEntry & { disputeId?: string }> = [];
  const refundActions = new Set<string>();
  let refunded = 0;
  for (const a of ordered) {
    const d = details(a.details);
    let type: TimelineEntryType = ENTRY_BY_ACTIVITY[a.type] ?? "other";
    if (a.type === "payment_refunded") {
      // Each refund action counts once, however many events reported it (as the payment's totals do).
      const action = typeof d.actionId === "string" ? d.actionId : a.sourceKey;
      if (!refundActions.has(action)) refunded += a.amount ?? 0;
      refundActions.add(action);
      type = payment.capturedAmount > 0 && refunded >= payment.capturedAmount ? "refunded" : "partially_refunded";
    }
    const disputeId = typeof d.disputeId === "string" ? d.disputeId : undefined;
    entries.push({
      id: a.id,
      type,
      occurredAt: a.occurredAt.toISOString(),
      summary: a.summary,
      amount: a.amount,
      currency: a.amount === null ? null : currencyOrNull(a.currency ?? payment.currency),
      actor: a.actor,
      declineClass: type === "declined" && DECLINE_CLASSES.has(String(d.declineClass)) ? (d.declineClass as TimelineEntry["declineClass"]) : null,
      disputeId,
    });
  }

  const has = (disputeId: string, types: TimelineEntryType[]) => entries.some((e) => e.disputeId === disputeId && types.includes(e.type));
  for (const dispute of disputes) {
    const id = dispute.ckoDisputeId;
    const money = { amount: dispute.amount, currency: currencyOrNull(dispute.currency) };
    const add = (type: TimelineEntryType, at: Date, summary: string, actor: string | null = null) =>
      entries.push({ id: `${id}:${type}`, type, occurredAt: at.toISOString(), summary, actor, declineClass: null, disputeId: id, ...money });
    if (!has(id, ["dispute_opened"])) add("dispute_opened", dispute.receivedOn ?? dispute.createdAt, `Dispute ${id} opened`);
    if (dispute.submittedAt && !has(id, ["evidence_submitted"])) {
      add("evidence_submitted", dispute.submittedAt, `Evidence submitted for dispute ${id}`, dispute.submittedBy);
    }
    const outcome = dispute.status.endsWith("won") ? "dispute_won" : dispute.status.endsWith("lost") ? "dispute_lost" : null;
    if (outcome && !has(id, OUTCOME_TYPES)) add(outcome, dispute.updatedAt, `Dispute ${id} ${outcome === "dispute_won" ? "won" : "lost"}`);
  }

  // Dispute events repeat "opened" (received, then evidence required): keep the first of each dispute.
  const opened = new Set<string>();
  return entries
    .filter((e) => e.type !== "dispute_opened" || !e.disputeId || (!opened.has(e.disputeId) && opened.add(e.disputeId)))
    .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt))
    .map(({ disputeId: _d, ...entry }) => entry);
}
