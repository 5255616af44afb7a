// `abandonedCheckouts(query:)` as Shopify answers it: the shop's checkouts left after the buyer gave
// contact details (and those recovered since), searched with the fields the schema documents for it
// (created_at, updated_at, id, status, recovery_state, email_state, free text; no `email:`, which
// Shopify ignores with a warning like any unknown field), sorted by AbandonedCheckoutSortKeys and paged.
import { responsePathAsArray, type GraphQLResolveInfo } from "graphql";
import { connection } from "./connection";
import { pass, type Args, type RequestContext, type Resolvers } from "./context";
import { moneyBag } from "./money";
import { compare, filterRecords, numericId, sortRecords, type FieldMatcher } from "./search";
import { legacyId, type AbandonedCheckoutRecord, type ShopifyStore } from "./store";

type Checkout = AbandonedCheckoutRecord;
type CheckoutLine = Checkout["lineItems"][number];

const subtotal = (c: Checkout) => c.lineItems.reduce((sum, li) => sum + li.unitPrice * li.quantity, 0);
const total = (c: Checkout) => subtotal(c) + c.shippingPrice + c.tax;
const customerOf = (c: Checkout, store: ShopifyStore) => (c.customerId ? store.customer(c.customerId) : undefined);

const FIELDS: Record<string, FieldMatcher<Checkout>> = {
  created_at: (c, t) => compare(c.createdAt, t),
  updated_at: (c, t) => compare(c.updatedAt, t),
  id: (c, t) => compare(Number(legacyId(c.id)), { ...t, value: numericId(t.value) }),
  // Open while the buyer has not completed it; recovered once they came back and paid.
  status: (c, t) => ({ open: c.completedAt === null, closed: c.completedAt !== null })[t.value.toLowerCase()] ?? false,
  recovery_state: (c, t) => ({ recovered: c.completedAt !== null, not_recovered: c.completedAt === null })[t.value.toLowerCase()] ?? false,
  email_state: (c, t) => compare(c.emailState, t),
};

/** The default search: the checkout's name and its customer's email and names. */
const freeText: FieldMatcher<Checkout> = (c, t, store) => {
  const customer = customerOf(c, store);
  return [c.name, customer?.email, customer?.firstName, customer?.lastName].some((text) => text?.toLowerCase().includes(t.value.toLowerCase()));
};

const SORT_VALUES: Record<string, (c: Checkout, store: ShopifyStore) => string | number> = {
  CREATED_AT: (c) => c.createdAt,
  ID: (c) => Number(legacyId(c.id)),
  CHECKOUT_ID: (c) => Number(legacyId(c.id)),
  TOTAL_PRICE: (c) => total(c),
  CUSTOMER_NAME: (c, store) => {
    const customer = customerOf(c, store);
    return `${customer?.firstName ?? ""} ${customer?.lastName ?? ""}`.trim().toLowerCase();
  },
};

/** QueryRoot.abandonedCheckouts: the shop's checkouts, searched, sorted (default ID; RELEVANCE falls back to it) and paged. */
export function abandonedCheckouts(_source: unknown, args: Args, ctx: RequestContext, info: GraphQLResolveInfo) {
  const { records, warnings } = filterRecords(ctx.store.abandonedCheckoutsOfShop(ctx.shop.myshopifyDomain), args.query, ctx.store, FIELDS, freeText);
  if (warnings.length) ctx.searchWarnings.push({ path: responsePathAsArray(info.path), query: args.query ?? "", warnings });
  const value = SORT_VALUES[args.sortKey ?? "ID"] ?? SORT_VALUES.ID;
  return connection(
    sortRecords(records, (c) => value(c, ctx.store), args.reverse ?? false),
    args,
  );
}

function lineCheckout(ctx: RequestContext, line: CheckoutLine): Checkout {
  return ctx.store.abandonedCheckoutsOfShop(ctx.shop.myshopifyDomain).find((c) => c.lineItems.includes(line))!;
}

export const ABANDONED_CHECKOUT_RESOLVERS: Record<string, Resolvers<never>> = {
  AbandonedCheckout: {
    ...pass<Checkout>("id", "name", "abandonedCheckoutUrl", "createdAt", "updatedAt", "completedAt", "note", "discountCodes"),
    customer: (c: Checkout, _a, ctx) => customerOf(c, ctx.store) ?? null,
    lineItems: (c: Checkout, args) => connection(c.lineItems, args),
    lineItemsQuantity: (c: Checkout) => c.lineItems.reduce((sum, li) => sum + li.quantity, 0),
    subtotalPriceSet: (c: Checkout) => moneyBag(c, subtotal(c)),
    totalLineItemsPriceSet: (c: Checkout) => moneyBag(c, subtotal(c)),
    totalPriceSet: (c: Checkout) => moneyBag(c, total(c)),
    totalTaxSet: (c: Checkout) => moneyBag(c, c.tax),
    totalDiscountSet: (c: Checkout) => moneyBag(c, 0),
    totalDutiesSet: () => null,
    taxLines: () => [],
    taxesIncluded: () => false,
    customAttributes: () => [],
    // The stand-in's checkouts keep no addresses: null, as for a buyer who gave none.
    billingAddress: () => null,
    shippingAddress: () => null,
  } as Resolvers<never>,
  AbandonedCheckoutLineItem: {
    ...pass<CheckoutLine>("id", "title", "variantTitle", "sku", "quantity"),
    originalUnitPriceSet: (l: CheckoutLine, _a, ctx) => moneyBag(lineCheckout(ctx, l), l.unitPrice),
    discountedUnitPriceSet: (l: CheckoutLine, _a, ctx) => moneyBag(lineCheckout(ctx, l), l.unitPrice),
    originalTotalPriceSet: (l: CheckoutLine, _a, ctx) => moneyBag(lineCheckout(ctx, l), l.unitPrice * l.quantity),
    discountedTotalPriceSet: (l: CheckoutLine, _a, ctx) => moneyBag(lineCheckout(ctx, l), l.unitPrice * l.quantity),
    customAttributes: () => [],
    product: () => null,
    variant: () => null,
    image: () => null,
  } as Resolvers<never>,
};
