// Linking a payment to its Shopify order: the stored link if there is one, else the strong lookups,
// else the weak email + amount lookup, each in the shop's order index (app/orders) before Shopify.
// Shopify is asked only when the caller says so (a payment to hold now, or a retry), so a sale peak
// costs local lookups rather than Admin API calls. One link per payment, ever (OrderLink.paymentId is
// unique, so two workers racing end up with the same link).
import { Prisma, type OrderLink, type Payment } from "@prisma/client";
import { db, rawSql } from "../db.server";
import { inPreparedTransaction, type RawSql } from "../lib/prepared-sql.server";
import { lockRowForUpdate } from "../lib/row-lock.server";
import { insertIfAbsent, selectOne, updateWhere } from "../lib/sql.server";
import { indexedEmailCandidates, indexedOrder, indexedStrongCandidates, indexOrders } from "../orders/order-index.server";
import { bestMatch, EMAIL_MATCH_WINDOW_MS, orderNameKey, type MatchResult, type OrderCandidate, type PaymentToMatch } from "./matching";
import { findCandidateOrders, type CandidateLookups, type ShopifyAdmin } from "./shopify-orders.server";
import { syncDisputesOfMatchedPayment } from "../disputes/sync.server";
import { queueReconciliationCheck } from "../reconciliation/queue.server";

/** What the payment's stored Checkout.com events add: its action ids, and an IP country if given. */
export interface PaymentEventFacts {
  actionIds: string[];
  ipCountry: string | null;
}

/**
 * Reads the payment's events from the inbox. Checkout.com reports the payment IP but not its
 * country; a checkout that knows it (e.g. from a CDN geolocation header) can send it as
 * `metadata.ip_country`, which is the only IP country the rules use.
 */
export async function paymentEventFacts(shopId: string, ckoPaymentId: string, sql: RawSql = rawSql()): Promise<PaymentEventFacts> {
  return (await eventFactsByPayment(shopId, [ckoPaymentId], sql)).get(ckoPaymentId)!;
}

export async function eventFactsByPayment(shopId: string, ckoPaymentIds: string[], sql: RawSql = rawSql()): Promise<Map<string, PaymentEventFacts>> {
  // Sorted here, not in SQL: ORDER BY receivedAt makes SQLite walk the (shopId, receivedAt) index over
  // all the shop's events instead of looking up these payments by (shopId, ckoPaymentId).
  // Raw: this runs for every payment reviewed (lib/sql.server.ts).
  const events = ckoPaymentIds.length
    ? (
        await sql.$queryRaw<Array<{ ckoPaymentId: string | null; payload: string; receivedAt: Date }>>`
          SELECT "ckoPaymentId", "payload", "receivedAt" FROM "WebhookEvent"
          WHERE "shopId" = ${shopId} AND "ckoPaymentId" IN (${Prisma.join(ckoPaymentIds)})`
      ).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
    : [];
  const facts = new Map(ckoPaymentIds.map((id) => [id, { actionIds: [] as string[], ipCountry: null as string | null }]));
  for (const { ckoPaymentId, payload } of events) {
    const entry = facts.get(ckoPaymentId!)!;
    let data: { action_id?: unknown; metadata?: { ip_country?: unknown } } | undefined;
    try {
      data = (JSON.parse(payload) as { data?: typeof data }).data;
    } catch {
      continue;
    }
    if (typeof data?.action_id === "string" && !entry.actionIds.includes(data.action_id)) entry.actionIds.push(data.action_id);
    const country = data?.metadata?.ip_country;
    if (typeof country === "string" && /^[A-Za-z]{2}$/.test(country)) entry.ipCountry = country.toUpperCase();
  }
  return facts;
}

function paymentToMatch(payment: Payment, actionIds: string[]): PaymentToMatch {
  return {
    ckoPaymentId: payment.ckoPaymentId,
    actionIds,
    reference: payment.reference,
    amount: payment.amount,
    currency: payment.currency,
    customerEmail: payment.customerEmail,
    occurredAt: payment.processedOn ?? payment.createdAt,
  };
}

/** Asks Shopify, and keeps what it answered in the index, so the next payment of these orders finds them there. */
async function askShopify(shopId: string, api: ShopifyAdmin, lookups: CandidateLookups): Promise<OrderCandidate[]> {
  const found = await findCandidateOrders(api, lookups);
  await indexOrders(shopId, found);
  return found;
}

/**
 * Finds the payment's order: the strong ways before the weak one, and for each the order index
 * before Shopify (`shopify` null: the index only, and the strong ways only). The weak way waits until
 * Shopify has been asked the strong ones: during a burst an order's webhook may not have reached the
 * index yet, and the same customer's other order (same email, same amount) must not take its payment.
 * Nor does the weak way offer an order another payment is linked to already.
 */
async function findOrderFor(shopId: string, payment: PaymentToMatch, shopify: ShopifyAdmin | null, sql: RawSql): Promise<MatchResult | null> {
  const reference = payment.reference?.trim() || null;
  const transactionIds = [payment.ckoPaymentId, ...payment.actionIds, ...(reference ? [reference] : [])];
  const strongHere = bestMatch(payment, await indexedStrongCandidates(shopId, { reference, transactionIds }, sql));
  if (strongHere) return strongHere;
  if (!shopify) return null;
  const strong = bestMatch(payment, await askShopify(shopId, shopify, { reference: payment.reference, ckoPaymentId: payment.ckoPaymentId }));
  if (strong) return strong;
  if (!payment.customerEmail) return null;
  const at = payment.occurredAt.getTime();
  const window = { from: new Date(at - EMAIL_MATCH_WINDOW_MS), to: new Date(at + EMAIL_MATCH_WINDOW_MS) };
  const weakHere = bestMatch(payment, await notLinkedYet(shopId, await indexedEmailCandidates(shopId, payment.customerEmail, window.from, window.to)));
  if (weakHere) return weakHere;
  return bestMatch(payment, await notLinkedYet(shopId, await askShopify(shopId, shopify, { email: { address: payment.customerEmail, ...window } })));
}

/** The candidates no payment is linked to yet. */
async function notLinkedYet(shopId: string, candidates: OrderCandidate[]): Promise<OrderCandidate[]> {
  if (!candidates.length) return [];
  const linked = await rawSql().$queryRaw<Array<{ orderGid: string }>>`
    SELECT DISTINCT "orderGid" FROM "OrderLink" WHERE "shopId" = ${shopId} AND "orderGid" IN (${Prisma.join(candidates.map((c) => c.gid))})`;
  const taken = new Set(linked.map((l) => l.orderGid));
  return candidates.filter((c) => !taken.has(c.gid));
}

/** The order a reviewer names ("#1001", its number or its id): the index first, else Shopify (then indexed). */
export async function orderByReference(shopId: string, api: ShopifyAdmin, reference: string): Promise<OrderCandidate | null> {
  const key = orderNameKey(reference);
  const named = (orders: OrderCandidate[]) => orders.find((o) => orderNameKey(o.name) === key || o.gid === reference.trim() || o.legacyId === key) ?? null;
  return named(await indexedStrongCandidates(shopId, { reference, transactionIds: [] })) ?? named(await askShopify(shopId, api, { reference }));
}

/** The order as the index has it, else as Shopify has it (then indexed); null when neither knows it. */
export async function orderForMatching(shopId: string, api: ShopifyAdmin, orderGid: string): Promise<OrderCandidate | null> {
  const indexed = await indexedOrder(shopId, orderGid);
  if (indexed) return indexed;
  const [order] = await askShopify(shopId, api, { orderGid });
  return order ?? null;
}

/**
 * Stores the link once; if another worker stored one first, that one stands. `created` says whether
 * this call stored it (a reviewer's double click must review the payment once). In `tx` when given
 * (an event's transaction), else in a transaction of its own.
 */
export async function storeOrderLink(shopId: string, paymentId: string, match: MatchResult, tx?: RawSql): Promise<{ link: OrderLink; created: boolean }> {
  const store = async (tx: RawSql) => {
    // The payment first, then the link: the same order as an event's transaction, which holds the
    // payment's row when it links it (PostgreSQL would otherwise find the two deadlocked).
    await lockRowForUpdate(tx, "Payment", paymentId);
    const link = {
      shopId,
      paymentId,
      orderGid: match.order.gid,
      orderName: match.order.name,
      matchedBy: match.matchedBy,
      confidence: match.confidence,
      needsReview: match.needsReview,
    };
    const created = await insertIfAbsent(tx, "OrderLink", link, ["paymentId"]);
    if (created) {
      await updateWhere(tx, "Payment", { id: paymentId, shopId }, { matchStatus: "matched" });
      await syncDisputesOfMatchedPayment(tx, shopId, paymentId);
      await queueReconciliationCheck(shopId, paymentId, "linked", { tx });
    }
    const stored = await selectOne(tx, "OrderLink", { paymentId });
    if (!stored) throw new Error(`The order link of payment ${paymentId} vanished while being stored`);
    return { link: stored, created };
  };
  // Prepared statements: every payment of a sale is linked here.
  return tx ? store(tx) : inPreparedTransaction(db(), store);
}

export interface OrderLinkOptions {
  /** Shopify, asked when the order index has no match; null: the index only. */
  shopify: ShopifyAdmin | null;
  /** The payment's action ids, when the caller has read its events already. */
  actionIds?: string[];
  /** The transaction to read and link in (an event's, when the payment is reviewed inside it). */
  tx?: RawSql;
}

/** The payment's order link: stored, or found now (null while the order is not found). */
export async function ensureOrderLink(payment: Payment, options: OrderLinkOptions): Promise<OrderLink | null> {
  const sql = options.tx ?? rawSql();
  const stored = await selectOne(sql, "OrderLink", { paymentId: payment.id, shopId: payment.shopId });
  if (stored) return stored;
  const actionIds = options.actionIds ?? (await paymentEventFacts(payment.shopId, payment.ckoPaymentId, sql)).actionIds;
  const match = await findOrderFor(payment.shopId, paymentToMatch(payment, actionIds), options.shopify, sql);
  return match ? (await storeOrderLink(payment.shopId, payment.id, match, options.tx)).link : null;
}

/**
 * The shop's unlinked payments since `since` that could match `order` strongly: by reference (its
 * name, id or checkout token, or one of its transaction ids), by payment id or by action id. Not every
 * pending payment: during a sale thousands wait for their review, and each new order would read them
 * all. Not by email: a customer's new order must not take a payment whose own order is another.
 */
async function waitingPaymentsFor(shopId: string, order: OrderCandidate, since: Date): Promise<Payment[]> {
  const key = orderNameKey(order.name);
  const references = [
    ...new Set([
      order.name,
      key,
      `#${key}`,
      key.toUpperCase(),
      `#${key.toUpperCase()}`,
      order.legacyId,
      order.gid,
      order.checkoutToken,
      ...order.transactionIds,
    ]),
  ].filter((v): v is string => Boolean(v));
  // The window is applied here, not in SQL: given "createdAt >=", SQLite (no statistics) would walk
  // every payment of the window through the (shopId, createdAt) index instead of the lookup's own.
  const waiting = Prisma.sql`SELECT * FROM "Payment" WHERE "shopId" = ${shopId} AND "matchStatus" = 'pending'
    AND NOT EXISTS (SELECT 1 FROM "OrderLink" WHERE "OrderLink"."paymentId" = "Payment"."id")`;
  // One arm per lookup, each on the index it fills (shopId first).
  const arms = [Prisma.sql`${waiting} AND "reference" IN (${Prisma.join(references)})`];
  if (order.transactionIds.length) {
    arms.push(Prisma.sql`${waiting} AND "ckoPaymentId" IN (${Prisma.join(order.transactionIds)})`);
    // A transaction may carry one of the payment's Checkout.com action ids instead.
    arms.push(Prisma.sql`SELECT "Payment".* FROM "PaymentActivity" JOIN "Payment" ON "Payment"."id" = "PaymentActivity"."paymentId"
      WHERE "PaymentActivity"."shopId" = ${shopId} AND "PaymentActivity"."actionId" IN (${Prisma.join(order.transactionIds)})
        AND "Payment"."shopId" = ${shopId} AND "Payment"."matchStatus" = 'pending'
        AND NOT EXISTS (SELECT 1 FROM "OrderLink" WHERE "OrderLink"."paymentId" = "Payment"."id")`);
  }
  const found = await rawSql().$queryRaw<Payment[]>`${Prisma.join(arms, " UNION ")}`;
  return found.filter((payment) => payment.createdAt >= since);
}

/**
 * Whether an unlinked payment names this indexed order: then an order webhook queues matching
 * (`order_created`); otherwise every payment still to come finds the order in the index itself. The
 * index row commits before this looks, so a payment stored meanwhile is either seen here or reviewed
 * after the row is there.
 */
export async function paymentsWaitFor(shopId: string, order: OrderCandidate): Promise<boolean> {
  return (await waitingPaymentsFor(shopId, order, new Date(0))).length > 0;
}

/**
 * A new order may be the one waiting payments were looking for: links every pending payment of the
 * shop (within its match window) that this order matches, and returns their ids.
 */
export async function linkWaitingPayments(shopId: string, order: OrderCandidate, windowMinutes: number, now = new Date()): Promise<string[]> {
  const waiting = await waitingPaymentsFor(shopId, order, new Date(now.getTime() - windowMinutes * 60_000));
  const facts = await eventFactsByPayment(
    shopId,
    waiting.map((p) => p.ckoPaymentId),
  );
  const linked: string[] = [];
  for (const payment of waiting) {
    const match = bestMatch(paymentToMatch(payment, facts.get(payment.ckoPaymentId)!.actionIds), [order]);
    // Email and amount alone say only "maybe": the payment's own review weighs that against its
    // reference (the index, then Shopify) before it settles for it.
    if (match && match.confidence === "strong") {
      await storeOrderLink(shopId, payment.id, match);
      linked.push(payment.id);
    }
  }
  return linked;
}
