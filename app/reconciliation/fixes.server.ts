// Fixes from the Reconciliation screen (issue 20), each through the money-action service (app/money) and
// keyed by the difference and its amount, so a double click or a retry makes one fix:
//   refund_missing_in_shopify: the refund Checkout.com made outside Shopify is recorded on the order
//     (no money moves; decision 0020);
//   capture_declined: what the declined capture left is captured again, through the order when it
//     holds the payment.
// The payment is checked again at once, so a fix that worked closes its difference.
import type { Payment } from "@prisma/client";
import { db, type Tx } from "../db.server";
import { RefusedError } from "../lib/errors";
import { formatMoney } from "../lib/money";
import { recordedRefunds, recordRefundOnOrder, requestMoneyAction, type MoneyActionResult } from "../money/actions.server";
import type { PlannedSide } from "../money/plan.server";
import { adminApi, type ShopifyAdmin } from "../shopify/admin-api.server";
import type { Staff } from "../shopify/staff.server";
import { checkPaymentAgainstOrder } from "./check.server";
import { orderView } from "./compare";
import { issueOf } from "./issues.server";

/** The kinds a fix exists for, and what it is called on the screen. */
export const FIXABLE_KINDS = { refund_missing_in_shopify: "recordRefund", capture_declined: "retryCapture" } as const;

const isFixable = (kind: string): kind is keyof typeof FIXABLE_KINDS => kind in FIXABLE_KINDS;

type Fixer = Pick<Staff, "shopId" | "actor">;

/** Carries out the fix of one open difference of the staff member's shop; another shop's is not found. */
export async function fixReconciliationIssue(staff: Fixer, issueId: string, options: { api?: ShopifyAdmin } = {}): Promise<MoneyActionResult> {
  const issue = await issueOf(staff, issueId);
  if (issue.status !== "open" || !issue.paymentId || !isFixable(issue.kind))
    throw new RefusedError("This difference has no fix to make now.", { key: "reconciliation.fix.none" });
  const paymentId = issue.paymentId;
  const shop = await db().shop.findUniqueOrThrow({ where: { id: staff.shopId }, select: { domain: true } });
  const api = options.api ?? adminApi(shop.domain);
  const asked = {
    shopId: staff.shopId,
    paymentId,
    requestedBy: staff.actor,
    source: "admin" as const,
    intent: `reconciliation:${issue.id}:${issue.kind}:${issue.amount}`,
    api,
  };
  let result: MoneyActionResult;
  if (issue.kind === "capture_declined") {
    result = await requestMoneyAction({ ...asked, kind: "capture", amount: issue.amount, reason: "Capture again after a declined capture" });
  } else {
    result = await recordRefundOnOrder({
      ...asked,
      amount: issue.amount,
      reason: "Refunded at Checkout.com, outside Shopify",
      check: (payment, tx, side) => stillMissing(payment, tx, side, issue.amount),
    });
  }
  if (result.ok) await checkPaymentAgainstOrder(staff.shopId, paymentId, { api });
  return result;
}

/**
 * Under the payment lock: Checkout.com's refunds the order still misses cover the amount. The order as
 * the action read it shows the refunds on the payment's own transactions; those recorded (done or
 * under way) are counted from their actions.
 */
async function stillMissing(payment: Payment, tx: Tx, side: PlannedSide, amount: number): Promise<string | null> {
  // Without the payment's transaction the money service refuses the record before asking.
  const refundedOnChain = side.order && side.shopify ? orderView(side.order.currency, side.order.transactions, side.shopify).refunded : 0;
  const recorded = (await recordedRefunds(payment.shopId, [payment.id], tx)).get(payment.id)?.amount ?? 0;
  const missing = payment.refundedAmount - refundedOnChain - recorded;
  if (amount <= missing) return null;
  return missing > 0
    ? `Only ${formatMoney(missing, payment.currency)} of Checkout.com's refunds is missing on the order now; look at the difference again.`
    : "The order already shows Checkout.com's refunds of this payment.";
}
