// The inbox as the Events screen sees it: one shop's events, filtered and paged, one event with its
// raw payload, and replays. Every query is scoped to the shop. A replay puts an event back in the queue;
// handlers are idempotent, so replaying an event that was already applied changes nothing.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";
import { ConflictError, NotFoundError } from "../lib/errors";
import { WAITING_FOR_SHOPIFY } from "../queue/jobs.server";
import { pageParam, searchParam } from "../lib/list-params";
import { checkoutEventSchema, envelopeStyle } from "../webhooks/envelope";
import { isKnownEventType, KNOWN_EVENT_TYPES } from "../webhooks/event-types";
import { REMOVED_PAYLOAD, UNKNOWN_TYPES } from "./inbox-view";

export const EVENT_STATUSES = ["pending", "processing", "processed", "dead"] as const;
export const EVENTS_PAGE_SIZE = 50;

export const eventFiltersSchema = z.object({
  type: z
    .string()
    .optional()
    .transform((v) => (v && (v === UNKNOWN_TYPES || isKnownEventType(v)) ? v : undefined)),
  status: z
    .string()
    .optional()
    .transform((v) => ((EVENT_STATUSES as readonly string[]).includes(v ?? "") ? (v as (typeof EVENT_STATUSES)[number]) : undefined)),
  q: searchParam,
  page: pageParam,
});
export type EventFilters = z.infer<typeof eventFiltersSchema>;

export async function listEvents(shopId: string, filters: EventFilters) {
  const where: Prisma.WebhookEventWhereInput = {
    shopId,
    ...(filters.type === UNKNOWN_TYPES ? { type: { notIn: [...KNOWN_EVENT_TYPES] } } : filters.type ? { type: filters.type } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    // Exact ids: both are indexed, and partial ids are not what people paste.
    ...(filters.q ? { OR: [{ eventId: filters.q }, { ckoPaymentId: filters.q }] } : {}),
  };
  const [rows, deadCount, waitingForShopify] = await Promise.all([
    db().webhookEvent.findMany({
      where,
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      skip: (filters.page - 1) * EVENTS_PAGE_SIZE,
      take: EVENTS_PAGE_SIZE + 1,
      select: {
        id: true,
        eventId: true,
        type: true,
        status: true,
        attempts: true,
        ckoPaymentId: true,
        receivedAt: true,
        processedAt: true,
        lastError: true,
        skipped: true,
        connection: { select: { environment: true } },
      },
    }),
    db().webhookEvent.count({ where: { shopId, status: "dead" } }),
    // Follow-up work (payment reviews, holds, notes) that waits for the shop's Shopify access.
    db().job.count({ where: { shopId, status: "pending", lastError: { startsWith: WAITING_FOR_SHOPIFY } } }),
  ]);
  return {
    events: rows.slice(0, EVENTS_PAGE_SIZE).map(({ connection, ...e }) => ({ ...e, environment: connection.environment, known: isKnownEventType(e.type) })),
    hasNext: rows.length > EVENTS_PAGE_SIZE,
    deadCount,
    waitingForShopify,
  };
}

/** One event of this shop with its payload pretty-printed, or null. */
export async function getEvent(shopId: string, id: string) {
  const row = await db().webhookEvent.findFirst({ where: { id, shopId }, include: { connection: { select: { environment: true } } } });
  if (!row) return null;
  const { connection, ...event } = row;
  let pretty = event.payload;
  let envelope: string | null = null;
  try {
    const json = JSON.parse(event.payload) as unknown;
    pretty = JSON.stringify(json, null, 2);
    const parsed = checkoutEventSchema.safeParse(json);
    if (parsed.success) envelope = envelopeStyle(parsed.data);
  } catch {
    // Shown as received.
  }
  const ckoPaymentId = event.ckoPaymentId ?? null;
  const payment = ckoPaymentId ? await db().payment.findUnique({ where: { shopId_ckoPaymentId: { shopId, ckoPaymentId } }, select: { id: true } }) : null;
  return {
    ...event,
    pretty,
    envelope,
    payloadRemoved: event.payload === REMOVED_PAYLOAD,
    environment: connection.environment,
    known: isKnownEventType(event.type),
    paymentRowId: payment?.id ?? null,
  };
}

// Skipped is cleared: a replay after a switch of environment or channels acts on the event.
const REQUEUE = { status: "pending", attempts: 0, lastError: null, skipped: null, leaseOwner: null, leaseExpiresAt: null } as const;

/** Queues one event again. Not while a worker holds it. */
/** Queues one of the shop's events again; NotFoundError for another shop's, ConflictError while it runs. */
export async function replayEvent(shopId: string, id: string, actor: string): Promise<{ ok: true; message: string }> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.webhookEvent.updateMany({
      where: { id, shopId, status: { in: ["processed", "dead", "pending"] } },
      data: { ...REQUEUE, nextAttemptAt: new Date() },
    });
    if (!count) {
      const exists = await tx.webhookEvent.count({ where: { id, shopId } });
      if (exists) throw new ConflictError("This event is being processed right now. Try again in a moment.", { key: "eventBusy" });
      throw new NotFoundError("Event not found.", { key: "eventNotFound" });
    }
    await tx.auditLog.create({
      data: { shopId, actor, source: "admin", action: "event.replay", details: JSON.stringify({ webhookEventId: id }), result: "ok" },
    });
    return { ok: true, message: "Event queued for processing again." };
  });
}

/** Queues every dead-lettered event of this shop again. */
export async function replayDeadEvents(shopId: string, actor: string): Promise<number> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.webhookEvent.updateMany({ where: { shopId, status: "dead" }, data: { ...REQUEUE, nextAttemptAt: new Date() } });
    if (count)
      await tx.auditLog.create({ data: { shopId, actor, source: "admin", action: "event.replay_dead", details: JSON.stringify({ count }), result: "ok" } });
    return count;
  });
}
