// Which path a money action takes (through the Shopify order, or straight to Checkout.com) and what
// may be done on each side, decided from the payment, its order link and the order as Shopify has it.
import type { OrderLink, Payment } from "@prisma/client";
import type { Words } from "../i18n/locales";
import type { ShopifyAdmin } from "../shopify/admin-api.server";
import { balances, combined, type Balances } from "./balances.server";
import { paymentTransaction, readOrderMoney, shopifyLimits, type OrderTransaction, type ShopifyLimits, type ShopifyOrderMoney } from "./shopify-order.server";

/** What a person sees before confirming. Plain data, for loaders and the Zendesk API. */
export interface MoneyPlan {
  via: "shopify" | "checkout";
  /** Why the action cannot go through Shopify, in English (the Zendesk API's); null when it does. */
  directReason: string | null;
  /** The same reason in words (`errors.holds.direct.*`), for the admin's pages; absent when it goes through Shopify. */
  directWords?: Words;
  currency: string;
  order: { gid: string; name: string | null; legacyId: string | null } | null;
  /** Checkout.com's figures (less actions in flight). */
  checkout: Balances;
  /** Shopify's figures for the payment's transaction; null when the action bypasses Shopify. */
  shopify: Balances | null;
  /** The lower of the two: what may be done. */
  limits: Balances;
  /** The order's lines that can still be refunded (refunds by item). */
  lines: Array<{ id: string; name: string; sku: string | null; refundableQuantity: number; unfulfilledQuantity: number; unitPrice: number }>;
}

export interface PlannedSide {
  plan: MoneyPlan;
  checkout: Balances;
  order: ShopifyOrderMoney | null;
  orderGid: string | null;
  orderName: string | null;
  /** The order's transaction for this payment (AUTHORIZATION or SALE), when the money went through Shopify. */
  shopify: OrderTransaction | null;
  shopifyLimits: ShopifyLimits | null;
}

type PaymentWithLink = Payment & { orderLink: OrderLink | null };

/** Reads the order (one Admin API call) when the payment has one. Shopify errors propagate. */
export async function planFor(payment: PaymentWithLink, api: ShopifyAdmin): Promise<PlannedSide> {
  const checkout = await balances(payment);
  const link = payment.orderLink;
  const order = link ? await readOrderMoney(api, link.orderGid) : null;
  const root = order ? paymentTransaction(order, payment) : null;
  const limits = order && root ? shopifyLimits(order, root) : null;
  const { directReason, directWords } = directPath(link, order, root);
  const shopify = limits ? { refundable: limits.refundable, capturable: limits.capturable, voidable: limits.voidable } : null;
  return {
    checkout,
    order,
    orderGid: link?.orderGid ?? null,
    orderName: order?.name ?? link?.orderName ?? null,
    shopify: root,
    shopifyLimits: limits,
    plan: {
      via: root ? "shopify" : "checkout",
      directReason,
      directWords,
      currency: payment.currency,
      order: link ? { gid: link.orderGid, name: order?.name ?? link.orderName, legacyId: order?.legacyId ?? link.orderGid.split("/").pop() ?? null } : null,
      checkout,
      shopify,
      limits: combined(checkout, shopify),
      lines: root && order ? order.lines.filter((l) => l.refundableQuantity > 0).map(({ quantity: _q, ...line }) => line) : [],
    },
  };
}

/** Why the action goes straight to Checkout.com, in English and in words; nothing when it goes through Shopify. */
function directPath(
  link: OrderLink | null,
  order: ShopifyOrderMoney | null,
  root: OrderTransaction | null,
): { directReason: string | null; directWords?: Words } {
  if (!link)
    return {
      directReason: "No Shopify order is linked to this payment, so it is made directly at Checkout.com.",
      directWords: { key: "holds.direct.noOrder" },
    };
  if (!order) {
    const name = link.orderName ?? link.orderGid;
    return {
      directReason: `Order ${name} was not found in Shopify, so it is made directly at Checkout.com.`,
      directWords: { key: "holds.direct.orderNotFound", values: { order: name } },
    };
  }
  if (!root)
    return {
      directReason: `Order ${order.name} has no Checkout.com transaction in Shopify (the money was taken outside Shopify's checkout), so it is made directly at Checkout.com and a note is added to the order.`,
      directWords: { key: "holds.direct.noTransaction", values: { order: order.name } },
    };
  return { directReason: null };
}
