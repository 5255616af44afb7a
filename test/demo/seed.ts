// What the demo shop holds: orders in several currencies and countries in the Shopify stand-in, and
// their Checkout.com payments in every state, delivered to the app as signed webhooks.
// Orders paid at Shopify's checkout through Checkout.com's payments app carry the payment as Shopify
// records it: an AUTHORIZATION (authorised only) or a SALE (captured) on gateway `checkout_com`, whose
// `paymentId` is Shopify's payment id (which the payments app also gives Checkout.com as the payment's
// `reference`) and whose receipt holds the Checkout.com payment id. The Checkout.com payment ids are
// chosen here first, so the Shopify transactions exist before any webhook reaches the app.
import crypto from "node:crypto";
import { ckoId } from "../fixtures/checkout-events";
import type { ScenarioName } from "../standins/checkout/scenarios";
import type { CheckoutStandIn } from "../standins/checkout/server";
import type { ShopifyControl } from "../standins/shopify/control";
import { webhookDelivery } from "../standins/shopify/order-webhooks";
import type { TicketConfig } from "../standins/zendesk/tickets";
import { currencyDigits } from "../../app/lib/money";

export const DEMO = {
  shop: "demo-shop.myshopify.com",
  appHandle: "checkout-com-companion",
  apiKey: "demo-api-key",
  apiSecret: "demo-api-secret-not-for-production",
  scopes:
    "read_orders,write_orders,read_customers,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders,read_third_party_fulfillment_orders,write_third_party_fulfillment_orders,read_legal_policies,read_all_orders",
  // Demo only: a fixed key so `npm run demo` needs no configuration. Never use it elsewhere.
  encryptionKey: "de" + "0".repeat(61) + "1",
  secretKey: "sk_sbox_demodemodemodemodemodemode2",
  signatureKey: "demo-webhook-signature-key-2026",
  paymentFieldId: 360001,
};

interface DemoOrderSpec {
  key: string;
  customer: { firstName: string; lastName: string; email: string };
  currency: string;
  country: string;
  shipTo?: string;
  items: Array<{ title: string; price: number; quantity: number; sku: string }>;
  shipping: number;
  fulfilled?: boolean;
  /**
   * How the customer paid: at Shopify's checkout through Checkout.com's payments app (the order holds
   * the Checkout.com transaction; `capture` says SALE or AUTHORIZATION), or by a Checkout.com payment
   * link outside Shopify (the order has no transaction and stays "payment pending" in Shopify).
   */
  paidVia: { shopify: true; capture: boolean } | { shopify: false };
}

const ORDERS: DemoOrderSpec[] = [
  {
    key: "captured",
    customer: { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
    currency: "GBP",
    country: "GB",
    items: [{ title: "Analytical Engine Notebook", price: 34.5, quantity: 2, sku: "NB-001" }],
    shipping: 4.95,
    fulfilled: true,
    paidVia: { shopify: true, capture: true },
  },
  {
    key: "authorized",
    customer: { firstName: "Grace", lastName: "Hopper", email: "grace@example.com" },
    currency: "USD",
    country: "US",
    items: [{ title: "Compiler Mug", price: 18, quantity: 3, sku: "MUG-42" }],
    shipping: 6,
    paidVia: { shopify: true, capture: false },
  },
  {
    key: "risky",
    customer: { firstName: "Mallory", lastName: "Fraudster", email: "mallory@example.net" },
    currency: "EUR",
    country: "DE",
    shipTo: "NG",
    items: [{ title: "Noise-cancelling Headphones", price: 349, quantity: 2, sku: "HP-900" }],
    shipping: 0,
    paidVia: { shopify: true, capture: false },
  },
  {
    key: "refunded",
    customer: { firstName: "Alan", lastName: "Turing", email: "alan@example.com" },
    currency: "EUR",
    country: "FR",
    items: [{ title: "Enigma Puzzle", price: 29.9, quantity: 1, sku: "PZ-7" }],
    shipping: 3.5,
    fulfilled: true,
    paidVia: { shopify: true, capture: true },
  },
  {
    key: "disputed",
    customer: { firstName: "Katherine", lastName: "Johnson", email: "katherine@example.com" },
    currency: "USD",
    country: "US",
    items: [
      { title: "Orbital Mechanics Poster", price: 45, quantity: 1, sku: "PO-3" },
      { title: "Slide Rule", price: 89, quantity: 1, sku: "SR-1" },
    ],
    shipping: 8,
    fulfilled: true,
    paidVia: { shopify: true, capture: true },
  },
  // Paid at Shopify's checkout, then partly refunded on Checkout.com's dashboard: Shopify never hears of
  // that refund, so Reconciliation shows the difference.
  {
    key: "dashboardRefund",
    customer: { firstName: "Barbara", lastName: "Liskov", email: "barbara@example.com" },
    currency: "GBP",
    country: "GB",
    items: [{ title: "Abstraction Notebook", price: 24, quantity: 2, sku: "NB-LSK" }],
    shipping: 4,
    fulfilled: true,
    paidVia: { shopify: true, capture: true },
  },
  // Paid by a Checkout.com payment link sent after a phone order: the money never went through
  // Shopify's checkout, so the order has no transaction (Shopify shows it as payment pending) and
  // the payment's reference is the order name.
  {
    key: "yen",
    customer: { firstName: "Hedy", lastName: "Lamarr", email: "hedy@example.com" },
    currency: "JPY",
    country: "JP",
    items: [{ title: "Frequency Hopping Kit", price: 12800, quantity: 1, sku: "FH-1" }],
    shipping: 800,
    paidVia: { shopify: false },
  },
  // A phone order paid by a payment link whose reference and email are not the order's: Checkout.com
  // flags the payment and the app cannot find its order, so it waits in the review queue's Unmatched tab.
  {
    key: "phone",
    customer: { firstName: "Linus", lastName: "Pauling", email: "linus@example.com" },
    currency: "USD",
    country: "US",
    items: [{ title: "Molecular Model Kit", price: 240, quantity: 1, sku: "MM-2" }],
    shipping: 12,
    paidVia: { shopify: false },
  },
];

export interface DemoOrder {
  key: string;
  id: string;
  name: string;
  email: string;
  customerName: string;
  currency: string;
  amount: number;
  country: string;
  shipTo: string;
  /** The Checkout.com payment id, chosen before the payment is made. */
  ckoPaymentId: string;
  /** Shopify's payment id when paid at Shopify's checkout (also Checkout.com's reference), else null. */
  shopifyPaymentId: string | null;
  /** The Shopify transaction (SALE or AUTHORIZATION) carrying the payment, when paid at Shopify's checkout. */
  transactionId: string | null;
  /** The reference Checkout.com holds for the payment: Shopify's payment id, or the order name for a payment link. */
  reference: string;
}

/** A payment id as Shopify hands one to a payments app: 25 letters and digits. */
function shopifyPaymentId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return [...crypto.randomBytes(25)].map((b) => alphabet[b % alphabet.length]).join("");
}

const toMinor = (major: number, currency: string) => Math.round(major * 10 ** currencyDigits(currency));

export async function createDemoOrder(shopify: ShopifyControl, spec: DemoOrderSpec): Promise<DemoOrder> {
  const address = (country: string) => ({
    firstName: spec.customer.firstName,
    lastName: spec.customer.lastName,
    address1: "1 Demo Street",
    city: "Demo City",
    zip: "10001",
    countryCodeV2: country,
    country,
  });
  const amount = spec.items.reduce((sum, i) => sum + toMinor(i.price, spec.currency) * i.quantity, 0) + toMinor(spec.shipping, spec.currency);
  const ckoPaymentId = ckoId("pay");
  const paidAtShopify = spec.paidVia.shopify ? { capture: spec.paidVia.capture, paymentId: shopifyPaymentId() } : null;
  const order = await shopify.createOrder({
    shop: DEMO.shop,
    customer: spec.customer,
    email: spec.customer.email,
    currency: spec.currency,
    lineItems: spec.items,
    shippingPrice: spec.shipping,
    billingAddress: address(spec.country),
    shippingAddress: address(spec.shipTo ?? spec.country),
    // What Shopify records from the payments app: its payment id, and Checkout.com's payment in the receipt.
    payment: paidAtShopify && {
      kind: paidAtShopify.capture ? "SALE" : "AUTHORIZATION",
      gateway: "checkout_com",
      formattedGateway: "Checkout.com",
      paymentId: paidAtShopify.paymentId,
      authorizationCode: null,
      receipt: {
        id: ckoPaymentId,
        status: paidAtShopify.capture ? "Captured" : "Authorized",
        approved: true,
        amount,
        currency: spec.currency,
        reference: paidAtShopify.paymentId,
      },
      card: { company: "Visa", number: "•••• •••• •••• 4242", bin: "424242", name: `${spec.customer.firstName} ${spec.customer.lastName}` },
    },
    clientIp: "203.0.113.7",
  });
  if (spec.fulfilled) {
    await shopify.fulfillOrder(order.id, {
      trackingCompany: "DHL Express",
      trackingNumber: `JD0146000${order.number}`,
      trackingUrl: `https://www.dhl.com/track?tracking-id=JD0146000${order.number}`,
      deliveredAt: new Date(Date.now() - 2 * 86400_000).toISOString(),
    });
  }
  return {
    key: spec.key,
    id: order.id,
    name: order.name,
    email: spec.customer.email,
    customerName: `${spec.customer.firstName} ${spec.customer.lastName}`,
    currency: spec.currency,
    amount,
    country: spec.country,
    shipTo: spec.shipTo ?? spec.country,
    ckoPaymentId,
    shopifyPaymentId: paidAtShopify?.paymentId ?? null,
    transactionId: paidAtShopify ? order.transactions[0].id : null,
    reference: paidAtShopify?.paymentId ?? order.name,
  };
}

export async function seedShopify(shopify: ShopifyControl) {
  // Not UTC, so the admin shows its dates in the shop's time zone (the app reads it at install).
  await shopify.createShop({
    domain: DEMO.shop,
    name: "Demo Outfitters",
    currencyCode: "USD",
    countryCode: "US",
    email: "owner@demo-outfitters.example",
    ianaTimezone: "America/New_York",
  });
  const orders: DemoOrder[] = [];
  for (const spec of ORDERS) orders.push(await createDemoOrder(shopify, spec));
  return orders;
}

/**
 * Shopify's webhooks for the demo's orders, as Shopify sends them once an order exists: orders/create,
 * then order_transactions/create for each transaction, signed with the app's secret and posted to the app.
 */
export async function deliverOrderWebhooks(shopify: ShopifyControl, appUrl: string, orderIds: string[]) {
  const post = async (path: string, topic: string, payload: unknown) => {
    const { body, headers } = webhookDelivery(topic, DEMO.shop, payload, DEMO.apiSecret);
    const response = await fetch(`${appUrl}${path}`, { method: "POST", body, headers });
    if (!response.ok) throw new Error(`${topic} to the app answered ${response.status}: ${await response.text()}`);
  };
  for (const id of orderIds) {
    await post("/webhooks/orders/create", "orders/create", await shopify.orderWebhookPayload(id));
    for (const transaction of (await shopify.order(id))?.transactions ?? []) {
      await post("/webhooks/order_transactions/create", "order_transactions/create", await shopify.transactionWebhookPayload(transaction.id));
    }
  }
}

export const paymentFor = (order: DemoOrder, extra: Record<string, unknown> = {}) => ({
  amount: order.amount,
  currency: order.currency,
  reference: order.reference,
  email: order.email,
  name: order.customerName,
  billingCountry: order.country,
  shippingCountry: order.shipTo,
  issuerCountry: order.country,
  ...extra,
});

const REFUND_THROUGH_SHOPIFY = `mutation DemoRefund($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund { id transactions(first: 5) { nodes { id status } } }
    userErrors { field message }
  }
}`;

/**
 * The weeks before: payments by customers who bought nothing in the demo's orders, authorised (the
 * authorisation carries its day) in three currencies over the last 75 days, and declines of each class
 * (one retried and approved), so Insights has days, currencies and ranges to tell apart (the last 7
 * days hold a few of them, the last 90 all). Authorised only: no money moved, so no payout and nothing
 * to reconcile.
 */
const HISTORY: Array<{ daysAgo: number; currency: string; amount: number; country: string; scenario?: ScenarioName; customer?: string }> = [
  { daysAgo: 2, currency: "USD", amount: 4_500, country: "US" },
  { daysAgo: 3, currency: "EUR", amount: 7_900, country: "FR" },
  { daysAgo: 5, currency: "USD", amount: 12_900, country: "US" },
  { daysAgo: 8, currency: "USD", amount: 6_000, country: "US", scenario: "soft_decline", customer: "retry@example.org" },
  // The same customer's retry two hours later: a decline recovered.
  { daysAgo: 8 - 2 / 24, currency: "USD", amount: 6_000, country: "US", customer: "retry@example.org" },
  { daysAgo: 9, currency: "USD", amount: 23_400, country: "CA" },
  { daysAgo: 10, currency: "EUR", amount: 15_500, country: "DE" },
  { daysAgo: 12, currency: "GBP", amount: 8_800, country: "GB" },
  { daysAgo: 14, currency: "USD", amount: 3_200, country: "US" },
  { daysAgo: 15, currency: "EUR", amount: 41_000, country: "DE", scenario: "risk_decline" },
  { daysAgo: 21, currency: "USD", amount: 18_000, country: "US" },
  { daysAgo: 25, currency: "EUR", amount: 9_900, country: "FR" },
  { daysAgo: 30, currency: "USD", amount: 7_700, country: "US" },
  { daysAgo: 33, currency: "USD", amount: 9_500, country: "US", scenario: "soft_decline" },
  { daysAgo: 40, currency: "EUR", amount: 22_000, country: "DE" },
  { daysAgo: 40, currency: "GBP", amount: 30_000, country: "GB", scenario: "hard_decline" },
  { daysAgo: 45, currency: "USD", amount: 15_000, country: "US" },
  { daysAgo: 50, currency: "GBP", amount: 12_500, country: "GB" },
  { daysAgo: 60, currency: "USD", amount: 26_000, country: "US" },
  { daysAgo: 70, currency: "EUR", amount: 5_400, country: "FR" },
  { daysAgo: 75, currency: "USD", amount: 9_900, country: "US" },
];

async function seedPaymentHistory(checkout: CheckoutStandIn) {
  const references = HISTORY.map((_, i) => `history-${i + 1}`);
  for (const [i, past] of HISTORY.entries()) {
    const email = past.customer ?? `customer${i + 1}@example.org`;
    checkout.scenarios.play(past.scenario ?? "approved", {
      account: "demo",
      payment: {
        amount: past.amount,
        currency: past.currency,
        reference: references[i],
        email,
        // Each customer's own card: a decline counts as recovered only by the same customer's payment.
        fingerprint: crypto.createHash("sha256").update(email).digest("hex").toUpperCase(),
        billingCountry: past.country,
        shippingCountry: past.country,
        issuerCountry: past.country,
        requestedOn: new Date(Date.now() - past.daysAgo * 86_400_000),
      },
    });
  }
  await checkout.webhooks.idle();
}

/**
 * Payments in every state, through the app's real webhook pipeline. The refunded order is refunded
 * the way money now moves: refundCreate on the Shopify order, which Shopify's Checkout.com payments
 * app (the Shopify stand-in's, connected to this Checkout.com stand-in) carries out at Checkout.com,
 * whose payment_refunded webhook then reaches the app.
 */
/** The part of the dashboardRefund order's payment refunded on Checkout.com's dashboard (minor units of GBP). */
export const DASHBOARD_REFUND = 1_200;

export async function seedCheckoutHistory(checkout: CheckoutStandIn, orders: DemoOrder[], shopify: ShopifyControl) {
  const byKey = (key: string) => orders.find((o) => o.key === key)!;
  const play = (name: ScenarioName, order: DemoOrder, extra: Record<string, unknown> = {}) =>
    checkout.scenarios.play(name, { account: "demo", payment: paymentFor(order, { id: order.ckoPaymentId, ...extra }) });
  const captured = await play("captured", byKey("captured"));
  const authorized = await play("approved", byKey("authorized"));
  const risky = await play("approved_flagged", byKey("risky"), { riskScore: 91, issuerCountry: "RU", ip: "198.51.100.23" });
  const refunded = await play("captured", byKey("refunded"));
  const disputed = await play("dispute", byKey("disputed"), {});
  const yen = await play("captured", byKey("yen"));
  const phone = await play("approved_flagged", byKey("phone"), { reference: "phone order, L. Pauling", email: "l.pauling@example.org", riskScore: 82 });
  // Declines at checkout never became orders.
  await checkout.scenarios.play("soft_decline", {
    account: "demo",
    payment: { amount: 12_000, currency: "USD", reference: "checkout-7731", email: "ada@example.com" },
  });
  await checkout.scenarios.play("hard_decline", {
    account: "demo",
    payment: { amount: 54_900, currency: "EUR", reference: "checkout-7732", email: "unknown@example.org" },
  });
  await checkout.webhooks.idle();

  const toRefund = byKey("refunded");
  const shopifyOrder = (await shopify.order(toRefund.id))!;
  const answer = await shopify.graphql(DEMO.shop, {
    query: REFUND_THROUGH_SHOPIFY,
    variables: {
      key: `demo-refund-${toRefund.id}`,
      input: {
        orderId: toRefund.id,
        currency: toRefund.currency,
        note: "Puzzle returned unopened",
        notify: true,
        refundLineItems: shopifyOrder.lineItems.map((li) => ({ lineItemId: li.id, quantity: li.quantity, restockType: "RETURN" })),
        shipping: { fullRefund: true },
        transactions: [
          {
            orderId: toRefund.id,
            parentId: toRefund.transactionId,
            gateway: "checkout_com",
            kind: "REFUND",
            amount: (toRefund.amount / 10 ** currencyDigits(toRefund.currency)).toFixed(currencyDigits(toRefund.currency)),
          },
        ],
      },
    },
  });
  const refundCreate = (answer.body as { data?: { refundCreate?: { refund: { id: string } | null; userErrors: unknown[] } } }).data?.refundCreate;
  if (!refundCreate?.refund) throw new Error(`Demo refund through Shopify failed: ${JSON.stringify(answer.body)}`);
  await shopify.paymentsAppIdle();

  // Money that moved outside Shopify, for Reconciliation: a refund made on Checkout.com's dashboard (its
  // API, as the dashboard calls it), and an invoice paid by a payment link, which has no Shopify order.
  const dashboard = await play("captured", byKey("dashboardRefund"));
  const dashboardRefund = await fetch(`${checkout.url}/payments/${dashboard.payment.fixture.id}/refunds`, {
    method: "POST",
    headers: { Authorization: `Bearer ${DEMO.secretKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ amount: DASHBOARD_REFUND, reference: "dashboard-refund-goodwill" }),
  });
  if (!dashboardRefund.ok) throw new Error(`Demo dashboard refund failed: ${dashboardRefund.status}`);
  const invoice = await checkout.scenarios.play("captured", {
    account: "demo",
    payment: { amount: 8_900, currency: "USD", reference: "invoice-4410", email: "accounts@example.org" },
  });
  await checkout.webhooks.idle();
  // Yesterday's payouts, one per currency, each with its "financial actions by payout id" report.
  checkout.state.settle("demo", { payoutDate: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) });

  await seedPaymentHistory(checkout);

  const tickets: TicketConfig[] = [
    {
      id: 1,
      subject: `Refund for order ${byKey("captured").name}?`,
      requester: { id: 501, name: "Ada Lovelace", email: "ada@example.com" },
      customFields: { [DEMO.paymentFieldId]: byKey("captured").name },
      comments: [{ from: "requester", body: "Hi, one of the two notebooks arrived damaged. Can I get a refund for it?", public: true }],
    },
    {
      id: 2,
      subject: "Why was my card charged?",
      requester: { id: 502, name: "Grace Hopper", email: "grace@example.com" },
      customFields: {},
      comments: [{ from: "requester", body: "I see a pending charge but I want to cancel my order.", public: true }],
    },
  ];
  return {
    orders,
    payments: {
      captured: captured.payment.fixture.id,
      authorized: authorized.payment.fixture.id,
      risky: risky.payment.fixture.id,
      refunded: refunded.payment.fixture.id,
      disputed: disputed.payment.fixture.id,
      yen: yen.payment.fixture.id,
      phone: phone.payment.fixture.id,
      dashboardRefund: dashboard.payment.fixture.id,
      invoice: invoice.payment.fixture.id,
    },
    disputeId: disputed.dispute!.fixture.id,
    /** The refund made through Shopify on the refunded order (carried out at Checkout.com by the payments app). */
    shopifyRefundId: refundCreate.refund.id,
    tickets,
  };
}
