// The review queue's reads: the list (filters, sorting, pages) and one hold in full. Every query is
// scoped to the reviewer's shop; what leaves here is plain data for the browser, no secrets.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { auditTrail } from "../audit/audit.server";
import { db } from "../db.server";
import { formatMoney } from "../lib/money";
import { describeHits, ruleHitsOf } from "./holds.server";
import { MATCH_METHOD_LABELS, type MatchMethod } from "./matching";
import type { RiskRulesConfig, RuleId } from "./rules";
import { cardLabel } from "../payments/card";
import { UNDECIDED_HOLD_STATUSES } from "./status-badges";
import { orderAdminUrl, orderLegacyId } from "../shopify/admin-urls";
import { customerPicture } from "./customer-picture.server";

const PAGE_SIZE = 50;

export const STATUS_FILTERS = {
  open: { label: "Needs review", statuses: ["pending", "held", "failed"] },
  monitored: { label: "Monitor-only", statuses: ["monitored"] },
  released: { label: "Released", statuses: ["released"] },
  canceled: { label: "Canceled", statuses: ["canceled"] },
  all: { label: "All", statuses: null },
} as const;

export const SORTS = {
  newest: { label: "Newest first", orderBy: { decidedAt: "desc" } },
  oldest: { label: "Oldest first", orderBy: { decidedAt: "asc" } },
  amount_desc: { label: "Amount, high to low", orderBy: { payment: { amount: "desc" } } },
  amount_asc: { label: "Amount, low to high", orderBy: { payment: { amount: "asc" } } },
  score_desc: { label: "Risk score, high to low", orderBy: { payment: { riskScore: { sort: "desc", nulls: "last" } } } },
  order_age: { label: "Order age, oldest first (ship-by soonest)", orderBy: { payment: { createdAt: "asc" } } },
} as const satisfies Record<string, { label: string; orderBy: Prisma.HoldOrderByWithRelationInput }>;

const queueFiltersSchema = z.object({
  status: z.enum(Object.keys(STATUS_FILTERS) as [keyof typeof STATUS_FILTERS]).catch("open"),
  confidence: z.enum(["any", "weak", "strong"]).catch("any"),
  q: z.string().trim().max(200).catch(""),
  sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS]).catch("newest"),
  assignee: z.enum(["any", "me", "unassigned"]).catch("any"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export type QueueFilters = z.infer<typeof queueFiltersSchema>;

export function queueFiltersFrom(url: URL): QueueFilters {
  return queueFiltersSchema.parse({
    status: url.searchParams.get("status") ?? undefined,
    confidence: url.searchParams.get("confidence") ?? undefined,
    q: url.searchParams.get("q") ?? undefined,
    sort: url.searchParams.get("sort") ?? undefined,
    assignee: url.searchParams.get("assignee") ?? undefined,
    page: url.searchParams.get("page") ?? undefined,
  });
}

/** Where a hold's order stands against the merchant's ship-by time (only undecided holds are due). */
export type ShipByState = "due_soon" | "overdue" | null;

const HOUR_MS = 3_600_000;

/** The order's time is the payment's: Checkout.com reports it as the order is placed. */
function shipByState(hold: { status: string }, orderedAt: Date, shipBy: RiskRulesConfig["shipBy"], now: Date): ShipByState {
  if (shipBy.hours === null || !UNDECIDED_HOLD_STATUSES.includes(hold.status)) return null;
  const due = orderedAt.getTime() + shipBy.hours * HOUR_MS;
  if (now.getTime() >= due) return "overdue";
  return now.getTime() >= due - shipBy.warningHours * HOUR_MS ? "due_soon" : null;
}

/** The reviewer reading the queue (for "assigned to me") and the shop's ship-by time. */
export interface QueueContext {
  userId: string | null;
  shipBy: RiskRulesConfig["shipBy"];
  now?: Date;
}

/**
 * Undecided holds whose order is due to ship within the warning time, or past it: the queue's banner.
 * Counted on the payment's createdAt (indexed with the shop), the time the order was paid.
 */
export async function countDueToShip(shopId: string, shipBy: RiskRulesConfig["shipBy"], now = new Date()) {
  if (shipBy.hours === null) return { dueSoon: 0, overdue: 0 };
  const dueAt = (hoursAhead: number) => new Date(now.getTime() - (shipBy.hours! - hoursAhead) * HOUR_MS);
  const base = { shopId, status: { in: [...UNDECIDED_HOLD_STATUSES] } };
  const [soonOrOver, overdue] = await Promise.all([
    db().hold.count({ where: { ...base, payment: { createdAt: { lte: dueAt(shipBy.warningHours) } } } }),
    db().hold.count({ where: { ...base, payment: { createdAt: { lte: dueAt(0) } } } }),
  ]);
  return { dueSoon: soonOrOver - overdue, overdue };
}

export async function listHolds(shopId: string, filters: QueueFilters, context: QueueContext) {
  const statuses = STATUS_FILTERS[filters.status].statuses;
  const now = context.now ?? new Date();
  const where: Prisma.HoldWhereInput = {
    shopId,
    ...(statuses ? { status: { in: [...statuses] } } : {}),
    ...(filters.assignee === "me" ? { assigneeUserId: context.userId ?? "-" } : filters.assignee === "unassigned" ? { assigneeUserId: null } : {}),
    ...(filters.confidence !== "any" ? { payment: { orderLink: { confidence: filters.confidence } } } : {}),
    ...(filters.q
      ? {
          OR: [
            { orderName: { contains: filters.q } },
            { payment: { customerEmail: { contains: filters.q.toLowerCase() } } },
            { payment: { customerName: { contains: filters.q } } },
            { payment: { ckoPaymentId: filters.q } },
          ],
        }
      : {}),
  };
  const [total, rows] = await Promise.all([
    db().hold.count({ where }),
    db().hold.findMany({
      where,
      include: { payment: { include: { orderLink: true } } },
      orderBy: [SORTS[filters.sort].orderBy, { id: "asc" }],
      skip: (filters.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
    }),
  ]);
  return {
    total,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    holds: rows.map((h) => ({
      id: h.id,
      status: h.status,
      orderName: h.orderName ?? orderLegacyId(h.orderGid),
      orderUrl: orderAdminUrl(h.orderGid),
      amount: formatMoney(h.payment.amount, h.payment.currency),
      amountMinor: h.payment.amount,
      currency: h.payment.currency,
      assignee: h.assigneeName,
      assignedToMe: context.userId !== null && h.assigneeUserId === context.userId,
      orderedAt: h.payment.createdAt.toISOString(),
      shipBy: shipByState(h, h.payment.createdAt, context.shipBy, now),
      customer: h.payment.customerName ?? h.payment.customerEmail ?? "Unknown customer",
      email: h.payment.customerEmail,
      riskScore: h.payment.riskScore,
      rules: ruleHitsOf(h).map((hit) => hit.rule),
      weakMatch: h.payment.orderLink?.confidence === "weak",
      decidedAt: h.decidedAt.toISOString(),
    })),
  };
}

export const RULE_LABELS: Record<RuleId, string> = {
  flagged: "Flagged by Checkout.com",
  risk_score: "Risk score",
  amount: "Amount",
  billing_shipping_country: "Billing vs shipping country",
  ip_country: "IP country vs shipping",
  card_country: "Card country vs shipping",
  deny_email: "Email on deny list",
  deny_card_fingerprint: "Card on deny list",
  deny_bin: "BIN on deny list",
  deny_customer: "Customer on deny list",
  velocity_payments: "Many payments in a short time",
  velocity_cards: "Many cards in a short time",
  avs_no_match: "Address check (AVS) no match",
  cvv_no_match: "Security code (CVV) no match",
  three_ds: "3-D Secure outcome",
  prior_chargeback: "Earlier chargeback",
  prior_refund: "Earlier refund",
  early_warning: "Early warning from the issuer",
};

/** One hold with everything the detail page shows, or null if it is not this shop's. */
export async function holdDetail(shopId: string, holdId: string) {
  const hold = await db().hold.findFirst({
    where: { id: holdId, shopId },
    include: {
      payment: {
        include: {
          orderLink: true,
          activities: { orderBy: { occurredAt: "desc" }, take: 100 },
          moneyActions: { orderBy: { createdAt: "desc" } },
        },
      },
    },
  });
  if (!hold) return null;
  const { payment } = hold;
  const hits = ruleHitsOf(hold);
  const descriptions = describeHits(hits, payment.currency);
  const [trail, picture] = await Promise.all([auditTrail(shopId, { orderGid: hold.orderGid, paymentId: hold.paymentId }), customerPicture(shopId, payment)]);
  const link = payment.orderLink;
  // Amount rules compare minor units; people read money.
  const shown = (v: string | number | boolean, rule: RuleId) => (rule === "amount" ? formatMoney(Number(v), payment.currency) : String(v));
  return {
    id: hold.id,
    paymentId: hold.paymentId,
    status: hold.status,
    monitorOnly: hold.monitorOnly,
    note: hold.note,
    decidedAt: hold.decidedAt.toISOString(),
    heldAt: hold.heldAt?.toISOString() ?? null,
    resolvedAt: hold.resolvedAt?.toISOString() ?? null,
    resolvedBy: hold.resolvedBy,
    fulfillmentHolds: JSON.parse(hold.shopifyHoldIds).length as number,
    riskAssessmentDone: hold.riskAssessmentDone,
    tagged: hold.tagged,
    assignment: { userId: hold.assigneeUserId, name: hold.assigneeName, by: hold.assignedBy, at: hold.assignedAt?.toISOString() ?? null },
    picture,
    order: { name: hold.orderName ?? orderLegacyId(hold.orderGid), url: orderAdminUrl(hold.orderGid) },
    match: link
      ? {
          by: MATCH_METHOD_LABELS[link.matchedBy as MatchMethod] ?? link.matchedBy,
          confidence: link.confidence,
          needsReview: link.needsReview,
        }
      : null,
    payment: {
      ckoPaymentId: payment.ckoPaymentId,
      amount: formatMoney(payment.amount, payment.currency),
      status: payment.status,
      riskScore: payment.riskScore,
      riskFlagged: payment.riskFlagged,
      customerName: payment.customerName,
      customerEmail: payment.customerEmail,
      ckoCustomerId: payment.ckoCustomerId,
      card: cardLabel(payment.cardScheme, payment.cardLast4),
      hasCardFingerprint: Boolean(payment.cardFingerprint),
      cardCountry: payment.cardCountry,
      billingCountry: payment.billingCountry,
      shippingCountry: payment.shippingCountry,
      ipAddress: payment.ipAddress,
    },
    hits: hits.map((hit, i) => ({
      rule: hit.rule,
      label: RULE_LABELS[hit.rule],
      value: shown(hit.value, hit.rule),
      threshold: hit.threshold === undefined ? null : shown(hit.threshold, hit.rule),
      description: descriptions[i],
    })),
    timeline: payment.activities.map((a) => ({
      id: a.id,
      type: a.type,
      summary: a.summary,
      actor: a.actor,
      amount: a.amount !== null && a.currency ? formatMoney(a.amount, a.currency) : null,
      at: a.occurredAt.toISOString(),
    })),
    moneyActions: payment.moneyActions.map((m) => ({
      id: m.id,
      kind: m.kind,
      status: m.status,
      amount: m.amount !== null ? formatMoney(m.amount, m.currency) : null,
      requestedBy: m.requestedBy,
      error: m.error,
    })),
    audit: trail.map((e) => ({
      id: e.id,
      at: e.createdAt.toISOString(),
      actor: e.actor,
      action: e.action,
      result: e.result,
      error: e.error,
      details: JSON.parse(e.details) as Record<string, unknown>,
    })),
  };
}

export type HoldView = NonNullable<Awaited<ReturnType<typeof holdDetail>>>;
