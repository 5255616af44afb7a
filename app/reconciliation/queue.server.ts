// Queuing the order check (check.server.ts) of one payment. Kept apart from the check so the event path
// (app/payments, app/disputes, app/holds matching) imports only this and the queue.
import type { RawSql } from "../lib/prepared-sql.server";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";

/**
 * How long after a change the check runs: Shopify's Checkout.com payments app records a capture or
 * refund on the order some time after Checkout.com made it, so an immediate check would report a
 * difference that is only in flight.
 */
export const CHECK_DELAY_MS = 2 * 60_000;

/**
 * Queues the check of a payment against its order, once per `cause`: an event id, "linked" (matched to
 * its order) or "sweep:<day>". Pass the caller's `tx` so it is queued exactly when its cause commits.
 */
export function queueReconciliationCheck(shopId: string, paymentId: string, cause: string, options: { tx?: RawSql; now?: Date } = {}): Promise<boolean> {
  const now = options.now ?? new Date();
  return enqueueJob(
    shopId,
    JOB_KINDS.reconciliationCheck,
    `${paymentId}:${cause}`,
    { paymentId },
    { tx: options.tx, runAt: new Date(now.getTime() + CHECK_DELAY_MS) },
  );
}
