// What GET /api/order-block/:orderId answers: the Checkout.com side of one Shopify order, for the
// order page block (extensions/checkout-order-block). Types only, shared by the route and the block.
// Facts and codes, never sentences: the block puts them in the staff member's language
// (extensions/checkout-order-block/locales).
import type { RuleHit } from "../holds/rules";
import type { DeclineClass, ReasonSource } from "../payments/declines";

export interface OrderBlockHold {
  id: string;
  /** pending | held | monitored | released | canceled | failed */
  status: string;
  /** The rules the payment matched, with the values that made them fire (a card fingerprint cut to its first 12 characters). */
  ruleHits: RuleHit[];
}

export interface OrderBlockDispute {
  id: string;
  ckoDisputeId: string;
  status: string;
  category: string | null;
  amount: number;
  currency: string;
  /** ISO 8601, or null when Checkout.com gave no deadline. */
  evidenceRequiredBy: string | null;
}

/** What Checkout.com's checks said about a payment. */
export type OrderBlockRiskFlag = "flagged" | "cvv_no_match" | "avs_no_match";

export interface OrderBlockPayment {
  ckoPaymentId: string;
  /** Checkout.com's status name ("Authorized"), as stored. */
  status: string;
  amount: number;
  currency: string;
  capturedAmount: number;
  refundedAmount: number;
  riskScore: number | null;
  riskFlags: OrderBlockRiskFlag[];
  /** Why it was declined, when it was: the decline class and where its reason comes from (a known response code, the class, or Checkout.com's own summary). */
  decline: { class: DeclineClass | null; reason: ReasonSource } | null;
  hold: OrderBlockHold | null;
  disputes: OrderBlockDispute[];
}

export interface OrderBlockData {
  orderGid: string;
  /** Newest first. */
  payments: OrderBlockPayment[];
}
