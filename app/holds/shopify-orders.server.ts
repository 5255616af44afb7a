// The holds feature's calls to Shopify, through the paced caller (app/shopify/admin-api.server.ts).
// Each mutation here is made safe to repeat by reading first: a hold is found by its handle, a risk
// assessment by our marker fact, a canceled order by cancelledAt.
import type { HoldCandidateOrderFragment } from "../types/admin.generated";
import { decimalToMinor } from "../lib/money";
import { transactionIds, type OrderSnapshot } from "../orders/order-payloads";
import { assertNoUserErrors, ShopifyApiError, type ShopifyAdmin } from "../shopify/admin-api.server";
import {
  FULFILLMENT_ORDER_HOLD_MUTATION,
  FULFILLMENT_ORDER_RELEASE_HOLD_MUTATION,
  ORDER_CANDIDATES_QUERY,
  ORDER_HOLD_STATE_QUERY,
  ORDER_RISK_ASSESSMENT_CREATE_MUTATION,
  TAGS_ADD_MUTATION,
  TAGS_REMOVE_MUTATION,
} from "./shopify-documents";

export type { ShopifyAdmin };

// ---------------------------------------------------------------------------------------------
// Finding orders

/** The order as matching compares it (and the order index stores it). */
export function toCandidate(node: HoldCandidateOrderFragment): OrderSnapshot {
  const money = node.totalPriceSet.presentmentMoney;
  const total = decimalToMinor(money.amount, money.currencyCode);
  return {
    gid: node.id,
    legacyId: String(node.legacyResourceId),
    name: node.name,
    checkoutToken: node.checkoutToken,
    email: node.email,
    createdAt: new Date(node.createdAt),
    // An amount that is not money in its currency (more decimals than it has) never matches one.
    total: total.ok ? total.minor : Number.NaN,
    currency: money.currencyCode,
    transactionIds: node.transactions.flatMap((t) =>
      transactionIds({ paymentId: t.paymentId, authorizationCode: t.authorizationCode, receipt: t.receiptJson }),
    ),
    updatedAt: new Date(node.updatedAt),
  };
}

/** A value for Shopify's search syntax, quoted; quotes inside cannot be escaped there, so they go. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, "")}"`;
const searchTime = (date: Date) => `'${date.toISOString()}'`;

export interface CandidateLookups {
  /** Treat the payment reference as an order name, order id and checkout token. */
  reference?: string | null;
  ckoPaymentId?: string;
  /** Orders with this email created in [from, to]. */
  email?: { address: string; from: Date; to: Date };
  /** One order by its id. */
  orderGid?: string;
}

const ORDER_GID = /^gid:\/\/shopify\/Order\/\d+$/;

/** The order ids a payment reference may stand for. */
function referenceOrderGid(reference: string): string | null {
  if (ORDER_GID.test(reference)) return reference;
  return /^\d{1,20}$/.test(reference) ? `gid://shopify/Order/${reference}` : null;
}

/** Checkout tokens are long opaque strings; an order name never looks like one. */
const looksLikeToken = (reference: string) => /^[A-Za-z0-9_\-=]{16,255}$/.test(reference);

/** Runs the chosen lookups in one request and returns every order found. */
export async function findCandidateOrders(api: ShopifyAdmin, lookups: CandidateLookups): Promise<OrderSnapshot[]> {
  const reference = lookups.reference?.trim() || null;
  const referenceGid = reference ? referenceOrderGid(reference) : null;
  const orderGid = lookups.orderGid ?? referenceGid;
  const variables = {
    nameQuery: reference ? `name:${quoted(reference)}` : "",
    withName: Boolean(reference) && !lookups.orderGid,
    orderId: orderGid ?? "gid://shopify/Order/0",
    withId: Boolean(orderGid),
    tokenQuery: reference ? `checkout_token:${quoted(reference)}` : "",
    withToken: Boolean(reference && looksLikeToken(reference)) && !lookups.orderGid,
    // Shopify's payment_id: search finds its own payment ids, which the payments app uses as the
    // Checkout.com reference; a gateway that records Checkout.com's id there is found by that.
    paymentQuery: [lookups.ckoPaymentId, reference]
      .filter((v): v is string => Boolean(v))
      .map((v) => `payment_id:${quoted(v)}`)
      .join(" OR "),
    withPayment: Boolean(lookups.ckoPaymentId),
    emailQuery: lookups.email
      ? `email:${quoted(lookups.email.address)} created_at:>=${searchTime(lookups.email.from)} created_at:<=${searchTime(lookups.email.to)}`
      : "",
    withEmail: Boolean(lookups.email),
  };
  const data = await api.request(ORDER_CANDIDATES_QUERY, variables);
  const nodes = [
    ...(data.byName?.nodes ?? []),
    ...(data.byId ? [data.byId] : []),
    ...(data.byToken?.nodes ?? []),
    ...(data.byPayment?.nodes ?? []),
    ...(data.byEmail?.nodes ?? []),
  ];
  return nodes.map(toCandidate);
}

// ---------------------------------------------------------------------------------------------
// Holds, risk assessments, tags

export interface FulfillmentHoldRef {
  fulfillmentOrderId: string;
  holdId: string;
}

export interface OrderHoldState {
  id: string;
  name: string;
  cancelledAt: string | null;
  tags: string[];
  fulfillmentOrders: Array<{
    id: string;
    status: string;
    fulfillmentHolds: Array<{ id: string; handle: string | null; heldByRequestingApp: boolean }>;
  }>;
  risk: { assessments: Array<{ provider: { apiKey: string } | null; facts: Array<{ description: string }> }> };
}

export async function orderHoldState(api: ShopifyAdmin, orderGid: string): Promise<OrderHoldState> {
  const data = await api.request(ORDER_HOLD_STATE_QUERY, { id: orderGid });
  if (!data.order) throw new ShopifyApiError(`Order ${orderGid} was not found in Shopify (deleted, or older than the app may read)`, false);
  return { ...data.order, fulfillmentOrders: data.order.fulfillmentOrders.nodes };
}

/** Fulfillment orders a hold can still stop: open ones, and ones other apps already hold. */
const HOLDABLE = new Set(["OPEN", "ON_HOLD"]);

/** Whether a hold would still stop anything: the order is not canceled and some fulfillment order has not shipped. */
export const hasHoldableFulfillment = (state: OrderHoldState) => !state.cancelledAt && state.fulfillmentOrders.some((fo) => HOLDABLE.has(fo.status));

/** Our holds (by handle) currently on the order. */
function ourHolds(state: OrderHoldState, handle: string): FulfillmentHoldRef[] {
  return state.fulfillmentOrders.flatMap((fo) =>
    fo.fulfillmentHolds.filter((h) => h.heldByRequestingApp && h.handle === handle).map((h) => ({ fulfillmentOrderId: fo.id, holdId: h.id })),
  );
}

export interface PlaceHoldsInput {
  orderGid: string;
  /** Unique per Hold row; also the Shopify hold handle, so a retry finds the hold it placed. */
  externalId: string;
  reasonNotes: string;
}

/**
 * Holds every holdable fulfillment order of the order with our handle, skipping those that already
 * carry it, and returns all our holds. Returns [] when nothing can be held (shipped or canceled).
 */
export async function placeFulfillmentHolds(api: ShopifyAdmin, input: PlaceHoldsInput, state?: OrderHoldState): Promise<FulfillmentHoldRef[]> {
  const current = state ?? (await orderHoldState(api, input.orderGid));
  if (current.cancelledAt) return [];
  const holds = ourHolds(current, input.externalId);
  const held = new Set(holds.map((h) => h.fulfillmentOrderId));
  let raced = false;
  for (const fo of current.fulfillmentOrders) {
    if (!HOLDABLE.has(fo.status) || held.has(fo.id)) continue;
    const data = await api.request(FULFILLMENT_ORDER_HOLD_MUTATION, {
      id: fo.id,
      fulfillmentHold: {
        reason: "HIGH_RISK_OF_FRAUD",
        reasonNotes: input.reasonNotes.slice(0, 255),
        handle: input.externalId,
        externalId: input.externalId,
        notifyMerchant: false,
      },
    });
    const payload = data.fulfillmentOrderHold;
    // Another worker placed this very hold between our read and our write: Shopify refuses the handle.
    if (payload?.userErrors.some((e) => e.code === "DUPLICATE_FULFILLMENT_HOLD_HANDLE")) raced = true;
    else {
      assertNoUserErrors("fulfillmentOrderHold", payload);
      if (payload?.fulfillmentHold) holds.push({ fulfillmentOrderId: fo.id, holdId: payload.fulfillmentHold.id });
    }
  }
  return raced ? ourHolds(await orderHoldState(api, input.orderGid), input.externalId) : holds;
}

/** Releases exactly the given holds of ours that are still in place; other holds stay. */
export async function releaseFulfillmentHolds(api: ShopifyAdmin, orderGid: string, handle: string, known: FulfillmentHoldRef[]) {
  const state = await orderHoldState(api, orderGid);
  const present = new Map(state.fulfillmentOrders.flatMap((fo) => fo.fulfillmentHolds.map((h) => [h.id, { fo, hold: h }] as const)));
  const ours = new Map<string, string[]>();
  for (const ref of [...known, ...ourHolds(state, handle)]) {
    const found = present.get(ref.holdId);
    if (!found || !found.hold.heldByRequestingApp) continue;
    const ids = ours.get(found.fo.id) ?? [];
    if (!ids.includes(ref.holdId)) ids.push(ref.holdId);
    ours.set(found.fo.id, ids);
  }
  for (const [fulfillmentOrderId, holdIds] of ours) {
    const data = await api.request(FULFILLMENT_ORDER_RELEASE_HOLD_MUTATION, {
      id: fulfillmentOrderId,
      holdIds,
      externalId: handle,
    });
    const errors = data.fulfillmentOrderReleaseHold?.userErrors ?? [];
    if (errors.length) {
      // A concurrent release may have gone first; only fail if our hold is still there.
      const again = await orderHoldState(api, orderGid);
      const still = ourHolds(again, handle).some((h) => holdIds.includes(h.holdId));
      if (still) assertNoUserErrors("fulfillmentOrderReleaseHold", data.fulfillmentOrderReleaseHold);
    }
  }
  return [...ours.values()].flat().length;
}

export interface RiskAssessmentInput {
  orderGid: string;
  marker: string;
  riskLevel: "HIGH" | "MEDIUM" | "LOW";
  facts: string[];
  /** How the facts speak of the order (NEGATIVE: reasons for risk; POSITIVE: a reviewer cleared it). */
  sentiment?: "NEGATIVE" | "POSITIVE";
  apiKey: string;
}

/** Records our assessment once: a repeat finds the earlier one by its marker fact. */
export async function recordRiskAssessment(api: ShopifyAdmin, input: RiskAssessmentInput, state: OrderHoldState) {
  const exists = state.risk.assessments.some((a) => (!a.provider || a.provider.apiKey === input.apiKey) && a.facts.some((f) => f.description === input.marker));
  if (exists) return;
  const data = await api.request(ORDER_RISK_ASSESSMENT_CREATE_MUTATION, {
    input: {
      orderId: input.orderGid,
      riskLevel: input.riskLevel,
      facts: [
        ...input.facts.map((description) => ({ sentiment: input.sentiment ?? ("NEGATIVE" as const), description: description.slice(0, 256) })),
        { sentiment: "NEUTRAL" as const, description: input.marker },
      ],
    },
  });
  assertNoUserErrors("orderRiskAssessmentCreate", data.orderRiskAssessmentCreate);
}

/** Removing a tag the order no longer has changes nothing, so this is safe to repeat. */
export async function untagOrder(api: ShopifyAdmin, orderGid: string, tag: string, state: OrderHoldState) {
  if (!state.tags.includes(tag)) return;
  const data = await api.request(TAGS_REMOVE_MUTATION, { id: orderGid, tags: [tag] });
  assertNoUserErrors("tagsRemove", data.tagsRemove);
}

/** Adding a tag the order already has changes nothing, so this is safe to repeat. */
export async function tagOrder(api: ShopifyAdmin, orderGid: string, tag: string, state: OrderHoldState) {
  if (state.tags.includes(tag)) return;
  const data = await api.request(TAGS_ADD_MUTATION, { id: orderGid, tags: [tag] });
  assertNoUserErrors("tagsAdd", data.tagsAdd);
}
