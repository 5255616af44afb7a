// Fires the shop's Shopify Flow triggers. Processing code says what happened, once, inside its own
// transaction: `queueFlowTrigger(shopId, "dispute_opened", { disputeId }, { key, tx })`. That is a
// `flow_trigger` job (unique per trigger and key, so replays queue nothing new, and due at `runAt` when
// the trigger is decided later: checkout-declines.server.ts); the job loads the rows,
// scoped to the shop, builds the payload the trigger's TOML declares and sends flowTriggerReceive
// through the paced Admin API caller. A trigger the merchant did not turn on, or one about a payment
// with no known order (Flow acts on orders; but the two triggers about payments without one), is not sent. Shopify errors fail the job, which retries.
import { z } from "zod";
import { db } from "../db.server";
import type { RawSql } from "../lib/prepared-sql.server";
import { enqueueJob, JOB_KINDS, type JobHandler } from "../queue/jobs.server";
// holds/rules, not holds/holds.server: the holds module queues this module's trigger.
import { describeHit, type RuleHit } from "../holds/rules";
import { formatMoney } from "../lib/money";
import { log } from "../log.server";
import { classifyResponse } from "../payments/declines";
import { adminApi, assertNoUserErrors } from "../shopify/admin-api.server";
import { adminAppUrl } from "../shopify/admin-url";
import { decideCheckoutDecline } from "./checkout-declines.server";
import { enabledFlowTriggers } from "./settings.server";
import {
  FLOW_TRIGGERS,
  FLOW_TRIGGER_NAMES,
  disputeClosedPayload,
  disputeEvidenceDuePayload,
  disputeOpenedPayload,
  disputeOutcome,
  paymentDeclinedPayload,
  paymentFlaggedPayload,
  paymentUnmatchedPayload,
  refundProcessedPayload,
  type FlowOrder,
  type FlowPayload,
  type FlowTrigger,
} from "./triggers";

const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

const text = z.string().nullish();

/** What each trigger needs to know, as queued by the code that saw it happen. */
const factsSchemas = {
  payment_flagged: z.object({ holdId: z.string() }),
  payment_unmatched: z.object({ paymentId: z.string() }),
  /** A payment_declined (authorization) or payment_capture_declined event, with its response. */
  payment_declined: z.object({
    paymentId: z.string(),
    step: z.enum(["authorization", "capture"]),
    responseCode: text,
    responseSummary: text,
  }),
  /** A soft-declined authorization, decided 30 minutes after it (app/payments/record.server). Key: the payment id. */
  checkout_payment_declined: z.object({ paymentId: z.string() }),
  /** `amount`: this refund, in the payment's minor units. */
  refund_processed: z.object({ paymentId: z.string(), amount: z.number().int().nonnegative() }),
  dispute_opened: z.object({ disputeId: z.string() }),
  /** Queued by the hourly dispute-deadline job (app/disputes/deadlines.server), key "<dispute id>:<deadline ISO>". */
  dispute_evidence_due: z.object({ disputeId: z.string() }),
  dispute_closed: z.object({ disputeId: z.string() }),
} satisfies Record<FlowTrigger, z.ZodTypeAny>;

export type FlowFacts = { [T in FlowTrigger]: z.input<(typeof factsSchemas)[T]> };

type SkipReason = "not_found" | "no_order" | "not_applicable" | "recovered" | "superseded";

type FireResult = { fired: true; handle: string; payload: FlowPayload } | { fired: false; reason: "shop_not_found" | "disabled" | SkipReason };

type Built = { payload: FlowPayload } | { skip: SkipReason };

const orderOf = (link: { orderGid: string; orderName: string | null } | null): FlowOrder | null => (link ? { gid: link.orderGid, name: link.orderName } : null);

const builders: { [T in FlowTrigger]: (shop: { id: string; domain: string }, facts: z.output<(typeof factsSchemas)[T]>) => Promise<Built> } = {
  async payment_flagged(shop, { holdId }) {
    const hold = await db().hold.findFirst({ where: { id: holdId, shopId: shop.id }, include: { payment: true } });
    if (!hold) return { skip: "not_found" };
    // Queued with the decision; sent once the hold is in Shopify (or could not be placed), so
    // "Fulfillment held" tells the truth.
    if (hold.status === "pending") throw new Error("The hold is still being placed in Shopify; the trigger waits for it");
    return {
      payload: paymentFlaggedPayload({
        order: { gid: hold.orderGid, name: hold.orderName },
        payment: hold.payment,
        held: hold.status === "held",
        rulesMatched: (JSON.parse(hold.ruleHits) as RuleHit[]).map((hit) => describeHit(hit, (minor) => formatMoney(minor, hold.payment.currency))),
        reviewUrl: adminAppUrl(shop.domain, `/app/holds/${hold.id}`),
      }),
    };
  },

  async payment_unmatched(shop, { paymentId }) {
    const payment = await db().payment.findFirst({ where: { id: paymentId, shopId: shop.id }, include: { orderLink: true } });
    if (!payment) return { skip: "not_found" };
    // Linked (by its order's webhook, or a reviewer) before the trigger went out: nothing to say.
    if (payment.orderLink) return { skip: "not_applicable" };
    return { payload: paymentUnmatchedPayload({ payment, reviewUrl: adminAppUrl(shop.domain, "/app/holds/unmatched") }) };
  },

  async payment_declined(shop, { paymentId, step, responseCode, responseSummary }) {
    const payment = await db().payment.findFirst({ where: { id: paymentId, shopId: shop.id }, include: { orderLink: true } });
    if (!payment) return { skip: "not_found" };
    const order = orderOf(payment.orderLink);
    if (!order) return { skip: "no_order" };
    // The payment row keeps the authorization's response; a capture decline has its own.
    const code = responseCode ?? (step === "authorization" ? payment.responseCode : null);
    const classified = classifyResponse(code, responseSummary ?? (step === "authorization" ? payment.responseSummary : null));
    if (!classified.declineClass) return { skip: "not_applicable" };
    return {
      payload: paymentDeclinedPayload({ order, payment, step, declineClass: classified.declineClass, reason: classified.reason, responseCode: code ?? null }),
    };
  },

  checkout_payment_declined: (shop, { paymentId }) => decideCheckoutDecline(shop, paymentId),

  async refund_processed(shop, { paymentId, amount }) {
    const payment = await db().payment.findFirst({ where: { id: paymentId, shopId: shop.id }, include: { orderLink: true } });
    if (!payment) return { skip: "not_found" };
    const order = orderOf(payment.orderLink);
    if (!order) return { skip: "no_order" };
    return { payload: refundProcessedPayload({ order, payment, refundAmount: amount }) };
  },

  async dispute_opened(shop, { disputeId }) {
    const found = await findDispute(shop.id, disputeId);
    if (!found) return { skip: "not_found" };
    if (!found.order) return { skip: "no_order" };
    return {
      payload: disputeOpenedPayload({
        order: found.order,
        dispute: found.dispute,
        disputeUrl: adminAppUrl(shop.domain, `/app/disputes/${found.dispute.id}`),
      }),
    };
  },

  async dispute_evidence_due(shop, { disputeId }) {
    const found = await findDispute(shop.id, disputeId);
    if (!found) return { skip: "not_found" };
    const { dispute } = found;
    const now = new Date();
    // Answered (by the merchant or automatic submission), closed, or too late since it was queued: no reminder.
    if (dispute.status !== "evidence_required" || dispute.responseState !== "none" || !dispute.evidenceRequiredBy || dispute.evidenceRequiredBy <= now) {
      return { skip: "not_applicable" };
    }
    if (!found.order) return { skip: "no_order" };
    return {
      payload: disputeEvidenceDuePayload({
        order: found.order,
        dispute: { ...dispute, evidenceRequiredBy: dispute.evidenceRequiredBy },
        now,
        disputeUrl: adminAppUrl(shop.domain, `/app/disputes/${dispute.id}`),
      }),
    };
  },

  async dispute_closed(shop, { disputeId }) {
    const found = await findDispute(shop.id, disputeId);
    if (!found) return { skip: "not_found" };
    const outcome = disputeOutcome(found.dispute.status);
    if (!outcome) return { skip: "not_applicable" };
    if (!found.order) return { skip: "no_order" };
    return { payload: disputeClosedPayload({ order: found.order, dispute: found.dispute, outcome }) };
  },
};

/** A dispute and its order: the dispute's own order id, else its payment's. */
async function findDispute(shopId: string, disputeId: string) {
  const dispute = await db().dispute.findFirst({
    where: { id: disputeId, shopId },
    include: { payment: { include: { orderLink: true } } },
  });
  if (!dispute) return null;
  const link = dispute.payment?.orderLink ?? null;
  const gid = dispute.orderGid ?? link?.orderGid ?? null;
  const order: FlowOrder | null = gid ? { gid, name: link?.orderGid === gid ? link.orderName : null } : null;
  return { dispute, order };
}

async function findShop(shop: string) {
  // Shop ids are UUIDs; Shopify domains always contain a dot.
  return db().shop.findUnique({ where: shop.includes(".") ? { domain: shop } : { id: shop } });
}

/** Sends `trigger` to Shopify Flow for the shop (id or domain) now, if the merchant turned it on. */
export async function fireFlowTrigger<T extends FlowTrigger>(shopIdOrDomain: string, trigger: T, facts: FlowFacts[T]): Promise<FireResult> {
  const shop = await findShop(shopIdOrDomain);
  if (!shop || shop.uninstalledAt) return { fired: false, reason: "shop_not_found" };
  const { handle } = FLOW_TRIGGERS[trigger];
  if (!(await enabledFlowTriggers(shop.id)).includes(handle)) return { fired: false, reason: "disabled" };

  const parsed = factsSchemas[trigger].parse(facts);
  const built = await (builders[trigger] as (s: typeof shop, f: typeof parsed) => Promise<Built>)(shop, parsed);
  if ("skip" in built) {
    log.info("flow.trigger_skipped", { shopId: shop.id, trigger, reason: built.skip });
    return { fired: false, reason: built.skip };
  }
  const data = await adminApi(shop.domain).request(FLOW_TRIGGER_RECEIVE, { handle, payload: built.payload });
  assertNoUserErrors("flowTriggerReceive", data?.flowTriggerReceive);
  log.info("flow.trigger_fired", { shopId: shop.id, trigger, handle });
  return { fired: true, handle, payload: built.payload };
}

/**
 * Queues `trigger` to be sent once per `key` (an event id, hold id, ...), at `runAt` (default now).
 * Pass the caller's `tx` so the trigger is queued exactly when its cause commits. Nothing is queued
 * while the trigger is off.
 */
export async function queueFlowTrigger<T extends FlowTrigger>(
  shopId: string,
  trigger: T,
  facts: FlowFacts[T],
  options: { key: string; tx?: RawSql; runAt?: Date },
): Promise<void> {
  if (!(await enabledFlowTriggers(shopId, options.tx)).includes(FLOW_TRIGGERS[trigger].handle)) return;
  await enqueueJob(shopId, JOB_KINDS.flowTrigger, `${trigger}:${options.key}`, { trigger, facts }, { tx: options.tx, runAt: options.runAt });
}

const jobPayload = z.object({ trigger: z.enum(FLOW_TRIGGER_NAMES as [FlowTrigger, ...FlowTrigger[]]), facts: z.unknown() });

/** `flow_trigger`: key `<trigger>:<cause>`, payload { trigger, facts }. */
export const flowTriggerJob: JobHandler = async (job) => {
  const { trigger, facts } = jobPayload.parse(job.payload);
  await fireFlowTrigger(job.shopId, trigger, factsSchemas[trigger].parse(facts) as FlowFacts[typeof trigger]);
};
