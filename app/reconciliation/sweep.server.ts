// The daily reconciliation sweep: once a day per shop, a check (check.server.ts) of each payment of the
// last 60 days that has a Shopify order, so a difference no event revealed (a refund recorded by hand on
// the order, a check that could not run) is still found within a day. A page of payments per job; the
// day's progress is kept as a ReconciliationSweep row (the Home card's "last sweep").
import { z } from "zod";
import { db } from "../db.server";
import { queueNextDay, scheduleDailyJob, startOf } from "../queue/daily.server";
import { enqueueJob, JOB_KINDS, type JobHandler } from "../queue/jobs.server";
import { queueReconciliationCheck } from "./queue.server";

/** Payments per page (one job, one transaction). */
export const SWEEP_PAGE_SIZE = 500;
/** How far back a payment is swept, by when Checkout.com processed it (or, unknown that, when it was recorded). */
const SWEEP_WINDOW_DAYS = 60;
const DAY_MS = 86_400_000;

/** Starts the shop's daily sweep unless one is waiting (after every Shopify authentication, app/shopify.server.ts). */
export function scheduleReconciliationSweep(shopId: string, now = new Date()): Promise<void> {
  return scheduleDailyJob(shopId, JOB_KINDS.reconciliationSweep, now);
}

/**
 * Queues the check of one page of the day's payments (those after `after`, by id) and records the
 * sweep's progress; a full page queues the next one as its own job. Returns how many it queued.
 */
export async function sweepPage(shopId: string, day: string, page: number, after: string | null, now = new Date()): Promise<number> {
  // From the day, not the clock, so every page of a day sweeps the same window.
  const since = new Date(startOf(day).getTime() - SWEEP_WINDOW_DAYS * DAY_MS);
  const payments = await db().payment.findMany({
    where: {
      shopId,
      ...(after ? { id: { gt: after } } : {}),
      orderLink: { isNot: null },
      OR: [{ processedOn: { gte: since } }, { processedOn: null, createdAt: { gte: since } }],
    },
    orderBy: { id: "asc" },
    select: { id: true },
    take: SWEEP_PAGE_SIZE,
  });
  const more = payments.length === SWEEP_PAGE_SIZE;
  // The pages before were full: the count is set, not added, so a page run twice counts once.
  const checked = page * SWEEP_PAGE_SIZE + payments.length;
  const finishedAt = more ? null : now;
  await db().$transaction(async (tx) => {
    for (const { id } of payments) await queueReconciliationCheck(shopId, id, `sweep:${day}`, { tx, now });
    if (more) {
      const next = page + 1;
      await enqueueJob(shopId, JOB_KINDS.reconciliationSweep, `${day}:page:${next}`, { day, page: next, after: payments.at(-1)!.id }, { tx });
    }
    await tx.reconciliationSweep.upsert({
      where: { shopId_day: { shopId, day } },
      create: { shopId, day, checked, startedAt: now, finishedAt },
      update: { checked, finishedAt, ...(page === 0 ? { startedAt: now } : {}) },
    });
  });
  return payments.length;
}

const nextPagePayload = z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), page: z.number().int().positive(), after: z.string().min(1) });

/**
 * `reconciliation_sweep`: key the UTC day (the first page, which queues the next day's sweep before it
 * works), then "<day>:page:<n>" with payload { day, page, after }.
 */
export const reconciliationSweepJob: JobHandler = async (job) => {
  if (!job.key.includes(":page:")) {
    await queueNextDay(job.shopId, JOB_KINDS.reconciliationSweep);
    await sweepPage(job.shopId, job.key, 0, null);
    return;
  }
  const { day, page, after } = nextPagePayload.parse(job.payload);
  await sweepPage(job.shopId, day, page, after);
};
