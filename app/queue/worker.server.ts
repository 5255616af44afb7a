// The worker: processes the webhook inbox and the job queue, each row under a lease (lease.server.ts).
//   - Inbox events are applied (app/events/handlers.server.ts) in batches: one transaction of prepared
//     statements per batch (lib/prepared-sql.server.ts, docs/decisions/0009), each event under a
//     savepoint together with its "processed" mark, which is conditional on still holding the lease:
//     an event's effects commit once or not at all, and one failing event does not undo the others.
//     Handlers are idempotent as well, for replays.
//   - A job runs its registered handler (app/events/registry.server.ts), then is marked done. Kinds without a
//     handler are never claimed, so they wait instead of failing. Events and jobs have lanes of their
//     own, so slow or failing jobs never hold up events.
//   - A failure is retried with exponential backoff and full jitter; after WORKER_MAX_ATTEMPTS (or at
//     once for an event whose payload cannot be processed) the row is dead-lettered with its error.
//   - A running worker renews the leases it holds (rows claimed ahead and rows running) every third
//     of WORKER_LEASE_SECONDS, and never starts a row whose lease has run out. A worker that dies (or
//     loses the database) leaves its leases to expire; then another worker claims the rows again. A
//     row whose last attempt never finished is dead-lettered.
//   - In the web process, acknowledging deliveries comes first (Checkout.com waits for the answer,
//     nobody waits for the processing): while deliveries wait more than INTAKE_LATENCY_TARGET_MS to
//     be stored (a burst), the worker keeps to about a tenth of the time (after a row that took t ms
//     it waits 9t) and catches up once the burst is over. A steady stream that intake keeps up with
//     does not slow it down, so the backlog cannot grow for ever under sustained load. A worker
//     process of its own (`npm run worker`) sees no deliveries and runs at full speed.
// It runs inside the web process (app/server/lifecycle.server.ts, WORKER_IN_PROCESS) or alone
// (app/server/worker.process.ts, `npm run worker`); several may run against one database. The queue
// knows no feature: what events and jobs do is handed in (`Processing`, wired in app/events/registry.server.ts).
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Job, WebhookEvent } from "@prisma/client";
import { db, prismaErrorCode, rawSql } from "../db.server";
import { env } from "../env.server";
import { inPreparedTransaction, type RawSql } from "../lib/prepared-sql.server";
import { backoffDelay, sleep } from "../lib/retry";
import { log } from "../log.server";
import type { Readiness } from "../server/health.server";
import { JobMustWait, UnprocessableEventError, type JobHandler } from "./jobs.server";
import { announceWork, listenForWork } from "./wakeups.server";
import {
  claimLeases,
  completeLease,
  deferLease,
  failLease,
  INBOX_QUEUE,
  JOB_QUEUE,
  releaseLeases,
  renewLeases,
  type LeaseQueue,
  type PriorityClaim,
} from "./lease.server";

/** What the worker runs: the features' part, handed in so the queue imports none of them. */
export interface Processing {
  /** Applies one inbox event, inside the transaction that marks it processed. */
  applyEvent(tx: RawSql, row: WebhookEvent): Promise<unknown>;
  /** Kind → handler; only these kinds are claimed. */
  jobHandlers: Readonly<Record<string, JobHandler>>;
  /** Webhook intake in this process, which the worker gives way to and is woken by. */
  intake?: {
    /** Whether deliveries of the last `windowMs` waited longer than `targetMs` to be stored. */
    contended(windowMs: number, targetMs: number): boolean;
    /** Calls `listener` whenever events were stored; returns the unsubscribe. */
    onStored(listener: () => void): () => void;
  };
}

export interface WorkerOptions {
  /** The name written into leases; unique per worker. */
  owner?: string;
  /** Rows processed at the same time, in each lane (events, jobs) (WORKER_CONCURRENCY). */
  concurrency?: number;
  /** Attempts before a row is dead-lettered (WORKER_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** How long a claim lasts (WORKER_LEASE_SECONDS). */
  leaseMs?: number;
  /** How often to look for due rows when there is nothing to do. */
  idleMs?: number;
  retry?: { baseMs: number; maxMs: number };
  now?: () => Date;
  random?: () => number;
}

/** Waits between attempts: 1 s doubling to at most 10 minutes, with full jitter. */
const WORKER_RETRY = { baseMs: 1_000, maxMs: 10 * 60_000 };

/**
 * While deliveries that arrived in the last INTAKE_WINDOW_MS wait longer than this to be stored,
 * intake is contended: the worker then keeps to BUSY_INTAKE_WORKER_SHARE of the time.
 */
const INTAKE_LATENCY_TARGET_MS = 25;
const INTAKE_WINDOW_MS = 100;
const BUSY_INTAKE_WORKER_SHARE = 0.1;

/** Inbox events applied together in one transaction (each under its own savepoint). */
const EVENT_BATCH = 64;
/** Slots of the priority lane (reviews of flagged payments). */
const PRIORITY_SLOTS = 2;

type Claimed = { queue: "event"; row: WebhookEvent } | { queue: "job"; row: Job };
/** A claimed row, and until when (ms) this worker knows its lease holds. */
type Task = Claimed & { leaseUntil: number };

/** A row is not started with less than this share of its lease left (clocks of workers differ a little). */
const LEASE_START_MARGIN = 0.05;

class LeaseLostError extends Error {}

/**
 * The error in one line for lastError (shown on the Events screen). Prisma's messages start with a code
 * frame of our source; keep its closing summary and the database's own words instead.
 */
function describeError(error: unknown): string {
  const lines = (text: string) =>
    text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
  let text: string;
  if (prismaErrorCode(error)) {
    const known = error as { code: string; message: string; meta?: Record<string, unknown> };
    const cause = (known.meta?.driverAdapterError as { cause?: { originalMessage?: string } } | undefined)?.cause?.originalMessage;
    text = `${known.code}: ${lines(known.message).at(-1) ?? ""}${cause ? ` (${cause})` : ""}`;
  } else if (error instanceof Error) {
    text = `${error.name === "Error" ? "" : `${error.name}: `}${lines(error.message)[0] ?? ""}`;
  } else {
    text = String(error);
  }
  return text.slice(0, 1000);
}

export function createWorker(processing: Processing, options: WorkerOptions = {}) {
  const config = env();
  const owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = options.concurrency ?? config.WORKER_CONCURRENCY;
  const maxAttempts = options.maxAttempts ?? config.WORKER_MAX_ATTEMPTS;
  const leaseMs = options.leaseMs ?? config.WORKER_LEASE_SECONDS * 1000;
  const idleMs = options.idleMs ?? 250;
  const retry = options.retry ?? WORKER_RETRY;
  const handlers = processing.jobHandlers;
  const intake = processing.intake;
  const jobKinds = Object.keys(handlers);
  const clock = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;

  let stopping = false;
  let unsubscribe = () => {};
  let nextStartAt = 0;

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
    const failed: Array<{ task: (typeof tasks)[number]; error: unknown }> = [];
    try {
      await inPreparedTransaction(db(), async (tx) => {
        for (const task of tasks) {
          try {
            await tx.savepoint(async () => {
              await processing.applyEvent(tx, task.row);
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
      return;
    }
    // The events queued their jobs: a flagged payment's review starts now, not at the next poll (and
    // other worker processes hear of them too).
    priorityLane.wake();
    jobLane.wake();
    void announceWork();
    for (const { task, error } of failed) {
      if (error instanceof LeaseLostError) log.warn("worker.lease_lost", { id: task.row.id, eventId: task.row.eventId });
      else await settleFailure(INBOX_QUEUE, task, error, error instanceof UnprocessableEventError);
    }
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
      await handlers[job.kind]({ id: job.id, shopId: job.shopId, kind: job.kind, key: job.key, payload, attempts: task.row.attempts });
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
      if (!(await completeLease(rawSql(), JOB_QUEUE, job.id, owner, clock()))) log.warn("worker.lease_lost", { id: job.id, kind: job.kind });
    } catch (error) {
      // Done but not marked: the job runs again after its lease expires (handlers are idempotent).
      log.error("worker.complete_failed", { id: job.id, kind: job.kind, error });
    }
  }

  /** Runs claimed rows of one queue: events as one batch, jobs one by one. */
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
    for (const task of runnable) if (task.queue === "job") await runJob(task);
  }

  /** Gives way to webhook intake in this process (see the top of this file). */
  async function yieldToIntake() {
    while (!stopping && intake?.contended(INTAKE_WINDOW_MS, INTAKE_LATENCY_TARGET_MS)) {
      const wait = nextStartAt - performance.now();
      if (wait <= 0) {
        // This row's turn; the other slots wait until it has finished.
        nextStartAt = Infinity;
        return;
      }
      await sleep(Math.min(wait, INTAKE_WINDOW_MS));
    }
  }

  /**
   * Events and jobs run in separate lanes, each with its own slots, so jobs waiting on Shopify or
   * failing again and again cannot hold up the events (and the other way round).
   */
  function lane(
    queue: LeaseQueue,
    claimRows: (limit: number, now: Date) => Promise<Claimed[]>,
    shape: { slots: number; rowsPerRun?: number; yieldsToIntake?: boolean },
  ) {
    const { slots: slotCount, rowsPerRun = 1, yieldsToIntake = true } = shape;
    // Claimed ahead so each claim statement serves several runs.
    const batchSize = slotCount * Math.max(rowsPerRun, 4);
    const buffer: Task[] = [];
    const inFlight = new Set<Task>();
    let claiming: Promise<number> | null = null;
    let slots: Promise<void>[] = [];
    // Woken (rows may have become due) since the last claim began: the next idle wait is skipped, so
    // a wake-up that comes while a claim is still running is not lost.
    let woken = false;
    /** Why the last claim failed (the database is away), until one succeeds. */
    let claimError: string | null = null;
    let idleWait: Promise<void> | null = null;
    let endIdle = () => {};

    /** Waits `ms`, or until woken; the lane's slots wait together. */
    function idle(ms: number): Promise<void> {
      if (woken) return Promise.resolve();
      idleWait ??= new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          idleWait = null;
          endIdle = () => {};
          resolve();
        };
        const timer = setTimeout(done, ms);
        endIdle = done;
      });
      return idleWait;
    }

    async function fill(): Promise<number> {
      woken = false;
      const now = clock();
      const rows = await claimRows(Math.max(batchSize - buffer.length, 1), now);
      claimError = null;
      buffer.push(...rows.map((claimed) => ({ ...claimed, leaseUntil: now.getTime() + leaseMs })));
      return rows.length;
    }

    /** Extends the leases of every row this lane holds; a row no longer held is dropped from the buffer. */
    async function renew() {
      const held = [...buffer, ...inFlight];
      if (!held.length) return;
      const now = clock();
      const kept = await renewLeases(
        queue,
        held.map((t) => t.row.id),
        owner,
        now,
        leaseMs,
      );
      for (const task of held) if (kept.has(task.row.id)) task.leaseUntil = now.getTime() + leaseMs;
      // Only rows this renewal asked about: a claim may have added others to the buffer meanwhile.
      const lost = held.filter((t) => !kept.has(t.row.id) && buffer.includes(t));
      for (const task of lost) buffer.splice(buffer.indexOf(task), 1);
      if (lost.length) log.warn("worker.leases_lost", { ids: lost.map((t) => t.row.id) });
    }

    /** Up to `rowsPerRun` claimed rows (claiming when there are none), or [] once stopping. */
    async function next(): Promise<Task[]> {
      while (!stopping) {
        if (buffer.length) return buffer.splice(0, rowsPerRun);
        claiming ??= fill()
          .catch((error) => {
            claimError = describeError(error);
            log.error("worker.claim_failed", { error });
            return -1;
          })
          .finally(() => {
            claiming = null;
          });
        const claimed = await claiming;
        if (claimed <= 0 && buffer.length === 0 && !stopping) await idle(claimed < 0 ? Math.max(idleMs, 1000) : idleMs);
      }
      return [];
    }

    async function slot() {
      for (let claimed = await next(); claimed.length; claimed = await next()) {
        // With SQLite (a synchronous driver) every query resolves in the microtask queue: a worker with
        // rows to do would never return to the event loop, and no request would be answered meanwhile.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (yieldsToIntake) await yieldToIntake();
        // A lease that ran out while its row waited (renewals failed: the database was away): another
        // worker may have the row by now, and it will be claimed again otherwise.
        const expired = claimed.filter((task) => clock().getTime() > task.leaseUntil - leaseMs * LEASE_START_MARGIN);
        for (const task of expired) log.warn("worker.lease_expired_unstarted", { id: task.row.id, queue: task.queue });
        const tasks = claimed.filter((task) => !expired.includes(task));
        if (!tasks.length) {
          if (yieldsToIntake) nextStartAt = performance.now();
          continue;
        }
        for (const task of tasks) inFlight.add(task);
        const started = performance.now();
        try {
          await run(tasks);
        } finally {
          for (const task of tasks) inFlight.delete(task);
          const took = performance.now() - started;
          if (yieldsToIntake) nextStartAt = performance.now() + (took * (1 - BUSY_INTAKE_WORKER_SHARE)) / BUSY_INTAKE_WORKER_SHARE;
        }
      }
    }

    return {
      fill,
      renew,
      claimError: () => claimError,
      wake() {
        woken = true;
        endIdle();
      },
      start: () => (slots = Array.from({ length: slotCount }, () => slot())),
      finished: () => Promise.all(slots).then(() => undefined),
      /** Claimed rows not started, and (when `running`) rows in progress. */
      unfinished: (running: boolean) => [...buffer.splice(0), ...(running ? [...inFlight] : [])],
      take: () => buffer.splice(0),
    };
  }

  const claimJobs = (priority: PriorityClaim) => async (limit: number, now: Date) =>
    (await claimLeases(JOB_QUEUE, { owner, now, leaseMs, limit, kinds: jobKinds, priority })).map((row) => ({ queue: "job" as const, row }));
  // Events (flagged ones claimed first), jobs, and the priority lane: the reviews of flagged payments
  // run in slots of their own and never give way to intake, so a hold does not wait behind a backlog.
  const eventLane = lane(
    INBOX_QUEUE,
    async (limit, now) => (await claimLeases(INBOX_QUEUE, { owner, now, leaseMs, limit })).map((row) => ({ queue: "event" as const, row })),
    { slots: concurrency, rowsPerRun: EVENT_BATCH },
  );
  // Jobs do not give way to intake: most of a job's time is spent waiting on Shopify or Checkout.com,
  // which the pacing would count as work (a 50 ms call bought 450 ms of idling), and between jobs each
  // slot returns to the event loop, so deliveries are answered in between.
  const jobLane = lane(JOB_QUEUE, claimJobs("none"), { slots: concurrency, yieldsToIntake: false });
  const priorityLane = lane(JOB_QUEUE, claimJobs("only"), { slots: PRIORITY_SLOTS, yieldsToIntake: false });
  const lanes = [eventLane, jobLane, priorityLane];
  let started = false;
  let heartbeat: NodeJS.Timeout | undefined;
  const wakeUp = () => {
    for (const l of lanes) l.wake();
  };

  async function renewAll() {
    for (const l of lanes) await l.renew().catch((error) => log.error("worker.renew_failed", { error }));
  }

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
      let renewing = false;
      heartbeat = setInterval(
        () => {
          if (renewing) return;
          renewing = true;
          void renewAll().finally(() => (renewing = false));
        },
        Math.max(leaseMs / 3, 50),
      );
      heartbeat.unref();
      log.info("worker.started", { owner, concurrency, jobKinds });
    },

    /** Stops claiming, lets work in progress finish (up to `graceMs`), and gives back every lease not finished. */
    async stop(graceMs = 10_000) {
      if (!started) return;
      stopping = true;
      unsubscribe();
      wakeUp();
      const finished = await Promise.race([Promise.all(lanes.map((l) => l.finished())).then(() => true), sleep(graceMs).then(() => false)]);
      clearInterval(heartbeat);
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
