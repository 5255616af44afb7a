// A small loopback HTTP API over a running stand-in, so a demo or browser test in another process
// can seed and inspect the store that lives inside the app process (see preload.ts):
// POST /<method> with {"args": [...]} → {"result": ...}. The typed client mirrors the methods.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import type { Fault, FaultConfig, GraphqlRequest } from "./admin-api";
import { decideSubscription } from "./billing";
import type { BucketConfig } from "./cost";
import type { ShopifyStandIn } from "./index";
import type { PaymentsAppConnection } from "./payments-app";
import { restOrder } from "./order-webhooks";
import type {
  CreateAbandonedCheckoutInput,
  CreateCustomerInput,
  CreateOrderInput,
  CreateShopInput,
  FulfillInput,
  FulfillmentHoldRecord,
  TransactionInput,
} from "./store";
import { restTransaction } from "./transaction-webhooks";

/** Everything the control API offers; each takes the stand-in and JSON arguments. */
const CONTROL_METHODS = {
  snapshot: (s: ShopifyStandIn) => s.store.snapshot(),
  createShop: (s: ShopifyStandIn, input: CreateShopInput) => s.store.createShop(input),
  createCustomer: (s: ShopifyStandIn, input: CreateCustomerInput) => s.store.createCustomer(input),
  createOrder: (s: ShopifyStandIn, input: CreateOrderInput) => s.store.createOrder(input),
  addTransaction: (s: ShopifyStandIn, orderId: string, input: TransactionInput) => s.store.addTransaction(orderId, input),
  /** A checkout the buyer left after giving their email (abandonedCheckouts answers it, with its recovery URL). */
  createAbandonedCheckout: (s: ShopifyStandIn, input: CreateAbandonedCheckoutInput) => s.store.createAbandonedCheckout(input),
  fulfillOrder: (s: ShopifyStandIn, orderId: string, input: FulfillInput) => s.store.fulfillOrder(orderId, input),
  /** A hold placed by staff (appId null) or another app (registerApp first). */
  addHold: (s: ShopifyStandIn, fulfillmentOrderId: string, input: Omit<FulfillmentHoldRecord, "id" | "createdAt">) =>
    s.store.addHold(fulfillmentOrderId, input),
  registerApp: (s: ShopifyStandIn, input: { apiKey: string; title?: string; handle?: string }) => s.store.registerApp(input),
  order: (s: ShopifyStandIn, id: string) => s.store.order(id) ?? null,
  orders: (s: ShopifyStandIn, shop: string) => s.store.ordersOfShop(shop),
  flowTriggers: (s: ShopifyStandIn) => s.store.flowTriggers,
  issueAccessToken: (s: ShopifyStandIn, shop: string, extra?: { expiring?: boolean; userId?: number }) => s.issueAccessToken(shop, extra),
  mintSessionToken: (s: ShopifyStandIn, shop: string, extra?: { userId?: number }) => s.mintSessionToken(shop, extra),
  configureBuckets: (s: ShopifyStandIn, config: Partial<BucketConfig>) => s.limits.configure(config),
  setFaults: (s: ShopifyStandIn, config: FaultConfig) => s.limits.setFaults(config),
  failNext: (s: ShopifyStandIn, count: number, fault: Fault) => s.limits.failNext(count, fault),
  clearFaults: (s: ShopifyStandIn) => s.limits.clearFaults(),
  /** Runs a GraphQL request as the app (no HTTP, no access token): `{status, body}`. */
  graphql: (s: ShopifyStandIn, shop: string, request: GraphqlRequest) => s.graphql(shop, request),
  /** Points the shop's Checkout.com payments app at a Checkout.com API with the merchant's secret key. */
  connectPaymentsApp: (s: ShopifyStandIn, shop: string, connection: PaymentsAppConnection) => s.connectPaymentsApp(shop, connection),
  /** The payments app's calls to Checkout.com, oldest first (of one order when given). */
  paymentsAppCalls: (s: ShopifyStandIn, orderId?: string) => s.paymentsApp.calls.filter((c) => !orderId || c.orderId === orderId),
  /** Resolves once the payments app has no call in flight. */
  paymentsAppIdle: (s: ShopifyStandIn) => s.paymentsApp.idle(),
  /** A SKU's inventory ledger in a shop. */
  inventory: (s: ShopifyStandIn, shop: string, sku: string) => s.store.inventory(shop, sku),
  setInventory: (s: ShopifyStandIn, shop: string, sku: string, available: number) => s.store.setInventory(shop, sku, available),
  /** Emails Shopify sent customers (refund receipts, cancellations), of one shop when given. */
  notifications: (s: ShopifyStandIn, shop?: string) => s.store.notifications.filter((n) => !shop || n.shop === shop.toLowerCase()),
  /** Apps' subscriptions (Billing API), of one shop when given. */
  appSubscriptions: (s: ShopifyStandIn, shop?: string) => [...s.store.appSubscriptions.values()].filter((sub) => !shop || sub.shop === shop.toLowerCase()),
  appSubscription: (s: ShopifyStandIn, id: string) => s.store.appSubscriptions.get(id) ?? null,
  /** The merchant approves or declines a pending subscription on its confirmation page: `{subscription, redirectTo}`. */
  decideAppSubscription: (s: ShopifyStandIn, id: string, decision: "approve" | "decline") => decideSubscription(s.store, id, decision),
  /** The body Shopify sends for orders/create and orders/updated: the order as the REST Admin API renders it. */
  orderWebhookPayload: (s: ShopifyStandIn, orderId: string) => restOrder(s.store, s.store.requireOrder(orderId)),
  /** The body Shopify sends for order_transactions/create: the transaction as the REST Admin API renders it. */
  transactionWebhookPayload: (s: ShopifyStandIn, transactionId: string) => restTransaction(s.store, transactionId),
};

type Methods = typeof CONTROL_METHODS;
type Rest<T> = T extends (first: ShopifyStandIn, ...rest: infer R) => unknown ? R : never;
export type ShopifyControl = { [K in keyof Methods]: (...args: Rest<Methods[K]>) => Promise<Awaited<ReturnType<Methods[K]>>> };

const callSchema = z.object({ args: z.array(z.unknown()).default([]) });

export async function startControlServer(standIn: ShopifyStandIn, options: { port?: number; host?: string } = {}) {
  const server = http.createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const name = (req.url ?? "/").slice(1).split("?")[0] as keyof Methods;
    if (req.method !== "POST" || !Object.hasOwn(CONTROL_METHODS, name))
      return reply(404, { error: `Unknown control method ${req.method} /${name}; POST one of: ${Object.keys(CONTROL_METHODS).join(", ")}` });
    let text = "";
    for await (const chunk of req) text += chunk;
    let parsed: z.SafeParseReturnType<unknown, { args: unknown[] }>;
    try {
      parsed = callSchema.safeParse(text ? JSON.parse(text) : {});
    } catch {
      return reply(400, { error: 'Body must be JSON: {"args": [...]}' });
    }
    if (!parsed.success) return reply(400, { error: `Body must be {"args": [...]}: ${parsed.error.message}` });
    try {
      const method = CONTROL_METHODS[name] as (s: ShopifyStandIn, ...args: unknown[]) => unknown;
      reply(200, { result: (await method(standIn, ...parsed.data.args)) ?? null });
    } catch (error) {
      reply(422, { error: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The control API from another process, typed like CONTROL_METHODS. */
export function shopifyControlClient(baseUrl: string): ShopifyControl {
  return new Proxy({} as ShopifyControl, {
    get:
      (_target, name: string) =>
      async (...args: unknown[]) => {
        const response = await fetch(`${baseUrl.replace(/\/$/, "")}/${name}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ args }),
        });
        const body = (await response.json()) as { result?: unknown; error?: string };
        if (!response.ok) throw new Error(`Shopify stand-in control ${name}: ${body.error ?? response.status}`);
        return body.result;
      },
  });
}
