// The Shopify side of a payment's money: the order's transactions, which of them carry the
// Checkout.com payment (docs/decisions/0007-money-moves-through-shopify.md), and what Shopify
// would still let us refund, capture or void on them.
import type { MoneyOrderQuery } from "../types/admin.generated";
import type { CurrencyCode, OrderTransactionErrorCode, OrderTransactionKind, OrderTransactionStatus, RefundLineItemRestockType } from "../types/admin.types";
import { decimalToMinor, minorToDecimal } from "../lib/money";
import { ShopifyApiError, type ShopifyAdmin } from "../shopify/admin-api.server";
import { MONEY_ORDER_QUERY, SUGGESTED_REFUND_QUERY } from "./shopify-documents";

// The answer's shapes, as Shopify's codegen types them from MONEY_ORDER_QUERY (app/types/).
type OrderNode = NonNullable<MoneyOrderQuery["order"]>;
type TransactionNode = OrderNode["transactions"][number];
type MoneyNode = TransactionNode["amountSet"];
type Kind = OrderTransactionKind;
type Status = OrderTransactionStatus;

export interface OrderTransaction {
  id: string;
  kind: Kind;
  status: Status;
  gateway: string | null;
  /** Presentment minor units. */
  amount: number;
  parentId: string | null;
  createdAt: Date;
  errorCode: OrderTransactionErrorCode | null;
  /** Every id the gateway recorded on it (payment id, authorization code, receipt values). */
  references: string[];
}

interface OrderLine {
  id: string;
  name: string;
  sku: string | null;
  quantity: number;
  refundableQuantity: number;
  unfulfilledQuantity: number;
  /** Presentment minor units, after discounts. */
  unitPrice: number;
}

export interface ShopifyOrderMoney {
  gid: string;
  legacyId: string;
  name: string;
  canceled: boolean;
  financialStatus: string | null;
  currency: CurrencyCode;
  note: string | null;
  transactions: OrderTransaction[];
  lines: OrderLine[];
}

/** String values in a gateway receipt (JSON text or an object): the ids a gateway recorded. */
export function receiptStrings(receipt: unknown, depth = 0): string[] {
  if (depth > 4 || receipt === null || receipt === undefined) return [];
  if (typeof receipt === "string") {
    if (depth === 0 && /^\s*[{[]/.test(receipt)) {
      try {
        return receiptStrings(JSON.parse(receipt), depth + 1);
      } catch {
        return [receipt];
      }
    }
    return [receipt];
  }
  if (Array.isArray(receipt)) return receipt.flatMap((v) => receiptStrings(v, depth + 1));
  if (typeof receipt === "object") return Object.values(receipt).flatMap((v) => receiptStrings(v, depth + 1));
  return [];
}

/** Checkout.com's action id (act_...) in a transaction's receipt, when its payments app recorded one. */
export function checkoutActionIdIn(receipt: unknown): string | null {
  return receiptStrings(receipt).find((s) => /^act_[a-z0-9]+$/i.test(s)) ?? null;
}

const minorOf = (money: MoneyNode) => {
  const parsed = decimalToMinor(money.presentmentMoney.amount, money.presentmentMoney.currencyCode);
  if (!parsed.ok) throw new ShopifyApiError(`Shopify answered an amount that is not money: ${money.presentmentMoney.amount}`, false);
  return parsed.minor;
};

function toTransaction(node: TransactionNode): OrderTransaction {
  return {
    id: node.id,
    kind: node.kind,
    status: node.status,
    gateway: node.gateway,
    amount: minorOf(node.amountSet),
    parentId: node.parentTransaction?.id ?? null,
    createdAt: new Date(node.createdAt),
    errorCode: node.errorCode,
    references: [node.paymentId, node.authorizationCode, ...receiptStrings(node.receiptJson)].filter((v): v is string => Boolean(v)),
  };
}

/** An order's transactions, in the (presentment) currency of their amounts. */
export interface ShopifyOrderTransactions {
  gid: string;
  name: string;
  currency: CurrencyCode;
  transactions: OrderTransaction[];
}

/** The order with its transactions and lines; null when Shopify no longer has it (deleted, or too old to read). */
export async function readOrderMoney(api: ShopifyAdmin, orderGid: string): Promise<ShopifyOrderMoney | null> {
  const { order } = await api.request(MONEY_ORDER_QUERY, { id: orderGid, withLines: true });
  if (!order) return null;
  if (!order.lineItems) throw new ShopifyApiError("Shopify answered the order without the lines asked for", false);
  return {
    gid: order.id,
    legacyId: String(order.legacyResourceId),
    name: order.name,
    canceled: order.cancelledAt !== null,
    financialStatus: order.displayFinancialStatus,
    currency: order.presentmentCurrencyCode,
    note: order.note,
    transactions: order.transactions.map(toTransaction),
    lines: order.lineItems.nodes.map((li) => ({
      id: li.id,
      name: li.name,
      sku: li.sku,
      quantity: li.quantity,
      refundableQuantity: li.refundableQuantity,
      unfulfilledQuantity: li.unfulfilledQuantity,
      unitPrice: minorOf(li.discountedUnitPriceSet),
    })),
  };
}

/** The order's transactions alone (no lines: under half the cost); null when Shopify no longer has the order. */
export async function readOrderTransactions(api: ShopifyAdmin, orderGid: string): Promise<ShopifyOrderTransactions | null> {
  const { order } = await api.request(MONEY_ORDER_QUERY, { id: orderGid, withLines: false });
  if (!order) return null;
  return { gid: order.id, name: order.name, currency: order.presentmentCurrencyCode, transactions: order.transactions.map(toTransaction) };
}

/** Gateways of Checkout.com's Shopify payments app (and its older direct integration). */
export const isCheckoutGateway = (gateway: string | null) => /checkout/i.test(gateway ?? "");

const LIVE: ReadonlySet<Status> = new Set(["SUCCESS", "PENDING", "AWAITING_RESPONSE"]);

/**
 * The order's transaction that took this Checkout.com payment (an AUTHORIZATION or a SALE), or null
 * when the money did not go through Shopify's checkout. Matched only by ids, never by amount:
 * the Checkout.com payment id recorded by the gateway, or Shopify's payment id that Shopify gave the
 * payments app and that it used as the Checkout.com payment's reference (decision 0007).
 */
export function paymentTransaction(
  order: Pick<ShopifyOrderMoney, "transactions">,
  payment: { ckoPaymentId: string; reference: string | null },
): OrderTransaction | null {
  const roots = order.transactions.filter((t) => (t.kind === "AUTHORIZATION" || t.kind === "SALE") && t.status === "SUCCESS");
  return (
    roots.find((t) => t.references.includes(payment.ckoPaymentId)) ??
    roots.find((t) => payment.reference !== null && isCheckoutGateway(t.gateway) && t.references[0] === payment.reference) ??
    null
  );
}

export interface ShopifyLimits {
  /** Minor units Shopify would still refund on the payment's captures. */
  refundable: number;
  capturable: number;
  voidable: boolean;
  /** The transactions a refund goes against, with what is left on each (oldest first). */
  refundParents: Array<{ id: string; gateway: string | null; left: number }>;
}

/** What Shopify would still allow on the payment's transaction and its children. */
export function shopifyLimits(order: ShopifyOrderMoney, root: OrderTransaction): ShopifyLimits {
  const children = (id: string, kind: Kind) => order.transactions.filter((t) => t.parentId === id && t.kind === kind && LIVE.has(t.status));
  const sum = (ts: OrderTransaction[]) => ts.reduce((s, t) => s + t.amount, 0);
  const captures = root.kind === "SALE" ? [root] : children(root.id, "CAPTURE");
  const refundParents = captures.map((t) => ({ id: t.id, gateway: t.gateway, left: Math.max(0, t.amount - sum(children(t.id, "REFUND"))) }));
  const voided = root.kind === "AUTHORIZATION" && children(root.id, "VOID").length > 0;
  const captured = root.kind === "AUTHORIZATION" ? sum(captures) : 0;
  return {
    refundable: refundParents.reduce((s, p) => s + p.left, 0),
    capturable: root.kind === "AUTHORIZATION" && !voided && !order.canceled ? Math.max(0, root.amount - captured) : 0,
    voidable: root.kind === "AUTHORIZATION" && !voided && captured === 0 && captures.length === 0,
    refundParents,
  };
}

/** Splits a refund over the captures it goes against, oldest first. */
export function refundTransactions(limits: ShopifyLimits, amount: number) {
  const out: Array<{ parentId: string; gateway: string | null; amount: number }> = [];
  let left = amount;
  for (const parent of limits.refundParents) {
    if (left <= 0) break;
    const take = Math.min(left, parent.left);
    if (take > 0) out.push({ parentId: parent.id, gateway: parent.gateway, amount: take });
    left -= take;
  }
  return out;
}

export interface SuggestedRefund {
  amount: number;
  maximumRefundable: number;
  lines: Array<{ lineItemId: string; quantity: number; restockType: RefundLineItemRestockType }>;
  shipping: number;
}

/** Shopify's price for refunding the given lines (or everything, when `lines` is "all"). */
export async function suggestRefund(
  api: ShopifyAdmin,
  orderGid: string,
  lines: Array<{ lineItemId: string; quantity: number; restockType?: RefundLineItemRestockType }> | "all",
): Promise<SuggestedRefund> {
  const all = lines === "all";
  const data = await api.request(SUGGESTED_REFUND_QUERY, {
    id: orderGid,
    suggestFullRefund: all,
    refundShipping: all,
    refundLineItems: all
      ? null
      : lines.map((l) => ({ lineItemId: l.lineItemId, quantity: l.quantity, ...(l.restockType ? { restockType: l.restockType } : {}) })),
  });
  const suggested = data.order?.suggestedRefund;
  if (!suggested) throw new ShopifyApiError(`Shopify could not price a refund on ${orderGid}`, false);
  return {
    amount: minorOf(suggested.amountSet),
    maximumRefundable: minorOf(suggested.maximumRefundableSet),
    lines: suggested.refundLineItems.map((l) => ({ lineItemId: l.lineItem.id, quantity: l.quantity, restockType: l.restockType })),
    shipping: minorOf(suggested.shipping.amountSet),
  };
}

/** Shopify's Money input ("12.50") for minor units. */
export const moneyInput = (minor: number, currency: string) => minorToDecimal(minor, currency);
