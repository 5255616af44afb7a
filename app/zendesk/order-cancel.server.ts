// "Cancel order" from a Zendesk ticket: the Shopify order is canceled and the payment voided or
// refunded by the money-action service, once per ticket and order whatever the clicks and retries
// (a repeat answers the first result, `replayed`). Only when the store allows it (the connection's
// allowCancel, never the token's claims); every refusal and every cancel is audited with the agent.
import { audit } from "../audit/audit.server";
import { db, rawSql } from "../db.server";
import { UNDECIDED_HOLD_STATUSES } from "../holds/status-badges";
import { markHoldOfPaymentStale } from "../insights/stale.server";
import { cancelOrderAndPayment, idempotencyKeyFor } from "../money/actions.server";
import { recordActivity } from "../payments/record.server";
import type { ShopifyAdmin } from "../shopify/admin-api.server";
import { callerDetails, intentOf, refuse, type ActionAnswer } from "./actions.server";
import type { ZendeskCaller } from "./auth.server";
import type { ParsedCancelOrderRequest } from "./contract";
import { ZendeskApiError } from "./errors";
import { assertSignedTicket } from "./http.server";
import { readZendeskOrder, shopAdmin } from "./order.server";
import { findShopPayment, shopifyUnavailable } from "./payments.server";

const AUDIT_ACTION = "order.cancel";
/** Shopify refuses to cancel an order once anything on it shipped. */
const SHIPPED = new Set(["FULFILLED", "PARTIALLY_FULFILLED"]);

/** The money action an earlier cancel with this intent recorded (a void or a refund), if any. */
function earlierCancel(shopId: string, paymentId: string, intent: string) {
  const keys = (["void", "refund"] as const).map((kind) => idempotencyKeyFor(shopId, paymentId, kind, intent));
  return db().moneyAction.findFirst({ where: { shopId, idempotencyKey: { in: keys } } });
}

export async function cancelOrderFromZendesk(
  caller: ZendeskCaller,
  ckoPaymentId: string,
  body: ParsedCancelOrderRequest,
  api?: ShopifyAdmin,
): Promise<ActionAnswer> {
  assertSignedTicket(caller, body.ticketId);
  const payment = await findShopPayment(caller.shopId, ckoPaymentId);
  const choices = { reason: body.reason, restock: body.restock, notifyCustomer: body.notifyCustomer };
  const refusal = (status: number, code: ZendeskApiError["code"], message: string) =>
    refuse(caller, AUDIT_ACTION, payment, new ZendeskApiError(status, code, message), choices);

  if (!caller.connection.allowCancel)
    throw await refusal(403, "forbidden", "This store does not allow canceling orders from Zendesk. A store admin can cancel it in Shopify.");
  const link = payment.orderLink;
  if (!link) throw await refusal(422, "not_cancelable", "No Shopify order is linked to this payment, so there is no order to cancel.");

  const intent = intentOf(caller, body.ticketId, `cancel:${link.orderGid}`);
  const shopify = api ?? (await shopAdmin(caller.shopId));
  // A repeat of this very request is answered with the first result; anything else checks the order first.
  if (!(await earlierCancel(caller.shopId, payment.id, intent))) {
    let order: Awaited<ReturnType<typeof readZendeskOrder>>;
    try {
      order = await readZendeskOrder(shopify, link.orderGid);
    } catch (error) {
      throw shopifyUnavailable(error);
    }
    const name = order?.name ?? link.orderName ?? "The order";
    if (!order) throw await refusal(422, "not_cancelable", `${name} was not found in Shopify, so it cannot be canceled from here.`);
    if (order.cancelledAt) throw await refusal(409, "conflict", `Order ${order.name} is already canceled.`);
    if (SHIPPED.has(order.fulfillmentStatus))
      throw await refusal(
        422,
        "not_cancelable",
        `Order ${order.name} has shipped items, and Shopify cannot cancel an order with shipped items. Refund the payment instead.`,
      );
  }

  const result = await cancelOrderAndPayment({
    shopId: caller.shopId,
    paymentId: payment.id,
    reason: `requested in Zendesk ticket #${body.ticketId}: ${body.reason}`,
    requestedBy: caller.actor,
    source: "zendesk",
    intent,
    restock: body.restock,
    notifyCustomer: body.notifyCustomer,
    api: shopify,
  });
  if (!result.ok) {
    // Sent and not answered: it may have happened, and asking again (same key) is safe.
    const unsure = (await earlierCancel(caller.shopId, payment.id, intent))?.status === "requested";
    throw await refusal(unsure ? 502 : 422, unsure ? "upstream_error" : "not_cancelable", result.message);
  }

  const { action } = result;
  await audit({
    shopId: caller.shopId,
    actor: caller.actor,
    source: "zendesk",
    action: AUDIT_ACTION,
    paymentId: payment.id,
    orderGid: link.orderGid,
    details: {
      ...callerDetails(caller),
      ...choices,
      money: action?.kind ?? null,
      via: action?.via ?? null,
      replayed: result.repeated,
      message: result.message,
    },
    result: "ok",
  });
  if (!result.repeated) {
    // The review queue must not offer to release a hold on an order that no longer exists.
    await db().hold.updateMany({
      where: { shopId: caller.shopId, paymentId: payment.id, status: { in: [...UNDECIDED_HOLD_STATUSES] } },
      data: { status: "canceled", resolvedAt: new Date(), resolvedBy: caller.actor },
    });
    await markHoldOfPaymentStale(rawSql(), caller.shopId, payment.id);
    await recordActivity(rawSql(), payment, {
      kind: "action",
      occurredAt: new Date(),
      sourceKey: `${intent}:canceled`,
      type: "order_canceled",
      summary: `Order canceled by ${caller.actor} from Zendesk ticket #${body.ticketId}: ${body.reason}`,
      actor: caller.actor,
      details: { money: action?.kind ?? null, via: action?.via ?? null },
    });
  }
  const settled = !action || action.status === "succeeded";
  return {
    status: result.repeated || settled ? 200 : 202,
    body: {
      action: "cancel",
      status: settled ? "succeeded" : "accepted",
      paymentId: payment.ckoPaymentId,
      // A void releases the whole authorisation; null when nothing was left to give back.
      amount: action ? (action.kind === "void" ? payment.amount : action.amount) : null,
      currency: action?.currency ?? null,
      reference: action ? (action.ckoActionId ?? action.shopifyRefundId ?? action.shopifyTransactionId) : null,
      replayed: result.repeated,
    },
  };
}
