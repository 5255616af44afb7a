// For tests whose money moves: the Shopify stand-in (msw) and the Checkout.com stand-in (HTTP, with the
// app's Checkout.com client pointed at it), started before the file's tests and stopped after them.
import type { Shop } from "@prisma/client";
import { afterAll, beforeAll } from "vitest";
import { db } from "../../app/db.server";
import { resetEnvForTests } from "../../app/env.server";
import { createCheckoutStandIn, type CheckoutStandIn } from "../standins/checkout/server";
import { nasAccount } from "../standins/checkout/testing";
import type { OrderRecord } from "../standins/shopify/store";
import { startShopifyStandIn, type ShopifyStandIn } from "./holds";

export function useMoneyStandIns(): { shopify: ShopifyStandIn; checkout: CheckoutStandIn } {
  const standIns = {} as { shopify: ShopifyStandIn; checkout: CheckoutStandIn };
  let world: ReturnType<typeof startShopifyStandIn>;
  beforeAll(async () => {
    world = startShopifyStandIn();
    standIns.shopify = world.standIn;
    standIns.checkout = await createCheckoutStandIn({ accounts: [nasAccount()], actionLatencyMs: 5 });
    process.env.CHECKOUT_API_BASE_URL = standIns.checkout.url;
    resetEnvForTests();
  });
  afterAll(async () => {
    world.close();
    await standIns.checkout.stop();
    delete process.env.CHECKOUT_API_BASE_URL;
    resetEnvForTests();
  });
  return standIns;
}

export interface PaidOrder {
  order: OrderRecord;
  /** The app's payment row. */
  paymentId: string;
  ckoPaymentId: string;
}

export interface PaidOrderOptions {
  /** A SALE (captured; the default) or an AUTHORIZATION. */
  capture?: boolean;
  fulfilled?: boolean;
  lines?: Array<{ title: string; price: string; quantity: number; sku: string }>;
}

/**
 * An order paid at Shopify's checkout through Checkout.com's payments app (USD, shipping 5.00), its
 * payment at Checkout.com, and the payment as the app has recorded it from webhooks, matched to the order.
 */
export async function createPaidOrder(
  standIns: { shopify: ShopifyStandIn; checkout: CheckoutStandIn },
  shop: Pick<Shop, "id" | "domain">,
  options: PaidOrderOptions = {},
): Promise<PaidOrder> {
  const { shopify, checkout } = standIns;
  const capture = options.capture ?? true;
  const lines = options.lines ?? [
    { title: "Merino wool sweater", price: "89.00", quantity: 1, sku: "SWTR-M-NVY" },
    { title: "Wool socks", price: "12.00", quantity: 2, sku: "SOCK-W" },
  ];
  const amount = lines.reduce((s, l) => s + Math.round(Number(l.price) * 100) * l.quantity, 0) + 500;
  const shopifyPaymentId = `c${Date.now()}${Math.floor(Math.random() * 1e6)}.1`;
  const ckoPaymentId = checkout.state.createPayment({ amount, currency: "USD", reference: shopifyPaymentId, capture }).fixture.id;
  const order = shopify.store.createOrder({
    shop: shop.domain,
    currency: "USD",
    email: "ada@example.com",
    lineItems: lines,
    shippingPrice: "5.00",
    payment: {
      kind: capture ? "SALE" : "AUTHORIZATION",
      gateway: "checkout_com",
      paymentId: shopifyPaymentId,
      receipt: { id: ckoPaymentId, status: capture ? "Captured" : "Authorized" },
    },
    fulfillment: options.fulfilled ? {} : null,
  });
  for (const line of lines) shopify.store.inventory(shop.domain, line.sku);
  const payment = await db().payment.create({
    data: {
      shopId: shop.id,
      ckoPaymentId,
      reference: shopifyPaymentId,
      amount,
      currency: "USD",
      status: capture ? "Captured" : "Authorized",
      capturedAmount: capture ? amount : 0,
    },
  });
  await db().orderLink.create({
    data: { shopId: shop.id, paymentId: payment.id, orderGid: order.id, orderName: order.name, matchedBy: "transaction", confidence: "strong" },
  });
  return { order, paymentId: payment.id, ckoPaymentId };
}
