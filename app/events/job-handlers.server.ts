// The job registry: kind → handler. A feature plugs in by adding its handler here, e.g.
// `[JOB_KINDS.paymentReview]: reviewPayment` (holds: order matching, rules, holds) or
// `[JOB_KINDS.disputeSync]: syncDispute` (disputes).
//
// Until a kind has a handler its jobs stay pending: the worker claims only registered kinds, so such
// jobs are neither run nor dead-lettered, and run once their handler is registered.
import { autoSubmitJob } from "../disputes/auto-submit.server";
import { disputeSyncJob } from "../disputes/sync.server";
import { flowTriggerJob } from "../flow/triggers.server";
import { orderCreatedJob, paymentReviewJob } from "../holds/review.server";
import { JOB_KINDS, type JobHandler } from "./jobs.server";

export const JOB_HANDLERS: Readonly<Record<string, JobHandler>> = {
  [JOB_KINDS.paymentReview]: paymentReviewJob,
  [JOB_KINDS.orderCreated]: orderCreatedJob,
  [JOB_KINDS.disputeSync]: disputeSyncJob,
  [JOB_KINDS.disputeAutoSubmit]: autoSubmitJob,
  [JOB_KINDS.flowTrigger]: flowTriggerJob,
};
