// The one place that wires the features into the queue (app/queue imports none of them): what an inbox
// event does (handlers.server.ts), the job registry (kind → handler), and the webhook intake the worker
// gives way to. A feature plugs in a job by adding its handler here, e.g.
// `[JOB_KINDS.paymentReview]: reviewPayment` (holds: order matching, rules, holds) or
// `[JOB_KINDS.disputeSync]: syncDispute` (disputes).
//
// Until a kind has a handler its jobs stay pending: the worker claims only registered kinds, so such
// jobs are neither run nor dead-lettered, and run once their handler is registered.
import { checkoutBackfillJob } from "../checkout/backfill.server";
import { webhookWorkflowJob } from "../checkout/workflow.server";
import { disputeDeadlinesJob } from "../disputes/deadlines.server";
import { disputeSyncJob } from "../disputes/sync.server";
import { flowTriggerJob } from "../flow/triggers.server";
import { earlyWarningJob } from "../holds/early-warnings.server";
import { insightsRollupJob } from "../insights/rollup.server";
import { orderCreatedJob, paymentReviewJob } from "../holds/review.server";
import { moneyElsewhereJob, moneySettleJob, orderNoteJob } from "../money/jobs.server";
import { orderBackfillJob } from "../orders/backfill.server";
import { reconciliationCheckJob } from "../reconciliation/check.server";
import { payoutImportJob } from "../reconciliation/payouts.server";
import { reconciliationSweepJob } from "../reconciliation/sweep.server";
import { dataRetentionJob } from "../shops/retention.server";
import { disputeTicketJob, disputeTicketNoteJob } from "../zendesk/dispute-tickets.server";
import { ShopifyNoSessionError } from "../shopify/admin-api.server";
import { JOB_KINDS, JobMustWait, WAITING_FOR_SHOPIFY, type JobHandler } from "../queue/jobs.server";
import { createWorker, type WorkerOptions } from "../queue/worker.server";
import { inboxIntakeContended, onInboxEventsStored } from "../webhooks/inbox-writer.server";
import { applyEvent } from "./handlers.server";

/** How long a job waits for the shop's Shopify access to come back before it looks again. */
const SHOPIFY_ACCESS_WAIT_MS = 10 * 60_000;

/**
 * A job that finds no Shopify access for its shop (a lost offline token: it comes back when someone
 * opens the app in the Shopify admin or reinstalls it) waits for it instead of using up its attempts.
 */
const waitingForShopifyAccess =
  (handler: JobHandler): JobHandler =>
  async (job) => {
    try {
      await handler(job);
    } catch (error) {
      if (error instanceof ShopifyNoSessionError) {
        throw new JobMustWait(`${WAITING_FOR_SHOPIFY}: open the app in the Shopify admin (or reinstall it) to restore it`, SHOPIFY_ACCESS_WAIT_MS);
      }
      throw error;
    }
  };

const HANDLERS: Record<string, JobHandler> = {
  [JOB_KINDS.paymentReview]: paymentReviewJob,
  [JOB_KINDS.orderCreated]: orderCreatedJob,
  [JOB_KINDS.earlyWarning]: earlyWarningJob,
  [JOB_KINDS.disputeSync]: disputeSyncJob,
  [JOB_KINDS.disputeDeadlines]: disputeDeadlinesJob,
  [JOB_KINDS.flowTrigger]: flowTriggerJob,
  [JOB_KINDS.moneySettle]: moneySettleJob,
  [JOB_KINDS.moneyElsewhere]: moneyElsewhereJob,
  [JOB_KINDS.orderNote]: orderNoteJob,
  [JOB_KINDS.orderBackfill]: orderBackfillJob,
  [JOB_KINDS.webhookWorkflow]: webhookWorkflowJob,
  [JOB_KINDS.checkoutBackfill]: checkoutBackfillJob,
  [JOB_KINDS.dataRetention]: dataRetentionJob,
  [JOB_KINDS.disputeTicket]: disputeTicketJob,
  [JOB_KINDS.disputeTicketNote]: disputeTicketNoteJob,
  [JOB_KINDS.reconciliationCheck]: reconciliationCheckJob,
  [JOB_KINDS.reconciliationSweep]: reconciliationSweepJob,
  [JOB_KINDS.payoutImport]: payoutImportJob,
  [JOB_KINDS.insightsRollup]: insightsRollupJob,
};

export const JOB_HANDLERS: Readonly<Record<string, JobHandler>> = Object.fromEntries(
  Object.entries(HANDLERS).map(([kind, handler]) => [kind, waitingForShopifyAccess(handler)]),
);

/**
 * Kinds claimed a page at a time and started together: their handlers gather their reads. A sale
 * queues an order check per card payment, and each alone waited for turns of the busy process.
 */
const RUN_TOGETHER = [JOB_KINDS.reconciliationCheck];

/** The app's worker: every feature's event and job handling (tests narrow `jobHandlers`). */
export function createAppWorker(options: WorkerOptions & { jobHandlers?: Readonly<Record<string, JobHandler>> } = {}) {
  const { jobHandlers = JOB_HANDLERS, ...rest } = options;
  const intake = { contended: inboxIntakeContended, onStored: onInboxEventsStored };
  return createWorker({ applyEvent, jobHandlers, jobsRunTogether: RUN_TOGETHER, intake }, rest);
}
