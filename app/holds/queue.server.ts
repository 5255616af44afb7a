// The review queue's reads: the list (filters, sorting, pages) and one hold in full. Every query is
// scoped to the reviewer's shop; what leaves here is plain data for the browser, no secrets. Amounts
// leave in minor units with their currency, and labels as ids: the page says them in the staff member's language.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { auditTrail } from "../audit/audit.server";
import { db } from "../db.server";
import { ruleHitsOf } from "./holds.server";
import type { RiskRulesConfig } from "./rules";
import { UNDECIDED_HOLD_STATUSES } from "./status-badges";
import { orderAdminUrl, orderLegacyId } from "../shopify/admin-urls";
import { customerPicture } from "./customer-picture.server";

const PAGE_SIZE = 50;

/** The queue's status filters (each named on the page by its key, holds:queue.statusFilter.<key>). */
export const STATUS_FILTERS = {
  open: { statuses: ["pending", "held", "failed"] },
  monitored: { statuses: ["monitored"] },
  released: { statuses: ["released"] },
  canceled: { statuses: ["canceled"] },
  all: { statuses: null },
} as const;

/** The queue's sort orders (each named on the page by its key, holds:queue.sort.<key>). */
export const SORTS = {
  newest: { orderBy: { decidedAt: "desc" } },
  oldest: { orderBy: { decidedAt: "asc" } },
  amount_desc: { orderBy: { payment: { amount: "desc" } } },
  amount_asc: { orderBy: { payment: { amount: "asc" } } },
  score_desc: { orderBy: { payment: { riskScore: { sort: "desc", nulls: "last" } } } },
  order_age: { orderBy: { payment: { createdAt: "asc" } } },
} as const satisfies Record<string, { orderBy: Prisma.HoldOrderByWithRelationInput }>;

export const STATUS_FILTER_KEYS = Object.keys(STATUS_FILTERS) as Array<keyof typeof STATUS_FILTERS>;
export const SORT_KEYS = Object.keys(SORTS) as Array<keyof typeof SORTS>;

const queueFiltersSchema = z.object({
  status: z.enum(STATUS_FILTER_KEYS as [keyof typeof STATUS_FILTERS]).catch("open"),
  confidence: z.enum(["any", "weak", "strong"]).catch("any"),
  q: z.string().trim().max(200).catch(""),
  sort: z.enum(SORT_KEYS as [keyof typeof SORTS]).catch("newest"),
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
      amountMinor: h.payment.amount,
      currency: h.payment.currency,
      assignee: h.assigneeName,
      assignedToMe: context.userId !== null && h.assigneeUserId === context.userId,
      orderedAt: h.payment.createdAt.toISOString(),
      shipBy: shipByState(h, h.payment.createdAt, context.shipBy, now),
      /** Null: the page says the customer is unknown. */
      customer: h.payment.customerName ?? h.payment.customerEmail ?? null,
      email: h.payment.customerEmail,
      riskScore: h.payment.riskScore,
      rules: ruleHitsOf(h).map((hit) => hit.rule),
      weakMatch: h.payment.orderLink?.confidence === "weak",
      decidedAt: h.decidedAt.toISOString(),
    })),
  };
}

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
  const [trail, picture] = await Promise.all([auditTrail(shopId, { orderGid: hold.orderGid, paymentId: hold.paymentId }), customerPicture(shopId, payment)]);
  const link = payment.orderLink;
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
          /** A MatchMethod or "manual" (the page names it). */
          method: link.matchedBy,
          confidence: link.confidence,
          needsReview: link.needsReview,
        }
      : null,
    payment: {
      ckoPaymentId: payment.ckoPaymentId,
      /** Minor units, in `currency`. */
      amount: payment.amount,
      currency: payment.currency,
      status: payment.status,
      riskScore: payment.riskScore,
      riskFlagged: payment.riskFlagged,
      customerName: payment.customerName,
      customerEmail: payment.customerEmail,
      ckoCustomerId: payment.ckoCustomerId,
      /** The page names the card ("Visa •••• 4242"). */
      cardScheme: payment.cardScheme,
      cardLast4: payment.cardLast4,
      hasCardFingerprint: Boolean(payment.cardFingerprint),
      cardCountry: payment.cardCountry,
      billingCountry: payment.billingCountry,
      shippingCountry: payment.shippingCountry,
      ipAddress: payment.ipAddress,
    },
    // As recorded: the page describes each in words (an amount rule's figures are minor units of the payment's currency).
    hits: hits.map((hit) => ({
      rule: hit.rule,
      value: hit.value,
      threshold: hit.threshold ?? null,
      subject: hit.subject ?? null,
      hours: hit.hours ?? null,
    })),
    timeline: payment.activities.map((a) => ({
      id: a.id,
      type: a.type,
      summary: a.summary,
      actor: a.actor,
      /** Minor units in `currency`, or null. */
      amount: a.amount !== null && a.currency ? a.amount : null,
      currency: a.currency,
      at: a.occurredAt.toISOString(),
    })),
    moneyActions: payment.moneyActions.map((m) => ({
      id: m.id,
      kind: m.kind,
      status: m.status,
      /** Minor units in `currency`, or null. */
      amount: m.amount,
      currency: m.currency,
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
