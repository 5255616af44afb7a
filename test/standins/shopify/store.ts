// The Shopify stand-in's in-memory data: shops, customers, orders with their transactions, risk
// assessments, fulfillment orders, holds and fulfillments, plus the apps and access tokens that
// call it. Records are plain JSON (ISO dates, money in minor units) so the control API can ship
// them across processes. Shopify's rules for mutations live in mutations.ts; this file only keeps
// the data consistent and offers seed helpers with believable defaults.
import crypto from "node:crypto";
import { convertMinor, defaultExchangeRate, toMinor } from "./money";

export type Clock = () => number;

type ShopPolicyType = "REFUND_POLICY" | "SHIPPING_POLICY" | "PRIVACY_POLICY" | "TERMS_OF_SERVICE";
export type TransactionKind = "SALE" | "CAPTURE" | "AUTHORIZATION" | "VOID" | "REFUND";
type TransactionStatus = "SUCCESS" | "FAILURE" | "PENDING" | "ERROR";
export type RiskLevel = "HIGH" | "MEDIUM" | "LOW" | "NONE" | "PENDING";
type FulfillmentOrderStatus = "OPEN" | "IN_PROGRESS" | "CANCELLED" | "INCOMPLETE" | "CLOSED" | "SCHEDULED" | "ON_HOLD";
export type FulfillmentHoldReason =
  | "AWAITING_PAYMENT"
  | "HIGH_RISK_OF_FRAUD"
  | "INCORRECT_ADDRESS"
  | "INVENTORY_OUT_OF_STOCK"
  | "UNKNOWN_DELIVERY_DATE"
  | "ONLINE_STORE_POST_PURCHASE_CROSS_SELL"
  | "AWAITING_RETURN_ITEMS"
  | "OTHER";
type OrderCancelReason = "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "STAFF" | "OTHER";

export interface AppRecord {
  id: string;
  apiKey: string;
  title: string;
  handle: string;
}
interface StaffUser {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  accountOwner: boolean;
  locale: string;
}
/** An app's subscription on a shop (Billing API: billing.ts). */
type AppSubscriptionStatus = "PENDING" | "ACTIVE" | "DECLINED" | "EXPIRED" | "FROZEN" | "CANCELLED";
export type PricingInterval = "EVERY_30_DAYS" | "ANNUAL";

export interface AppSubscriptionRecord {
  id: string;
  shop: string;
  appId: string;
  name: string;
  test: boolean;
  status: AppSubscriptionStatus;
  trialDays: number;
  createdAt: string;
  /** Null unless ACTIVE, as Shopify answers. */
  currentPeriodEnd: string | null;
  returnUrl: string;
  lineItems: Array<{
    id: string;
    plan: {
      pricingDetails: {
        __typename: "AppRecurringPricing";
        interval: PricingInterval;
        price: { amount: string; currencyCode: string };
        discount: null;
        planHandle: null;
      };
    };
  }>;
  /** Whether cancelling credited the unused part of the period (appSubscriptionCancel's prorate). */
  prorated: boolean | null;
}

export interface ShopPolicyRecord {
  id: string;
  type: ShopPolicyType;
  title: string;
  body: string;
  url: string;
  createdAt: string;
  updatedAt: string;
}
export interface ShopRecord {
  id: string;
  name: string;
  myshopifyDomain: string;
  currencyCode: string;
  /** Where the shop ships from (its fulfillment location's country). */
  countryCode: string;
  email: string;
  contactEmail: string;
  ianaTimezone: string;
  createdAt: string;
  policies: ShopPolicyRecord[];
  users: StaffUser[];
  nextOrderNumber: number;
}
export interface MailingAddressRecord {
  id: string;
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  zip: string | null;
  country: string | null;
  countryCodeV2: string | null;
  phone: string | null;
}
export interface CustomerRecord {
  id: string;
  shop: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  locale: string;
  createdAt: string;
  updatedAt: string;
}
export interface LineItemRecord {
  id: string;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  /** Presentment-currency minor units. */
  unitPrice: number;
  requiresShipping: boolean;
}
interface CardDetails {
  company: string;
  number: string;
  bin: string;
  name: string;
  expirationMonth: number;
  expirationYear: number;
  avsResultCode: string | null;
  cvvResultCode: string | null;
  wallet: string | null;
}
export interface TransactionRecord {
  id: string;
  kind: TransactionKind;
  status: TransactionStatus;
  gateway: string;
  formattedGateway: string;
  paymentId: string | null;
  authorizationCode: string | null;
  /** Presentment-currency minor units. */
  amount: number;
  createdAt: string;
  processedAt: string;
  parentId: string | null;
  errorCode: string | null;
  receiptJson: string | null;
  test: boolean;
  card: CardDetails | null;
  /** The refund this REFUND transaction belongs to. */
  refundId?: string | null;
}
export type RestockType = "RETURN" | "CANCEL" | "LEGACY_RESTOCK" | "NO_RESTOCK";
export interface RefundLineItemRecord {
  id: string;
  orderId: string;
  lineItemId: string;
  quantity: number;
  restockType: RestockType;
  restocked: boolean;
  /** How many of these units were taken off the unfulfilled quantity (the rest had shipped). */
  fromUnfulfilled: number;
  /** Presentment minor units: one unit after discounts, and this refund line's share of the line's discounted total, tax and cart discount. */
  unitPrice: number;
  subtotal: number;
  tax: number;
  discount: number;
}
export interface RefundRecord {
  id: string;
  orderId: string;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  note: string | null;
  lineItems: RefundLineItemRecord[];
  /** Shipping refunded, presentment minor units. */
  shipping: { amount: number; tax: number } | null;
  notify: boolean;
  /** The app whose refundCreate made it; null for staff (a cancellation or a seeded refund). */
  appId: string | null;
  source: "refundCreate" | "orderCancel" | "seed";
}
interface InventoryEntry {
  at: string;
  delta: number;
  reason: "restock" | "set";
  restockType: RestockType | null;
  orderId: string | null;
  refundId: string | null;
  lineItemId: string | null;
}
/** Available units of a SKU in a shop, and every change to it. The stand-in does not sell stock: only restocks and seeding move it. */
export interface InventoryRecord {
  shop: string;
  sku: string;
  available: number;
  entries: InventoryEntry[];
}
/** An email Shopify would have sent the customer. */
export interface NotificationRecord {
  shop: string;
  orderId: string;
  orderName: string;
  kind: "refund" | "cancel";
  to: string;
  at: string;
  refundId: string | null;
}
interface RiskFactRecord {
  description: string;
  sentiment: "POSITIVE" | "NEUTRAL" | "NEGATIVE";
}
export interface RiskAssessmentRecord {
  riskLevel: RiskLevel;
  facts: RiskFactRecord[];
  providerAppId: string | null;
  createdAt: string;
}
export interface FulfillmentHoldRecord {
  id: string;
  handle: string;
  reason: FulfillmentHoldReason;
  reasonNotes: string | null;
  /** The app that placed it; null for holds placed by staff in the admin. */
  appId: string | null;
  externalId: string | null;
  notifyMerchant: boolean;
  createdAt: string;
}
export interface FulfillmentOrderLineItemRecord {
  id: string;
  lineItemId: string;
  totalQuantity: number;
  remainingQuantity: number;
}
export interface FulfillmentOrderRecord {
  id: string;
  orderId: string;
  status: FulfillmentOrderStatus;
  createdAt: string;
  updatedAt: string;
  fulfillAt: string | null;
  holds: FulfillmentHoldRecord[];
  lineItems: FulfillmentOrderLineItemRecord[];
  locationName: string;
}
interface TrackingRecord {
  number: string | null;
  url: string | null;
  company: string | null;
}
export interface FulfillmentRecord {
  id: string;
  orderId: string;
  name: string;
  status: "PENDING" | "OPEN" | "SUCCESS" | "CANCELLED" | "ERROR" | "FAILURE";
  displayStatus: string | null;
  createdAt: string;
  updatedAt: string;
  inTransitAt: string | null;
  deliveredAt: string | null;
  estimatedDeliveryAt: string | null;
  tracking: TrackingRecord[];
  fulfillmentOrderIds: string[];
  totalQuantity: number;
}
export interface CustomerVisitRecord {
  id: string;
  landingPage: string | null;
  referrerUrl: string | null;
  source: string;
  occurredAt: string;
}
export interface CustomerJourneyRecord {
  customerOrderIndex: number;
  daysToConversion: number;
  firstVisit: CustomerVisitRecord | null;
  lastVisit: CustomerVisitRecord | null;
}
export interface OrderRecord {
  id: string;
  shop: string;
  number: number;
  name: string;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  email: string | null;
  phone: string | null;
  customerId: string | null;
  currencyCode: string;
  presentmentCurrencyCode: string;
  /** Shop-currency units per presentment-currency unit. */
  exchangeRate: number;
  lineItems: LineItemRecord[];
  shippingTitle: string | null;
  /** Presentment-currency minor units, like every amount on the order. */
  shippingPrice: number;
  tax: number;
  discount: number;
  discountCodes: string[];
  billingAddress: MailingAddressRecord | null;
  shippingAddress: MailingAddressRecord | null;
  note: string | null;
  tags: string[];
  customAttributes: Array<{ key: string; value: string | null }>;
  poNumber: string | null;
  cancelledAt: string | null;
  cancelReason: OrderCancelReason | null;
  /** What orderCancel was asked to do, kept so tests can check it. */
  cancellation: { staffNote: string | null; refund: boolean; restock: boolean; notifyCustomer: boolean } | null;
  closedAt: string | null;
  test: boolean;
  sourceName: string;
  checkoutToken: string | null;
  cartToken: string | null;
  clientIp: string | null;
  customerLocale: string | null;
  confirmationNumber: string;
  customerJourney: CustomerJourneyRecord | null;
  transactions: TransactionRecord[];
  refunds: RefundRecord[];
  riskAssessments: RiskAssessmentRecord[];
  fulfillmentOrders: FulfillmentOrderRecord[];
  fulfillments: FulfillmentRecord[];
}
/** A checkout the buyer left after giving contact details (abandoned-checkouts.ts answers it). */
export interface AbandonedCheckoutRecord {
  id: string;
  shop: string;
  name: string;
  customerId: string | null;
  abandonedCheckoutUrl: string;
  createdAt: string;
  updatedAt: string;
  /** When the buyer came back and paid; null while abandoned. */
  completedAt: string | null;
  emailState: "sent" | "not_sent" | "scheduled" | "suppressed";
  currencyCode: string;
  presentmentCurrencyCode: string;
  exchangeRate: number;
  /** Presentment-currency minor units, like the order's. */
  lineItems: Array<Omit<LineItemRecord, "requiresShipping">>;
  shippingPrice: number;
  tax: number;
  note: string;
  discountCodes: string[];
}
/** Search fields the store keeps an index of (exact values only). */
export type SearchKeyField = "name" | "payment_id" | "checkout_token";
export type HoldWatcher = (hold: FulfillmentHoldRecord, on: { order: OrderRecord; fulfillmentOrder: FulfillmentOrderRecord }) => void;
export interface FlowTriggerRecord {
  shop: string;
  appApiKey: string;
  handle: string | null;
  payload: unknown;
  receivedAt: string;
}
export interface JobRecord {
  id: string;
  shop: string;
  doneAt: number;
}
/** An Admin API call the stand-in received (answered, refused or failed on purpose). */
export interface AdminRequestRecord {
  shop: string;
  operationName: string | null;
  at: string;
}
export interface AccessTokenRecord {
  token: string;
  shop: string;
  apiKey: string;
  scope: string;
  /** Epoch ms; null for tokens that never expire. */
  expiresAt: number | null;
  userId: number | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: number | null;
}

// ---- seed inputs -------------------------------------------------------------------------------

export interface CreateShopInput {
  domain: string;
  name?: string;
  currencyCode?: string;
  countryCode?: string;
  email?: string;
  ianaTimezone?: string;
  policies?: Partial<Record<ShopPolicyType, { title?: string; body: string; url?: string } | null>>;
  users?: StaffUser[];
}
export type AddressInput = Partial<Omit<MailingAddressRecord, "id">>;
export interface CreateCustomerInput {
  shop: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
  locale?: string;
  createdAt?: string;
}
interface LineItemInput {
  title: string;
  price: string | number;
  quantity?: number;
  sku?: string | null;
  variantTitle?: string | null;
  vendor?: string | null;
  requiresShipping?: boolean;
}
export interface TransactionInput {
  kind?: TransactionKind;
  status?: TransactionStatus;
  /** Major units of the order's presentment currency; defaults to the order total. */
  amount?: string | number;
  gateway?: string;
  formattedGateway?: string;
  paymentId?: string | null;
  authorizationCode?: string | null;
  parentId?: string | null;
  errorCode?: string | null;
  /** What the gateway attached (stored as JSON text); null for none. Defaults to `{id: paymentId, status, approved}`. */
  receipt?: unknown;
  createdAt?: string;
  card?: Partial<CardDetails> | null;
  /** A REFUND transaction's refund; when omitted, a REFUND gets a refund of its own (as if refunded in the admin). */
  refundId?: string | null;
}
export interface FulfillInput {
  trackingNumber?: string | null;
  trackingCompany?: string | null;
  trackingUrl?: string | null;
  createdAt?: string;
  inTransitAt?: string | null;
  deliveredAt?: string | null;
  estimatedDeliveryAt?: string | null;
  displayStatus?: string | null;
}
export interface CreateOrderInput {
  shop: string;
  name?: string;
  /** An existing customer id, a new customer's details, or null for a guest order with no customer. */
  customer?: string | Omit<CreateCustomerInput, "shop"> | null;
  email?: string | null;
  phone?: string | null;
  /** Presentment (buyer) currency; defaults to the shop's currency. */
  currency?: string;
  exchangeRate?: number;
  lineItems?: LineItemInput[];
  shippingPrice?: string | number;
  shippingTitle?: string | null;
  tax?: string | number;
  discount?: string | number;
  discountCodes?: string[];
  billingAddress?: AddressInput | null;
  /** Defaults to the billing address. */
  shippingAddress?: AddressInput | null;
  createdAt?: string;
  note?: string | null;
  tags?: string[];
  customAttributes?: Array<{ key: string; value: string | null }>;
  test?: boolean;
  sourceName?: string;
  checkoutToken?: string | null;
  cartToken?: string | null;
  clientIp?: string | null;
  customerLocale?: string | null;
  customerJourney?: { landingPage?: string | null; referrerUrl?: string | null; source?: string; firstVisitAt?: string; customerOrderIndex?: number } | null;
  /** The payment: one transaction (default: a successful SALE of the total), several, or none (null). */
  payment?: TransactionInput | TransactionInput[] | null;
  /** Shopify's own risk assessment; null for none. */
  risk?: { level: RiskLevel; facts?: RiskFactRecord[] } | null;
  /** Fulfils the whole order at creation. */
  fulfillment?: FulfillInput | null;
}

export interface CreateAbandonedCheckoutInput {
  shop: string;
  /** An existing customer id, or null for none; by default the shop's customer with `email` (made when there is none). */
  customer?: string | null;
  email?: string;
  /** Presentment (buyer) currency; defaults to the shop's currency. */
  currency?: string;
  lineItems?: LineItemInput[];
  shippingPrice?: string | number;
  tax?: string | number;
  createdAt?: string;
  updatedAt?: string;
  completedAt?: string | null;
  emailState?: AbandonedCheckoutRecord["emailState"];
}

const DEFAULT_POLICIES: Record<ShopPolicyType, { title: string; body: string }> = {
  REFUND_POLICY: {
    title: "Refund policy",
    body: "<p>We accept returns within 30 days of delivery. Items must be unused and in their original packaging. Refunds go back to the original payment method within 10 business days of receiving the return.</p>",
  },
  SHIPPING_POLICY: {
    title: "Shipping policy",
    body: "<p>Orders ship within 2 business days with tracked delivery. Delivery takes 3-7 business days domestically and 7-14 internationally.</p>",
  },
  PRIVACY_POLICY: {
    title: "Privacy policy",
    body: "<p>We use your personal information only to process your order and to prevent fraud.</p>",
  },
  TERMS_OF_SERVICE: {
    title: "Terms of service",
    body: "<p>By placing an order you agree to these terms. Digital goods are delivered by email immediately after payment.</p>",
  },
};

const POLICY_PATHS: Record<ShopPolicyType, string> = {
  REFUND_POLICY: "refund-policy",
  SHIPPING_POLICY: "shipping-policy",
  PRIVACY_POLICY: "privacy-policy",
  TERMS_OF_SERVICE: "terms-of-service",
};

const COUNTRY_NAMES: Record<string, string> = {
  US: "United States",
  GB: "United Kingdom",
  DE: "Germany",
  FR: "France",
  NL: "Netherlands",
  ES: "Spain",
  IT: "Italy",
  JP: "Japan",
  CA: "Canada",
  AU: "Australia",
  SE: "Sweden",
  CH: "Switzerland",
  BR: "Brazil",
  AE: "United Arab Emirates",
  IE: "Ireland",
  PL: "Poland",
  DK: "Denmark",
  NO: "Norway",
  MX: "Mexico",
};

/** Shopify's DateTime: ISO 8601 in UTC without milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function gidType(id: string): string | null {
  return /^gid:\/\/shopify\/(\w+)\/\d+(\?.*)?$/.exec(id)?.[1] ?? null;
}

export function legacyId(id: string): string {
  return /\/(\d+)(\?.*)?$/.exec(id)?.[1] ?? "0";
}

export class ShopifyStore {
  readonly apps = new Map<string, AppRecord>();
  readonly shops = new Map<string, ShopRecord>();
  readonly customers = new Map<string, CustomerRecord>();
  readonly orders = new Map<string, OrderRecord>();
  readonly abandonedCheckouts = new Map<string, AbandonedCheckoutRecord>();
  readonly flowTriggers: FlowTriggerRecord[] = [];
  /** Inventory by shop and SKU (key: `shop sku`). */
  readonly inventoryLevels = new Map<string, InventoryRecord>();
  /** Emails to customers, oldest first. */
  readonly notifications: NotificationRecord[] = [];
  /** Admin API calls, oldest first (the last 10,000 to 20,000): tests count the app's calls to Shopify with it. */
  readonly adminRequests: AdminRequestRecord[] = [];
  readonly jobs = new Map<string, JobRecord>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  /** Apps' subscriptions (Billing API), by id. */
  readonly appSubscriptions = new Map<string, AppSubscriptionRecord>();
  private nextId = 6_000_000_001;
  // Lookups a large store (a benchmark's hundred thousand orders) needs; records are never removed.
  private readonly ordersByShop = new Map<string, OrderRecord[]>();
  private readonly ordersByCustomer = new Map<string, OrderRecord[]>();
  private readonly fulfillmentOrderOwners = new Map<string, OrderRecord>();
  private readonly transactionOwners = new Map<string, OrderRecord>();
  /** Orders by search key: `name:` (without "#", lower case), `payment_id:`, `checkout_token:` (lower case). */
  private readonly searchKeys: Record<SearchKeyField, Map<string, Set<OrderRecord>>> = { name: new Map(), payment_id: new Map(), checkout_token: new Map() };
  private readonly holdWatchers = new Set<HoldWatcher>();

  constructor(readonly clock: Clock = Date.now) {}

  now(): string {
    return isoTime(this.clock());
  }

  newId(type: string): string {
    return `gid://shopify/${type}/${this.nextId++}`;
  }

  // ---- apps and shops --------------------------------------------------------------------------

  registerApp(input: { apiKey: string; title?: string; handle?: string }): AppRecord {
    const existing = [...this.apps.values()].find((a) => a.apiKey === input.apiKey);
    if (existing) return existing;
    const app = { id: this.newId("App"), apiKey: input.apiKey, title: input.title ?? input.apiKey, handle: input.handle ?? input.apiKey };
    this.apps.set(app.id, app);
    return app;
  }

  appByApiKey(apiKey: string): AppRecord | undefined {
    return [...this.apps.values()].find((a) => a.apiKey === apiKey);
  }

  createShop(input: CreateShopInput): ShopRecord {
    const domain = input.domain.toLowerCase();
    if (this.shops.has(domain)) throw new Error(`Shop ${domain} already exists`);
    const handle = domain.split(".")[0];
    const now = this.now();
    const policies = (Object.keys(DEFAULT_POLICIES) as ShopPolicyType[]).flatMap((type) => {
      const given = input.policies?.[type];
      if (given === null) return [];
      const policy = { ...DEFAULT_POLICIES[type], ...given };
      return [
        {
          id: this.newId("ShopPolicy"),
          type,
          title: policy.title,
          body: policy.body,
          url: given?.url ?? `https://${domain}/policies/${POLICY_PATHS[type]}`,
          createdAt: now,
          updatedAt: now,
        },
      ];
    });
    const shop: ShopRecord = {
      id: this.newId("Shop"),
      name: input.name ?? handle.replace(/-/g, " ").replace(/\b\w/g, (c) => c.toUpperCase()),
      myshopifyDomain: domain,
      currencyCode: input.currencyCode ?? "USD",
      countryCode: input.countryCode ?? "US",
      email: input.email ?? `owner@${handle}.example`,
      contactEmail: input.email ?? `support@${handle}.example`,
      ianaTimezone: input.ianaTimezone ?? "America/New_York",
      createdAt: now,
      policies,
      users: input.users ?? [{ id: 74_000_001, firstName: "Sam", lastName: "Owner", email: `owner@${handle}.example`, accountOwner: true, locale: "en" }],
      nextOrderNumber: 1001,
    };
    this.shops.set(domain, shop);
    return shop;
  }

  shop(domain: string): ShopRecord | undefined {
    return this.shops.get(domain.toLowerCase());
  }

  private requireShop(domain: string): ShopRecord {
    const shop = this.shop(domain);
    if (!shop) throw new Error(`Unknown shop ${domain}; create it with createShop first`);
    return shop;
  }

  // ---- customers -------------------------------------------------------------------------------

  createCustomer(input: CreateCustomerInput): CustomerRecord {
    this.requireShop(input.shop);
    const now = input.createdAt ?? this.now();
    const customer: CustomerRecord = {
      id: this.newId("Customer"),
      shop: input.shop.toLowerCase(),
      firstName: input.firstName ?? "Alex",
      lastName: input.lastName ?? "Rivera",
      email: input.email === undefined ? `customer${this.nextId}@example.com` : input.email,
      phone: input.phone ?? null,
      note: input.note ?? null,
      tags: input.tags ?? [],
      locale: input.locale ?? "en",
      createdAt: now,
      updatedAt: now,
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  customer(id: string): CustomerRecord | undefined {
    return this.customers.get(id);
  }

  ordersOfCustomer(customerId: string): OrderRecord[] {
    return (this.ordersByCustomer.get(customerId) ?? []).slice();
  }

  // ---- orders ----------------------------------------------------------------------------------

  createOrder(input: CreateOrderInput): OrderRecord {
    const shop = this.requireShop(input.shop);
    const currency = input.currency ?? shop.currencyCode;
    const createdAt = input.createdAt ?? this.now();
    const customer =
      input.customer === null
        ? null
        : typeof input.customer === "string"
          ? (this.customers.get(input.customer) ?? fail(`Unknown customer ${input.customer}`))
          : this.createCustomer({ ...input.customer, email: input.customer?.email ?? input.email, shop: shop.myshopifyDomain, createdAt });
    const billing =
      input.billingAddress === null ? null : this.address({ firstName: customer?.firstName, lastName: customer?.lastName, ...input.billingAddress });
    const shipping =
      input.shippingAddress === null
        ? null
        : input.shippingAddress
          ? this.address({ firstName: customer?.firstName, lastName: customer?.lastName, ...input.shippingAddress })
          : billing && { ...billing, id: this.newId("MailingAddress") };
    const lineItems = (
      input.lineItems ?? [{ title: "Merino wool sweater", variantTitle: "Medium / Navy", sku: "SWTR-M-NVY", price: "89.00", vendor: "North Loop" }]
    ).map((item): LineItemRecord => ({
      id: this.newId("LineItem"),
      title: item.title,
      variantTitle: item.variantTitle ?? null,
      sku: item.sku ?? null,
      vendor: item.vendor ?? null,
      quantity: item.quantity ?? 1,
      unitPrice: toMinor(item.price, currency),
      requiresShipping: item.requiresShipping ?? true,
    }));
    const number = shop.nextOrderNumber++;
    const order: OrderRecord = {
      id: this.newId("Order"),
      shop: shop.myshopifyDomain,
      number,
      name: input.name ?? `#${number}`,
      createdAt,
      processedAt: createdAt,
      updatedAt: createdAt,
      email: input.email !== undefined ? input.email : (customer?.email ?? null),
      phone: input.phone ?? customer?.phone ?? null,
      customerId: customer?.id ?? null,
      currencyCode: shop.currencyCode,
      presentmentCurrencyCode: currency,
      exchangeRate: input.exchangeRate ?? defaultExchangeRate(currency, shop.currencyCode),
      lineItems,
      shippingTitle: input.shippingTitle === undefined ? "Standard shipping" : input.shippingTitle,
      shippingPrice: toMinor(input.shippingPrice ?? "5.00", currency),
      tax: toMinor(input.tax ?? 0, currency),
      discount: toMinor(input.discount ?? 0, currency),
      discountCodes: input.discountCodes ?? [],
      billingAddress: billing,
      shippingAddress: shipping,
      note: input.note ?? null,
      tags: input.tags ?? [],
      customAttributes: input.customAttributes ?? [],
      poNumber: null,
      cancelledAt: null,
      cancelReason: null,
      cancellation: null,
      closedAt: null,
      test: input.test ?? false,
      sourceName: input.sourceName ?? "web",
      checkoutToken: input.checkoutToken === undefined ? crypto.randomBytes(16).toString("hex") : input.checkoutToken,
      cartToken: input.cartToken === undefined ? crypto.randomBytes(12).toString("hex") : input.cartToken,
      clientIp: input.clientIp === undefined ? "203.0.113.24" : input.clientIp,
      customerLocale: input.customerLocale === undefined ? "en" : input.customerLocale,
      confirmationNumber: crypto.randomBytes(5).toString("hex").toUpperCase().slice(0, 9),
      customerJourney: null,
      transactions: [],
      refunds: [],
      riskAssessments: [],
      fulfillmentOrders: [],
      fulfillments: [],
    };
    if (input.customerJourney !== null) {
      const journey = input.customerJourney ?? {};
      const visitAt = journey.firstVisitAt ?? isoTime(Date.parse(createdAt) - 2 * 86_400_000);
      const visit = (occurredAt: string): CustomerVisitRecord => ({
        id: this.newId("CustomerVisit"),
        landingPage: journey.landingPage === undefined ? `https://${shop.myshopifyDomain}/products/merino-wool-sweater` : journey.landingPage,
        referrerUrl: journey.referrerUrl === undefined ? "https://www.google.com/" : journey.referrerUrl,
        source: journey.source ?? "google",
        occurredAt,
      });
      order.customerJourney = {
        customerOrderIndex: journey.customerOrderIndex ?? (customer ? this.ordersOfCustomer(customer.id).length : 0),
        daysToConversion: Math.max(0, Math.round((Date.parse(createdAt) - Date.parse(visitAt)) / 86_400_000)),
        firstVisit: visit(visitAt),
        lastVisit: visit(isoTime(Date.parse(createdAt) - 600_000)),
      };
    }
    order.fulfillmentOrders.push({
      id: this.newId("FulfillmentOrder"),
      orderId: order.id,
      status: "OPEN",
      createdAt,
      updatedAt: createdAt,
      fulfillAt: createdAt,
      holds: [],
      lineItems: lineItems.map((li) => ({
        id: this.newId("FulfillmentOrderLineItem"),
        lineItemId: li.id,
        totalQuantity: li.quantity,
        remainingQuantity: li.quantity,
      })),
      locationName: `${shop.name} warehouse`,
    });
    this.orders.set(order.id, order);
    listIn(this.ordersByShop, order.shop).push(order);
    if (order.customerId) listIn(this.ordersByCustomer, order.customerId).push(order);
    this.fulfillmentOrderOwners.set(order.fulfillmentOrders[0].id, order);
    this.addSearchKey("name", order.name.replace(/^#/, "").toLowerCase(), order);
    if (order.checkoutToken) this.addSearchKey("checkout_token", order.checkoutToken.toLowerCase(), order);
    const payments = input.payment === null ? [] : Array.isArray(input.payment) ? input.payment : [input.payment ?? {}];
    for (const payment of payments) this.addTransaction(order.id, { createdAt, ...payment });
    if (input.risk !== null) {
      const risk = input.risk ?? { level: "LOW" as const };
      order.riskAssessments.push({
        riskLevel: risk.level,
        facts: risk.facts ?? [
          {
            description:
              risk.level === "HIGH"
                ? "Characteristics of this order are similar to fraudulent orders observed in the past"
                : "Card Verification Value (CVV) is correct",
            sentiment: risk.level === "HIGH" ? "NEGATIVE" : "POSITIVE",
          },
        ],
        providerAppId: null,
        createdAt,
      });
    }
    if (input.fulfillment) this.fulfillOrder(order.id, input.fulfillment);
    return order;
  }

  // ---- abandoned checkouts ---------------------------------------------------------------------

  /** A checkout the buyer gave an email for and left; its recovery URL is Shopify's shape. */
  createAbandonedCheckout(input: CreateAbandonedCheckoutInput): AbandonedCheckoutRecord {
    const shop = this.requireShop(input.shop);
    const currency = input.currency ?? shop.currencyCode;
    const createdAt = input.createdAt ?? this.now();
    const email = input.email?.trim().toLowerCase();
    const existing = email ? [...this.customers.values()].find((c) => c.shop === shop.myshopifyDomain && c.email?.toLowerCase() === email) : undefined;
    const customerId =
      input.customer !== undefined ? input.customer : email ? (existing ?? this.createCustomer({ shop: shop.myshopifyDomain, email, createdAt })).id : null;
    const id = this.newId("AbandonedCheckout");
    const token = crypto.randomBytes(16).toString("hex");
    const checkout: AbandonedCheckoutRecord = {
      id,
      shop: shop.myshopifyDomain,
      name: `#${legacyId(id)}`,
      customerId,
      abandonedCheckoutUrl: `https://${shop.myshopifyDomain}/${legacyId(shop.id)}/checkouts/ac/${token}/recover?key=${crypto.randomBytes(16).toString("hex")}`,
      createdAt,
      updatedAt: input.updatedAt ?? createdAt,
      completedAt: input.completedAt ?? null,
      emailState: input.emailState ?? "not_sent",
      currencyCode: shop.currencyCode,
      presentmentCurrencyCode: currency,
      exchangeRate: defaultExchangeRate(currency, shop.currencyCode),
      lineItems: (
        input.lineItems ?? [{ title: "Merino wool sweater", variantTitle: "Medium / Navy", sku: "SWTR-M-NVY", price: "89.00", vendor: "North Loop" }]
      ).map((item) => ({
        id: this.newId("AbandonedCheckoutLineItem"),
        title: item.title,
        variantTitle: item.variantTitle ?? null,
        sku: item.sku ?? null,
        vendor: item.vendor ?? null,
        quantity: item.quantity ?? 1,
        unitPrice: toMinor(item.price, currency),
      })),
      shippingPrice: toMinor(input.shippingPrice ?? "5.00", currency),
      tax: toMinor(input.tax ?? 0, currency),
      note: "",
      discountCodes: [],
    };
    this.abandonedCheckouts.set(id, checkout);
    return checkout;
  }

  abandonedCheckoutsOfShop(shop: string): AbandonedCheckoutRecord[] {
    return [...this.abandonedCheckouts.values()].filter((c) => c.shop === shop.toLowerCase());
  }

  private address(input: AddressInput): MailingAddressRecord {
    const countryCode = input.countryCodeV2 ?? "US";
    const defaults =
      countryCode === "US"
        ? { address1: "350 Fifth Avenue", city: "New York", province: "New York", provinceCode: "NY", zip: "10118" }
        : { address1: "1 Main Street", city: "Capital City", province: null, provinceCode: null, zip: "10001" };
    const firstName = input.firstName ?? null;
    const lastName = input.lastName ?? null;
    return {
      id: this.newId("MailingAddress"),
      company: null,
      address2: null,
      phone: null,
      ...defaults,
      ...input,
      firstName,
      lastName,
      name: input.name ?? ([firstName, lastName].filter(Boolean).join(" ") || null),
      countryCodeV2: countryCode,
      country: input.country ?? COUNTRY_NAMES[countryCode] ?? countryCode,
    };
  }

  order(id: string): OrderRecord | undefined {
    return this.orders.get(id);
  }

  requireOrder(id: string): OrderRecord {
    return this.orders.get(id) ?? fail(`Unknown order ${id}`);
  }

  ordersOfShop(shop: string): OrderRecord[] {
    return (this.ordersByShop.get(shop.toLowerCase()) ?? []).slice();
  }

  /**
   * Orders of `shop` whose search `field` (name, payment_id, checkout_token) may equal `value`: every
   * order that `field:value` finds is among them (search.ts narrows big searches with this).
   */
  ordersBySearchKey(shop: string, field: SearchKeyField, value: string): OrderRecord[] {
    const key = field === "name" ? value.replace(/^#/, "").toLowerCase() : value.toLowerCase();
    return [...(this.searchKeys[field].get(key) ?? [])].filter((o) => o.shop === shop.toLowerCase());
  }

  private addSearchKey(field: SearchKeyField, key: string, order: OrderRecord) {
    let orders = this.searchKeys[field].get(key);
    if (!orders) this.searchKeys[field].set(key, (orders = new Set()));
    orders.add(order);
  }

  touch(order: OrderRecord) {
    order.updatedAt = this.now();
  }

  addTransaction(orderId: string, input: TransactionInput = {}): TransactionRecord {
    const order = this.requireOrder(orderId);
    const createdAt = input.createdAt ?? this.now();
    const kind = input.kind ?? "SALE";
    const paymentId =
      input.paymentId === undefined
        ? `pay_${crypto
            .randomBytes(13)
            .toString("base64url")
            .toLowerCase()
            .replace(/[^a-z0-9]/g, "x")
            .slice(0, 26)}`
        : input.paymentId;
    const card =
      input.card === null
        ? null
        : {
            company: "Visa",
            number: "•••• •••• •••• 4242",
            bin: "424242",
            name: "Alex Rivera",
            expirationMonth: 12,
            expirationYear: 2030,
            avsResultCode: "Y",
            cvvResultCode: "M",
            wallet: null,
            ...input.card,
          };
    const transaction: TransactionRecord = {
      id: this.newId("OrderTransaction"),
      kind,
      status: input.status ?? "SUCCESS",
      gateway: input.gateway ?? "checkout_com",
      formattedGateway: input.formattedGateway ?? "Checkout.com",
      paymentId,
      authorizationCode: input.authorizationCode === undefined ? String(100000 + (this.nextId % 900000)) : input.authorizationCode,
      amount: input.amount === undefined ? orderTotals(order).total : toMinor(input.amount, order.presentmentCurrencyCode),
      createdAt,
      processedAt: createdAt,
      parentId: input.parentId ?? null,
      errorCode: input.errorCode ?? null,
      receiptJson:
        input.receipt === null
          ? null
          : JSON.stringify(input.receipt ?? { id: paymentId, status: kind === "AUTHORIZATION" ? "Authorized" : "Captured", approved: true }),
      test: order.test,
      card,
      refundId: input.refundId ?? null,
    };
    if (kind === "REFUND" && input.refundId === undefined) {
      transaction.refundId = this.addRefund(order.id, { createdAt, source: "seed" }).id;
    }
    order.transactions.push(transaction);
    this.transactionOwners.set(transaction.id, order);
    if (paymentId) this.addSearchKey("payment_id", paymentId.toLowerCase(), order);
    this.touch(order);
    return transaction;
  }

  /** The transaction and its order, by transaction id. */
  transaction(id: string): { order: OrderRecord; transaction: TransactionRecord } | undefined {
    const order = this.transactionOwners.get(id);
    const transaction = order?.transactions.find((t) => t.id === id);
    return order && transaction ? { order, transaction } : undefined;
  }

  /** Changes a transaction (a payments app settling it); the order counts as updated. */
  updateTransaction(
    id: string,
    patch: Partial<Pick<TransactionRecord, "status" | "errorCode" | "receiptJson" | "processedAt" | "authorizationCode">>,
  ): TransactionRecord {
    const found = this.transaction(id) ?? fail(`Unknown transaction ${id}`);
    Object.assign(found.transaction, patch);
    this.touch(found.order);
    return found.transaction;
  }

  // ---- refunds, inventory, notifications -------------------------------------------------------

  /** Records a refund on the order. No checks and no money: see refundCreate in money-mutations.ts. */
  addRefund(
    orderId: string,
    input: {
      createdAt?: string;
      processedAt?: string;
      note?: string | null;
      lineItems?: Array<Omit<RefundLineItemRecord, "id" | "orderId">>;
      shipping?: RefundRecord["shipping"];
      notify?: boolean;
      appId?: string | null;
      source: RefundRecord["source"];
    },
  ): RefundRecord {
    const order = this.requireOrder(orderId);
    const createdAt = input.createdAt ?? this.now();
    const refund: RefundRecord = {
      id: this.newId("Refund"),
      orderId,
      createdAt,
      processedAt: input.processedAt ?? createdAt,
      updatedAt: createdAt,
      note: input.note ?? null,
      lineItems: (input.lineItems ?? []).map((line) => ({ ...line, id: this.newId("RefundLineItem"), orderId })),
      shipping: input.shipping ?? null,
      notify: input.notify ?? false,
      appId: input.appId ?? null,
      source: input.source,
    };
    order.refunds.push(refund);
    this.touch(order);
    return refund;
  }

  private inventoryKey(shop: string, sku: string) {
    return `${shop.toLowerCase()} ${sku}`;
  }

  /** A SKU's inventory in a shop (0 available and no entries when never seeded or restocked). */
  inventory(shop: string, sku: string): InventoryRecord {
    return this.inventoryLevels.get(this.inventoryKey(shop, sku)) ?? { shop: shop.toLowerCase(), sku, available: 0, entries: [] };
  }

  /** Seeds a SKU's available quantity. */
  setInventory(shop: string, sku: string, available: number): InventoryRecord {
    const record = this.inventory(shop, sku);
    record.entries.push({
      at: this.now(),
      delta: available - record.available,
      reason: "set",
      restockType: null,
      orderId: null,
      refundId: null,
      lineItemId: null,
    });
    record.available = available;
    this.inventoryLevels.set(this.inventoryKey(shop, sku), record);
    return record;
  }

  /** Puts refunded or canceled units back in stock: one ledger entry per refund line. */
  restock(
    shop: string,
    sku: string,
    quantity: number,
    from: { restockType: RestockType; orderId: string; refundId: string; lineItemId: string },
  ): InventoryRecord {
    const record = this.inventory(shop, sku);
    record.available += quantity;
    record.entries.push({ at: this.now(), delta: quantity, reason: "restock", ...from });
    this.inventoryLevels.set(this.inventoryKey(shop, sku), record);
    return record;
  }

  /** Records the email Shopify sends the customer (refund receipt, cancellation); none when the order has no email. */
  notifyCustomer(order: OrderRecord, kind: NotificationRecord["kind"], refundId: string | null = null): NotificationRecord | null {
    const to = order.email ?? (order.customerId ? this.customers.get(order.customerId)?.email : null) ?? null;
    if (!to) return null;
    const record: NotificationRecord = { shop: order.shop, orderId: order.id, orderName: order.name, kind, to, at: this.now(), refundId };
    this.notifications.push(record);
    return record;
  }

  // ---- fulfillment ----------------------------------------------------------------------------

  fulfillmentOrder(id: string): { order: OrderRecord; fulfillmentOrder: FulfillmentOrderRecord } | undefined {
    const known = this.fulfillmentOrderOwners.get(id);
    const fulfillmentOrder = known?.fulfillmentOrders.find((fo) => fo.id === id);
    if (known && fulfillmentOrder) return { order: known, fulfillmentOrder };
    // One split off by a partial hold (mutations.ts) is found once by looking through every order.
    for (const order of this.orders.values()) {
      const fulfillmentOrder = order.fulfillmentOrders.find((fo) => fo.id === id);
      if (fulfillmentOrder) {
        this.fulfillmentOrderOwners.set(id, order);
        return { order, fulfillmentOrder };
      }
    }
    return undefined;
  }

  /** Calls `watcher` after each hold is placed (by an app or staff); returns the way to stop watching. */
  watchHolds(watcher: HoldWatcher): () => void {
    this.holdWatchers.add(watcher);
    return () => this.holdWatchers.delete(watcher);
  }

  /** Puts a hold on a fulfillment order, as an app (appId) or staff (null). No checks: see mutations.ts. */
  addHold(fulfillmentOrderId: string, input: Omit<FulfillmentHoldRecord, "id" | "createdAt">): FulfillmentHoldRecord {
    const found = this.fulfillmentOrder(fulfillmentOrderId) ?? fail(`Unknown fulfillment order ${fulfillmentOrderId}`);
    const hold = { id: this.newId("FulfillmentHold"), createdAt: this.now(), ...input };
    found.fulfillmentOrder.holds.push(hold);
    found.fulfillmentOrder.status = "ON_HOLD";
    found.fulfillmentOrder.updatedAt = this.now();
    this.touch(found.order);
    for (const watcher of this.holdWatchers) watcher(hold, found);
    return hold;
  }

  /** Releases the given holds (all when holdIds is undefined); the order reopens when none remain. */
  releaseHolds(fulfillmentOrderId: string, holdIds?: string[]): FulfillmentHoldRecord[] {
    const found = this.fulfillmentOrder(fulfillmentOrderId) ?? fail(`Unknown fulfillment order ${fulfillmentOrderId}`);
    const fo = found.fulfillmentOrder;
    const released = fo.holds.filter((h) => !holdIds || holdIds.includes(h.id));
    fo.holds = fo.holds.filter((h) => !released.includes(h));
    if (fo.holds.length === 0 && fo.status === "ON_HOLD") fo.status = "OPEN";
    fo.updatedAt = this.now();
    this.touch(found.order);
    return released;
  }

  /** Ships everything still open on the order, with optional tracking. */
  fulfillOrder(orderId: string, input: FulfillInput = {}): FulfillmentRecord {
    const order = this.requireOrder(orderId);
    const createdAt = input.createdAt ?? this.now();
    const open = order.fulfillmentOrders.filter((fo) => fo.status === "OPEN" || fo.status === "IN_PROGRESS");
    let quantity = 0;
    for (const fo of open) {
      for (const li of fo.lineItems) {
        quantity += li.remainingQuantity;
        li.remainingQuantity = 0;
      }
      fo.status = "CLOSED";
      fo.updatedAt = createdAt;
    }
    const fulfillment: FulfillmentRecord = {
      id: this.newId("Fulfillment"),
      orderId,
      name: `${order.name}-F${order.fulfillments.length + 1}`,
      status: "SUCCESS",
      displayStatus: input.displayStatus ?? (input.deliveredAt ? "DELIVERED" : input.inTransitAt ? "IN_TRANSIT" : "FULFILLED"),
      createdAt,
      updatedAt: createdAt,
      inTransitAt: input.inTransitAt ?? null,
      deliveredAt: input.deliveredAt ?? null,
      estimatedDeliveryAt: input.estimatedDeliveryAt ?? null,
      tracking:
        input.trackingNumber || input.trackingUrl
          ? [{ number: input.trackingNumber ?? null, url: input.trackingUrl ?? null, company: input.trackingCompany ?? null }]
          : [],
      fulfillmentOrderIds: open.map((fo) => fo.id),
      totalQuantity: quantity,
    };
    order.fulfillments.push(fulfillment);
    this.touch(order);
    return fulfillment;
  }

  // ---- access tokens ---------------------------------------------------------------------------

  /**
   * Issues an Admin API access token for an app on a shop, shaped like Shopify's: shpat_ (offline)
   * or shpua_ (online, for a staff user). Expiring offline tokens live an hour and come with a
   * 90-day refresh token; online tokens live a day.
   */
  issueAccessToken(input: { shop: string; apiKey: string; scope: string; expiring?: boolean; userId?: number | null }): AccessTokenRecord {
    this.requireShop(input.shop);
    const online = input.userId != null;
    const now = this.clock();
    const record: AccessTokenRecord = {
      token: `${online ? "shpua" : "shpat"}_${crypto.randomBytes(16).toString("hex")}`,
      shop: input.shop.toLowerCase(),
      apiKey: input.apiKey,
      scope: input.scope,
      expiresAt: online ? now + 86_399_000 : input.expiring ? now + 3_600_000 : null,
      userId: input.userId ?? null,
      refreshToken: !online && input.expiring ? `shprt_${crypto.randomBytes(16).toString("hex")}` : null,
      refreshTokenExpiresAt: !online && input.expiring ? now + 7_776_000_000 : null,
    };
    this.accessTokens.set(record.token, record);
    return record;
  }

  /** The live token record, or undefined when unknown, revoked or expired. */
  accessToken(token: string): AccessTokenRecord | undefined {
    const record = this.accessTokens.get(token);
    if (!record || (record.expiresAt !== null && record.expiresAt <= this.clock())) return undefined;
    return record;
  }

  /** Trades a refresh token for a new token pair; the old pair stops working (rotation). */
  refreshAccessToken(apiKey: string, refreshToken: string): AccessTokenRecord | undefined {
    const old = [...this.accessTokens.values()].find((t) => t.refreshToken === refreshToken && t.apiKey === apiKey);
    if (!old || (old.refreshTokenExpiresAt ?? 0) <= this.clock()) return undefined;
    this.accessTokens.delete(old.token);
    return this.issueAccessToken({ shop: old.shop, apiKey, scope: old.scope, expiring: true });
  }

  revokeAccessToken(token: string) {
    this.accessTokens.delete(token);
  }

  // ---- other records ---------------------------------------------------------------------------

  /** Any record that Shopify would answer for `node(id:)`, scoped to one shop. */
  findNode(shop: string, id: string): unknown {
    const type = gidType(id);
    const domain = shop.toLowerCase();
    switch (type) {
      case "Order":
        return this.orders.get(id)?.shop === domain ? this.orders.get(id) : null;
      case "Customer":
        return this.customers.get(id)?.shop === domain ? this.customers.get(id) : null;
      case "AbandonedCheckout":
        return this.abandonedCheckouts.get(id)?.shop === domain ? this.abandonedCheckouts.get(id) : null;
      case "Shop":
        return this.shop(domain)?.id === id ? this.shop(domain) : null;
      case "FulfillmentOrder": {
        const found = this.fulfillmentOrder(id);
        return found?.order.shop === domain ? found.fulfillmentOrder : null;
      }
      default:
        for (const order of this.ordersOfShop(domain)) {
          const match =
            order.transactions.find((t) => t.id === id) ??
            order.refunds.find((r) => r.id === id) ??
            order.fulfillments.find((f) => f.id === id) ??
            order.lineItems.find((li) => li.id === id) ??
            order.fulfillmentOrders.flatMap((fo) => fo.holds).find((h) => h.id === id);
          if (match) return match;
        }
        return null;
    }
  }

  recordFlowTrigger(record: Omit<FlowTriggerRecord, "receivedAt">): FlowTriggerRecord {
    const stored = { ...record, receivedAt: this.now() };
    this.flowTriggers.push(stored);
    return stored;
  }

  createJob(shop: string, durationMs = 0): JobRecord {
    const job = { id: this.newId("Job"), shop, doneAt: this.clock() + durationMs };
    this.jobs.set(job.id, job);
    return job;
  }

  /** A plain-JSON copy of everything, for tests and the control API. */
  snapshot() {
    return {
      apps: [...this.apps.values()],
      shops: [...this.shops.values()],
      customers: [...this.customers.values()],
      orders: [...this.orders.values()],
      abandonedCheckouts: [...this.abandonedCheckouts.values()],
      flowTriggers: this.flowTriggers,
      inventory: [...this.inventoryLevels.values()],
      notifications: this.notifications,
      appSubscriptions: [...this.appSubscriptions.values()],
    };
  }
}

export interface OrderTotals {
  subtotal: number;
  total: number;
  captured: number;
  authorized: number;
  refunded: number;
  voided: boolean;
}

/** The order's money in presentment minor units, from its lines and successful transactions. */
export function orderTotals(order: OrderRecord): OrderTotals {
  const subtotal = order.lineItems.reduce((sum, li) => sum + li.quantity * li.unitPrice, 0) - order.discount;
  const ok = order.transactions.filter((t) => t.status === "SUCCESS");
  const sum = (kinds: TransactionKind[]) => ok.filter((t) => kinds.includes(t.kind)).reduce((s, t) => s + t.amount, 0);
  return {
    subtotal,
    total: subtotal + order.shippingPrice + order.tax,
    captured: sum(["SALE", "CAPTURE"]),
    authorized: sum(["AUTHORIZATION"]),
    refunded: sum(["REFUND"]),
    voided: ok.some((t) => t.kind === "VOID"),
  };
}

export function toShopMinor(order: OrderRecord, minor: number): number {
  return convertMinor(minor, order.presentmentCurrencyCode, order.currencyCode, order.exchangeRate);
}

function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function fail(message: string): never {
  throw new Error(message);
}
