// Risky payments no order was found for: Checkout.com flagged them, or the shop's rules would hold
// them, but matching never found their Shopify order, so nothing could be held. They wait in the review
// queue's Unmatched tab with candidate orders from the order index (same email, or same amount and
// currency, around the payment's time); a reviewer links one by hand (audited), and the payment is
// reviewed at once: held if the rules say so.
import type { Payment } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import { translator } from "../i18n/i18n";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";
import { adminApi, ShopifyApiError } from "../shopify/admin-api.server";
import { eventFactsByPayment, orderByReference, storeOrderLink } from "./matching.server";
import type { OrderCandidate } from "./matching";
import { REVIEWABLE_STATUSES, reviewPayment } from "./review.server";
import type { Reviewer } from "./review-actions.server";
import { evaluateRisk, type RuleId } from "./rules";
import { listEntriesFor, rulesConfigOf } from "./rules-settings.server";
import { HoldBusyError, riskFactsOf } from "./holds.server";

/** How far around the payment's time candidate orders are looked for. */
const CANDIDATE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Unlinked payments looked at, newest first; older ones are past any shipping decision. */
const LOOK_BACK_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_LISTED = 100;

export interface UnmatchedPayment {
  id: string;
  ckoPaymentId: string;
  /** Minor units, in `currency`. */
  amount: number;
  currency: string;
  customerEmail: string | null;
  /** The page names the card ("Visa •••• 4242"). */
  cardScheme: string | null;
  cardLast4: string | null;
  reference: string | null;
  riskScore: number | null;
  /** Why it is risky: Checkout.com's flag and the rules that would fire. */
  reasons: RuleId[];
  /** ISO time the payment was made. */
  paidAt: string;
  /** Whether matching still looks for its order (false: it gave up). */
  stillLooking: boolean;
  /** `total`: minor units in `currency` (null: the order index has no total). `why`: what it shares with the payment. */
  candidates: Array<{
    gid: string;
    name: string;
    total: number | null;
    currency: string;
    email: string | null;
    createdAt: string;
    why: Array<"email" | "amount">;
  }>;
}

const paidAt = (p: Payment) => p.processedOn ?? p.createdAt;

/** The shop's risky payments without an order (at most MAX_LISTED), and why each is risky. */
async function unmatchedRisky(shopId: string, now: Date): Promise<Array<{ payment: Payment; reasons: RuleId[] }>> {
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
  const risky: Array<{ payment: Payment; reasons: RuleId[] }> = [];
  for (const payment of payments) {
    const ipCountry = facts?.get(payment.ckoPaymentId)?.ipCountry ?? null;
    const decision = evaluateRisk(riskFactsOf(payment, ipCountry), config, entries);
    const ruleReasons = decision.action === "hold" || decision.action === "monitor" ? decision.hits.map((h) => h.rule) : [];
    if (!payment.riskFlagged && ruleReasons.length === 0) continue;
    risky.push({ payment, reasons: [...new Set([...(payment.riskFlagged ? (["flagged"] as const) : []), ...ruleReasons])] });
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
    amount: payment.amount,
    currency: payment.currency,
    customerEmail: payment.customerEmail,
    cardScheme: payment.cardScheme,
    cardLast4: payment.cardLast4,
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
      total: o.total,
      currency: o.currency,
      email: o.email,
      createdAt: o.createdAt.toISOString(),
      why: [...(sameEmail ? (["email"] as const) : []), ...(sameAmount ? (["amount"] as const) : [])],
    };
  });
}

/**
 * What linking by hand came to, as a message key of holds:unmatched.link and its values: the page says
 * it in the staff member's language, the audit log in English.
 */
type LinkNotice =
  | { key: "paymentNotFound" | "alreadyDecided" | "alreadyLinkedUnnamed" | "linkedMeanwhileUnnamed"; values?: undefined }
  | { key: "alreadyLinked" | "linkedMeanwhile" | "orderTaken"; values: { order: string } }
  | { key: "orderNotFound"; values: { reference: string } }
  | { key: "shopifyFailed"; values: { error: string } }
  | { key: "linkedHeld" | "linkedMonitored" | "linkedNotHeld" | "linkedPlacing"; values: { order: string } }
  | { key: "linkedRetrying"; values: { order: string; error: string } };

export type LinkResult = { ok: true; message: string; notice: LinkNotice } | { ok: false; message: string; notice: LinkNotice; notFound?: boolean };

const english = translator("en", "holds");
/** A notice with its English message (audited, and the answer's `message`). */
const said = (notice: LinkNotice) => ({ notice, message: english(`unmatched.link.${notice.key}`, notice.values ?? {}) });

/**
 * Links a payment to an order by hand ("#1001", the order number or its id), audited, then reviews
 * the payment at once. Refused for another shop's payment or order, a payment already linked or
 * decided, and an order already linked to another payment.
 */
export async function linkPaymentByHand(reviewer: Reviewer, paymentId: string, orderReference: string): Promise<LinkResult> {
  const { shopId } = reviewer;
  const payment = await db().payment.findFirst({ where: { id: paymentId, shopId }, include: { orderLink: true, hold: true } });
  const result = await (async (): Promise<LinkResult & { orderGid?: string }> => {
    if (!payment) return { ok: false, notFound: true, ...said({ key: "paymentNotFound" }) };
    if (payment.orderLink) {
      const name = payment.orderLink.orderName;
      return { ok: false, ...said(name ? { key: "alreadyLinked", values: { order: name } } : { key: "alreadyLinkedUnnamed" }) };
    }
    if (payment.hold) return { ok: false, ...said({ key: "alreadyDecided" }) };
    const api = reviewer.api ?? adminApi(reviewer.shop);
    let order: OrderCandidate | null;
    try {
      order = await orderByReference(shopId, api, orderReference);
    } catch (error) {
      if (!(error instanceof ShopifyApiError)) throw error;
      return { ok: false, ...said({ key: "shopifyFailed", values: { error: error.message } }) };
    }
    if (!order) return { ok: false, ...said({ key: "orderNotFound", values: { reference: orderReference.trim() } }) };
    const taken = await db().orderLink.findFirst({ where: { shopId, orderGid: order.gid } });
    if (taken) return { ok: false, ...said({ key: "orderTaken", values: { order: order.name } }) };
    const { link, created } = await storeOrderLink(shopId, payment.id, { order, matchedBy: "manual", confidence: "strong", needsReview: false });
    // Another request linked it first (a double click, another reviewer): theirs stands and reviews it.
    if (!created) {
      return { ok: false, ...said(link.orderName ? { key: "linkedMeanwhile", values: { order: link.orderName } } : { key: "linkedMeanwhileUnnamed" }) };
    }
    const values = { order: order.name };
    let notice: LinkNotice;
    try {
      const outcome = await reviewPayment(shopId, payment.id, { api });
      notice = { key: outcome === "held" ? "linkedHeld" : outcome === "monitored" ? "linkedMonitored" : "linkedNotHeld", values };
    } catch (error) {
      // The worker's review of the same payment is placing the hold right now: it finishes it.
      if (error instanceof HoldBusyError) notice = { key: "linkedPlacing", values };
      else if (error instanceof ShopifyApiError) {
        // The link stands; the review is retried by the worker like any other (durable, with backoff).
        await enqueueJob(shopId, JOB_KINDS.paymentReview, `${payment.id}:linked-by-hand`, { paymentId: payment.id }, { priority: 1 });
        notice = { key: "linkedRetrying", values: { ...values, error: error.message } };
      } else throw error;
    }
    return { ok: true, orderGid: order.gid, ...said(notice) };
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
  return result.ok
    ? { ok: true, message: result.message, notice: result.notice }
    : { ok: false, message: result.message, notice: result.notice, notFound: result.notFound };
}
