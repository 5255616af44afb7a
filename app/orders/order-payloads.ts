// Orders as Shopify shows them to the order index: the REST payloads of the orders/create,
// orders/updated and order_transactions/create webhooks (validated here with zod), turned into the
// snapshot the index stores and matching compares. Pure: the index itself is order-index.server.ts.
import { z } from "zod";
import { decimalToMinor } from "../lib/money";
import type { OrderCandidate } from "../holds/matching";
import { receiptStrings } from "../money/shopify-order.server";

/** An order as Shopify last showed it (a webhook or an Admin API read). */
export interface OrderSnapshot extends OrderCandidate {
  /** When Shopify last changed the order: a later snapshot replaces an earlier one, never the reverse. */
  updatedAt: Date;
}

export const ORDER_GID = /^gid:\/\/shopify\/Order\/\d{1,20}$/;
const shopifyId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date");
const text = (max: number) => z.string().max(max);
// REST money is a decimal string ("94.00"); a number is read the same way.
const amount = z.union([z.string().max(40), z.number().nonnegative()]).transform(String);

export const orderGidOf = (legacyId: number | string) => `gid://shopify/Order/${legacyId}`;

/** What every order webhook must carry to be one: the order's ids (orders/create also needs them to queue matching). */
export const orderIdentitySchema = z.object({
  id: shopifyId,
  admin_graphql_api_id: z.string().regex(ORDER_GID),
  name: text(255).optional(),
});

/** The REST Order fields the index stores (orders/create, orders/updated). */
export const orderWebhookSchema = orderIdentitySchema.extend({
  name: text(255),
  email: text(320).nullish(),
  contact_email: text(320).nullish(),
  checkout_token: text(255).nullish(),
  created_at: timestamp,
  updated_at: timestamp.nullish(),
  currency: text(8),
  presentment_currency: text(8).nullish(),
  total_price: amount,
  total_price_set: z.object({ presentment_money: z.object({ amount, currency_code: text(8) }) }).nullish(),
});

export type OrderWebhook = z.infer<typeof orderWebhookSchema>;

/** The REST Transaction fields the index needs (order_transactions/create). */
export const transactionWebhookSchema = z.object({
  id: shopifyId,
  order_id: shopifyId,
  kind: text(40).nullish(),
  status: text(40).nullish(),
  authorization: text(255).nullish(),
  payment_id: text(255).nullish(),
  receipt: z.unknown().optional(),
});

export type TransactionWebhook = z.infer<typeof transactionWebhookSchema>;

/** The order as the index stores it, from an orders/create or orders/updated payload. */
export function snapshotFromOrderWebhook(order: OrderWebhook): OrderSnapshot {
  // The buyer's (presentment) total, as toCandidate reads it from the Admin API; older payloads
  // without total_price_set are in the shop's currency, which is then also the presentment one.
  const money = order.total_price_set?.presentment_money ?? { amount: order.total_price, currency_code: order.presentment_currency ?? order.currency };
  const total = decimalToMinor(money.amount, money.currency_code);
  const email = order.email || order.contact_email || null;
  return {
    gid: order.admin_graphql_api_id,
    legacyId: String(order.id),
    name: order.name,
    checkoutToken: order.checkout_token || null,
    email: email ? email.trim().toLowerCase() : null,
    createdAt: new Date(order.created_at),
    total: total.ok ? total.minor : Number.NaN,
    currency: money.currency_code.toUpperCase(),
    transactionIds: [],
    updatedAt: new Date(order.updated_at ?? order.created_at),
  };
}

/** The ids a transaction carries that a payment may be known by: what toCandidate collects from the Admin API. */
export function transactionIds(transaction: { paymentId?: string | null; authorizationCode?: string | null; receipt?: unknown }): string[] {
  return [transaction.paymentId, transaction.authorizationCode, ...receiptStrings(transaction.receipt)].filter((v): v is string => Boolean(v));
}

/** The order an order_transactions/create payload belongs to, and the ids to index for it. */
export function referencesFromTransactionWebhook(transaction: TransactionWebhook): { orderGid: string; values: string[] } {
  return {
    orderGid: orderGidOf(transaction.order_id),
    values: transactionIds({ paymentId: transaction.payment_id, authorizationCode: transaction.authorization, receipt: transaction.receipt }),
  };
}
