// Reconciliation's "order marked paid with no Checkout.com payment" (issue 20, decision 0020): an
// order's successful AUTHORIZATION or SALE on Checkout.com's gateway that no payment of the shop
// accounts for by the ids decision 0007 matches on (the Checkout.com payment id among the transaction's
// ids, or the payment's reference equal to Shopify's payment id, its first id). Read from the local
// copy of the orders' transactions (IndexedOrderTransaction); Checkout.com is asked about each such
// order: a payment it has is imported as the backfill imports one (then matched to its order and
// checked like any other), and an order it has no payment for is kept as a ReconciliationIssue about
// the order alone (subject "order", no payment), opened, kept, dismissed and resolved as
// check.server.ts keeps a payment's.
import type { CheckoutClient } from "../checkout/client.server";
import { clientFor, getConnection, inConnectionChannels, processingChannelsOf } from "../checkout/connection.server";
import { CheckoutError } from "../checkout/errors";
import type { PaymentDetails } from "../checkout/schemas";
import { db } from "../db.server";
import { log } from "../log.server";
import { isCheckoutGateway } from "../money/shopify-order.server";
import { importPayment } from "../payments/import.server";
import { keepIssue, resolveIssue, UNRESOLVED } from "./issue-rows.server";
import type { MISMATCH_KINDS } from "./compare";

const KIND = "paid_without_checkout_payment" satisfies (typeof MISMATCH_KINDS)[number];
/** What the row is about when there is no payment to name (its unique key's subject). */
const SUBJECT = "order";
/** Orders asked about per run: each costs one or two calls, and two more for each payment found. */
const ORDERS_PER_RUN = 100;
/** A Checkout.com payment id: pay_ and 26 characters. */
const PAYMENT_ID = /^pay_[a-z0-9]{26}$/;
/** Values per lookup: two `IN` lists of them stay under the 999 values SQLite binds in a statement. */
const LOOKUP_CHUNK = 400;
/** A failed call is tried once more; then the run stops and the next one asks again. */
const CLIENT_OPTIONS = { retry: { retries: 1, baseMs: 500, maxMs: 2_000 }, timeoutMs: 15_000 };
/** Failures that stop the run (the next one asks again); any other refusal is about one order, which is skipped, so it cannot stop every run. */
const STOPPING = ["authentication", "rate_limited", "unavailable"] as const;

/** A successful AUTHORIZATION or SALE on Checkout.com's gateway. */
interface PaidTransaction {
  orderGid: string;
  /** Presentment minor units of `currency`. */
  amount: number;
  currency: string;
  /** The gateway's ids: Shopify's payment id first, then the authorization code and receipt values. */
  ids: string[];
}

/** An order's transactions no payment of the shop accounts for (none: it is accounted for now). */
interface Finding {
  orderGid: string;
  orderName?: string | null;
  unaccounted: PaidTransaction[];
}

interface Summary {
  opened: number;
  updated: number;
  resolved: number;
  /** Payments Checkout.com had that the app now records. */
  imported: number;
  /** Orders Checkout.com answered about, and those it refused to (skipped until a later run); `more`: others wait for the next run. */
  asked: number;
  skipped: number;
  more: boolean;
  /** Why the run stopped before asking all it meant to (the next run asks again): no active connection, or how Checkout.com failed. */
  stopped: "no_connection" | (typeof STOPPING)[number] | null;
}

const idsOf = (references: string): string[] => {
  const parsed: unknown = JSON.parse(references);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
};

const total = (transactions: PaidTransaction[]) => transactions.reduce((sum, t) => sum + t.amount, 0);

/** The ids and references of the shop's payments among these values. */
async function paymentIdsAmong(shopId: string, values: string[]) {
  const ckoPaymentIds = new Set<string>();
  const references = new Set<string>();
  for (let i = 0; i < values.length; i += LOOKUP_CHUNK) {
    const chunk = values.slice(i, i + LOOKUP_CHUNK);
    const payments = await db().payment.findMany({
      where: { shopId, OR: [{ ckoPaymentId: { in: chunk } }, { reference: { in: chunk } }] },
      select: { ckoPaymentId: true, reference: true },
    });
    for (const p of payments) {
      ckoPaymentIds.add(p.ckoPaymentId);
      if (p.reference !== null) references.add(p.reference);
    }
  }
  return { ckoPaymentIds, references };
}

/**
 * The shop's orders paid through Checkout.com's gateway since `since` (`paid`), and the transactions
 * of each that no payment of the shop accounts for, oldest first (`unaccounted`).
 */
async function paidOrders(shopId: string, since: Date) {
  const rows = await db().indexedOrderTransaction.findMany({
    where: { shopId, kind: { in: ["AUTHORIZATION", "SALE"] }, status: "SUCCESS", createdAt: { gte: since } },
    orderBy: [{ createdAt: "asc" }, { orderGid: "asc" }, { transactionGid: "asc" }],
    select: { orderGid: true, gateway: true, amount: true, currency: true, references: true },
  });
  const paid: PaidTransaction[] = rows
    .filter((t) => isCheckoutGateway(t.gateway))
    .map((t) => ({ orderGid: t.orderGid, amount: t.amount, currency: t.currency, ids: idsOf(t.references) }));
  const values = new Set(paid.flatMap((t) => [...t.ids.slice(0, 1), ...t.ids.filter((id) => id.startsWith("pay_"))]));
  const { ckoPaymentIds, references } = await paymentIdsAmong(shopId, [...values]);
  const unaccounted = new Map<string, PaidTransaction[]>();
  for (const t of paid) {
    if (t.ids.some((id) => ckoPaymentIds.has(id)) || (t.ids.length > 0 && references.has(t.ids[0]))) continue;
    unaccounted.set(t.orderGid, [...(unaccounted.get(t.orderGid) ?? []), t]);
  }
  return { paid: new Set(paid.map((t) => t.orderGid)), unaccounted };
}

/**
 * Checkout.com's payments behind a transaction: by the payment ids it carries (GET /payments/{id}),
 * else by Shopify's payment id as their reference (GET /payments?reference=). None: it has no such payment.
 */
async function paymentsBehind(client: CheckoutClient, transaction: PaidTransaction): Promise<PaymentDetails[]> {
  const found: PaymentDetails[] = [];
  for (const id of new Set(transaction.ids.filter((v) => PAYMENT_ID.test(v)))) {
    try {
      found.push(await client.getPayment(id));
    } catch (error) {
      if (!(error instanceof CheckoutError && error.kind === "not_found")) throw error;
    }
  }
  const [shopifyPaymentId] = transaction.ids;
  if (found.length || !shopifyPaymentId || PAYMENT_ID.test(shopifyPaymentId)) return found;
  return (await client.listPayments({ reference: shopifyPaymentId, limit: 100 })).data;
}

/** Whether a payment is this shop's (its processing channel), as its events are. */
const ofThisShop = (payment: PaymentDetails, channels: string[]) =>
  inConnectionChannels((payment as { processing_channel_id?: unknown }).processing_channel_id, channels);

/**
 * Asks Checkout.com about an order's unaccounted transactions: the payments it has are imported (this
 * shop's) or left alone (another's), and those it has none for are returned.
 */
async function askCheckout(shopId: string, client: CheckoutClient, channels: string[], transactions: PaidTransaction[]) {
  const unknown: PaidTransaction[] = [];
  let imported = 0;
  for (const transaction of transactions) {
    const payments = await paymentsBehind(client, transaction);
    if (!payments.length) unknown.push(transaction);
    for (const payment of payments.filter((p) => ofThisShop(p, channels))) {
      const actions = await client.getPaymentActions(payment.id);
      if ((await db().$transaction((tx) => importPayment(tx, shopId, payment, actions)))?.created) imported += 1;
    }
  }
  return { unknown, imported };
}

/**
 * Stores what was found, in one transaction: an order with unaccounted transactions keeps its issue
 * (issue-rows.server.ts), and an order accounted for now resolves it.
 */
async function store(shopId: string, findings: Finding[], now: Date, summary: Summary) {
  if (!findings.length) return;
  await db().$transaction(async (tx) => {
    for (const { orderGid, orderName, unaccounted } of findings) {
      const key = { shopId, subject: SUBJECT, orderGid, kind: KIND };
      if (!unaccounted.length) {
        const existing = await tx.reconciliationIssue.findUnique({ where: { shopId_subject_orderGid_kind: key } });
        if (existing && UNRESOLVED.includes(existing.status)) {
          await resolveIssue(tx, existing, now);
          summary.resolved += 1;
        }
        continue;
      }
      const amount = total(unaccounted);
      // Checkout.com has no figure: there is no payment.
      const kept = await keepIssue(
        tx,
        key,
        { paymentId: null, orderName, currency: unaccounted[0].currency, checkoutAmount: null, shopifyAmount: amount, amount },
        now,
      );
      summary[kept] += 1;
    }
  });
}

/**
 * Finds the shop's orders paid through Checkout.com's gateway since `since` that no payment of the
 * shop accounts for, and keeps their issues. An issue whose order is accounted for now is resolved,
 * and one whose amount has not changed is kept, without asking Checkout.com again; every other such
 * order (oldest first, `limit` a run) is asked about. A 429, an outage or a refused key stops the run
 * with nothing opened from its answers (logged); payments imported before it stay.
 */
export async function checkOrdersWithoutPayment(
  shopId: string,
  options: { since: Date; now?: Date; limit?: number; client?: CheckoutClient },
): Promise<Summary> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? ORDERS_PER_RUN;
  const { paid, unaccounted } = await paidOrders(shopId, options.since);
  const issues = await db().reconciliationIssue.findMany({
    where: { shopId, subject: SUBJECT, kind: KIND, status: { in: UNRESOLVED } },
    select: { orderGid: true, amount: true },
  });
  const amountOf = new Map(issues.map((i) => [i.orderGid, i.amount]));
  // An issue of an order the window no longer holds is left as it was last seen.
  const settled: Finding[] = issues
    .filter((i) => paid.has(i.orderGid) && (!unaccounted.has(i.orderGid) || total(unaccounted.get(i.orderGid)!) === i.amount))
    .map((i) => ({ orderGid: i.orderGid, unaccounted: unaccounted.get(i.orderGid) ?? [] }));
  const toAsk = [...unaccounted].filter(([orderGid, transactions]) => amountOf.get(orderGid) !== total(transactions));
  const summary: Summary = { opened: 0, updated: 0, resolved: 0, imported: 0, asked: 0, skipped: 0, more: toAsk.length > limit, stopped: null };
  await store(shopId, settled, now, summary);
  if (!toAsk.length) return summary;

  const connection = await getConnection(shopId);
  if (!connection) return { ...summary, stopped: "no_connection" };
  const client = options.client ?? clientFor(connection, CLIENT_OPTIONS);
  const channels = processingChannelsOf(connection);
  const asked = toAsk.slice(0, limit);
  const names = new Map(
    (
      await db().indexedOrder.findMany({ where: { shopId, orderGid: { in: asked.map(([orderGid]) => orderGid) } }, select: { orderGid: true, name: true } })
    ).map((o) => [o.orderGid, o.name]),
  );
  const findings: Finding[] = [];
  for (const [orderGid, transactions] of asked) {
    try {
      const { unknown, imported } = await askCheckout(shopId, client, channels, transactions);
      findings.push({ orderGid, orderName: names.get(orderGid), unaccounted: unknown });
      summary.imported += imported;
      summary.asked += 1;
    } catch (error) {
      if (!(error instanceof CheckoutError)) throw error;
      const stop = STOPPING.find((kind) => kind === error.kind);
      log.warn(stop ? "reconciliation.orders_without_payment_stopped" : "reconciliation.order_without_payment_skipped", {
        shopId,
        ...(stop ? {} : { orderGid }),
        kind: error.kind,
        status: error.status,
      });
      if (stop) return { ...summary, stopped: stop };
      summary.skipped += 1;
    }
  }
  await store(shopId, findings, now, summary);
  return summary;
}
