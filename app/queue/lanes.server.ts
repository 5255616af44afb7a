// A lane of the worker: rows of one queue claimed ahead into a buffer, run by a number of slots,
// each row under a lease this lane renews while it holds the row (a buffered or running row).
// Separate lanes (events, jobs, the priority lane) mean slow or failing work of one kind never holds
// up the others.
import type { Job, WebhookEvent } from "@prisma/client";
import { asUrgentWork } from "../lib/urgent-work.server";
import { log } from "../log.server";
import { describeError } from "./describe-error.server";
import { renewLeases, type LeaseQueue } from "./lease.server";
import type { IntakePacing } from "./pacing.server";

export type Claimed = { queue: "event"; row: WebhookEvent } | { queue: "job"; row: Job };
/** A claimed row, and until when (ms) this worker knows its lease holds. */
export type Task = Claimed & { leaseUntil: number };

/** What a lane needs of its worker. */
export interface LaneContext {
  owner: string;
  leaseMs: number;
  /** How often to look for due rows when there is nothing to do. */
  idleMs: number;
  clock: () => Date;
  stopping: () => boolean;
  /** Runs claimed rows of one queue. */
  run: (tasks: Task[]) => Promise<void>;
}

/** A row is not started with less than this share of its lease left (clocks of workers differ a little). */
const LEASE_START_MARGIN = 0.05;

export function lane(
  worker: LaneContext,
  queue: LeaseQueue,
  claimRows: (limit: number, now: Date) => Promise<Claimed[]>,
  /** `urgent`: the lane's work is marked urgent work (lib/urgent-work.server.ts): it never waits its turn behind intake. */
  shape: { slots: number; rowsPerRun?: number; pacing?: IntakePacing; urgent?: boolean },
) {
  const { owner, leaseMs, idleMs, clock } = worker;
  const { slots: slotCount, rowsPerRun = 1, pacing } = shape;
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
    while (!worker.stopping()) {
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
      if (claimed <= 0 && buffer.length === 0 && !worker.stopping()) await idle(claimed < 0 ? Math.max(idleMs, 1000) : idleMs);
    }
    return [];
  }

  async function slot() {
    for (let claimed = await next(); claimed.length; claimed = await next()) {
      // With SQLite (a synchronous driver) every query resolves in the microtask queue: a worker with
      // rows to do would never return to the event loop, and no request would be answered meanwhile.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await pacing?.beforeRun();
      // A lease that ran out while its row waited (renewals failed: the database was away): another
      // worker may have the row by now, and it will be claimed again otherwise.
      const expired = claimed.filter((task) => clock().getTime() > task.leaseUntil - leaseMs * LEASE_START_MARGIN);
      for (const task of expired) log.warn("worker.lease_expired_unstarted", { id: task.row.id, queue: task.queue });
      const tasks = claimed.filter((task) => !expired.includes(task));
      if (!tasks.length) {
        pacing?.afterRun(0);
        continue;
      }
      for (const task of tasks) inFlight.add(task);
      const started = performance.now();
      try {
        await (shape.urgent ? asUrgentWork(() => worker.run(tasks)) : worker.run(tasks));
      } finally {
        for (const task of tasks) inFlight.delete(task);
        pacing?.afterRun(performance.now() - started);
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

export type Lane = ReturnType<typeof lane>;
