// What Shopify knows about a disputed order, in one Admin GraphQL query: the order, its items,
// customer, addresses, fulfillments with tracking, transactions with card checks, the customer's
// other orders, and the shop's policies. Amounts are read in the presentment currency, the one the
// cardholder paid in and the dispute is about. Orders with more line items than one page holds are
// read page by page with the same query (rare; each page costs the same).
import type { DisputeEvidenceQuery } from "../types/admin.generated";
import { currencyDigits } from "../lib/money";
import type { adminApi } from "../shopify/admin-api.server";
import type { Address, EvidenceOrder, Money, ShopFacts, ShopPolicyFacts } from "./model";
import { htmlToText } from "./text";

const DISPUTE_EVIDENCE_QUERY = `#graphql
  query DisputeEvidence($orderId: ID!, $withOrder: Boolean!, $lineItems: Int!, $after: String, $otherOrders: Int!) {
    shop {
      name
      myshopifyDomain
      contactEmail
      primaryDomain {
        url
      }
      shopPolicies {
        type
        title
        body
        url
      }
    }
    order(id: $orderId) @include(if: $withOrder) {
      id
      name
      createdAt
      processedAt
      cancelledAt
      note
      email
      phone
      clientIp
      requiresShipping
      displayFinancialStatus
      displayFulfillmentStatus
      shippingLine {
        title
      }
      subtotalPriceSet {
        ...Presentment
      }
      totalShippingPriceSet {
        ...Presentment
      }
      totalTaxSet {
        ...Presentment
      }
      totalDiscountsSet {
        ...Presentment
      }
      totalPriceSet {
        ...Presentment
      }
      totalRefundedSet {
        ...Presentment
      }
      billingAddress {
        ...Address
      }
      shippingAddress {
        ...Address
      }
      lineItems(first: $lineItems, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          title
          variantTitle
          sku
          quantity
          originalUnitPriceSet {
            ...Presentment
          }
          discountedTotalSet {
            ...Presentment
          }
        }
      }
      fulfillments(first: 10) {
        name
        status
        displayStatus
        createdAt
        inTransitAt
        deliveredAt
        estimatedDeliveryAt
        trackingInfo(first: 5) {
          company
          number
          url
        }
      }
      transactions(first: 20) {
        kind
        status
        gateway
        processedAt
        amountSet {
          ...Presentment
        }
        paymentDetails {
          ... on CardPaymentDetails {
            avsResultCode
            cvvResultCode
            company
            number
          }
        }
      }
      customer {
        id
        displayName
        createdAt
        numberOfOrders
        defaultEmailAddress {
          emailAddress
        }
        orders(first: $otherOrders, sortKey: PROCESSED_AT, reverse: true) {
          nodes {
            id
            name
            processedAt
            displayFinancialStatus
            displayFulfillmentStatus
            totalPriceSet {
              ...Presentment
            }
          }
        }
      }
    }
  }

  fragment Presentment on MoneyBag {
    presentmentMoney {
      amount
      currencyCode
    }
  }

  fragment Address on MailingAddress {
    name
    company
    address1
    address2
    city
    province
    zip
    country
    phone
  }
`;

/** Line items per request: keeps the query's calculated cost well under Shopify's 1000 per query. */
const LINE_ITEMS_PER_PAGE = 100;
/** Beyond this many line items the invoice says that more exist. */
const MAX_LINE_ITEMS = 1000;
const OTHER_ORDERS = 10;

// The answer's shapes, as Shopify's codegen types them from DISPUTE_EVIDENCE_QUERY (app/types/).
type GqlOrder = NonNullable<DisputeEvidenceQuery["order"]>;
type GqlLineItem = GqlOrder["lineItems"]["nodes"][number];
type GqlAddress = NonNullable<GqlOrder["billingAddress"]>;
type MoneyBag = GqlOrder["totalPriceSet"];

/** Shopify's decimal string as integer minor units of its currency. */
function toMoney(bag: MoneyBag | null | undefined, fallbackCurrency: string): Money {
  if (!bag) return { amount: 0, currency: fallbackCurrency };
  const { amount, currencyCode } = bag.presentmentMoney;
  return { amount: Math.round(Number(amount) * 10 ** currencyDigits(currencyCode)), currency: currencyCode };
}

function toAddress(a: GqlAddress | null): Address | null {
  if (!a) return null;
  const area = [a.city, a.province, a.zip].filter(Boolean).join(" ");
  const lines = [a.address1, a.address2, area].filter((l): l is string => Boolean(l && l.trim()));
  return { name: a.name, company: a.company, lines, country: a.country, phone: a.phone };
}

function policy(data: DisputeEvidenceQuery, type: string): ShopPolicyFacts | null {
  const p = data.shop.shopPolicies.find((x) => x.type === type && x.body.trim());
  return p ? { title: p.title, text: htmlToText(p.body), url: p.url } : null;
}

function toShopFacts(data: DisputeEvidenceQuery): ShopFacts {
  return {
    name: data.shop.name,
    domain: data.shop.myshopifyDomain,
    email: data.shop.contactEmail,
    url: data.shop.primaryDomain?.url ?? null,
    policies: {
      refund: policy(data, "REFUND_POLICY"),
      shipping: policy(data, "SHIPPING_POLICY"),
      terms: policy(data, "TERMS_OF_SERVICE") ?? policy(data, "TERMS_OF_SALE"),
      subscription: policy(data, "SUBSCRIPTION_POLICY"),
    },
  };
}

/** The GraphQL order as evidence facts. `disputedOrderIds`: orders known to have a dispute. */
function toEvidenceOrder(o: GqlOrder, lineItems: GqlLineItem[], truncated: boolean, disputedOrderIds: ReadonlySet<string>): EvidenceOrder {
  const currency = o.totalPriceSet.presentmentMoney.currencyCode;
  const m = (bag: MoneyBag | null | undefined) => toMoney(bag, currency);
  return {
    id: o.id,
    name: o.name,
    createdAt: o.createdAt,
    processedAt: o.processedAt,
    cancelledAt: o.cancelledAt,
    note: o.note,
    email: o.email,
    phone: o.phone,
    clientIp: o.clientIp,
    requiresShipping: o.requiresShipping,
    financialStatus: o.displayFinancialStatus,
    fulfillmentStatus: o.displayFulfillmentStatus,
    shippingMethod: o.shippingLine?.title ?? null,
    subtotal: m(o.subtotalPriceSet),
    shipping: m(o.totalShippingPriceSet),
    tax: m(o.totalTaxSet),
    discounts: m(o.totalDiscountsSet),
    total: m(o.totalPriceSet),
    refunded: m(o.totalRefundedSet),
    lineItems: lineItems.map((li) => ({
      title: li.title,
      variantTitle: li.variantTitle,
      sku: li.sku,
      quantity: li.quantity,
      unitPrice: m(li.originalUnitPriceSet),
      total: m(li.discountedTotalSet),
    })),
    lineItemsTruncated: truncated,
    billingAddress: toAddress(o.billingAddress),
    shippingAddress: toAddress(o.shippingAddress),
    fulfillments: o.fulfillments.map((f) => ({
      name: f.name,
      status: f.status,
      displayStatus: f.displayStatus,
      createdAt: f.createdAt,
      inTransitAt: f.inTransitAt,
      deliveredAt: f.deliveredAt,
      estimatedDeliveryAt: f.estimatedDeliveryAt,
      tracking: f.trackingInfo.map((t) => ({ company: t.company, number: t.number, url: t.url })),
    })),
    transactions: o.transactions.map((t) => ({
      kind: t.kind,
      status: t.status,
      gateway: t.gateway,
      processedAt: t.processedAt,
      amount: m(t.amountSet),
      avsResultCode: t.paymentDetails?.avsResultCode ?? null,
      cvvResultCode: t.paymentDetails?.cvvResultCode ?? null,
      cardCompany: t.paymentDetails?.company ?? null,
      cardNumber: t.paymentDetails?.number ?? null,
    })),
    customer: o.customer
      ? {
          displayName: o.customer.displayName,
          email: o.customer.defaultEmailAddress?.emailAddress ?? null,
          createdAt: o.customer.createdAt,
          numberOfOrders: Number(o.customer.numberOfOrders),
          earlierOrders: o.customer.orders.nodes.map((x) => ({
            id: x.id,
            name: x.name,
            processedAt: x.processedAt,
            total: m(x.totalPriceSet),
            financialStatus: x.displayFinancialStatus,
            fulfillmentStatus: x.displayFulfillmentStatus,
            disputed: disputedOrderIds.has(x.id),
          })),
        }
      : null,
  };
}

type AdminApi = ReturnType<typeof adminApi>;

/** The shop's facts and, when `orderGid` is given and exists in this shop, the order's. */
export async function fetchEvidenceFacts(
  api: AdminApi,
  orderGid: string | null,
  disputedOrderIds: ReadonlySet<string>,
): Promise<{ shop: ShopFacts; order: EvidenceOrder | null }> {
  const variables = { orderId: orderGid ?? "gid://shopify/Order/0", withOrder: orderGid !== null, lineItems: LINE_ITEMS_PER_PAGE, otherOrders: OTHER_ORDERS };
  const first = await api.request(DISPUTE_EVIDENCE_QUERY, { ...variables, after: null });
  const shop = toShopFacts(first);
  if (!first.order) return { shop, order: null };
  const items = [...first.order.lineItems.nodes];
  let page = first.order.lineItems.pageInfo;
  while (page.hasNextPage && items.length < MAX_LINE_ITEMS) {
    const next = await api.request(DISPUTE_EVIDENCE_QUERY, { ...variables, after: page.endCursor });
    if (!next.order) break;
    items.push(...next.order.lineItems.nodes);
    page = next.order.lineItems.pageInfo;
  }
  return { shop, order: toEvidenceOrder(first.order, items.slice(0, MAX_LINE_ITEMS), page.hasNextPage || items.length > MAX_LINE_ITEMS, disputedOrderIds) };
}
