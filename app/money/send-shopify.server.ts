// The Shopify path: the action is made on the order's transaction, and Shopify's Checkout.com payments
// app carries it out at Checkout.com. refundCreate takes the action's key through @idempotent; capture,
// void and cancel take none, so before sending one again the order is read back and a transaction
// created for this action since it began is adopted instead (decision 0007).
import type { MoneyTransactionStateQuery } from "../types/admin.generated";
import type { RefundInput, RefundLineItemRestockType } from "../types/admin.types";
import type { MoneyAction } from "@prisma/client";
import { db } from "../db.server";
import { adminApi, ShopifyApiError, type ShopifyAdmin } from "../shopify/admin-api.server";
import { claimSending, markAccepted, markFailed, otherSender, type Accepted, type SendOutcome } from "./outcome.server";
import { MONEY_ORDER_CANCEL_MUTATION, ORDER_CAPTURE_MUTATION, REFUND_CREATE_MUTATION, TRANSACTION_VOID_MUTATION } from "./shopify-documents";
import { checkoutActionIdIn, moneyInput, readOrderMoney, type OrderTransaction, type ShopifyOrderMoney } from "./shopify-order.server";

type UserErrors = Array<{ field?: string[] | null; message: string; code?: string | null }>;

/** A transaction as the money mutations answer it (Shopify's codegen types, app/types/). */
type TransactionNode = MoneyTransactionStateQuery["node"] & {};

const FAILED = new Set(["FAILURE", "ERROR"]);
/** Shopify's clock and ours differ a little; a transaction this much older than the action is not its. */
const CLOCK_SKEW_MS = 2 * 60_000;

const VERB = { refund: "refund", capture: "capture", void: "void" } as const;

function refused(what: string, errors: UserErrors): ShopifyApiError {
  return new ShopifyApiError(`Shopify refused the ${what}: ${errors.map((e) => e.message).join("; ")}`, false, errors);
}

/** What the action learns from the transaction Shopify created for it. */
export function acceptedFrom(node: TransactionNode | null | undefined, kind: string): Accepted {
  if (!node) return {};
  return {
    shopifyTransactionId: node.id,
    ckoActionId: checkoutActionIdIn(node.receiptJson),
    failure: FAILED.has(node.status)
      ? `Shopify's Checkout.com payments app could not ${kind} the payment${node.errorCode ? ` (${node.errorCode.toLowerCase().replaceAll("_", " ")})` : ""}.`
      : null,
  };
}

export async function sendThroughShopify(action: MoneyAction, api?: ShopifyAdmin): Promise<SendOutcome> {
  if (!(await claimSending(action))) return otherSender(action);
  try {
    const shop = await db().shop.findUniqueOrThrow({ where: { id: action.shopId } });
    const shopApi = api ?? adminApi(shop.domain);
    const accepted = action.cancelOrder
      ? await cancel(shopApi, action)
      : action.kind === "refund" || action.kind === "record_refund"
        ? await refund(shopApi, action)
        : await captureOrVoid(shopApi, action);
    return markAccepted(action, accepted);
  } catch (error) {
    return markFailed(action, error);
  }
}

export interface RefundPlan {
  orderGid: string;
  currency: string;
  amount: number;
  lines: Array<{ lineItemId: string; quantity: number; restockType: RefundLineItemRestockType }>;
  /** Everything left is refunded: shipping goes with it. */
  everything: boolean;
  parents: Array<{ parentId: string; gateway: string | null; amount: number }>;
  note: string;
  notify: boolean;
}

/** Shopify's RefundInput for a refund, built once when the action is recorded. */
export function refundInput(plan: RefundPlan) {
  return {
    orderId: plan.orderGid,
    currency: plan.currency,
    note: plan.note.slice(0, 255),
    notify: plan.notify,
    refundLineItems: plan.lines.map((l) => ({ lineItemId: l.lineItemId, quantity: l.quantity, restockType: l.restockType })),
    ...(plan.everything ? { shipping: { fullRefund: true } } : {}),
    transactions: plan.parents.map((p) => ({
      orderId: plan.orderGid,
      parentId: p.parentId,
      amount: moneyInput(p.amount, plan.currency),
      kind: "REFUND",
      gateway: p.gateway ?? "",
    })),
  };
}

async function refund(api: ShopifyAdmin, action: MoneyAction): Promise<Accepted> {
  // The input stored when the action was recorded: a retry sends exactly the same request.
  const input = JSON.parse(action.shopifyInput ?? "null") as RefundInput | null;
  if (!input) throw new ShopifyApiError("This refund has no Shopify request recorded", false);
  const data = await api.request(REFUND_CREATE_MUTATION, { input, key: action.idempotencyKey });
  const payload = data.refundCreate;
  if (payload?.userErrors.length) throw refused("refund", payload.userErrors);
  if (!payload?.refund) throw new ShopifyApiError("Shopify did not answer with the refund", true);
  return {
    ...acceptedFrom(
      payload.refund.transactions.nodes.find((t) => t.kind === "REFUND"),
      "refund",
    ),
    shopifyRefundId: payload.refund.id,
  };
}

async function orderOf(api: ShopifyAdmin, ref: { orderGid: string | null; orderName: string | null }): Promise<ShopifyOrderMoney> {
  const order = ref.orderGid ? await readOrderMoney(api, ref.orderGid) : null;
  if (!order) throw new ShopifyApiError(`Order ${ref.orderName ?? ref.orderGid} was not found in Shopify`, false);
  return order;
}

/** The parents a transaction of `kind` for this action hangs from: the payment's transaction, or its captures for refunds. */
function parentsFor(order: ShopifyOrderMoney, rootId: string, kind: "REFUND" | "CAPTURE" | "VOID"): string[] {
  if (kind !== "REFUND") return [rootId];
  const root = order.transactions.find((t) => t.id === rootId);
  if (root?.kind === "SALE") return [rootId];
  return order.transactions.filter((t) => t.parentId === rootId && t.kind === "CAPTURE").map((t) => t.id);
}

/** A transaction of `kind` created for this action since it began and not claimed by another action. */
async function ownTransaction(order: ShopifyOrderMoney, action: MoneyAction, kind: "REFUND" | "CAPTURE" | "VOID"): Promise<OrderTransaction | null> {
  const parents = parentsFor(order, action.shopifyParentTransactionId ?? "", kind);
  const since = action.createdAt.getTime() - CLOCK_SKEW_MS;
  const candidates = order.transactions.filter((t) => t.kind === kind && t.parentId !== null && parents.includes(t.parentId) && t.createdAt.getTime() >= since);
  if (candidates.length === 0) return null;
  const claimed = await db().moneyAction.findMany({
    where: { shopId: action.shopId, id: { not: action.id }, shopifyTransactionId: { in: candidates.map((t) => t.id) } },
    select: { shopifyTransactionId: true },
  });
  const taken = new Set(claimed.map((c) => c.shopifyTransactionId));
  return candidates.find((t) => !taken.has(t.id) && (kind === "VOID" || action.amount === null || t.amount === action.amount)) ?? null;
}

const asNode = (t: OrderTransaction | null): TransactionNode | null =>
  t && { id: t.id, kind: t.kind, status: t.status, errorCode: t.errorCode, receiptJson: t.references };

async function captureOrVoid(api: ShopifyAdmin, action: MoneyAction): Promise<Accepted> {
  const kind = action.kind === "capture" ? "CAPTURE" : "VOID";
  const order = await orderOf(api, action);
  const adopted = await ownTransaction(order, action, kind);
  if (adopted) return acceptedFrom(asNode(adopted), VERB[action.kind as "capture" | "void"]);
  const parentTransactionId = action.shopifyParentTransactionId;
  if (!parentTransactionId) throw new ShopifyApiError("This action has no Shopify transaction to act on", false);
  if (kind === "CAPTURE") {
    const data = await api.request(ORDER_CAPTURE_MUTATION, {
      input: { id: order.gid, parentTransactionId, amount: moneyInput(action.amount ?? 0, action.currency), currency: order.currency },
    });
    if (data.orderCapture?.userErrors.length) throw refused("capture", data.orderCapture.userErrors);
    return acceptedFrom(data.orderCapture?.transaction, "capture");
  }
  const data = await api.request(TRANSACTION_VOID_MUTATION, {
    id: parentTransactionId,
  });
  if (data.transactionVoid?.userErrors.length) throw refused("void", data.transactionVoid.userErrors);
  return acceptedFrom(data.transactionVoid?.transaction, "void");
}

export interface OrderCancellation {
  orderGid: string | null;
  orderName: string | null;
  requestedBy: string;
  reason: string | null;
  restock: boolean;
  notifyCustomer: boolean;
  /** Who asked: a support agent in Zendesk cancels at the customer's request, a reviewer for fraud. */
  source: string;
}

/**
 * Cancels the order unless it already is (false then). With `refund`, Shopify refunds what was captured
 * or voids the authorisation through the payments app; without, the money is handled at Checkout.com.
 */
export async function cancelShopifyOrder(
  api: ShopifyAdmin,
  cancellation: OrderCancellation,
  options: { refund: boolean } = { refund: false },
): Promise<boolean> {
  const order = await orderOf(api, cancellation);
  if (order.canceled) return false;
  const fromSupport = cancellation.source === "zendesk";
  const why = fromSupport ? "from a Zendesk ticket" : "after a Checkout.com risk review";
  const staffNote = `Canceled by ${cancellation.requestedBy} ${why}${cancellation.reason ? `: ${cancellation.reason}` : ""}`.slice(0, 255);
  const data = await api.request(MONEY_ORDER_CANCEL_MUTATION, {
    orderId: order.gid,
    reason: fromSupport ? "CUSTOMER" : "FRAUD",
    refundMethod: options.refund ? { originalPaymentMethodsRefund: true } : null,
    restock: cancellation.restock,
    notifyCustomer: cancellation.notifyCustomer,
    staffNote,
  });
  const errors = data.orderCancel?.orderCancelUserErrors ?? [];
  // A double click's first request may have canceled it meanwhile.
  if (errors.length && !(await orderOf(api, cancellation)).canceled) throw refused("cancellation", errors);
  return errors.length === 0;
}

async function cancel(api: ShopifyAdmin, action: MoneyAction): Promise<Accepted> {
  await cancelShopifyOrder(api, action, { refund: true });
  // Shopify cancels in a background job; the refund or void may appear a moment later (the settle job looks again).
  return findCancellationMoney(api, action);
}

/** The refund or void transaction Shopify made for a cancellation, once it exists. */
export async function findCancellationMoney(api: ShopifyAdmin, action: MoneyAction): Promise<Accepted> {
  const order = await orderOf(api, action);
  const own = await ownTransaction(order, action, action.kind === "void" ? "VOID" : "REFUND");
  return acceptedFrom(asNode(own), action.kind === "void" ? "void" : "refund");
}
