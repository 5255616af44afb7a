// What GET /api/order-block/:orderId answers: the Checkout.com side of one Shopify order, for the
// order page block (extensions/checkout-order-block). Types only, shared by the route and the block.

export interface OrderBlockHold {
  id: string;
  /** pending | held | monitored | released | canceled | failed */
  status: string;
  /** The rules the payment matched, in words. */
  ruleHits: string[];
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

export interface OrderBlockPayment {
  ckoPaymentId: string;
  status: string;
  amount: number;
  currency: string;
  capturedAmount: number;
  refundedAmount: number;
  riskScore: number | null;
  /** What Checkout.com's checks said, in words ("Flagged by Checkout.com risk checks"). */
  riskFlags: string[];
  /** Why it was declined, when it was. */
  decline: { class: "soft" | "hard" | "risk" | null; reason: string } | null;
  hold: OrderBlockHold | null;
  disputes: OrderBlockDispute[];
}

export interface OrderBlockData {
  orderGid: string;
  /** Newest first. */
  payments: OrderBlockPayment[];
}
