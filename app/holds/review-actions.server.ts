// What a reviewer can do with a hold: release it, cancel the order (and void or refund the payment on
// Checkout.com), deny-list the customer, email or card, add a note. Every action is scoped to the
// reviewer's shop, safe to repeat (a double click changes nothing twice) and written to the audit log
// with who, what and how it ended.
import { NOTE_MAX_LENGTH } from "./limits";
import type { Hold, Payment } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { db, rawSql } from "../db.server";
import { cancelOrderAndPayment } from "../money/actions.server";
import { adminApi, ShopifyApiError } from "../shopify/admin-api.server";
import type { Staff } from "../shopify/staff.server";
import { recordActivity } from "../payments/record.server";
import { HOLD_BUSY, holdRefsOf, withHoldLease } from "./holds.server";
import { addListEntry } from "./rules-settings.server";
import { releaseFulfillmentHolds, type ShopifyAdmin } from "./shopify-orders.server";

/** The staff member acting on holds (requireStaff's answer, or a test's). */
export type Reviewer = Pick<Staff, "shopId" | "shop" | "actor" | "api">;

export type ReviewActionResult = { ok: true; message: string; repeated?: boolean } | { ok: false; message: string; notFound?: boolean };

type HoldWithPayment = Hold & { payment: Payment };

/** How long a reviewer's request waits for a placement or another action on the same hold. */
const ACTION_WAIT_MS = 20_000;

const NOT_FOUND: ReviewActionResult = { ok: false, notFound: true, message: "This hold does not exist in this shop." };

/** The hold, only if it belongs to the reviewer's shop. */
function findHold(reviewer: Reviewer, holdId: string) {
  return db().hold.findFirst({ where: { id: holdId, shopId: reviewer.shopId }, include: { payment: true } });
}

/** Runs one action on one hold and audits it, whatever the outcome. */
async function audited(
  reviewer: Reviewer,
  holdId: string,
  action: string,
  details: Record<string, unknown>,
  run: (hold: HoldWithPayment, api: ShopifyAdmin) => Promise<ReviewActionResult>,
): Promise<ReviewActionResult> {
  const hold = await findHold(reviewer, holdId);
  const base = { shopId: reviewer.shopId, actor: reviewer.actor, source: "admin" as const, action };
  if (!hold) {
    await audit({ ...base, details: { holdId, ...details }, result: "error", error: NOT_FOUND.message });
    return NOT_FOUND;
  }
  const entry = { ...base, paymentId: hold.paymentId, orderGid: hold.orderGid };
  let result: ReviewActionResult;
  try {
    // One action per hold at a time: a double click's second request waits for the first, then
    // finds its work done. The hold is read again inside, as the first left it.
    const outcome = await withHoldLease(hold.id, { waitMs: ACTION_WAIT_MS }, async () =>
      run((await findHold(reviewer, holdId))!, reviewer.api ?? adminApi(reviewer.shop)),
    );
    result = outcome === HOLD_BUSY ? { ok: false, message: "Someone else is changing this hold right now. Refresh the page in a moment." } : outcome;
  } catch (error) {
    const message = error instanceof ShopifyApiError ? error.message : "Something went wrong; nothing more was changed. Try again.";
    await audit({ ...entry, details: { holdId, ...details }, result: "error", error: error instanceof Error ? error.message : String(error) });
    if (error instanceof ShopifyApiError) return { ok: false, message };
    throw error;
  }
  await audit({
    ...entry,
    details: { holdId, ...details, repeated: result.ok ? Boolean(result.repeated) : undefined, message: result.message },
    result: result.ok ? "ok" : "error",
    error: result.ok ? null : result.message,
  });
  return result;
}

export function releaseHold(reviewer: Reviewer, holdId: string) {
  return audited(reviewer, holdId, "hold.release", {}, async (hold, api) => {
    if (hold.status === "released") return { ok: true, repeated: true, message: "This hold was already released." };
    if (hold.status === "canceled") return { ok: false, message: "The order was cancelled; there is no hold to release." };
    const released = hold.status === "monitored" ? 0 : await releaseFulfillmentHolds(api, hold.orderGid, hold.externalId, holdRefsOf(hold));
    const { count } = await db().hold.updateMany({
      where: { id: hold.id, status: { in: ["pending", "held", "failed", "monitored"] } },
      data: { status: "released", resolvedAt: new Date(), resolvedBy: reviewer.actor },
    });
    if (count === 0) return { ok: true, repeated: true, message: "This hold was already released." };
    await recordActivity(rawSql(), hold.payment, {
      kind: "action",
      occurredAt: new Date(),
      sourceKey: `hold:${hold.id}:released`,
      type: "hold_released",
      summary: `Hold released by ${reviewer.actor}`,
      actor: reviewer.actor,
      details: { holdId: hold.id, fulfillmentHoldsReleased: released },
    });
    return {
      ok: true,
      message: released ? `Released ${released} fulfillment hold${released === 1 ? "" : "s"} on ${hold.orderName ?? "the order"}.` : "Released.",
    };
  });
}

/** Releases several holds, one by one, each audited on its own. */
export async function releaseHolds(reviewer: Reviewer, holdIds: string[]) {
  const results = [];
  for (const id of holdIds) results.push({ id, ...(await releaseHold(reviewer, id)) });
  return results;
}

export interface CancelChoices {
  /** Restock what has not shipped (default true). */
  restock?: boolean;
  /** Shopify emails the customer (default false). */
  notifyCustomer?: boolean;
}

export function cancelHeldOrder(reviewer: Reviewer, holdId: string, choices: CancelChoices = {}) {
  return audited(reviewer, holdId, "order.cancel", { ...choices }, async (hold, api) => {
    if (hold.status === "released") return { ok: false, message: "This hold was released; cancel the order in Shopify if you still need to." };
    // The money service cancels the order and refunds or voids the payment once per hold, whatever
    // the clicks and retries: through Shopify when its order holds the payment, else at Checkout.com.
    const money = await cancelOrderAndPayment({
      shopId: hold.shopId,
      paymentId: hold.paymentId,
      reason: "Fraud: cancelled after a risk review",
      requestedBy: reviewer.actor,
      source: "admin",
      intent: `hold:${hold.id}:cancel`,
      restock: choices.restock ?? true,
      notifyCustomer: choices.notifyCustomer ?? false,
      api,
    });
    if (!money.ok) return { ok: false, message: money.message };
    const { count } = await db().hold.updateMany({
      where: { id: hold.id, status: { not: "canceled" } },
      data: { status: "canceled", resolvedAt: new Date(), resolvedBy: reviewer.actor },
    });
    if (count === 1) {
      await recordActivity(rawSql(), hold.payment, {
        kind: "action",
        occurredAt: new Date(),
        sourceKey: `hold:${hold.id}:canceled`,
        type: "order_canceled",
        summary: `Order cancelled by ${reviewer.actor} after risk review`,
        actor: reviewer.actor,
        details: { holdId: hold.id, money: money.action?.kind ?? null, via: money.action?.via ?? null },
      });
    }
    return { ok: true, repeated: count === 0 && money.repeated, message: money.message };
  });
}

const DENY_VALUES = {
  customer: { kind: "customer", of: (p: Payment) => p.ckoCustomerId, label: "Customer" },
  email: { kind: "email", of: (p: Payment) => p.customerEmail, label: "Email" },
  card: { kind: "card_fingerprint", of: (p: Payment) => p.cardFingerprint, label: "Card" },
} as const;

export type DenyTarget = keyof typeof DENY_VALUES;

export function denyFromHold(reviewer: Reviewer, holdId: string, target: DenyTarget) {
  return audited(reviewer, holdId, "list.deny", { target }, async (hold) => {
    const { kind, of, label } = DENY_VALUES[target];
    const value = of(hold.payment);
    if (!value) return { ok: false, message: `Checkout.com did not report a ${label.toLowerCase()} for this payment.` };
    const result = await addListEntry(
      reviewer.shopId,
      { list: "deny", kind, value, note: `Added from the hold on ${hold.orderName ?? hold.orderGid}` },
      reviewer.actor,
      { audited: false }, // the hold's "list.deny" entry records it
    );
    if (!result.ok) return { ok: false, message: Object.values(result.fieldErrors).join(" ") };
    return result.created
      ? { ok: true, message: `${label} added to the deny list.` }
      : { ok: true, repeated: true, message: `${label} was already on the deny list.` };
  });
}

export function addHoldNote(reviewer: Reviewer, holdId: string, note: string) {
  const text = note.trim();
  return audited(reviewer, holdId, "hold.note", { note: text }, async (hold) => {
    if (!text) return { ok: false, message: "Write a note first." };
    if (text.length > NOTE_MAX_LENGTH) return { ok: false, message: `Keep the note under ${NOTE_MAX_LENGTH} characters.` };
    await db().hold.update({ where: { id: hold.id }, data: { note: text } });
    return { ok: true, message: "Note saved." };
  });
}
