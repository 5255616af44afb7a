// Whether Checkout.com and the Shopify order agree about one payment's money. Pure: the caller reads both
// sides (the payment and its disputes as Checkout.com's webhooks left them, the order's transactions from
// Shopify) and stores what differs (check.server.ts). Amounts are minor units of the payment's currency.
import type { OrderTransaction } from "../money/shopify-order.server";

export const MISMATCH_KINDS = [
  // Checkout.com refunded more than the order shows (a refund made on the Checkout.com dashboard).
  "refund_missing_in_shopify",
  // The order shows more refunded on this payment than Checkout.com refunded.
  "refunded_not_at_checkout",
  // The order shows a capture Checkout.com did not make.
  "capture_missing_at_checkout",
  // Checkout.com declined the last capture: part of the authorisation is still not collected.
  "capture_declined",
  // Checkout.com captured more than the order shows as received from this payment.
  "captured_not_on_order",
  // The order's currency is not the payment's: no amount can be compared.
  "currency_differs",
  // A chargeback took money back that the order still counts as received.
  "chargeback_not_reflected",
  // The order was paid through Checkout.com's gateway, yet Checkout.com has no such payment (orders-without-payment.server.ts).
  "paid_without_checkout_payment",
] as const;

type MismatchKind = (typeof MISMATCH_KINDS)[number];

export interface Mismatch {
  kind: MismatchKind;
  /** Checkout.com's figure and the order's, and the value at stake (always > 0). */
  checkoutAmount: number | null;
  shopifyAmount: number | null;
  amount: number;
}

/** Checkout.com's view of the payment, from its webhooks. */
export interface CheckoutView {
  currency: string;
  /** The payment's authorised amount. */
  authorised: number;
  captured: number;
  refunded: number;
  /** Its last capture attempt was declined. */
  captureDeclined: boolean;
  /** Disputes that ended with the money taken back (lost, accepted, expired, arbitration lost). */
  chargedBack: number;
}

/** The order's view of the payment, from its transactions. */
export interface OrderView {
  currency: string;
  /** Successful SALE, or CAPTUREs on the payment's authorisation. */
  captured: number;
  /** Successful REFUNDs on this payment's transactions. */
  refunded: number;
  /** Successful REFUNDs on the whole order, on any gateway (how a chargeback is recorded by hand). */
  refundedOnOrder: number;
  /** A capture or refund on this payment still waiting for its gateway: not comparable yet. */
  settling: boolean;
}

/** Dispute statuses after which the scheme has taken the money back for good. */
export const CHARGED_BACK_STATUSES: ReadonlySet<string> = new Set(["lost", "accepted", "expired", "arbitration_lost"]);

const SETTLING: ReadonlySet<string> = new Set(["PENDING", "AWAITING_RESPONSE"]);

/**
 * The order's view of one payment: `root` is the AUTHORIZATION or SALE that carries it
 * (paymentTransaction); its captures and the refunds on either are its money, and so are the refunds
 * this app recorded on the order for it (`recorded`: Checkout.com refunds made outside Shopify,
 * written down on the manual gateway with no parent).
 */
export function orderView(currency: string, transactions: OrderTransaction[], root: OrderTransaction, recorded: ReadonlySet<string> = new Set()): OrderView {
  const captures = transactions.filter((t) => t.kind === "CAPTURE" && t.parentId === root.id);
  const chain = new Set([root.id, ...captures.map((t) => t.id)]);
  const refunds = transactions.filter((t) => t.kind === "REFUND" && ((t.parentId !== null && chain.has(t.parentId)) || recorded.has(t.id)));
  const sum = (list: OrderTransaction[]) => list.filter((t) => t.status === "SUCCESS").reduce((total, t) => total + t.amount, 0);
  return {
    currency,
    captured: root.kind === "SALE" ? root.amount : sum(captures),
    refunded: sum(refunds),
    refundedOnOrder: sum(transactions.filter((t) => t.kind === "REFUND")),
    settling: [...captures, ...refunds].some((t) => SETTLING.has(t.status)),
  };
}

/** What differs, or null while the order is still settling (compare again later). */
export function compareViews(checkout: CheckoutView, order: OrderView): Mismatch[] | null {
  if (order.settling) return null;
  if (checkout.currency.toUpperCase() !== order.currency.toUpperCase()) {
    // At stake: what was collected, or what is authorised when nothing is yet (in the payment's currency).
    const atStake = checkout.captured || checkout.authorised;
    return atStake > 0 ? [{ kind: "currency_differs", checkoutAmount: checkout.captured, shopifyAmount: order.captured, amount: atStake }] : [];
  }
  const found: Mismatch[] = [];
  const differ = (kind: MismatchKind, checkoutAmount: number, shopifyAmount: number, amount: number) => {
    if (amount > 0) found.push({ kind, checkoutAmount, shopifyAmount, amount });
  };
  if (order.captured > checkout.captured) differ("capture_missing_at_checkout", checkout.captured, order.captured, order.captured - checkout.captured);
  else differ("captured_not_on_order", checkout.captured, order.captured, checkout.captured - order.captured);
  if (checkout.captureDeclined) differ("capture_declined", checkout.captured, order.captured, checkout.authorised - checkout.captured);
  if (checkout.refunded > order.refunded) differ("refund_missing_in_shopify", checkout.refunded, order.refunded, checkout.refunded - order.refunded);
  else differ("refunded_not_at_checkout", checkout.refunded, order.refunded, order.refunded - checkout.refunded);
  if (checkout.chargedBack > 0) {
    // Reflected once the order's refunds (any gateway) cover the payment's refunds and the chargeback.
    const unreflected = Math.min(checkout.chargedBack, checkout.refunded + checkout.chargedBack - order.refundedOnOrder);
    differ("chargeback_not_reflected", checkout.chargedBack, Math.max(0, order.refundedOnOrder - checkout.refunded), unreflected);
  }
  return found;
}
