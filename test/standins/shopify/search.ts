// A realistic subset of Shopify's search syntax for `orders(query:)` (and `abandonedCheckouts(query:)`,
// with its own fields: abandoned-checkouts.ts): implicit AND, OR, NOT / -term, field:value,
// field:>=value ranges, quoted values and free text. Unknown fields are ignored with a warning, as
// Shopify does (extensions.search[].warnings).
import { legacyId, orderTotals, type OrderRecord, type SearchKeyField, type ShopifyStore } from "./store";

type Comparator = ":" | ":<" | ":<=" | ":>" | ":>=";
interface Term {
  negated: boolean;
  field: string | null;
  comparator: Comparator;
  value: string;
}
export interface SearchWarning {
  field: string;
  message: string;
}

function tokenize(query: string): string[] {
  return [...query.matchAll(/-?[\w.]+:(?:[<>]=?)?(?:"[^"]*"|'[^']*'|[^\s()]*)|"[^"]*"|'[^']*'|\S+/g)].map((m) => m[0]);
}

function parseTerm(token: string, negated: boolean): Term {
  let text = token;
  if (text.startsWith("-")) {
    negated = !negated;
    text = text.slice(1);
  }
  const match = /^([\w.]+)(:[<>]?=?)(.*)$/.exec(text);
  const unquote = (v: string) => v.replace(/^"(.*)"$/, "$1").replace(/^'(.*)'$/, "$1");
  if (!match) return { negated, field: null, comparator: ":", value: unquote(text) };
  const comparator = (match[2] === ":=" ? ":" : match[2]) as Comparator;
  return { negated, field: match[1].toLowerCase(), comparator, value: unquote(match[3]) };
}

/** Disjunctive normal form: OR-separated groups of AND-ed terms. */
function parseQuery(query: string): Term[][] {
  const groups: Term[][] = [[]];
  let negateNext = false;
  for (const token of tokenize(query)) {
    if (token === "OR") groups.push([]);
    else if (token === "AND") continue;
    else if (token === "NOT") negateNext = true;
    else {
      groups[groups.length - 1].push(parseTerm(token, negateNext));
      negateNext = false;
    }
  }
  return groups.filter((g) => g.length > 0);
}

/** A field's value against a term: equal (case-insensitive) for `:`, ordered as numbers or times for ranges. */
export function compare(actual: string | number | null, term: Term): boolean {
  if (actual === null) return false;
  if (term.comparator === ":") return String(actual).toLowerCase() === term.value.toLowerCase();
  const [a, b] = typeof actual === "number" ? [actual, Number(term.value)] : [Date.parse(actual), Date.parse(term.value)];
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  switch (term.comparator) {
    case ":<":
      return a < b;
    case ":<=":
      return a <= b;
    case ":>":
      return a > b;
    default:
      return a >= b;
  }
}

const FINANCIAL: Record<string, (o: OrderRecord) => boolean> = {
  paid: (o) => financialStatus(o) === "PAID",
  pending: (o) => financialStatus(o) === "PENDING",
  authorized: (o) => financialStatus(o) === "AUTHORIZED",
  partially_paid: (o) => financialStatus(o) === "PARTIALLY_PAID",
  partially_refunded: (o) => financialStatus(o) === "PARTIALLY_REFUNDED",
  refunded: (o) => financialStatus(o) === "REFUNDED",
  voided: (o) => financialStatus(o) === "VOIDED",
  unpaid: (o) => ["PENDING", "AUTHORIZED", "PARTIALLY_PAID"].includes(financialStatus(o)),
};

/** Shopify's displayFinancialStatus, derived from the successful transactions. */
export function financialStatus(order: OrderRecord): string {
  const t = orderTotals(order);
  if (t.captured === 0) return t.voided ? "VOIDED" : t.authorized > 0 ? "AUTHORIZED" : "PENDING";
  if (t.refunded >= t.captured) return "REFUNDED";
  if (t.refunded > 0) return "PARTIALLY_REFUNDED";
  return t.captured < t.total ? "PARTIALLY_PAID" : "PAID";
}

/** Shopify's displayFulfillmentStatus, derived from line quantities and fulfillment orders. */
export function fulfillmentStatus(order: OrderRecord): string {
  const lines = order.fulfillmentOrders.flatMap((fo) => fo.lineItems);
  const total = lines.reduce((s, l) => s + l.totalQuantity, 0);
  const remaining = lines.reduce((s, l) => s + l.remainingQuantity, 0);
  if (total > 0 && remaining === 0 && order.fulfillments.length > 0) return "FULFILLED";
  if (remaining < total) return "PARTIALLY_FULFILLED";
  if (order.fulfillmentOrders.some((fo) => fo.status === "ON_HOLD")) return "ON_HOLD";
  return "UNFULFILLED";
}

const FULFILLMENT: Record<string, (o: OrderRecord) => boolean> = {
  shipped: (o) => fulfillmentStatus(o) === "FULFILLED",
  fulfilled: (o) => fulfillmentStatus(o) === "FULFILLED",
  partial: (o) => fulfillmentStatus(o) === "PARTIALLY_FULFILLED",
  unshipped: (o) => ["UNFULFILLED", "ON_HOLD"].includes(fulfillmentStatus(o)),
  unfulfilled: (o) => fulfillmentStatus(o) !== "FULFILLED",
  on_hold: (o) => fulfillmentStatus(o) === "ON_HOLD",
  any: () => true,
};

/** Search accepts both 123 and gid://shopify/Order/123. */
export const numericId = (value: string) => (/^\d+$/.test(value) ? value : legacyId(value));

export type FieldMatcher<T> = (record: T, term: Term, store: ShopifyStore) => boolean;

const ORDER_FIELDS: Record<string, FieldMatcher<OrderRecord>> = {
  name: (o, t) => o.name.toLowerCase() === t.value.toLowerCase() || o.name.replace(/^#/, "") === t.value.replace(/^#/, ""),
  email: (o, t) => compare(o.email, t),
  id: (o, t) => compare(Number(legacyId(o.id)), { ...t, value: numericId(t.value) }),
  created_at: (o, t) => compare(o.createdAt, t),
  updated_at: (o, t) => compare(o.updatedAt, t),
  processed_at: (o, t) => compare(o.processedAt, t),
  checkout_token: (o, t) => compare(o.checkoutToken, t),
  cart_token: (o, t) => compare(o.cartToken, t),
  confirmation_number: (o, t) => compare(o.confirmationNumber, t),
  customer_id: (o, t) => o.customerId !== null && legacyId(o.customerId) === numericId(t.value),
  payment_id: (o, t) => o.transactions.some((tx) => compare(tx.paymentId, t)),
  gateway: (o, t) => o.transactions.some((tx) => compare(tx.gateway, t)),
  financial_status: (o, t) => FINANCIAL[t.value.toLowerCase()]?.(o) ?? false,
  fulfillment_status: (o, t) => FULFILLMENT[t.value.toLowerCase()]?.(o) ?? false,
  status: (o, t) => {
    const v = t.value.toLowerCase();
    if (v === "canceled") return o.cancelledAt !== null;
    if (v === "closed") return o.closedAt !== null;
    if (v === "open" || v === "not_closed") return o.closedAt === null && o.cancelledAt === null;
    return v === "any";
  },
  tag: (o, t) => o.tags.some((tag) => tag.toLowerCase() === t.value.toLowerCase()),
  tag_not: (o, t) => !o.tags.some((tag) => tag.toLowerCase() === t.value.toLowerCase()),
  test: (o, t) => String(o.test) === t.value.toLowerCase(),
  source_name: (o, t) => compare(o.sourceName, t),
  sku: (o, t) => o.lineItems.some((li) => compare(li.sku, t)),
  risk_level: (o, t) => o.riskAssessments.some((r) => r.riskLevel.toLowerCase() === t.value.toLowerCase()),
};

function freeText(order: OrderRecord, term: Term, store: ShopifyStore): boolean {
  const needle = term.value.toLowerCase();
  const customer = order.customerId ? store.customer(order.customerId) : undefined;
  const haystack = [
    order.name,
    order.email,
    customer?.firstName,
    customer?.lastName,
    order.confirmationNumber,
    ...order.lineItems.flatMap((li) => [li.title, li.sku]),
  ];
  return haystack.some((h) => h?.toLowerCase().includes(needle));
}

/** Filters records with a Shopify search query over `fields` and free text; unknown fields match everything and warn. */
export function filterRecords<T>(
  records: T[],
  query: string | null | undefined,
  store: ShopifyStore,
  fields: Record<string, FieldMatcher<T>>,
  freeText: FieldMatcher<T>,
): { records: T[]; warnings: SearchWarning[] } {
  if (!query?.trim()) return { records, warnings: [] };
  const groups = parseQuery(query);
  const warnings: SearchWarning[] = [];
  for (const term of groups.flat()) {
    if (term.field && !fields[term.field] && !warnings.some((w) => w.field === term.field)) {
      warnings.push({ field: term.field, message: "Invalid search field for this query." });
    }
  }
  const matches = (record: T, term: Term) => {
    if (term.field && !fields[term.field]) return true;
    const hit = term.field ? fields[term.field](record, term, store) : freeText(record, term, store);
    return term.negated ? !hit : hit;
  };
  return { records: records.filter((r) => groups.some((group) => group.every((term) => matches(r, term)))), warnings };
}

/** Filters orders with a Shopify search query; unknown fields match everything and warn. */
export function filterOrders(
  orders: OrderRecord[],
  query: string | null | undefined,
  store: ShopifyStore,
): { orders: OrderRecord[]; warnings: SearchWarning[] } {
  const { records, warnings } = filterRecords(orders, query, store, ORDER_FIELDS, freeText);
  return { orders: records, warnings };
}

const INDEXED_FIELDS = new Set<string>(["name", "payment_id", "checkout_token"]);

/**
 * The shop's orders a search must look at: when every OR group has an exact `name:`, `id:`,
 * `payment_id:` or `checkout_token:` term, only the orders the store's indexes give for those terms
 * (every match is among them; filterOrders still decides), else all of them. Keeps searches of a
 * store with many orders (benchmarks) from reading every order.
 */
export function searchCandidates(store: ShopifyStore, shop: string, query: string | null | undefined): OrderRecord[] {
  if (!query?.trim()) return store.ordersOfShop(shop);
  const found = new Set<OrderRecord>();
  for (const group of parseQuery(query)) {
    const term = group.find(
      (t) => !t.negated && t.comparator === ":" && t.field && (INDEXED_FIELDS.has(t.field) || (t.field === "id" && /^[1-9]\d*$/.test(numericId(t.value)))),
    );
    if (!term) return store.ordersOfShop(shop);
    if (term.field === "id") {
      const order = store.order(`gid://shopify/Order/${numericId(term.value)}`);
      if (order && order.shop === shop.toLowerCase()) found.add(order);
    } else {
      for (const order of store.ordersBySearchKey(shop, term.field as SearchKeyField, term.value)) found.add(order);
    }
  }
  return [...found];
}

const SORT_VALUES: Record<string, (o: OrderRecord, store: ShopifyStore) => string | number> = {
  CREATED_AT: (o) => o.createdAt,
  PROCESSED_AT: (o) => o.processedAt,
  UPDATED_AT: (o) => o.updatedAt,
  ID: (o) => Number(legacyId(o.id)),
  ORDER_NUMBER: (o) => o.number,
  TOTAL_PRICE: (o) => orderTotals(o).total,
  CURRENT_TOTAL_PRICE: (o) => orderTotals(o).total - orderTotals(o).refunded,
  FINANCIAL_STATUS: (o) => financialStatus(o),
  FULFILLMENT_STATUS: (o) => fulfillmentStatus(o),
  CUSTOMER_NAME: (o, store) => {
    const c = o.customerId ? store.customer(o.customerId) : undefined;
    return `${c?.firstName ?? ""} ${c?.lastName ?? ""}`.trim().toLowerCase();
  },
};

/** Sorts records by `value`, ties by id; `reverse` turns the whole list round, as Shopify does. */
export function sortRecords<T extends { id: string }>(records: T[], value: (record: T) => string | number, reverse: boolean): T[] {
  const sorted = [...records].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x < y) return -1;
    if (x > y) return 1;
    return Number(legacyId(a.id)) - Number(legacyId(b.id));
  });
  return reverse ? sorted.reverse() : sorted;
}

/** Sorts by a Shopify OrderSortKeys value (RELEVANCE and unsupported keys fall back to ID), ties by id. */
export function sortOrders(orders: OrderRecord[], sortKey: string, reverse: boolean, store: ShopifyStore): OrderRecord[] {
  const value = SORT_VALUES[sortKey] ?? SORT_VALUES.ID;
  return sortRecords(orders, (order) => value(order, store), reverse);
}
