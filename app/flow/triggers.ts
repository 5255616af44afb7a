// The Shopify Flow triggers this app offers, and the payload each one sends. Every trigger is a
// `flow_trigger` extension under extensions/<folder>/shopify.extension.toml; its [[settings.fields]]
// declare the payload, and triggers.test.ts checks that these builders send exactly those
// fields with those types. Pure: the server module loads the rows and sends.
//
// Flow's rules shape the payloads: custom field keys may contain only letters and spaces (they are
// what merchants see in the Flow editor), the `order_reference` field is sent as `order_id` (the
// numeric order id), and trigger fields can be text, number_decimal, boolean, email or url only, so
// dates travel as ISO 8601 text and amounts as decimals in the currency's major unit.
import { currencyDigits } from "../lib/money";
import { SUGGESTION_WORDS, type DeclineSuggestion } from "../payments/declines";

export const FLOW_TRIGGERS = {
  payment_flagged: {
    handle: "cko-payment-flagged",
    folder: "flow-payment-flagged",
    label: "Payment flagged or held",
    help: "A payment matched your risk rules: its order was put on hold (or the hold could not be placed), or is being monitored.",
  },
  payment_unmatched: {
    handle: "cko-payment-unmatched",
    folder: "flow-payment-unmatched",
    label: "Risky payment without an order",
    help: "A flagged payment (or one your rules would hold) has no Shopify order yet, so nothing could be held; it waits under Unmatched.",
  },
  payment_declined: {
    handle: "cko-payment-declined",
    folder: "flow-payment-declined",
    label: "Payment declined",
    help: "Checkout.com declined a payment or a capture for an order, with the soft, hard or risk class and the reason.",
  },
  checkout_payment_declined: {
    handle: "cko-checkout-payment-declined",
    folder: "flow-checkout-payment-declined",
    label: "Checkout payment declined",
    help: "A customer's card was declined at checkout (a soft decline) and no order followed within 30 minutes: their email, the checkout's recovery link and what to suggest, for a recovery email or a Klaviyo event. Once per checkout; never for hard or risk declines.",
  },
  refund_processed: {
    handle: "cko-refund-processed",
    folder: "flow-refund-processed",
    label: "Refund processed",
    help: "Checkout.com confirmed a refund on an order's payment.",
  },
  dispute_opened: {
    handle: "cko-dispute-opened",
    folder: "flow-dispute-opened",
    label: "Dispute opened",
    help: "A customer disputed an order's payment: amount, category and evidence deadline.",
  },
  dispute_evidence_due: {
    handle: "cko-dispute-evidence-due",
    folder: "flow-dispute-evidence-due",
    label: "Dispute evidence due soon",
    help: "A dispute still needs your evidence and its deadline is within the lead time set on the Disputes screen: once per deadline, with the hours left.",
  },
  dispute_closed: {
    handle: "cko-dispute-closed",
    folder: "flow-dispute-closed",
    label: "Dispute closed",
    help: "A dispute was decided: won or lost.",
  },
} as const;

export type FlowTrigger = keyof typeof FLOW_TRIGGERS;
export const FLOW_TRIGGER_NAMES = Object.keys(FLOW_TRIGGERS) as FlowTrigger[];
export const FLOW_TRIGGER_HANDLES = FLOW_TRIGGER_NAMES.map((name) => FLOW_TRIGGERS[name].handle);

export type FlowPayload = Record<string, string | number | boolean>;

/** The order a trigger is about. Flow acts on it through the `order_reference` field. */
export interface FlowOrder {
  gid: string;
  name: string | null;
}

export interface FlowPayment {
  ckoPaymentId: string;
  amount: number;
  currency: string;
}

/** 123 for gid://shopify/Order/123: Flow's `order_id`. */
export function orderIdFromGid(gid: string): number {
  const match = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(gid);
  if (!match) throw new Error(`Not a Shopify order id: ${gid}`);
  return Number(match[1]);
}

/** Minor units as a decimal in the major unit (1999 USD -> 19.99, 1200 JPY -> 1200). */
export function majorUnits(minor: number, currency: string): number {
  const exponent = currencyDigits(currency);
  return Number((minor / 10 ** exponent).toFixed(exponent));
}

function orderFields(order: FlowOrder) {
  return { order_id: orderIdFromGid(order.gid), "Order name": order.name ?? "" };
}

function paymentFields(payment: FlowPayment) {
  return {
    "Payment ID": payment.ckoPaymentId,
    Amount: majorUnits(payment.amount, payment.currency),
    Currency: payment.currency,
  };
}

export function paymentFlaggedPayload(input: {
  order: FlowOrder;
  payment: FlowPayment & { riskScore: number | null; riskFlagged: boolean };
  held: boolean;
  rulesMatched: string[];
  reviewUrl: string;
}): FlowPayload {
  return {
    ...orderFields(input.order),
    ...paymentFields(input.payment),
    "Risk score": input.payment.riskScore ?? 0,
    "Risk flagged": input.payment.riskFlagged,
    "Fulfillment held": input.held,
    "Rules matched": input.rulesMatched.join("; "),
    "Review URL": input.reviewUrl,
  };
}

export function paymentUnmatchedPayload(input: {
  payment: FlowPayment & { riskScore: number | null; riskFlagged: boolean; reference: string | null; customerEmail: string | null };
  reviewUrl: string;
}): FlowPayload {
  return {
    ...paymentFields(input.payment),
    "Payment reference": input.payment.reference ?? "",
    "Customer email": input.payment.customerEmail ?? "",
    "Risk score": input.payment.riskScore ?? 0,
    "Risk flagged": input.payment.riskFlagged,
    "Order matched": false,
    "Review URL": input.reviewUrl,
  };
}

type DeclinedStep = "authorization" | "capture";

export function paymentDeclinedPayload(input: {
  order: FlowOrder;
  payment: FlowPayment;
  step: DeclinedStep;
  declineClass: "soft" | "hard" | "risk";
  reason: string;
  responseCode: string | null;
}): FlowPayload {
  return {
    ...orderFields(input.order),
    ...paymentFields(input.payment),
    "Declined step": input.step,
    "Decline class": input.declineClass,
    Reason: input.reason,
    "Response code": input.responseCode ?? "",
  };
}

/**
 * Decline recovery: a checkout whose payment was soft-declined and that no order followed. No order
 * to refer to, so the customer's email and the checkout's recovery URL (empty when Shopify has no
 * abandoned checkout for it) are what Flow acts on.
 */
export function checkoutPaymentDeclinedPayload(input: {
  payment: FlowPayment & { customerEmail: string };
  recoveryUrl: string | null;
  reason: string;
  suggestion: DeclineSuggestion;
}): FlowPayload {
  return {
    "Customer email": input.payment.customerEmail,
    "Recovery URL": input.recoveryUrl ?? "",
    ...paymentFields(input.payment),
    "Decline class": "soft",
    Reason: input.reason,
    "Suggested action": input.suggestion,
    Suggestion: SUGGESTION_WORDS[input.suggestion],
  };
}

export function refundProcessedPayload(input: {
  order: FlowOrder;
  payment: FlowPayment & { capturedAmount: number; refundedAmount: number };
  refundAmount: number;
}): FlowPayload {
  const { payment } = input;
  const refundable = payment.capturedAmount > 0 ? payment.capturedAmount : payment.amount;
  return {
    ...orderFields(input.order),
    "Payment ID": payment.ckoPaymentId,
    "Refund amount": majorUnits(input.refundAmount, payment.currency),
    "Total refunded": majorUnits(payment.refundedAmount, payment.currency),
    Currency: payment.currency,
    "Fully refunded": payment.refundedAmount >= refundable,
  };
}

export interface FlowDispute {
  ckoDisputeId: string;
  ckoPaymentId: string | null;
  amount: number;
  currency: string;
  category: string | null;
}

function disputeFields(dispute: FlowDispute) {
  return {
    "Dispute ID": dispute.ckoDisputeId,
    "Payment ID": dispute.ckoPaymentId ?? "",
    Amount: majorUnits(dispute.amount, dispute.currency),
    Currency: dispute.currency,
    Category: dispute.category ?? "",
  };
}

export function disputeOpenedPayload(input: {
  order: FlowOrder;
  dispute: FlowDispute & { reasonCode: string | null; evidenceRequiredBy: Date | null };
  disputeUrl: string;
}): FlowPayload {
  return {
    ...orderFields(input.order),
    ...disputeFields(input.dispute),
    "Reason code": input.dispute.reasonCode ?? "",
    "Evidence due": input.dispute.evidenceRequiredBy?.toISOString() ?? "",
    "Dispute URL": input.disputeUrl,
  };
}

/**
 * The reminder that a dispute's evidence is due soon, sent once per deadline. `Hours left`: whole
 * hours until the deadline when it is sent, rounded down so it never promises more time than there is.
 */
export function disputeEvidenceDuePayload(input: {
  order: FlowOrder;
  dispute: Omit<FlowDispute, "ckoPaymentId"> & { evidenceRequiredBy: Date };
  now: Date;
  disputeUrl: string;
}): FlowPayload {
  const { dispute } = input;
  return {
    ...orderFields(input.order),
    "Dispute ID": dispute.ckoDisputeId,
    Amount: majorUnits(dispute.amount, dispute.currency),
    Currency: dispute.currency,
    Reason: dispute.category ?? "",
    "Evidence due": dispute.evidenceRequiredBy.toISOString(),
    "Hours left": Math.max(0, Math.floor((dispute.evidenceRequiredBy.getTime() - input.now.getTime()) / 3_600_000)),
    "Dispute URL": input.disputeUrl,
  };
}

/** How a decided dispute ended for the merchant, or null while it is not decided. */
export function disputeOutcome(status: string): "won" | "lost" | null {
  // Canceled (the issuer withdrew) and resolved (a retrieval closed without a chargeback) leave the
  // money with the merchant; accepting or letting the deadline pass loses it.
  if (["won", "arbitration_won", "canceled", "resolved"].includes(status)) return "won";
  if (["lost", "arbitration_lost", "accepted", "expired"].includes(status)) return "lost";
  return null;
}

export function disputeClosedPayload(input: { order: FlowOrder; dispute: FlowDispute; outcome: "won" | "lost" }): FlowPayload {
  return {
    ...orderFields(input.order),
    ...disputeFields(input.dispute),
    Outcome: input.outcome,
    Won: input.outcome === "won",
  };
}
