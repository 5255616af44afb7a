// Reviewing a payment, start to finish: apply the shop's rules, find its order (or wait for it),
// record the decision and put the hold into Shopify. A payment event queues the `payment_review` job
// and reviews the payment inside its own transaction (`reviewInEvent`); when that review needs
// Shopify (a hold to place, an order the index lacks, a payment still undecided) it stops, and the
// job does the whole review after the event commits. Retries and `order_created` run it as a job too.
// The order is looked up in the shop's order index; Shopify is read only when the index misses and
// the payment is to be held (the hold must not wait) or on a retry (the order's webhook may be lost).
import type { Hold, Payment } from "@prisma/client";
import { db, rawSql } from "../db.server";
import { transactionReads, type RawSql } from "../lib/prepared-sql.server";
import { selectOne } from "../lib/sql.server";
import { enqueueJob, JOB_KINDS, markJobDone, moveJobAhead, type JobHandler } from "../queue/jobs.server";
import { adminApi } from "../shopify/admin-api.server";
import { queueFlowTrigger } from "../flow/triggers.server";
import { recordActivity } from "../payments/record.server";
import { applyHold, describeHits, recordHoldDecision, riskFactsOf, ruleHitsOf, systemAction } from "./holds.server";
import { nextMatchAttempt } from "./matching";
import { ensureOrderLink, linkWaitingPayments, orderForMatching, paymentEventFacts } from "./matching.server";
import { riskHistory } from "./history.server";
import { cancelHeldOrder } from "./review-actions.server";
import { evaluateRisk, hitsDenyList, needsHistory, type RiskDecision, type RiskRulesConfig } from "./rules";
import { DEFAULT_MATCH_WINDOW_MINUTES, listEntriesFor, rulesConfigOf } from "./rules-settings.server";
import { hasHoldableFulfillment, orderHoldState, type ShopifyAdmin } from "./shopify-orders.server";

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
  | "canceled"
  /** An imported payment the rules would hold, whose order had shipped (or was canceled) already: not held. */
  | "shipped";

/** Payments whose goods may still ship: worth holding. */
export const REVIEWABLE_STATUSES: ReadonlySet<string> = new Set(["Authorized", "Partially Captured", "Captured", "Paid", "Partially Refunded"]);
/** Not decided yet (3-D Secure, risk review at Checkout.com): look again later. */
const UNDECIDED = new Set(["Pending"]);

export interface ReviewOptions {
  api?: ShopifyAdmin;
  now?: Date;
  /** The payment was imported from before the app was connected (app/payments/import.server.ts), not delivered by webhook. */
  imported?: boolean;
}

/**
 * Where the review stopped inside an event's transaction: it needs Shopify, so the job reviews the
 * payment after the transaction commits; `urgent`: a hold is to be placed, so in the priority lane.
 */
type NeedsShopify = { needsShopify: "later" | "urgent" };
const LATER: NeedsShopify = { needsShopify: "later" };
const URGENT: NeedsShopify = { needsShopify: "urgent" };

// Every payment of a sale is reviewed: the reads here are raw statements (lib/sql.server.ts), a
// fraction of what typed queries cost each time they plan themselves.

/** Per transaction: the shop's settings, read once for all the payments of an event batch. */
const readOnce = transactionReads();

/** The shop's domain, or null once the app is uninstalled (nothing can be held then). */
function installedShop(sql: RawSql, shopId: string) {
  return readOnce(sql, `shop:${shopId}`, async () => {
    const shop = await selectOne(sql, "Shop", { id: shopId });
    if (!shop) throw new Error(`Shop ${shopId} not found`);
    return shop.uninstalledAt ? null : shop.domain;
  });
}

/** Who the timeline and the audit log name for an order the deny list canceled. */
export const DENY_LIST_ACTOR = "Checkout.com companion (deny list)";

/**
 * With "cancel on a deny-list hit" on, a held order whose payment hit the deny list is canceled at
 * once (refund or void through the money-action service), as the app. Once: the cancel's idempotency
 * key is the hold's, and a retry of the review comes through here again if a crash came between.
 */
async function cancelIfDenied(shop: { domain: string; api: ShopifyAdmin }, hold: Hold, rules?: RiskRulesConfig): Promise<ReviewOutcome> {
  if (hold.status !== "held" || !hitsDenyList(ruleHitsOf(hold))) return hold.status as ReviewOutcome;
  const config = rules ?? rulesConfigOf(await selectOne(rawSql(), "RiskRules", { shopId: hold.shopId }));
  if (!config.enabled || config.monitorOnly || !config.cancelOnDenyListHit) return "held";
  const reviewer = { shopId: hold.shopId, shop: shop.domain, actor: DENY_LIST_ACTOR, api: shop.api, source: "system" as const };
  const canceled = await cancelHeldOrder(reviewer, hold.id, { reason: "because the payment hit the deny list (canceling those at once is on)" });
  if (!canceled.ok) throw new Error(`Canceling order ${hold.orderName ?? hold.orderGid} on a deny-list hit failed: ${canceled.message}`);
  return "canceled";
}

async function matchWindowMinutes(shopId: string) {
  const [settings] = await rawSql().$queryRaw<
    Array<{ matchWindowMinutes: number }>
  >`SELECT "matchWindowMinutes" FROM "ShopSettings" WHERE "shopId" = ${shopId}`;
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

/**
 * A payment whose order must be found now, even when the order index misses: one Checkout.com flagged,
 * or one the rules would hold (or, monitoring only, would have held). Its hold must be placed within
 * a second; any other payment waits for the index, and asks Shopify from its first retry on.
 */
const isUrgent = (payment: Payment, decision: RiskDecision) => payment.riskFlagged || decision.action === "hold" || decision.action === "monitor";

/** The shop's rules applied to the payment: they need only the database, so they run first and say whether finding the order is urgent. */
async function assessRisk(sql: RawSql, payment: Payment) {
  const { shopId } = payment;
  const [{ config, entries }, { ipCountry, actionIds }] = await Promise.all([
    readOnce(sql, `rules:${shopId}`, async () => {
      const [rules, entries] = await Promise.all([selectOne(sql, "RiskRules", { shopId }), listEntriesFor(shopId, sql)]);
      return { config: rulesConfigOf(rules), entries };
    }),
    paymentEventFacts(shopId, payment.ckoPaymentId, sql),
  ]);
  const history = needsHistory(config)
    ? await riskHistory(
        payment,
        {
          hours: config.velocity.hours,
          velocity: config.velocity.maxPayments !== null || config.velocity.maxCards !== null,
          chargebacks: config.holdOnPriorChargeback,
          refunds: config.holdOnPriorRefund,
        },
        sql,
      )
    : null;
  return { config, actionIds, decision: evaluateRisk(riskFactsOf(payment, ipCountry, history), config, entries) };
}

export async function reviewPayment(shopId: string, paymentId: string, options: ReviewOptions = {}): Promise<ReviewOutcome> {
  const payment = await selectOne(rawSql(), "Payment", { id: paymentId, shopId });
  if (!payment) return "not_found";
  const outcome = await review(payment, options);
  if (typeof outcome !== "string") throw new Error("A review with Shopify at hand stopped for Shopify");
  return outcome;
}

/**
 * Reviews the payment inside the transaction of the event that queued its review (`job`: the key of
 * that `payment_review` job) when the database is all it needs: the order is in the index and the
 * rules hold nothing. Then the job is marked done with the event, and a sale's payments cost no job.
 * Otherwise the job reviews it after the commit, in the priority lane when a hold is to be placed; it
 * cannot miss an order either: one indexed meanwhile is committed by the time the job reads the index.
 */
export async function reviewInEvent(tx: RawSql, payment: Pick<Payment, "id" | "shopId">, job: string): Promise<ReviewOutcome | null> {
  const current = await selectOne(tx, "Payment", { id: payment.id, shopId: payment.shopId });
  // Checkout.com flagged it: it is to be held, which needs Shopify, and its job is in the priority lane already.
  if (!current || current.riskFlagged) return null;
  const outcome = await review(current, { tx });
  if (typeof outcome === "string") {
    await markJobDone(tx, payment.shopId, JOB_KINDS.paymentReview, job, new Date());
    return outcome;
  }
  if (outcome === URGENT) await moveJobAhead(tx, payment.shopId, JOB_KINDS.paymentReview, job);
  return null;
}

/**
 * One review, as a job or (`tx`) inside an event's transaction, where it stops at the first thing
 * that needs Shopify (`NeedsShopify`): every step is the same either way.
 */
async function review(payment: Payment, options: ReviewOptions & { tx?: RawSql }): Promise<ReviewOutcome | NeedsShopify> {
  const now = options.now ?? new Date();
  const { shopId } = payment;
  const sql = options.tx ?? rawSql();
  if (UNDECIDED.has(payment.status)) return options.tx ? LATER : retryLater(payment, now);
  if (!REVIEWABLE_STATUSES.has(payment.status)) return "not_reviewable";

  const domain = await installedShop(sql, shopId);
  if (!domain) return "not_reviewable";
  // No Shopify inside an event's transaction.
  const api = options.tx ? null : (options.api ?? adminApi(domain));
  const existing = await selectOne(sql, "Hold", { paymentId: payment.id });
  if (existing) return api ? cancelIfDenied({ domain, api }, await applyHold(api, existing.id)) : LATER;

  const { config, actionIds, decision } = await assessRisk(sql, payment);
  // An imported payment asks Shopify at once too: it is old, so no order webhook is on its way, and
  // its order may be older than the index (a disputed payment's).
  const askShopify = options.imported || isUrgent(payment, decision) || payment.matchAttempts > 0;
  if (askShopify && !api) return isUrgent(payment, decision) ? URGENT : LATER;
  const link = await ensureOrderLink(payment, { shopify: askShopify ? api : null, actionIds, tx: options.tx });
  if (!link) {
    // Waiting for the order is the job's: its retries are spaced out over the match window.
    if (!api) return LATER;
    // Still no order after Shopify was asked again (the first retry, 30 s on: not an order webhook
    // that is merely late): nothing can be held. The Unmatched tab lists it; Flow hears of it once.
    if (isUrgent(payment, decision) && payment.matchAttempts > 0)
      await queueFlowTrigger(shopId, "payment_unmatched", { paymentId: payment.id }, { key: payment.id });
    return payment.matchStatus === "pending" ? retryLater(payment, now) : "unmatched";
  }

  if (decision.action === "none") return "no_risk";
  if (decision.action === "allow") {
    await recordActivity(sql, payment, {
      ...systemAction(),
      sourceKey: "risk:allowed",
      type: "risk_allowed",
      summary: `Not held: ${decision.allowedBy.kind} ${decision.allowedBy.value} is on the allow list`,
      details: { hits: decision.hits, allowedBy: decision.allowedBy },
    });
    return "allowed";
  }
  if (!api) return URGENT;
  // History (the backfill on connect) is held only while its order has something left to ship: a hold
  // on an order that shipped weeks ago stops nothing, and would only be a failed hold for someone to clear.
  if (options.imported && !hasHoldableFulfillment(await orderHoldState(api, link.orderGid))) {
    await recordActivity(sql, payment, {
      ...systemAction(),
      sourceKey: "risk:not-held-shipped",
      type: "risk_not_held",
      summary: `Not held: imported from Checkout.com after the order had shipped or was canceled (${describeHits(decision.hits, payment.currency).join("; ")})`,
      details: { hits: decision.hits, orderGid: link.orderGid },
    });
    return "shipped";
  }
  const hold = await recordHoldDecision(payment, link, decision);
  if (hold.status === "monitored") return "monitored";
  return cancelIfDenied({ domain, api }, await applyHold(api, hold.id), config);
}

/**
 * A new Shopify order (or new ids on one of its transactions): link the payments waiting for it, then
 * review each at once. The order webhook indexed the order before queueing this, so Shopify is read
 * only when the index lacks it.
 */
export async function reviewNewOrder(shopId: string, orderGid: string, options: ReviewOptions = {}): Promise<string[]> {
  const domain = await installedShop(rawSql(), shopId);
  if (!domain) return [];
  const api = options.api ?? adminApi(domain);
  const order = await orderForMatching(shopId, api, orderGid);
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
  const imported = (job.payload as { imported?: unknown } | null)?.imported === true;
  await reviewPayment(job.shopId, payloadField(job.payload, "paymentId") ?? job.key, { imported });
};

/** `order_created`: payload.orderGid = the order's GID (key: the GID, or `<GID>:transaction:<id>`). */
export const orderCreatedJob: JobHandler = async (job) => {
  await reviewNewOrder(job.shopId, payloadField(job.payload, "orderGid") ?? job.key);
};
