// The mutations the app uses, with Shopify's rules: userErrors for bad input (unknown ids, a hold on
// a fulfillment order that cannot be held, a duplicate hold handle, a hold id that is not on the
// fulfillment order...), and only the shop's own records are reachable. The money mutations
// (refundCreate, orderCapture, transactionVoid, orderCancel) live in money-mutations.ts, the app's
// subscriptions (appSubscriptionCreate, appSubscriptionCancel) in billing.ts.
import { GraphQLError } from "graphql";
import { BILLING_MUTATIONS } from "./billing";
import { requireGid, type Args, type RequestContext, type Resolvers } from "./context";
import { MONEY_MUTATIONS } from "./money-mutations";
import { gidType, type FulfillmentHoldReason, type FulfillmentOrderRecord, type OrderRecord, type RiskLevel } from "./store";

const HOLDABLE = new Set(["OPEN", "ON_HOLD", "IN_PROGRESS"]);
const MAX_HOLDS_PER_APP = 10;
const MAX_RISK_FACTS = 10;
const MAX_TAG_LENGTH = 255;
const MAX_FLOW_PAYLOAD_BYTES = 50_000;

interface UserError {
  field: Array<string | number> | null;
  message: string;
  code?: string | null;
}

const userError = (field: Array<string | number> | null, message: string, code: string | null = null): UserError => ({
  field: field?.map(String) ?? null,
  message,
  code,
});

function shopFulfillmentOrder(ctx: RequestContext, id: string) {
  const found = ctx.store.fulfillmentOrder(requireGid(id));
  return found && found.order.shop === ctx.shop.myshopifyDomain ? found : undefined;
}

function shopOrder(ctx: RequestContext, id: string): OrderRecord | undefined {
  const order = ctx.store.order(requireGid(id));
  return order && order.shop === ctx.shop.myshopifyDomain ? order : undefined;
}

/** Shopify splits comma-separated tags, trims them and ignores empties. */
function normalizeTags(tags: string[]): string[] {
  return tags
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter(Boolean);
}

function fulfillmentOrderHold(_s: unknown, { id, fulfillmentHold: input }: Args, ctx: RequestContext) {
  const none = { fulfillmentHold: null, fulfillmentOrder: null, remainingFulfillmentOrder: null };
  const found = shopFulfillmentOrder(ctx, id);
  if (!found) return { ...none, userErrors: [userError(["id"], "The fulfillment order could not be found.", "FULFILLMENT_ORDER_NOT_FOUND")] };
  const fo = found.fulfillmentOrder;
  if (!HOLDABLE.has(fo.status)) {
    return { ...none, userErrors: [userError(["id"], `The fulfillment order's status (${fo.status.toLowerCase()}) does not allow a fulfillment hold.`)] };
  }
  const handle: string = input.handle ?? "";
  const own = fo.holds.filter((h) => h.appId === ctx.app.id);
  if (own.some((h) => h.handle === handle)) {
    return {
      ...none,
      userErrors: [
        userError(
          ["fulfillmentHold", "handle"],
          "The handle provided for the fulfillment hold is already in use by this app for another hold on this fulfillment order.",
          "DUPLICATE_FULFILLMENT_HOLD_HANDLE",
        ),
      ],
    };
  }
  if (own.length >= MAX_HOLDS_PER_APP) {
    return {
      ...none,
      userErrors: [
        userError(
          ["id"],
          `The maximum number of fulfillment holds for this fulfillment order has been reached for this app (${MAX_HOLDS_PER_APP}).`,
          "FULFILLMENT_ORDER_HOLD_LIMIT_REACHED",
        ),
      ],
    };
  }
  const lines: Array<{ id: string; quantity: number }> = input.fulfillmentOrderLineItems ?? [];
  const lineErrors = lines.flatMap((line, i) => {
    const field = ["fulfillmentHold", "fulfillmentOrderLineItems", i, "quantity"];
    const existing = fo.lineItems.find((l) => l.id === line.id);
    if (lines.findIndex((l) => l.id === line.id) !== i)
      return [userError(field.slice(0, 3), "Fulfillment order line items must be unique.", "DUPLICATED_FULFILLMENT_ORDER_LINE_ITEMS")];
    if (line.quantity <= 0) return [userError(field, "Quantity must be greater than zero.", "GREATER_THAN_ZERO")];
    if (!existing || line.quantity > existing.remainingQuantity) return [userError(field, "The line item quantity is invalid.", "INVALID_LINE_ITEM_QUANTITY")];
    return [];
  });
  if (lineErrors.length) return { ...none, userErrors: lineErrors };
  const remaining = lines.length ? splitOff(ctx, found.order, fo, lines) : null;
  const hold = ctx.store.addHold(fo.id, {
    handle,
    reason: input.reason as FulfillmentHoldReason,
    reasonNotes: input.reasonNotes ?? null,
    appId: ctx.app.id,
    externalId: input.externalId ?? null,
    notifyMerchant: input.notifyMerchant ?? false,
  });
  return { fulfillmentHold: hold, fulfillmentOrder: fo, remainingFulfillmentOrder: remaining, userErrors: [] };
}

/** Holding some lines moves the rest to a new fulfillment order, which stays open. */
function splitOff(
  ctx: RequestContext,
  order: OrderRecord,
  fo: FulfillmentOrderRecord,
  held: Array<{ id: string; quantity: number }>,
): FulfillmentOrderRecord | null {
  const rest = fo.lineItems
    .map((l) => ({ ...l, quantity: l.remainingQuantity - (held.find((h) => h.id === l.id)?.quantity ?? 0) }))
    .filter((l) => l.quantity > 0);
  if (rest.length === 0) return null;
  for (const line of fo.lineItems) {
    const keep = held.find((h) => h.id === line.id)?.quantity ?? 0;
    line.totalQuantity = line.totalQuantity - line.remainingQuantity + keep;
    line.remainingQuantity = keep;
  }
  fo.lineItems = fo.lineItems.filter((l) => l.totalQuantity > 0);
  const now = ctx.store.now();
  const split: FulfillmentOrderRecord = {
    ...fo,
    id: ctx.store.newId("FulfillmentOrder"),
    status: "OPEN",
    holds: [],
    createdAt: now,
    updatedAt: now,
    lineItems: rest.map((l) => ({
      id: ctx.store.newId("FulfillmentOrderLineItem"),
      lineItemId: l.lineItemId,
      totalQuantity: l.quantity,
      remainingQuantity: l.quantity,
    })),
  };
  order.fulfillmentOrders.push(split);
  return split;
}

function fulfillmentOrderReleaseHold(_s: unknown, { id, holdIds }: Args, ctx: RequestContext) {
  const found = shopFulfillmentOrder(ctx, id);
  if (!found) return { fulfillmentOrder: null, userErrors: [userError(["id"], "The fulfillment order could not be found.", "FULFILLMENT_ORDER_NOT_FOUND")] };
  const fo = found.fulfillmentOrder;
  const ids: string[] | undefined = holdIds ?? undefined;
  const foreign = (ids ?? []).filter((holdId) => !fo.holds.some((h) => h.id === holdId));
  if (foreign.length) {
    return {
      fulfillmentOrder: null,
      userErrors: foreign.map((holdId) => userError(["holdIds"], `The fulfillment hold ${holdId} does not belong to this fulfillment order.`)),
    };
  }
  if (fo.holds.length === 0) return { fulfillmentOrder: null, userErrors: [userError(["id"], "The fulfillment order is not on hold.")] };
  ctx.store.releaseHolds(fo.id, ids);
  return { fulfillmentOrder: fo, userErrors: [] };
}

function orderRiskAssessmentCreate(_s: unknown, { orderRiskAssessmentInput: input }: Args, ctx: RequestContext) {
  const field = (name: string) => ["orderRiskAssessmentInput", name];
  const order = shopOrder(ctx, input.orderId);
  const errors = [
    !order && userError(field("orderId"), "Order does not exist.", "NOT_FOUND"),
    order && order.fulfillments.length > 0 && userError(field("orderId"), "Risk assessments cannot be added to fulfilled orders.", "ORDER_ALREADY_FULFILLED"),
    input.facts.length > MAX_RISK_FACTS && userError(field("facts"), `An assessment can have at most ${MAX_RISK_FACTS} facts.`, "TOO_MANY_FACTS"),
    ...input.facts.map(
      (f: { description: string }, i: number) =>
        !f.description.trim() && userError([...field("facts"), i, "description"], "Description can't be blank.", "INVALID"),
    ),
  ].filter((e): e is UserError => Boolean(e));
  if (errors.length || !order) return { orderRiskAssessment: null, userErrors: errors };
  const assessment = { riskLevel: input.riskLevel as RiskLevel, facts: input.facts, providerAppId: ctx.app.id, createdAt: ctx.store.now() };
  order.riskAssessments.push(assessment);
  ctx.store.touch(order);
  return { orderRiskAssessment: assessment, userErrors: [] };
}

function taggable(ctx: RequestContext, id: string): { tags: string[]; updatedAt: string } | UserError {
  const type = gidType(requireGid(id));
  if (type !== "Order" && type !== "Customer") return userError(["id"], `${type} is not a taggable resource.`);
  const record = ctx.store.findNode(ctx.shop.myshopifyDomain, id) as { tags: string[]; updatedAt: string } | null;
  return record ?? userError(["id"], `${type} does not exist.`);
}

function changeTags(change: (current: string[], tags: string[]) => string[]) {
  return (_s: unknown, { id, tags }: Args, ctx: RequestContext) => {
    const target = taggable(ctx, id);
    if ("message" in target) return { node: null, userErrors: [target] };
    const wanted = normalizeTags(tags);
    if (wanted.some((t) => t.length > MAX_TAG_LENGTH))
      return { node: null, userErrors: [userError(["tags"], `Tags must be at most ${MAX_TAG_LENGTH} characters.`)] };
    target.tags = change(target.tags, wanted);
    target.updatedAt = ctx.store.now();
    return { node: target, userErrors: [] };
  };
}

const sameTag = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function orderUpdate(_s: unknown, { input }: Args, ctx: RequestContext) {
  const order = shopOrder(ctx, input.id);
  if (!order) return { order: null, userErrors: [userError(["id"], "Order does not exist.")] };
  for (const unsupported of ["metafields", "localizationExtensions", "localizedFields"]) {
    if (input[unsupported] != null)
      throw new GraphQLError(`OrderInput.${unsupported} is not implemented by the Shopify stand-in`, { extensions: { code: "NOT_IMPLEMENTED_BY_STAND_IN" } });
  }
  for (const key of ["email", "phone", "note", "poNumber"] as const) {
    if (input[key] !== undefined) order[key] = input[key];
  }
  if (input.tags) order.tags = normalizeTags(input.tags);
  if (input.customAttributes) order.customAttributes = input.customAttributes;
  if (input.shippingAddress && order.shippingAddress) {
    const { countryCode, ...rest } = input.shippingAddress;
    Object.assign(order.shippingAddress, rest, countryCode ? { countryCodeV2: countryCode } : {});
  }
  ctx.store.touch(order);
  return { order, userErrors: [] };
}

function flowTriggerReceive(_s: unknown, { body, handle, payload }: Args, ctx: RequestContext) {
  const known = ctx.options.flowTriggerHandles;
  const parsedBody = body == null ? undefined : parseJson(body);
  const errors = [
    !handle && body == null && userError(["handle"], "A handle (or the deprecated body) is required."),
    handle && known && !known.includes(handle) && userError(["handle"], `Invalid handle '${handle}': the app has no flow trigger extension with this handle.`),
    parsedBody === INVALID && userError(["body"], "The body must be valid JSON."),
    Buffer.byteLength(JSON.stringify(payload ?? body ?? null)) > MAX_FLOW_PAYLOAD_BYTES && userError(["payload"], "Payload exceeds the 50 KB limit."),
  ].filter((e): e is UserError => Boolean(e));
  if (errors.length) return { userErrors: errors };
  ctx.store.recordFlowTrigger({ shop: ctx.shop.myshopifyDomain, appApiKey: ctx.app.apiKey, handle: handle ?? null, payload: payload ?? parsedBody });
  return { userErrors: [] };
}

const INVALID = Symbol("invalid JSON");

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

export const MUTATIONS: Resolvers<unknown> = {
  fulfillmentOrderHold,
  fulfillmentOrderReleaseHold,
  orderRiskAssessmentCreate,
  tagsAdd: changeTags((current, tags) => tags.reduce((all, t) => (all.some((c) => sameTag(c, t)) ? all : [...all, t]), current)),
  tagsRemove: changeTags((current, tags) => current.filter((c) => !tags.some((t) => sameTag(c, t)))),
  ...MONEY_MUTATIONS,
  orderUpdate,
  flowTriggerReceive,
  ...BILLING_MUTATIONS,
};
