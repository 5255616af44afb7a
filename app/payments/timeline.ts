// Timeline entries in words, one per Checkout.com event.
import { formatMoney } from "../lib/money";
import { describeDecline } from "./declines";
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
