// Webhooks as Shopify sends them to an app: the order in the REST Admin API's JSON (what orders/create,
// orders/updated, orders/paid... carry, API 2026-07), and the HTTP delivery itself: a POST of that
// JSON with X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the raw body keyed with the app's API secret,
// and the X-Shopify-* headers Shopify adds. The stand-in does not send webhooks by itself (see
// README.md): a test or benchmark builds a delivery here and posts it where Shopify would.
import crypto from "node:crypto";
import { currencyDigits } from "../../../app/lib/money";
import { financialStatus, fulfillmentStatus } from "./search";
import { legacyId, orderTotals, toShopMinor, type MailingAddressRecord, type OrderRecord, type ShopifyStore } from "./store";
import { ADMIN_API_VERSION } from "./schema";

/** REST money: a decimal string with the currency's digits ("94.00", "1500"). */
function restAmount(minor: number, currency: string): string {
  const exponent = currencyDigits(currency);
  return (minor / 10 ** exponent).toFixed(exponent);
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, string>();

/** "-05:00": the zone's offset from UTC at `ms` (offsets only change on a quarter hour, so one lookup per quarter). */
function utcOffset(ms: number, timeZone: string): string {
  const key = `${timeZone} ${Math.floor(ms / 900_000)}`;
  let offset = offsets.get(key);
  if (offset) return offset;
  let format = offsetFormats.get(timeZone);
  if (!format) offsetFormats.set(timeZone, (format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })));
  const name = format.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  offset = /GMT([+-]\d{2}:\d{2})/.exec(name)?.[1] ?? "+00:00";
  if (offsets.size > 10_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** REST times are in the shop's time zone with its offset: "2026-12-04T10:15:00-05:00". */
export function restTime(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  const offset = utcOffset(ms, timeZone);
  const offsetMs = (offset.startsWith("-") ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60_000;
  return `${new Date(ms + offsetMs).toISOString().slice(0, 19)}${offset}`;
}

function restAddress(address: MailingAddressRecord | null) {
  if (!address) return null;
  return {
    first_name: address.firstName,
    address1: address.address1,
    phone: address.phone,
    city: address.city,
    zip: address.zip,
    province: address.province,
    country: address.country,
    last_name: address.lastName,
    address2: address.address2,
    company: address.company,
    latitude: null,
    longitude: null,
    name: address.name,
    country_code: address.countryCodeV2,
    province_code: address.provinceCode,
  };
}

/** The order as Shopify's REST Admin API (and so its order webhooks) renders it. */
export function restOrder(store: ShopifyStore, order: OrderRecord): Record<string, unknown> {
  const shop = store.shop(order.shop)!;
  const time = (iso: string | null) => (iso ? restTime(iso, shop.ianaTimezone) : null);
  const presentment = order.presentmentCurrencyCode;
  const money = (minor: number) => restAmount(minor, presentment);
  const moneySet = (minor: number) => ({
    shop_money: { amount: restAmount(toShopMinor(order, minor), order.currencyCode), currency_code: order.currencyCode },
    presentment_money: { amount: money(minor), currency_code: presentment },
  });
  const totals = orderTotals(order);
  const lineItemsPrice = order.lineItems.reduce((sum, li) => sum + li.quantity * li.unitPrice, 0);
  const customer = order.customerId ? store.customer(order.customerId) : undefined;
  const fulfillment = fulfillmentStatus(order);
  const gateways = [...new Set(order.transactions.map((t) => t.gateway))];
  const id = Number(legacyId(order.id));
  return {
    id,
    admin_graphql_api_id: order.id,
    app_id: 580111,
    browser_ip: order.clientIp,
    buyer_accepts_marketing: false,
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    canceled_at: time(order.cancelledAt),
    cart_token: order.cartToken,
    checkout_id: id + 1,
    checkout_token: order.checkoutToken,
    client_details: {
      accept_language: order.customerLocale,
      browser_height: null,
      browser_ip: order.clientIp,
      browser_width: null,
      session_hash: null,
      user_agent: null,
    },
    closed_at: time(order.closedAt),
    confirmation_number: order.confirmationNumber,
    confirmed: true,
    contact_email: order.email,
    created_at: time(order.createdAt),
    currency: order.currencyCode,
    current_subtotal_price: money(totals.subtotal),
    current_subtotal_price_set: moneySet(totals.subtotal),
    current_total_discounts: money(order.discount),
    current_total_discounts_set: moneySet(order.discount),
    current_total_price: money(totals.total - totals.refunded),
    current_total_price_set: moneySet(totals.total - totals.refunded),
    current_total_tax: money(order.tax),
    current_total_tax_set: moneySet(order.tax),
    customer_locale: order.customerLocale,
    discount_codes: order.discountCodes.map((code) => ({ code, amount: money(order.discount), type: "fixed_amount" })),
    email: order.email,
    estimated_taxes: false,
    financial_status: financialStatus(order).toLowerCase(),
    fulfillment_status: fulfillment === "FULFILLED" ? "fulfilled" : fulfillment === "PARTIALLY_FULFILLED" ? "partial" : null,
    landing_site: null,
    location_id: null,
    name: order.name,
    note: order.note,
    note_attributes: order.customAttributes.map((a) => ({ name: a.key, value: a.value })),
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${shop.myshopifyDomain}/${legacyId(shop.id)}/orders/${order.checkoutToken ?? id}/authenticate?key=${crypto.createHash("sha256").update(order.id).digest("hex").slice(0, 32)}`,
    payment_gateway_names: gateways,
    phone: order.phone,
    po_number: order.poNumber,
    presentment_currency: presentment,
    processed_at: time(order.processedAt),
    reference: null,
    referring_site: order.customerJourney?.lastVisit?.referrerUrl ?? null,
    source_identifier: null,
    source_name: order.sourceName,
    subtotal_price: money(totals.subtotal),
    subtotal_price_set: moneySet(totals.subtotal),
    tags: order.tags.join(", "),
    tax_lines: [],
    taxes_included: false,
    test: order.test,
    token: crypto.createHash("md5").update(order.id).digest("hex"),
    total_discounts: money(order.discount),
    total_discounts_set: moneySet(order.discount),
    total_line_items_price: money(lineItemsPrice),
    total_line_items_price_set: moneySet(lineItemsPrice),
    total_outstanding: money(Math.max(0, totals.total - totals.captured)),
    total_price: money(totals.total),
    total_price_set: moneySet(totals.total),
    total_shipping_price_set: moneySet(order.shippingPrice),
    total_tax: money(order.tax),
    total_tax_set: moneySet(order.tax),
    total_tip_received: "0.00",
    total_weight: 0,
    updated_at: time(order.updatedAt),
    user_id: null,
    billing_address: restAddress(order.billingAddress),
    customer: customer
      ? {
          id: Number(legacyId(customer.id)),
          email: customer.email,
          created_at: time(customer.createdAt),
          updated_at: time(customer.updatedAt),
          first_name: customer.firstName,
          last_name: customer.lastName,
          state: "enabled",
          note: customer.note,
          verified_email: true,
          multipass_identifier: null,
          tax_exempt: false,
          phone: customer.phone,
          currency: order.currencyCode,
          tags: customer.tags.join(", "),
          admin_graphql_api_id: customer.id,
          default_address: order.billingAddress
            ? { id: Number(legacyId(order.billingAddress.id)), customer_id: Number(legacyId(customer.id)), ...restAddress(order.billingAddress), default: true }
            : null,
        }
      : null,
    discount_applications: [],
    fulfillments: [],
    line_items: order.lineItems.map((li) => ({
      id: Number(legacyId(li.id)),
      admin_graphql_api_id: li.id,
      attributed_staffs: [],
      current_quantity: li.quantity,
      fulfillable_quantity: li.quantity,
      fulfillment_service: "manual",
      fulfillment_status: null,
      gift_card: false,
      grams: 0,
      name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
      price: money(li.unitPrice),
      price_set: moneySet(li.unitPrice),
      product_exists: true,
      product_id: null,
      properties: [],
      quantity: li.quantity,
      requires_shipping: li.requiresShipping,
      sku: li.sku,
      taxable: true,
      title: li.title,
      total_discount: "0.00",
      total_discount_set: moneySet(0),
      variant_id: null,
      variant_inventory_management: "shopify",
      variant_title: li.variantTitle,
      vendor: li.vendor,
      tax_lines: [],
      duties: [],
      discount_allocations: [],
    })),
    payment_terms: null,
    refunds: [],
    shipping_address: restAddress(order.shippingAddress),
    shipping_lines: order.shippingTitle
      ? [
          {
            id: Number(legacyId(order.id)) + 2,
            carrier_identifier: null,
            code: order.shippingTitle,
            discounted_price: money(order.shippingPrice),
            discounted_price_set: moneySet(order.shippingPrice),
            is_removed: false,
            phone: null,
            price: money(order.shippingPrice),
            price_set: moneySet(order.shippingPrice),
            requested_fulfillment_service_id: null,
            source: "shopify",
            title: order.shippingTitle,
            tax_lines: [],
            discount_allocations: [],
          },
        ]
      : [],
  };
}

/** The headers Shopify sends with a webhook; `hmac` null leaves X-Shopify-Hmac-Sha256 out. */
export function webhookHeaders(topic: string, shop: string, hmac: string | null): Record<string, string> {
  return {
    "Content-Type": "application/json",
    ...(hmac === null ? {} : { "X-Shopify-Hmac-Sha256": hmac }),
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": ADMIN_API_VERSION,
    "X-Shopify-Webhook-Id": crypto.randomUUID(),
    "X-Shopify-Event-Id": crypto.randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
  };
}

/** X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body, keyed with the app's API secret. */
export const webhookHmac = (body: string, apiSecret: string) => crypto.createHmac("sha256", apiSecret).update(body, "utf8").digest("base64");

/** A webhook delivery as Shopify makes it: the JSON body and the signed headers (POST it to the app's webhook path). */
export function webhookDelivery(topic: string, shop: string, payload: unknown, apiSecret: string): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(payload);
  return { body, headers: webhookHeaders(topic, shop, webhookHmac(body, apiSecret)) };
}

/** orders/create for an order of the stand-in, as Shopify sends it once the order exists. */
export function orderCreatedDelivery(store: ShopifyStore, order: OrderRecord, apiSecret: string) {
  return webhookDelivery("orders/create", order.shop, restOrder(store, order), apiSecret);
}
