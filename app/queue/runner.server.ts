// Running claimed rows: a batch of inbox events in transactions of at most `batchCommitMs` (each
// event under a savepoint with its "processed" mark), jobs through their handlers (a run's jobs
// started together), and every failure settled: retried with backoff, deferred when the job must
// wait, or dead-lettered.
import type { WebhookEvent } from "@prisma/client";
import DataLoader from "dataloader";
import { db, rawSql } from "../db.server";
import { inPreparedTransaction, type RawSql } from "../lib/prepared-sql.server";
import { backoffDelay } from "../lib/retry";
import { log } from "../log.server";
import { describeError } from "./describe-error.server";
import { JobMustWait, UnprocessableEventError, type JobHandler } from "./jobs.server";
import type { Task } from "./lanes.server";
import { completeLease, completeLeases, deferLease, failLease, INBOX_QUEUE, JOB_QUEUE, type LeaseQueue } from "./lease.server";
import { announceWork } from "./wakeups.server";

/** What the worker runs: the features' part, handed in so the queue imports none of them. */
export interface RowProcessing {
  /** Applies one inbox event, inside the transaction that marks it processed. */
  applyEvent(tx: RawSql, row: WebhookEvent): Promise<unknown>;
  /** Kind → handler; only these kinds are claimed. */
  jobHandlers: Readonly<Record<string, JobHandler>>;
  /**
   * Kinds whose jobs are claimed a page at a time and started together, in a lane of their own: their
   * handlers gather their reads (a DataLoader), so a page of them costs a few statements and turns of
   * the event loop where each job alone waited for its own. Jobs queued to run later: the lane finds
   * them by polling, and new work does not wake it.
   */
  jobsRunTogether?: readonly string[];
}

export interface RunnerContext {
  processing: RowProcessing;
  owner: string;
  maxAttempts: number;
  retry: { baseMs: number; maxMs: number };
  clock: () => Date;
  random: () => number;
  /** After a batch of events committed (they may have queued jobs). */
  onEventsApplied: () => void;
  /** How long one transaction of a batch of events may run before it commits and the rest go on in the next. */
  batchCommitMs: number;
}

class LeaseLostError extends Error {}

/** Job completions marked in one statement at most. */
const MAX_COMPLETIONS_TOGETHER = 256;

/** Returns the function that runs claimed rows of one queue: events as one batch, jobs each on its own, all started at once. */
export function rowRunner(context: RunnerContext) {
  const { owner, maxAttempts, retry, clock, random, batchCommitMs } = context;
  // Jobs finishing in the same turn of the event loop are marked done in one statement: on SQLite each
  // statement waits for a turn of the one connection, and a job's mark was half of a check's turns.
  const jobCompletion = new DataLoader<string, boolean>(
    async (ids) => {
      const done = await completeLeases(rawSql(), JOB_QUEUE, ids, owner, clock());
      return ids.map((id) => done.has(id));
    },
    { cache: false, maxBatchSize: MAX_COMPLETIONS_TOGETHER, batchScheduleFn: (run) => setImmediate(run) },
  );

  async function settleFailure(queue: LeaseQueue, task: Task, error: unknown, permanent: boolean) {
    const message = describeError(error);
    const dead = permanent || task.row.attempts >= maxAttempts;
    const retryAt = dead ? null : new Date(clock().getTime() + backoffDelay(task.row.attempts - 1, retry, random));
    const fields = {
      id: task.row.id,
      attempts: task.row.attempts,
      error: message,
      ...(task.queue === "event" ? { eventId: task.row.eventId, type: task.row.type } : { kind: task.row.kind }),
    };
    try {
      if (await failLease(queue, task.row.id, owner, message, retryAt)) {
        if (dead) log.error(`worker.${task.queue}_dead_lettered`, fields);
        else log.warn(`worker.${task.queue}_retry`, { ...fields, retryAt: retryAt?.toISOString() });
      }
    } catch (settleError) {
      // The lease will expire and the row will be claimed again.
      log.error("worker.settle_failed", { ...fields, settleError });
    }
  }

  async function runEvents(claimed: Array<Extract<Task, { queue: "event" }>>) {
    // One order for every worker's batch (by payment, then arrival): two batches touching the same
    // payments lock them in the same order, so PostgreSQL never finds them deadlocked.
    const tasks = [...claimed].sort(
      (a, b) => (a.row.ckoPaymentId ?? "").localeCompare(b.row.ckoPaymentId ?? "") || a.row.receivedAt.getTime() - b.row.receivedAt.getTime(),
    );
    for (let start = 0; start < tasks.length;) {
      const applied = await applyEvents(tasks.slice(start));
      if (applied === 0) return;
      start += applied;
    }
  }

  /**
   * Applies events from the start of `tasks` in one transaction for at most `batchCommitMs`, then
   * commits; returns how many it took (0: none committed, all settled as failed).
   */
  async function applyEvents(tasks: Array<Extract<Task, { queue: "event" }>>): Promise<number> {
    const failed: Array<{ task: (typeof tasks)[number]; error: unknown }> = [];
    let taken = 0;
    try {
      await inPreparedTransaction(db(), async (tx) => {
        const started = performance.now();
        for (const task of tasks) {
          if (taken > 0 && performance.now() - started >= batchCommitMs) break;
          taken++;
          try {
            await tx.savepoint(async () => {
              await context.processing.applyEvent(tx, task.row);
              if (!(await completeLease(tx, INBOX_QUEUE, task.row.id, owner, clock()))) throw new LeaseLostError();
            });
          } catch (error) {
            failed.push({ task, error });
          }
        }
      });
    } catch (error) {
      // The batch did not commit (the database is away, or the commit failed): nothing of it happened.
      for (const task of tasks) await settleFailure(INBOX_QUEUE, task, error, false);
      return 0;
    }
    // The events queued their jobs: a flagged payment's review starts now, not at the next poll (and
    // other worker processes hear of them too).
    context.onEventsApplied();
    void announceWork();
    for (const { task, error } of failed) {
      if (error instanceof LeaseLostError) log.warn("worker.lease_lost", { id: task.row.id, eventId: task.row.eventId });
      else await settleFailure(INBOX_QUEUE, task, error, error instanceof UnprocessableEventError);
    }
    return taken;
  }

  async function runJob(task: Extract<Task, { queue: "job" }>) {
    const job = task.row;
    let payload: unknown;
    try {
      payload = JSON.parse(job.payload);
    } catch {
      return settleFailure(JOB_QUEUE, task, new Error("The job payload is not JSON"), true);
    }
    try {
      await context.processing.jobHandlers[job.kind]({ id: job.id, shopId: job.shopId, kind: job.kind, key: job.key, payload, attempts: task.row.attempts });
    } catch (error) {
      if (error instanceof JobMustWait) {
        const retryAt = new Date(clock().getTime() + error.retryInMs);
        if (await deferLease(JOB_QUEUE, job.id, owner, error.message, retryAt).catch(() => false)) {
          log.info("worker.job_waiting", { id: job.id, kind: job.kind, reason: error.message, retryAt: retryAt.toISOString() });
        }
        return;
      }
      return settleFailure(JOB_QUEUE, task, error, false);
    }
    try {
      if (!(await jobCompletion.load(job.id))) log.warn("worker.lease_lost", { id: job.id, kind: job.kind });
    } catch (error) {
      // Done but not marked: the job runs again after its lease expires (handlers are idempotent).
      log.error("worker.complete_failed", { id: job.id, kind: job.kind, error });
    }
  }

  async function run(tasks: Task[]) {
    const runnable: Task[] = [];
    for (const task of tasks) {
      // Claimed again after a lease expired with no attempts left: the last attempt never finished.
      if (task.row.attempts > maxAttempts) {
        const queue = task.queue === "event" ? INBOX_QUEUE : JOB_QUEUE;
        await settleFailure(queue, task, new Error(task.row.lastError ?? `Gave up: attempt ${maxAttempts} did not finish (the worker stopped)`), true);
      } else runnable.push(task);
    }
    const events = runnable.filter((t): t is Extract<Task, { queue: "event" }> => t.queue === "event");
    if (events.length) await runEvents(events);
    // Started in one go, so handlers that gather their reads get the whole run's in one batch.
    await Promise.all(runnable.filter((t): t is Extract<Task, { queue: "job" }> => t.queue === "job").map((task) => runJob(task)));
  }

  return run;
}
