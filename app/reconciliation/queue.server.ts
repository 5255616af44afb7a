// Queuing the order check (check.server.ts) of one payment, and starting the daily sweep
// (sweep.server.ts) and payout import (payouts.server.ts). Kept apart from them so the event path
// (app/payments, app/disputes, app/holds matching) and Shopify's authentication (app/shopify.server.ts,
// which the check reaches through the Admin API client, and the jobs through the plan check) import
// only this and the queue.
import { randomUUID } from "node:crypto";
import { rawSql } from "../db.server";
import { transactionMemo, type RawSql } from "../lib/prepared-sql.server";
import { scheduleDailyJob } from "../queue/daily.server";
import { JOB_KINDS } from "../queue/jobs.server";

/**
 * How long after a change the check runs: Shopify's Checkout.com payments app records a capture or
 * refund on the order some time after Checkout.com made it, so an immediate check would report a
 * difference that is only in flight.
 */
export const CHECK_DELAY_MS = 2 * 60_000;

/** Per transaction: the payments whose check it queued ("<shop>|<payment>"). */
const checksQueuedIn = transactionMemo();

/**
 * Queues the check of a payment against its order, CHECK_DELAY_MS after its latest change. `cause` (an
 * event id, "linked" when matched to its order, or "sweep:<day>") is kept in the payload as the latest
 * reason. Checks coalesce: a payment has one waiting check at most, its job keyed by the payment's id.
 * A waiting check takes the change (a burst of events is one check, two minutes after the last); a
 * finished one is queued again. A running check may have read the payment before this change, so its
 * row moves to another key (its lease and completion go by id) and a fresh check waits under the
 * payment's. Pass the caller's `tx` so it is queued exactly when its cause commits.
 */
export async function queueReconciliationCheck(shopId: string, paymentId: string, cause: string, options: { tx?: RawSql; now?: Date } = {}): Promise<void> {
  // A transaction queues a payment's check once: in an event batch its link and its capture come
  // moments apart, and the second upsert would only rewrite the job row.
  const client = options.tx ?? rawSql();
  const queued = checksQueuedIn(client);
  if (queued?.has(`${shopId}|${paymentId}`)) return;
  const now = options.now ?? new Date();
  const runAt = new Date(now.getTime() + CHECK_DELAY_MS);
  const kind = JOB_KINDS.reconciliationCheck;
  const queue = () => client.$executeRaw`
    INSERT INTO "Job" ("id", "shopId", "kind", "key", "payload", "runAt", "createdAt")
    VALUES (${randomUUID()}, ${shopId}, ${kind}, ${paymentId}, ${JSON.stringify({ paymentId, cause })}, ${runAt}, ${new Date()})
    ON CONFLICT ("shopId", "kind", "key") DO UPDATE SET
      "payload" = excluded."payload",
      "runAt" = CASE WHEN "Job"."status" = 'pending' AND "Job"."runAt" > excluded."runAt" THEN "Job"."runAt" ELSE excluded."runAt" END,
      "attempts" = CASE WHEN "Job"."status" = 'pending' THEN "Job"."attempts" ELSE 0 END,
      "lastError" = CASE WHEN "Job"."status" = 'pending' THEN "Job"."lastError" ELSE NULL END,
      "status" = 'pending',
      "completedAt" = NULL
    WHERE "Job"."status" <> 'processing'`;
  // Nothing changed only when the payment's check is running: it moves aside, then the fresh one is
  // queued. A second round is needed only if a worker claimed the waiting check between the two.
  while ((await queue()) === 0) {
    await client.$executeRaw`
      UPDATE "Job" SET "key" = "key" || ':' || "id"
      WHERE "shopId" = ${shopId} AND "kind" = ${kind} AND "key" = ${paymentId} AND "status" = 'processing'`;
  }
  queued?.add(`${shopId}|${paymentId}`);
}

/** Starts the shop's daily sweep unless one is waiting (after every Shopify authentication, app/shopify.server.ts). */
export function scheduleReconciliationSweep(shopId: string, now = new Date()): Promise<void> {
  return scheduleDailyJob(shopId, JOB_KINDS.reconciliationSweep, now);
}

/** Starts the shop's daily payout import unless one is waiting (after every Shopify authentication, app/shopify.server.ts). */
export function schedulePayoutImport(shopId: string, now = new Date()): Promise<void> {
  return scheduleDailyJob(shopId, JOB_KINDS.payoutImport, now);
}
