// What the demo shop holds: orders in several currencies and countries in the Shopify stand-in, and
// their Checkout.com payments in every state, delivered to the app as signed webhooks.
import type { ScenarioName } from "../standins/checkout/scenarios";
import type { CheckoutStandIn } from "../standins/checkout/server";
import type { ShopifyControl } from "../standins/shopify/control";
import type { TicketConfig } from "../standins/zendesk/tickets";
import { currencyDigits } from "../../app/lib/money";

export const DEMO = {
  shop: "demo-shop.myshopify.com",
  appHandle: "checkout-com-companion",
  apiKey: "demo-api-key",
  apiSecret: "demo-api-secret-not-for-production",
  scopes: "read_orders,write_orders,read_customers,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders,read_third_party_fulfillment_orders,write_third_party_fulfillment_orders,read_legal_policies,read_all_orders",
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
}

const ORDERS: DemoOrderSpec[] = [
  { key: "captured", customer: { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" }, currency: "GBP", country: "GB", items: [{ title: "Analytical Engine Notebook", price: 34.5, quantity: 2, sku: "NB-001" }], shipping: 4.95, fulfilled: true },
  { key: "authorized", customer: { firstName: "Grace", lastName: "Hopper", email: "grace@example.com" }, currency: "USD", country: "US", items: [{ title: "Compiler Mug", price: 18, quantity: 3, sku: "MUG-42" }], shipping: 6 },
  { key: "risky", customer: { firstName: "Mallory", lastName: "Fraudster", email: "mallory@example.net" }, currency: "EUR", country: "DE", shipTo: "NG", items: [{ title: "Noise-cancelling Headphones", price: 349, quantity: 2, sku: "HP-900" }], shipping: 0 },
  { key: "refunded", customer: { firstName: "Alan", lastName: "Turing", email: "alan@example.com" }, currency: "EUR", country: "FR", items: [{ title: "Enigma Puzzle", price: 29.9, quantity: 1, sku: "PZ-7" }], shipping: 3.5, fulfilled: true },
  { key: "disputed", customer: { firstName: "Katherine", lastName: "Johnson", email: "katherine@example.com" }, currency: "USD", country: "US", items: [{ title: "Orbital Mechanics Poster", price: 45, quantity: 1, sku: "PO-3" }, { title: "Slide Rule", price: 89, quantity: 1, sku: "SR-1" }], shipping: 8, fulfilled: true },
  { key: "yen", customer: { firstName: "Hedy", lastName: "Lamarr", email: "hedy@example.com" }, currency: "JPY", country: "JP", items: [{ title: "Frequency Hopping Kit", price: 12800, quantity: 1, sku: "FH-1" }], shipping: 800 },
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
}

const toMinor = (major: number, currency: string) => Math.round(major * 10 ** currencyDigits(currency));

export async function createDemoOrder(shopify: ShopifyControl, spec: DemoOrderSpec): Promise<DemoOrder> {
  const address = (country: string) => ({ firstName: spec.customer.firstName, lastName: spec.customer.lastName, address1: "1 Demo Street", city: "Demo City", zip: "10001", countryCodeV2: country, country });
  const order = await shopify.createOrder({
    shop: DEMO.shop,
    customer: spec.customer,
    email: spec.customer.email,
    currency: spec.currency,
    lineItems: spec.items,
    shippingPrice: spec.shipping,
    billingAddress: address(spec.country),
    shippingAddress: address(spec.shipTo ?? spec.country),
    payment: null,
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
  const amount = spec.items.reduce((sum, i) => sum + toMinor(i.price, spec.currency) * i.quantity, 0) + toMinor(spec.shipping, spec.currency);
  return { key: spec.key, id: order.id, name: order.name, email: spec.customer.email, customerName: `${spec.customer.firstName} ${spec.customer.lastName}`, currency: spec.currency, amount, country: spec.country, shipTo: spec.shipTo ?? spec.country };
}

export async function seedShopify(shopify: ShopifyControl) {
  await shopify.createShop({ domain: DEMO.shop, name: "Demo Outfitters", currencyCode: "USD", countryCode: "US", email: "owner@demo-outfitters.example" });
  const orders: DemoOrder[] = [];
  for (const spec of ORDERS) orders.push(await createDemoOrder(shopify, spec));
  return orders;
}

export const paymentFor = (order: DemoOrder, extra: Record<string, unknown> = {}) => ({
  amount: order.amount,
  currency: order.currency,
  reference: order.name,
  email: order.email,
  name: order.customerName,
  billingCountry: order.country,
  shippingCountry: order.shipTo,
  issuerCountry: order.country,
  ...extra,
});

/** Payments in every state, through the app's real webhook pipeline. */
export async function seedCheckoutHistory(checkout: CheckoutStandIn, orders: DemoOrder[]) {
  const byKey = (key: string) => orders.find((o) => o.key === key)!;
  const play = (name: ScenarioName, order: DemoOrder, extra: Record<string, unknown> = {}) =>
    checkout.scenarios.play(name, { account: "demo", payment: paymentFor(order, extra) });
  const captured = await play("captured", byKey("captured"));
  const authorized = await play("approved", byKey("authorized"));
  const risky = await play("approved_flagged", byKey("risky"), { riskScore: 91, issuerCountry: "RU", ip: "198.51.100.23" });
  const refunded = await play("refunded", byKey("refunded"));
  const disputed = await play("dispute", byKey("disputed"), {});
  const yen = await play("captured", byKey("yen"));
  // Declines at checkout never became orders.
  await checkout.scenarios.play("soft_decline", { account: "demo", payment: { amount: 12_000, currency: "USD", reference: "checkout-7731", email: "ada@example.com" } });
  await checkout.scenarios.play("hard_decline", { account: "demo", payment: { amount: 54_900, currency: "EUR", reference: "checkout-7732", email: "unknown@example.org" } });
  await checkout.webhooks.idle();

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
    },
    disputeId: disputed.dispute!.fixture.id,
    tickets,
  };
}
