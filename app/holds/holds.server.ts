// Hold decisions and putting them into Shopify. A payment gets at most one Hold row (unique per
// payment), decided once; putting it into Shopify is a series of steps each safe to repeat, with
// progress remembered on the row (shopifyHoldIds, riskAssessmentDone, tagged), so retries and
// concurrent workers end with exactly one hold per fulfillment order.
import { randomUUID } from "node:crypto";
import type { Hold, OrderLink, Payment } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { holdLimitReached, holdUsage } from "../billing/billing.server";
import { db, isUniqueViolation, rawSql } from "../db.server";
import { env } from "../env.server";
import { recordActivity } from "../payments/record.server";
import { sleep } from "../lib/retry";
import { queueFlowTrigger } from "../flow/triggers.server";
import { JobMustWait } from "../queue/jobs.server";
import { formatMoney } from "../lib/money";
import { log } from "../log.server";
import { markInsightsStale } from "../insights/stale.server";
import { ShopifyApiError } from "../shopify/admin-api.server";
import { describeHit, threeDsOutcome, type PaymentRiskFacts, type RiskDecision, type RiskHistory, type RuleHit } from "./rules";
import {
  orderHoldState,
  placeFulfillmentHolds,
  recordRiskAssessment,
  releaseFulfillmentHolds,
  tagOrder,
  untagOrder,
  type FulfillmentHoldRef,
  type ShopifyAdmin,
} from "./shopify-orders.server";

/** The tag put on held orders, so merchants can filter them in Shopify. */
export const HOLD_TAG = "checkout-risk-hold";

/** Hold ids, Shopify handles and externalIds are one value: at most 64 characters. */
const holdExternalId = (holdId: string) => `cko-companion-hold-${holdId}`;

/** The marker fact that identifies our risk assessment for a hold. */
const assessmentMarker = (hold: Pick<Hold, "externalId">) => `Checkout.com companion review ${hold.externalId}`;

export function riskFactsOf(payment: Payment, ipCountry: string | null, history: RiskHistory | null = null): PaymentRiskFacts {
  return {
    amount: payment.amount,
    currency: payment.currency,
    riskFlagged: payment.riskFlagged,
    riskScore: payment.riskScore,
    customerEmail: payment.customerEmail,
    ckoCustomerId: payment.ckoCustomerId,
    cardFingerprint: payment.cardFingerprint,
    cardBin: payment.cardBin,
    cardCountry: payment.cardCountry,
    billingCountry: payment.billingCountry,
    shippingCountry: payment.shippingCountry,
    ipCountry,
    avsCheck: payment.avsCheck,
    cvvCheck: payment.cvvCheck,
    threeDs: threeDsOutcome(threeDsOf(payment)),
    history,
  };
}

function threeDsOf(payment: Pick<Payment, "threeDs">): Record<string, unknown> | null {
  if (!payment.threeDs) return null;
  try {
    const parsed: unknown = JSON.parse(payment.threeDs);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const ruleHitsOf = (hold: Pick<Hold, "ruleHits">) => JSON.parse(hold.ruleHits) as RuleHit[];

export const holdRefsOf = (hold: Pick<Hold, "shopifyHoldIds">) => JSON.parse(hold.shopifyHoldIds) as FulfillmentHoldRef[];

export function describeHits(hits: RuleHit[], currency: string): string[] {
  return hits.map((hit) => describeHit(hit, (minor) => formatMoney(minor, currency)));
}

/** A timeline entry for something the app did on its own. */
export const systemAction = () => ({ kind: "action" as const, actor: "system", occurredAt: new Date() });

/**
 * Records the decision to hold (or, in monitor-only mode, that we would have) once per payment.
 * A payment that already has a Hold keeps it: decisions are not re-made on retries. Over its plan's
 * monthly holds (the Free plan's), a shop's hold is recorded as monitored: shown in the queue as one
 * it would have held, never silently dropped. Concurrent decisions may each see the last free one.
 */
export async function recordHoldDecision(
  payment: Payment,
  link: OrderLink,
  decision: Extract<RiskDecision, { hits: RuleHit[] }> & { action: "hold" | "monitor" },
): Promise<Hold> {
  const existing = await db().hold.findUnique({ where: { paymentId: payment.id } });
  if (existing) return existing;
  const id = randomUUID();
  const usage = decision.action === "hold" ? await holdUsage(payment.shopId) : null;
  const overLimit = usage !== null && holdLimitReached(usage);
  const monitor = decision.action === "monitor" || overLimit;
  const reasons = describeHits(decision.hits, payment.currency);
  const planLimit = overLimit ? { plan: usage.plan.id, used: usage.used, limit: usage.limit } : null;
  const wouldHold = overLimit ? `Would hold (${usage.plan.name} plan: ${usage.used} of ${usage.limit} holds used this month)` : "Would hold (monitor-only)";
  try {
    return await db().$transaction(async (tx) => {
      const hold = await tx.hold.create({
        data: {
          id,
          shopId: payment.shopId,
          paymentId: payment.id,
          orderGid: link.orderGid,
          orderName: link.orderName,
          status: monitor ? "monitored" : "pending",
          monitorOnly: monitor,
          ruleHits: JSON.stringify(decision.hits),
          externalId: holdExternalId(id),
        },
      });
      await markInsightsStale(tx, payment.shopId, hold.decidedAt);
      // Shopify Flow (app/flow): "payment flagged", sent once the hold is in Shopify (or monitored).
      await queueFlowTrigger(payment.shopId, "payment_flagged", { holdId: hold.id }, { key: hold.id, tx });
      await recordActivity(tx, payment, {
        ...systemAction(),
        sourceKey: `hold:${hold.id}:decided`,
        type: monitor ? "hold_monitored" : "hold_decided",
        summary: `${monitor ? wouldHold : "Hold decided"}: ${reasons.join("; ")}`,
        details: { holdId: hold.id, hits: decision.hits, ...(planLimit && { planLimit }) },
      });
      await audit(
        {
          shopId: payment.shopId,
          actor: "system",
          source: "system",
          action: monitor ? "hold.monitor" : "hold.decide",
          paymentId: payment.id,
          orderGid: link.orderGid,
          details: { holdId: hold.id, hits: decision.hits, ...(planLimit && { planLimit }) },
          result: "ok",
        },
        tx,
      );
      return hold;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } });
  }
}

/** Statuses in which the app still owes Shopify something. */
export const ACTIVE_HOLD_STATUSES: readonly string[] = ["pending", "held"];

/**
 * Renewed while its holder works (renewHoldLease); a dead worker's claim ends when it runs out.
 * Twice the job lease (2 minutes by default): a job that overran its own lease and was claimed again
 * still finds the hold busy, and a crashed worker's hold is taken over soon after its job.
 */
const applyLeaseMs = () => 2 * env().WORKER_LEASE_SECONDS * 1000;
const LEASE_POLL_MS = 50;

async function systemAudit(hold: Hold, action: string, result: "ok" | "error", details: Record<string, unknown>, error?: string) {
  await audit({
    shopId: hold.shopId,
    actor: "system",
    source: "system",
    action,
    paymentId: hold.paymentId,
    orderGid: hold.orderGid,
    details: { holdId: hold.id, ...details },
    result,
    error,
  });
}

/** A Shopify refusal (not an outage): recorded on the hold instead of retried forever. */
const isRefusal = (error: unknown): error is ShopifyApiError => error instanceof ShopifyApiError && !error.retryable;

/**
 * Puts a decided hold into Shopify: holds every open fulfillment order, records the risk assessment
 * and tags the order. Safe to run again at any point; does nothing for released or canceled holds.
 */
export async function applyHold(api: ShopifyAdmin, holdId: string): Promise<Hold> {
  const hold = await db().hold.findUniqueOrThrow({ where: { id: holdId } });
  if (!ACTIVE_HOLD_STATUSES.includes(hold.status) || (hold.status === "held" && hold.riskAssessmentDone && hold.tagged)) return hold;
  const outcome = await withHoldLease(hold.id, { waitMs: 0 }, async () => {
    // Read again: another worker may have finished steps between our first read and the claim.
    await applyClaimedHold(api, await db().hold.findUniqueOrThrow({ where: { id: hold.id } }));
  });
  if (outcome === HOLD_BUSY) {
    const { leaseExpiresAt } = await db().hold.findUniqueOrThrow({ where: { id: hold.id }, select: { leaseExpiresAt: true } });
    throw new HoldBusyError(hold.id, (leaseExpiresAt?.getTime() ?? 0) - Date.now());
  }
  return db().hold.findUniqueOrThrow({ where: { id: hold.id } });
}

/** How often a job that found its hold busy looks again: a live holder is done in about a second. */
const HOLD_BUSY_POLL_MS = 5_000;
const HOLD_BUSY_MIN_WAIT_MS = 250;

/**
 * Another worker is busy with the hold, or died busy with it and its lease (up to two job leases)
 * has not run out yet. The job waits rather than fails: spending attempts on that wait could
 * dead-letter the review with the hold half placed. It looks again when the lease can have ended,
 * and at least every few seconds in case the holder finishes first.
 */
export class HoldBusyError extends JobMustWait {
  constructor(holdId: string, leaseLeftMs: number) {
    super(
      `Hold ${holdId} is being put into Shopify by another worker`,
      Math.min(HOLD_BUSY_POLL_MS, Math.max(HOLD_BUSY_MIN_WAIT_MS, leaseLeftMs + LEASE_POLL_MS)),
    );
    this.name = "HoldBusyError";
  }
}

export const HOLD_BUSY = Symbol("hold busy");

/**
 * Runs `run` while holding the hold's lease, so placing, releasing and cancelling never interleave
 * (and a risk assessment, which Shopify cannot deduplicate, is recorded once). Waits up to `waitMs`
 * for another holder to finish; returns HOLD_BUSY if it does not. A crashed holder's lease expires.
 */
export async function withHoldLease<T>(holdId: string, options: { waitMs: number }, run: () => Promise<T>): Promise<T | typeof HOLD_BUSY> {
  const giveUpAt = Date.now() + options.waitMs;
  for (;;) {
    const now = new Date();
    const until = new Date(now.getTime() + applyLeaseMs());
    const claim = await db().hold.updateMany({
      where: { id: holdId, OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }] },
      data: { leaseExpiresAt: until },
    });
    if (claim.count === 1) {
      const renewal = renewHoldLease(holdId, until);
      try {
        return await run();
      } finally {
        // Only our own lease: if it ran out and someone else took over, theirs stays.
        const lease = await renewal.stop();
        await db().hold.updateMany({ where: { id: holdId, leaseExpiresAt: lease }, data: { leaseExpiresAt: null } });
      }
    }
    if (Date.now() >= giveUpAt) return HOLD_BUSY;
    await sleep(LEASE_POLL_MS);
  }
}

/**
 * Extends a live holder's lease every third of it, as workers renew their job leases (decision 0006):
 * only a dead holder's lease runs out, so a job waiting for the hold never takes it over while Shopify
 * is slow to answer the holder (two holders would both record the risk assessment). `stop` waits for
 * a renewal in flight and returns the lease's end as it now stands.
 */
function renewHoldLease(holdId: string, claimed: Date) {
  let lease = claimed;
  let inFlight: Promise<void> | null = null;
  const timer = setInterval(() => {
    // A renewal still running skips the beat (as startLeaseRenewal's do), so `stop` has one to wait for.
    inFlight ??= (async () => {
      const next = new Date(Date.now() + applyLeaseMs());
      const { count } = await db().hold.updateMany({ where: { id: holdId, leaseExpiresAt: lease }, data: { leaseExpiresAt: next } });
      if (count === 1) lease = next;
    })()
      .catch((error) => log.warn("holds.lease_not_renewed", { holdId, error }))
      .finally(() => (inFlight = null));
  }, applyLeaseMs() / 3);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
      return lease;
    },
  };
}

async function applyClaimedHold(api: ShopifyAdmin, hold: Hold): Promise<void> {
  if (!ACTIVE_HOLD_STATUSES.includes(hold.status)) return;
  const payment = await db().payment.findUniqueOrThrow({ where: { id: hold.paymentId } });
  const reasons = describeHits(ruleHitsOf(hold), payment.currency);
  const state = await orderHoldState(api, hold.orderGid);
  const fail = async (why: string) => {
    await db().hold.updateMany({ where: { id: hold.id, status: "pending" }, data: { status: "failed" } });
    await systemAudit(hold, "hold.place", "error", {}, why);
  };

  if (hold.status === "pending") {
    let refs: FulfillmentHoldRef[];
    try {
      refs = await placeFulfillmentHolds(
        api,
        { orderGid: hold.orderGid, externalId: hold.externalId, reasonNotes: `Checkout.com risk: ${reasons.join("; ")}` },
        state,
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return fail(error.message);
    }
    if (refs.length === 0) {
      return fail(state.cancelledAt ? "The order is canceled." : "The order has no open fulfillment orders: it may have shipped already.");
    }
    const { count } = await db().hold.updateMany({
      where: { id: hold.id, status: "pending" },
      data: { status: "held", shopifyHoldIds: JSON.stringify(refs), heldAt: new Date() },
    });
    if (count === 0) {
      // A reviewer released or canceled while we were placing: take back what we just placed.
      const now = await db().hold.findUniqueOrThrow({ where: { id: hold.id } });
      if (now.status === "released") await releaseFulfillmentHolds(api, hold.orderGid, hold.externalId, refs);
      return;
    }
    await recordActivity(rawSql(), payment, {
      ...systemAction(),
      sourceKey: `hold:${hold.id}:placed`,
      type: "hold_placed",
      summary: `Fulfillment held in Shopify: ${reasons.join("; ")}`,
      details: { holdId: hold.id, fulfillmentHolds: refs },
    });
    await systemAudit(hold, "hold.place", "ok", { fulfillmentHolds: refs });
  }

  if (!hold.riskAssessmentDone) {
    await shopifyStep(hold, "hold.risk_assessment", async () => {
      await recordRiskAssessment(
        api,
        { orderGid: hold.orderGid, marker: assessmentMarker(hold), riskLevel: "HIGH", facts: reasons, apiKey: env().SHOPIFY_API_KEY },
        state,
      );
      await db().hold.update({ where: { id: hold.id }, data: { riskAssessmentDone: true } });
    });
  }
  if (!hold.tagged) {
    await shopifyStep(hold, "hold.tag", async () => {
      await tagOrder(api, hold.orderGid, HOLD_TAG, state);
      await db().hold.update({ where: { id: hold.id }, data: { tagged: true } });
    });
  }
}

/**
 * A reviewer's decision, recorded on the order in Shopify: a release takes our tag off and leaves a
 * LOW risk assessment saying who cleared the order and why; a cancellation leaves a HIGH one with the
 * reason. Each is recorded once (found again by its marker fact), so a retry or double click adds
 * nothing. A refusal from Shopify is audited and does not undo the decision; an outage throws.
 */
export async function recordReviewDecision(api: ShopifyAdmin, hold: Hold, decision: { kind: "released" | "canceled"; actor: string; why: string }) {
  const state = await orderHoldState(api, hold.orderGid);
  if (decision.kind === "released" && hold.tagged) await shopifyStep(hold, "hold.untag", () => untagOrder(api, hold.orderGid, HOLD_TAG, state));
  const released = decision.kind === "released";
  await shopifyStep(hold, "hold.risk_assessment", () =>
    recordRiskAssessment(
      api,
      {
        orderGid: hold.orderGid,
        marker: `${assessmentMarker(hold)} ${decision.kind}`,
        riskLevel: released ? "LOW" : "HIGH",
        sentiment: released ? "POSITIVE" : "NEGATIVE",
        facts: [`${released ? "Released" : "Canceled"} by ${decision.actor} after a risk review: ${decision.why}`],
        apiKey: env().SHOPIFY_API_KEY,
      },
      state,
    ),
  );
}

/** Risk assessment and tag are extras: a refusal is recorded, an outage retries the job. */
async function shopifyStep(hold: Hold, action: string, run: () => Promise<void>) {
  try {
    await run();
  } catch (error) {
    if (!isRefusal(error)) throw error;
    await systemAudit(hold, action, "error", {}, error.message);
  }
}
