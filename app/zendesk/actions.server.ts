// Refund, void and evidence submission asked from a Zendesk ticket. The connection's settings decide
// what is allowed (never the token's claims); money moves through requestMoneyAction, keyed by what
// was asked (connection, ticket, payment, action, amount), so a retry or a double click returns the
// first result, marked `replayed`. Every refusal and every action is audited with the agent's name.
import type { MoneyAction, Payment } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { db, type Tx } from "../db.server";
import { EVIDENCE_LABELS } from "../disputes/model";
import { evidenceReadiness, submitDisputeEvidence, type DisputeActionCode } from "../disputes/respond.server";
import { evidenceSent } from "../disputes/status";
import { formatMoney } from "../lib/money";
import { idempotencyKeyFor, requestMoneyAction, type MoneyActionKind, type MoneyActionRequest, type MoneyActionResult } from "../money/actions.server";
import { balances } from "../money/balances.server";
import type { ZendeskCaller } from "./auth.server";
import type { ActionResult, EvidenceRequest, ParsedRefundRequest, VoidRequest } from "./contract";
import { refundCapFor } from "./connections.server";
import { ZendeskApiError } from "./errors";
import { assertSignedTicket } from "./http.server";
import { findShopPayment, paymentDisputes, refundAllowance, zendeskRefundTotal } from "./payments.server";

export interface ActionAnswer {
  status: number;
  body: ActionResult;
}

type ShopPayment = Awaited<ReturnType<typeof findShopPayment>>;

/** Audits a refusal (who asked, from which ticket) and returns the error to answer with. */
export async function refuse(
  caller: ZendeskCaller,
  action: string,
  payment: ShopPayment | null,
  error: ZendeskApiError,
  details: Record<string, unknown> = {},
) {
  await audit({
    shopId: caller.shopId,
    actor: caller.actor,
    source: "zendesk",
    action,
    paymentId: payment?.id ?? null,
    orderGid: payment?.orderLink?.orderGid ?? null,
    details: { ...callerDetails(caller), ...details, code: error.code },
    result: "error",
    error: error.message,
  });
  return error;
}

/** Who asked, as Zendesk's signed request claims it: not verified with Zendesk. */
export const callerDetails = (caller: ZendeskCaller) => ({
  connectionId: caller.connection.id,
  subdomain: caller.connection.subdomain,
  claimed: { ticketId: caller.claims.ticket_id, agentId: caller.claims.agent_id, agentName: caller.claims.agent_name, agentEmail: caller.claims.agent_email },
  verified: false,
});

export const intentOf = (caller: ZendeskCaller, ticketId: number, what: string) => `zendesk:${caller.connection.id}:ticket:${ticketId}:${what}`;

/** The shop's Zendesk refund limit in the payment's currency, counted over every refund from Zendesk on the payment. */
function limitRefusal(caller: ZendeskCaller, payment: Pick<Payment, "currency">, refundedFromZendesk: number, amount: number): ZendeskApiError | null {
  const max = refundCapFor(caller.connection, payment.currency);
  if (max === undefined) {
    return new ZendeskApiError(
      403,
      "forbidden",
      `This store has set no Zendesk refund limit for ${payment.currency}, so ${payment.currency} payments cannot be refunded from Zendesk. A store admin can refund in Shopify, or set a ${payment.currency} limit in the app's Zendesk settings.`,
    );
  }
  const left = refundAllowance(max, refundedFromZendesk);
  if (max === null || left === null || amount <= left) return null;
  const money = (minor: number) => formatMoney(minor, payment.currency);
  const already = refundedFromZendesk > 0 ? ` ${money(refundedFromZendesk)} was already refunded from Zendesk, so at most ${money(left)} is left.` : "";
  return new ZendeskApiError(
    422,
    "amount_too_large",
    `Refunds from Zendesk are limited to ${money(max)} per payment.${already} A store admin can refund more in Shopify.`,
  );
}

/**
 * Why this refund may not be made, checked before anything is written; null when it may. `earlier`:
 * the same request, still unsent after a retryable failure: the shop's permissions and limit are
 * checked again (they may have changed), its balance was checked when it was recorded.
 */
async function refundRefusal(caller: ZendeskCaller, payment: Payment, body: ParsedRefundRequest, earlier: MoneyAction | null): Promise<ZendeskApiError | null> {
  if (!caller.connection.allowRefunds) {
    return new ZendeskApiError(403, "forbidden", "This store does not allow refunds from Zendesk. A store admin can refund in Shopify.");
  }
  if (body.currency !== payment.currency) return new ZendeskApiError(400, "invalid_request", `This payment is in ${payment.currency}, not ${body.currency}.`);
  if (!earlier) {
    const { refundable } = await balances(payment);
    if (refundable === 0) {
      const why =
        payment.capturedAmount === 0
          ? "nothing has been captured yet (void the authorisation instead)"
          : "everything captured has been refunded or is being refunded";
      return new ZendeskApiError(422, "not_refundable", `This payment cannot be refunded: ${why}.`);
    }
    if (body.amount > refundable) {
      return new ZendeskApiError(422, "amount_too_large", `You can refund at most ${formatMoney(refundable, payment.currency)} on this payment.`);
    }
  }
  return limitRefusal(caller, payment, await zendeskRefundTotal(payment.id, undefined, earlier?.id), body.amount);
}

async function voidRefusal(caller: ZendeskCaller, payment: Payment, earlier: MoneyAction | null): Promise<ZendeskApiError | null> {
  if (!caller.connection.allowVoids)
    return new ZendeskApiError(403, "forbidden", "This store does not allow voids from Zendesk. A store admin can cancel the order in Shopify.");
  if (earlier || (await balances(payment)).voidable) return null;
  const why =
    payment.capturedAmount > 0
      ? "it has been captured, so refund it instead"
      : payment.status === "Authorized"
        ? "a capture or a void is already under way"
        : `it is ${payment.status.toLowerCase()}, not an open authorisation`;
  return new ZendeskApiError(422, "not_voidable", `This payment cannot be voided: ${why}.`);
}

/** The same request made before, if any. */
function earlierRequest(payment: Payment, kind: MoneyActionKind, intent: string) {
  const key = idempotencyKeyFor(payment.shopId, payment.id, kind, intent);
  return db().moneyAction.findUnique({ where: { shopId_idempotencyKey: { shopId: payment.shopId, idempotencyKey: key } } });
}

function answer(kind: "refund" | "void", payment: ShopPayment, action: MoneyAction, replayed: boolean): ActionAnswer {
  const status = action.status === "succeeded" ? "succeeded" : "accepted";
  return {
    status: replayed || status === "succeeded" ? 200 : 202,
    body: {
      action: kind,
      status,
      paymentId: payment.ckoPaymentId,
      // A void releases the whole authorisation.
      amount: kind === "void" ? payment.amount : action.amount,
      currency: action.currency,
      // Checkout.com's action id when known; through Shopify it may come later, so Shopify's refund or transaction.
      reference: action.ckoActionId ?? action.shopifyRefundId ?? action.shopifyTransactionId,
      replayed,
    },
  };
}

/** A money action that did not go through, as an answer for the agent. */
function failure(kind: "refund" | "void", outcome: Extract<MoneyActionResult, { ok: false }>): ZendeskApiError {
  const action = outcome.action;
  if (!action) return new ZendeskApiError(422, kind === "refund" ? "not_refundable" : "not_voidable", outcome.message);
  if (action.status === "declined")
    return new ZendeskApiError(422, kind === "refund" ? "not_refundable" : "not_voidable", `Checkout.com declined the ${kind}: ${outcome.message}`);
  // Refused by Shopify (its words) or by Checkout.com: nothing moved. Still "requested": it may be retried.
  if (action.status === "failed") return new ZendeskApiError(422, kind === "refund" ? "not_refundable" : "not_voidable", outcome.message);
  return new ZendeskApiError(502, "upstream_error", outcome.message);
}

async function moneyAction(
  caller: ZendeskCaller,
  payment: ShopPayment,
  request: Omit<MoneyActionRequest, "shopId" | "paymentId" | "requestedBy" | "source">,
  refusal: (earlier: MoneyAction | null) => Promise<ZendeskApiError | null>,
): Promise<ActionAnswer> {
  const kind = request.kind as "refund" | "void";
  const auditAction = `payment.${kind}`;
  const details = { amount: request.amount ?? null, reason: request.reason ?? null };
  const earlier = await earlierRequest(payment, kind, request.intent);
  // A request that went out is answered with its first result; one never sent is checked again.
  if (!earlier || earlier.status === "requested") {
    const refused = await refusal(earlier);
    if (refused) throw await refuse(caller, auditAction, payment, refused, details);
  }
  const outcome = await requestMoneyAction({ ...request, shopId: caller.shopId, paymentId: payment.id, requestedBy: caller.actor, source: "zendesk" });
  if (outcome.ok) return answer(kind, payment, outcome.action, outcome.repeated);
  // Refused under the payment lock (another action got there first): say why in the same words as above.
  if (!outcome.action) throw (await refusal(null)) ?? failure(kind, outcome);
  throw failure(kind, outcome);
}

export async function refundFromZendesk(caller: ZendeskCaller, ckoPaymentId: string, body: ParsedRefundRequest): Promise<ActionAnswer> {
  assertSignedTicket(caller, body.ticketId);
  const payment = await findShopPayment(caller.shopId, ckoPaymentId);
  return moneyAction(
    caller,
    payment,
    {
      kind: "refund",
      amount: body.amount,
      reason: body.reason,
      restock: body.restock,
      notifyCustomer: body.notifyCustomer,
      intent: intentOf(caller, body.ticketId, `refund:${body.amount}:${body.currency}`),
      // The limit again, under the lock, so two different refunds asked at once cannot both pass it.
      check: async (locked: Payment, tx: Tx) => limitRefusal(caller, locked, await zendeskRefundTotal(locked.id, tx), body.amount)?.message ?? null,
    },
    (earlier) => refundRefusal(caller, payment, body, earlier),
  );
}

export async function voidFromZendesk(caller: ZendeskCaller, ckoPaymentId: string, body: VoidRequest): Promise<ActionAnswer> {
  assertSignedTicket(caller, body.ticketId);
  const payment = await findShopPayment(caller.shopId, ckoPaymentId);
  return moneyAction(caller, payment, { kind: "void", intent: intentOf(caller, body.ticketId, "void") }, (earlier) => voidRefusal(caller, payment, earlier));
}

const EVIDENCE_ERRORS: Record<DisputeActionCode, [number, ZendeskApiError["code"]]> = {
  not_found: [404, "not_found"],
  plan_required: [403, "forbidden"],
  closed: [422, "dispute_closed"],
  not_ready: [422, "evidence_not_ready"],
  not_connected: [403, "forbidden"],
  in_progress: [409, "conflict"],
  upstream: [502, "upstream_error"],
};

/** Submits the dispute's evidence as the store prepared it (complete drafts only), once. */
export async function submitEvidenceFromZendesk(caller: ZendeskCaller, ckoPaymentId: string, body: EvidenceRequest, now = new Date()): Promise<ActionAnswer> {
  assertSignedTicket(caller, body.ticketId);
  const payment = await findShopPayment(caller.shopId, ckoPaymentId);
  const dispute = (await paymentDisputes(payment)).find((d) => d.ckoDisputeId === body.disputeId);
  if (!dispute) throw new ZendeskApiError(404, "not_found", `Payment ${ckoPaymentId} has no dispute ${body.disputeId}.`);
  const refusal = (error: ZendeskApiError) => refuse(caller, "evidence.submit", payment, error, { ckoDisputeId: dispute.ckoDisputeId });
  if (!caller.connection.allowEvidence) {
    throw await refusal(
      new ZendeskApiError(403, "forbidden", "This store does not allow submitting dispute evidence from Zendesk. A store admin can submit it in Shopify."),
    );
  }
  // Submitted or being submitted: submitDisputeEvidence answers with the first result, or resumes it.
  if (!evidenceSent(dispute.responseState)) {
    const readiness = evidenceReadiness(dispute, now);
    if (readiness.refusal) throw await refusal(new ZendeskApiError(422, "dispute_closed", readiness.refusal));
    if (!readiness.complete) {
      const missing = readiness.missing.map((type) => EVIDENCE_LABELS[type].toLowerCase()).join(", ");
      throw await refusal(
        new ZendeskApiError(
          422,
          "evidence_not_ready",
          `The store has not finished this dispute's evidence${missing ? ` (missing: ${missing})` : ""}. Ask a store admin to complete it in Shopify.`,
        ),
      );
    }
  }
  const result = await submitDisputeEvidence(caller.shopId, dispute.id, { actor: caller.actor, source: "zendesk" }, { now: () => now });
  if (!result.ok) {
    const [status, code] = EVIDENCE_ERRORS[result.code];
    throw new ZendeskApiError(status, code, result.message);
  }
  return {
    status: 200,
    body: {
      action: "evidence",
      status: "succeeded",
      paymentId: payment.ckoPaymentId,
      amount: null,
      currency: null,
      reference: dispute.ckoDisputeId,
      replayed: result.replayed,
    },
  };
}
