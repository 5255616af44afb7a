// A world for risk-hold tests: the Shopify stand-in intercepting the app's Admin API calls, shops
// installed in both the app's database and the stand-in, and Checkout.com payments as the webhook
// pipeline stores them.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { db } from "../../app/db.server";
import { resetThrottleStateForTests } from "../../app/shopify/admin-api.server";
import { ckoId } from "../fixtures/checkout-events";
import { action as orderCreatedRoute } from "../../app/routes/webhooks.orders.create";
import { action as transactionCreatedRoute } from "../../app/routes/webhooks.order_transactions.create";
import { createShopifyStandIn } from "../standins/shopify";
import type { BucketConfig } from "../standins/shopify/cost";
import { restOrder } from "../standins/shopify/order-webhooks";
import type { CreateOrderInput, OrderRecord } from "../standins/shopify/store";
import { restTransaction } from "../standins/shopify/transaction-webhooks";
import { createConnectedShop } from "./factories";
import { TEST_API_KEY, TEST_API_SECRET } from "./env";
import { seedOfflineSession, sessionToken } from "./session-token";
import { callAction, shopifyWebhookRequest } from "./shopify";

export function startShopifyStandIn(bucket?: Partial<BucketConfig>) {
  resetThrottleStateForTests();
  const standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, bucket });
  const server = standIn.listen();
  // @shopify/shopify-api keeps the fetch it saw at import time, before msw patched the global one.
  setAbstractFetchFunc((input, init) => globalThis.fetch(input, init));
  return { standIn, server, close: () => server.close() };
}

export type ShopifyStandIn = ReturnType<typeof startShopifyStandIn>["standIn"];

/** A shop installed in the app (with a Checkout.com connection) and present in the stand-in. */
export async function installShop(standIn: ShopifyStandIn, domain = `holds-${randomUUID().slice(0, 8)}.myshopify.com`) {
  const { shop, connection } = await createConnectedShop(domain);
  standIn.store.createShop({ domain });
  await seedOfflineSession(domain, { accessToken: standIn.issueAccessToken(domain).token });
  return { shop, connection, domain, token: () => sessionToken(domain) };
}

/** A payment as the webhook pipeline stores it after payment_approved: flagged, authorised. */
export async function createPayment(shopId: string, data: Partial<Prisma.PaymentUncheckedCreateInput> = {}) {
  return db().payment.create({
    data: {
      shopId,
      ckoPaymentId: ckoId("pay"),
      reference: null,
      amount: 9400,
      currency: "USD",
      status: "Authorized",
      riskFlagged: true,
      riskScore: 85,
      customerEmail: "ada@example.com",
      customerName: "Ada Lovelace",
      ckoCustomerId: ckoId("cus"),
      ipAddress: "203.0.113.10",
      cardScheme: "Visa",
      cardBin: "424242",
      cardLast4: "4242",
      cardFingerprint: "F31828E2BDABAE63EB694903825CDD36041CC6ED461440B81415895855502832",
      cardCountry: "US",
      billingCountry: "US",
      shippingCountry: "US",
      processedOn: new Date(),
      ...data,
    },
  });
}

/** An order in the stand-in: 89.00 + 5.00 shipping = USD 94.00, one open fulfillment order. */
export function createOrder(standIn: ShopifyStandIn, domain: string, input: Omit<CreateOrderInput, "shop"> = {}) {
  return standIn.store.createOrder({ shop: domain, email: "ada@example.com", ...input });
}

/** Our holds and everyone else's on an order in the stand-in. */
export function holdsOn(standIn: ShopifyStandIn, orderId: string) {
  const order = standIn.store.requireOrder(orderId);
  const app = standIn.app;
  const all = order.fulfillmentOrders.flatMap((fo) => fo.holds.map((h) => ({ ...h, fulfillmentOrderId: fo.id, status: fo.status })));
  return { order, ours: all.filter((h) => h.appId === app.id), others: all.filter((h) => h.appId !== app.id) };
}

/**
 * What Shopify sends the app once an order exists: orders/create, then order_transactions/create for
 * each of its transactions, signed and through the app's routes (so the order lands in the order index).
 */
export async function deliverOrderWebhooks(standIn: ShopifyStandIn, order: OrderRecord) {
  const post = async (action: typeof orderCreatedRoute, path: string, topic: string, payload: unknown) => {
    const response = await callAction(action, shopifyWebhookRequest(path, topic, order.shop, payload));
    if (response.status !== 200) throw new Error(`${topic} answered ${response.status}: ${await response.text()}`);
  };
  await post(orderCreatedRoute, "/webhooks/orders/create", "orders/create", restOrder(standIn.store, order));
  for (const transaction of order.transactions) {
    await post(transactionCreatedRoute, "/webhooks/order_transactions/create", "order_transactions/create", restTransaction(standIn.store, transaction.id));
  }
}

/** The Admin API calls the stand-in received for a shop (operation names), oldest first. */
export function shopifyCalls(standIn: ShopifyStandIn, domain: string): Array<string | null> {
  return standIn.store.adminRequests.filter((r) => r.shop === domain).map((r) => r.operationName);
}
