// A payment's status, kept current from events that arrive in any order. Statuses use Checkout.com's
// own names (what GET /payments/{id} answers). Two rules keep it from moving backwards:
//   - the lifecycle (pending → authorized → voided/expired) only moves to a higher rank, so a late
//     payment_approved after payment_captured changes nothing;
//   - once money moved, the status follows the totals (captured and refunded amounts, summed over
//     distinct action ids), which only grow.
import type { PaymentEventType } from "./payment-events";

export const PAYMENT_STATUSES = [
  "Pending",
  "Authorized",
  "Card Verified",
  "Declined",
  "Canceled",
  "Expired",
  "Voided",
  "Partially Captured",
  "Captured",
  "Paid",
  "Partially Refunded",
  "Refunded",
  "Returned",
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * A status's key in the admin's translations ("Partially Captured" → "partially_captured"), or null for
 * a status Checkout.com may add later (shown as it comes). The statuses themselves stay Checkout.com's
 * English names: they are stored, searched and sent to Zendesk.
 */
export const paymentStatusKey = (status: string): string | null =>
  (PAYMENT_STATUSES as readonly string[]).includes(status) ? status.toLowerCase().replaceAll(" ", "_") : null;

const RANK: Record<PaymentStatus, number> = {
  Pending: 0,
  Authorized: 1,
  "Card Verified": 1,
  Declined: 1,
  Canceled: 2,
  Expired: 2,
  Voided: 2,
  "Partially Captured": 3,
  Captured: 4,
  Paid: 4,
  "Partially Refunded": 5,
  Refunded: 6,
  Returned: 7,
};

const rank = (status: string) => (status in RANK ? RANK[status as PaymentStatus] : -1);

export interface PaymentTotals {
  /** The authorized amount (minor units). */
  amount: number;
  capturedAmount: number;
  refundedAmount: number;
}

/** The status the money says, or null while nothing was captured or refunded. */
export function moneyStatus(t: PaymentTotals): PaymentStatus | null {
  const captured = t.capturedAmount > 0 ? t.capturedAmount : t.amount;
  if (t.refundedAmount > 0) return t.refundedAmount >= captured ? "Refunded" : "Partially Refunded";
  if (t.capturedAmount > 0) return t.capturedAmount >= t.amount ? "Captured" : "Partially Captured";
  return null;
}

/**
 * What an event says about the payment's lifecycle at least: a declined capture still means the
 * payment was authorized. Money events are left to `moneyStatus`.
 */
export function statusImpliedBy(type: PaymentEventType | "dispute"): PaymentStatus {
  switch (type) {
    case "payment_pending":
    case "payment_risk_matched":
      return "Pending";
    case "payment_declined":
    case "payment_authentication_failed":
      return "Declined";
    case "payment_expired":
      return "Expired";
    case "payment_canceled":
    case "payment_cancelled":
      return "Canceled";
    case "payment_voided":
      return "Voided";
    case "payment_paid":
      return "Paid";
    case "payment_returned":
      return "Returned";
    // A capture, refund, chargeback or dispute means the payment was at least authorized; the totals
    // say the rest.
    default:
      return "Authorized";
  }
}

/** The next status: never a lower lifecycle rank, and the totals once money moved. */
export function nextStatus(current: string | null, implied: PaymentStatus, totals: PaymentTotals): string {
  const lifecycle = current !== null && rank(current) >= rank(implied) ? current : implied;
  if (lifecycle === "Returned") return lifecycle;
  return moneyStatus(totals) ?? lifecycle;
}

export const STATUS_TONE: Record<string, "success" | "critical" | "warning" | "attention" | "info" | undefined> = {
  Authorized: "info",
  "Card Verified": "info",
  Captured: "success",
  "Partially Captured": "success",
  Paid: "success",
  Declined: "critical",
  Returned: "critical",
  "Partially Refunded": "warning",
  Refunded: "warning",
  Voided: undefined,
  Expired: undefined,
  Canceled: undefined,
  Pending: "attention",
};
