// The Shopify order behind a payment, for the Zendesk sidebar: items, fulfilment and tracking, the
// shipping address, Shopify's financial status and the app's risk hold. Read from Shopify each time it
// is asked (the sidebar asks once per payment shown and after an action), so a cancel or a shipment
// made a minute ago shows. Nothing about the card: the agent has the payment summary for that.
import { decimalToMinor } from "../lib/money";
import { db } from "../db.server";
import { describeHits, ruleHitsOf } from "../holds/holds.server";
import { adminApi, type ShopifyAdmin } from "../shopify/admin-api.server";
import type { ZendeskOrderQuery } from "../types/admin.generated";
import type { ZendeskCaller } from "./auth.server";
import type { OrderView } from "./contract";
import { findShopPayment, shopifyUnavailable } from "./payments.server";

const ZENDESK_ORDER_QUERY = `#graphql
  query ZendeskOrder($id: ID!, $lineItems: Int!) {
    order(id: $id) {
      name
      createdAt
      cancelledAt
      displayFinancialStatus
      displayFulfillmentStatus
      totalPriceSet {
        presentmentMoney {
          amount
          currencyCode
        }
      }
      lineItems(first: $lineItems) {
        pageInfo {
          hasNextPage
        }
        nodes {
          title
          variantTitle
          quantity
          originalUnitPriceSet {
            presentmentMoney {
              amount
              currencyCode
            }
          }
        }
      }
      fulfillments(first: 10) {
        displayStatus
        status
        createdAt
        deliveredAt
        trackingInfo(first: 5) {
          company
          number
          url
        }
      }
      shippingAddress {
        name
        company
        address1
        address2
        city
        province
        zip
        country
      }
    }
  }
`;

/** A sidebar is 320 px wide: the first lines say what was bought; the rest is in Shopify. */
const LINE_ITEMS_SHOWN = 20;

type GqlOrder = NonNullable<ZendeskOrderQuery["order"]>;
type GqlMoney = GqlOrder["totalPriceSet"]["presentmentMoney"];

const money = ({ amount, currencyCode }: GqlMoney) => {
  const parsed = decimalToMinor(amount, currencyCode);
  return { amount: parsed.ok ? parsed.minor : 0, currency: currencyCode };
};

/** Only web links reach the sidebar's href: anything else a carrier app stored is dropped. */
const webLink = (url: string | null) => (url && /^https?:\/\/[^\s]+$/i.test(url) ? url : null);

function toOrder(o: GqlOrder): NonNullable<OrderView["order"]> {
  const a = o.shippingAddress;
  const area = a ? [a.zip, a.city, a.province].filter(Boolean).join(" ") : "";
  return {
    name: o.name,
    createdAt: o.createdAt,
    cancelledAt: o.cancelledAt,
    financialStatus: o.displayFinancialStatus,
    fulfillmentStatus: o.displayFulfillmentStatus,
    total: money(o.totalPriceSet.presentmentMoney),
    lineItems: o.lineItems.nodes.map((li) => ({
      title: li.title,
      variantTitle: li.variantTitle,
      quantity: li.quantity,
      unitPrice: money(li.originalUnitPriceSet.presentmentMoney),
    })),
    moreLineItems: o.lineItems.pageInfo.hasNextPage,
    fulfillments: o.fulfillments.map((f) => ({
      status: f.displayStatus ?? f.status,
      createdAt: f.createdAt,
      deliveredAt: f.deliveredAt,
      tracking: f.trackingInfo.map((t) => ({ company: t.company, number: t.number, url: webLink(t.url) })),
    })),
    shippingAddress: a
      ? {
          name: a.name,
          company: a.company,
          lines: [a.address1, a.address2, area].filter((l): l is string => Boolean(l?.trim())),
          country: a.country,
        }
      : null,
  };
}

/** The order as Shopify has it now, or null when Shopify has no such order (deleted, or another shop's). */
export async function readZendeskOrder(api: ShopifyAdmin, orderGid: string) {
  const data = await api.request(ZENDESK_ORDER_QUERY, { id: orderGid, lineItems: LINE_ITEMS_SHOWN });
  return data.order ? toOrder(data.order) : null;
}

/** The payment's order and hold, for the caller's shop only: another shop's payment is a 404. */
export async function zendeskOrderView(caller: ZendeskCaller, ckoPaymentId: string, api?: ShopifyAdmin): Promise<OrderView> {
  const payment = await findShopPayment(caller.shopId, ckoPaymentId);
  const hold = await db().hold.findFirst({ where: { shopId: caller.shopId, paymentId: payment.id }, select: { status: true, ruleHits: true } });
  const canCancel = caller.connection.allowCancel;
  const holdView = hold ? { status: hold.status as NonNullable<OrderView["hold"]>["status"], reasons: describeHits(ruleHitsOf(hold), payment.currency) } : null;
  if (!payment.orderLink) return { missing: "not_linked", order: null, hold: holdView, canCancel };
  let order: OrderView["order"];
  try {
    order = await readZendeskOrder(api ?? (await shopAdmin(caller.shopId)), payment.orderLink.orderGid);
  } catch (error) {
    throw shopifyUnavailable(error);
  }
  return { missing: order ? null : "not_in_shopify", order, hold: holdView, canCancel };
}

/** The shop's paced Admin API caller (its offline session). */
export async function shopAdmin(shopId: string): Promise<ShopifyAdmin> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true } });
  return adminApi(shop.domain);
}
