// Shopify's order webhooks: each keeps the order index current, cheaply, inside Shopify's request (a
// few statements), and queues matching where a waiting payment may now find its order. In
// production they are answered before Remix (app/server/lifecycle.server.ts), as Checkout.com's are:
// during a sale they arrive as fast as payments do. The Remix routes (app/routes/webhooks.orders.*,
// webhooks.order_transactions.create) answer them the same way in development and tests.
import type { ZodError } from "zod";
import { groupCommit } from "../lib/group-commit.server";
import { log } from "../log.server";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";
import { verifyShopifyWebhook } from "../shopify/webhooks.server";
import { paymentsWaitFor } from "../holds/matching.server";
import { findShop } from "../shops/shop.server";
import { addOrderReferences, indexedOrder, indexOrderTogether } from "./order-index.server";
import { storeOrderTransactions, webhookTransactionSchema, type LocalOrderMoney } from "./order-transactions.server";
import {
  orderIdentitySchema,
  orderWebhookSchema,
  referencesFromTransactionWebhook,
  snapshotFromOrderWebhook,
  transactionWebhookSchema,
} from "./order-payloads";

type WebhookOutcome = { ok: true } | { ok: false; reason: string };

const accepted: WebhookOutcome = { ok: true };

/** Where a payload failed its schema, without its values (they may be personal data). */
const issuesOf = (error: ZodError) => error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`);

/**
 * Stores the order in the index. A payload that is an order but not in the shape the index reads is
 * logged and skipped: matching then reads the order from Shopify, as it did before the index.
 */
async function indexOrderPayload(shopId: string, topic: string, payload: unknown) {
  const order = orderWebhookSchema.safeParse(payload);
  if (order.success) await indexOrderTogether(shopId, snapshotFromOrderWebhook(order.data));
  else log.warn("orders.not_indexed", { topic, issues: issuesOf(order.error) });
}

/** What order_transactions/create stores: the transaction's ids for matching, its money for reconciliation. */
interface TransactionWrite {
  orderGid: string;
  references: string[];
  money: LocalOrderMoney | null;
}

/** Rows of one transaction webhook: its ids (at most 100) and one transaction. */
const MAX_TRANSACTIONS_TOGETHER = 100;

/** The transaction webhooks of one turn of the event loop, written together (lib/group-commit.server.ts). */
const storeTransactionTogether = groupCommit<TransactionWrite>(MAX_TRANSACTIONS_TOGETHER, async (shopId, writes, tx) => {
  for (const { orderGid, references, money } of writes) {
    await addOrderReferences(shopId, orderGid, references, tx);
    if (money) await storeOrderTransactions(shopId, orderGid, money, tx);
  }
});

/**
 * The transaction's money, to join its order's local copy (reconciliation compares with it). One whose
 * money is not in the shape stored is logged and skipped: reconciliation then finds the order's copy
 * incomplete, and its check reads the order from Shopify.
 */
function transactionMoney(payload: unknown): LocalOrderMoney | null {
  const transaction = webhookTransactionSchema.safeParse(payload);
  if (transaction.success) return transaction.data.money;
  log.warn("orders.transaction_not_stored", { issues: issuesOf(transaction.error) });
  return null;
}

/** orders/create: index the order, then match it to waiting payments (a durable job). */
async function receiveNewOrder(shopDomain: string, payload: unknown): Promise<WebhookOutcome> {
  const identity = orderIdentitySchema.safeParse(payload);
  if (!identity.success) return { ok: false, reason: "Payload is not an order" };
  const shop = await findShop(shopDomain);
  if (!shop) return accepted;
  await indexOrderPayload(shop.id, "orders/create", payload);
  const orderGid = identity.data.admin_graphql_api_id;
  // In a sale the order comes before its payment, which then matches from the index: a job per order
  // would find nothing to link (bench:webhooks: 8% of the app's CPU). An order the index could not
  // read is matched by the job, from Shopify.
  const indexed = await indexedOrder(shop.id, orderGid);
  if (!indexed || (await paymentsWaitFor(shop.id, indexed))) {
    await enqueueJob(shop.id, JOB_KINDS.orderCreated, orderGid, { orderGid, name: identity.data.name });
  }
  return accepted;
}

/** orders/updated: the index takes the newer state (an email or a total may change). */
async function receiveUpdatedOrder(shopDomain: string, payload: unknown): Promise<WebhookOutcome> {
  if (!orderIdentitySchema.safeParse(payload).success) return { ok: false, reason: "Payload is not an order" };
  const shop = await findShop(shopDomain);
  if (shop) await indexOrderPayload(shop.id, "orders/updated", payload);
  return accepted;
}

/**
 * order_transactions/create: the transaction's ids (Shopify's payment id, the authorization code, the
 * receipt's ids such as Checkout.com's payment and action ids) join the order's references, and the
 * transaction joins the order's local copy of its money. Order webhooks carry no transactions, so a
 * payment known only by these ids is matched from here.
 */
async function receiveOrderTransaction(shopDomain: string, payload: unknown): Promise<WebhookOutcome> {
  const transaction = transactionWebhookSchema.safeParse(payload);
  if (!transaction.success) return { ok: false, reason: "Payload is not an order transaction" };
  const shop = await findShop(shopDomain);
  if (!shop) return accepted;
  const { orderGid, values } = referencesFromTransactionWebhook(transaction.data);
  await storeTransactionTogether(shop.id, { orderGid, references: values, money: transactionMoney(payload) });
  // Match waiting payments again with the new ids, once the order itself is indexed (until then
  // orders/create will see these ids) and when a payment waits for them. The key makes Shopify's
  // retries of this webhook one job.
  const indexed = values.length ? await indexedOrder(shop.id, orderGid) : null;
  if (indexed && (await paymentsWaitFor(shop.id, indexed))) {
    await enqueueJob(shop.id, JOB_KINDS.orderCreated, `${orderGid}:transaction:${transaction.data.id}`, { orderGid });
  }
  return accepted;
}

const RECEIVERS = {
  "orders/create": receiveNewOrder,
  "orders/updated": receiveUpdatedOrder,
  "order_transactions/create": receiveOrderTransaction,
} as const;

export type OrderWebhookTopic = keyof typeof RECEIVERS;

/** The paths Shopify posts the order topics to (shopify.app.toml). */
export const ORDER_WEBHOOK_PATHS: Readonly<Record<string, OrderWebhookTopic>> = {
  "/webhooks/orders/create": "orders/create",
  "/webhooks/orders/updated": "orders/updated",
  "/webhooks/order_transactions/create": "order_transactions/create",
};

/** Verifies an order webhook (401 for a bad HMAC) and hands it to its topic's receiver. */
export async function answerOrderWebhook(request: Request, topic: OrderWebhookTopic): Promise<Response> {
  const webhook = await verifyShopifyWebhook(request);
  if (!webhook.ok) return webhook.response;
  const outcome = await RECEIVERS[topic](webhook.shop, webhook.payload);
  return outcome.ok ? new Response(null, { status: 200 }) : new Response(outcome.reason, { status: 400 });
}
