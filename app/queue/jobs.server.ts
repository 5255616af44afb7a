// Follow-up work that must survive a crash (order matching, holds, dispute sync). Enqueueing is
// idempotent: the same (shop, kind, key) is one job, however often it is enqueued. The worker
// (worker.server.ts) runs jobs whose kind has a handler in app/events/registry.server.ts.
import { rawSql } from "../db.server";
import type { RawSql } from "../lib/prepared-sql.server";
import { insertIfAbsent, updateWhere } from "../lib/sql.server";

/** The kinds enqueued today, and by whom. */
export const JOB_KINDS = {
  /** A Shopify order was created, or got new transaction ids (app/orders/order-webhooks.server): match it to waiting payments. Key: order GID, or "<GID>:transaction:<id>". */
  orderCreated: "order_created",
  /** Fill the shop's order index with its last 60 days of orders, a page per job (app/orders/backfill.server). Key: "install" or "reinstall:<when>", then ":page:<n>". */
  orderBackfill: "order_backfill",
  /** A payment changed (payment_* events): match its order, apply the risk rules, hold. Key: Payment.id. */
  paymentReview: "payment_review",
  /** The issuer's fraud report or retrieval request (app/holds/early-warnings.server): hold, or refund at once. Key: "<Payment.id>:<event type>". */
  earlyWarning: "early_warning",
  /** A dispute changed (dispute_* events): refresh it and its evidence. Key: "<dispute id>:<event id>". */
  disputeSync: "dispute_sync",
  /** Hourly per shop while automatic evidence submission or the "dispute evidence due soon" Flow trigger is on (app/disputes/deadlines.server): submits due evidence, queues the reminders. Key: the hour. */
  disputeDeadlines: "dispute_deadlines",
  /** A Shopify Flow trigger to send (app/flow/triggers.server queueFlowTrigger). Key: "<trigger>:<cause id>". */
  flowTrigger: "flow_trigger",
  /** A money action sent through Shopify: look at its transaction until the payments app answered. Key: "<action id>:<attempt>". */
  moneySettle: "money_settle",
  /** A refund or void that no action of ours asked for: find out where it came from. Key: the event id. */
  moneyElsewhere: "money_elsewhere",
  /** A staff note to append to a Shopify order's note, once. Key: what the note is about. */
  orderNote: "order_note",
  /** Import from Checkout.com when a connection is made (app/checkout/backfill.server): open disputes, then the payments of the last 30 days of orders, a page per job. Key: "connect:<connection id>:<keys>", then "<run>[:retry:<n>]:<phase>:page:<n>". */
  checkoutBackfill: "checkout_backfill",
  /** Register the shop's Checkout.com webhook workflow again (app/checkout/workflow.server), after a reinstall: the uninstall deleted it. Key: "reinstall:<when>". */
  webhookWorkflow: "webhook_workflow",
  /** Open the dispute's Zendesk ticket once (app/zendesk/dispute-tickets.server), queued by its first sync. Key: Dispute.id, or "<Dispute.id>:again:<when>" when the merchant asks for a new one. */
  disputeTicket: "dispute_ticket",
  /** A later dispute event's internal note on the dispute's Zendesk ticket (app/zendesk/dispute-tickets.server). Key: "<Dispute.id>:<event id>". */
  disputeTicketNote: "dispute_ticket_note",
  /** Daily per shop (app/shops/retention.server): applies the shop's data retention (docs/decisions/0015), then the next day's run follows. Key: the UTC day, e.g. "2026-12-05". */
  dataRetention: "data_retention",
  /** Compare a payment's money at Checkout.com with its Shopify order (app/reconciliation/check.server). Key: the Payment.id, one waiting per payment (app/reconciliation/queue.server). */
  reconciliationCheck: "reconciliation_check",
  /** Daily per shop (app/reconciliation/sweep.server): compares each recent payment with the local copy of its order and queues a check of those in doubt, a page per job, then the next day's sweep. Key: the UTC day, then "<day>:page:<n>". */
  reconciliationSweep: "reconciliation_sweep",
  /** Import the shop's new Checkout.com payouts from their reports (app/reconciliation/payouts.server): daily, and when a merchant asks. Key: the UTC day, or "now:<when>". */
  payoutImport: "payout_import",
  /** Bring the shop's Insights roll-ups up to date with what changed (app/insights/rollup.server), queued by the stale marks of a minute (app/insights/stale.server) to run 30 s after it. Key: the UTC minute, e.g. "2026-12-06T14:05"; or "rebuild:<zone>:<last rebuild>" for a large shop's whole rebuild, queued by a refresh or after authentication. */
  insightsRollup: "insights_rollup",
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

/** The start of the lastError of jobs waiting for the shop's Shopify access (the Events screen counts them). */
export const WAITING_FOR_SHOPIFY = "Waiting for Shopify access";

/**
 * Thrown by a job that cannot run until something outside it changes (the shop's Shopify access is
 * back): it is tried again after `retryInMs` without using up an attempt, so waiting never dead-letters it.
 */
export class JobMustWait extends Error {
  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
    this.name = "JobMustWait";
  }
}

/** An event that no retry can fix (its payload does not say what it must): dead-lettered at once. */
export class UnprocessableEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnprocessableEventError";
  }
}

/** Does the work of one job. Throwing retries it with backoff; it must be safe to run twice. */
export type JobHandler = (job: QueuedJob) => Promise<void>;

/** Queues a job once per (shop, kind, key). True when it was new. */
export async function enqueueJob(
  shopId: string,
  kind: string,
  key: string,
  payload: unknown = {},
  options: { runAt?: Date; tx?: RawSql; /** 1: run in the priority lane, ahead of any backlog. */ priority?: 0 | 1 } = {},
): Promise<boolean> {
  // A raw insert: this runs for every processed event, where a typed upsert costs ten times more.
  return insertIfAbsent(
    options.tx ?? rawSql(),
    "Job",
    { shopId, kind, key, payload: JSON.stringify(payload), runAt: options.runAt ?? new Date(), priority: options.priority ?? 0 },
    ["shopId", "kind", "key"],
  );
}

/**
 * A job queued in this transaction whose work this transaction did too (a payment reviewed inside the
 * event that queued its review): done when it commits, so no worker claims it.
 */
export async function markJobDone(tx: RawSql, shopId: string, kind: string, key: string, now: Date): Promise<void> {
  await updateWhere(tx, "Job", { shopId, kind, key, status: "pending" }, { status: "done", completedAt: now });
}

/** A job queued in this transaction that turned out urgent (a hold to place): into the priority lane. */
export async function moveJobAhead(tx: RawSql, shopId: string, kind: string, key: string): Promise<void> {
  await updateWhere(tx, "Job", { shopId, kind, key, status: "pending" }, { priority: 1 });
}
