// order_transactions/create as Shopify sends it: the transaction in the REST Admin API's JSON (numeric
// ids, lower-case kind and status, the amount as a decimal string in the order's presentment currency,
// `authorization`, `payment_id` and the gateway's `receipt` as an object). Post it with the signed
// headers of order-webhooks.ts (webhookDelivery); the stand-in sends no webhooks by itself.
import { currencyDigits } from "../../../app/lib/money";
import { restTime, webhookDelivery } from "./order-webhooks";
import { legacyId, type ShopifyStore } from "./store";

/** The transaction as Shopify's REST Admin API (and so order_transactions/create) renders it. */
export function restTransaction(store: ShopifyStore, transactionId: string): Record<string, unknown> {
  const found = store.transaction(transactionId);
  if (!found) throw new Error(`Unknown transaction ${transactionId}`);
  const { order, transaction } = found;
  const timeZone = store.shop(order.shop)!.ianaTimezone;
  const exponent = currencyDigits(order.presentmentCurrencyCode);
  let receipt: unknown = {};
  try {
    receipt = transaction.receiptJson ? JSON.parse(transaction.receiptJson) : {};
  } catch {
    receipt = {};
  }
  return {
    id: Number(legacyId(transaction.id)),
    admin_graphql_api_id: transaction.id,
    order_id: Number(legacyId(order.id)),
    kind: transaction.kind.toLowerCase(),
    gateway: transaction.gateway,
    status: transaction.status.toLowerCase(),
    message: null,
    created_at: restTime(transaction.createdAt, timeZone),
    processed_at: restTime(transaction.processedAt, timeZone),
    test: transaction.test,
    authorization: transaction.authorizationCode,
    location_id: null,
    user_id: null,
    parent_id: transaction.parentId ? Number(legacyId(transaction.parentId)) : null,
    device_id: null,
    error_code: transaction.errorCode?.toLowerCase() ?? null,
    source_name: "web",
    receipt,
    amount: (transaction.amount / 10 ** exponent).toFixed(exponent),
    currency: order.presentmentCurrencyCode,
    payment_id: transaction.paymentId,
    manual_payment_gateway: false,
  };
}

/** order_transactions/create for a transaction of the stand-in, as Shopify sends it once the transaction exists. */
export function transactionCreatedDelivery(store: ShopifyStore, transactionId: string, apiSecret: string) {
  const shop = store.transaction(transactionId)?.order.shop;
  if (!shop) throw new Error(`Unknown transaction ${transactionId}`);
  return webhookDelivery("order_transactions/create", shop, restTransaction(store, transactionId), apiSecret);
}
