// Deciding whether a Shopify order is the one a Checkout.com payment paid for. The ways are tried in
// a fixed order, strongest first: the payment's reference as the order name, the order id or the
// checkout token; then the order's transactions carrying the Checkout.com payment or action id; last,
// the same customer email with the same amount and currency close in time, which is only a guess
// and is marked for a reviewer. Pure: the Shopify lookups live in matching.server.ts.

export type MatchMethod = "reference_name" | "reference_id" | "checkout_token" | "transaction" | "email_amount";

export const MATCH_METHOD_LABELS: Record<MatchMethod | "manual", string> = {
  reference_name: "Payment reference is the order name",
  reference_id: "Payment reference is the order id",
  checkout_token: "Payment reference is the checkout token",
  transaction: "Order transaction carries the Checkout.com payment id",
  email_amount: "Same email, amount and currency around the same time",
  manual: "Linked by hand",
};

/** Orders created this close to the payment may be matched by email and amount. */
export const EMAIL_MATCH_WINDOW_MS = 2 * 60 * 60 * 1000;

export interface PaymentToMatch {
  ckoPaymentId: string;
  /** Action ids of the payment (authorization, captures), which gateways may store instead. */
  actionIds: string[];
  reference: string | null;
  amount: number;
  currency: string;
  customerEmail: string | null;
  occurredAt: Date;
}

export interface OrderCandidate {
  gid: string;
  legacyId: string;
  name: string;
  checkoutToken: string | null;
  email: string | null;
  createdAt: Date;
  /** Total in the presentment currency's minor units. */
  total: number;
  currency: string;
  /** Gateway ids recorded on the order's transactions (paymentId, authorization code, receipt ids). */
  transactionIds: string[];
}

export interface MatchResult {
  order: OrderCandidate;
  /** "manual": a reviewer linked them (app/holds/unmatched.server.ts). */
  matchedBy: MatchMethod | "manual";
  confidence: "strong" | "weak";
  needsReview: boolean;
}

const METHOD_RANK: MatchMethod[] = ["reference_name", "reference_id", "checkout_token", "transaction", "email_amount"];

/** An order name as matching compares it ("#1001", "1001 " → "1001"); the order index stores it so. */
export const orderNameKey = (s: string) => s.trim().replace(/^#/, "").toLowerCase();

/** The first way (in rank order) this order matches this payment, or null. */
export function matchMethod(payment: PaymentToMatch, order: OrderCandidate): MatchMethod | null {
  const reference = payment.reference?.trim();
  if (reference) {
    if (orderNameKey(reference) === orderNameKey(order.name)) return "reference_name";
    if (reference === order.legacyId || reference === order.gid) return "reference_id";
    if (order.checkoutToken && reference === order.checkoutToken) return "checkout_token";
  }
  // The reference, when Checkout.com's Shopify payments app set it, is Shopify's own payment id for the
  // order's transaction (decision 0007).
  const ids = new Set([payment.ckoPaymentId, ...payment.actionIds, ...(reference ? [reference] : [])]);
  if (order.transactionIds.some((id) => ids.has(id))) return "transaction";
  if (
    payment.customerEmail &&
    order.email &&
    payment.customerEmail.trim().toLowerCase() === order.email.trim().toLowerCase() &&
    payment.currency.toUpperCase() === order.currency.toUpperCase() &&
    payment.amount === order.total &&
    Math.abs(order.createdAt.getTime() - payment.occurredAt.getTime()) <= EMAIL_MATCH_WINDOW_MS
  ) {
    return "email_amount";
  }
  return null;
}

/**
 * The best order among candidates: the strongest way wins; among email matches the one closest in
 * time. Two different orders matching the strongest way equally is ambiguous: a weak match to review.
 */
export function bestMatch(payment: PaymentToMatch, candidates: OrderCandidate[]): MatchResult | null {
  const unique = [...new Map(candidates.map((c) => [c.gid, c])).values()];
  const scored = unique
    .map((order) => ({ order, method: matchMethod(payment, order) }))
    .filter((s): s is { order: OrderCandidate; method: MatchMethod } => s.method !== null)
    .sort(
      (a, b) =>
        METHOD_RANK.indexOf(a.method) - METHOD_RANK.indexOf(b.method) ||
        Math.abs(a.order.createdAt.getTime() - payment.occurredAt.getTime()) - Math.abs(b.order.createdAt.getTime() - payment.occurredAt.getTime()),
    );
  const [best, second] = scored;
  if (!best) return null;
  const ambiguous = second !== undefined && second.method === best.method;
  const weak = best.method === "email_amount" || ambiguous;
  return { order: best.order, matchedBy: best.method, confidence: weak ? "weak" : "strong", needsReview: weak };
}

/** When to look again for a payment's order: 30 s doubling to 30 min, never past the window. */
export function nextMatchAttempt(attempt: number, startedAt: Date, windowMinutes: number, now: Date): Date | null {
  const deadline = startedAt.getTime() + windowMinutes * 60_000;
  if (now.getTime() >= deadline) return null;
  const delay = Math.min(30_000 * 2 ** attempt, 30 * 60_000);
  return new Date(Math.min(now.getTime() + delay, deadline));
}
