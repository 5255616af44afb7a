// What a reviewer can do with a hold: release it, cancel the order (and void or refund the payment on
// Checkout.com), deny-list the customer, email or card, add a note, assign it to a reviewer; release,
// cancel and assign also in bulk. Every action is scoped to the reviewer's shop, safe to repeat (a
// double click changes nothing twice) and written to the audit log with who, what and how it ended.
import { NOTE_MAX_LENGTH } from "./limits";
import type { Hold, Payment } from "@prisma/client";
import { audit } from "../audit/audit.server";
import type { Words } from "../i18n/locales";
import { db, rawSql } from "../db.server";
import { cancelOrderAndPayment } from "../money/actions.server";
import { adminApi, ShopifyApiError } from "../shopify/admin-api.server";
import { roleAllows } from "../shopify/roles";
import { staffList, type Staff } from "../shopify/staff.server";
import { recordActivity } from "../payments/record.server";
import { markInsightsStale } from "../insights/stale.server";
import { HOLD_BUSY, holdRefsOf, recordReviewDecision, withHoldLease } from "./holds.server";
import { addListEntry } from "./rules-settings.server";
import { UNDECIDED_HOLD_STATUSES } from "./status-badges";
import { releaseFulfillmentHolds, type ShopifyAdmin } from "./shopify-orders.server";

/** The staff member acting on holds (requireStaff's answer, or a test's), or the app itself (`source: "system"`). */
export type Reviewer = Pick<Staff, "shopId" | "shop" | "actor" | "api"> & { source?: "admin" | "system" | "agent" };

/**
 * How an action ended: `message` in English (the audit log keeps it), `words` the same for the screens
 * (`errors.holds.*`, said in the reviewer's language), absent where the message is someone else's (Shopify's).
 */
export type ReviewActionResult =
  { ok: true; message: string; words?: Words; repeated?: boolean } | { ok: false; message: string; words?: Words; notFound?: boolean };

/** A result's English message and its words (`errors.holds.<key>`). */
const said = <R extends { ok: boolean }>(result: R, key: string, values?: Words["values"]) => ({ ...result, words: { key: `holds.${key}`, values } });

type HoldWithPayment = Hold & { payment: Payment };

/** How long a reviewer's request waits for a placement or another action on the same hold. */
const ACTION_WAIT_MS = 20_000;

const NOT_FOUND: ReviewActionResult = said({ ok: false, notFound: true, message: "This hold does not exist in this shop." }, "notFound");

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
  const base = { shopId: reviewer.shopId, actor: reviewer.actor, source: reviewer.source ?? "admin", action };
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
    result =
      outcome === HOLD_BUSY ? said({ ok: false, message: "Someone else is changing this hold right now. Refresh the page in a moment." }, "busy") : outcome;
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
    if (hold.status === "released") return said({ ok: true, repeated: true, message: "This hold was already released." }, "release.already");
    if (hold.status === "canceled") return said({ ok: false, message: "The order was canceled; there is no hold to release." }, "release.canceled");
    const released = hold.status === "monitored" ? 0 : await releaseFulfillmentHolds(api, hold.orderGid, hold.externalId, holdRefsOf(hold));
    // Before the hold is marked released, so a failure here is retried by the next click.
    if (hold.status !== "monitored")
      await recordReviewDecision(api, hold, { kind: "released", actor: reviewer.actor, why: hold.note ?? "the order is genuine" });
    const { count } = await db().hold.updateMany({
      where: { id: hold.id, status: { in: [...UNDECIDED_HOLD_STATUSES] } },
      data: { status: "released", resolvedAt: new Date(), resolvedBy: reviewer.actor },
    });
    if (count === 0) return said({ ok: true, repeated: true, message: "This hold was already released." }, "release.already");
    await markInsightsStale(rawSql(), hold.shopId, hold.decidedAt);
    await recordActivity(rawSql(), hold.payment, {
      kind: "action",
      occurredAt: new Date(),
      sourceKey: `hold:${hold.id}:released`,
      type: "hold_released",
      summary: `Hold released by ${reviewer.actor}`,
      actor: reviewer.actor,
      details: { holdId: hold.id, fulfillmentHoldsReleased: released },
    });
    if (!released) return said({ ok: true, message: "Released." }, "release.done");
    const message = `Released ${released} fulfillment hold${released === 1 ? "" : "s"} on ${hold.orderName ?? "the order"}.`;
    return hold.orderName
      ? said({ ok: true, message }, "release.holds", { count: released, order: hold.orderName })
      : said({ ok: true, message }, "release.holdsOnTheOrder", { count: released });
  });
}

export interface BulkResult {
  /** Holds the action was done on (or found done). */
  done: Array<{ id: string; orderName: string }>;
  /** Holds decided meanwhile (released or canceled by someone): left alone, `why` in English and in words. */
  skipped: Array<{ id: string; orderName: string; why: string; whyWords?: Words }>;
  /** `orderWords`: the order's name in words, when there is no name to show (an unknown hold). */
  failed: Array<{ id: string; orderName: string; orderWords?: Words; message: string; words?: Words }>;
}

/** The statuses a decided hold has, each with its words (`errors.holds.meanwhile.*`, `errors.holds.assign.decided.*`). */
const DECIDED_STATUSES: readonly string[] = ["released", "canceled"];

/**
 * One action over several holds, one by one, each audited on its own. Only holds still undecided when
 * the action reaches them are acted on; the rest are reported (someone released or canceled them
 * since the reviewer's list was drawn).
 */
async function actOnHolds(reviewer: Reviewer, holdIds: string[], act: (holdId: string) => Promise<ReviewActionResult>): Promise<BulkResult> {
  const result: BulkResult = { done: [], skipped: [], failed: [] };
  for (const id of [...new Set(holdIds)]) {
    const hold = await db().hold.findFirst({
      where: { id, shopId: reviewer.shopId },
      select: { status: true, orderName: true, orderGid: true, resolvedBy: true },
    });
    // Another shop's (or no) hold: the action itself refuses it, into the audit log.
    const orderName = hold ? (hold.orderName ?? hold.orderGid) : "an unknown hold";
    if (hold && !UNDECIDED_HOLD_STATUSES.includes(hold.status)) {
      const why = `${orderName} was ${hold.status}${hold.resolvedBy ? ` by ${hold.resolvedBy}` : ""} meanwhile.`;
      const whyWords: Words | undefined = DECIDED_STATUSES.includes(hold.status)
        ? hold.resolvedBy
          ? { key: `holds.meanwhile.${hold.status}By`, values: { order: orderName, by: hold.resolvedBy } }
          : { key: `holds.meanwhile.${hold.status}`, values: { order: orderName } }
        : undefined;
      result.skipped.push({ id, orderName, why, whyWords });
      continue;
    }
    const outcome = await act(id);
    if (outcome.ok) result.done.push({ id, orderName });
    else result.failed.push({ id, orderName, orderWords: hold ? undefined : { key: "holds.unknownHold" }, message: outcome.message, words: outcome.words });
  }
  return result;
}

export const releaseHolds = (reviewer: Reviewer, holdIds: string[]) => actOnHolds(reviewer, holdIds, (id) => releaseHold(reviewer, id));

export const cancelHeldOrders = (reviewer: Reviewer, holdIds: string[], choices: CancelChoices = {}) =>
  actOnHolds(reviewer, holdIds, (id) => cancelHeldOrder(reviewer, id, choices));

/** Staff members a hold can be assigned to: whoever may decide holds (Reviewer and up). */
export async function assignableReviewers(shopId: string): Promise<Array<{ userId: string; name: string }>> {
  const { staff } = await staffList(shopId);
  return staff.filter((s) => roleAllows(s.role, "reviewer")).map((s) => ({ userId: s.userId, name: s.name ?? s.email ?? `Staff ${s.userId}` }));
}

/** Assigns an undecided hold to a reviewer of this shop, or unassigns it (`assigneeUserId` null). */
export function assignHold(reviewer: Reviewer, holdId: string, assigneeUserId: string | null, reviewers?: Array<{ userId: string; name: string }>) {
  return audited(reviewer, holdId, "hold.assign", { assigneeUserId }, async (hold) => {
    if (!UNDECIDED_HOLD_STATUSES.includes(hold.status)) {
      const refused = { ok: false as const, message: `This hold was ${hold.status} already; there is nothing left to assign.` };
      return DECIDED_STATUSES.includes(hold.status) ? said(refused, `assign.decided.${hold.status}`) : refused;
    }
    const assignee = assigneeUserId === null ? null : (reviewers ?? (await assignableReviewers(reviewer.shopId))).find((r) => r.userId === assigneeUserId);
    if (assignee === undefined)
      return said({ ok: false, message: "Holds can be assigned only to staff members of this shop with the Reviewer role or above." }, "assign.notAssignable");
    if (hold.assigneeUserId === (assignee?.userId ?? null))
      return assignee
        ? said({ ok: true, repeated: true, message: `Already assigned to ${assignee.name}.` }, "assign.already", { name: assignee.name })
        : said({ ok: true, repeated: true, message: "Not assigned to anyone." }, "assign.alreadyNobody");
    await db().hold.update({
      where: { id: hold.id },
      data: { assigneeUserId: assignee?.userId ?? null, assigneeName: assignee?.name ?? null, assignedBy: reviewer.actor, assignedAt: new Date() },
    });
    if (assignee) {
      const message = `Assigned ${hold.orderName ?? "the hold"} to ${assignee.name}.`;
      return hold.orderName
        ? said({ ok: true, message }, "assign.done", { order: hold.orderName, name: assignee.name })
        : said({ ok: true, message }, "assign.doneHold", { name: assignee.name });
    }
    const message = `${hold.orderName ?? "The hold"} is no longer assigned.`;
    return hold.orderName ? said({ ok: true, message }, "assign.removed", { order: hold.orderName }) : said({ ok: true, message }, "assign.removedHold");
  });
}

export async function assignHolds(reviewer: Reviewer, holdIds: string[], assigneeUserId: string | null) {
  const reviewers = await assignableReviewers(reviewer.shopId);
  return actOnHolds(reviewer, holdIds, (id) => assignHold(reviewer, id, assigneeUserId, reviewers));
}

export interface CancelChoices {
  /** Restock what has not shipped (default true). */
  restock?: boolean;
  /** Shopify emails the customer (default false). */
  notifyCustomer?: boolean;
  /** Why, on the order's cancellation and the timeline (default: after a risk review). */
  reason?: string;
}

export function cancelHeldOrder(reviewer: Reviewer, holdId: string, choices: CancelChoices = {}) {
  return audited(reviewer, holdId, "order.cancel", { ...choices }, async (hold, api) => {
    if (hold.status === "released")
      return said({ ok: false, message: "This hold was released; cancel the order in Shopify if you still need to." }, "cancel.released");
    // The money service cancels the order and refunds or voids the payment once per hold, whatever
    // the clicks and retries: through Shopify when its order holds the payment, else at Checkout.com.
    const money = await cancelOrderAndPayment({
      shopId: hold.shopId,
      paymentId: hold.paymentId,
      reason: `Fraud: canceled ${choices.reason ?? "after a risk review"}`,
      requestedBy: reviewer.actor,
      source: reviewer.source ?? "admin",
      intent: `hold:${hold.id}:cancel`,
      restock: choices.restock ?? true,
      notifyCustomer: choices.notifyCustomer ?? false,
      api,
    });
    if (!money.ok) return { ok: false, message: money.message, words: money.words };
    if (hold.status !== "canceled")
      await recordReviewDecision(api, hold, { kind: "canceled", actor: reviewer.actor, why: hold.note ?? choices.reason ?? "fraud" });
    const { count } = await db().hold.updateMany({
      where: { id: hold.id, status: { not: "canceled" } },
      data: { status: "canceled", resolvedAt: new Date(), resolvedBy: reviewer.actor },
    });
    if (count === 1) {
      await markInsightsStale(rawSql(), hold.shopId, hold.decidedAt);
      await recordActivity(rawSql(), hold.payment, {
        kind: "action",
        occurredAt: new Date(),
        sourceKey: `hold:${hold.id}:canceled`,
        type: "order_canceled",
        summary: `Order canceled by ${reviewer.actor} ${choices.reason ?? "after a risk review"}`,
        actor: reviewer.actor,
        details: { holdId: hold.id, money: money.action?.kind ?? null, via: money.action?.via ?? null },
      });
    }
    return { ok: true, repeated: count === 0 && money.repeated, message: money.message, words: money.words };
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
    if (!value) return said({ ok: false, message: `Checkout.com did not report a ${label.toLowerCase()} for this payment.` }, `deny.noValue.${target}`);
    const result = await addListEntry(
      reviewer.shopId,
      { list: "deny", kind, value, note: `Added from the hold on ${hold.orderName ?? hold.orderGid}` },
      reviewer.actor,
      { audited: false }, // the hold's "list.deny" entry records it
    );
    if (!result.ok) {
      // One field wrong (the value, as Checkout.com reported it): its words; several: English.
      const fields = Object.keys(result.fieldErrors);
      const words = fields.length === 1 ? result.fieldWords[fields[0]] : undefined;
      return { ok: false, message: Object.values(result.fieldErrors).join(" "), words };
    }
    return result.created
      ? said({ ok: true, message: `${label} added to the deny list.` }, `deny.added.${target}`)
      : said({ ok: true, repeated: true, message: `${label} was already on the deny list.` }, `deny.already.${target}`);
  });
}

export function addHoldNote(reviewer: Reviewer, holdId: string, note: string) {
  const text = note.trim();
  return audited(reviewer, holdId, "hold.note", { note: text }, async (hold) => {
    if (!text) return said({ ok: false, message: "Write a note first." }, "note.empty");
    if (text.length > NOTE_MAX_LENGTH)
      return said({ ok: false, message: `Keep the note under ${NOTE_MAX_LENGTH} characters.` }, "note.tooLong", { max: NOTE_MAX_LENGTH });
    await db().hold.update({ where: { id: hold.id }, data: { note: text } });
    return said({ ok: true, message: "Note saved." }, "note.saved");
  });
}
