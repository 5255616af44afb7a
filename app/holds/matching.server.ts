// Linking a payment to its Shopify order: the stored link if there is one, else the strong lookups
// in Shopify, else the weak email + amount lookup. One link per payment, ever (OrderLink.paymentId is
// unique, so two workers racing end up with the same link).
import type { OrderLink, Payment } from "@prisma/client";
import { db, isUniqueViolation } from "../db.server";
import { bestMatch, EMAIL_MATCH_WINDOW_MS, type MatchResult, type OrderCandidate, type PaymentToMatch } from "./matching";
import { findCandidateOrders, type ShopifyAdmin } from "./shopify-orders.server";
import { syncDisputesOfMatchedPayment } from "../disputes/sync.server";

/** What the payment's stored Checkout.com events add: its action ids, and an IP country if given. */
export interface PaymentEventFacts {
  actionIds: string[];
  ipCountry: string | null;
}

/**
 * Reads the payment's events from the inbox. Checkout.com reports the payment IP but not its
 * country; a checkout that knows it (e.g. from a CDN geolocation header) can send it as
 * `metadata.ip_country`, which is the only IP country the rules use.
 */
export async function paymentEventFacts(shopId: string, ckoPaymentId: string): Promise<PaymentEventFacts> {
  return (await eventFactsByPayment(shopId, [ckoPaymentId])).get(ckoPaymentId)!;
}

async function eventFactsByPayment(shopId: string, ckoPaymentIds: string[]): Promise<Map<string, PaymentEventFacts>> {
  // Sorted here, not in SQL: ORDER BY receivedAt makes SQLite walk the (shopId, receivedAt) index over
  // all the shop's events instead of looking up these payments by (shopId, ckoPaymentId).
  const events = (
    await db().webhookEvent.findMany({
      where: { shopId, ckoPaymentId: { in: ckoPaymentIds } },
      select: { ckoPaymentId: true, payload: true, receivedAt: true },
    })
  ).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  const facts = new Map(ckoPaymentIds.map((id) => [id, { actionIds: [] as string[], ipCountry: null as string | null }]));
  for (const { ckoPaymentId, payload } of events) {
    const entry = facts.get(ckoPaymentId!)!;
    let data: { action_id?: unknown; metadata?: { ip_country?: unknown } } | undefined;
    try {
      data = (JSON.parse(payload) as { data?: typeof data }).data;
    } catch {
      continue;
    }
    if (typeof data?.action_id === "string" && !entry.actionIds.includes(data.action_id)) entry.actionIds.push(data.action_id);
    const country = data?.metadata?.ip_country;
    if (typeof country === "string" && /^[A-Za-z]{2}$/.test(country)) entry.ipCountry = country.toUpperCase();
  }
  return facts;
}

export function paymentToMatch(payment: Payment, actionIds: string[]): PaymentToMatch {
  return {
    ckoPaymentId: payment.ckoPaymentId,
    actionIds,
    reference: payment.reference,
    amount: payment.amount,
    currency: payment.currency,
    customerEmail: payment.customerEmail,
    occurredAt: payment.processedOn ?? payment.createdAt,
  };
}

/** Searches Shopify: strong ways first (one request), the weak email way only if they found nothing. */
export async function searchOrderFor(api: ShopifyAdmin, payment: PaymentToMatch): Promise<MatchResult | null> {
  const strong = await findCandidateOrders(api, { reference: payment.reference, ckoPaymentId: payment.ckoPaymentId });
  const found = bestMatch(payment, strong);
  if (found || !payment.customerEmail) return found;
  const at = payment.occurredAt.getTime();
  const weak = await findCandidateOrders(api, {
    email: { address: payment.customerEmail, from: new Date(at - EMAIL_MATCH_WINDOW_MS), to: new Date(at + EMAIL_MATCH_WINDOW_MS) },
  });
  return bestMatch(payment, weak);
}


/** Stores the link once; if another worker stored one first, that one stands. */
export async function saveOrderLink(shopId: string, paymentId: string, match: MatchResult): Promise<OrderLink> {
  try {
    return await db().$transaction(async (tx) => {
      const link = await tx.orderLink.create({
        data: {
          shopId,
          paymentId,
          orderGid: match.order.gid,
          orderName: match.order.name,
          matchedBy: match.matchedBy,
          confidence: match.confidence,
          needsReview: match.needsReview,
        },
      });
      await tx.payment.update({ where: { id: paymentId, shopId }, data: { matchStatus: "matched" } });
      await syncDisputesOfMatchedPayment(tx, shopId, paymentId);
      return link;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db().orderLink.findUniqueOrThrow({ where: { paymentId } });
  }
}

/** The payment's order link: stored, or found in Shopify now (null while the order does not exist). */
export async function ensureOrderLink(api: ShopifyAdmin, payment: Payment): Promise<OrderLink | null> {
  const stored = await db().orderLink.findUnique({ where: { paymentId: payment.id } });
  if (stored && stored.shopId === payment.shopId) return stored;
  const { actionIds } = await paymentEventFacts(payment.shopId, payment.ckoPaymentId);
  const match = await searchOrderFor(api, paymentToMatch(payment, actionIds));
  return match ? saveOrderLink(payment.shopId, payment.id, match) : null;
}

/**
 * A new order may be the one waiting payments were looking for: links every pending payment of the
 * shop (within its match window) that this order matches, and returns their ids.
 */
export async function linkWaitingPayments(shopId: string, order: OrderCandidate, windowMinutes: number, now = new Date()): Promise<string[]> {
  const waiting = await db().payment.findMany({
    where: { shopId, matchStatus: "pending", orderLink: null, createdAt: { gte: new Date(now.getTime() - windowMinutes * 60_000) } },
  });
  const facts = await eventFactsByPayment(shopId, waiting.map((p) => p.ckoPaymentId));
  const linked: string[] = [];
  for (const payment of waiting) {
    const match = bestMatch(paymentToMatch(payment, facts.get(payment.ckoPaymentId)!.actionIds), [order]);
    if (match) {
      await saveOrderLink(shopId, payment.id, match);
      linked.push(payment.id);
    }
  }
  return linked;
}
