// The worker: processes the webhook inbox and the job queue, each row under a lease (lease.server.ts).
//   - An inbox event runs its handlers (handlers.server.ts) in one transaction together with its
//     "processed" mark, which is conditional on still holding the lease: its effects commit once or
//     not at all. Handlers are idempotent as well, for replays.
//   - A job runs its registered handler (job-handlers.server.ts), then is marked done. Kinds without a
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
// (worker.process.ts, `npm run worker`); several may run against one database.
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Job, WebhookEvent } from "@prisma/client";
import { backoffDelay, sleep } from "../checkout/retry";
import { db, prismaErrorCode } from "../db.server";
import { env } from "../env.server";
import { log } from "../log.server";
import type { Readiness } from "../server/health.server";
import { applyEvent, UnprocessableEventError } from "./handlers.server";
import { inboxIntakeContended, onInboxEventsStored } from "./inbox-writer.server";
import { JOB_HANDLERS } from "./job-handlers.server";
import type { JobHandler } from "./jobs.server";
import { claimLeases, completeLease, failLease, INBOX_QUEUE, JOB_QUEUE, releaseLeases, renewLeases, type LeaseQueue } from "./lease.server";

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
  jobHandlers?: Readonly<Record<string, JobHandler>>;
  now?: () => Date;
  random?: () => number;
}

/** Waits between attempts: 1 s doubling to at most 10 minutes, with full jitter. */
export const WORKER_RETRY = { baseMs: 1_000, maxMs: 10 * 60_000 };

/**
 * While deliveries that arrived in the last INTAKE_WINDOW_MS wait longer than this to be stored,
 * intake is contended: the worker then keeps to BUSY_INTAKE_WORKER_SHARE of the time.
 */
const INTAKE_LATENCY_TARGET_MS = 25;
const INTAKE_WINDOW_MS = 100;
const BUSY_INTAKE_WORKER_SHARE = 0.1;

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
export function describeError(error: unknown): string {
  const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);
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

export type Worker = ReturnType<typeof createWorker>;

export function createWorker(options: WorkerOptions = {}) {
  const config = env();
  const owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = options.concurrency ?? config.WORKER_CONCURRENCY;
  const maxAttempts = options.maxAttempts ?? config.WORKER_MAX_ATTEMPTS;
  const leaseMs = options.leaseMs ?? config.WORKER_LEASE_SECONDS * 1000;
  const idleMs = options.idleMs ?? 250;
  const retry = options.retry ?? WORKER_RETRY;
  const handlers = options.jobHandlers ?? JOB_HANDLERS;
  const jobKinds = Object.keys(handlers);
  const clock = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  // Claimed ahead so each claim statement serves several rows.
  const batchSize = concurrency * 4;

  let stopping = false;
  let unsubscribe = () => {};
  let nextStartAt = 0;

  async function settleFailure(queue: LeaseQueue, task: Task, error: unknown, permanent: boolean) {
    const message = describeError(error);
    const dead = permanent || task.row.attempts >= maxAttempts;
    const retryAt = dead ? null : new Date(clock().getTime() + backoffDelay(task.row.attempts - 1, retry, random));
    const fields = { id: task.row.id, attempts: task.row.attempts, error: message, ...(task.queue === "event" ? { eventId: task.row.eventId, type: task.row.type } : { kind: task.row.kind }) };
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

  async function runEvent(task: Extract<Task, { queue: "event" }>) {
    try {
      await db().$transaction(
        async (tx) => {
          await applyEvent(tx, task.row);
          if (!(await completeLease(tx, INBOX_QUEUE, task.row.id, owner, clock()))) throw new LeaseLostError();
        },
        { maxWait: 10_000, timeout: 30_000 },
      );
    } catch (error) {
      if (error instanceof LeaseLostError) {
        log.warn("worker.lease_lost", { id: task.row.id, eventId: task.row.eventId });
        return;
      }
      await settleFailure(INBOX_QUEUE, task, error, error instanceof UnprocessableEventError);
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
      return settleFailure(JOB_QUEUE, task, error, false);
    }
    try {
      if (!(await completeLease(db(), JOB_QUEUE, job.id, owner, clock()))) log.warn("worker.lease_lost", { id: job.id, kind: job.kind });
    } catch (error) {
      // Done but not marked: the job runs again after its lease expires (handlers are idempotent).
      log.error("worker.complete_failed", { id: job.id, kind: job.kind, error });
    }
  }

  async function run(task: Task) {
    const queue = task.queue === "event" ? INBOX_QUEUE : JOB_QUEUE;
    // Claimed again after a lease expired with no attempts left: the last attempt never finished.
    if (task.row.attempts > maxAttempts) {
      return settleFailure(queue, task, new Error(task.row.lastError ?? `Gave up: attempt ${maxAttempts} did not finish (the worker stopped)`), true);
    }
    return task.queue === "event" ? runEvent(task) : runJob(task);
  }

  /** Gives way to webhook intake in this process (see the top of this file). */
  async function yieldToIntake() {
    while (!stopping && inboxIntakeContended(INTAKE_WINDOW_MS, INTAKE_LATENCY_TARGET_MS)) {
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
  function lane(queue: LeaseQueue, claimRows: (limit: number, now: Date) => Promise<Claimed[]>) {
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
      const kept = await renewLeases(queue, held.map((t) => t.row.id), owner, now, leaseMs);
      for (const task of held) if (kept.has(task.row.id)) task.leaseUntil = now.getTime() + leaseMs;
      // Only rows this renewal asked about: a claim may have added others to the buffer meanwhile.
      const lost = held.filter((t) => !kept.has(t.row.id) && buffer.includes(t));
      for (const task of lost) buffer.splice(buffer.indexOf(task), 1);
      if (lost.length) log.warn("worker.leases_lost", { ids: lost.map((t) => t.row.id) });
    }

    async function next(): Promise<Task | null> {
      while (!stopping) {
        const task = buffer.shift();
        if (task) return task;
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
      return null;
    }

    async function slot() {
      for (let task = await next(); task; task = await next()) {
        // With SQLite (a synchronous driver) every query resolves in the microtask queue: a worker with
        // rows to do would never return to the event loop, and no request would be answered meanwhile.
        await new Promise<void>((resolve) => setImmediate(resolve));
        await yieldToIntake();
        // Its lease ran out while it waited (renewals failed: the database was away): another worker
        // may have it by now, and it will be claimed again otherwise.
        if (clock().getTime() > task.leaseUntil - leaseMs * LEASE_START_MARGIN) {
          log.warn("worker.lease_expired_unstarted", { id: task.row.id, queue: task.queue });
          nextStartAt = performance.now();
          continue;
        }
        inFlight.add(task);
        const started = performance.now();
        try {
          await run(task);
        } finally {
          inFlight.delete(task);
          const took = performance.now() - started;
          nextStartAt = performance.now() + (took * (1 - BUSY_INTAKE_WORKER_SHARE)) / BUSY_INTAKE_WORKER_SHARE;
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
      start: () => (slots = Array.from({ length: concurrency }, () => slot())),
      finished: () => Promise.all(slots).then(() => undefined),
      /** Claimed rows not started, and (when `running`) rows in progress. */
      unfinished: (running: boolean) => [...buffer.splice(0), ...(running ? [...inFlight] : [])],
      take: () => buffer.splice(0),
    };
  }

  const lanes = [
    lane(INBOX_QUEUE, async (limit, now) => (await claimLeases(INBOX_QUEUE, { owner, now, leaseMs, limit })).map((row) => ({ queue: "event" as const, row }))),
    lane(JOB_QUEUE, async (limit, now) => (await claimLeases(JOB_QUEUE, { owner, now, leaseMs, limit, kinds: jobKinds })).map((row) => ({ queue: "job" as const, row }))),
  ];
  let started = false;
  let heartbeat: NodeJS.Timeout | undefined;
  const wakeUp = () => {
    for (const l of lanes) l.wake();
  };

  async function renewAll() {
    for (const l of lanes) await l.renew().catch((error) => log.error("worker.renew_failed", { error }));
  }

  async function giveBack(tasks: Task[]) {
    for (const [queue, kind] of [[INBOX_QUEUE, "event"], [JOB_QUEUE, "job"]] as const) {
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
      unsubscribe = onInboxEventsStored(() => wakeUp());
      for (const l of lanes) l.start();
      let renewing = false;
      heartbeat = setInterval(() => {
        if (renewing) return;
        renewing = true;
        void renewAll().finally(() => (renewing = false));
      }, Math.max(leaseMs / 3, 50));
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
        await Promise.all(tasks.map(run));
        ran += tasks.length;
      }
    },
  };
}
