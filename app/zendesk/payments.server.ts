// What the sidebar reads: payments matching a ticket, and one payment's timeline. Every query is scoped
// to the caller's shop and served by an index (Payment [shopId, ckoPaymentId] / [shopId, reference] /
// [shopId, customerEmail, createdAt], OrderLink [shopId, orderName], Dispute [shopId, paymentId] /
// [shopId, ckoPaymentId]), also on SQLite without planner statistics (query-plans.sqlite.test.ts).
import type { Payment, Prisma } from "@prisma/client";
import { db, type Tx } from "../db.server";
import { acceptsEvidence } from "../disputes/status";
import { evidenceReadiness } from "../disputes/respond.server";
import { planMoneyActions } from "../money/actions.server";
import { balances } from "../money/balances.server";
import type { MoneyPlan } from "../money/plan.server";
import { ShopifyApiError } from "../shopify/admin-api.server";
import type { ZendeskCaller } from "./auth.server";
import type { DisputeSummary, LookupRequest, LookupResponse, MoneyPlanView, PaymentCandidate, PaymentTimeline } from "./contract";
import { refundCapFor } from "./connections.server";
import { ZendeskApiError } from "./errors";
import { paymentState, timelineEntries } from "./timeline";

const MAX_CANDIDATES = 20;
/** Payments sharing one order reference: a few retries at most; the cap only bounds a pathological shop. */
const MAX_REFERENCE_MATCHES = 200;

const candidateSelect = {
  id: true,
  ckoPaymentId: true,
  amount: true,
  currency: true,
  status: true,
  createdAt: true,
  processedOn: true,
  customerName: true,
  customerEmail: true,
  cardLast4: true,
  orderLink: { select: { orderName: true } },
} satisfies Prisma.PaymentSelect;
type CandidateRow = Prisma.PaymentGetPayload<{ select: typeof candidateSelect }>;

/** When the customer paid: Checkout.com's processing time, else when this app first saw the payment. */
const paidAt = (p: { processedOn: Date | null; createdAt: Date }) => p.processedOn ?? p.createdAt;

const candidate = (p: CandidateRow): PaymentCandidate => ({
  paymentId: p.ckoPaymentId,
  orderName: p.orderLink?.orderName ?? null,
  amount: p.amount,
  currency: p.currency,
  state: paymentState(p.status),
  createdAt: paidAt(p).toISOString(),
  customerName: p.customerName,
  customerEmail: p.customerEmail,
  cardLast4: p.cardLast4,
});

/** "#1001" and "1001": Shopify names orders with a "#", agents and customers often leave it out. */
function orderNameVariants(name: string): string[] {
  const bare = name.trim().replace(/^#\s*/, "");
  return [`#${bare}`, bare];
}

async function paymentsByOrderName(shopId: string, name: string): Promise<CandidateRow[]> {
  const names = orderNameVariants(name);
  const [linked, referenced] = await Promise.all([
    db().orderLink.findMany({ where: { shopId, orderName: { in: names } }, select: { paymentId: true }, take: MAX_CANDIDATES }),
    // Not matched to an order yet: Checkout.com's reference usually is the order name. No ORDER BY:
    // with one, SQLite (without ANALYZE statistics) prefers walking the shop's payments by date.
    db().payment.findMany({ where: { shopId, reference: { in: names } }, select: candidateSelect, take: MAX_REFERENCE_MATCHES }),
  ]);
  const known = new Set(referenced.map((p) => p.id));
  const missing = linked.map((l) => l.paymentId).filter((id) => !known.has(id));
  const viaLinks = missing.length ? await db().payment.findMany({ where: { shopId, id: { in: missing } }, select: candidateSelect }) : [];
  return [...referenced, ...viaLinks];
}

/** Tries the payment id, then the order name, then the requester's email; the first that finds anything wins. */
export async function lookupPayments(shopId: string, query: LookupRequest): Promise<LookupResponse> {
  const tries: Array<[NonNullable<LookupResponse["matchedBy"]>, () => Promise<CandidateRow[]>]> = [];
  if (query.paymentId) tries.push(["payment_id", () => db().payment.findMany({ where: { shopId, ckoPaymentId: query.paymentId }, select: candidateSelect })]);
  if (query.orderName) tries.push(["order_name", () => paymentsByOrderName(shopId, query.orderName!)]);
  if (query.email) {
    // Stored lowercased (app/payments/record.server.ts), so equality is a case-insensitive match on the index.
    const email = query.email.trim().toLowerCase();
    tries.push([
      "email",
      () => db().payment.findMany({ where: { shopId, customerEmail: email }, select: candidateSelect, orderBy: { createdAt: "desc" }, take: MAX_CANDIDATES }),
    ]);
  }
  for (const [matchedBy, find] of tries) {
    const rows = await find();
    if (rows.length === 0) continue;
    const newestFirst = rows.sort((a, b) => paidAt(b).getTime() - paidAt(a).getTime()).slice(0, MAX_CANDIDATES);
    return { matchedBy, payments: newestFirst.map(candidate) };
  }
  return { matchedBy: null, payments: [] };
}

/** One payment of the caller's shop by its Checkout.com id, or a 404 an agent understands. */
export async function findShopPayment(shopId: string, ckoPaymentId: string) {
  const payment = await db().payment.findUnique({
    where: { shopId_ckoPaymentId: { shopId, ckoPaymentId } },
    include: { orderLink: { select: { orderGid: true, orderName: true } } },
  });
  if (!payment) throw new ZendeskApiError(404, "not_found", `This store has no Checkout.com payment ${ckoPaymentId}.`);
  return payment;
}

/**
 * A payment's disputes, newest first, whether linked by row or (before the payment arrived) only by its
 * Checkout.com id. Two queries, not one OR, so each uses its own index.
 */
export async function paymentDisputes(payment: Pick<Payment, "id" | "shopId" | "ckoPaymentId">) {
  const [linked, byCkoId] = await Promise.all([
    db().dispute.findMany({ where: { shopId: payment.shopId, paymentId: payment.id } }),
    db().dispute.findMany({ where: { shopId: payment.shopId, ckoPaymentId: payment.ckoPaymentId } }),
  ]);
  const unique = new Map([...linked, ...byCkoId].map((d) => [d.id, d]));
  return [...unique.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** Refunds made from Zendesk on this payment and not failed: what counts against the shop's limit. */
export async function zendeskRefundTotal(paymentId: string, tx?: Tx, excludeActionId?: string): Promise<number> {
  const { _sum } = await (tx ?? db()).moneyAction.aggregate({
    where: {
      paymentId,
      kind: "refund",
      source: "zendesk",
      status: { notIn: ["failed", "declined"] },
      ...(excludeActionId ? { id: { not: excludeActionId } } : {}),
    },
    _sum: { amount: true },
  });
  return _sum.amount ?? 0;
}

/** The Zendesk refund allowance left on this payment: null for no limit, 0 when its currency has no limit set (no refunds from Zendesk). */
export const refundAllowance = (maxRefundAmount: number | null | undefined, refundedFromZendesk: number) =>
  maxRefundAmount === undefined ? 0 : maxRefundAmount === null ? null : Math.max(0, maxRefundAmount - refundedFromZendesk);

type DisputeRow = Awaited<ReturnType<typeof paymentDisputes>>[number];

/** The dispute to show: an open one (soonest deadline first), else the newest. */
function disputeSummary(disputes: DisputeRow[], now: Date): DisputeSummary | null {
  const open = disputes
    .filter((d) => acceptsEvidence(d, now))
    .sort((a, b) => (a.evidenceRequiredBy?.getTime() ?? Infinity) - (b.evidenceRequiredBy?.getTime() ?? Infinity));
  const d = open[0] ?? disputes[0];
  if (!d) return null;
  return {
    disputeId: d.ckoDisputeId,
    status: d.status,
    category: d.category,
    amount: d.amount,
    currency: d.currency,
    isOpen: acceptsEvidence(d, now),
    evidenceDueBy: d.evidenceRequiredBy?.toISOString() ?? null,
    evidenceReady: evidenceReadiness(d, now).complete,
    evidenceSubmittedAt: d.submittedAt?.toISOString() ?? null,
  };
}

export async function paymentTimeline(caller: ZendeskCaller, ckoPaymentId: string, now = new Date()): Promise<PaymentTimeline> {
  const payment = await db().payment.findUnique({
    where: { shopId_ckoPaymentId: { shopId: caller.shopId, ckoPaymentId } },
    include: { orderLink: { select: { orderName: true } }, activities: true },
  });
  if (!payment) throw new ZendeskApiError(404, "not_found", `This store has no Checkout.com payment ${ckoPaymentId}.`);
  const [disputes, money, refundedFromZendesk] = await Promise.all([paymentDisputes(payment), balances(payment), zendeskRefundTotal(payment.id)]);
  const { connection } = caller;
  return {
    payment: {
      paymentId: payment.ckoPaymentId,
      reference: payment.reference,
      orderName: payment.orderLink?.orderName ?? null,
      state: paymentState(payment.status),
      amount: payment.amount,
      currency: payment.currency,
      capturedAmount: payment.capturedAmount,
      refundedAmount: payment.refundedAmount,
      refundableAmount: money.refundable,
      canVoid: money.voidable,
      riskFlagged: payment.riskFlagged,
      customerName: payment.customerName,
      customerEmail: payment.customerEmail,
      cardScheme: payment.cardScheme,
      cardLast4: payment.cardLast4,
      createdAt: paidAt(payment).toISOString(),
    },
    dispute: disputeSummary(disputes, now),
    permissions: {
      refund: connection.allowRefunds,
      void: connection.allowVoids,
      submitEvidence: connection.allowEvidence,
      maxRefundAmount: refundAllowance(refundCapFor(connection, payment.currency), refundedFromZendesk),
    },
    entries: timelineEntries(payment, payment.activities, disputes),
  };
}

/** Shopify could not be asked: a 502 the agent can act on; anything else is a bug and propagates. */
export function shopifyUnavailable(error: unknown): unknown {
  if (error instanceof ShopifyApiError)
    return new ZendeskApiError(502, "upstream_error", `Shopify could not be asked about the order (${error.message}). Try again in a moment.`);
  return error;
}

/** Before a refund or void: the path it takes (through the Shopify order or straight to Checkout.com) and the limits on each side. */
export async function zendeskMoneyPlan(caller: ZendeskCaller, ckoPaymentId: string): Promise<MoneyPlanView> {
  const payment = await findShopPayment(caller.shopId, ckoPaymentId);
  let plan: MoneyPlan | null;
  try {
    plan = await planMoneyActions(caller.shopId, payment.id);
  } catch (error) {
    throw shopifyUnavailable(error);
  }
  if (!plan) throw new ZendeskApiError(404, "not_found", `This store has no Checkout.com payment ${ckoPaymentId}.`);
  return {
    via: plan.via,
    directReason: plan.directReason,
    orderName: plan.order?.name ?? payment.orderLink?.orderName ?? null,
    currency: plan.currency,
    refundable: { checkout: plan.checkout.refundable, shopify: plan.shopify?.refundable ?? null, limit: plan.limits.refundable },
    canVoid: plan.limits.voidable,
  };
}
