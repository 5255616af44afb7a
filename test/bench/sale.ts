// The traffic of a sale, for the load benchmarks (webhooks.ts, soak.ts): each card payment has its
// Shopify order, created in the Shopify stand-in (reference = the order name, as Checkout.com's
// payments app or a checkout integration sets it) and announced to the app with the webhooks Shopify
// sends (orders/create, then order_transactions/create for its SALE; REST, HMAC-signed with the app's
// secret), then its Checkout.com events (payment_approved, payment_captured), signed like Checkout.com. Each buyer has an email of their
// own and buys one to three sweaters. About 1% of payments are flagged by Checkout.com's risk engine
// (flagged, score 87), which the default rules hold; `watchAppHolds` timestamps the holds the app
// places in the stand-in.
import crypto from "node:crypto";
import { signBody } from "../fixtures/checkout-events";
import type { DeliveryAnswer } from "../helpers/checkout-webhooks";
import { TEST_API_SECRET } from "../helpers/env";
import { declinedPaymentEvent, orderPayment, paymentEvents, type CheckoutEvent } from "../helpers/event-mix";
import { SIGNATURE_KEY } from "../helpers/factories";
import type { ShopifyStandIn } from "../standins/shopify/index";
import { orderCreatedDelivery } from "../standins/shopify/order-webhooks";
import { transactionCreatedDelivery } from "../standins/shopify/transaction-webhooks";

/** How long the Shopify stand-in takes to answer a call in the benchmarks: Shopify's usual. */
export const SHOPIFY_LATENCY_MS = 50;
/** Share of payments Checkout.com flags as risky in a sale. */
export const FLAGGED_SHARE = 0.01;
/** Where Shopify posts orders/create and order_transactions/create (shopify.app.toml). */
const ORDERS_CREATE_PATH = "/webhooks/orders/create";
const ORDER_TRANSACTIONS_CREATE_PATH = "/webhooks/order_transactions/create";

/** A card payment's deliveries (SaleTraffic.nextPayment). */
export const DELIVERIES_PER_PAYMENT = 4;

export interface SalePayment {
  /** 0, 1, 2... in the order the payments were made. */
  n: number;
  orderId: string;
  orderName: string;
  ckoPaymentId: string;
  flagged: boolean;
}

/** One HTTP delivery to the app: a POST of `body` with `headers` to `path` (on any web process). */
export interface Delivery {
  /** Who sends it: Shopify (the topic) or Checkout.com (the event type). */
  sender: "shopify" | "checkout";
  type: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The payment it belongs to (declines have no order: null). */
  payment: SalePayment | null;
}

export interface SaleTraffic {
  /**
   * The next card payment: its order is created in the stand-in now; its deliveries in the order to
   * send them (orders/create, order_transactions/create, payment_approved, payment_captured).
   */
  nextPayment(): Delivery[];
  /** A declined payment: no order, one Checkout.com event. */
  declined(): Delivery;
  /** Payments made so far. */
  readonly payments: number;
}

function checkoutDelivery(webhookPath: string, type: string, body: string, payment: SalePayment | null): Delivery {
  return {
    sender: "checkout",
    type,
    path: webhookPath,
    headers: { "Content-Type": "application/json", "Cko-Signature": signBody(body, SIGNATURE_KEY) },
    body,
    payment,
  };
}

// Building each event from the fixtures costs more than the app spends accepting it, and the load
// generator shares the machine: the events are the fixtures' text with these values swapped in.
const SENTINELS = {
  eventId: "evt_sentineleventidxxxxxxxxxx",
  paymentId: "pay_sentinelpaymentidxxxxxxxx",
  actionId: "act_sentinelactionidxxxxxxxxx",
  sourceId: "src_sentinelsourceidxxxxxxxxx",
  customerId: "cus_sentinelcustomeridxxxxxxx",
  reference: "#SENTINEL-REFERENCE",
  email: "sentinel.buyer@example.com",
  amount: "987654321",
  time: "2001-02-03T04:05:06.789Z",
};
type Slot = keyof typeof SENTINELS;

/** The event's text split around the sentinels: literal text, then a slot, then literal text... */
function eventTemplate(type: string, flagged: boolean): Array<string | { slot: Slot }> {
  const payment = { ...orderPayment(SENTINELS.reference, flagged), id: SENTINELS.paymentId, email: SENTINELS.email, amount: Number(SENTINELS.amount) };
  const event = paymentEvents(payment).find((e) => e.type === type)!;
  const data = event.data as Record<string, unknown> & { source?: { id: string }; customer?: { id: string } };
  // Values the fixtures derive from the payment or the clock: found, then swapped for sentinels.
  const derived: Array<[string | undefined, Slot]> = [
    [event.id, "eventId"],
    [data.action_id as string, "actionId"],
    [data.source?.id, "sourceId"],
    [data.customer?.id, "customerId"],
    [event.timestamp as string | undefined, "time"],
    [event.created_on as string | undefined, "time"],
    [data.processed_on as string, "time"],
  ];
  let text = JSON.stringify(event);
  for (const [value, slot] of derived) if (value) text = text.replaceAll(value, SENTINELS[slot]);
  const names = Object.keys(SENTINELS) as Slot[];
  const pattern = new RegExp(names.map((n) => SENTINELS[n].replace(/[.*+?^${}()|[\]\\#]/g, "\\$&")).join("|"), "g");
  const parts: Array<string | { slot: Slot }> = [];
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(at, match.index), { slot: names.find((n) => SENTINELS[n] === match[0])! });
    at = match.index! + match[0].length;
  }
  parts.push(text.slice(at));
  return parts;
}

/** Random hex, drawn from a pool (one system call per few hundred tokens instead of one each). */
function randomHex(): (length: number) => string {
  let pool = "";
  return (length) => {
    if (pool.length < length) pool = crypto.randomBytes(8192).toString("hex");
    const text = pool.slice(0, length);
    pool = pool.slice(length);
    return text;
  };
}

const render = (parts: Array<string | { slot: Slot }>, values: Record<Slot, string>) => parts.map((p) => (typeof p === "string" ? p : values[p.slot])).join("");

/** Sale traffic for the bench app's shop (its Checkout.com webhook path and its stand-in shop). */
export function saleTraffic(
  app: { shopify: ShopifyStandIn; shop: { domain: string }; webhookPath: string },
  options: { flaggedShare?: number } = {},
): SaleTraffic {
  const share = options.flaggedShare ?? FLAGGED_SHARE;
  const run = crypto.randomBytes(3).toString("hex");
  const templates = Object.fromEntries(
    [false, true].map((flagged) => [
      String(flagged),
      (["payment_approved", "payment_captured"] as const).map((type) => ({ type, parts: eventTemplate(type, flagged) })),
    ]),
  );
  // Checkout.com-style ids (prefix, 26 characters), unique per run.
  const id = (prefix: string, k: number) => `${prefix}_${run}${k.toString(36).padStart(20, "0")}`;
  let n = 0;
  let events = 0;
  let declines = 0;
  let checkoutIds = 31_457_400_000_000 + Math.floor(Math.random() * 1e9);
  const hex = randomHex();
  return {
    get payments() {
      return n;
    },
    nextPayment() {
      const i = n++;
      // Evenly spread: payment i is flagged when the running count of flagged payments (rounded) steps
      // up, so with 1% the 50th, 150th, 250th... are.
      const flagged = Math.floor((i + 1) * share + 0.5) > Math.floor(i * share + 0.5);
      const quantity = 1 + (i % 3);
      const email = `buyer.${run}.${i}@example.com`;
      const ckoPaymentId = id("pay", i);
      // Paid through Checkout.com's payments app: Shopify's payment id (checkout id + ".1") on the
      // transaction, Checkout.com's payment in its receipt.
      const order = app.shopify.store.createOrder({
        shop: app.shop.domain,
        customer: { email, firstName: "Buyer", lastName: String(i) },
        checkoutToken: hex(32),
        cartToken: hex(24),
        lineItems: [{ title: "Merino wool sweater", variantTitle: "Medium / Navy", sku: "SWTR-M-NVY", price: "89.00", vendor: "North Loop", quantity }],
        payment: { kind: "SALE", paymentId: `c${checkoutIds++}.1`, receipt: { id: ckoPaymentId, status: "Captured", approved: true } },
      });
      const payment: SalePayment = { n: i, orderId: order.id, orderName: order.name, ckoPaymentId, flagged };
      const announced = orderCreatedDelivery(app.shopify.store, order, TEST_API_SECRET);
      const paid = transactionCreatedDelivery(app.shopify.store, order.transactions[0].id, TEST_API_SECRET);
      const time = new Date().toISOString();
      const values = (k: number): Record<Slot, string> => ({
        eventId: id("evt", events++),
        paymentId: ckoPaymentId,
        actionId: id("act", 2 * i + k),
        sourceId: id("src", i),
        customerId: id("cus", i),
        reference: order.name,
        email,
        amount: String(8900 * quantity + 500),
        time,
      });
      return [
        { sender: "shopify", type: "orders/create", path: ORDERS_CREATE_PATH, headers: announced.headers, body: announced.body, payment },
        { sender: "shopify", type: "order_transactions/create", path: ORDER_TRANSACTIONS_CREATE_PATH, headers: paid.headers, body: paid.body, payment },
        ...templates[String(flagged)].map(({ type, parts }, k) => checkoutDelivery(app.webhookPath, type, render(parts, values(k)), payment)),
      ];
    },
    declined() {
      const event: CheckoutEvent = declinedPaymentEvent(declines++);
      return checkoutDelivery(app.webhookPath, event.type, JSON.stringify(event), null);
    },
  };
}

/**
 * POSTs a delivery to the app at `baseUrl` (a web process); its answer: the HTTP status, "refused"
 * when no connection could be made, "error" when the connection failed during the request.
 */
export async function postDelivery(baseUrl: string, delivery: Delivery): Promise<DeliveryAnswer> {
  try {
    const response = await fetch(`${baseUrl}${delivery.path}`, { method: "POST", headers: delivery.headers, body: delivery.body });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED" ? "refused" : "error";
  }
}

/**
 * Timestamps (performance.now()) the first hold the app places on each order of the stand-in, as
 * it lands there; `stop` stops watching.
 */
export function watchAppHolds(shopify: ShopifyStandIn): { heldAt: Map<string, number>; stop(): void } {
  const heldAt = new Map<string, number>();
  const stop = shopify.store.watchHolds((hold, { order }) => {
    if (hold.appId === shopify.app.id && !heldAt.has(order.id)) heldAt.set(order.id, performance.now());
  });
  return { heldAt, stop };
}

/** The p-th percentile of ascending values (nearest rank); NaN when there are none. */
export const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN;
