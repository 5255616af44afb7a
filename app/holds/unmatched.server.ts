// Risky payments no order was found for: Checkout.com flagged them, or the shop's rules would hold
// them, but matching never found their Shopify order, so nothing could be held. They wait in the review
// queue's Unmatched tab with candidate orders from the order index (same email, or same amount and
// currency, around the payment's time); a reviewer links one by hand (audited), and the payment is
// reviewed at once: held if the rules say so.
import type { Payment } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import { formatMoney } from "../lib/money";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";
import { adminApi, ShopifyApiError } from "../shopify/admin-api.server";
import { eventFactsByPayment, orderByReference, storeOrderLink } from "./matching.server";
import type { OrderCandidate } from "./matching";
import { RULE_LABELS } from "./queue.server";
import { REVIEWABLE_STATUSES, reviewPayment } from "./review.server";
import type { Reviewer } from "./review-actions.server";
import { evaluateRisk } from "./rules";
import { listEntriesFor, rulesConfigOf } from "./rules-settings.server";
import { HoldBusyError, riskFactsOf } from "./holds.server";
import { cardLabel } from "../payments/card";

/** How far around the payment's time candidate orders are looked for. */
const CANDIDATE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Unlinked payments looked at, newest first; older ones are past any shipping decision. */
const LOOK_BACK_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_LISTED = 100;

export interface UnmatchedPayment {
  id: string;
  ckoPaymentId: string;
  amount: string;
  customerEmail: string | null;
  card: string | null;
  reference: string | null;
  riskScore: number | null;
  /** Why it is risky: Checkout.com's flag and the rules that would fire. */
  reasons: string[];
  /** ISO time the payment was made. */
  paidAt: string;
  /** Whether matching still looks for its order (false: it gave up). */
  stillLooking: boolean;
  candidates: Array<{ gid: string; name: string; total: string; email: string | null; createdAt: string; why: string }>;
}

const paidAt = (p: Payment) => p.processedOn ?? p.createdAt;

/** The shop's risky payments without an order (at most MAX_LISTED), and why each is risky. */
async function unmatchedRisky(shopId: string, now: Date): Promise<Array<{ payment: Payment; reasons: string[] }>> {
  const [payments, rules, entries] = await Promise.all([
    db().payment.findMany({
      where: {
        shopId,
        orderLink: null,
        matchStatus: { in: ["pending", "unmatched"] },
        status: { in: [...REVIEWABLE_STATUSES] },
        createdAt: { gte: new Date(now.getTime() - LOOK_BACK_MS) },
      },
      orderBy: { createdAt: "desc" },
      take: 2000,
    }),
    db().riskRules.findUnique({ where: { shopId } }),
    listEntriesFor(shopId),
  ]);
  const config = rulesConfigOf(rules);
  // The IP's country is read from the payments' events (one statement), only when a rule compares it.
  const facts = config.holdOnIpCountryMismatch
    ? await eventFactsByPayment(
        shopId,
        payments.map((p) => p.ckoPaymentId),
      )
    : null;
  const risky: Array<{ payment: Payment; reasons: string[] }> = [];
  for (const payment of payments) {
    const ipCountry = facts?.get(payment.ckoPaymentId)?.ipCountry ?? null;
    const decision = evaluateRisk(riskFactsOf(payment, ipCountry), config, entries);
    const ruleReasons = decision.action === "hold" || decision.action === "monitor" ? decision.hits.map((h) => RULE_LABELS[h.rule]) : [];
    if (!payment.riskFlagged && ruleReasons.length === 0) continue;
    risky.push({ payment, reasons: [...new Set([...(payment.riskFlagged ? [RULE_LABELS.flagged] : []), ...ruleReasons])] });
    if (risky.length >= MAX_LISTED) break;
  }
  return risky;
}

/** How many risky payments wait for their order (the review queue's and Home's alert). */
export async function countUnmatchedRisky(shopId: string, now = new Date()): Promise<number> {
  return (await unmatchedRisky(shopId, now)).length;
}

/** The shop's risky payments without an order, oldest first (the longest wait on top), with candidate orders. */
export async function listUnmatchedRisky(shopId: string, now = new Date()): Promise<UnmatchedPayment[]> {
  const risky = await unmatchedRisky(shopId, now);
  const candidates = await Promise.all(risky.map(({ payment }) => candidateOrders(payment)));
  // An order another payment is linked to is no candidate.
  const gids = [...new Set(candidates.flat().map((o) => o.gid))];
  const linked = new Set((await db().orderLink.findMany({ where: { shopId, orderGid: { in: gids } }, select: { orderGid: true } })).map((l) => l.orderGid));
  const listed = risky.map(({ payment, reasons }, i) => ({
    id: payment.id,
    ckoPaymentId: payment.ckoPaymentId,
    amount: formatMoney(payment.amount, payment.currency),
    customerEmail: payment.customerEmail,
    card: cardLabel(payment.cardScheme, payment.cardLast4),
    reference: payment.reference,
    riskScore: payment.riskScore,
    reasons,
    paidAt: paidAt(payment).toISOString(),
    stillLooking: payment.matchStatus === "pending",
    candidates: candidates[i].filter((o) => !linked.has(o.gid)),
  }));
  return listed.sort((a, b) => a.paidAt.localeCompare(b.paidAt));
}

/** Orders around the payment's time with its email, or with its amount and currency. */
async function candidateOrders(payment: Payment): Promise<UnmatchedPayment["candidates"]> {
  const at = paidAt(payment).getTime();
  const createdAt = { gte: new Date(at - CANDIDATE_WINDOW_MS), lte: new Date(at + CANDIDATE_WINDOW_MS) };
  const email = payment.customerEmail?.trim().toLowerCase() || null;
  const orders = await db().indexedOrder.findMany({
    where: {
      shopId: payment.shopId,
      createdAt,
      OR: [...(email ? [{ email }] : []), { currency: payment.currency, total: payment.amount }],
    },
    orderBy: { createdAt: "asc" },
    take: 10,
  });
  return orders.map((o) => {
    const sameEmail = email !== null && o.email === email;
    const sameAmount = o.currency === payment.currency && o.total === payment.amount;
    return {
      gid: o.orderGid,
      name: o.name,
      total: o.total === null ? o.currency : formatMoney(o.total, o.currency),
      email: o.email,
      createdAt: o.createdAt.toISOString(),
      why: [sameEmail && "same email", sameAmount && "same amount and currency"].filter(Boolean).join(", "),
    };
  });
}

export type LinkResult = { ok: true; message: string } | { ok: false; message: string; notFound?: boolean };

/**
 * Links a payment to an order by hand ("#1001", the order number or its id), audited, then reviews
 * the payment at once. Refused for another shop's payment or order, a payment already linked or
 * decided, and an order already linked to another payment.
 */
export async function linkPaymentByHand(reviewer: Reviewer, paymentId: string, orderReference: string): Promise<LinkResult> {
  const { shopId } = reviewer;
  const payment = await db().payment.findFirst({ where: { id: paymentId, shopId }, include: { orderLink: true, hold: true } });
  const result = await (async (): Promise<LinkResult & { orderGid?: string }> => {
    if (!payment) return { ok: false, notFound: true, message: "This payment does not exist in this shop." };
    if (payment.orderLink) return { ok: false, message: `This payment is already linked to ${payment.orderLink.orderName ?? "an order"}.` };
    if (payment.hold) return { ok: false, message: "This payment's risk decision was already made." };
    const api = reviewer.api ?? adminApi(reviewer.shop);
    let order: OrderCandidate | null;
    try {
      order = await orderByReference(shopId, api, orderReference);
    } catch (error) {
      if (!(error instanceof ShopifyApiError)) throw error;
      return { ok: false, message: `Shopify could not be asked for the order (${error.message}). Nothing was linked; try again.` };
    }
    if (!order) return { ok: false, message: `No order ${orderReference.trim()} was found in this shop.` };
    const taken = await db().orderLink.findFirst({ where: { shopId, orderGid: order.gid } });
    if (taken) return { ok: false, message: `${order.name} is already linked to another payment.` };
    const { link, created } = await storeOrderLink(shopId, payment.id, { order, matchedBy: "manual", confidence: "strong", needsReview: false });
    // Another request linked it first (a double click, another reviewer): theirs stands and reviews it.
    if (!created) return { ok: false, message: `This payment was just linked to ${link.orderName ?? "an order"} by another request.` };
    let what: string;
    try {
      const outcome = await reviewPayment(shopId, payment.id, { api });
      what =
        outcome === "held"
          ? "The order is held for review."
          : outcome === "monitored"
            ? "The rules would hold it (monitor-only)."
            : "The rules do not hold it.";
    } catch (error) {
      // The worker's review of the same payment is placing the hold right now: it finishes it.
      if (error instanceof HoldBusyError) what = "The hold is being placed in Shopify.";
      else if (error instanceof ShopifyApiError) {
        // The link stands; the review is retried by the worker like any other (durable, with backoff).
        await enqueueJob(shopId, JOB_KINDS.paymentReview, `${payment.id}:linked-by-hand`, { paymentId: payment.id }, { priority: 1 });
        what = `Shopify did not answer (${error.message}); the review is retried in the background.`;
      } else throw error;
    }
    return { ok: true, orderGid: order.gid, message: `Linked to ${order.name}. ${what}` };
  })();
  await audit({
    shopId,
    actor: reviewer.actor,
    source: "admin",
    action: "payment.link",
    paymentId: payment?.id ?? null,
    orderGid: result.orderGid ?? null,
    details: { paymentId, order: orderReference, message: result.message },
    result: result.ok ? "ok" : "error",
    error: result.ok ? null : result.message,
  });
  return result.ok ? { ok: true, message: result.message } : { ok: false, message: result.message, notFound: result.notFound };
}
