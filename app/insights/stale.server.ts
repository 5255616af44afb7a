// What changed for Insights' daily roll-ups (rollup.server.ts): each write to a payment, dispute or hold
// marks the UTC hour of the time that places it on a day (a payment's creation, a dispute's receipt, a
// hold's decision), in the writer's transaction, and queues the shop's roll-up job for the end of the
// minute. It runs for every processed event, so it costs one raw insert of a row of its own (never an
// update of a shared row: concurrent PostgreSQL workers must not wait on each other), and a worker's
// batch marks an hour and queues the job once.
import type { Dispute, Payment } from "@prisma/client";
import { transactionMemo, type RawSql } from "../lib/prepared-sql.server";
import { insertIfAbsent, selectOne } from "../lib/sql.server";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";

/** The UTC hour a mark keeps: "2026-12-06T14". */
export const utcHour = (at: Date) => at.toISOString().slice(0, 13);

/** Per transaction: the "<shop>|<hour>" marks it wrote, and the shops whose job it queued. */
const markedIn = transactionMemo();

/** The roll-up job runs 30 s after the minute of the change, so the minute's transactions have committed. */
const JOB_DELAY_MS = 30_000;

/**
 * Marks the hour of `at` as changed for the shop's roll-ups and queues the roll-up job. `tx` is the
 * writer's transaction, or `rawSql()` / `db()` after a write outside one.
 */
export async function markInsightsStale(tx: RawSql, shopId: string, at: Date): Promise<void> {
  // Only a prepared transaction's marks are remembered (until a savepoint of it rolls back).
  const marked = markedIn(tx);
  const hour = utcHour(at);
  if (!marked?.has(`${shopId}|${hour}`)) {
    // A fresh id never conflicts: a plain insert.
    await insertIfAbsent(tx, "InsightStaleHour", { shopId, hour }, ["id"]);
    marked?.add(`${shopId}|${hour}`);
  }
  await queueInsightsRollup(tx, shopId);
}

/**
 * Queues the shop's roll-up job for this minute, once per transaction. Event processing does it before
 * it locks a payment (app/events/handlers.server.ts): the job's row is the one row every writer of
 * the minute shares, and on PostgreSQL the transaction that inserted it holds it until it commits, so
 * another batch waiting for it while holding a payment the first one needs was a deadlock.
 */
export async function queueInsightsRollup(tx: RawSql, shopId: string): Promise<void> {
  const queued = markedIn(tx);
  if (queued?.has(shopId)) return;
  const now = Date.now();
  const minute = new Date(now - (now % 60_000));
  const runAt = new Date(minute.getTime() + 60_000 + JOB_DELAY_MS);
  await enqueueJob(shopId, JOB_KINDS.insightsRollup, minute.toISOString().slice(0, 16), {}, { tx, runAt });
  queued?.add(shopId);
}

/** The payment's facts its hold's and its disputes' roll-up rows show (their currency, amount, country). */
const SHARED_FACTS = ["amount", "currency", "billingCountry", "shippingCountry", "cardCountry"] as const satisfies ReadonlyArray<keyof Payment>;

/**
 * A payment was written, from `before` to `after`: its own day changed and, when a fact its hold and
 * disputes show of it changed, theirs (decided or received on other days than it was created).
 */
export async function markPaymentStale(tx: RawSql, before: Payment, after: Partial<Payment>): Promise<void> {
  await markInsightsStale(tx, before.shopId, before.createdAt);
  if (!SHARED_FACTS.some((fact) => fact in after && after[fact] !== before[fact])) return;
  const dependents = await tx.$queryRaw<Array<{ at: Date | string }>>`
    SELECT "decidedAt" AS "at" FROM "Hold" WHERE "shopId" = ${before.shopId} AND "paymentId" = ${before.id}
    UNION ALL
    SELECT COALESCE("receivedOn", "createdAt") AS "at" FROM "Dispute" WHERE "shopId" = ${before.shopId} AND "paymentId" = ${before.id}`;
  for (const { at } of dependents) await markInsightsStale(tx, before.shopId, new Date(at));
}

type DisputeTimes = Pick<Dispute, "receivedOn" | "createdAt">;

/** The time that places a dispute on a day: when it was received, else when the app first saw it. */
export const disputeTime = (dispute: DisputeTimes) => dispute.receivedOn ?? dispute.createdAt;

/** A dispute was written, from `before` (null: new) to `after`: its day, and the day it left if its receipt moved it. */
export async function markDisputeStale(tx: RawSql, shopId: string, before: DisputeTimes | null, after: DisputeTimes): Promise<void> {
  await markInsightsStale(tx, shopId, disputeTime(after));
  if (before && utcHour(disputeTime(before)) !== utcHour(disputeTime(after))) await markInsightsStale(tx, shopId, disputeTime(before));
}

/** A payment's hold was written by someone who knows only the payment (a cancellation from Zendesk). */
export async function markHoldOfPaymentStale(client: RawSql, shopId: string, paymentId: string): Promise<void> {
  const hold = await selectOne(client, "Hold", { shopId, paymentId });
  if (hold) await markInsightsStale(client, shopId, hold.decidedAt);
}
