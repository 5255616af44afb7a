// The money mutations, with Shopify's rules: refundCreate (@idempotent, lines with restock, shipping,
// refund transactions against their parents), orderCapture, transactionVoid and orderCancel (refund
// to original payment methods, void of uncaptured authorizations whatever the refund setting,
// restock, customer email). Every REFUND, CAPTURE or VOID on a Checkout.com gateway starts PENDING
// and is carried out by the payments app (payments-app.ts); other gateways succeed at once.
// Wording of userErrors follows Shopify's where known; README.md lists the stand-in's own choices.
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import { requireGid, type Args, type RequestContext, type Resolvers } from "./context";
import { formatDecimal, toMinor } from "./money";
import {
  capturableOn,
  isCheckoutGateway,
  lineState,
  netRefundable,
  planRefundLines,
  priceRefundLines,
  refundableOn,
  refundableParents,
  shippingRefundable,
  voidableAuth,
  type PricedRefundLine,
} from "./order-money";
import type { LineItemRecord, OrderRecord, RefundRecord, RestockType, TransactionKind, TransactionRecord } from "./store";

interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

const userError = (field: Array<string | number> | null, message: string, code: string | null = null): UserError => ({
  field: field?.map(String) ?? null,
  message,
  code,
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function shopOrder(ctx: RequestContext, id: string): OrderRecord | undefined {
  const order = ctx.store.order(requireGid(id));
  return order && order.shop === ctx.shop.myshopifyDomain ? order : undefined;
}

/** A Money input ("12.50") in the order's presentment minor units; null when it is not a number. */
function minor(order: OrderRecord, amount: unknown): number | null {
  const value = typeof amount === "number" ? amount : Number(amount);
  return Number.isFinite(value) ? toMinor(value, order.presentmentCurrencyCode) : null;
}

const show = (order: OrderRecord, amount: number) => `${formatDecimal(amount, order.presentmentCurrencyCode)} ${order.presentmentCurrencyCode}`;

/** Multi-currency orders must name their presentment currency; no order may name another one. */
function currencyError(order: OrderRecord, currency: string | null | undefined, field: string[]): UserError | null {
  const presentment = order.presentmentCurrencyCode;
  if (currency == null) {
    return presentment !== order.currencyCode
      ? userError(field, `Currency is required when the order's presentment currency (${presentment}) differs from the shop currency (${order.currencyCode}).`)
      : null;
  }
  return currency !== presentment ? userError(field, `Currency ${currency} does not match the order's presentment currency (${presentment}).`) : null;
}

const inventoryKey = (li: LineItemRecord) => li.sku ?? li.title;

/** Takes refunded units off the fulfillment orders; a fulfillment order with nothing left to ship closes. */
function removeFromFulfillment(ctx: RequestContext, order: OrderRecord, lineItemId: string, quantity: number) {
  let left = quantity;
  const now = ctx.store.now();
  for (const fo of order.fulfillmentOrders) {
    for (const line of fo.lineItems) {
      if (left <= 0 || line.lineItemId !== lineItemId || line.remainingQuantity <= 0) continue;
      const take = Math.min(left, line.remainingQuantity);
      line.remainingQuantity -= take;
      line.totalQuantity -= take;
      left -= take;
      fo.updatedAt = now;
    }
    if (fo.status !== "CLOSED" && fo.status !== "CANCELLED" && fo.lineItems.every((l) => l.remainingQuantity === 0)) {
      fo.status = "CLOSED";
      fo.holds = [];
    }
  }
}

/** Records the refund's lines: fulfillment orders shrink for unshipped units, restocked units go back in the ledger. */
function recordRefund(
  ctx: RequestContext,
  order: OrderRecord,
  lines: PricedRefundLine[],
  rest: Omit<Parameters<RequestContext["store"]["addRefund"]>[1], "lineItems">,
): RefundRecord {
  const refund = ctx.store.addRefund(order.id, {
    ...rest,
    lineItems: lines.map((l) => ({
      lineItemId: l.lineItem.id,
      quantity: l.quantity,
      restockType: l.restockType,
      restocked: l.restockType === "RETURN" || l.restockType === "CANCEL",
      fromUnfulfilled: l.fromUnfulfilled,
      unitPrice: l.unitPrice,
      subtotal: l.subtotal,
      tax: l.tax,
      discount: l.discount,
    })),
  });
  for (const line of refund.lineItems) {
    if (line.fromUnfulfilled > 0) removeFromFulfillment(ctx, order, line.lineItemId, line.fromUnfulfilled);
    const li = order.lineItems.find((l) => l.id === line.lineItemId)!;
    if (line.restocked)
      ctx.store.restock(order.shop, inventoryKey(li), line.quantity, {
        restockType: line.restockType,
        orderId: order.id,
        refundId: refund.id,
        lineItemId: li.id,
      });
  }
  return refund;
}

/** Shopify's gateway for money handled outside Shopify: its transactions are records, carried out by no provider. */
const MANUAL_GATEWAY = "manual";

/** A REFUND written down on the manual gateway: successful at once, no parent, no payments app. */
function recordManualRefund(ctx: RequestContext, order: OrderRecord, amount: number, refundId: string): TransactionRecord {
  return ctx.store.addTransaction(order.id, {
    kind: "REFUND",
    status: "SUCCESS",
    amount: formatDecimal(amount, order.presentmentCurrencyCode),
    gateway: MANUAL_GATEWAY,
    formattedGateway: "Manual",
    paymentId: null,
    authorizationCode: null,
    parentId: null,
    receipt: {},
    card: null,
    refundId,
  });
}

/**
 * A REFUND, CAPTURE or VOID on `parent`'s gateway. On a Checkout.com gateway it is PENDING until the
 * payments app has carried it out; on any other gateway it succeeds at once.
 */
function createMoneyTransaction(
  ctx: RequestContext,
  order: OrderRecord,
  input: { kind: TransactionKind; parent: TransactionRecord; amount: number; refundId?: string | null },
): TransactionRecord {
  const viaPaymentsApp = isCheckoutGateway(input.parent.gateway);
  const transaction = ctx.store.addTransaction(order.id, {
    kind: input.kind,
    status: viaPaymentsApp ? "PENDING" : "SUCCESS",
    amount: formatDecimal(input.amount, order.presentmentCurrencyCode),
    gateway: input.parent.gateway,
    formattedGateway: input.parent.formattedGateway,
    paymentId: input.parent.paymentId,
    authorizationCode: null,
    parentId: input.parent.id,
    receipt: viaPaymentsApp ? null : {},
    card: input.parent.card,
    refundId: input.kind === "REFUND" ? (input.refundId ?? null) : null,
  });
  if (viaPaymentsApp) ctx.services.paymentsApp.submit(order.id, transaction.id);
  return transaction;
}

// ---- refundCreate ------------------------------------------------------------------------------

interface RefundLineInput {
  lineItemId: string;
  quantity: number;
  restockType?: RestockType | null;
  locationId?: string | null;
}
interface RefundTransactionInput {
  amount: string;
  gateway: string;
  kind: TransactionKind;
  orderId: string;
  parentId?: string | null;
}

function refundCreate(_s: unknown, args: Args, ctx: RequestContext, info: GraphQLResolveInfo) {
  const scope = `${ctx.shop.myshopifyDomain} ${ctx.app.id} refundCreate`;
  return ctx.services.idempotency.run(info, scope, args, async () => {
    if (ctx.services.actionLatencyMs > 0) await sleep(ctx.services.actionLatencyMs);
    return createRefund(ctx, args.input);
  });
}

function createRefund(ctx: RequestContext, input: Args) {
  const refused = (errors: UserError[]) => ({ order: null, refund: null, userErrors: errors });
  const order = shopOrder(ctx, input.orderId);
  if (!order) return refused([userError(["orderId"], "Order does not exist.")]);
  if (input.refundMethods?.some((m: { storeCreditRefund?: unknown }) => m.storeCreditRefund)) {
    throw new GraphQLError("RefundInput.refundMethods (store credit) is not implemented by the Shopify stand-in", {
      extensions: { code: "NOT_IMPLEMENTED_BY_STAND_IN" },
    });
  }
  const errors: UserError[] = [];
  const currency = currencyError(order, input.currency, ["currency"]);
  if (currency) errors.push(currency);
  if (input.refundDuties?.length) errors.push(userError(["refundDuties"], "The order has no duties to refund."));

  // Lines: quantities within what is refundable; CANCEL only for unshipped units, RETURN only for shipped ones.
  const lineInputs: RefundLineInput[] = input.refundLineItems ?? [];
  const asked = new Map<string, { total: number; cancel: number; ret: number }>();
  lineInputs.forEach((line, i) => {
    const field = (name: string) => ["refundLineItems", i, name];
    const li = order.lineItems.find((l) => l.id === line.lineItemId);
    if (!li) return errors.push(userError(field("lineItemId"), "Line item does not exist."));
    if (line.quantity <= 0) return errors.push(userError(field("quantity"), "Quantity must be greater than 0."));
    if (line.restockType === "LEGACY_RESTOCK")
      return errors.push(
        userError(field("restockType"), "Restock type LEGACY_RESTOCK is not accepted when creating new refunds: use RETURN, CANCEL or NO_RESTOCK."),
      );
    const state = lineState(order, li);
    const sum = asked.get(li.id) ?? { total: 0, cancel: 0, ret: 0 };
    asked.set(li.id, sum);
    sum.total += line.quantity;
    if (line.restockType === "CANCEL") sum.cancel += line.quantity;
    if (line.restockType === "RETURN") sum.ret += line.quantity;
    if (sum.total > state.refundable)
      return errors.push(
        userError(field("quantity"), `Quantity cannot refund more items than were purchased (${state.refundable} of ${li.title} can still be refunded).`),
      );
    if (sum.cancel > state.refundableUnfulfilled) {
      return errors.push(
        userError(
          field("restockType"),
          `Restock type CANCEL is only for unfulfilled items: ${state.refundableUnfulfilled} of ${li.title} are unfulfilled. Use RETURN for fulfilled items.`,
        ),
      );
    }
    if (sum.ret > state.refundableFulfilled) {
      return errors.push(
        userError(
          field("restockType"),
          `Restock type RETURN is only for fulfilled items: ${state.refundableFulfilled} of ${li.title} have been fulfilled and not refunded. Use CANCEL for unfulfilled items.`,
        ),
      );
    }
    return undefined;
  });

  // Shipping: all that is left, or an amount within it.
  let shipping = 0;
  if (input.shipping?.fullRefund) shipping = shippingRefundable(order);
  else if (input.shipping?.amount != null) {
    const amount = minor(order, input.shipping.amount);
    if (amount === null || amount < 0) errors.push(userError(["shipping", "amount"], "Shipping refund amount must be a positive amount."));
    else if (amount > shippingRefundable(order))
      errors.push(
        userError(
          ["shipping", "amount"],
          `Shipping refund amount (${show(order, amount)}) is greater than the refundable shipping (${show(order, shippingRefundable(order))}).`,
        ),
      );
    else shipping = amount;
  }

  // Money: each refund goes back through its parent's gateway, within what is left on it.
  const transactionInputs: RefundTransactionInput[] = input.transactions ?? [];
  const perParent = new Map<string, number>();
  const moves: Array<{ parent: TransactionRecord | null; amount: number }> = [];
  transactionInputs.forEach((t, i) => {
    const field = (name: string) => ["transactions", i, name];
    if (t.orderId !== order.id) return errors.push(userError(field("orderId"), "The transaction's order must be the order being refunded."));
    if (t.kind !== "REFUND") return errors.push(userError(field("kind"), `Transaction kind must be REFUND, not ${t.kind}.`));
    const amount = minor(order, t.amount);
    if (amount === null || amount <= 0) return errors.push(userError(field("amount"), "Amount must be greater than 0."));
    if (!t.parentId) {
      // A refund recorded on the "manual" gateway moves no money: Shopify writes it down (money refunded
      // outside Shopify), within what the order has received net. Any other gateway refunds a parent.
      if (t.gateway !== MANUAL_GATEWAY)
        return errors.push(userError(field("parentId"), "A refund transaction needs the parent transaction (a successful sale or capture) it refunds."));
      moves.push({ parent: null, amount });
      return undefined;
    }
    const parent = order.transactions.find((p) => p.id === t.parentId);
    if (!parent) return errors.push(userError(field("parentId"), "Parent transaction does not exist."));
    if (parent.status !== "SUCCESS" || (parent.kind !== "SALE" && parent.kind !== "CAPTURE"))
      return errors.push(userError(field("parentId"), "Parent transaction must be a successful sale or capture."));
    if (t.gateway !== parent.gateway)
      return errors.push(userError(field("gateway"), `Gateway ${t.gateway} does not match the parent transaction's gateway (${parent.gateway}).`));
    const total = (perParent.get(parent.id) ?? 0) + amount;
    perParent.set(parent.id, total);
    const left = refundableOn(order, parent);
    if (total > left)
      return errors.push(
        userError(field("amount"), `Amount ${show(order, amount)} is more than can be refunded on the parent transaction (${show(order, left)}).`),
      );
    moves.push({ parent, amount });
    return undefined;
  });
  const refundTotal = moves.reduce((s, m) => s + m.amount, 0);
  if (!input.allowOverRefunding && moves.length && refundTotal > netRefundable(order)) {
    errors.push(
      userError(
        ["transactions"],
        `Refund amount (${show(order, refundTotal)}) is greater than the net payment received (${show(order, netRefundable(order))}).`,
      ),
    );
  }
  if (!lineInputs.length && !shipping && !transactionInputs.length && !errors.length) {
    errors.push(userError(null, "A refund needs line items, shipping or transactions."));
  }
  if (errors.length) return refused(errors);

  // Shipped/unshipped pools are taken by explicit CANCEL and RETURN lines first, then by NO_RESTOCK ones.
  const requested = lineInputs.map((l) => ({ lineItemId: l.lineItemId, quantity: l.quantity, restockType: l.restockType ?? ("NO_RESTOCK" as const) }));
  const ordered = [...requested.filter((r) => r.restockType !== "NO_RESTOCK"), ...requested.filter((r) => r.restockType === "NO_RESTOCK")];
  const lines = priceRefundLines(order, planRefundLines(order, ordered));
  const refund = recordRefund(ctx, order, lines, {
    processedAt: input.processedAt ?? undefined,
    note: input.note ?? null,
    notify: input.notify ?? false,
    shipping: shipping > 0 ? { amount: shipping, tax: 0 } : null,
    appId: ctx.app.id,
    source: "refundCreate",
  });
  for (const move of moves) {
    if (move.parent) createMoneyTransaction(ctx, order, { kind: "REFUND", parent: move.parent, amount: move.amount, refundId: refund.id });
    else recordManualRefund(ctx, order, move.amount, refund.id);
  }
  if (input.notify) ctx.store.notifyCustomer(order, "refund", refund.id);
  return { order, refund, userErrors: [] };
}

// ---- orderCapture, transactionVoid --------------------------------------------------------------

function orderCapture(_s: unknown, { input }: Args, ctx: RequestContext) {
  const refused = (field: string[], message: string) => ({ transaction: null, userErrors: [userError(field, message)] });
  const order = shopOrder(ctx, input.id);
  if (!order) return refused(["id"], "Order does not exist.");
  const parent = order.transactions.find((t) => t.id === requireGid(input.parentTransactionId, "parentTransactionId"));
  if (!parent) return refused(["parentTransactionId"], "Parent transaction does not exist.");
  if (parent.kind !== "AUTHORIZATION" || parent.status !== "SUCCESS")
    return refused(["parentTransactionId"], "Parent transaction must be a successful authorization.");
  const currency = currencyError(order, input.currency, ["currency"]);
  if (currency) return { transaction: null, userErrors: [currency] };
  const amount = minor(order, input.amount);
  if (amount === null || amount <= 0) return refused(["amount"], "Amount must be greater than 0.");
  const capturable = capturableOn(order, parent);
  if (capturable === 0)
    return refused(["parentTransactionId"], "The authorization cannot be captured: it was already captured or voided, or the order is canceled.");
  if (amount > capturable) return refused(["amount"], `Amount ${show(order, amount)} is greater than the capturable amount (${show(order, capturable)}).`);
  const transaction = createMoneyTransaction(ctx, order, { kind: "CAPTURE", parent, amount });
  return { transaction, userErrors: [] };
}

function transactionVoid(_s: unknown, { parentTransactionId }: Args, ctx: RequestContext) {
  const refused = (message: string, code: string) => ({ transaction: null, userErrors: [userError(["parentTransactionId"], message, code)] });
  const found = ctx.store.transaction(requireGid(parentTransactionId, "parentTransactionId"));
  if (!found || found.order.shop !== ctx.shop.myshopifyDomain) return refused("Transaction does not exist.", "TRANSACTION_NOT_FOUND");
  const { order, transaction: auth } = found;
  if (auth.kind !== "AUTHORIZATION") return refused(`Only an authorization can be voided; this is a ${auth.kind.toLowerCase()} transaction.`, "GENERIC_ERROR");
  if (auth.status !== "SUCCESS") return refused("The authorization was not successful, so there is nothing to void.", "AUTH_NOT_SUCCESSFUL");
  if (!voidableAuth(order, auth)) return refused("The authorization is not voidable: it was already captured or voided.", "AUTH_NOT_VOIDABLE");
  const transaction = createMoneyTransaction(ctx, order, { kind: "VOID", parent: auth, amount: auth.amount });
  return { transaction, userErrors: [] };
}

// ---- orderCancel --------------------------------------------------------------------------------

function orderCancel(_s: unknown, args: Args, ctx: RequestContext) {
  const fail = (field: string, message: string, code: string) => {
    const error = userError([field], message, code);
    return { job: null, orderCancelUserErrors: [error], userErrors: [{ field: error.field, message }] };
  };
  const order = shopOrder(ctx, args.orderId);
  if (!order) return fail("orderId", "Order does not exist.", "NOT_FOUND");
  if (order.cancelledAt) return fail("orderId", "Order has already been canceled.", "INVALID");
  if (order.fulfillments.some((f) => f.status === "SUCCESS")) return fail("orderId", "Cannot cancel an order with fulfilled items.", "INVALID");
  if (order.transactions.some((t) => t.kind === "AUTHORIZATION" && t.status === "PENDING"))
    return fail("orderId", "Cannot cancel an order with pending payment authorizations.", "INVALID");
  if (args.refund != null && args.refundMethod != null) return fail("refundMethod", "Cannot specify both refund and refundMethod.", "INVALID");
  if (args.refundMethod?.storeCreditRefund && !order.customerId) {
    return fail("refundMethod", "Store credit can only be issued to orders with a customer.", "STORE_CREDIT_REFUND_MISSING_CUSTOMER");
  }
  if (args.staffNote != null && args.staffNote.length > 255) return fail("staffNote", "Staff note is too long (maximum is 255 characters).", "INVALID");
  const toOriginal = Boolean(args.refund ?? args.refundMethod?.originalPaymentMethodsRefund);
  const refund = toOriginal || Boolean(args.refundMethod?.storeCreditRefund);
  const now = ctx.store.now();

  // Every unit still to ship is removed (restocked when asked); captured money goes back through its gateway.
  const lines = priceRefundLines(
    order,
    order.lineItems
      .map((li) => ({ lineItem: li, quantity: lineState(order, li).refundableUnfulfilled }))
      .filter((l) => l.quantity > 0)
      .map((l) => ({ ...l, restockType: (args.restock ? "CANCEL" : "NO_RESTOCK") as RestockType, fromUnfulfilled: l.quantity })),
  );
  const parents = toOriginal ? refundableParents(order) : [];
  const shipping = toOriginal ? shippingRefundable(order) : 0;
  // Authorized payments are voided whatever the refund setting (schema: orderCancel.refundMethod).
  const voidable = order.transactions.filter((t) => voidableAuth(order, t));
  if (lines.length || parents.length || shipping > 0) {
    const record = recordRefund(ctx, order, lines, {
      note: null,
      notify: args.notifyCustomer ?? false,
      shipping: shipping > 0 ? { amount: shipping, tax: 0 } : null,
      appId: ctx.app.id,
      source: "orderCancel",
    });
    for (const { transaction, refundable } of parents)
      createMoneyTransaction(ctx, order, { kind: "REFUND", parent: transaction, amount: refundable, refundId: record.id });
  }
  for (const auth of voidable) createMoneyTransaction(ctx, order, { kind: "VOID", parent: auth, amount: auth.amount });

  order.cancelledAt = now;
  order.closedAt = now;
  order.cancelReason = args.reason;
  order.cancellation = { staffNote: args.staffNote ?? null, refund, restock: args.restock, notifyCustomer: args.notifyCustomer ?? false };
  for (const fo of order.fulfillmentOrders) {
    fo.status = "CLOSED";
    fo.holds = [];
    fo.updatedAt = now;
  }
  if (args.notifyCustomer) ctx.store.notifyCustomer(order, "cancel");
  ctx.store.touch(order);
  // Shopify cancels in the background; the job reports done a moment later.
  const job = ctx.store.createJob(ctx.shop.myshopifyDomain, 1000);
  return { job, orderCancelUserErrors: [], userErrors: [] };
}

export const MONEY_MUTATIONS: Resolvers<unknown> = {
  refundCreate,
  orderCapture,
  transactionVoid,
  orderCancel,
};
