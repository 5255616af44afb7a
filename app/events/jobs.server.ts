// Follow-up work that must survive a crash (order matching, holds, dispute sync). Enqueueing is
// idempotent: the same (shop, kind, key) is one job, however often it is enqueued. The worker
// (worker.server.ts) runs jobs whose kind has a handler in job-handlers.server.ts.
import { db, type Tx } from "../db.server";
import { insertIfAbsent } from "../lib/sql.server";

/** The kinds enqueued today, and by whom. */
export const JOB_KINDS = {
  /** A Shopify order was created (webhooks.orders.create): match it to waiting payments. Key: order GID. */
  orderCreated: "order_created",
  /** A payment changed (payment_* events): match its order, apply the risk rules, hold. Key: Payment.id. */
  paymentReview: "payment_review",
  /** A dispute changed (dispute_* events): refresh it and its evidence. Key: "<dispute id>:<event id>". */
  disputeSync: "dispute_sync",
  /** Hourly per shop while automatic evidence submission is on (app/disputes/auto-submit). Key: the hour. */
  disputeAutoSubmit: "dispute_auto_submit",
  /** A Shopify Flow trigger to send (app/flow/triggers.server queueFlowTrigger). Key: "<trigger>:<cause id>". */
  flowTrigger: "flow_trigger",
} as const;

export interface QueuedJob {
  id: string;
  shopId: string;
  kind: string;
  key: string;
  payload: unknown;
  /** Attempts including this one. */
  attempts: number;
}

/** Does the work of one job. Throwing retries it with backoff; it must be safe to run twice. */
export type JobHandler = (job: QueuedJob) => Promise<void>;

/** Queues a job once per (shop, kind, key). True when it was new. */
export async function enqueueJob(
  shopId: string,
  kind: string,
  key: string,
  payload: unknown = {},
  options: { runAt?: Date; tx?: Tx } = {},
): Promise<boolean> {
  // A raw insert: this runs for every processed event, where a typed upsert costs ten times more.
  return insertIfAbsent(
    options.tx ?? db(),
    "Job",
    { shopId, kind, key, payload: JSON.stringify(payload), runAt: options.runAt ?? new Date() },
    ["shopId", "kind", "key"],
  );
}
