// Field resolvers: how the store's records answer the Admin API schema's fields. Every record type
// lists the fields it implements; asking for any other field of a record fails loudly ("not
// implemented by the stand-in") instead of quietly returning null. Plain value objects (money,
// payloads, user errors) answer with their own properties.
import { GraphQLError, responsePathAsArray, type GraphQLFieldResolver, type GraphQLTypeResolver } from "graphql";
import { BILLING_RESOLVERS, currentAppInstallation } from "./billing";
import { connection } from "./connection";
import { pass, requireGid, type Args, type RequestContext, type Resolvers } from "./context";
import { ABANDONED_CHECKOUT_RESOLVERS, abandonedCheckouts } from "./abandoned-checkouts";
import { formatDecimal, money, moneyBag, toMinor } from "./money";
import { MUTATIONS } from "./mutations";
import {
  capturableOn,
  capturableTotal,
  lineState,
  netRefundable,
  refundableOn,
  shippingRefunded,
  suggestRefund,
  type SuggestedRefundLine,
} from "./order-money";
import { filterOrders, financialStatus, fulfillmentStatus, searchCandidates, sortOrders } from "./search";
import {
  gidType,
  isoTime,
  legacyId,
  orderTotals,
  toShopMinor,
  type AppRecord,
  type CustomerJourneyRecord,
  type CustomerRecord,
  type CustomerVisitRecord,
  type FulfillmentHoldRecord,
  type FulfillmentOrderLineItemRecord,
  type FulfillmentOrderRecord,
  type FulfillmentRecord,
  type LineItemRecord,
  type MailingAddressRecord,
  type OrderRecord,
  type RefundLineItemRecord,
  type RefundRecord,
  type RiskAssessmentRecord,
  type ShopPolicyRecord,
  type ShopRecord,
  type TransactionRecord,
} from "./store";

const count = (n: number) => ({ count: n, precision: "EXACT" });

const orderOf = (ctx: RequestContext, id: string) => ctx.store.order(id)!;

function customerOrders(ctx: RequestContext, customerId: string) {
  return ctx.store.ordersOfCustomer(customerId).filter((o) => o.shop === ctx.shop.myshopifyDomain);
}

/** Orders of the shop, searched, sorted and paged; unknown search fields become warnings. */
function orderConnection(ctx: RequestContext, orders: OrderRecord[], args: Args, path: ReadonlyArray<string | number>) {
  const { orders: found, warnings } = filterOrders(orders, args.query, ctx.store);
  if (warnings.length) ctx.searchWarnings.push({ path, query: args.query ?? "", warnings });
  return connection(sortOrders(found, args.sortKey ?? "ID", args.reverse ?? false, ctx.store), args);
}

/** `order(id:)`, `customer(id:)`...: the shop's record of that type, or null (another shop's ids too). */
const nodeOfType =
  (type: string) =>
  (_s: unknown, { id }: { id: string }, ctx: RequestContext) =>
    gidType(requireGid(id)) === type ? ctx.store.findNode(ctx.shop.myshopifyDomain, id) : null;

const QueryRoot: Resolvers<unknown> = {
  shop: (_s, _a, ctx) => ctx.shop,
  order: nodeOfType("Order"),
  orders: (_s, args, ctx, info) =>
    orderConnection(
      ctx,
      searchCandidates(ctx.store, ctx.shop.myshopifyDomain, args.query),
      { sortKey: "PROCESSED_AT", ...args },
      responsePathAsArray(info.path),
    ),
  abandonedCheckouts,
  customer: nodeOfType("Customer"),
  customers: (_s, args, ctx) =>
    connection(
      [...ctx.store.customers.values()].filter((c) => c.shop === ctx.shop.myshopifyDomain),
      args,
    ),
  fulfillmentOrder: nodeOfType("FulfillmentOrder"),
  node: (_s, { id }, ctx) => ctx.store.findNode(ctx.shop.myshopifyDomain, requireGid(id)),
  nodes: (_s, { ids }, ctx) => {
    if (ids.length > 250) throw new GraphQLError("The `ids` argument must not contain more than 250 ids", { extensions: { code: "BAD_REQUEST" } });
    return (ids as string[]).map((id) => ctx.store.findNode(ctx.shop.myshopifyDomain, requireGid(id, "ids")));
  },
  currentAppInstallation,
  job: (_s, { id }, ctx) => {
    const job = ctx.store.jobs.get(requireGid(id));
    return job && job.shop === ctx.shop.myshopifyDomain ? job : null;
  },
};

const Shop: Resolvers<ShopRecord> = {
  ...pass("id", "name", "myshopifyDomain", "currencyCode", "email", "contactEmail", "ianaTimezone", "createdAt"),
  shopPolicies: (shop) => shop.policies,
  url: (shop) => `https://${shop.myshopifyDomain}`,
  primaryDomain: (shop) => ({ id: shop.id.replace("Shop", "Domain"), host: shop.myshopifyDomain, url: `https://${shop.myshopifyDomain}`, sslEnabled: true }),
  enabledPresentmentCurrencies: (shop) => [shop.currencyCode],
  shopOwnerName: (shop) => shop.users.filter((u) => u.accountOwner).map((u) => `${u.firstName} ${u.lastName}`)[0] ?? "",
};

const ShopPolicy: Resolvers<ShopPolicyRecord> = pass("id", "type", "title", "body", "url", "createdAt", "updatedAt");

const Customer: Resolvers<CustomerRecord> = {
  ...pass("id", "firstName", "lastName", "email", "phone", "note", "tags", "locale", "createdAt", "updatedAt"),
  legacyResourceId: (c) => legacyId(c.id),
  displayName: (c) => [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || "",
  defaultEmailAddress: (c) => (c.email ? { emailAddress: c.email, marketingState: "NOT_SUBSCRIBED", validFormat: true } : null),
  defaultPhoneNumber: (c) => (c.phone ? { phoneNumber: c.phone, marketingState: "NOT_SUBSCRIBED" } : null),
  verifiedEmail: () => true,
  state: () => "ENABLED",
  numberOfOrders: (c, _a, ctx) => String(customerOrders(ctx, c.id).length),
  amountSpent: (c, _a, ctx) => {
    const orders = customerOrders(ctx, c.id);
    const spent = orders.reduce((sum, o) => sum + toShopMinor(o, orderTotals(o).captured - orderTotals(o).refunded), 0);
    return money(spent, ctx.shop.currencyCode);
  },
  lastOrder: (c, _a, ctx) => sortOrders(customerOrders(ctx, c.id), "CREATED_AT", true, ctx.store)[0] ?? null,
  orders: (c, args, ctx, info) => orderConnection(ctx, customerOrders(ctx, c.id), args, responsePathAsArray(info.path)),
};

const Order: Resolvers<OrderRecord> = {
  ...pass(
    "id",
    "name",
    "number",
    "createdAt",
    "processedAt",
    "updatedAt",
    "email",
    "phone",
    "note",
    "tags",
    "test",
    "closedAt",
    "cancelledAt",
    "cancelReason",
    "confirmationNumber",
    "currencyCode",
    "presentmentCurrencyCode",
    "sourceName",
    "checkoutToken",
    "cartToken",
    "clientIp",
    "customerLocale",
    "poNumber",
    "customAttributes",
    "discountCodes",
    "billingAddress",
    "shippingAddress",
  ),
  legacyResourceId: (o) => legacyId(o.id),
  closed: (o) => o.closedAt !== null,
  confirmed: () => true,
  cancellation: (o) => (o.cancellation ? { staffNote: o.cancellation.staffNote } : null),
  discountCode: (o) => o.discountCodes[0] ?? null,
  customer: (o, _a, ctx) => (o.customerId ? (ctx.store.customer(o.customerId) ?? null) : null),
  displayAddress: (o) => o.billingAddress ?? o.shippingAddress,
  billingAddressMatchesShippingAddress: (o) => {
    const strip = (a: MailingAddressRecord | null) => (a ? JSON.stringify({ ...a, id: undefined }) : null);
    return strip(o.billingAddress) === strip(o.shippingAddress);
  },
  lineItems: (o, args) => connection(o.lineItems, args),
  subtotalLineItemsQuantity: (o) => o.lineItems.reduce((s, li) => s + li.quantity, 0),
  currentSubtotalLineItemsQuantity: (o) => o.lineItems.reduce((s, li) => s + lineState(o, li).current, 0),
  subtotalPriceSet: (o) => moneyBag(o, orderTotals(o).subtotal),
  currentSubtotalPriceSet: (o) => moneyBag(o, orderTotals(o).subtotal - refundedLines(o, "subtotal")),
  totalPriceSet: (o) => moneyBag(o, orderTotals(o).total),
  originalTotalPriceSet: (o) => moneyBag(o, orderTotals(o).total),
  currentTotalPriceSet: (o) => moneyBag(o, orderTotals(o).total - refundedLines(o, "subtotal") - refundedLines(o, "tax") - shippingRefunded(o)),
  totalShippingPriceSet: (o) => moneyBag(o, o.shippingPrice),
  currentShippingPriceSet: (o) => moneyBag(o, o.shippingPrice - shippingRefunded(o)),
  totalRefundedShippingSet: (o) => moneyBag(o, shippingRefunded(o)),
  totalTaxSet: (o) => moneyBag(o, o.tax),
  currentTotalTaxSet: (o) => moneyBag(o, o.tax - refundedLines(o, "tax")),
  totalDiscountsSet: (o) => moneyBag(o, o.discount),
  currentTotalDiscountsSet: (o) => moneyBag(o, o.discount),
  totalRefundedSet: (o) => moneyBag(o, orderTotals(o).refunded),
  totalReceivedSet: (o) => moneyBag(o, orderTotals(o).captured),
  netPaymentSet: (o) => moneyBag(o, orderTotals(o).captured - orderTotals(o).refunded),
  totalOutstandingSet: (o) => {
    const t = orderTotals(o);
    return moneyBag(o, o.cancelledAt ? 0 : Math.max(0, t.total - t.captured));
  },
  totalCapturableSet: (o) => moneyBag(o, capturableTotal(o)),
  capturable: (o) => capturableTotal(o) > 0,
  transactions: (o, { first }) => (first == null ? o.transactions : o.transactions.slice(0, first)),
  transactionsCount: (o) => count(o.transactions.length),
  paymentGatewayNames: (o) => [...new Set(o.transactions.map((t) => t.gateway))],
  displayFinancialStatus: (o) => financialStatus(o),
  displayFulfillmentStatus: (o) => fulfillmentStatus(o),
  fullyPaid: (o) => orderTotals(o).captured >= orderTotals(o).total,
  unpaid: (o) => orderTotals(o).captured === 0,
  refundable: (o) => netRefundable(o) > 0,
  refunds: (o, { first }) => (first == null ? o.refunds : o.refunds.slice(0, first)),
  suggestedRefund: (o, args) => suggestedRefund(o, args),
  canMarkAsPaid: (o) => orderTotals(o).captured === 0 && !o.cancelledAt,
  fulfillable: (o) => !o.cancelledAt && o.fulfillmentOrders.some((fo) => fo.status === "OPEN"),
  requiresShipping: (o) => o.lineItems.some((li) => li.requiresShipping),
  fulfillmentOrders: (o, args) =>
    connection(
      o.fulfillmentOrders.filter((fo) => args.displayable !== true || fo.status !== "CLOSED"),
      args,
    ),
  fulfillments: (o, { first }) => (first == null ? o.fulfillments : o.fulfillments.slice(0, first)),
  fulfillmentsCount: (o) => count(o.fulfillments.length),
  risk: (o) => ({ assessments: o.riskAssessments, recommendation: recommendation(o.riskAssessments) }),
  customerJourneySummary: (o) => (o.customerJourney ? { ...o.customerJourney, ready: true, momentsCount: count(2) } : null),
  customerJourney: (o) => o.customerJourney,
  shippingLine: (o) =>
    o.shippingTitle === null
      ? null
      : {
          title: o.shippingTitle,
          code: o.shippingTitle,
          source: "shopify",
          originalPriceSet: moneyBag(o, o.shippingPrice),
          discountedPriceSet: moneyBag(o, o.shippingPrice),
        },
  statusPageUrl: (o, _a, ctx) => `https://${ctx.shop.myshopifyDomain}/${legacyId(ctx.shop.id)}/orders/${o.checkoutToken ?? legacyId(o.id)}/authenticate`,
  customerAcceptsMarketing: () => false,
  taxesIncluded: () => false,
  taxExempt: () => false,
  edited: () => false,
  restockable: (o) => !o.cancelledAt,
  returnStatus: () => "NO_RETURN",
};

function refundedLines(order: OrderRecord, key: "subtotal" | "tax"): number {
  return order.refunds.flatMap((r) => r.lineItems).reduce((s, l) => s + l[key], 0);
}

/** Order.suggestedRefund as plain SuggestedRefund / ShippingRefund / SuggestedOrderTransaction objects. */
function suggestedRefund(order: OrderRecord, args: Args) {
  if (args.refundMethodAllocation && args.refundMethodAllocation !== "ORIGINAL_PAYMENT_METHODS") {
    throw new GraphQLError(`suggestedRefund(refundMethodAllocation: ${args.refundMethodAllocation}) is not implemented by the Shopify stand-in`, {
      extensions: { code: "NOT_IMPLEMENTED_BY_STAND_IN" },
    });
  }
  const unknown = (args.refundLineItems ?? []).find((l: { lineItemId: string }) => !order.lineItems.some((li) => li.id === l.lineItemId));
  if (unknown) throw new GraphQLError(`Line item ${unknown.lineItemId} does not belong to order ${order.id}`, { extensions: { code: "BAD_REQUEST" } });
  const shippingAmount = args.shippingAmount == null ? null : toMinor(args.shippingAmount, order.presentmentCurrencyCode);
  const plan = suggestRefund(order, { ...args, shippingAmount });
  const cur = order.presentmentCurrencyCode;
  const decimal = (minor: number) => formatDecimal(toShopMinor(order, minor), order.currencyCode);
  return {
    amountSet: moneyBag(order, plan.amount),
    amount: decimal(plan.amount),
    maximumRefundableSet: moneyBag(order, plan.maximumRefundable),
    maximumRefundable: decimal(plan.maximumRefundable),
    subtotalSet: moneyBag(order, plan.subtotal),
    subtotal: decimal(plan.subtotal),
    discountedSubtotalSet: moneyBag(order, plan.discountedSubtotal),
    totalCartDiscountAmountSet: moneyBag(order, plan.cartDiscount),
    totalTaxSet: moneyBag(order, plan.tax),
    totalTaxes: decimal(plan.tax),
    totalDutiesSet: moneyBag(order, 0),
    refundDuties: [],
    suggestedRefundMethods: [],
    refundLineItems: plan.lines,
    shipping: {
      amountSet: moneyBag(order, plan.shipping.amount),
      amount: decimal(plan.shipping.amount),
      maximumRefundableSet: moneyBag(order, plan.shipping.maximumRefundable),
      maximumRefundable: decimal(plan.shipping.maximumRefundable),
      taxSet: moneyBag(order, plan.shipping.tax),
      tax: decimal(plan.shipping.tax),
    },
    suggestedTransactions: plan.transactions.map((t) => ({
      kind: "SUGGESTED_REFUND",
      gateway: t.parent.gateway,
      formattedGateway: t.parent.formattedGateway,
      parentTransaction: t.parent,
      amountSet: moneyBag(order, t.amount),
      amount: decimal(t.amount),
      maximumRefundableSet: moneyBag(order, t.maximumRefundable),
      maximumRefundable: decimal(t.maximumRefundable),
      accountNumber: t.parent.card?.number ?? null,
      paymentDetails: t.parent.card ? { __typename: "CardPaymentDetails", ...t.parent.card, paymentMethodName: "card" } : null,
    })),
    currency: cur,
  };
}

function recommendation(assessments: RiskAssessmentRecord[]): string {
  const levels = assessments.map((a) => a.riskLevel);
  if (levels.includes("HIGH")) return "CANCEL";
  if (levels.includes("MEDIUM")) return "INVESTIGATE";
  return levels.some((l) => l === "LOW" || l === "NONE") ? "ACCEPT" : "NONE";
}

const MailingAddress: Resolvers<MailingAddressRecord> = {
  ...pass(
    "id",
    "firstName",
    "lastName",
    "name",
    "company",
    "address1",
    "address2",
    "city",
    "province",
    "provinceCode",
    "zip",
    "country",
    "countryCodeV2",
    "phone",
  ),
  formatted: (a, { withName, withCompany }) =>
    [
      withName ? a.name : null,
      withCompany ? a.company : null,
      a.address1,
      a.address2,
      [a.city, a.provinceCode, a.zip].filter(Boolean).join(" "),
      a.country,
    ].filter((line): line is string => Boolean(line)),
  formattedArea: (a) => [a.city, a.province, a.country].filter(Boolean).join(", "),
  coordinatesValidated: () => false,
};

const LineItem: Resolvers<LineItemRecord> = {
  ...pass("id", "title", "variantTitle", "sku", "vendor", "quantity", "requiresShipping"),
  name: (li) => (li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title),
  currentQuantity: (li, _a, ctx) => lineState(lineItemOrder(ctx, li)!, li).current,
  unfulfilledQuantity: (li, _a, ctx) => lineItemRemaining(lineItemOrder(ctx, li), li),
  refundableQuantity: (li, _a, ctx) => lineState(lineItemOrder(ctx, li)!, li).refundable,
  nonFulfillableQuantity: (li, _a, ctx) => {
    const order = lineItemOrder(ctx, li)!;
    return order.refunds
      .flatMap((r) => r.lineItems)
      .filter((l) => l.lineItemId === li.id)
      .reduce((s, l) => s + l.fromUnfulfilled, 0);
  },
  restockable: (li, _a, ctx) => lineState(lineItemOrder(ctx, li)!, li).refundable > 0,
  isGiftCard: () => false,
  taxable: () => true,
  customAttributes: () => [],
  variant: () => null,
  product: () => null,
  originalUnitPriceSet: (li, _a, ctx) => moneyBag(lineItemOrder(ctx, li)!, li.unitPrice),
  discountedUnitPriceSet: (li, _a, ctx) => moneyBag(lineItemOrder(ctx, li)!, li.unitPrice),
  originalTotalSet: (li, _a, ctx) => moneyBag(lineItemOrder(ctx, li)!, li.unitPrice * li.quantity),
  discountedTotalSet: (li, _a, ctx) => moneyBag(lineItemOrder(ctx, li)!, li.unitPrice * li.quantity),
};

function lineItemOrder(ctx: RequestContext, li: LineItemRecord): OrderRecord | undefined {
  return ctx.store.ordersOfShop(ctx.shop.myshopifyDomain).find((o) => o.lineItems.includes(li));
}

function lineItemRemaining(order: OrderRecord | undefined, li: LineItemRecord): number {
  return (order?.fulfillmentOrders ?? [])
    .flatMap((fo) => fo.lineItems)
    .filter((l) => l.lineItemId === li.id)
    .reduce((s, l) => s + l.remainingQuantity, 0);
}

function transactionOrder(ctx: RequestContext, t: TransactionRecord): OrderRecord {
  return ctx.store.ordersOfShop(ctx.shop.myshopifyDomain).find((o) => o.transactions.includes(t))!;
}

const OrderTransaction: Resolvers<TransactionRecord> = {
  ...pass(
    "id",
    "kind",
    "status",
    "gateway",
    "formattedGateway",
    "paymentId",
    "authorizationCode",
    "createdAt",
    "processedAt",
    "errorCode",
    "receiptJson",
    "test",
  ),
  amountSet: (t, _a, ctx) => moneyBag(transactionOrder(ctx, t), t.amount),
  order: (t, _a, ctx) => transactionOrder(ctx, t),
  parentTransaction: (t, _a, ctx) => transactionOrder(ctx, t).transactions.find((p) => p.id === t.parentId) ?? null,
  paymentDetails: (t) => (t.card ? { __typename: "CardPaymentDetails", ...t.card, paymentMethodName: "card" } : null),
  authorizationExpiresAt: (t) => (t.kind === "AUTHORIZATION" ? isoTime(Date.parse(t.createdAt) + 7 * 86_400_000) : null),
  manualPaymentGateway: (t) => t.gateway === "manual",
  manuallyCapturable: (t, _a, ctx) => capturableOn(transactionOrder(ctx, t), t) > 0,
  multiCapturable: () => false,
  totalUnsettledSet: (t, _a, ctx) => (t.kind === "AUTHORIZATION" ? moneyBag(transactionOrder(ctx, t), capturableOn(transactionOrder(ctx, t), t)) : null),
  maximumRefundableV2: (t, _a, ctx) => {
    const order = transactionOrder(ctx, t);
    return t.kind === "SALE" || t.kind === "CAPTURE" ? money(refundableOn(order, t), order.presentmentCurrencyCode) : null;
  },
  maximumRefundable: (t, _a, ctx) => {
    const order = transactionOrder(ctx, t);
    return t.kind === "SALE" || t.kind === "CAPTURE" ? formatDecimal(refundableOn(order, t), order.presentmentCurrencyCode) : null;
  },
  fees: () => [],
};

const Refund: Resolvers<RefundRecord> = {
  ...pass("id", "createdAt", "processedAt", "updatedAt", "note"),
  legacyResourceId: (r) => legacyId(r.id),
  order: (r, _a, ctx) => orderOf(ctx, r.orderId),
  totalRefundedSet: (r, _a, ctx) =>
    moneyBag(
      orderOf(ctx, r.orderId),
      refundTransactions(ctx, r)
        .filter((t) => t.status === "SUCCESS")
        .reduce((s, t) => s + t.amount, 0),
    ),
  totalRefunded: (r, _a, ctx) => {
    const order = orderOf(ctx, r.orderId);
    return money(
      refundTransactions(ctx, r)
        .filter((t) => t.status === "SUCCESS")
        .reduce((s, t) => s + t.amount, 0),
      order.presentmentCurrencyCode,
    );
  },
  refundLineItems: (r, args) => connection(r.lineItems, args),
  refundShippingLines: (r, args, ctx) => {
    const order = orderOf(ctx, r.orderId);
    const lines = r.shipping
      ? [
          {
            id: `gid://shopify/RefundShippingLine/${legacyId(r.id)}`,
            shippingLine: Order.shippingLine(order, {}, ctx, undefined as never),
            subtotalAmountSet: moneyBag(order, r.shipping.amount),
            taxAmountSet: moneyBag(order, r.shipping.tax),
          },
        ]
      : [];
    return connection(lines, args);
  },
  transactions: (r, args, ctx) => connection(refundTransactions(ctx, r), args),
  orderAdjustments: (_r, args) => connection([], args),
  duties: () => [],
  staffMember: () => null,
  return: () => null,
};

function refundTransactions(ctx: RequestContext, refund: RefundRecord): TransactionRecord[] {
  return orderOf(ctx, refund.orderId).transactions.filter((t) => t.refundId === refund.id);
}

/** Refund lines of a Refund, and the lines of a SuggestedRefund (no id, not restocked yet). */
const RefundLineItem: Resolvers<RefundLineItemRecord | SuggestedRefundLine> = {
  ...pass("id", "quantity", "restockType", "restocked"),
  lineItem: (l, _a, ctx) => orderOf(ctx, l.orderId).lineItems.find((li) => li.id === l.lineItemId),
  location: () => null,
  priceSet: (l, _a, ctx) => moneyBag(orderOf(ctx, l.orderId), l.unitPrice),
  price: (l, _a, ctx) => formatDecimal(l.unitPrice, orderOf(ctx, l.orderId).presentmentCurrencyCode),
  subtotalSet: (l, _a, ctx) => moneyBag(orderOf(ctx, l.orderId), l.subtotal),
  subtotal: (l, _a, ctx) => formatDecimal(l.subtotal, orderOf(ctx, l.orderId).presentmentCurrencyCode),
  totalTaxSet: (l, _a, ctx) => moneyBag(orderOf(ctx, l.orderId), l.tax),
  totalTax: (l, _a, ctx) => formatDecimal(l.tax, orderOf(ctx, l.orderId).presentmentCurrencyCode),
};

const OrderRiskAssessment: Resolvers<RiskAssessmentRecord> = {
  ...pass("riskLevel", "facts"),
  provider: (r, _a, ctx) => (r.providerAppId ? (ctx.store.apps.get(r.providerAppId) ?? null) : null),
};

const supportedActions: Record<string, string[]> = {
  OPEN: ["CREATE_FULFILLMENT", "MOVE", "HOLD", "SPLIT"],
  IN_PROGRESS: ["CREATE_FULFILLMENT", "HOLD"],
  ON_HOLD: ["RELEASE_HOLD", "HOLD", "MOVE"],
  SCHEDULED: ["MARK_AS_OPEN"],
};

const FulfillmentOrder: Resolvers<FulfillmentOrderRecord> = {
  ...pass("id", "orderId", "status", "createdAt", "updatedAt", "fulfillAt"),
  order: (fo, _a, ctx) => orderOf(ctx, fo.orderId),
  orderName: (fo, _a, ctx) => orderOf(ctx, fo.orderId).name,
  orderProcessedAt: (fo, _a, ctx) => orderOf(ctx, fo.orderId).processedAt,
  fulfillBy: () => null,
  channelId: () => null,
  requestStatus: () => "UNSUBMITTED",
  fulfillmentHolds: (fo) => fo.holds,
  supportedActions: (fo) => (supportedActions[fo.status] ?? []).map((action) => ({ action, externalUrl: null })),
  lineItems: (fo, args) => connection(fo.lineItems, args),
  fulfillments: (fo, args, ctx) =>
    connection(
      orderOf(ctx, fo.orderId).fulfillments.filter((f) => f.fulfillmentOrderIds.includes(fo.id)),
      args,
    ),
  assignedLocation: (fo, _a, ctx) => ({
    name: fo.locationName,
    countryCode: ctx.shop.countryCode,
    address1: null,
    address2: null,
    city: null,
    province: null,
    zip: null,
    phone: null,
    location: null,
  }),
  destination: (fo, _a, ctx) => {
    const order = orderOf(ctx, fo.orderId);
    const a = order.shippingAddress;
    if (!a) return null;
    return {
      id: a.id.replace("MailingAddress", "FulfillmentOrderDestination"),
      firstName: a.firstName,
      lastName: a.lastName,
      company: a.company,
      address1: a.address1,
      address2: a.address2,
      city: a.city,
      province: a.province,
      zip: a.zip,
      countryCode: a.countryCodeV2,
      phone: a.phone,
      email: order.email,
      location: null,
    };
  },
};

const FulfillmentOrderLineItem: Resolvers<FulfillmentOrderLineItemRecord> = {
  ...pass("id", "totalQuantity", "remainingQuantity"),
  lineItem: (l, _a, ctx) => foLineItem(ctx, l),
  sku: (l, _a, ctx) => foLineItem(ctx, l).sku,
  productTitle: (l, _a, ctx) => foLineItem(ctx, l).title,
  variantTitle: (l, _a, ctx) => foLineItem(ctx, l).variantTitle,
  vendor: (l, _a, ctx) => foLineItem(ctx, l).vendor,
  requiresShipping: (l, _a, ctx) => foLineItem(ctx, l).requiresShipping,
  warnings: () => [],
};

function foLineItem(ctx: RequestContext, l: FulfillmentOrderLineItemRecord): LineItemRecord {
  return ctx.store
    .ordersOfShop(ctx.shop.myshopifyDomain)
    .flatMap((o) => o.lineItems)
    .find((li) => li.id === l.lineItemId)!;
}

const HOLD_REASONS: Record<string, string> = {
  AWAITING_PAYMENT: "Awaiting payment",
  HIGH_RISK_OF_FRAUD: "High risk of fraud",
  INCORRECT_ADDRESS: "Incorrect address",
  INVENTORY_OUT_OF_STOCK: "Inventory out of stock",
  UNKNOWN_DELIVERY_DATE: "Unknown delivery date",
  ONLINE_STORE_POST_PURCHASE_CROSS_SELL: "Post-purchase upsell",
  AWAITING_RETURN_ITEMS: "Awaiting return items",
  OTHER: "Other",
};

const FulfillmentHold: Resolvers<FulfillmentHoldRecord> = {
  ...pass("id", "handle", "reason", "reasonNotes"),
  displayReason: (h) => HOLD_REASONS[h.reason] ?? h.reason,
  heldByApp: (h, _a, ctx) => (h.appId ? (ctx.store.apps.get(h.appId) ?? null) : null),
  heldByRequestingApp: (h, _a, ctx) => h.appId === ctx.app.id,
};

const Fulfillment: Resolvers<FulfillmentRecord> = {
  ...pass("id", "name", "status", "displayStatus", "createdAt", "updatedAt", "inTransitAt", "deliveredAt", "estimatedDeliveryAt", "totalQuantity"),
  legacyResourceId: (f) => legacyId(f.id),
  order: (f, _a, ctx) => orderOf(ctx, f.orderId),
  requiresShipping: () => true,
  trackingInfo: (f, { first }) => (first == null ? f.tracking : f.tracking.slice(0, first)),
  fulfillmentOrders: (f, args, ctx) =>
    connection(
      orderOf(ctx, f.orderId).fulfillmentOrders.filter((fo) => f.fulfillmentOrderIds.includes(fo.id)),
      args,
    ),
};

const App: Resolvers<AppRecord> = pass("id", "apiKey", "title", "handle");

const Job: Resolvers<{ id: string; doneAt: number }> = {
  id: (j) => j.id,
  done: (j, _a, ctx) => ctx.store.clock() >= j.doneAt,
  query: () => ({}),
};

const journey: Resolvers<CustomerJourneyRecord> = {
  ...pass("customerOrderIndex", "daysToConversion", "firstVisit", "lastVisit"),
  moments: (j) => [j.firstVisit, j.lastVisit].filter(Boolean),
};

const CustomerVisit: Resolvers<CustomerVisitRecord> = {
  ...pass("id", "landingPage", "referrerUrl", "source", "occurredAt"),
  landingPageHtml: (v) => (v.landingPage ? `<a href="${v.landingPage}">${v.landingPage}</a>` : null),
  referralInfoHtml: (v) => (v.referrerUrl ? `referred from <a href="${v.referrerUrl}">${new URL(v.referrerUrl).host}</a>` : "direct"),
  referralCode: () => null,
  sourceType: () => null,
  sourceDescription: () => null,
  utmParameters: () => null,
  marketingEvent: () => null,
};

const RESOLVERS: Record<string, Resolvers<never>> = {
  QueryRoot,
  Mutation: MUTATIONS,
  Shop,
  ShopPolicy,
  Customer,
  Order,
  MailingAddress,
  LineItem,
  OrderTransaction,
  Refund,
  RefundLineItem,
  OrderRiskAssessment,
  FulfillmentOrder,
  FulfillmentOrderLineItem,
  FulfillmentHold,
  Fulfillment,
  App,
  Job,
  CustomerJourney: journey,
  CustomerVisit,
  ...BILLING_RESOLVERS,
  ...ABANDONED_CHECKOUT_RESOLVERS,
} as Record<string, Resolvers<never>>;

/** Resolves a field from the type's resolver list, or from a plain value object's own property. */
export const fieldResolver: GraphQLFieldResolver<unknown, RequestContext> = (source, args, ctx, info) => {
  const typeResolvers = RESOLVERS[info.parentType.name];
  const resolve = typeResolvers?.[info.fieldName];
  if (resolve) return resolve(source as never, args, ctx, info);
  if (!typeResolvers && source !== null && typeof source === "object" && info.fieldName in source) {
    return (source as Record<string, unknown>)[info.fieldName];
  }
  throw new GraphQLError(`${info.parentType.name}.${info.fieldName} is not implemented by the Shopify stand-in (test/standins/shopify/resolvers.ts)`, {
    extensions: { code: "NOT_IMPLEMENTED_BY_STAND_IN" },
  });
};

/** Concrete types for interfaces and unions: a plain object's __typename, else the type in its gid. */
export const typeResolver: GraphQLTypeResolver<unknown, RequestContext> = (value) => {
  const record = value as { __typename?: string; id?: string };
  return record.__typename ?? (record.id ? (gidType(record.id) ?? undefined) : undefined);
};
