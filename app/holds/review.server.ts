// Reviewing a payment, start to finish: find its order (or wait for it), apply the shop's rules,
// record the decision and put the hold into Shopify. Runs as the `payment_review` job (enqueued for
// every processed payment event, and by this module for retries) and from `order_created`.
import type { Payment } from "@prisma/client";
import { db } from "../db.server";
import { enqueueJob, JOB_KINDS, type JobHandler } from "../events/jobs.server";
import { adminApi } from "../shopify/admin-api.server";
import { recordActivity } from "../payments/record.server";
import { applyHold, recordHoldDecision, riskFactsOf, systemAction } from "./holds.server";
import { nextMatchAttempt } from "./matching";
import { ensureOrderLink, linkWaitingPayments, paymentEventFacts } from "./matching.server";
import { evaluateRisk } from "./rules";
import { DEFAULT_MATCH_WINDOW_MINUTES, listEntriesFor, rulesConfigOf } from "./rules-settings.server";
import { findCandidateOrders, type ShopifyAdmin } from "./shopify-orders.server";

export type ReviewOutcome =
  | "not_found"
  | "not_reviewable"
  | "waiting"
  | "unmatched"
  | "no_risk"
  | "allowed"
  | "monitored"
  | "pending"
  | "held"
  | "failed"
  | "released"
  | "canceled";

/** Payments whose goods may still ship: worth holding. */
const REVIEWABLE = new Set(["Authorized", "Partially Captured", "Captured", "Paid", "Partially Refunded"]);
/** Not decided yet (3-D Secure, risk review at Checkout.com): look again later. */
const UNDECIDED = new Set(["Pending"]);

export interface ReviewOptions {
  api?: ShopifyAdmin;
  now?: Date;
}

/** The shop's Admin API, or null once the app is uninstalled (nothing can be held then). */
async function shopApi(shopId: string, options: ReviewOptions) {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId } });
  if (shop.uninstalledAt) return null;
  return options.api ?? adminApi(shop.domain);
}

async function matchWindowMinutes(shopId: string) {
  const settings = await db().shopSettings.findUnique({ where: { shopId } });
  return settings?.matchWindowMinutes ?? DEFAULT_MATCH_WINDOW_MINUTES;
}

/** Looks again later with backoff while the match window lasts; then gives up (unmatched). */
async function retryLater(payment: Payment, now: Date): Promise<"waiting" | "unmatched"> {
  const next = nextMatchAttempt(payment.matchAttempts, payment.processedOn ?? payment.createdAt, await matchWindowMinutes(payment.shopId), now);
  if (!next) {
    await db().payment.updateMany({ where: { id: payment.id, matchStatus: "pending" }, data: { matchStatus: "unmatched" } });
    return "unmatched";
  }
  const attempt = payment.matchAttempts + 1;
  await db().$transaction(async (tx) => {
    await tx.payment.update({ where: { id: payment.id }, data: { matchAttempts: attempt } });
    // A new key per attempt: the first review's job (key = payment id) is already done.
    await enqueueJob(payment.shopId, JOB_KINDS.paymentReview, `${payment.id}:retry:${attempt}`, { paymentId: payment.id }, { runAt: next, tx });
  });
  return "waiting";
}

export async function reviewPayment(shopId: string, paymentId: string, options: ReviewOptions = {}): Promise<ReviewOutcome> {
  const now = options.now ?? new Date();
  const payment = await db().payment.findFirst({ where: { id: paymentId, shopId } });
  if (!payment) return "not_found";
  if (UNDECIDED.has(payment.status)) return retryLater(payment, now);
  if (!REVIEWABLE.has(payment.status)) return "not_reviewable";

  const api = await shopApi(shopId, options);
  if (!api) return "not_reviewable";
  const existing = await db().hold.findUnique({ where: { paymentId: payment.id } });
  if (existing) return (await applyHold(api, existing.id)).status as ReviewOutcome;

  const link = await ensureOrderLink(api, payment);
  if (!link) return payment.matchStatus === "pending" ? retryLater(payment, now) : "unmatched";

  const [rules, entries, { ipCountry }] = await Promise.all([
    db().riskRules.findUnique({ where: { shopId } }),
    listEntriesFor(shopId),
    paymentEventFacts(shopId, payment.ckoPaymentId),
  ]);
  const decision = evaluateRisk(riskFactsOf(payment, ipCountry), rulesConfigOf(rules), entries);
  if (decision.action === "none") return "no_risk";
  if (decision.action === "allow") {
    await recordActivity(db(), payment, {
      ...systemAction(),
      sourceKey: "risk:allowed",
      type: "risk_allowed",
      summary: `Not held: ${decision.allowedBy.kind} ${decision.allowedBy.value} is on the allow list`,
      details: { hits: decision.hits, allowedBy: decision.allowedBy },
    });
    return "allowed";
  }
  const hold = await recordHoldDecision(payment, link, decision);
  if (hold.status === "monitored") return "monitored";
  return (await applyHold(api, hold.id)).status as ReviewOutcome;
}

/** A new Shopify order: link the payments waiting for it, then review each at once. */
export async function reviewNewOrder(shopId: string, orderGid: string, options: ReviewOptions = {}): Promise<string[]> {
  const api = await shopApi(shopId, options);
  if (!api) return [];
  const [order] = await findCandidateOrders(api, { orderGid });
  if (!order) return [];
  const linked = await linkWaitingPayments(shopId, order, await matchWindowMinutes(shopId), options.now);
  for (const paymentId of linked) await reviewPayment(shopId, paymentId, { ...options, api });
  return linked;
}

const payloadField = (payload: unknown, field: string) =>
  payload && typeof payload === "object" && typeof (payload as Record<string, unknown>)[field] === "string"
    ? ((payload as Record<string, unknown>)[field] as string)
    : null;

/** `payment_review`: key = Payment.id (first review) or `<id>:retry:<n>` with payload { paymentId }. */
export const paymentReviewJob: JobHandler = async (job) => {
  await reviewPayment(job.shopId, payloadField(job.payload, "paymentId") ?? job.key);
};

/** `order_created`: key and payload.orderGid = the order's GID. */
export const orderCreatedJob: JobHandler = async (job) => {
  await reviewNewOrder(job.shopId, payloadField(job.payload, "orderGid") ?? job.key);
};
