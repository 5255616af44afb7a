// The direct path: no Shopify transaction carries the payment, so the action goes straight to
// Checkout.com with the action's key as Cko-Idempotency-Key (which also covers a crash between our
// write and theirs). A cancellation cancels the Shopify order first, without a refund.
import type { MoneyAction } from "@prisma/client";
import { clientFor, getConnection } from "../checkout/connection.server";
import { db } from "../db.server";
import { adminApi, type ShopifyAdmin } from "../shopify/admin-api.server";
import { claimSending, markAccepted, markFailed, otherSender, type SendOutcome } from "./outcome.server";
import { cancelShopifyOrder } from "./send-shopify.server";

export async function sendToCheckout(action: MoneyAction, api?: ShopifyAdmin): Promise<SendOutcome> {
  if (!(await claimSending(action))) return otherSender(action);
  try {
    const payment = await db().payment.findFirstOrThrow({ where: { id: action.paymentId, shopId: action.shopId }, include: { shop: true } });
    const connection = await getConnection(action.shopId);
    if (!connection) {
      await db().moneyAction.updateMany({
        where: { id: action.id, status: "requested" },
        data: { status: "failed", error: "Connect Checkout.com in Settings first.", sendingUntil: null },
      });
      return { ok: false, action: await db().moneyAction.findUniqueOrThrow({ where: { id: action.id } }), message: "Connect Checkout.com in Settings first." };
    }
    if (action.cancelOrder && action.orderGid) {
      await cancelShopifyOrder(api ?? adminApi(payment.shop.domain), action, { refund: false });
    }
    const client = clientFor(connection);
    const reference = `${action.kind}-${action.id.slice(0, 8)}`;
    const accepted =
      action.kind === "refund"
        ? await client.refund(payment.ckoPaymentId, { amount: action.amount ?? undefined, reference }, action.idempotencyKey)
        : action.kind === "capture"
          ? await client.capture(payment.ckoPaymentId, { amount: action.amount ?? undefined, reference }, action.idempotencyKey)
          : await client.void(payment.ckoPaymentId, { reference }, action.idempotencyKey);
    return markAccepted(action, { ckoActionId: accepted.action_id });
  } catch (error) {
    return markFailed(action, error);
  }
}
