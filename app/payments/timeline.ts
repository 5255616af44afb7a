// Timeline entries in words, one per Checkout.com event. The English summary is recorded with the
// event (PaymentActivity.summary; the Zendesk sidebar shows it as recorded); the admin says it again in
// its reader's language when the row's facts still give exactly the recorded words.
import { formatMoney } from "../lib/money";
import { describeDecline, describeDeclineIn, type PaymentsText } from "./declines";
import type { PaymentEventData } from "./payment-events";
import { cardLabel } from "./card";

/** What a payment event means for the merchant, in one line. */
export function describePaymentEvent(type: string, d: PaymentEventData, fallbackCurrency: string): string {
  const money = d.amount !== undefined ? formatMoney(d.amount, d.currency ?? fallbackCurrency) : null;
  const decline = () => describeDecline(d.response_code, d.response_summary);
  const card = cardLabel(d.source?.scheme, d.source?.last4);
  const risk =
    d.risk?.score !== undefined && d.risk?.score !== null
      ? `risk score ${d.risk.score}${d.risk.flagged ? ", flagged" : ""}`
      : d.risk?.flagged
        ? "flagged by risk"
        : null;
  const join = (...parts: Array<string | null>) => parts.filter(Boolean).join(" · ");
  switch (type) {
    case "payment_approved":
      return join(`Authorized${money ? ` ${money}` : ""}`, card, risk);
    case "payment_pending":
      return join(`Payment pending${money ? ` (${money})` : ""}`, card);
    case "payment_declined":
      return join(`Declined: ${decline()}`, card, risk);
    case "payment_authentication_failed":
      return "3-D Secure authentication failed";
    case "payment_expired":
      return "Authorization expired without capture";
    case "payment_canceled":
    case "payment_cancelled":
      return "Payment canceled";
    case "payment_voided":
      return `Voided${money ? ` ${money}` : ""}`;
    case "payment_void_declined":
      return `Void declined: ${decline()}`;
    case "payment_captured":
      return `Captured${money ? ` ${money}` : ""}`;
    case "payment_capture_pending":
      return `Capture pending${money ? ` (${money})` : ""}`;
    case "payment_capture_declined":
      return `Capture declined: ${decline()}`;
    case "payment_refunded":
      return `Refunded${money ? ` ${money}` : ""}`;
    case "payment_refund_pending":
      return `Refund pending${money ? ` (${money})` : ""}`;
    case "payment_refund_declined":
      return `Refund declined: ${decline()}`;
    case "payment_authorization_incremented":
      return `Authorization increased${money ? ` by ${money}` : ""}`;
    case "payment_authorization_increment_declined":
      return `Authorization increase declined: ${decline()}`;
    case "payment_chargeback":
      return `Chargeback${money ? ` of ${money}` : ""}`;
    case "payment_retrieval":
      return "Retrieval request: the issuer asked for the transaction details";
    case "payment_returned":
      return `Payment returned${money ? ` (${money})` : ""}`;
    case "payment_paid":
      return `Paid${money ? ` ${money}` : ""}`;
    case "payment_risk_matched":
      return join("Matched a risk rule", risk);
    case "fraud_reported":
      return join("The issuer reported this payment as fraud", d.fraud?.reason ?? null);
    default:
      return type.replaceAll("_", " ");
  }
}

/** The admin's words: its `payments` messages and its money format. */
export interface TimelineWords {
  t: PaymentsText;
  money: (minor: number, currency: string) => string;
}

// Event type → its message under `timeline.` (those with an amount have `.plain` and `.amount` forms).
const WITH_AMOUNT: Record<string, string> = {
  payment_approved: "approved",
  payment_pending: "pending",
  payment_voided: "voided",
  payment_captured: "captured",
  payment_capture_pending: "capturePending",
  payment_refunded: "refunded",
  payment_refund_pending: "refundPending",
  payment_authorization_incremented: "authorizationIncremented",
  payment_chargeback: "chargeback",
  payment_returned: "returned",
  payment_paid: "paid",
};
const DECLINED: Record<string, string> = {
  payment_declined: "declined",
  payment_void_declined: "voidDeclined",
  payment_capture_declined: "captureDeclined",
  payment_refund_declined: "refundDeclined",
  payment_authorization_increment_declined: "authorizationIncrementDeclined",
};
const FIXED: Record<string, string> = {
  payment_authentication_failed: "authenticationFailed",
  payment_expired: "expired",
  payment_canceled: "canceled",
  payment_cancelled: "canceled",
  payment_retrieval: "retrieval",
  payment_risk_matched: "riskMatched",
  fraud_reported: "fraudReported",
};

/** `describePaymentEvent` in the admin's language; null for a type it has no words for. */
export function describePaymentEventIn({ t, money: format }: TimelineWords, type: string, d: PaymentEventData, fallbackCurrency: string): string | null {
  const money = d.amount !== undefined ? format(d.amount, d.currency ?? fallbackCurrency) : null;
  const card = cardLabel(d.source?.scheme, d.source?.last4, t("card.unknownScheme"));
  const score = d.risk?.score;
  const risk =
    score !== undefined && score !== null
      ? t(d.risk?.flagged ? "timeline.risk.scoreFlagged" : "timeline.risk.score", { score })
      : d.risk?.flagged
        ? t("timeline.risk.flagged")
        : null;
  const join = (...parts: Array<string | null>) => parts.filter(Boolean).join(" · ");
  if (type in WITH_AMOUNT) {
    const main = money ? t(`timeline.${WITH_AMOUNT[type]}.amount`, { amount: money }) : t(`timeline.${WITH_AMOUNT[type]}.plain`);
    return type === "payment_approved" ? join(main, card, risk) : type === "payment_pending" ? join(main, card) : main;
  }
  if (type in DECLINED) {
    const main = t(`timeline.${DECLINED[type]}`, { decline: describeDeclineIn(t, d.response_code, d.response_summary) });
    return type === "payment_declined" ? join(main, card, risk) : main;
  }
  if (type in FIXED) {
    const main = t(`timeline.${FIXED[type]}`);
    return type === "payment_risk_matched" ? join(main, risk) : type === "fraud_reported" ? join(main, d.fraud?.reason ?? null) : main;
  }
  return null;
}

/** What a timeline row keeps of its event: the amount, and the response in `details` (record.server.ts). */
export interface RecordedActivity {
  type: string;
  kind: string;
  amount: number | null;
  currency: string | null;
  summary: string;
  details: string;
}

/** What the payment knows of the card and the risk checks, which its authorization events reported. */
export interface PaymentFacts {
  currency: string;
  cardScheme: string | null;
  cardLast4: string | null;
  riskScore: number | null;
  riskFlagged: boolean;
}

/**
 * A recorded payment event's summary in the admin's language, or null (show the recorded words). The
 * card and risk score are not kept on the row, so the row's amount and response with the payment's card
 * and risk (or without them) are put in English again: only when that gives exactly the recorded words
 * are they said in the reader's language, so a translation never says more or less than the record.
 */
export function localizedPaymentSummary(words: TimelineWords, row: RecordedActivity, payment: PaymentFacts): string | null {
  if (row.kind !== "event") return null;
  let details: { responseCode?: string; responseSummary?: string } = {};
  try {
    details = JSON.parse(row.details) as typeof details;
  } catch {
    return null;
  }
  const base: PaymentEventData = {
    paymentId: undefined,
    amount: row.amount ?? undefined,
    currency: row.currency ?? undefined,
    response_code: details.responseCode,
    response_summary: details.responseSummary,
  };
  const card = payment.cardLast4 ? { scheme: payment.cardScheme ?? undefined, last4: payment.cardLast4 } : undefined;
  const risk = { score: payment.riskScore, flagged: payment.riskFlagged };
  const candidates: PaymentEventData[] = [{ ...base, source: card, risk }, { ...base, source: card }, { ...base, risk }, base];
  const same = candidates.find((d) => describePaymentEvent(row.type, d, payment.currency) === row.summary);
  return same ? describePaymentEventIn(words, row.type, same, payment.currency) : null;
}
