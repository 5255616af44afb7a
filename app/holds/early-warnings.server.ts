// The issuer's early warnings: a fraud report (Visa TC40, Mastercard SAFE: Checkout.com's
// `fraud_reported`) or a retrieval request (`payment_retrieval`) often comes days before the
// chargeback, the last cheap moment to stop one. Each warning, once per payment and kind:
//   - holds the order's fulfillment if it has not shipped (the hold queue shows why);
//   - refunds at once a payment up to the merchant's amount (Risk rules → "Refund at once"), through
//     the money-action service: canceling the held order with its refund, or refunding a shipped one;
//   - without a Shopify order, flags the payment, so it waits under Unmatched for a reviewer.
// Monitor-only records what would have been done; rules turned off record the warning only.
import type { Hold, Payment } from "@prisma/client";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { rawSql } from "../db.server";
import { queueFlowTrigger } from "../flow/triggers.server";
import { formatMoney } from "../lib/money";
import { selectOne, updateWhere } from "../lib/sql.server";
import { requestMoneyAction } from "../money/actions.server";
import { recordActivity } from "../payments/record.server";
import type { JobHandler } from "../queue/jobs.server";
import { adminApi } from "../shopify/admin-api.server";
import { ACTIVE_HOLD_STATUSES, applyHold, recordHoldDecision, systemAction } from "./holds.server";
import { ensureOrderLink } from "./matching.server";
import { cancelHeldOrder } from "./review-actions.server";
import { describeHit, type RuleHit } from "./rules";
import { REVIEWABLE_STATUSES } from "./review.server";
import { rulesConfigOf } from "./rules-settings.server";
import type { ShopifyAdmin } from "./shopify-orders.server";

/** Who the timeline and the audit log name for what the app does on a warning. */
export const EARLY_WARNING_ACTOR = "Checkout.com companion (early warning)";

const earlyWarningSchema = z.object({
  paymentId: z.string().min(1),
  type: z.enum(["fraud_reported", "payment_retrieval"]),
  /** The issuer's reason, when the event gives one. */
  reason: z.string().nullish(),
});
export type EarlyWarning = z.infer<typeof earlyWarningSchema>;

export type EarlyWarningOutcome =
  | "not_found"
  | "recorded" // rules off, or the app is uninstalled
  | "unmatched"
  | "held"
  | "refunded"
  | "monitored"
  | "already_decided" // a reviewer released or canceled the order before the warning came
  | "shipped";

export async function actOnEarlyWarning(shopId: string, warning: EarlyWarning, options: { api?: ShopifyAdmin } = {}): Promise<EarlyWarningOutcome> {
  const payment = await selectOne(rawSql(), "Payment", { id: warning.paymentId, shopId });
  if (!payment) return "not_found";
  const hit: RuleHit = { rule: "early_warning", value: warning.type, ...(warning.reason ? { threshold: warning.reason } : {}) };
  const said = (summary: string, outcome: string) =>
    recordActivity(rawSql(), payment, {
      ...systemAction(),
      actor: EARLY_WARNING_ACTOR,
      sourceKey: `early-warning:${warning.type}:${outcome}`,
      type: "early_warning",
      summary,
      details: { warning: warning.type, reason: warning.reason ?? null, outcome },
    });

  // Flagged whatever happens next: it shows among the risky payments (Unmatched, when no order is found).
  if (!payment.riskFlagged) await updateWhere(rawSql(), "Payment", { id: payment.id, shopId }, { riskFlagged: true });
  const [shop, rulesRow] = await Promise.all([selectOne(rawSql(), "Shop", { id: shopId }), selectOne(rawSql(), "RiskRules", { shopId })]);
  const rules = rulesConfigOf(rulesRow);
  if (!shop || shop.uninstalledAt || !rules.enabled) {
    await said(`${describeHit(hit, String)}. Risk rules are off: nothing was held or refunded.`, "recorded");
    return "recorded";
  }
  if (!REVIEWABLE_STATUSES.has(payment.status)) {
    await said(`${describeHit(hit, String)}. The payment is ${payment.status.toLowerCase()}: nothing to hold or refund.`, "recorded");
    return "recorded";
  }
  const api = options.api ?? adminApi(shop.domain);
  const link = await ensureOrderLink(payment, { shopify: api });
  if (!link) {
    await queueFlowTrigger(shopId, "payment_unmatched", { paymentId: payment.id }, { key: payment.id });
    await said(`${describeHit(hit, String)}. No Shopify order is linked: the payment waits under Unmatched in the review queue.`, "unmatched");
    return "unmatched";
  }

  const limit = rules.earlyWarningRefundUpTo[payment.currency.toUpperCase()];
  const refundNow = limit !== undefined && payment.amount <= limit;
  if (rules.monitorOnly) {
    const would = refundNow ? `refunded it (up to ${formatMoney(limit, payment.currency)})` : "held the order";
    await recordHoldDecision(payment, link, { action: "monitor", hits: [hit] });
    await said(`${describeHit(hit, String)}. Monitor only: would have ${would}.`, "monitored");
    return "monitored";
  }

  const hold = await applyHold(api, (await recordHoldDecision(payment, link, { action: "hold", hits: [hit] })).id);
  if (hold.status === "canceled") return "already_decided";
  if (ACTIVE_HOLD_STATUSES.includes(hold.status)) {
    if (!refundNow) return "held";
    const canceled = await cancelHeldOrder({ shopId, shop: shop.domain, actor: EARLY_WARNING_ACTOR, api, source: "system" }, hold.id, {
      reason: `on the issuer's early warning (up to ${formatMoney(limit, payment.currency)} is refunded at once)`,
    });
    if (!canceled.ok) throw new Error(`Canceling order ${hold.orderName ?? hold.orderGid} on an early warning failed: ${canceled.message}`);
    return "refunded";
  }
  // Released by a reviewer before the warning, or nothing left to hold (shipped): the money can still go back.
  if (refundNow) return refundShipped(payment, hold, limit, api);
  const why =
    hold.status === "released"
      ? "The hold was released earlier"
      : hold.status === "monitored"
        ? "Monitor-only mode recorded this payment earlier without holding it"
        : "The order has shipped (nothing left to hold)";
  await said(`${describeHit(hit, String)}. ${why}: refund it or prepare for a dispute.`, "noted");
  await audit({
    shopId,
    actor: EARLY_WARNING_ACTOR,
    source: "system",
    action: "early_warning.noted",
    paymentId: payment.id,
    orderGid: link.orderGid,
    details: { warning: warning.type, hold: hold.status },
    result: "ok",
  });
  return hold.status === "released" ? "already_decided" : "shipped";
}

async function refundShipped(payment: Payment, hold: Hold, limit: number, api: ShopifyAdmin): Promise<EarlyWarningOutcome> {
  const result = await requestMoneyAction({
    shopId: payment.shopId,
    paymentId: payment.id,
    kind: "refund",
    reason: `Refunded on the issuer's early warning (up to ${formatMoney(limit, payment.currency)} is refunded at once)`,
    requestedBy: EARLY_WARNING_ACTOR,
    source: "system",
    intent: `early-warning:${payment.id}`,
    notifyCustomer: false,
    api,
  });
  // Refunded already (by anyone): nothing is left to give back, which is what the warning wanted.
  if (!result.ok && !/Nothing is left to refund/.test(result.message)) {
    throw new Error(`Refunding on an early warning failed for order ${hold.orderName ?? hold.orderGid}: ${result.message}`);
  }
  return "refunded";
}

/** `early_warning`: key `<Payment.id>:<event type>` (once per payment and kind), payload an EarlyWarning. */
export const earlyWarningJob: JobHandler = async (job) => {
  await actOnEarlyWarning(job.shopId, earlyWarningSchema.parse(job.payload));
};
