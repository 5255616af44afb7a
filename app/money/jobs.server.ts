// Follow-up work of money actions, run by the worker (app/events/registry.server.ts):
// - money_settle: an action sent through Shopify is carried out later by Shopify's payments app; its
//   transaction is looked at until it succeeded or failed (a failure never produces a Checkout.com
//   webhook, so without this look the action would wait for ever).
// - money_elsewhere: a refund or void none of our actions asked for: was it made in the Shopify admin,
//   or outside Shopify (Checkout.com's dashboard or API)? The latter gets a note on the order.
// - order_note: a staff note appended to a Shopify order's note, once.
import { audit } from "../audit/audit.server";
import { db, rawSql } from "../db.server";
import { enqueueJob, JOB_KINDS, type QueuedJob } from "../queue/jobs.server";
import { formatMoney } from "../lib/money";
import { recordActivity } from "../payments/record.server";
import { adminApi, assertNoUserErrors } from "../shopify/admin-api.server";
import { applyShopifyState, SETTLE_DELAYS_MS } from "./outcome.server";
import { acceptedFrom, findCancellationMoney } from "./send-shopify.server";
import { ORDER_NOTE_MUTATION, ORDER_NOTE_QUERY, TRANSACTION_STATE_QUERY } from "./shopify-documents";
import { paymentTransaction, readOrderTransactions } from "./shopify-order.server";

const UNSETTLED = ["requested", "accepted"];

export async function moneySettleJob(job: QueuedJob) {
  const { actionId, attempt } = job.payload as { actionId: string; attempt: number };
  const action = await db().moneyAction.findFirst({ where: { id: actionId, shopId: job.shopId }, include: { shop: true } });
  if (!action || action.via !== "shopify" || !UNSETTLED.includes(action.status)) return;
  const api = adminApi(action.shop.domain);
  let state;
  let pendingInShopify: boolean;
  if (action.shopifyTransactionId) {
    const data = await api.request(TRANSACTION_STATE_QUERY, { id: action.shopifyTransactionId });
    state = acceptedFrom(data.node, action.kind);
    pendingInShopify = !data.node || !["SUCCESS", "FAILURE", "ERROR"].includes(data.node.status);
  } else {
    // A cancellation whose refund or void Shopify had not made yet when we last looked.
    state = await findCancellationMoney(api, action);
    pendingInShopify = true;
  }
  const updated = await applyShopifyState(action, state);
  if (updated.status === "failed") {
    await audit({
      shopId: action.shopId,
      actor: "system",
      source: "system",
      action: `payment.${action.kind}`,
      paymentId: action.paymentId,
      orderGid: action.orderGid,
      result: "error",
      error: updated.error,
      details: { actionId: action.id, via: "shopify" },
    });
    return;
  }
  // Looked at again until Shopify's payments app has answered; then Checkout.com's webhook settles it.
  const next = attempt + 1;
  if (UNSETTLED.includes(updated.status) && pendingInShopify && next < SETTLE_DELAYS_MS.length) {
    await enqueueJob(
      job.shopId,
      JOB_KINDS.moneySettle,
      `${action.id}:${next}`,
      { actionId: action.id, attempt: next },
      { runAt: new Date(Date.now() + SETTLE_DELAYS_MS[next]) },
    );
  }
}

export async function moneyElsewhereJob(job: QueuedJob) {
  const { paymentId, kind, amount, ckoActionId } = job.payload as { paymentId: string; kind: "refund" | "void"; amount: number | null; ckoActionId: string };
  // Ours after all: a direct action whose webhook was processed before our request got its answer.
  if (await db().moneyAction.findFirst({ where: { shopId: job.shopId, paymentId, ckoActionId } })) return;
  const payment = await db().payment.findFirst({ where: { id: paymentId, shopId: job.shopId }, include: { orderLink: true, shop: true } });
  if (!payment) return;
  const what = kind === "refund" ? `A refund${amount !== null ? ` of ${formatMoney(amount, payment.currency)}` : ""}` : "A void";
  const link = payment.orderLink;
  let summary: string;
  let origin: "shopify_admin" | "outside_shopify";
  if (!link) {
    origin = "outside_shopify";
    summary = `${what} was made outside this app (no Shopify order is linked to the payment).`;
  } else {
    const order = await readOrderTransactions(adminApi(payment.shop.domain), link.orderGid);
    const root = order ? paymentTransaction(order, payment) : null;
    const kindName = kind === "refund" ? "REFUND" : "VOID";
    const ours = new Set(
      (
        await db().moneyAction.findMany({
          where: { shopId: job.shopId, paymentId, shopifyTransactionId: { not: null } },
          select: { shopifyTransactionId: true },
        })
      ).map((a) => a.shopifyTransactionId),
    );
    const related = (order?.transactions ?? []).filter(
      (t) => t.kind === kindName && root && (t.parentId === root.id || order!.transactions.some((p) => p.id === t.parentId && p.parentId === root.id)),
    );
    const inShopify =
      related.find((t) => t.references.includes(ckoActionId)) ?? related.find((t) => !ours.has(t.id) && (amount === null || t.amount === amount));
    origin = inShopify ? "shopify_admin" : "outside_shopify";
    const name = order?.name ?? link.orderName ?? "the order";
    summary = inShopify
      ? `${what} was made on order ${name} in the Shopify admin, not from this app.`
      : `${what} was made outside Shopify (on Checkout.com's dashboard or through its API); a note was added to order ${name}.`;
    if (!inShopify && order) {
      await enqueueJob(job.shopId, JOB_KINDS.orderNote, `elsewhere:${ckoActionId}`, {
        orderGid: order.gid,
        marker: ckoActionId,
        text: `${what} (${ckoActionId}) was made at Checkout.com outside Shopify; this order's totals do not include it.`,
      });
    }
  }
  await recordActivity(rawSql(), payment, {
    sourceKey: `elsewhere:${ckoActionId}`,
    kind: "action",
    type: `${kind}_elsewhere`,
    amount,
    currency: payment.currency,
    summary,
    actor: null,
    details: { ckoActionId, origin },
    occurredAt: new Date(),
  });
}

const NOTE_PREFIX = "Checkout.com companion:";

export async function orderNoteJob(job: QueuedJob) {
  const { orderGid, marker, text } = job.payload as { orderGid: string; marker: string; text: string };
  const shop = await db().shop.findUniqueOrThrow({ where: { id: job.shopId } });
  const api = adminApi(shop.domain);
  const data = await api.request(ORDER_NOTE_QUERY, { id: orderGid });
  if (!data.order) return;
  const tag = `[ref ${marker}]`;
  const note = data.order.note ?? "";
  if (note.includes(tag)) return;
  const line = `${NOTE_PREFIX} ${text} ${tag}`;
  const result = await api.request(ORDER_NOTE_MUTATION, {
    input: { id: orderGid, note: note ? `${note}\n${line}` : line },
  });
  assertNoUserErrors("orderUpdate", result.orderUpdate);
}
