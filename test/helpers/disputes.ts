// A world for dispute tests: the Shopify stand-in holding the orders, the Checkout.com stand-in holding
// payments and disputes (the app reaches it through CHECKOUT_API_BASE_URL), and helpers that open a
// dispute the way production does: a Payment row matched to an order, then a dispute_sync.
import { randomUUID } from "node:crypto";
import { db } from "../../app/db.server";
import { syncDispute } from "../../app/disputes/sync.server";
import { resetEnvForTests } from "../../app/env.server";
import { createCheckoutStandIn, type CheckoutStandIn } from "../standins/checkout/server";
import { nasAccount, otherNasAccount, startReceiver } from "../standins/checkout/testing";
import type { CreateOrderInput } from "../standins/shopify/store";
import { createPayment, installShop, startShopifyStandIn, type ShopifyStandIn } from "./holds";

export interface DisputeWorld {
  shopify: ShopifyStandIn;
  checkout: CheckoutStandIn;
  close(): Promise<void>;
}

/** Both stand-ins, with the app pointed at the Checkout.com one. `now` is the Checkout.com clock. */
export async function startDisputeWorld(options: { now?: () => Date } = {}): Promise<DisputeWorld> {
  const { standIn: shopify, close: closeShopify } = startShopifyStandIn();
  // Webhooks go to a receiver that only records them: these tests drive syncs directly.
  const receiver = await startReceiver();
  const checkout = await createCheckoutStandIn({
    accounts: [nasAccount({ id: "shop_a", webhookUrl: receiver.url }), otherNasAccount({ id: "shop_b", webhookUrl: receiver.url })],
    clock: options.now,
    actionLatencyMs: 5,
    webhooks: { delayMs: 0 },
  });
  process.env.CHECKOUT_API_BASE_URL = checkout.url;
  resetEnvForTests();
  return {
    shopify,
    checkout,
    async close() {
      closeShopify();
      await checkout.stop();
      await receiver.close();
      delete process.env.CHECKOUT_API_BASE_URL;
      resetEnvForTests();
    },
  };
}

/** A delivered, tracked order of a returning customer (two earlier paid orders). */
export function deliveredOrderInput(overrides: Partial<Omit<CreateOrderInput, "shop">> = {}): Omit<CreateOrderInput, "shop"> {
  return {
    email: "ada@example.com",
    lineItems: [
      { title: "Analytical engine manual", price: "79.00", quantity: 1, sku: "AEM-1" },
      { title: "Punch cards (pack of 100)", price: "10.00", quantity: 1, sku: "PC-100" },
    ],
    shippingPrice: "5.00",
    shippingTitle: "Tracked 48",
    billingAddress: { firstName: "Ada", lastName: "Lovelace", address1: "12 St James's Square", city: "London", zip: "SW1Y 4JH", countryCodeV2: "GB" },
    clientIp: "203.0.113.10",
    createdAt: "2026-01-05T09:30:00Z",
    payment: {
      kind: "SALE",
      status: "SUCCESS",
      gateway: "checkout_com",
      card: { company: "Visa", number: "•••• •••• •••• 4242", avsResultCode: "Y", cvvResultCode: "M" },
    },
    fulfillment: {
      trackingCompany: "Royal Mail",
      trackingNumber: "RM123456789GB",
      trackingUrl: "https://www.royalmail.com/track-your-item#/tracking-results/RM123456789GB",
      createdAt: "2026-01-06T08:00:00Z",
      inTransitAt: "2026-01-06T18:00:00Z",
      deliveredAt: "2026-01-08T11:20:00Z",
      displayStatus: "DELIVERED",
    },
    ...overrides,
  };
}

export interface OpenDisputeOptions {
  category?: string;
  relevantEvidence?: string[];
  evidenceRequiredBy?: string;
  /** The Shopify order; null for a payment never matched to an order. */
  order?: Omit<CreateOrderInput, "shop"> | null;
  amount?: number;
}

/**
 * A shop with a Checkout.com payment matched to a Shopify order and an open dispute on it, synced into
 * the app (which builds the evidence draft).
 */
export async function openDispute(world: DisputeWorld, options: OpenDisputeOptions = {}, installed?: Awaited<ReturnType<typeof installShop>>) {
  const shop = installed ?? (await installShop(world.shopify, `disputes-${randomUUID().slice(0, 8)}.myshopify.com`));
  const amount = options.amount ?? 9400;
  const remotePayment = world.checkout.state.createPayment({
    account: "shop_a",
    amount,
    currency: "USD",
    capture: true,
    email: "ada@example.com",
    avs: "Y",
    cvv: "Y",
    threeDs: { enrolled: "Y", authentication_response: "Y", version: "2.2.0", eci: "05" },
  });
  const payment = await createPayment(shop.shop.id, {
    ckoPaymentId: remotePayment.fixture.id,
    amount,
    status: "Captured",
    capturedAmount: amount,
    riskFlagged: false,
    avsCheck: "Y",
    cvvCheck: "Y",
    threeDs: JSON.stringify({ enrolled: "Y", authentication_response: "Y", version: "2.2.0", eci: "05" }),
  });
  let orderGid: string | null = null;
  if (options.order !== null) {
    // The same customer's two earlier orders, paid and delivered.
    const customer = world.shopify.store.createCustomer({
      shop: shop.domain,
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      createdAt: "2024-02-01T10:00:00Z",
    });
    for (const createdAt of ["2025-03-01T10:00:00Z", "2025-09-01T10:00:00Z"]) {
      world.shopify.store.createOrder({ shop: shop.domain, ...deliveredOrderInput(), customer: customer.id, createdAt });
    }
    const input = options.order ?? deliveredOrderInput();
    const order = world.shopify.store.createOrder({ shop: shop.domain, ...input, customer: input.customer === null ? null : customer.id });
    orderGid = order.id;
    await db().orderLink.create({
      data: { shopId: shop.shop.id, paymentId: payment.id, orderGid: order.id, orderName: order.name, matchedBy: "reference_name", confidence: "strong" },
    });
  }
  const remoteDispute = world.checkout.state.createDispute({
    account: "shop_a",
    paymentId: remotePayment.fixture.id,
    category: options.category ?? "fraudulent",
    amount,
    ...(options.relevantEvidence ? { relevantEvidence: options.relevantEvidence } : {}),
    ...(options.evidenceRequiredBy ? { evidenceRequiredBy: options.evidenceRequiredBy } : {}),
  });
  const dispute = await syncDispute(shop.shop.id, remoteDispute.fixture.id);
  return { ...shop, payment, orderGid, remoteDispute, dispute };
}

/** Requests the app made to the Checkout.com stand-in, by method and path pattern. */
export function requestsTo(checkout: CheckoutStandIn, method: string, path: RegExp) {
  return checkout.requests.filter((r) => r.method === method && path.test(r.path));
}
