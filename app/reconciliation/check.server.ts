// The order check of reconciliation (issue 20): one Checkout.com payment compared with the Shopify order
// it is linked to, and what differs kept as ReconciliationIssue rows, one per (order, kind). Queued a
// while after each change of the payment's money, a dispute's status or its order link
// (queue.server.ts), and daily for recent payments (sweep.server.ts). Running it again changes nothing
// unless one of the two sides changed.
import { z } from "zod";
import type { ReconciliationIssue } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { db, type Tx } from "../db.server";
import { lockRowForUpdate } from "../lib/row-lock.server";
import { log } from "../log.server";
import { paymentTransaction, readOrderMoney } from "../money/shopify-order.server";
import { CAPTURE_EVENT, type PaymentEventType } from "../payments/payment-events";
import { JobMustWait, type JobHandler } from "../queue/jobs.server";
import { adminApi, type ShopifyAdmin } from "../shopify/admin-api.server";
import { CHARGED_BACK_STATUSES, compareViews, orderView, type CheckoutView, type Mismatch } from "./compare";

const CAPTURE_DECLINED_EVENT: PaymentEventType = "payment_capture_declined";
/** Issues whose difference may still be there: an open one, or one a merchant dismissed. */
const UNRESOLVED = ["open", "dismissed"];
/** How soon a check finding the order still settling looks again. */
const SETTLING_RETRY_MS = 60_000;
/** An order with no new transaction for this long is stuck, not settling: the daily sweep looks again. */
const SETTLING_LIMIT_MS = 24 * 60 * 60_000;

export interface CheckOptions {
  api?: ShopifyAdmin;
  now?: Date;
}

export type CheckResult =
  /** Compared (or no longer linked to an order): the issues opened, still there, and resolved. */
  | { outcome: "compared" | "not_linked"; opened: number; updated: number; resolved: number }
  /** The order has a capture or refund still waiting for its gateway; `stuck` once it has waited too long. */
  | { outcome: "settling"; stuck: boolean }
  /** Nothing to compare: no such payment in the shop, the app uninstalled, the order gone, or not paid through Shopify's checkout. */
  | { outcome: "skipped"; reason: "unknown_payment" | "uninstalled" | "order_gone" | "not_via_shopify" };

/** Checkout.com's view of the payment, as its webhooks left it. */
async function checkoutView(payment: {
  id: string;
  shopId: string;
  currency: string;
  amount: number;
  capturedAmount: number;
  refundedAmount: number;
  disputes: Array<{ status: string; amount: number; currency: string }>;
}): Promise<CheckoutView> {
  const lastCapture = await db().paymentActivity.findFirst({
    where: { shopId: payment.shopId, paymentId: payment.id, type: { in: [CAPTURE_EVENT, CAPTURE_DECLINED_EVENT] } },
    orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }],
    select: { type: true },
  });
  return {
    currency: payment.currency,
    authorised: payment.amount,
    captured: payment.capturedAmount,
    refunded: payment.refundedAmount,
    captureDeclined: lastCapture?.type === CAPTURE_DECLINED_EVENT,
    // A dispute in another currency is not money of this payment's to compare.
    chargedBack: payment.disputes
      .filter((d) => CHARGED_BACK_STATUSES.has(d.status) && d.currency.toUpperCase() === payment.currency.toUpperCase())
      .reduce((sum, d) => sum + d.amount, 0),
  };
}

/**
 * Compares the payment with its Shopify order and stores what differs: a new difference opens an issue;
 * one already open is brought up to date; a dismissed one stays dismissed while the amount at stake is
 * the same, and opens again when it changes; a resolved one opens again. The payment's issues no longer
 * found are resolved. Each opening and resolution is audited.
 */
export async function checkPaymentAgainstOrder(shopId: string, paymentId: string, options: CheckOptions = {}): Promise<CheckResult> {
  const now = options.now ?? new Date();
  const payment = await db().payment.findFirst({
    where: { id: paymentId, shopId },
    include: {
      orderLink: true,
      shop: { select: { domain: true, uninstalledAt: true } },
      disputes: { where: { shopId }, select: { status: true, amount: true, currency: true } },
    },
  });
  if (!payment) return { outcome: "skipped", reason: "unknown_payment" };
  const link = payment.orderLink;
  if (!link) return { outcome: "not_linked", ...(await storeFindings(payment, null, [], now)) };
  if (payment.shop.uninstalledAt) return { outcome: "skipped", reason: "uninstalled" };

  const order = await readOrderMoney(options.api ?? adminApi(payment.shop.domain), link.orderGid);
  if (!order) return { outcome: "skipped", reason: "order_gone" };
  const root = paymentTransaction(order, payment);
  if (!root) return { outcome: "skipped", reason: "not_via_shopify" };

  const found = compareViews(await checkoutView(payment), orderView(order.currency, order.transactions, root));
  if (!found) {
    const newest = Math.max(...order.transactions.map((t) => t.createdAt.getTime()));
    return { outcome: "settling", stuck: now.getTime() - newest > SETTLING_LIMIT_MS };
  }
  return { outcome: "compared", ...(await storeFindings(payment, { gid: order.gid, name: order.name }, found, now)) };
}

type Summary = { opened: number; updated: number; resolved: number };
type IssueEvent = "reconciliation.issue_open" | "reconciliation.issue_resolved";

function auditIssue(
  tx: Tx,
  action: IssueEvent,
  issue: Pick<ReconciliationIssue, "shopId" | "paymentId" | "orderGid" | "orderName" | "kind" | "amount" | "currency">,
) {
  return audit(
    {
      shopId: issue.shopId,
      actor: "system",
      source: "system",
      action,
      paymentId: issue.paymentId,
      orderGid: issue.orderGid,
      details: { kind: issue.kind, amount: issue.amount, currency: issue.currency, orderName: issue.orderName },
      result: "ok",
    },
    tx,
  );
}

/** Stores one check's findings on `order` (none when the payment has no order), in one transaction. */
async function storeFindings(
  payment: { id: string; shopId: string; currency: string },
  order: { gid: string; name: string } | null,
  found: Mismatch[],
  now: Date,
): Promise<Summary> {
  const { shopId } = payment;
  return db().$transaction(async (tx) => {
    // Checks of one payment (an event's and the sweep's) take turns, so each change is decided, and audited, once.
    await lockRowForUpdate(tx, "Payment", payment.id);
    const summary: Summary = { opened: 0, updated: 0, resolved: 0 };
    for (const mismatch of order ? found : []) {
      const key = { shopId, paymentId: payment.id, orderGid: order!.gid, kind: mismatch.kind };
      const figures = {
        orderName: order!.name,
        currency: payment.currency,
        checkoutAmount: mismatch.checkoutAmount,
        shopifyAmount: mismatch.shopifyAmount,
        amount: mismatch.amount,
        lastCheckedAt: now,
      };
      const existing = await tx.reconciliationIssue.findUnique({ where: { shopId_paymentId_orderGid_kind: key } });
      if (existing && (existing.status === "open" || (existing.status === "dismissed" && existing.amount === mismatch.amount))) {
        await tx.reconciliationIssue.update({ where: { id: existing.id }, data: figures });
        summary.updated += 1;
        continue;
      }
      const issue = existing
        ? await tx.reconciliationIssue.update({
            where: { id: existing.id },
            data: {
              ...figures,
              status: "open",
              resolvedAt: null,
              dismissReason: null,
              dismissedBy: null,
              dismissedAt: null,
              // A difference back after it was resolved is a new one; a dismissed one that grew is the same one.
              ...(existing.status === "resolved" ? { firstSeenAt: now } : {}),
            },
          })
        : await tx.reconciliationIssue.create({ data: { ...key, ...figures, status: "open", firstSeenAt: now } });
      await auditIssue(tx, "reconciliation.issue_open", issue);
      summary.opened += 1;
    }
    // The payment's issues not found now: on this order of a kind that no longer differs, or on an order it is no longer linked to.
    const gone = await tx.reconciliationIssue.findMany({
      where: {
        shopId,
        paymentId: payment.id,
        status: { in: UNRESOLVED },
        ...(order ? { NOT: { orderGid: order.gid, kind: { in: found.map((m) => m.kind) } } } : {}),
      },
    });
    for (const issue of gone) {
      await tx.reconciliationIssue.update({ where: { id: issue.id }, data: { status: "resolved", resolvedAt: now, lastCheckedAt: now } });
      await auditIssue(tx, "reconciliation.issue_resolved", issue);
      summary.resolved += 1;
    }
    return summary;
  });
}

const jobPayload = z.object({ paymentId: z.string().min(1) });

/** `reconciliation_check`: key "<Payment.id>:<cause>", payload { paymentId }. */
export const reconciliationCheckJob: JobHandler = async (job) => {
  const { paymentId } = jobPayload.parse(job.payload);
  const result = await checkPaymentAgainstOrder(job.shopId, paymentId);
  if (result.outcome === "settling") {
    if (!result.stuck) throw new JobMustWait("The order's capture or refund is still settling in Shopify", SETTLING_RETRY_MS);
    log.warn("reconciliation.order_stuck_settling", { shopId: job.shopId, paymentId });
  }
};
