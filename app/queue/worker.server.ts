// The worker: processes the webhook inbox and the job queue, each row under a lease (lease.server.ts).
//   - Inbox events are applied (app/events/handlers.server.ts) in batches: one transaction of prepared
//     statements per batch (lib/prepared-sql.server.ts, docs/decisions/0009), each event under a
//     savepoint together with its "processed" mark, which is conditional on still holding the lease:
//     an event's effects commit once or not at all, and one failing event does not undo the others.
//     Handlers are idempotent as well, for replays.
//   - A job runs its registered handler (app/events/registry.server.ts), then is marked done. Kinds without a
//     handler are never claimed, so they wait instead of failing.
//   - A failure is retried with exponential backoff and full jitter; after WORKER_MAX_ATTEMPTS (or at
//     once for an event whose payload cannot be processed) the row is dead-lettered with its error.
//     A row whose last attempt never finished (its worker died) is dead-lettered.
// Its parts: lanes (lanes.server.ts: events, jobs, the priority lanes and the kinds run a page at a
// time, each claiming ahead and running its own slots), lease renewal (renewal.server.ts) and, in
// the web process, pacing behind webhook intake (pacing.server.ts).
// It runs inside the web process (app/server/lifecycle.server.ts, WORKER_IN_PROCESS) or alone
// (app/server/worker.process.ts, `npm run worker`); several may run against one database. The queue
// knows no feature: what events and jobs do is handed in (`Processing`, wired in app/events/registry.server.ts).
import { randomUUID } from "node:crypto";
import os from "node:os";
import { env } from "../env.server";
import { sleep } from "../lib/retry";
import { log } from "../log.server";
import type { Readiness } from "../server/health.server";
import { lane, type LaneContext, type Task } from "./lanes.server";
import { claimLeases, INBOX_QUEUE, JOB_QUEUE, releaseLeases, type PriorityClaim } from "./lease.server";
import { intakePacing, type Intake } from "./pacing.server";
import { startLeaseRenewal } from "./renewal.server";
import { rowRunner, type RowProcessing } from "./runner.server";
import { listenForWork } from "./wakeups.server";

/** What the worker runs: the features' part, handed in so the queue imports none of them. */
export interface Processing extends RowProcessing {
  /** Webhook intake in this process, which the worker gives way to and is woken by. */
  intake?: Intake;
}

export interface WorkerOptions {
  /** The name written into leases; unique per worker. */
  owner?: string;
  /** Event batches applied at the same time (WORKER_CONCURRENCY). */
  concurrency?: number;
  /** Jobs run at the same time (WORKER_JOB_CONCURRENCY). */
  jobConcurrency?: number;
  /** Attempts before a row is dead-lettered (WORKER_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** How long a claim lasts (WORKER_LEASE_SECONDS). */
  leaseMs?: number;
  /** How often to look for due rows when there is nothing to do. */
  idleMs?: number;
  /** How long one transaction of a batch of events may run before it commits and the batch goes on in the next. */
  batchCommitMs?: number;
  retry?: { baseMs: number; maxMs: number };
  now?: () => Date;
  random?: () => number;
}

/** Waits between attempts: 1 s doubling to at most 10 minutes, with full jitter. */
const WORKER_RETRY = { baseMs: 1_000, maxMs: 10 * 60_000 };

/** Inbox events claimed and applied together. */
const EVENT_BATCH = 64;
/**
 * A batch's transaction commits after this long and the batch goes on in the next. On SQLite it holds
 * the one connection: 64 events held webhook intake's inserts 60 ms and more, intake then counted as
 * contended, and the worker paced itself to a tenth of the time while its backlog grew (soak, 300/s).
 */
const BATCH_COMMIT_MS = 10;
/**
 * Slots of the priority lane (reviews that place holds). Placing a hold is about three Shopify calls,
 * 150 ms at Shopify's usual 50 ms: two slots placed at most 13 a second, and in a sale with 1% of
 * payments flagged a hold waited for the one before it (decided 150 ms after its event, p50; 15 ms
 * with eight slots, bench:webhooks).
 */
const PRIORITY_SLOTS = 8;
/**
 * The lane of the kinds run together (`jobsRunTogether`): slots, and jobs started together in each.
 * One job a slot, a sale's order checks (one a card payment) finished 38 a second in the 16 job slots
 * at 300 events/s, each waiting about 420 ms for turns of the busy event loop and connection (soak).
 */
const TOGETHER_SLOTS = 2;
const TOGETHER_PAGE = 32;

export function createWorker(processing: Processing, options: WorkerOptions = {}) {
  const config = env();
  const owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = options.concurrency ?? config.WORKER_CONCURRENCY;
  const jobConcurrency = options.jobConcurrency ?? config.WORKER_JOB_CONCURRENCY;
  const maxAttempts = options.maxAttempts ?? config.WORKER_MAX_ATTEMPTS;
  const leaseMs = options.leaseMs ?? config.WORKER_LEASE_SECONDS * 1000;
  const idleMs = options.idleMs ?? 250;
  const retry = options.retry ?? WORKER_RETRY;
  const handlers = processing.jobHandlers;
  const intake = processing.intake;
  const jobKinds = Object.keys(handlers);
  const togetherKinds = jobKinds.filter((kind) => processing.jobsRunTogether?.includes(kind));
  const ownKinds = jobKinds.filter((kind) => !togetherKinds.includes(kind));
  const clock = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;

  let stopping = false;
  let unsubscribe = () => {};

  const run = rowRunner({
    processing,
    owner,
    maxAttempts,
    retry,
    clock,
    random,
    batchCommitMs: options.batchCommitMs ?? BATCH_COMMIT_MS,
    onEventsApplied: () => [priorityLane, jobLane].forEach((l) => l.wake()),
  });

  const claimJobs = (priority: PriorityClaim, kinds: readonly string[]) => async (limit: number, now: Date) =>
    (await claimLeases(JOB_QUEUE, { owner, now, leaseMs, limit, kinds, priority })).map((row) => ({ queue: "job" as const, row }));
  const claimEvents = (priority: PriorityClaim) => async (limit: number, now: Date) =>
    (await claimLeases(INBOX_QUEUE, { owner, now, leaseMs, limit, priority })).map((row) => ({ queue: "event" as const, row }));
  // Events, jobs, and a priority lane for each: a flagged payment's event and the review it leads to run
  // in slots of their own that never give way to intake, so a hold does not wait behind a backlog.
  const context: LaneContext = { owner, leaseMs, idleMs, clock, stopping: () => stopping, run };
  const eventLane = lane(context, INBOX_QUEUE, claimEvents("none"), {
    slots: concurrency,
    rowsPerRun: EVENT_BATCH,
    pacing: intakePacing(intake, () => stopping),
  });
  const priorityEventLane = lane(context, INBOX_QUEUE, claimEvents("only"), { slots: 1, rowsPerRun: EVENT_BATCH, urgent: true });
  // Jobs do not give way to intake: most of a job's time is spent waiting on Shopify or Checkout.com,
  // which the pacing would count as work (a 50 ms call bought 450 ms of idling), and between jobs each
  // slot returns to the event loop, so deliveries are answered in between. Slots of their own: a job
  // holds a database connection only while it reads or writes, not while it waits on a call.
  const jobLane = lane(context, JOB_QUEUE, claimJobs("none", ownKinds), { slots: jobConcurrency });
  const priorityLane = lane(context, JOB_QUEUE, claimJobs("only", jobKinds), { slots: PRIORITY_SLOTS, urgent: true });
  // Kinds run a page at a time: a backlog of them (a sale's order checks) never fills the job slots.
  const togetherLane = lane(context, JOB_QUEUE, claimJobs("none", togetherKinds), { slots: TOGETHER_SLOTS, rowsPerRun: TOGETHER_PAGE });
  // New work wakes every lane but the kinds run together: theirs is queued to run later (a check two
  // minutes after its change), so that lane finds it by polling, and a claim at each of a sale's event
  // batches (every 10 ms) would find nothing.
  const wakeable = [priorityEventLane, eventLane, priorityLane, jobLane];
  const lanes = [...wakeable, togetherLane];
  let started = false;
  let stopRenewal = () => {};
  const wakeUp = () => {
    for (const l of wakeable) l.wake();
  };

  async function giveBack(tasks: Task[]) {
    for (const [queue, kind] of [
      [INBOX_QUEUE, "event"],
      [JOB_QUEUE, "job"],
    ] as const) {
      const ids = tasks.filter((t) => t.queue === kind).map((t) => t.row.id);
      if (ids.length) await releaseLeases(queue, ids, owner).catch((error) => log.error("worker.release_failed", { error }));
    }
  }

  return {
    owner,

    start() {
      if (started) return;
      started = true;
      stopping = false;
      const stopHearing = intake?.onStored(() => wakeUp()) ?? (() => {});
      const stopListening = listenForWork(() => wakeUp());
      unsubscribe = () => {
        stopHearing();
        void stopListening();
      };
      for (const l of lanes) l.start();
      stopRenewal = startLeaseRenewal(lanes, leaseMs);
      log.info("worker.started", { owner, concurrency, jobConcurrency, jobKinds });
    },

    /** Stops claiming, lets work in progress finish (up to `graceMs`), and gives back every lease not finished. */
    async stop(graceMs = 10_000) {
      if (!started) return;
      stopping = true;
      unsubscribe();
      for (const l of lanes) l.wake();
      const finished = await Promise.race([Promise.all(lanes.map((l) => l.finished())).then(() => true), sleep(graceMs).then(() => false)]);
      stopRenewal();
      // Rows claimed but not started, and (after the grace period) rows still running: their
      // completion would fail the lease check, so their effects roll back.
      await giveBack(lanes.flatMap((l) => l.unfinished(!finished)));
      started = false;
      log.info("worker.stopped", { owner, finished });
    },

    /** Whether it is running and can claim work (a worker process's /readyz). */
    readiness(): Readiness {
      if (!started || stopping) return { ready: false, reason: stopping ? "shutting down" : "not started" };
      const error = lanes.map((l) => l.claimError()).find((e) => e !== null);
      return error ? { ready: false, reason: `cannot claim work: ${error}` } : { ready: true };
    },

    /** Processes everything due now, then returns how many rows it ran (tests, scripts). */
    async runUntilIdle(): Promise<number> {
      let ran = 0;
      for (;;) {
        for (const l of lanes) await l.fill();
        const tasks = lanes.flatMap((l) => l.take());
        if (!tasks.length) return ran;
        const events = tasks.filter((t) => t.queue === "event");
        await Promise.all([run(events), ...tasks.filter((t) => t.queue === "job").map((t) => run([t]))]);
        ran += tasks.length;
      }
    },
  };
}
