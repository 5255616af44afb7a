// The order check of reconciliation (issue 20): one Checkout.com payment compared with the Shopify order
// it is linked to, and what differs kept as ReconciliationIssue rows, one per (order, kind). Queued a
// while after each change of the payment's money, a dispute's status or its order link
// (queue.server.ts), and daily for recent payments in doubt (sweep.server.ts). It compares with the
// order's local copy first and reads the order from Shopify only when that leaves a doubt. Running it
// again changes nothing unless one of the two sides changed.
import DataLoader from "dataloader";
import { z } from "zod";
import { Prisma } from "@prisma/client";
import { db, rawSql } from "../db.server";
import type { RawSql } from "../lib/prepared-sql.server";
import { lockRowForUpdate } from "../lib/row-lock.server";
import { log } from "../log.server";
import { recordedRefunds } from "../money/actions.server";
import { paymentTransaction, readOrderTransactions } from "../money/shopify-order.server";
import { localOrderMoney, storeOrderTransactions, type LocalOrderMoney } from "../orders/order-transactions.server";
import { CAPTURE_EVENT, type PaymentEventType } from "../payments/payment-events";
import { JOB_KINDS, JobMustWait, type JobHandler } from "../queue/jobs.server";
import { adminApi, type ShopifyAdmin } from "../shopify/admin-api.server";
import { CHARGED_BACK_STATUSES, compareViews, orderView, type CheckoutView, type Mismatch } from "./compare";
import { keepIssue, resolveIssue, UNRESOLVED } from "./issue-rows.server";

const CAPTURE_DECLINED_EVENT: PaymentEventType = "payment_capture_declined";
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

/**
 * Checkout.com's view of the payment `p` (the statement's "Payment" row) as its webhooks left it, as
 * columns: its amounts, what disputes took back (in its currency: a dispute in another is not money of
 * this payment's to compare) and whether its last capture was declined. The checks run together and
 * the sweep (sweep.server.ts) each read their page of payments with them in one statement. Activities
 * are looked up by their payment's id alone: given the shop's id too, SQLite (which keeps no
 * statistics here) would take the (shopId, occurredAt) index and walk every activity of the shop for
 * each payment.
 */
export const CHECKOUT_VIEW_COLUMNS = Prisma.sql`
  p."currency", p."amount", p."capturedAmount", p."refundedAmount",
  (SELECT COALESCE(SUM(d."amount"), 0) FROM "Dispute" d
    WHERE d."shopId" = p."shopId" AND d."paymentId" = p."id" AND d."status" IN (${Prisma.join([...CHARGED_BACK_STATUSES])})
      AND upper(d."currency") = upper(p."currency")) AS "chargedBack",
  EXISTS (SELECT 1 FROM "PaymentActivity" a
    WHERE a."paymentId" = p."id" AND a."type" = ${CAPTURE_DECLINED_EVENT}
      AND NOT EXISTS (SELECT 1 FROM "PaymentActivity" c
        WHERE c."paymentId" = p."id" AND c."type" = ${CAPTURE_EVENT}
          AND (c."occurredAt" > a."occurredAt" OR (c."occurredAt" = a."occurredAt" AND c."createdAt" > a."createdAt")))) AS "captureDeclined"`;

/** Whether the payment `p` has an open or dismissed issue, as "unresolved" (SQLite answers 0 or 1). */
export const UNRESOLVED_COLUMN = Prisma.sql`
  EXISTS (SELECT 1 FROM "ReconciliationIssue" i
    WHERE i."paymentId" = p."id" AND i."shopId" = p."shopId" AND i."status" IN (${Prisma.join(UNRESOLVED)})) AS "unresolved"`;

interface CheckoutViewRow {
  currency: string;
  amount: number;
  capturedAmount: number;
  refundedAmount: number;
  /** A sum: PostgreSQL's is a bigint, which comes back as text. */
  chargedBack: number | bigint | string;
  /** SQLite answers 0 or 1. */
  captureDeclined: boolean | number;
}

/** The view from CHECKOUT_VIEW_COLUMNS. */
const checkoutViewOf = (row: CheckoutViewRow): CheckoutView => ({
  currency: row.currency,
  authorised: row.amount,
  captured: row.capturedAmount,
  refunded: row.refundedAmount,
  captureDeclined: Boolean(row.captureDeclined),
  chargedBack: Number(row.chargedBack),
});

/** The check's payment: what it is compared by, Checkout.com's view of it, where its order is, and the shop's state. */
type CheckedPayment = CheckoutViewRow & {
  id: string;
  shopId: string;
  ckoPaymentId: string;
  reference: string | null;
  orderGid: string | null;
  domain: string;
  uninstalledAt: Date | null;
  unresolved: boolean | number;
};

/** The shop's payments among `paymentIds` with their order link and shop (one prepared statement for them all). */
async function checkedPayments(sql: RawSql, shopId: string, paymentIds: string[]): Promise<CheckedPayment[]> {
  return await sql.$queryRaw<CheckedPayment[]>`
    SELECT p."id", p."shopId", p."ckoPaymentId", p."reference", l."orderGid", s."domain", s."uninstalledAt", ${CHECKOUT_VIEW_COLUMNS}, ${UNRESOLVED_COLUMN}
    FROM "Payment" p JOIN "Shop" s ON s."id" = p."shopId"
      LEFT JOIN "OrderLink" l ON l."paymentId" = p."id" AND l."shopId" = p."shopId"
    WHERE p."shopId" = ${shopId} AND p."id" IN (${Prisma.join(paymentIds)})`;
}

/**
 * Checkout.com's view of the payment. Read after the order: Shopify records a capture or refund after
 * Checkout.com made it, so this view is at least as new as the order's.
 */
async function checkoutView(sql: RawSql, shopId: string, paymentId: string): Promise<CheckoutView> {
  const [row] = await sql.$queryRaw<CheckoutViewRow[]>`
    SELECT ${CHECKOUT_VIEW_COLUMNS} FROM "Payment" p WHERE p."shopId" = ${shopId} AND p."id" = ${paymentId}`;
  return checkoutViewOf(row);
}

type Comparison =
  | { outcome: "compared"; found: Mismatch[] }
  /** A capture or refund of the payment's still waits for its gateway. */
  | { outcome: "settling" }
  /** No transaction of the order carries the payment. */
  | { outcome: "not_via_shopify" };

/**
 * The payment compared with its order's transactions (Shopify's own, or the local copy of them);
 * `recorded`: the order's transactions that record this payment's refunds made outside Shopify.
 */
function compareWithOrder(
  payment: { ckoPaymentId: string; reference: string | null },
  checkout: CheckoutView,
  order: LocalOrderMoney,
  recorded?: ReadonlySet<string>,
): Comparison {
  const root = paymentTransaction(order, payment);
  if (!root) return { outcome: "not_via_shopify" };
  const found = compareViews(checkout, orderView(order.currency, order.transactions, root, recorded));
  return found ? { outcome: "compared", found } : { outcome: "settling" };
}

/** A payment compared with its order's local copy: Checkout.com's view of it as columns, its order, whether it has issues unresolved. */
export type LocallyCompared = CheckoutViewRow & {
  id: string;
  ckoPaymentId: string;
  reference: string | null;
  orderGid: string;
  unresolved: boolean | number;
};

/**
 * The ids of the shop's `payments` that agree with their order's local copy and have nothing left to
 * settle: the copy carries the payment and every amount matches, and the payment has no open or
 * dismissed issue (which only a check reading Shopify may update or resolve). The others are in doubt,
 * and Shopify is asked. Two statements however many payments: the check's page and the sweep's.
 */
export async function agreeingWithLocalCopy(sql: RawSql, shopId: string, payments: LocallyCompared[]): Promise<Set<string>> {
  const candidates = payments.filter((payment) => !payment.unresolved);
  if (!candidates.length) return new Set();
  const orders = await localOrderMoney(
    shopId,
    candidates.map((p) => p.orderGid),
    sql,
  );
  const withCopy = candidates.filter((p) => orders.has(p.orderGid));
  const recorded = await recordedRefunds(
    shopId,
    withCopy.map((p) => p.id),
    sql,
  );
  const agreeing = withCopy.filter((payment) => {
    const comparison = compareWithOrder(payment, checkoutViewOf(payment), orders.get(payment.orderGid)!, recorded.get(payment.id)?.transactionIds);
    return comparison.outcome === "compared" && comparison.found.length === 0;
  });
  return new Set(agreeing.map((p) => p.id));
}

/** One payment's check, as far as the local copy takes it: the payment (unless unknown) and whether its copy settles the check. */
interface LocalCheck {
  payment?: CheckedPayment;
  agrees: boolean;
}
type CheckRequest = { shopId: string; paymentId: string };

/**
 * The local part of every check started in one turn of the event loop (a page of checks run together,
 * app/events/registry.server.ts), in one turn of SQLite's connection and three statements per shop.
 * Each check's four reads alone waited in line behind the event batches, and a sale's checks fell
 * behind at a few dozen a second (soak, 300 events/s).
 */
async function localChecks(requests: readonly CheckRequest[]): Promise<LocalCheck[]> {
  const byShop = new Map<string, Set<string>>();
  for (const { shopId, paymentId } of requests) byShop.set(shopId, (byShop.get(shopId) ?? new Set()).add(paymentId));
  const found = new Map<string, LocalCheck>();
  await rawSql().readsTogether(async (sql) => {
    for (const [shopId, paymentIds] of byShop) {
      const payments = await checkedPayments(sql, shopId, [...paymentIds]);
      const comparable = payments.filter((p): p is CheckedPayment & { orderGid: string } => p.orderGid !== null && !p.uninstalledAt);
      const agreeing = await agreeingWithLocalCopy(sql, shopId, comparable);
      for (const payment of payments) found.set(`${shopId}|${payment.id}`, { payment, agrees: agreeing.has(payment.id) });
    }
  });
  return requests.map(({ shopId, paymentId }) => found.get(`${shopId}|${paymentId}`) ?? { agrees: false });
}

const localCheck = new DataLoader<CheckRequest, LocalCheck>(localChecks, { cache: false });

/**
 * Compares the payment with its Shopify order and stores what differs: a new difference opens an issue;
 * one already open is brought up to date; a dismissed one stays dismissed while the amount at stake is
 * the same, and opens again when it changes; a resolved one opens again. The payment's issues no longer
 * found are resolved. Each opening and resolution is audited.
 */
export async function checkPaymentAgainstOrder(shopId: string, paymentId: string, options: CheckOptions = {}): Promise<CheckResult> {
  const now = options.now ?? new Date();
  const { payment, agrees } = await localCheck.load({ shopId, paymentId });
  if (!payment) return { outcome: "skipped", reason: "unknown_payment" };
  if (!payment.orderGid) {
    // Nothing open to resolve is the usual case (a payment not matched to an order yet): no write.
    const summary = payment.unresolved ? await storeFindings(payment, null, [], now) : { opened: 0, updated: 0, resolved: 0 };
    return { outcome: "not_linked", ...summary };
  }
  if (payment.uninstalledAt) return { outcome: "skipped", reason: "uninstalled" };
  // The usual check: the order's copy (its order_transactions/create webhooks, the last read) agrees
  // and nothing is open, so Shopify is not asked. A sale's checks would otherwise need more of the
  // shop's API bucket than Shopify restores (one read per card payment).
  if (agrees) {
    return { outcome: "compared", opened: 0, updated: 0, resolved: 0 };
  }

  const order = await readOrderTransactions(options.api ?? adminApi(payment.domain), payment.orderGid);
  if (!order) return { outcome: "skipped", reason: "order_gone" };
  // Every read of the order refreshes its local copy, which the daily sweep compares with.
  await storeOrderTransactions(shopId, order.gid, order);

  const [recorded, checkout] = await rawSql().readsTogether(
    async (sql) => [(await recordedRefunds(shopId, [payment.id], sql)).get(payment.id)?.transactionIds, await checkoutView(sql, shopId, payment.id)] as const,
  );
  const comparison = compareWithOrder(payment, checkout, order, recorded);
  if (comparison.outcome === "not_via_shopify") return { outcome: "skipped", reason: "not_via_shopify" };
  if (comparison.outcome === "settling") {
    const newest = Math.max(...order.transactions.map((t) => t.createdAt.getTime()));
    return { outcome: "settling", stuck: now.getTime() - newest > SETTLING_LIMIT_MS };
  }
  // Both sides agree and nothing was open when it began (the copy was behind): there is nothing to write.
  if (!comparison.found.length && !payment.unresolved) return { outcome: "compared", opened: 0, updated: 0, resolved: 0 };
  return { outcome: "compared", ...(await storeFindings(payment, { gid: order.gid, name: order.name }, comparison.found, now)) };
}

type Summary = { opened: number; updated: number; resolved: number };

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
      const kept = await keepIssue(
        tx,
        { shopId, subject: payment.id, orderGid: order!.gid, kind: mismatch.kind },
        {
          paymentId: payment.id,
          orderName: order!.name,
          currency: payment.currency,
          checkoutAmount: mismatch.checkoutAmount,
          shopifyAmount: mismatch.shopifyAmount,
          amount: mismatch.amount,
        },
        now,
      );
      summary[kept] += 1;
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
    for (const issue of gone) await resolveIssue(tx, issue, now);
    summary.resolved += gone.length;
    return summary;
  });
}

const jobPayload = z.object({ paymentId: z.string().min(1) });

/**
 * `reconciliation_check`: key the Payment.id ("<Payment.id>:<Job.id>" once a change queued another
 * while it ran; queue.server.ts), payload { paymentId, cause }.
 */
export const reconciliationCheckJob: JobHandler = async (job) => {
  const { paymentId } = jobPayload.parse(job.payload);
  const result = await checkPaymentAgainstOrder(job.shopId, paymentId);
  if (result.outcome !== "settling") return;
  if (result.stuck) {
    log.warn("reconciliation.order_stuck_settling", { shopId: job.shopId, paymentId });
    return;
  }
  // A check queued by a change while this one ran looks again itself: one waiting check per payment.
  const fresh = await db().job.count({
    where: { shopId: job.shopId, kind: JOB_KINDS.reconciliationCheck, key: paymentId, status: "pending", id: { not: job.id } },
  });
  if (!fresh) throw new JobMustWait("The order's capture or refund is still settling in Shopify", SETTLING_RETRY_MS);
};
