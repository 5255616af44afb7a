// Dispute statuses and deadlines as people see them. Browser-safe: the list, the dispute page and the
// Zendesk backend share these words.
import { formatDateTime } from "../lib/dates";

/** Checkout.com's dispute statuses (each has its label below). */
type DisputeStatus =
  | "evidence_required"
  | "evidence_under_review"
  | "resolved"
  | "won"
  | "lost"
  | "canceled"
  | "expired"
  | "accepted"
  | "arbitration_under_review"
  | "arbitration_won"
  | "arbitration_lost";

/** Still in progress at the scheme (not decided yet). */
export const OPEN_DISPUTE_STATUSES = ["evidence_required", "evidence_under_review", "arbitration_under_review"] as const;

/**
 * A dispute's closedAt once its status is `status`: the time it first closed while it stays closed,
 * `now` when it closes, null while open (a lost dispute can go to arbitration). Its evidence files are
 * deleted 90 days after it closed (app/shops/retention.server.ts).
 */
export function closedAtFor(status: string, closedAt: Date | null, now: Date): Date | null {
  return (OPEN_DISPUTE_STATUSES as readonly string[]).includes(status) ? null : (closedAt ?? now);
}

/** Statuses that mean Checkout.com has received the merchant's submitted evidence. */
export const EVIDENCE_RECEIVED_STATUSES: readonly string[] = [
  "evidence_under_review",
  "won",
  "lost",
  "resolved",
  "arbitration_under_review",
  "arbitration_won",
  "arbitration_lost",
];

/**
 * The merchant's response, kept by this app: at most one of submit or accept, ever
 * ("none" | "submitting" | "submitted" | "accepting" | "accepted"). Whether evidence went (or is going) out:
 */
export const evidenceSent = (responseState: string) => responseState === "submitted" || responseState === "submitting";

/** What decides whether a dispute still takes evidence. */
export interface DisputeAnswerState {
  status: string;
  responseState: string;
  evidenceRequiredBy: Date | string | null;
  submittedAt: Date | string | null;
  category: string | null;
}

/** Why the evidence of this dispute cannot change or be sent now, in words; null when it can. */
export function evidenceRefusal(dispute: DisputeAnswerState, now = new Date()): string | null {
  if (evidenceSent(dispute.responseState)) {
    return dispute.submittedAt
      ? `Evidence was submitted to Checkout.com on ${formatDateTime(dispute.submittedAt)} and cannot be changed.`
      : "Evidence is being submitted to Checkout.com and cannot be changed.";
  }
  if (dispute.responseState === "accepted" || dispute.responseState === "accepting") return "This dispute was accepted, so no evidence can be sent.";
  if (dispute.status !== "evidence_required") {
    return `This ${categoryLabel(dispute.category).toLowerCase()} dispute is ${statusBadge(dispute.status).label.toLowerCase()}: Checkout.com no longer accepts evidence for it.`;
  }
  if (isDeadlinePassed(dispute.evidenceRequiredBy, now)) {
    return `The deadline to respond was ${formatDateTime(dispute.evidenceRequiredBy!)}: Checkout.com no longer accepts evidence for this dispute.`;
  }
  return null;
}

/** Whether evidence can still be changed and sent (Checkout.com takes it, the merchant has not answered). */
export const acceptsEvidence = (dispute: DisputeAnswerState, now = new Date()) => evidenceRefusal(dispute, now) === null;

export function isDeadlinePassed(evidenceRequiredBy: Date | string | null, now: Date = new Date()): boolean {
  return evidenceRequiredBy !== null && new Date(evidenceRequiredBy).getTime() <= now.getTime();
}

export type BadgeTone = "info" | "success" | "warning" | "critical" | "attention" | undefined;

const LABELS: Record<DisputeStatus, { label: string; tone: BadgeTone }> = {
  evidence_required: { label: "Evidence required", tone: "attention" },
  evidence_under_review: { label: "Under review", tone: "info" },
  arbitration_under_review: { label: "Arbitration under review", tone: "info" },
  resolved: { label: "Resolved", tone: undefined },
  won: { label: "Won", tone: "success" },
  arbitration_won: { label: "Won in arbitration", tone: "success" },
  lost: { label: "Lost", tone: "critical" },
  arbitration_lost: { label: "Lost in arbitration", tone: "critical" },
  canceled: { label: "Canceled", tone: undefined },
  expired: { label: "Expired", tone: "critical" },
  accepted: { label: "Accepted", tone: undefined },
};

export function statusBadge(status: string): { label: string; tone: BadgeTone } {
  return LABELS[status as DisputeStatus] ?? { label: status.replaceAll("_", " "), tone: undefined };
}

const CATEGORY_LABELS: Record<string, string> = {
  fraudulent: "Fraudulent",
  unrecognized: "Unrecognized",
  canceled_recurring: "Canceled recurring payment",
  product_service_not_received: "Product or service not received",
  not_as_described: "Not as described",
  credit_not_issued: "Credit not issued",
  duplicate: "Duplicate",
  incorrect_amount: "Incorrect amount",
  general: "General",
};

export const categoryLabel = (category: string | null) => (category ? (CATEGORY_LABELS[category] ?? category.replaceAll("_", " ")) : "Unknown reason");

/**
 * Time left to respond, in words: "3 days left", "5 hours left", "40 minutes left", "Overdue".
 * `urgent` is true within 48 hours.
 */
export function countdown(evidenceRequiredBy: Date | string | null, now: Date = new Date()): { text: string; urgent: boolean; overdue: boolean } {
  if (evidenceRequiredBy === null) return { text: "No deadline", urgent: false, overdue: false };
  const ms = new Date(evidenceRequiredBy).getTime() - now.getTime();
  if (ms <= 0) return { text: "Overdue", urgent: true, overdue: true };
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"} left`;
  const text = days >= 2 ? plural(days, "day") : hours >= 1 ? plural(hours, "hour") : plural(Math.max(1, minutes), "minute");
  return { text, urgent: hours < 48, overdue: false };
}
