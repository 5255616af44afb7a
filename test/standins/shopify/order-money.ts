// What an order still allows, computed from its records alone (no store), so the resolvers, the money
// mutations and the local admin's order page agree: per line, what was refunded, what shipped and
// what can still be refunded and how (CANCEL for unfulfilled units, RETURN for shipped ones); per
// transaction, what can still be refunded, captured or voided; and Shopify's suggested refund.
// Amounts are presentment-currency minor units. Refunds and captures still PENDING at the payments
// app count against what remains (so nothing is refunded twice while one is in flight), but only
// SUCCESS transactions count as money moved (financial status, totals).
import type { LineItemRecord, OrderRecord, RefundLineItemRecord, RestockType, TransactionRecord } from "./store";

/** A Checkout.com gateway, whose money actions Shopify hands to the Checkout.com payments app. */
export const isCheckoutGateway = (gateway: string | null | undefined) => /checkout/i.test(gateway ?? "");

const live = (t: TransactionRecord) => t.status === "SUCCESS" || t.status === "PENDING";

/** Shopify's capture transactions are not multi-capturable here (that is Shopify Payments on Plus only). */
const MULTI_CAPTURABLE = false;

function childrenOf(order: OrderRecord, parent: TransactionRecord): TransactionRecord[] {
  return order.transactions.filter((t) => t.parentId === parent.id);
}

/** What can still be refunded on a successful SALE or CAPTURE (0 for anything else). */
export function refundableOn(order: OrderRecord, parent: TransactionRecord): number {
  if (parent.status !== "SUCCESS" || (parent.kind !== "SALE" && parent.kind !== "CAPTURE")) return 0;
  const refunded = childrenOf(order, parent)
    .filter((t) => t.kind === "REFUND" && live(t))
    .reduce((s, t) => s + t.amount, 0);
  return Math.max(0, parent.amount - refunded);
}

/** What can still be captured on a successful AUTHORIZATION: nothing once voided or (not multi-capturable) captured. */
export function capturableOn(order: OrderRecord, auth: TransactionRecord): number {
  if (auth.status !== "SUCCESS" || auth.kind !== "AUTHORIZATION" || order.cancelledAt) return 0;
  const children = childrenOf(order, auth).filter(live);
  if (children.some((t) => t.kind === "VOID")) return 0;
  const captures = children.filter((t) => t.kind === "CAPTURE");
  if (!MULTI_CAPTURABLE && captures.length > 0) return 0;
  return Math.max(0, auth.amount - captures.reduce((s, t) => s + t.amount, 0));
}

/** An authorization can be voided while nothing of it was captured or voided. */
export function voidableAuth(order: OrderRecord, auth: TransactionRecord): boolean {
  return (
    auth.kind === "AUTHORIZATION" && auth.status === "SUCCESS" && !childrenOf(order, auth).some((t) => live(t) && (t.kind === "CAPTURE" || t.kind === "VOID"))
  );
}

/** Refundable parents (successful SALE/CAPTURE with something left), oldest first. */
export function refundableParents(order: OrderRecord): Array<{ transaction: TransactionRecord; refundable: number }> {
  return order.transactions.map((transaction) => ({ transaction, refundable: refundableOn(order, transaction) })).filter((p) => p.refundable > 0);
}

/** Money received less money refunded or being refunded (REFUNDs without a parent count too). */
export function netRefundable(order: OrderRecord): number {
  const captured = order.transactions.filter((t) => t.status === "SUCCESS" && (t.kind === "SALE" || t.kind === "CAPTURE")).reduce((s, t) => s + t.amount, 0);
  const refunded = order.transactions.filter((t) => t.kind === "REFUND" && live(t)).reduce((s, t) => s + t.amount, 0);
  return Math.max(0, captured - refunded);
}

export function capturableTotal(order: OrderRecord): number {
  return order.transactions.reduce((s, t) => s + capturableOn(order, t), 0);
}

// ---- lines ------------------------------------------------------------------------------------

function refundLinesOf(order: OrderRecord, lineItemId: string): RefundLineItemRecord[] {
  return order.refunds.flatMap((r) => r.lineItems).filter((l) => l.lineItemId === lineItemId);
}

export interface LineState {
  refunded: number;
  /** Units restocked by refunds (RETURN or CANCEL). */
  restocked: number;
  unfulfilled: number;
  fulfilled: number;
  /** Shipped units not yet refunded: what RETURN may take. */
  refundableFulfilled: number;
  /** Units still to ship: what CANCEL may take. */
  refundableUnfulfilled: number;
  refundable: number;
  current: number;
}

export function lineState(order: OrderRecord, li: LineItemRecord): LineState {
  const foLines = order.fulfillmentOrders.flatMap((fo) => fo.lineItems).filter((l) => l.lineItemId === li.id);
  const unfulfilled = foLines.reduce((s, l) => s + l.remainingQuantity, 0);
  const fulfilled = foLines.reduce((s, l) => s + l.totalQuantity - l.remainingQuantity, 0);
  const lines = refundLinesOf(order, li.id);
  const refunded = lines.reduce((s, l) => s + l.quantity, 0);
  const returned = lines.reduce((s, l) => s + l.quantity - l.fromUnfulfilled, 0);
  const refundable = Math.max(0, li.quantity - refunded);
  return {
    refunded,
    restocked: lines.filter((l) => l.restocked).reduce((s, l) => s + l.quantity, 0),
    unfulfilled,
    fulfilled,
    refundableFulfilled: Math.max(0, Math.min(refundable, fulfilled - returned)),
    refundableUnfulfilled: Math.min(refundable, unfulfilled),
    refundable,
    current: order.cancelledAt ? 0 : refundable,
  };
}

/** Splits `whole` over `weights` in proportion, exactly (largest remainder). */
function allocate(whole: number, weights: number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (total === 0) return weights.map(() => 0);
  const raw = weights.map((w) => (whole * w) / total);
  const out = raw.map(Math.floor);
  let left = whole - out.reduce((s, v) => s + v, 0);
  const order = raw.map((v, i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] += 1;
    left -= 1;
  }
  return out;
}

/** Each line's share of the cart discount and of the order's tax (taxes apply to lines only, not shipping). */
function lineShares(order: OrderRecord): Map<string, { gross: number; discount: number; subtotal: number; tax: number }> {
  const gross = order.lineItems.map((li) => li.unitPrice * li.quantity);
  const discounts = allocate(order.discount, gross);
  const subtotals = gross.map((g, i) => g - discounts[i]);
  const taxes = allocate(order.tax, subtotals);
  return new Map(order.lineItems.map((li, i) => [li.id, { gross: gross[i], discount: discounts[i], subtotal: subtotals[i], tax: taxes[i] }]));
}

/** The money of refunding `quantity` more units of a line: the last units take what is left, so totals add up exactly. */
function refundLineMoney(order: OrderRecord, li: LineItemRecord, quantity: number): Pick<RefundLineItemRecord, "unitPrice" | "subtotal" | "tax" | "discount"> {
  const share = lineShares(order).get(li.id)!;
  const earlier = refundLinesOf(order, li.id);
  const earlierQty = earlier.reduce((s, l) => s + l.quantity, 0);
  const unitPrice = Math.round(share.subtotal / li.quantity);
  const part = (total: number, key: "subtotal" | "tax" | "discount") =>
    earlierQty + quantity >= li.quantity ? total - earlier.reduce((s, l) => s + l[key], 0) : Math.round((total * quantity) / li.quantity);
  return { unitPrice, subtotal: part(share.subtotal, "subtotal"), tax: part(share.tax, "tax"), discount: part(share.discount, "discount") };
}

export function shippingRefunded(order: OrderRecord): number {
  return order.refunds.reduce((s, r) => s + (r.shipping?.amount ?? 0), 0);
}

export function shippingRefundable(order: OrderRecord): number {
  return Math.max(0, order.shippingPrice - shippingRefunded(order));
}

/** Shopify's suggestion for a restock type: CANCEL what has not shipped, RETURN what has. */
export interface PlannedRefundLine {
  lineItem: LineItemRecord;
  quantity: number;
  restockType: RestockType;
  fromUnfulfilled: number;
}

/**
 * Turns requested quantities into refund lines. Without a restock type, unshipped units come first
 * as CANCEL and shipped units follow as RETURN (two lines when both are needed). NO_RESTOCK takes
 * unshipped units first too. Quantities are not checked here.
 */
export function planRefundLines(
  order: OrderRecord,
  requested: Array<{ lineItemId: string; quantity: number; restockType?: RestockType | null }>,
): PlannedRefundLine[] {
  const taken = new Map<string, { unfulfilled: number; fulfilled: number }>();
  return requested.flatMap((r): PlannedRefundLine[] => {
    const lineItem = order.lineItems.find((li) => li.id === r.lineItemId);
    if (!lineItem || r.quantity <= 0) return [];
    const state = lineState(order, lineItem);
    const used = taken.get(lineItem.id) ?? { unfulfilled: 0, fulfilled: 0 };
    taken.set(lineItem.id, used);
    const unshipped = Math.max(0, state.refundableUnfulfilled - used.unfulfilled);
    if (r.restockType === "RETURN") {
      used.fulfilled += r.quantity;
      return [{ lineItem, quantity: r.quantity, restockType: "RETURN", fromUnfulfilled: 0 }];
    }
    if (r.restockType === "CANCEL") {
      used.unfulfilled += r.quantity;
      return [{ lineItem, quantity: r.quantity, restockType: "CANCEL", fromUnfulfilled: r.quantity }];
    }
    const fromUnfulfilled = Math.min(r.quantity, unshipped);
    used.unfulfilled += fromUnfulfilled;
    used.fulfilled += r.quantity - fromUnfulfilled;
    if (r.restockType) return [{ lineItem, quantity: r.quantity, restockType: r.restockType, fromUnfulfilled }];
    const parts: PlannedRefundLine[] = [
      { lineItem, quantity: fromUnfulfilled, restockType: "CANCEL", fromUnfulfilled },
      { lineItem, quantity: r.quantity - fromUnfulfilled, restockType: "RETURN", fromUnfulfilled: 0 },
    ];
    return parts.filter((l) => l.quantity > 0);
  });
}

export type PricedRefundLine = PlannedRefundLine & Pick<RefundLineItemRecord, "unitPrice" | "subtotal" | "tax" | "discount">;

/** Prices planned lines; a line item's parts are priced together, so its last units take the remainder. */
export function priceRefundLines(order: OrderRecord, planned: PlannedRefundLine[]): PricedRefundLine[] {
  const byItem = new Map<string, number>();
  return planned.map((p) => {
    const before = byItem.get(p.lineItem.id) ?? 0;
    const upTo = refundLineMoney(order, p.lineItem, before + p.quantity);
    const prior = before > 0 ? refundLineMoney(order, p.lineItem, before) : { subtotal: 0, tax: 0, discount: 0 };
    byItem.set(p.lineItem.id, before + p.quantity);
    return { ...p, unitPrice: upTo.unitPrice, subtotal: upTo.subtotal - prior.subtotal, tax: upTo.tax - prior.tax, discount: upTo.discount - prior.discount };
  });
}

export interface SuggestedRefundLine extends Pick<RefundLineItemRecord, "unitPrice" | "subtotal" | "tax" | "discount"> {
  id: null;
  orderId: string;
  lineItemId: string;
  quantity: number;
  restockType: RestockType;
  restocked: false;
  fromUnfulfilled: number;
}

export interface SuggestedRefundPlan {
  lines: SuggestedRefundLine[];
  /** Before the cart discount, and after it. */
  subtotal: number;
  discountedSubtotal: number;
  cartDiscount: number;
  tax: number;
  shipping: { amount: number; maximumRefundable: number; tax: number };
  amount: number;
  maximumRefundable: number;
  transactions: Array<{ parent: TransactionRecord; amount: number; maximumRefundable: number }>;
}

/** Order.suggestedRefund: quantities capped at what is refundable, the amount at what was received. */
export function suggestRefund(
  order: OrderRecord,
  args: {
    shippingAmount?: number | null;
    refundShipping?: boolean | null;
    refundLineItems?: Array<{ lineItemId: string; quantity: number; restockType?: RestockType | null }> | null;
    suggestFullRefund?: boolean | null;
  },
): SuggestedRefundPlan {
  const requested = args.suggestFullRefund
    ? order.lineItems.map((li) => ({ lineItemId: li.id, quantity: lineState(order, li).refundable }))
    : (args.refundLineItems ?? []).map((r) => {
        const li = order.lineItems.find((l) => l.id === r.lineItemId);
        return { ...r, quantity: li ? Math.min(r.quantity, lineState(order, li).refundable) : 0 };
      });
  const lines: SuggestedRefundLine[] = priceRefundLines(order, planRefundLines(order, requested)).map((p) => ({
    id: null,
    orderId: order.id,
    lineItemId: p.lineItem.id,
    quantity: p.quantity,
    restockType: p.restockType,
    restocked: false,
    fromUnfulfilled: p.fromUnfulfilled,
    unitPrice: p.unitPrice,
    subtotal: p.subtotal,
    tax: p.tax,
    discount: p.discount,
  }));
  const shippingMax = shippingRefundable(order);
  const shippingAmount =
    args.shippingAmount != null ? Math.min(args.shippingAmount, shippingMax) : args.refundShipping || args.suggestFullRefund ? shippingMax : 0;
  const discountedSubtotal = lines.reduce((s, l) => s + l.subtotal, 0);
  const cartDiscount = lines.reduce((s, l) => s + l.discount, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  const maximumRefundable = netRefundable(order);
  const amount = Math.min(discountedSubtotal + tax + shippingAmount, maximumRefundable);
  let left = amount;
  const transactions = refundableParents(order)
    .map(({ transaction, refundable }) => {
      const take = Math.min(left, refundable);
      left -= take;
      return { parent: transaction, amount: take, maximumRefundable: refundable };
    })
    .filter((t) => t.amount > 0);
  return {
    lines,
    subtotal: discountedSubtotal + cartDiscount,
    discountedSubtotal,
    cartDiscount,
    tax,
    shipping: { amount: shippingAmount, maximumRefundable: shippingMax, tax: 0 },
    amount,
    maximumRefundable,
    transactions,
  };
}

/**
 * The Checkout.com payment id a transaction carries, looking up its parents: a receipt's `id` or
 * `payment_id` first (anywhere up the chain), then a `pay_` payment id or authorization code (a
 * REFUND, CAPTURE or VOID copies its parent's payment id, so the receipt must win).
 */
export function checkoutPaymentId(order: OrderRecord, transaction: TransactionRecord): string | null {
  const chain: TransactionRecord[] = [];
  for (let current: TransactionRecord | undefined = transaction; current && chain.length < 5;) {
    chain.push(current);
    const parentId: string | null = current.parentId;
    current = parentId ? order.transactions.find((t) => t.id === parentId) : undefined;
  }
  for (const t of chain) {
    let receipt: unknown = null;
    try {
      receipt = t.receiptJson ? JSON.parse(t.receiptJson) : null;
    } catch {
      receipt = null;
    }
    if (receipt && typeof receipt === "object") {
      const r = receipt as Record<string, unknown>;
      for (const key of ["id", "payment_id"]) if (typeof r[key] === "string" && (r[key] as string).startsWith("pay_")) return r[key] as string;
    }
  }
  for (const t of chain) for (const value of [t.paymentId, t.authorizationCode]) if (value?.startsWith("pay_")) return value;
  return null;
}
