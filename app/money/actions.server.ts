// The money-action service: refunds, voids, captures and order cancellations, for the Zendesk sidebar,
// the review queue and the admin Payments page. Each request is keyed by what the person asked (who,
// from where, which payment, what, how much), so a retry or a double click finds the first action
// instead of making a second one. A payment whose Shopify order holds its transaction is acted on
// through Shopify (decision 0007); otherwise straight at Checkout.com, and the order is told.
import type { Words } from "../i18n/locales";
import { RefusedError } from "../lib/errors";
import type { RefundLineItemRestockType } from "../types/admin.types";
import crypto from "node:crypto";
import { Prisma, type MoneyAction, type Payment } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { db, isRecordNotFound, isUniqueViolation, rawSql, type Tx } from "../db.server";
import type { RawSql } from "../lib/prepared-sql.server";
import { formatMoney } from "../lib/money";
import { adminApi, ShopifyApiError, type ShopifyAdmin } from "../shopify/admin-api.server";
import { balances, combined, type Balances } from "./balances.server";
import { planFor, type MoneyPlan, type PlannedSide } from "./plan.server";
import { sendToCheckout } from "./send-checkout.server";
import { cancelShopifyOrder, refundInput, sendThroughShopify } from "./send-shopify.server";
import { moneyInput, refundTransactions, suggestRefund } from "./shopify-order.server";

export type MoneyActionKind = "refund" | "void" | "capture";
/** A refund Checkout.com made (on its dashboard) written down on the Shopify order: it moves no money. */
const RECORD_REFUND = "record_refund";
type ActionKind = MoneyActionKind | typeof RECORD_REFUND;
type MoneySource = "admin" | "zendesk" | "system" | "agent";

interface RefundLine {
  lineItemId: string;
  quantity: number;
}

export interface MoneyActionRequest {
  shopId: string;
  /** Payment row id (not the Checkout.com id). */
  paymentId: string;
  kind: MoneyActionKind;
  /** Minor units; refunds and captures only. Omitted: everything left (or the chosen lines' price). */
  amount?: number;
  /** Refund these lines of the Shopify order (Shopify prices them); only through Shopify. */
  lines?: RefundLine[];
  /** Restock what has not shipped. Default true. */
  restock?: boolean;
  /** Shopify emails the customer. Default false. */
  notifyCustomer?: boolean;
  /** Cancel the Shopify order too (review queue): the refund or void is the cancellation's. */
  cancelOrder?: boolean;
  reason?: string;
  requestedBy: string;
  source: MoneySource;
  /** The agent token asking (app/mcp): its actions count against its money limits. */
  agentTokenId?: string;
  /** What was asked, e.g. `zendesk:<connection>:ticket:812:refund:500:EUR`. Same intent, same action. */
  intent: string;
  /**
   * A further refusal decided under the payment lock (e.g. Zendesk's refund limit), with the order as
   * the action read it: its reason (English), or null.
   */
  check?: (payment: Payment, tx: Tx, side: PlannedSide) => Promise<string | null>;
  /** Shopify caller; defaults to the shop's paced offline caller. */
  api?: ShopifyAdmin;
}

/**
 * The outcome. A failure's `message` is English (the Zendesk API, the audit log); its `words`, when the
 * words are this app's, say it in a staff member's language (`say`), Shopify's and Checkout.com's own
 * text kept inside as a value.
 */
export type MoneyActionResult =
  { ok: true; action: MoneyAction; repeated: boolean } | { ok: false; action?: MoneyAction; repeated: boolean; message: string; words?: Words };

/** "This payment does not exist in this shop." */
const NOT_FOUND = { message: "This payment does not exist in this shop.", words: { key: "payments:action.errors.notFound" } } as const;

/** Why nothing was done when Shopify could not be asked: Shopify's words inside ours. */
function nothingDone(error: ShopifyApiError, retry: boolean): { message: string; words: Words } {
  const again = retry && error.retryable;
  return {
    message: `Nothing was done: ${error.message}.${again ? " Try again in a moment." : ""}`,
    words: { key: again ? "money.nothingDoneRetry" : "money.nothingDone", values: { error: error.message } },
  };
}

/** The idempotency key for an intent: stable, opaque, short enough for Checkout.com and Shopify. */
export function idempotencyKeyFor(shopId: string, paymentId: string, kind: ActionKind, intent: string) {
  return crypto.createHash("sha256").update(`${shopId}\n${paymentId}\n${kind}\n${intent}`).digest("hex").slice(0, 48);
}

const VERB = { refund: "refunded", capture: "captured" } as const;

/** Why the action may not be made (English, and its words), or null. */
function refusal(kind: MoneyActionKind, amount: number | undefined, limits: Balances, currency: string, plan: PlannedSide): RefusedError | null {
  const refused = (message: string, key: string, values?: Words["values"]) => new RefusedError(message, { key: `money.refusal.${key}`, values });
  if (kind === "void") {
    if (limits.voidable) return null;
    return plan.checkout.voidable
      ? refused("Shopify shows this authorisation as captured or voided already.", "voidedInShopify")
      : refused("Only an authorised payment that has not been captured can be voided.", "notVoidable");
  }
  const available = kind === "refund" ? limits.refundable : limits.capturable;
  if (amount !== undefined && (!Number.isInteger(amount) || amount <= 0))
    return refused("The amount must be a positive whole number of minor units.", "notPositive");
  if (available <= 0)
    return kind === "refund"
      ? refused("Nothing is left to refund on this payment.", "nothingToRefund")
      : refused("Nothing is left to capture on this payment.", "nothingToCapture");
  if (amount !== undefined && amount > available) {
    const lower = Boolean(plan.shopify && plan.shopifyLimits);
    const which = lower ? " (the lower of Shopify's and Checkout.com's figures)" : "";
    return refused(`At most ${formatMoney(available, currency)} can be ${VERB[kind]}${which}.`, `atMost.${kind}${lower ? "Lower" : ""}`, {
      amount: { minor: available, currency },
    });
  }
  return null;
}

/** Restocking puts back only what has not shipped: a refund of shipped items leaves the stock alone. */
const restockType = (restock: boolean, quantity: number, unfulfilled: number): RefundLineItemRestockType =>
  restock && quantity <= unfulfilled ? "CANCEL" : "NO_RESTOCK";

type ActionRequest = Omit<MoneyActionRequest, "kind"> & { kind: ActionKind };

const auditBase = (r: ActionRequest, orderGid: string | null) => ({
  shopId: r.shopId,
  actor: r.requestedBy,
  source: r.source,
  action: r.cancelOrder ? "order.cancel" : `payment.${r.kind}`,
  paymentId: r.paymentId,
  orderGid,
  details: { amount: r.amount ?? null, reason: r.reason ?? null, intent: r.intent, lines: r.lines ?? null },
});

/** What a person sees before confirming: the path the action takes and what may be done. */
export async function planMoneyActions(shopId: string, paymentId: string, api?: ShopifyAdmin): Promise<MoneyPlan | null> {
  const payment = await db().payment.findFirst({ where: { id: paymentId, shopId }, include: { orderLink: true, shop: true } });
  if (!payment) return null;
  const side = await planFor(payment, api ?? adminApi(payment.shop.domain));
  return side.plan;
}

/** The amount a refund asks for, and the Shopify lines it refunds (restock as asked). */
async function refundShape(request: MoneyActionRequest, side: PlannedSide, limits: Balances, api: ShopifyAdmin) {
  const restock = request.restock ?? true;
  const order = side.order;
  if (request.lines?.length) {
    if (!order || !side.shopify)
      throw new RefusedError("Refunding items needs the Shopify order's Checkout.com transaction; refund an amount instead.", {
        key: "money.lines.needShopifyOrder",
      });
    const unknown = request.lines.find((l) => !order.lines.some((o) => o.id === l.lineItemId));
    if (unknown)
      throw new RefusedError(`Order ${order.name} has no line ${unknown.lineItemId}.`, {
        key: "money.lines.unknown",
        values: { order: order.name, line: unknown.lineItemId },
      });
    const lines = request.lines.map((l) => {
      const line = order.lines.find((o) => o.id === l.lineItemId)!;
      if (!Number.isInteger(l.quantity) || l.quantity <= 0 || l.quantity > line.refundableQuantity) {
        throw new RefusedError(`At most ${line.refundableQuantity} of "${line.name}" can be refunded.`, {
          key: "money.lines.atMost",
          values: { count: line.refundableQuantity, name: line.name },
        });
      }
      return { lineItemId: l.lineItemId, quantity: l.quantity, restockType: restockType(restock, l.quantity, line.unfulfilledQuantity) };
    });
    const priced = await suggestRefund(api, order.gid, lines);
    return { amount: request.amount ?? Math.min(priced.amount, limits.refundable), lines, everything: false };
  }
  const amount = request.amount ?? limits.refundable;
  // Everything left: the refundable lines go with it, so what has not shipped can be restocked.
  const everything = Boolean(order && side.shopify && amount === limits.refundable && amount === side.shopifyLimits?.refundable);
  const lines =
    everything && order
      ? order.lines
          .filter((l) => l.refundableQuantity > 0)
          .map((l) => ({
            lineItemId: l.id,
            quantity: l.refundableQuantity,
            restockType: restockType(restock, l.refundableQuantity, l.unfulfilledQuantity),
          }))
      : [];
  return { amount, lines, everything };
}

/** Records the action (once per intent) and carries it out through Shopify or at Checkout.com. */
export function requestMoneyAction(request: MoneyActionRequest): Promise<MoneyActionResult> {
  return actOnce(request, (key, side, api) => record(request, key, side, api));
}

export interface RecordRefundRequest extends Pick<
  MoneyActionRequest,
  "shopId" | "paymentId" | "requestedBy" | "source" | "intent" | "reason" | "check" | "api"
> {
  /** Minor units Checkout.com refunded that the order does not show. */
  amount: number;
}

/**
 * Writes a refund Checkout.com made outside Shopify (on its dashboard) down on the payment's Shopify
 * order, moving no money: refundCreate with a REFUND on Shopify's manual gateway and no parent
 * transaction, so no payments app is asked to refund the customer a second time (decision 0020). The
 * caller's `check` decides, under the payment lock, that the order is still missing that much.
 */
export function recordRefundOnOrder(request: RecordRefundRequest): Promise<MoneyActionResult> {
  const asked: ActionRequest = { ...request, kind: RECORD_REFUND };
  return actOnce(asked, (key, side) => recordRefund(asked, request.amount, key, side));
}

type Recorder = (key: string, side: PlannedSide, api: ShopifyAdmin) => Promise<{ action: MoneyAction; created: boolean }>;

/** The one way every action is taken: found again by its intent's key, or recorded and sent. */
async function actOnce(request: ActionRequest, recorder: Recorder): Promise<MoneyActionResult> {
  const key = idempotencyKeyFor(request.shopId, request.paymentId, request.kind, request.intent);
  const existing = await db().moneyAction.findUnique({ where: { shopId_idempotencyKey: { shopId: request.shopId, idempotencyKey: key } } });
  if (existing && existing.status !== "requested") return resultOf(existing, true);

  let action = existing;
  if (!action) {
    const payment = await db().payment.findFirst({ where: { id: request.paymentId, shopId: request.shopId }, include: { orderLink: true, shop: true } });
    if (!payment) return { ok: false, repeated: false, ...NOT_FOUND };
    const api = request.api ?? adminApi(payment.shop.domain);
    const orderGid = payment.orderLink?.orderGid ?? null;
    try {
      const side = await planFor(payment, api);
      const recorded = await recorder(key, side, api);
      if (!recorded.created) return resultOf(await settled(recorded.action), true);
      action = recorded.action;
    } catch (error) {
      if (isUniqueViolation(error)) return actOnce(request, recorder); // a concurrent double click won the insert
      const failed =
        error instanceof RefusedError
          ? { message: error.message, words: error.text }
          : error instanceof ShopifyApiError
            ? nothingDone(error, true)
            : isRecordNotFound(error)
              ? NOT_FOUND
              : null;
      if (failed === null) throw error;
      await audit({ ...auditBase(request, orderGid), result: "error", error: failed.message });
      return { ok: false, repeated: false, ...failed };
    }
  }
  return send(action, request, Boolean(existing));
}

/**
 * Serialises actions on one payment: touching its row is a row lock on PostgreSQL (SQLite has one
 * writer), so two actions cannot both spend one balance. A double click that got the lock second finds
 * the first click's action (`raced`).
 */
async function underPaymentLock(
  request: ActionRequest,
  key: string,
  side: PlannedSide,
  decide: (payment: Payment, tx: Tx) => Promise<Prisma.MoneyActionUncheckedCreateInput>,
): Promise<{ action: MoneyAction; created: boolean }> {
  return db().$transaction(async (tx) => {
    const payment = await tx.payment.update({ where: { id: request.paymentId, shopId: request.shopId }, data: { updatedAt: new Date() } });
    const raced = await tx.moneyAction.findUnique({ where: { shopId_idempotencyKey: { shopId: request.shopId, idempotencyKey: key } } });
    if (raced) return { action: raced, created: false };
    const data = await decide(payment, tx);
    const problem = (await request.check?.(payment, tx, side)) ?? null;
    if (problem) throw new RefusedError(problem);
    return { action: await tx.moneyAction.create({ data }), created: true };
  });
}

async function recordRefund(request: ActionRequest, amount: number, key: string, side: PlannedSide) {
  if (!side.order || !side.shopify)
    throw new RefusedError("The order has no Checkout.com transaction in Shopify, so there is no refund of it to record.", {
      key: "money.record.noTransaction",
    });
  if (!Number.isInteger(amount) || amount <= 0)
    throw new RefusedError("The amount must be a positive whole number of minor units.", { key: "money.refusal.notPositive" });
  const order = side.order;
  const when = request.source === "system" ? "by the Checkout.com companion" : `by ${request.requestedBy}`;
  const input = {
    orderId: order.gid,
    currency: order.currency,
    note: `${request.reason ?? "Refunded at Checkout.com, outside Shopify"} (recorded ${when})`.slice(0, 255),
    notify: false,
    transactions: [{ orderId: order.gid, amount: moneyInput(amount, order.currency), kind: "REFUND", gateway: "manual" }],
  };
  return underPaymentLock(request, key, side, async (payment) => ({
    shopId: request.shopId,
    paymentId: payment.id,
    kind: RECORD_REFUND,
    amount,
    currency: payment.currency,
    idempotencyKey: key,
    via: "shopify",
    reason: request.reason ?? null,
    requestedBy: request.requestedBy,
    source: request.source,
    orderGid: order.gid,
    orderName: order.name,
    shopifyParentTransactionId: side.shopify!.id,
    shopifyInput: JSON.stringify(input),
    restock: false,
    notifyCustomer: false,
  }));
}

/** Payment ids per `IN` list (SQLite binds at most 999 values in a statement). */
const LOOKUP_CHUNK = 500;

/** The refund-recording actions that count: done, or being recorded. */
const RECORDING_COUNTS = ["requested", "accepted", "succeeded"];

/**
 * The payments' refunds recorded on their orders ({@link recordRefundOnOrder}), by payment: the Shopify
 * transactions of those done (which the order check counts as the payment's), and the amount of all not
 * failed (done or being recorded). Payments with none are absent. One prepared statement per chunk: the
 * order check asks for every payment it checks.
 */
export async function recordedRefunds(
  shopId: string,
  paymentIds: string[],
  client: RawSql = rawSql(),
): Promise<Map<string, { transactionIds: Set<string>; amount: number }>> {
  const found = new Map<string, { transactionIds: Set<string>; amount: number }>();
  for (let i = 0; i < paymentIds.length; i += LOOKUP_CHUNK) {
    const actions = await client.$queryRaw<Array<Pick<MoneyAction, "paymentId" | "status" | "amount" | "shopifyTransactionId">>>`
      SELECT "paymentId", "status", "amount", "shopifyTransactionId" FROM "MoneyAction"
      WHERE "shopId" = ${shopId} AND "paymentId" IN (${Prisma.join(paymentIds.slice(i, i + LOOKUP_CHUNK))})
        AND "kind" = ${RECORD_REFUND} AND "status" IN (${Prisma.join(RECORDING_COUNTS)})`;
    for (const action of actions) {
      const entry = found.get(action.paymentId) ?? { transactionIds: new Set<string>(), amount: 0 };
      if (action.status === "succeeded" && action.shopifyTransactionId) entry.transactionIds.add(action.shopifyTransactionId);
      entry.amount += action.amount ?? 0;
      found.set(action.paymentId, entry);
    }
  }
  return found;
}

async function record(request: MoneyActionRequest, key: string, side: PlannedSide, api: ShopifyAdmin) {
  const shape = request.kind === "refund" ? await refundShape(request, side, combined(side.checkout, side.shopifyLimits), api) : null;
  return underPaymentLock(request, key, side, async (payment, tx) => {
    const limits = combined(await balances(payment, tx), side.shopifyLimits);
    const amount = request.kind === "void" ? null : request.kind === "refund" ? shape!.amount : (request.amount ?? limits.capturable);
    const refused = refusal(request.kind, amount ?? undefined, limits, payment.currency, side);
    if (refused) throw refused;
    return {
      shopId: request.shopId,
      paymentId: payment.id,
      kind: request.kind,
      amount,
      currency: payment.currency,
      idempotencyKey: key,
      via: side.shopify ? "shopify" : "checkout",
      reason: request.reason ?? null,
      requestedBy: request.requestedBy,
      source: request.source,
      agentTokenId: request.agentTokenId ?? null,
      orderGid: side.order?.gid ?? side.orderGid,
      orderName: side.order?.name ?? side.orderName,
      shopifyParentTransactionId: side.shopify?.id ?? null,
      shopifyInput: shopifyRefundInput(request, side, shape, amount),
      cancelOrder: request.cancelOrder ?? false,
      restock: request.restock ?? true,
      notifyCustomer: request.notifyCustomer ?? false,
      lineItems: JSON.stringify(shape?.lines ?? []),
    };
  });
}

/** The exact refundCreate input for a refund through Shopify (null otherwise). */
function shopifyRefundInput(request: MoneyActionRequest, side: PlannedSide, shape: Awaited<ReturnType<typeof refundShape>> | null, amount: number | null) {
  if (request.kind !== "refund" || request.cancelOrder || !shape || !side.order || !side.shopifyLimits || amount === null) return null;
  const where = {
    zendesk: "from Zendesk",
    admin: "in the Checkout.com companion",
    agent: "by an agent through the Checkout.com companion",
    system: "by the Checkout.com companion",
  }[request.source];
  return JSON.stringify(
    refundInput({
      orderGid: side.order.gid,
      currency: side.order.currency,
      amount,
      lines: shape.lines,
      everything: shape.everything,
      parents: refundTransactions(side.shopifyLimits, amount),
      note: `${request.reason ?? "Refund"} (${request.requestedBy}, ${where})`,
      notify: request.notifyCustomer ?? false,
    }),
  );
}

async function send(action: MoneyAction, request: ActionRequest, repeated: boolean): Promise<MoneyActionResult> {
  const base = auditBase(request, action.orderGid);
  const outcome = action.via === "shopify" ? await sendThroughShopify(action, request.api) : await sendToCheckout(action, request.api);
  if (outcome.ok) {
    await audit({
      ...base,
      details: { ...base.details, via: action.via, ckoActionId: outcome.action.ckoActionId, shopifyTransactionId: outcome.action.shopifyTransactionId },
      result: "ok",
    });
    return { ok: true, action: outcome.action, repeated };
  }
  await audit({ ...base, details: { ...base.details, via: action.via }, result: "error", error: outcome.message });
  // A concurrent request for this action (a double click) got through meanwhile: its result stands.
  if (outcome.action.status !== "requested" && outcome.action.status !== "failed") return resultOf(outcome.action, true);
  return { ok: false, action: outcome.action, repeated, message: outcome.message, words: outcome.words };
}

/** The concurrent first request is still sending: wait (briefly) for its answer. */
async function settled(action: MoneyAction, timeoutMs = 15_000): Promise<MoneyAction> {
  const deadline = Date.now() + timeoutMs;
  let current = action;
  while (current.status === "requested" && !current.error && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = (await db().moneyAction.findUnique({ where: { id: action.id } })) ?? current;
  }
  return current;
}

function resultOf(action: MoneyAction, repeated: boolean): MoneyActionResult {
  // Still "requested" with an error: the last attempt to send failed (say, the first click of a
  // double click), so nothing is known to have happened yet: asking again sends it again, same key.
  // The error kept on the action is English (Shopify's or Checkout.com's words in it): said as it is.
  const unfinished = action.status === "requested" && action.error !== null;
  if (!(action.status === "failed" || action.status === "declined" || unfinished)) return { ok: true, action, repeated };
  return action.error !== null
    ? { ok: false, action, repeated, message: action.error }
    : { ok: false, action, repeated, message: `The ${action.kind} was declined.`, words: { key: `money.declined.${action.kind}` } };
}

/** What the cancellation did: `message` in English (order notes, the audit log), `words` in a staff member's language where they are ours. */
export type CancelResult =
  { ok: true; repeated: boolean; message: string; words?: Words; action: MoneyAction | null } | { ok: false; message: string; words?: Words };

/**
 * Cancels the payment's Shopify order (reason: fraud) and voids the authorisation or refunds what was
 * captured, once per intent: through Shopify's orderCancel when its order holds the payment, else
 * the order is canceled without a refund and the money goes back at Checkout.com. `check` runs as for
 * requestMoneyAction, on the void or refund (not when nothing is left to give back).
 */
export async function cancelOrderAndPayment(request: Omit<MoneyActionRequest, "kind" | "cancelOrder" | "amount" | "lines">): Promise<CancelResult> {
  const keys = (["void", "refund"] as const).map((kind) => idempotencyKeyFor(request.shopId, request.paymentId, kind, request.intent));
  const earlierKind = async () =>
    (await db().moneyAction.findFirst({ where: { shopId: request.shopId, idempotencyKey: { in: keys } } }))?.kind as MoneyActionKind | undefined;
  let kind = await earlierKind();
  if (!kind) {
    const payment = await db().payment.findFirst({ where: { id: request.paymentId, shopId: request.shopId }, include: { orderLink: true, shop: true } });
    if (!payment) return { ok: false, ...NOT_FOUND };
    const api = request.api ?? adminApi(payment.shop.domain);
    let limits: Balances;
    try {
      limits = (await planFor(payment, api)).plan.limits;
    } catch (error) {
      if (!(error instanceof ShopifyApiError)) throw error;
      return { ok: false, ...nothingDone(error, false) };
    }
    // Nothing left may be this very request's void or refund, made meanwhile by a double click: its
    // action row is written before the money moves, so it is found here and answered as a repeat.
    kind = limits.voidable ? "void" : limits.refundable > 0 ? "refund" : await earlierKind();
    if (!kind) {
      // Nothing left to give back: only the order is canceled.
      if (!payment.orderLink) {
        return {
          ok: true,
          repeated: true,
          message: "Nothing was left to void or refund, and no Shopify order is linked.",
          words: { key: "money.cancel.nothingLeftNoOrder" },
          action: null,
        };
      }
      try {
        const canceled = await cancelShopifyOrder(api, {
          ...request,
          orderGid: payment.orderLink.orderGid,
          orderName: payment.orderLink.orderName,
          restock: request.restock ?? true,
          notifyCustomer: request.notifyCustomer ?? false,
          reason: request.reason ?? null,
        });
        return {
          ok: true,
          repeated: !canceled,
          message: `${canceled ? "Order canceled." : "The order is canceled."} Nothing was left to void or refund.`,
          words: { key: canceled ? "money.cancel.canceledNothingLeft" : "money.cancel.wasCanceledNothingLeft" },
          action: null,
        };
      } catch (error) {
        if (!(error instanceof ShopifyApiError)) throw error;
        return { ok: false, message: error.message };
      }
    }
  }
  const result = await requestMoneyAction({ ...request, kind, cancelOrder: true });
  if (!result.ok) {
    // The reason is said as the money service said it (English): Words take no Words inside.
    return {
      ok: false,
      message: `The order was not canceled or the ${kind} failed: ${result.message}`,
      words: { key: `money.cancel.failed.${kind}`, values: { error: result.message } },
    };
  }
  const { action } = result;
  const order = `Order ${action.orderName ?? ""}`.trimEnd();
  const amount = kind === "refund" ? ` of ${formatMoney(action.amount ?? 0, action.currency)}` : "";
  // Words name the order; without its name (never expected once canceled through it) the English is shown.
  const words = (key: string): Words | undefined =>
    action.orderName
      ? {
          key: `money.cancel.${key}`,
          values:
            kind === "refund" ? { order: action.orderName, amount: { minor: action.amount ?? 0, currency: action.currency } } : { order: action.orderName },
        }
      : undefined;
  if (result.repeated) {
    return {
      ok: true,
      repeated: true,
      action,
      message: `${order} was already canceled, and the ${kind}${amount} was already requested.`,
      words: words(`already.${kind}`),
    };
  }
  const money =
    action.via === "shopify"
      ? `Shopify ${kind === "void" ? "voids the authorisation" : `refunds ${formatMoney(action.amount ?? 0, action.currency)}`} through its Checkout.com payments app.`
      : `${kind === "void" ? "Void" : `Refund${amount}`} requested directly at Checkout.com.`;
  return {
    ok: true,
    repeated: false,
    action,
    message: `${order} canceled. ${money}`,
    words: words(`done.${action.via === "shopify" ? "shopify" : "checkout"}.${kind}`),
  };
}

/** The HTTP status for a result: refused before anything was sent 422, refused or declined by Shopify or Checkout.com 422, unsure 502. */
export function moneyResultStatus(result: MoneyActionResult): number {
  if (result.ok) return 200;
  return result.action?.status === "requested" ? 502 : 422;
}
