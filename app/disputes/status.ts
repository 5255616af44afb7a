// Dispute statuses and deadlines as people see them. Browser-safe. The facts (the refusal, the time
// left, which statuses and categories have words) are shared; the English words here serve Zendesk,
// evidence and domain answers, while the admin screens translate the same facts (ui/labels.ts).
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

/** Why the evidence of this dispute cannot change or be sent now (the screens put it in words); null when it can. */
export type RefusalReason =
  | { kind: "submitted"; at: Date | string }
  | { kind: "submitting" }
  | { kind: "accepted" }
  | { kind: "closed"; category: string | null; status: string }
  | { kind: "deadline_passed"; deadline: Date | string };

export function refusalReason(dispute: DisputeAnswerState, now = new Date()): RefusalReason | null {
  if (evidenceSent(dispute.responseState)) return dispute.submittedAt ? { kind: "submitted", at: dispute.submittedAt } : { kind: "submitting" };
  if (dispute.responseState === "accepted" || dispute.responseState === "accepting") return { kind: "accepted" };
  if (dispute.status !== "evidence_required") return { kind: "closed", category: dispute.category, status: dispute.status };
  if (isDeadlinePassed(dispute.evidenceRequiredBy, now)) return { kind: "deadline_passed", deadline: dispute.evidenceRequiredBy! };
  return null;
}

/** The refusal in English words (domain answers, Zendesk, the audit log); null when evidence can be sent. */
export function evidenceRefusal(dispute: DisputeAnswerState, now = new Date()): string | null {
  const reason = refusalReason(dispute, now);
  switch (reason?.kind) {
    case undefined:
      return null;
    case "submitted":
      return `Evidence was submitted to Checkout.com on ${formatDateTime(reason.at)} and cannot be changed.`;
    case "submitting":
      return "Evidence is being submitted to Checkout.com and cannot be changed.";
    case "accepted":
      return "This dispute was accepted, so no evidence can be sent.";
    case "closed":
      return `This ${categoryLabel(reason.category).toLowerCase()} dispute is ${statusBadge(reason.status).label.toLowerCase()}: Checkout.com no longer accepts evidence for it.`;
    case "deadline_passed":
      return `The deadline to respond was ${formatDateTime(reason.deadline)}: Checkout.com no longer accepts evidence for this dispute.`;
  }
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

/** Whether the screens have words for `status` (translated as `disputes:status.<status>`). */
export const isKnownStatus = (status: string): status is DisputeStatus => Object.hasOwn(LABELS, status);

/** The English label (Zendesk, evidence) and the badge's tone of a status; an unknown status spelled out. */
export function statusBadge(status: string): { label: string; tone: BadgeTone } {
  return isKnownStatus(status) ? LABELS[status] : { label: status.replaceAll("_", " "), tone: undefined };
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

/** Checkout.com's dispute categories the app knows. */
export const DISPUTE_CATEGORIES = Object.keys(CATEGORY_LABELS);

/** Whether the screens have words for `category` (translated as `disputes:category.<category>`). */
export const isKnownCategory = (category: string) => Object.hasOwn(CATEGORY_LABELS, category);

/** The category in English (Zendesk, evidence, domain answers); the screens translate it (ui/labels.ts). */
export const categoryLabel = (category: string | null) => (category ? (CATEGORY_LABELS[category] ?? category.replaceAll("_", " ")) : "Unknown reason");

/** Time left to respond: in whole days from 2 days, else whole hours, else minutes (at least 1). */
export type TimeLeft = { kind: "none" } | { kind: "overdue" } | { kind: "left"; unit: "day" | "hour" | "minute"; count: number; urgent: boolean };

/** `urgent` is true within 48 hours. */
export function timeLeft(evidenceRequiredBy: Date | string | null, now: Date = new Date()): TimeLeft {
  if (evidenceRequiredBy === null) return { kind: "none" };
  const ms = new Date(evidenceRequiredBy).getTime() - now.getTime();
  if (ms <= 0) return { kind: "overdue" };
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  const urgent = hours < 48;
  if (days >= 2) return { kind: "left", unit: "day", count: days, urgent };
  if (hours >= 1) return { kind: "left", unit: "hour", count: hours, urgent };
  return { kind: "left", unit: "minute", count: Math.max(1, minutes), urgent };
}

/** Time left to respond in English words: "3 days left", "5 hours left", "40 minutes left", "Overdue". */
export function countdown(evidenceRequiredBy: Date | string | null, now: Date = new Date()): { text: string; urgent: boolean; overdue: boolean } {
  const left = timeLeft(evidenceRequiredBy, now);
  if (left.kind === "none") return { text: "No deadline", urgent: false, overdue: false };
  if (left.kind === "overdue") return { text: "Overdue", urgent: true, overdue: true };
  return { text: `${left.count} ${left.unit}${left.count === 1 ? "" : "s"} left`, urgent: left.urgent, overdue: false };
}
