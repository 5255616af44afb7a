// What sending a money action leaves behind, whichever path it took: one request sends at a time (a
// short lease on the action), an accepted action gets its ids, a timeline entry and follow-up jobs, a
// failed one keeps the words to show. Retryable failures stay "requested": asking again resends the
// same request with the same key.
import type { MoneyAction } from "@prisma/client";
import { CheckoutError, explainCheckoutError } from "../checkout/errors";
import type { Words } from "../i18n/locales";
import { db } from "../db.server";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";
import { formatMoney } from "../lib/money";
import { lockRowForUpdate } from "../lib/row-lock.server";
import { recordActivity } from "../payments/record.server";
import { reportedActionOutcome } from "./event-outcomes.server";
import { ShopifyApiError } from "../shopify/admin-api.server";

/** A failure's `message` is English (kept on the action, audited); `words`, where they are ours, say it in a staff member's language. */
export type SendOutcome = { ok: true; action: MoneyAction } | { ok: false; action: MoneyAction; message: string; words?: Words };

/** How long one request may take to send an action before another may try. */
const SEND_LEASE_MS = 60_000;
/** When to look at Shopify's transaction again, until its payments app has answered. */
export const SETTLE_DELAYS_MS = [15_000, 60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 6 * 60 * 60_000, 24 * 60 * 60_000];

/** Takes the right to send; false when another request is sending this action right now. */
export async function claimSending(action: MoneyAction): Promise<boolean> {
  const now = new Date();
  const { count } = await db().moneyAction.updateMany({
    where: { id: action.id, status: "requested", OR: [{ sendingUntil: null }, { sendingUntil: { lt: now } }] },
    data: { sendingUntil: new Date(now.getTime() + SEND_LEASE_MS), error: null },
  });
  return count === 1;
}

/** Another request is sending (a double click): its result is this one's. */
export async function otherSender(action: MoneyAction): Promise<SendOutcome> {
  const deadline = Date.now() + SEND_LEASE_MS;
  let current = action;
  for (;;) {
    current = (await db().moneyAction.findUnique({ where: { id: action.id } })) ?? current;
    const sending = current.status === "requested" && current.sendingUntil !== null && current.sendingUntil > new Date();
    if (!sending || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (current.status === "failed" || current.status === "declined" || current.status === "requested") {
    return current.error !== null
      ? { ok: false, action: current, message: current.error }
      : { ok: false, action: current, message: `The ${current.kind} did not go through. Try again.`, words: { key: `money.notThrough.${current.kind}` } };
  }
  return { ok: true, action: current };
}

export interface Accepted {
  /** Shopify's transaction for the action (through Shopify). */
  shopifyTransactionId?: string | null;
  shopifyRefundId?: string | null;
  /** Checkout.com's action id, when known (direct calls; receipts of Shopify's payments app). */
  ckoActionId?: string | null;
  /** Shopify's payments app already failed it. */
  failure?: string | null;
}

const NOUN = { refund: "Refund", capture: "Capture", void: "Void", record_refund: "Refund" } as const;

/** One line for the payment timeline: what, how much, by whom, and which path. */
function describeAction(action: MoneyAction): string {
  const amount = action.kind === "void" || action.amount === null ? "" : ` of ${formatMoney(action.amount, action.currency)}`;
  const what = `${NOUN[action.kind as keyof typeof NOUN]}${amount}`;
  const reason = action.reason ? ` Reason: ${action.reason}.` : "";
  const order = action.orderName ?? "the order";
  if (action.kind === "record_refund")
    return `${what} made at Checkout.com recorded on Shopify order ${order} by ${action.requestedBy} (no money moved).${reason}`;
  if (action.via === "shopify") {
    const extras = [
      action.cancelOrder ? `${order} canceled (fraud)` : null,
      JSON.parse(action.lineItems).some((l: { restockType?: string }) => l.restockType === "CANCEL") ? "unshipped items restocked" : null,
      action.notifyCustomer ? "customer notified" : null,
    ].filter(Boolean);
    return `${what} through Shopify order ${order} by ${action.requestedBy}${extras.length ? `: ${extras.join(", ")}` : ""}.${reason}`;
  }
  const why = action.orderGid ? `${order} has no Checkout.com transaction in Shopify, so a note was added to it` : "no Shopify order is linked to the payment";
  return `${what} made directly at Checkout.com by ${action.requestedBy} (${why}).${reason}`;
}

/** Stores what Shopify or Checkout.com answered, unless the webhook settled the action first. */
export async function markAccepted(action: MoneyAction, accepted: Accepted): Promise<SendOutcome> {
  const saved = await db().$transaction(async (tx) => {
    // Serialised with the worker applying this payment's events (it locks the payment row too), so
    // either it sees our ids or we see its outcome.
    await lockRowForUpdate(tx, "Payment", action.paymentId);
    const current = await tx.moneyAction.findUniqueOrThrow({ where: { id: action.id } });
    const ckoActionId = accepted.ckoActionId ?? current.ckoActionId;
    const reported = ckoActionId && current.status === "requested" ? await reportedActionOutcome(tx, action.paymentId, ckoActionId) : null;
    // A recorded refund is done once Shopify has it: no payments app, no Checkout.com webhook follows.
    const done = action.kind === "record_refund" ? "succeeded" : "accepted";
    const status = current.status !== "requested" ? current.status : accepted.failure ? "failed" : (reported?.status ?? done);
    const error = current.status !== "requested" ? current.error : (accepted.failure ?? reported?.error ?? null);
    const updated = await tx.moneyAction.update({
      where: { id: action.id },
      data: {
        status,
        error,
        ckoActionId,
        shopifyTransactionId: accepted.shopifyTransactionId ?? current.shopifyTransactionId,
        shopifyRefundId: accepted.shopifyRefundId ?? current.shopifyRefundId,
        sendingUntil: null,
      },
    });
    await recordActivity(
      tx,
      { id: action.paymentId, shopId: action.shopId },
      {
        sourceKey: `money-action:${action.id}`,
        kind: "action",
        type: `${action.kind}_requested`,
        amount: action.amount,
        currency: action.currency,
        summary: describeAction(updated),
        actor: action.requestedBy,
        details: { via: action.via, ckoActionId, shopifyTransactionId: updated.shopifyTransactionId, source: action.source, orderGid: action.orderGid },
        occurredAt: new Date(),
      },
    );
    if (updated.via === "shopify" && updated.status === "accepted") {
      await enqueueJob(
        action.shopId,
        JOB_KINDS.moneySettle,
        `${action.id}:0`,
        { actionId: action.id, attempt: 0 },
        { tx, runAt: new Date(Date.now() + SETTLE_DELAYS_MS[0]) },
      );
    }
    if (updated.via === "checkout" && updated.orderGid) {
      await enqueueJob(
        action.shopId,
        JOB_KINDS.orderNote,
        `money-action:${action.id}`,
        { orderGid: updated.orderGid, marker: action.id, text: describeAction(updated) },
        { tx },
      );
    }
    return updated;
  });
  if (saved.status === "failed") {
    return saved.error !== null
      ? { ok: false, action: saved, message: saved.error }
      : { ok: false, action: saved, message: `The ${action.kind} failed.`, words: { key: `money.failed.${action.kind}` } };
  }
  return { ok: true, action: saved };
}

/** Words for a failure, and whether sending again may work. */
function failureOf(error: unknown): { message: string; retryable: boolean } | null {
  if (error instanceof CheckoutError) return { message: explainCheckoutError(error), retryable: error.retryable };
  if (error instanceof ShopifyApiError) return { message: error.message, retryable: error.retryable };
  return null;
}

/** Keeps the failure on the action: retryable ones stay "requested" so asking again resends. */
export async function markFailed(action: MoneyAction, error: unknown): Promise<SendOutcome> {
  const failure = failureOf(error);
  if (!failure) {
    await db().moneyAction.updateMany({ where: { id: action.id }, data: { sendingUntil: null } });
    throw error;
  }
  const retry = failure.retryable ? ` Try again: the ${action.kind} will not be made twice.` : "";
  const message = `${failure.message}${retry}`;
  await db().moneyAction.updateMany({
    where: { id: action.id, status: "requested" },
    data: { status: failure.retryable ? "requested" : "failed", error: message, sendingUntil: null },
  });
  const current = await db().moneyAction.findUniqueOrThrow({ where: { id: action.id } });
  // Shopify's or Checkout.com's words as they are; ours around them, when there are any.
  const words: Words | undefined = failure.retryable ? { key: `money.failedRetry.${action.kind}`, values: { error: failure.message } } : undefined;
  return { ok: false, action: current, message, words };
}

/**
 * What Shopify later says about an action sent through it (the settle job): the transaction it made,
 * Checkout.com's action id its payments app recorded, or its failure. Settled actions stay as they are.
 */
export async function applyShopifyState(action: MoneyAction, state: Accepted): Promise<MoneyAction> {
  return db().$transaction(async (tx) => {
    await lockRowForUpdate(tx, "Payment", action.paymentId);
    const current = await tx.moneyAction.findUniqueOrThrow({ where: { id: action.id } });
    if (current.status !== "requested" && current.status !== "accepted") return current;
    const ckoActionId = current.ckoActionId ?? state.ckoActionId ?? null;
    const reported = ckoActionId ? await reportedActionOutcome(tx, action.paymentId, ckoActionId) : null;
    const failure = reported ? null : (state.failure ?? null);
    const updated = await tx.moneyAction.update({
      where: { id: action.id },
      data: {
        status: failure ? "failed" : (reported?.status ?? current.status),
        error: failure ?? reported?.error ?? current.error,
        ckoActionId,
        shopifyTransactionId: current.shopifyTransactionId ?? state.shopifyTransactionId ?? null,
      },
    });
    if (failure) {
      await recordActivity(
        tx,
        { id: action.paymentId, shopId: action.shopId },
        {
          sourceKey: `money-action:${action.id}:failed`,
          kind: "action",
          type: `${action.kind}_failed`,
          amount: action.amount,
          currency: action.currency,
          summary: `${NOUN[action.kind as keyof typeof NOUN]} through Shopify order ${action.orderName ?? ""} failed: ${failure}`,
          actor: null,
          details: { shopifyTransactionId: updated.shopifyTransactionId },
          occurredAt: new Date(),
        },
      );
    }
    return updated;
  });
}
