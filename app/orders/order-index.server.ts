// The order index: the shop's recent Shopify orders (IndexedOrder) and the ids on their transactions
// (IndexedOrderReference), so that matching a payment to its order is a lookup here instead of an
// Admin API call per payment. Written by the order webhooks, the backfill and every Shopify read that
// matching still makes; read by app/holds/matching.server.ts. Every statement is scoped to one shop.
import { Prisma, type IndexedOrder, type PrismaClient } from "@prisma/client";
import { rawSql, type Tx } from "../db.server";
import { groupCommit } from "../lib/group-commit.server";
import type { RawSql } from "../lib/prepared-sql.server";
import { orderNameKey, type OrderCandidate } from "../holds/matching";
import { ORDER_GID, orderGidOf, type OrderSnapshot } from "./order-payloads";

/** A receipt can be any JSON: a bound on the ids one write adds to an order. */
const MAX_REFERENCES_PER_ORDER = 100;

/**
 * Whether a transaction string is worth a row: ids are (4 to 255 characters, no spaces). Status words
 * in receipts ("Captured", "success") are not, and would otherwise give every order the same rows.
 */
export function isIndexableReference(value: string): boolean {
  return /^\S{4,255}$/.test(value) && !/^[A-Za-z]{1,15}$/.test(value);
}

const referenceRows = (shopId: string, orderGid: string, values: string[]) =>
  [...new Set(values.filter(isIndexableReference))].slice(0, MAX_REFERENCES_PER_ORDER).map((value) => ({ shopId, orderGid, value }));

/**
 * Stores the orders (one statement) and adds their transaction ids. A snapshot older than the stored
 * one (webhooks arrive in any order; a backfill page may be read before a webhook lands) changes
 * nothing but may still add ids, which only ever accumulate.
 */
export async function indexOrders(shopId: string, snapshots: OrderSnapshot[], client: RawSql = rawSql()): Promise<void> {
  // One row per order: a statement may not update the same row twice (PostgreSQL refuses it).
  const latest = new Map<string, OrderSnapshot>();
  for (const s of snapshots) {
    const seen = latest.get(s.gid);
    if (!seen || seen.updatedAt <= s.updatedAt) latest.set(s.gid, s);
  }
  if (!latest.size) return;
  const now = new Date();
  // Raw SQL: orders/create writes this inside Shopify's webhook request, where a typed upsert costs
  // several times more (app/lib/sql.server.ts). Portable: both databases take ON CONFLICT ... excluded.
  const rows = [...latest.values()].map(
    (s) => Prisma.sql`(${shopId}, ${s.gid}, ${s.legacyId}, ${s.name}, ${orderNameKey(s.name)}, ${s.checkoutToken}, ${s.email?.trim().toLowerCase() || null},
      ${Number.isSafeInteger(s.total) ? s.total : null}, ${s.currency.toUpperCase()}, ${s.createdAt}, ${s.updatedAt}, ${now})`,
  );
  await client.$executeRaw`
    INSERT INTO "IndexedOrder" ("shopId", "orderGid", "legacyId", "name", "nameKey", "checkoutToken", "email", "total", "currency", "createdAt", "shopifyUpdatedAt", "indexedAt")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("shopId", "orderGid") DO UPDATE SET
      "legacyId" = excluded."legacyId", "name" = excluded."name", "nameKey" = excluded."nameKey", "checkoutToken" = excluded."checkoutToken",
      "email" = excluded."email", "total" = excluded."total", "currency" = excluded."currency", "createdAt" = excluded."createdAt",
      "shopifyUpdatedAt" = excluded."shopifyUpdatedAt", "indexedAt" = excluded."indexedAt"
    WHERE "IndexedOrder"."shopifyUpdatedAt" <= excluded."shopifyUpdatedAt"`;
  const references = [...latest.values()].flatMap((s) => referenceRows(shopId, s.gid, s.transactionIds));
  await insertReferences(client, references);
}

/** Rows per statement: 12 parameters each, well under SQLite's and PostgreSQL's limits. */
const MAX_ORDERS_TOGETHER = 200;

/**
 * Indexes one order from a webhook, together with the orders of the other webhooks of this turn of the
 * event loop (lib/group-commit.server.ts). Resolves once the order is stored; when the write fails,
 * every webhook of the batch fails (Shopify retries).
 */
export const indexOrderTogether = groupCommit(MAX_ORDERS_TOGETHER, indexOrders);

/** Adds ids from one of the order's transactions (order_transactions/create), whether or not the order is indexed yet. */
export async function addOrderReferences(shopId: string, orderGid: string, values: string[], client: RawSql = rawSql()): Promise<number> {
  return insertReferences(client, referenceRows(shopId, orderGid, values));
}

async function insertReferences(client: RawSql, rows: Array<{ shopId: string; orderGid: string; value: string }>): Promise<number> {
  if (!rows.length) return 0;
  return client.$executeRaw`
    INSERT INTO "IndexedOrderReference" ("shopId", "orderGid", "value")
    VALUES ${Prisma.join(rows.map((r) => Prisma.sql`(${r.shopId}, ${r.orderGid}, ${r.value})`))}
    ON CONFLICT ("shopId", "orderGid", "value") DO NOTHING`;
}

// The reads below run for every payment reviewed, so they are raw statements (lib/sql.server.ts:
// a typed query plans itself anew on every call, several times the cost of the lookup itself).

/** Indexed orders as matching compares them, with their transaction ids. */
async function withReferences(shopId: string, orders: IndexedOrder[], sql: RawSql = rawSql()): Promise<OrderCandidate[]> {
  if (!orders.length) return [];
  const references = await sql.$queryRaw<Array<{ orderGid: string; value: string }>>`
    SELECT "orderGid", "value" FROM "IndexedOrderReference"
    WHERE "shopId" = ${shopId} AND "orderGid" IN (${Prisma.join(orders.map((o) => o.orderGid))})`;
  const byOrder = new Map<string, string[]>();
  for (const r of references) byOrder.set(r.orderGid, [...(byOrder.get(r.orderGid) ?? []), r.value]);
  return orders.map((o) => ({
    gid: o.orderGid,
    legacyId: o.legacyId,
    name: o.name,
    checkoutToken: o.checkoutToken,
    email: o.email,
    createdAt: o.createdAt,
    // Not money in its currency: never equal to a payment's amount (as toCandidate reads it).
    total: o.total ?? Number.NaN,
    currency: o.currency,
    transactionIds: byOrder.get(o.orderGid) ?? [],
  }));
}

/** One indexed order, or null when the index does not have it. */
export async function indexedOrder(shopId: string, orderGid: string): Promise<OrderCandidate | null> {
  const orders = await rawSql().$queryRaw<IndexedOrder[]>`SELECT * FROM "IndexedOrder" WHERE "shopId" = ${shopId} AND "orderGid" = ${orderGid} LIMIT 1`;
  return orders.length ? (await withReferences(shopId, orders))[0] : null;
}

export interface StrongLookups {
  /** The payment's reference, tried as an order name, order id (or gid) and checkout token. */
  reference: string | null;
  /** Ids a transaction of the order may carry: the Checkout.com payment and action ids, the reference. */
  transactionIds: string[];
}

/**
 * Orders the strong ways of matching may take: the same lookups findCandidateOrders asks Shopify for,
 * and action ids too. `sql`: an event's transaction, when the payment is reviewed inside it.
 */
export async function indexedStrongCandidates(shopId: string, lookups: StrongLookups, sql: RawSql = rawSql()): Promise<OrderCandidate[]> {
  const reference = lookups.reference?.trim() || null;
  const ids = [...new Set(lookups.transactionIds.filter((v) => v && isIndexableReference(v)))];
  const byTransaction = ids.length
    ? await sql.$queryRaw<Array<{ orderGid: string }>>`
        SELECT "orderGid" FROM "IndexedOrderReference" WHERE "shopId" = ${shopId} AND "value" IN (${Prisma.join(ids)}) LIMIT 50`
    : [];
  const gids = new Set(byTransaction.map((r) => r.orderGid));
  const referenceGid = !reference ? null : ORDER_GID.test(reference) ? reference : /^\d{1,20}$/.test(reference) ? orderGidOf(reference) : null;
  if (referenceGid) gids.add(referenceGid);
  // One statement, one arm per lookup, each on the index it fills (shopId first): an OR of the
  // lookups would have SQLite, which keeps no statistics here, walk all of the shop's orders.
  const from = Prisma.sql`SELECT * FROM "IndexedOrder" WHERE "shopId" = ${shopId}`;
  const arms: Prisma.Sql[] = [];
  if (gids.size) arms.push(Prisma.sql`${from} AND "orderGid" IN (${Prisma.join([...gids])})`);
  if (reference) {
    arms.push(Prisma.sql`${from} AND "nameKey" = ${orderNameKey(reference)}`);
    arms.push(Prisma.sql`${from} AND "checkoutToken" = ${reference}`);
  }
  if (!arms.length) return [];
  const orders = await sql.$queryRaw<IndexedOrder[]>`${Prisma.join(arms, " UNION ")} LIMIT 50`;
  return withReferences(shopId, orders, sql);
}

/** Orders with this email created in [from, to]: the weak way. */
export async function indexedEmailCandidates(shopId: string, email: string, from: Date, to: Date): Promise<OrderCandidate[]> {
  const orders = await rawSql().$queryRaw<IndexedOrder[]>`
    SELECT * FROM "IndexedOrder"
    WHERE "shopId" = ${shopId} AND "email" = ${email.trim().toLowerCase()} AND "createdAt" >= ${from} AND "createdAt" <= ${to}
    ORDER BY "createdAt" LIMIT 20`;
  return withReferences(shopId, orders);
}

/**
 * Transaction ids of the shop's orders created in [from, to] that have the shape of a Checkout.com
 * payment id (pay_ and 30 characters), at most `limit`: the payments of a time range as Shopify saw
 * them, also those whose webhooks never reached the app.
 */
export async function paymentIdsOfOrdersCreatedBetween(shopId: string, from: Date, to: Date, limit: number): Promise<string[]> {
  // substr, not LIKE: "_" is a wildcard there, and SQLite's LIKE ignores case. A rare, manual read of
  // the shop's rows; it needs no index of its own.
  const rows = await rawSql().$queryRaw<Array<{ value: string }>>`
    SELECT DISTINCT r."value" FROM "IndexedOrderReference" r
    JOIN "IndexedOrder" o ON o."shopId" = r."shopId" AND o."orderGid" = r."orderGid"
    WHERE r."shopId" = ${shopId} AND substr(r."value", 1, 4) = ${"pay_"} AND length(r."value") = 30
      AND o."createdAt" >= ${from} AND o."createdAt" <= ${to}
    LIMIT ${limit}`;
  return rows.map((r) => r.value);
}

/** customers/redact: the customer's email leaves the index (the orders stay: they are the merchant's). */
export async function forgetCustomerEmails(client: PrismaClient | Tx, shopId: string, customer: { emails: string[]; orderGids: string[] }): Promise<number> {
  const emails = [...new Set(customer.emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  if (!emails.length && !customer.orderGids.length) return 0;
  const { count } = await client.indexedOrder.updateMany({
    where: { shopId, email: { not: null }, OR: [{ email: { in: emails } }, { orderGid: { in: customer.orderGids } }] },
    data: { email: null },
  });
  return count;
}
