// The money on indexed orders: each order's transactions as Shopify last told us, from every read of
// the order's money (the reconciliation check, app/reconciliation/check.server.ts) and from
// order_transactions/create. The daily reconciliation sweep compares payments with these copies and
// asks Shopify only about those that do not agree (app/reconciliation/sweep.server.ts). Every statement
// is scoped to one shop.
import { Prisma } from "@prisma/client";
import { z } from "zod";
import { rawSql } from "../db.server";
import { decimalToMinor } from "../lib/money";
import type { RawSql } from "../lib/prepared-sql.server";
import type { OrderTransaction } from "../money/shopify-order.server";
import type { OrderTransactionErrorCode, OrderTransactionKind, OrderTransactionStatus } from "../types/admin.types";
import { orderGidOf, transactionIds, transactionWebhookSchema } from "./order-payloads";

/** An order's transactions and the (presentment) currency their amounts are in. */
export interface LocalOrderMoney {
  currency: string;
  transactions: OrderTransaction[];
}

/**
 * Stores the order's transactions (one statement), each replacing its earlier copy: Shopify's latest
 * word on a transaction (a refund PENDING, then SUCCESS) is the one kept. A late webhook may bring an
 * older status back; the sweep then finds the order settling and has the check read Shopify again.
 */
export async function storeOrderTransactions(shopId: string, orderGid: string, money: LocalOrderMoney, client: RawSql = rawSql()): Promise<void> {
  // One row per transaction: a statement may not update the same row twice (PostgreSQL refuses it).
  const transactions = [...new Map(money.transactions.map((t) => [t.id, t])).values()];
  if (!transactions.length) return;
  const currency = money.currency.toUpperCase();
  const now = new Date();
  const rows = transactions.map(
    (t) => Prisma.sql`(${shopId}, ${orderGid}, ${t.id}, ${t.kind}, ${t.status}, ${t.gateway}, ${t.amount}, ${currency}, ${t.parentId}, ${t.errorCode},
      ${JSON.stringify(t.references)}, ${t.createdAt}, ${now})`,
  );
  // Raw SQL, portable (both databases take ON CONFLICT ... excluded): webhooks write this inside Shopify's request.
  await client.$executeRaw`
    INSERT INTO "IndexedOrderTransaction" ("shopId", "orderGid", "transactionGid", "kind", "status", "gateway", "amount", "currency", "parentGid", "errorCode", "references", "createdAt", "indexedAt")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("shopId", "orderGid", "transactionGid") DO UPDATE SET
      "kind" = excluded."kind", "status" = excluded."status", "gateway" = excluded."gateway", "amount" = excluded."amount",
      "currency" = excluded."currency", "parentGid" = excluded."parentGid", "errorCode" = excluded."errorCode",
      "references" = excluded."references", "createdAt" = excluded."createdAt", "indexedAt" = excluded."indexedAt"`;
}

interface TransactionRow {
  orderGid: string;
  transactionGid: string;
  kind: OrderTransactionKind;
  status: OrderTransactionStatus;
  gateway: string | null;
  amount: number;
  currency: string;
  parentGid: string | null;
  errorCode: OrderTransactionErrorCode | null;
  references: string;
  createdAt: Date;
}

/**
 * The stored transactions of the shop's orders among `orderGids` (a page of them: one statement), oldest
 * first, by order. An order with none stored is missing from the map.
 */
export async function localOrderMoney(shopId: string, orderGids: string[], sql: RawSql = rawSql()): Promise<Map<string, LocalOrderMoney>> {
  const byOrder = new Map<string, LocalOrderMoney>();
  if (!orderGids.length) return byOrder;
  const rows = await sql.$queryRaw<TransactionRow[]>`
    SELECT "orderGid", "transactionGid", "kind", "status", "gateway", "amount", "currency", "parentGid", "errorCode", "references", "createdAt"
    FROM "IndexedOrderTransaction"
    WHERE "shopId" = ${shopId} AND "orderGid" IN (${Prisma.join([...new Set(orderGids)])})
    ORDER BY "orderGid", "createdAt", "transactionGid"`;
  for (const row of rows) {
    // All of an order's transactions are in its presentment currency.
    let order = byOrder.get(row.orderGid);
    if (!order) byOrder.set(row.orderGid, (order = { currency: row.currency, transactions: [] }));
    order.transactions.push({
      id: row.transactionGid,
      kind: row.kind,
      status: row.status,
      gateway: row.gateway,
      amount: Number(row.amount),
      parentId: row.parentGid,
      createdAt: row.createdAt,
      errorCode: row.errorCode,
      references: JSON.parse(row.references) as string[],
    });
  }
  return byOrder;
}

// GraphQL's enums; REST (the webhook) spells them in lower case.
const KINDS = [
  "AUTHORIZATION",
  "CAPTURE",
  "CHANGE",
  "EMV_AUTHORIZATION",
  "REFUND",
  "SALE",
  "SUGGESTED_REFUND",
  "VOID",
] as const satisfies readonly OrderTransactionKind[];
const STATUSES = ["AWAITING_RESPONSE", "ERROR", "FAILURE", "PENDING", "SUCCESS", "UNKNOWN"] as const satisfies readonly OrderTransactionStatus[];
const upperCase = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(40)
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(values));
const shopifyId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const transactionGidOf = (legacyId: number) => `gid://shopify/OrderTransaction/${legacyId}`;

/**
 * An order_transactions/create payload (REST: numeric ids, lower-case kind and status, the amount a
 * decimal string in the order's presentment currency) as the order and transaction it stores.
 */
export const webhookTransactionSchema = transactionWebhookSchema
  .extend({
    kind: upperCase(KINDS),
    status: upperCase(STATUSES),
    amount: z.union([z.string().max(40), z.number().nonnegative()]).transform(String),
    currency: z.string().regex(/^[A-Za-z]{3}$/),
    parent_id: shopifyId.nullish(),
    created_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date"),
    gateway: z.string().max(255).nullish(),
    error_code: z.string().max(100).nullish(),
  })
  .transform((t, ctx) => {
    const amount = decimalToMinor(t.amount, t.currency);
    if (!amount.ok) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["amount"], message: amount.message });
      return z.NEVER;
    }
    const transaction: OrderTransaction = {
      id: transactionGidOf(t.id),
      kind: t.kind,
      status: t.status,
      gateway: t.gateway ?? null,
      amount: amount.minor,
      parentId: t.parent_id ? transactionGidOf(t.parent_id) : null,
      createdAt: new Date(t.created_at),
      // REST's error codes are GraphQL's in lower case.
      errorCode: (t.error_code?.toUpperCase() ?? null) as OrderTransactionErrorCode | null,
      references: transactionIds({ paymentId: t.payment_id, authorizationCode: t.authorization, receipt: t.receipt }),
    };
    return { orderGid: orderGidOf(t.order_id), money: { currency: t.currency.toUpperCase(), transactions: [transaction] } };
  });
