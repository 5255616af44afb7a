// The daily reconciliation sweep: once a day per shop, each payment of the last 60 days that has a
// Shopify order is compared with the local copy of its order's transactions (app/orders/
// order-transactions.server.ts), so a difference no event revealed (a refund recorded by hand on the
// order, a check that could not run) is still found within a day. Only the payments whose comparison is
// in doubt get a check (check.server.ts), which reads the order from Shopify and stores what differs; a
// payment that agrees and has nothing unresolved costs no write. A page of payments per job; the day's
// progress is kept as a ReconciliationSweep row (the Home card's "last sweep"). The last page also looks
// for orders paid through Checkout.com's gateway that no payment accounts for (orders-without-payment).
import { z } from "zod";
import { planRefusal } from "../billing/billing.server";
import { db, rawSql } from "../db.server";
import { queueNextDay, startOf } from "../queue/daily.server";
import { enqueueJob, JOB_KINDS, type JobHandler } from "../queue/jobs.server";
import { agreeingWithLocalCopy, CHECKOUT_VIEW_COLUMNS, UNRESOLVED_COLUMN, type LocallyCompared } from "./check.server";
import { checkOrdersWithoutPayment } from "./orders-without-payment.server";
import { queueReconciliationCheck } from "./queue.server";

/** Payments per page (one job: two reads, then one transaction that queues the page's suspects). */
export const SWEEP_PAGE_SIZE = 2_000;
/** How far back a payment is swept, by when Checkout.com processed it (or, unknown that, when it was recorded). */
const SWEEP_WINDOW_DAYS = 60;
const DAY_MS = 86_400_000;

/** Where a page starts: after this order link (pages go by order, then payment). */
type PagePosition = { orderGid: string; paymentId: string };

/**
 * The page's payments with an order, their Checkout.com view and whether they have unresolved issues,
 * in one statement. Pages go by the order links' (shop, order) index: by payment id, SQLite (keeping no
 * statistics) would sort all of the shop's payments for every page.
 */
async function paymentsOfPage(shopId: string, since: Date, after: PagePosition | null): Promise<LocallyCompared[]> {
  return await rawSql().$queryRaw<LocallyCompared[]>`
    SELECT p."id", p."ckoPaymentId", p."reference", l."orderGid", ${CHECKOUT_VIEW_COLUMNS}, ${UNRESOLVED_COLUMN}
    FROM "OrderLink" l JOIN "Payment" p ON p."id" = l."paymentId" AND p."shopId" = l."shopId"
    WHERE l."shopId" = ${shopId} AND (l."orderGid", l."paymentId") > (${after?.orderGid ?? ""}, ${after?.paymentId ?? ""})
      AND (p."processedOn" >= ${since} OR (p."processedOn" IS NULL AND p."createdAt" >= ${since}))
    ORDER BY l."orderGid", l."paymentId"
    LIMIT ${SWEEP_PAGE_SIZE}`;
}

/** The payments whose local comparison is in doubt (agreeingWithLocalCopy: all but those that agree). */
async function suspects(shopId: string, payments: LocallyCompared[]): Promise<LocallyCompared[]> {
  const agreeing = await agreeingWithLocalCopy(rawSql(), shopId, payments);
  return payments.filter((payment) => !agreeing.has(payment.id));
}

/**
 * Sweeps one page of the day's payments (those after `after`): queues the check of its suspects and
 * records the sweep's progress; a full page queues the next one as its own job. Returns how many
 * payments it went through.
 */
export async function sweepPage(shopId: string, day: string, page: number, after: PagePosition | null, now = new Date()): Promise<number> {
  // From the day, not the clock, so every page of a day sweeps the same window.
  const since = new Date(startOf(day).getTime() - SWEEP_WINDOW_DAYS * DAY_MS);
  const payments = await paymentsOfPage(shopId, since, after);
  const toCheck = await suspects(shopId, payments);
  const more = payments.length === SWEEP_PAGE_SIZE;
  // The pages before were full: the count is set, not added, so a page run twice counts once.
  const checked = page * SWEEP_PAGE_SIZE + payments.length;
  const finishedAt = more ? null : now;
  await db().$transaction(
    async (tx) => {
      for (const { id } of toCheck) await queueReconciliationCheck(shopId, id, `sweep:${day}`, { tx, now });
      if (more) {
        const next = page + 1;
        const last = payments.at(-1)!;
        const position: PagePosition = { orderGid: last.orderGid, paymentId: last.id };
        await enqueueJob(shopId, JOB_KINDS.reconciliationSweep, `${day}:page:${next}`, { day, page: next, after: position }, { tx });
      }
      await tx.reconciliationSweep.upsert({
        where: { shopId_day: { shopId, day } },
        create: { shopId, day, checked, startedAt: now, finishedAt },
        update: { checked, finishedAt, ...(page === 0 ? { startedAt: now } : {}) },
      });
    },
    // A page may queue a check for each of its payments (the first sweep of orders with no local copy
    // yet): thousands of statements, past Prisma's 5 s default on a busy PostgreSQL (seen in CI).
    { timeout: 60_000 },
  );
  // The last page: the orders of the window that Shopify shows paid through Checkout.com with no payment here.
  if (!more) await checkOrdersWithoutPayment(shopId, { since, now });
  return payments.length;
}

const nextPagePayload = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  page: z.number().int().positive(),
  after: z.object({ orderGid: z.string().min(1), paymentId: z.string().min(1) }),
});

/**
 * `reconciliation_sweep`: key the UTC day (the first page, which queues the next day's sweep before it
 * works), then "<day>:page:<n>" with payload { day, page, after: { orderGid, paymentId } }. A shop whose
 * plan lacks reconciliation is not swept; the next day's run is still queued, so a plan that gains it
 * is swept from then on.
 */
export const reconciliationSweepJob: JobHandler = async (job) => {
  const first = !job.key.includes(":page:");
  if (first) await queueNextDay(job.shopId, JOB_KINDS.reconciliationSweep);
  if (await planRefusal(job.shopId, "reconciliation")) return;
  if (first) {
    await sweepPage(job.shopId, job.key, 0, null);
    return;
  }
  const { day, page, after } = nextPagePayload.parse(job.payload);
  await sweepPage(job.shopId, day, page, after);
};
