// Decline recovery: the "checkout payment declined" trigger for a soft-declined checkout that no order
// followed. Each soft authorization decline queues it for 30 minutes later (a declined customer often
// tries again at once); what to do is decided then, from what happened meanwhile:
//   - the payment, or a later one of the same customer, was approved or got an order: recovered;
//   - the customer was declined again later: that decline's own trigger speaks for the checkout, so
//     several declines of one checkout send once (Shopify's payment id, the payment's reference, is
//     new for every attempt, so it cannot tell a checkout's attempts apart; the customer can);
//   - hard and risk declines never send, nor a decline without an email or one seen too late.
// The recovery URL is that of the customer's newest abandoned checkout in Shopify created before the
// decline (abandonedCheckouts cannot be searched by email: its query has no email field).
import { db } from "../db.server";
import { classifyResponse, declineSuggestion } from "../payments/declines";
import { adminApi } from "../shopify/admin-api.server";
import { checkoutPaymentDeclinedPayload, type FlowPayload } from "./triggers";

/** How long a declined customer has to try again before the trigger is decided. */
const CHECKOUT_DECLINE_WAIT_MS = 30 * 60_000;
/** A decline older than this when its turn comes (a redelivery of old events) gets no recovery message. */
const STALE_AFTER_MS = 24 * 3_600_000;
/** How far back a checkout may have been started before its decline. */
const CHECKOUT_LOOKBACK_MS = 24 * 3_600_000;
/** Events of one customer's attempts may be recorded out of order: later attempts are looked for from this far before. */
const RECORDING_SLACK_MS = 3_600_000;

/** Statuses only an approved payment reaches (app/payments/status.ts). */
const APPROVED_STATUSES = new Set(["Authorized", "Partially Captured", "Captured", "Paid", "Partially Refunded", "Refunded", "Returned", "Voided"]);

const ABANDONED_CHECKOUTS_QUERY = `#graphql
  query DeclineRecoveryCheckouts($query: String!) {
    abandonedCheckouts(first: 50, query: $query, sortKey: CREATED_AT, reverse: true) {
      nodes {
        id
        abandonedCheckoutUrl
        createdAt
        completedAt
        customer {
          defaultEmailAddress {
            emailAddress
          }
        }
      }
    }
  }
`;

/** When the trigger for a decline at `declinedAt` is decided. */
export const checkoutDeclineDue = (declinedAt: Date) => new Date(declinedAt.getTime() + CHECKOUT_DECLINE_WAIT_MS);

type CheckoutDeclineDecision = { payload: FlowPayload } | { skip: "not_found" | "not_applicable" | "recovered" | "superseded" };

const searchTime = (ms: number) => `'${new Date(ms).toISOString()}'`;

/**
 * The customer's checkout in Shopify for a decline at `declinedAt`: the newest one created before it
 * (with a few minutes for clocks), or null. `recovered` when that checkout was completed after the decline.
 */
async function abandonedCheckout(shopDomain: string, email: string, declinedAt: number) {
  const query = `created_at:>=${searchTime(declinedAt - CHECKOUT_LOOKBACK_MS)} created_at:<=${searchTime(declinedAt + 5 * 60_000)}`;
  const data = await adminApi(shopDomain).request(ABANDONED_CHECKOUTS_QUERY, { query });
  const theirs = (data?.abandonedCheckouts.nodes ?? []).filter(
    (c) => c.customer?.defaultEmailAddress?.emailAddress?.toLowerCase() === email && (!c.completedAt || Date.parse(c.completedAt) >= declinedAt),
  );
  const newest = theirs[0];
  return newest ? { url: String(newest.abandonedCheckoutUrl), recovered: newest.completedAt !== null } : null;
}

/** Decides the trigger for the soft-declined payment `paymentId` of `shop`, now. */
export async function decideCheckoutDecline(shop: { id: string; domain: string }, paymentId: string, now = new Date()): Promise<CheckoutDeclineDecision> {
  const payment = await db().payment.findFirst({ where: { id: paymentId, shopId: shop.id }, include: { orderLink: true } });
  if (!payment) return { skip: "not_found" };
  const suggestion = declineSuggestion(payment.responseCode);
  const declinedAt = (payment.processedOn ?? payment.createdAt).getTime();
  const email = payment.customerEmail?.trim().toLowerCase();
  if (!suggestion || !email || now.getTime() - declinedAt > STALE_AFTER_MS) return { skip: "not_applicable" };
  if (payment.orderLink || APPROVED_STATUSES.has(payment.status)) return { skip: "recovered" };

  const others = await db().payment.findMany({
    where: {
      shopId: shop.id,
      id: { not: payment.id },
      OR: [{ customerEmail: email }, ...(payment.reference ? [{ reference: payment.reference }] : [])],
      createdAt: { gte: new Date(declinedAt - RECORDING_SLACK_MS) },
    },
    select: { status: true, processedOn: true, createdAt: true, orderLink: { select: { id: true } } },
  });
  // At the same moment (times to the second), the one recorded later counts as later.
  const later = others.filter((p) => {
    const at = (p.processedOn ?? p.createdAt).getTime();
    return at > declinedAt || (at === declinedAt && p.createdAt > payment.createdAt);
  });
  if (later.some((p) => p.orderLink || APPROVED_STATUSES.has(p.status))) return { skip: "recovered" };
  if (later.some((p) => p.status === "Declined")) return { skip: "superseded" };

  const checkout = await abandonedCheckout(shop.domain, email, declinedAt);
  // Completed in Shopify after the decline: paid some other way (another gateway, a wallet).
  if (checkout?.recovered) return { skip: "recovered" };
  return {
    payload: checkoutPaymentDeclinedPayload({
      payment: { ...payment, customerEmail: email },
      recoveryUrl: checkout?.url ?? null,
      reason: classifyResponse(payment.responseCode, payment.responseSummary).reason,
      suggestion,
    }),
  };
}
