// Refunds, voids and captures. Each request is keyed by what the person asked (the intent: who,
// from where, which payment, what, how much), so a retry or a double click finds the first action
// instead of making a second one. The same key goes to Checkout.com as Cko-Idempotency-Key, which
// covers a crash between our write and theirs.
import crypto from "node:crypto";
import type { MoneyAction, Payment } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { clientFor, getConnection } from "../checkout/connection.server";
import { CheckoutError, explainCheckoutError } from "../checkout/errors";
import { db, isRecordNotFound, isUniqueViolation, type Tx } from "../db.server";
import { lockRowForUpdate } from "../lib/row-lock.server";
import { reportedActionOutcome } from "./record.server";

export type MoneyActionKind = "refund" | "void" | "capture";

export interface MoneyActionRequest {
  shopId: string;
  /** Payment row id (not the Checkout.com id). */
  paymentId: string;
  kind: MoneyActionKind;
  /** Minor units; refunds and captures only. Omitted = the whole remaining amount. */
  amount?: number;
  reason?: string;
  requestedBy: string;
  source: "admin" | "zendesk" | "system";
  /** What was asked, e.g. `zendesk:ticket:812:refund:500`. Same intent, same action. */
  intent: string;
  orderGid?: string | null;
  /** A further refusal decided under the payment lock (e.g. Zendesk's refund limit): its reason, or null. */
  check?: (payment: Payment, tx: Tx) => Promise<string | null>;
}

export type MoneyActionResult =
  | { ok: true; action: MoneyAction; repeated: boolean }
  | { ok: false; action?: MoneyAction; repeated: boolean; message: string };

/** The idempotency key for an intent: stable, opaque, short enough for Checkout.com. */
export function idempotencyKeyFor(shopId: string, paymentId: string, kind: MoneyActionKind, intent: string) {
  return crypto.createHash("sha256").update(`${shopId}\n${paymentId}\n${kind}\n${intent}`).digest("hex").slice(0, 48);
}

/** Money still available for each action, counting actions already sent but not yet confirmed. */
export async function balances(payment: Payment, tx?: Tx) {
  const inFlight = await (tx ?? db()).moneyAction.findMany({
    where: { paymentId: payment.id, status: { in: ["requested", "accepted"] } },
    select: { kind: true, amount: true },
  });
  const pending = (kind: MoneyActionKind) => inFlight.filter((a) => a.kind === kind).reduce((sum, a) => sum + (a.amount ?? 0), 0);
  const voidPending = inFlight.some((a) => a.kind === "void");
  const refundable = Math.max(0, payment.capturedAmount - payment.refundedAmount - pending("refund"));
  const capturable =
    payment.status === "Authorized" && !voidPending ? Math.max(0, payment.amount - payment.capturedAmount - pending("capture")) : 0;
  const voidable = payment.status === "Authorized" && payment.capturedAmount === 0 && !voidPending && pending("capture") === 0;
  return { refundable, capturable, voidable };
}

function refusal(kind: MoneyActionKind, amount: number | undefined, b: Awaited<ReturnType<typeof balances>>): string | null {
  if (kind === "void") return b.voidable ? null : "Only an authorised payment that has not been captured can be voided.";
  const available = kind === "refund" ? b.refundable : b.capturable;
  if (available <= 0) return kind === "refund" ? "Nothing is left to refund on this payment." : "Nothing is left to capture on this payment.";
  if (amount !== undefined && (!Number.isInteger(amount) || amount <= 0)) return "The amount must be a positive whole number of minor units.";
  if (amount !== undefined && amount > available) return `At most ${available} (minor units) can be ${kind === "refund" ? "refunded" : "captured"}.`;
  return null;
}


/** Records the action (once per intent) and sends it to Checkout.com. */
export async function requestMoneyAction(request: MoneyActionRequest): Promise<MoneyActionResult> {
  const key = idempotencyKeyFor(request.shopId, request.paymentId, request.kind, request.intent);
  const existing = await db().moneyAction.findUnique({ where: { shopId_idempotencyKey: { shopId: request.shopId, idempotencyKey: key } } });
  if (existing && existing.status !== "requested") return resultOf(existing, true);

  let action = existing;
  if (!action) {
    try {
      const recorded = await db().$transaction(async (tx) => {
        // Touching the payment row serialises concurrent actions on one payment (a row lock on
        // PostgreSQL; SQLite has one writer), so two different refunds cannot both spend the balance.
        const payment = await tx.payment.update({ where: { id: request.paymentId, shopId: request.shopId }, data: { updatedAt: new Date() } });
        // A double click that got the lock second finds the first click's action, not a spent balance.
        const raced = await tx.moneyAction.findUnique({ where: { shopId_idempotencyKey: { shopId: request.shopId, idempotencyKey: key } } });
        if (raced) return { action: raced, created: false };
        const problem = refusal(request.kind, request.amount, await balances(payment, tx)) ?? (await request.check?.(payment, tx)) ?? null;
        if (problem) throw new RefusedError(problem);
        const amount = request.kind === "void" ? null : (request.amount ?? (await balances(payment, tx))[request.kind === "refund" ? "refundable" : "capturable"]);
        const created = await tx.moneyAction.create({
          data: {
            shopId: request.shopId,
            paymentId: payment.id,
            kind: request.kind,
            amount,
            currency: payment.currency,
            idempotencyKey: key,
            reason: request.reason ?? null,
            requestedBy: request.requestedBy,
            source: request.source,
          },
        });
        return { action: created, created: true };
      });
      if (!recorded.created) return resultOf(await settled(recorded.action), true);
      action = recorded.action;
    } catch (error) {
      if (isUniqueViolation(error)) return requestMoneyAction(request); // a concurrent double click won the insert
      if (error instanceof RefusedError) {
        await audit({ ...auditBase(request), result: "error", error: error.message });
        return { ok: false, repeated: false, message: error.message };
      }
      if (isRecordNotFound(error)) {
        return { ok: false, repeated: false, message: "This payment does not exist in this shop." };
      }
      throw error;
    }
  }
  return send(action, request, Boolean(existing));
}

class RefusedError extends Error {}

/** Statuses Checkout.com's webhook gives an action; nothing we learn later changes them. */
const SETTLED = ["succeeded", "declined"];

const auditBase = (r: MoneyActionRequest) => ({
  shopId: r.shopId,
  actor: r.requestedBy,
  source: r.source,
  action: `payment.${r.kind}`,
  paymentId: r.paymentId,
  orderGid: r.orderGid ?? null,
  details: { amount: r.amount ?? null, reason: r.reason ?? null, intent: r.intent },
});

async function send(action: MoneyAction, request: MoneyActionRequest, repeated: boolean): Promise<MoneyActionResult> {
  const payment = await db().payment.findFirstOrThrow({ where: { id: action.paymentId, shopId: action.shopId } });
  const connection = await getConnection(action.shopId);
  if (!connection) return { ok: false, action, repeated, message: "Connect Checkout.com in Settings first." };
  const client = clientFor(connection);
  const reference = `${action.kind}-${action.id.slice(0, 8)}`;
  try {
    const accepted =
      action.kind === "refund"
        ? await client.refund(payment.ckoPaymentId, { amount: action.amount ?? undefined, reference }, action.idempotencyKey)
        : action.kind === "capture"
          ? await client.capture(payment.ckoPaymentId, { amount: action.amount ?? undefined, reference }, action.idempotencyKey)
          : await client.void(payment.ckoPaymentId, { reference }, action.idempotencyKey);
    const updated = await db().$transaction(async (tx) => {
      // Serialised with the worker applying this payment's events (it locks the payment row too), so
      // either it sees our ckoActionId or we see its outcome.
      await lockRowForUpdate(tx, "Payment", payment.id);
      const current = await tx.moneyAction.findUniqueOrThrow({ where: { id: action.id } });
      // A concurrent click's answer may have stored this already, and Checkout.com's webhook settled it.
      if (current.ckoActionId === accepted.action_id && (current.status === "accepted" || SETTLED.includes(current.status))) return current;
      const outcome = await reportedActionOutcome(tx, payment.id, accepted.action_id);
      const saved = await tx.moneyAction.update({
        where: { id: action.id },
        data: { status: outcome?.status ?? "accepted", ckoActionId: accepted.action_id, error: outcome?.error ?? null },
      });
      await tx.paymentActivity.upsert({
        where: { paymentId_sourceKey: { paymentId: payment.id, sourceKey: `money-action:${action.id}` } },
        update: {},
        create: {
          shopId: action.shopId,
          paymentId: payment.id,
          sourceKey: `money-action:${action.id}`,
          kind: "action",
          type: `${action.kind}_requested`,
          amount: action.amount,
          currency: action.currency,
          summary: `${capitalise(action.kind)} requested by ${action.requestedBy}${action.reason ? `: ${action.reason}` : ""}`,
          actor: action.requestedBy,
          details: JSON.stringify({ ckoActionId: accepted.action_id, source: action.source }),
          occurredAt: new Date(),
        },
      });
      await audit({ ...auditBase(request), details: { ...auditBase(request).details, ckoActionId: accepted.action_id }, result: "ok" }, tx);
      return saved;
    });
    return { ok: true, action: updated, repeated };
  } catch (error) {
    if (!(error instanceof CheckoutError)) throw error;
    const message = explainCheckoutError(error);
    // Retryable failures stay "requested": asking again resends with the same key. Only while no
    // concurrent request for this action (a double click) has got through meanwhile.
    const status = error.retryable ? "requested" : "failed";
    await db().moneyAction.updateMany({ where: { id: action.id, status: "requested" }, data: { status, error: message } });
    await audit({ ...auditBase(request), result: "error", error: message });
    const updated = await db().moneyAction.findUniqueOrThrow({ where: { id: action.id } });
    if (updated.status !== status) return resultOf(updated, true);
    return { ok: false, action: updated, repeated, message };
  }
}

/** The concurrent first request is still talking to Checkout.com: wait (briefly) for its answer. */
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
  // Still "requested" with an error: the last attempt to reach Checkout.com failed (say, the first
  // click of a double click), so nothing is known to have happened yet: asking again resends it.
  const unfinished = action.status === "requested" && action.error !== null;
  return action.status === "failed" || action.status === "declined" || unfinished
    ? { ok: false, action, repeated, message: action.error ?? `The ${action.kind} was declined.` }
    : { ok: true, action, repeated };
}

/** Called when Checkout.com reports the outcome of an action (payment_refunded, payment_void_declined, ...). */
export async function settleMoneyAction(tx: Tx, shopId: string, ckoActionId: string, outcome: "succeeded" | "declined", error?: string) {
  await tx.moneyAction.updateMany({ where: { shopId, ckoActionId }, data: { status: outcome, error: error ?? null } });
}

const capitalise = (s: string) => s[0].toUpperCase() + s.slice(1);
