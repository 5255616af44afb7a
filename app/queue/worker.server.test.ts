import { afterEach, describe, expect, it } from "vitest";
import { isPostgresClient } from "../lib/row-lock.server";
import { db } from "../db.server";
import { checkoutEvent, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { putInInbox } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop } from "../../test/helpers/factories";
import { replayDeadEvents } from "../events/inbox.server";
import { enqueueJob, JOB_KINDS, type QueuedJob } from "./jobs.server";
import { claimLeases, completeLease, INBOX_QUEUE, JOB_QUEUE } from "./lease.server";
import { createAppWorker } from "../events/registry.server";
import { createWorker } from "./worker.server";
type WorkerOptions = Parameters<typeof createAppWorker>[0];

const captured = (payment = paymentFixture()) => checkoutEvent("payment_captured", paymentEventData("payment_captured", payment));

/** A worker on a clock the test moves, starting at the real time (events are stored due then). */
function testWorker(options: WorkerOptions = {}) {
  let now = new Date();
  const worker = createAppWorker({
    jobHandlers: {},
    random: () => 0.5,
    now: () => now,
    retry: { baseMs: 1000, maxMs: 60_000 },
    leaseMs: 30_000,
    maxAttempts: 3,
    ...options,
  });
  return {
    ...worker,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    get now() {
      return now;
    },
  };
}

/**
 * Queues `count` jobs (`priority` 1: in the priority lane) that each wait on their call, as jobs wait
 * on Shopify, until all that can run have started; returns how many ran at once. Then lets them finish.
 */
async function jobsRunningAtOnce(count: number, options: WorkerOptions & { priority?: 0 | 1 }) {
  const { priority = 0, ...workerOptions } = options;
  const { shop } = await createConnectedShop();
  for (let i = 0; i < count; i++) await enqueueJob(shop.id, "waiting_test_kind", `job-${i}`, {}, { priority });
  let running = 0;
  let answer = () => {};
  const answered = new Promise<void>((resolve) => (answer = resolve));
  const worker = createAppWorker({ idleMs: 20, ...workerOptions, jobHandlers: { waiting_test_kind: async () => void (running++, await answered) } });
  worker.start();
  try {
    await expect.poll(() => running, { timeout: 5000 }).toBeGreaterThan(0);
    // Every free slot has had its turn to start one.
    await new Promise((r) => setTimeout(r, 100));
    const atOnce = running;
    answer();
    await expect.poll(() => db().job.count({ where: { shopId: shop.id, status: "done" } }), { timeout: 5000 }).toBe(count);
    return atOnce;
  } finally {
    answer();
    await worker.stop();
  }
}

// A real failure in the database: every timeline insert is refused until the trigger goes.
const breakTimeline = async () => {
  if (!isPostgresClient(db())) {
    await db().$executeRawUnsafe(
      `CREATE TRIGGER IF NOT EXISTS timeline_down BEFORE INSERT ON "PaymentActivity" BEGIN SELECT RAISE(ABORT, 'timeline storage is down'); END;`,
    );
    return;
  }
  await db().$executeRawUnsafe(
    `CREATE OR REPLACE FUNCTION timeline_down() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'timeline storage is down'; END $$ LANGUAGE plpgsql`,
  );
  await db().$executeRawUnsafe(`CREATE TRIGGER timeline_down BEFORE INSERT ON "PaymentActivity" FOR EACH ROW EXECUTE FUNCTION timeline_down()`);
};
const repairTimeline = () =>
  db().$executeRawUnsafe(isPostgresClient(db()) ? `DROP TRIGGER IF EXISTS timeline_down ON "PaymentActivity"` : `DROP TRIGGER IF EXISTS timeline_down`);
afterEach(repairTimeline);

describe("processing the inbox", () => {
  it("applies an event and marks it processed, releasing the lease", async () => {
    const { shop, connection } = await createConnectedShop();
    const row = await putInInbox(connection, captured());
    const worker = testWorker();
    expect(await worker.runUntilIdle()).toBe(1);
    const after = await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ status: "processed", attempts: 1, leaseOwner: null, leaseExpiresAt: null, lastError: null });
    expect(after.processedAt?.toISOString()).toBe(worker.now.toISOString());
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("marks an unknown event type processed with no effect", async () => {
    const { shop, connection } = await createConnectedShop();
    const row = await putInInbox(connection, checkoutEvent("card_updater_updated", { id: "src_x", last4: "4242" }));
    await testWorker().runUntilIdle();
    expect(await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "processed", lastError: null });
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await db().job.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("retries a failed attempt later with backoff; nothing of the failed attempt remains", async () => {
    const { shop, connection } = await createConnectedShop();
    const row = await putInInbox(connection, captured());
    await breakTimeline();
    const worker = testWorker();
    await worker.runUntilIdle();
    const failed = await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } });
    expect(failed).toMatchObject({ status: "pending", attempts: 1, leaseOwner: null });
    expect(failed.lastError).toContain("timeline storage is down");
    // Full jitter: random 0.5 of min(60 s, 1 s * 2^0).
    expect(failed.nextAttemptAt.getTime() - worker.now.getTime()).toBe(500);
    // The payment upsert ran before the failing insert, in the same transaction: rolled back.
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(0);

    await repairTimeline();
    expect(await worker.runUntilIdle()).toBe(0); // not due yet
    worker.advance(500);
    expect(await worker.runUntilIdle()).toBe(1);
    expect(await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "processed", attempts: 2, lastError: null });
    expect(await db().paymentActivity.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("dead-letters after the last attempt with its error, and a replay then processes it", async () => {
    const { shop, connection } = await createConnectedShop();
    const row = await putInInbox(connection, captured());
    await breakTimeline();
    const worker = testWorker({ maxAttempts: 3 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await worker.runUntilIdle();
      const current = await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } });
      if (current.status === "pending") {
        delays.push(current.nextAttemptAt.getTime() - worker.now.getTime());
        worker.advance(60_000);
      }
    }
    expect(delays).toEqual([500, 1000]); // doubling
    const dead = await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } });
    expect(dead).toMatchObject({ status: "dead", attempts: 3 });
    expect(dead.lastError).toContain("timeline storage is down");
    worker.advance(3_600_000);
    expect(await worker.runUntilIdle()).toBe(0);

    await repairTimeline();
    expect(await replayDeadEvents(shop.id, "staff@example.com")).toBe(1);
    await testWorker().runUntilIdle();
    expect(await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "processed", attempts: 1 });
    expect(await db().auditLog.count({ where: { shopId: shop.id, action: "event.replay_dead" } })).toBe(1);
  });

  it("dead-letters at once an event whose payload cannot be processed", async () => {
    const { connection } = await createConnectedShop();
    const row = await putInInbox(connection, checkoutEvent("payment_captured", { amount: "ten", currency: "USD" }));
    await testWorker().runUntilIdle();
    const dead = await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } });
    expect(dead).toMatchObject({ status: "dead", attempts: 1 });
    expect(dead.lastError).toContain("data.amount");
  });

  it("applies a batch of events in one transaction: a failing event is undone alone, the others commit", async () => {
    const { shop, connection } = await createConnectedShop();
    const good = [paymentFixture(), paymentFixture()];
    const first = await putInInbox(connection, captured(good[0]));
    // A capture with no amount in its currency's units cannot be applied (it fails after the payment row is written).
    const bad = await putInInbox(connection, checkoutEvent("payment_captured", { ...paymentEventData("payment_captured", paymentFixture()), amount: "ten" }));
    const last = await putInInbox(connection, captured(good[1]));
    const worker = testWorker();
    expect(await worker.runUntilIdle()).toBe(3);
    const status = async (id: string) => (await db().webhookEvent.findUniqueOrThrow({ where: { id } })).status;
    expect([await status(first.id), await status(bad.id), await status(last.id)]).toEqual(["processed", "dead", "processed"]);
    const payments = await db().payment.findMany({ where: { shopId: shop.id }, orderBy: { ckoPaymentId: "asc" } });
    expect(payments.map((p) => p.ckoPaymentId)).toEqual(good.map((p) => p.id).sort());
  });

  it("commits a long batch in parts, so the transaction never holds the database for long", async () => {
    const { connection } = await createConnectedShop();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await putInInbox(connection, captured())).id);
    // Each event takes 6 ms to apply: a transaction commits once it has run 10 ms, after two of them.
    const transactions = new Map<object, string[]>();
    const applyEvent = async (tx: object, row: { id: string }) => {
      if (!ids.has(row.id)) return;
      transactions.set(tx, [...(transactions.get(tx) ?? []), row.id]);
      await new Promise((r) => setTimeout(r, 6));
    };
    expect(await createWorker({ applyEvent, jobHandlers: {} }, { concurrency: 1, batchCommitMs: 10 }).runUntilIdle()).toBeGreaterThanOrEqual(5);
    const parts = [...transactions.values()];
    expect(parts.flat().sort()).toEqual([...ids].sort());
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.every((part) => part.length <= 2)).toBe(true);
    expect(await db().webhookEvent.count({ where: { id: { in: [...ids] }, status: "processed" } })).toBe(5);
  });

  it("processes the event once after a worker dies holding its lease", async () => {
    const { shop, connection } = await createConnectedShop();
    const row = await putInInbox(connection, captured());
    const worker = testWorker({ leaseMs: 30_000 });
    // A worker claims the event and dies before finishing.
    const claimed = await claimLeases(INBOX_QUEUE, { owner: "dead-worker", now: worker.now, leaseMs: 30_000, limit: 10 });
    expect(claimed.map((l) => l.id)).toEqual([row.id]);
    expect(await worker.runUntilIdle()).toBe(0); // leased: nobody else takes it
    worker.advance(30_001);
    expect(await worker.runUntilIdle()).toBe(1);
    expect(await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "processed", attempts: 2, leaseOwner: null });
    // The dead worker, were it to come back, cannot complete what it no longer owns.
    expect(await completeLease(db(), INBOX_QUEUE, row.id, "dead-worker", worker.now)).toBe(false);
    expect(await db().paymentActivity.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("dead-letters an event whose last attempt never finished", async () => {
    const { connection } = await createConnectedShop();
    const row = await putInInbox(connection, captured());
    const worker = testWorker({ maxAttempts: 2, leaseMs: 1000 });
    for (let i = 0; i < 2; i++) {
      await claimLeases(INBOX_QUEUE, { owner: `crashing-${i}`, now: worker.now, leaseMs: 1000, limit: 1 });
      worker.advance(1001);
    }
    await worker.runUntilIdle();
    const dead = await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } });
    expect(dead.status).toBe("dead");
    expect(dead.lastError).toMatch(/attempt 2 did not finish/);
  });

  it("never lets two workers own one event", async () => {
    const { shop, connection } = await createConnectedShop();
    const rows = [];
    for (let i = 0; i < 30; i++) rows.push(await putInInbox(connection, captured()));
    await Promise.all([
      testWorker({ concurrency: 3 }).runUntilIdle(),
      testWorker({ concurrency: 3 }).runUntilIdle(),
      testWorker({ concurrency: 3 }).runUntilIdle(),
    ]);
    const after = await db().webhookEvent.findMany({ where: { shopId: shop.id } });
    expect(after.map((e) => [e.status, e.attempts])).toEqual(rows.map(() => ["processed", 1]));
    expect(await db().paymentActivity.count({ where: { shopId: shop.id } })).toBe(30);
  });
});

describe("priority", () => {
  it("claims a flagged payment's event ahead of a backlog that arrived before it", async () => {
    const { connection } = await createConnectedShop();
    for (let i = 0; i < 30; i++) await putInInbox(connection, captured());
    const flagged = await putInInbox(
      connection,
      checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture({ flagged: true, riskScore: 91 }))),
    );
    const warning = await putInInbox(connection, checkoutEvent("fraud_reported", { id: paymentFixture().id }));
    expect([flagged.priority, warning.priority]).toEqual([1, 1]);
    const claimed = await claimLeases(INBOX_QUEUE, { owner: "w", now: new Date(Date.now() + 1000), leaseMs: 30_000, limit: 5 });
    expect(
      claimed
        .slice(0, 2)
        .map((row) => row.id)
        .sort(),
    ).toEqual([flagged.id, warning.id].sort());
    expect(claimed.slice(2).every((row) => row.priority === 0)).toBe(true);
  });

  it("runs several priority jobs at once: a hold waits on Shopify, and the next flagged payment must not wait for it", async () => {
    expect(await jobsRunningAtOnce(10, { jobConcurrency: 1, priority: 1 })).toBe(8);
  });

  it("queues the review of a flagged payment in the priority lane, which claims only such jobs", async () => {
    const { shop, connection } = await createConnectedShop();
    await putInInbox(connection, captured());
    const risky = paymentFixture({ flagged: true, riskScore: 91 });
    await putInInbox(connection, checkoutEvent("payment_approved", paymentEventData("payment_approved", risky)));
    await testWorker().runUntilIdle();
    const reviews = await db().job.findMany({ where: { shopId: shop.id, kind: "payment_review" } });
    const priorityOf = Object.fromEntries(await Promise.all(reviews.map(async (job) => [JSON.parse(job.payload).ckoPaymentId, job.priority])));
    expect(priorityOf).toEqual({ [risky.id]: 1, [Object.keys(priorityOf).find((id) => id !== risky.id)!]: 0 });
    const at = new Date(Date.now() + 1000);
    // (Other tests' jobs share the table: only this shop's are looked at.)
    const only = await claimLeases(JOB_QUEUE, { owner: "p", now: at, leaseMs: 30_000, limit: 100, kinds: ["payment_review"], priority: "only" });
    expect(only.filter((job) => job.shopId === shop.id).map((job) => JSON.parse(job.payload).ckoPaymentId)).toEqual([risky.id]);
    const rest = await claimLeases(JOB_QUEUE, { owner: "n", now: at, leaseMs: 30_000, limit: 100, kinds: ["payment_review"], priority: "none" });
    expect(rest.every((job) => job.priority === 0)).toBe(true);
    expect(rest.filter((job) => job.shopId === shop.id)).toHaveLength(1);
  });
});

describe("jobs", () => {
  it("leaves jobs of kinds without a handler pending", async () => {
    const { shop } = await createConnectedShop();
    await enqueueJob(shop.id, "payment_review", "p1");
    expect(await testWorker({ jobHandlers: {} }).runUntilIdle()).toBe(0);
    expect(await db().job.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("runs a registered handler once with the job's payload", async () => {
    const { shop } = await createConnectedShop();
    await enqueueJob(shop.id, "sync_test_kind", "dsp_1:evt_1", { disputeId: "d1" });
    const seen: QueuedJob[] = [];
    const worker = testWorker({ jobHandlers: { sync_test_kind: async (job) => void seen.push(job) } });
    await worker.runUntilIdle();
    await worker.runUntilIdle();
    expect(seen).toMatchObject([{ kind: "sync_test_kind", key: "dsp_1:evt_1", payload: { disputeId: "d1" }, attempts: 1 }]);
    expect(await db().job.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "done", leaseOwner: null });
  });

  it("runs as many jobs at once as it has job slots, whatever the event lane's slots", async () => {
    expect(await jobsRunningAtOnce(8, { concurrency: 1, jobConcurrency: 6 })).toBe(6);
  });

  it("starts a page of a kind run together at once, in a lane of its own: a backlog of them leaves the job slots free", async () => {
    const { shop } = await createConnectedShop();
    for (let i = 0; i < 40; i++) await enqueueJob(shop.id, JOB_KINDS.reconciliationCheck, `check-${i}`, {});
    await enqueueJob(shop.id, "other_test_kind", "other", {});
    let running = 0;
    let otherRan = false;
    let answer = () => {};
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const worker = createAppWorker({
      idleMs: 20,
      jobConcurrency: 1,
      jobHandlers: { [JOB_KINDS.reconciliationCheck]: async () => void (running++, await answered), other_test_kind: async () => void (otherRan = true) },
    });
    worker.start();
    try {
      // Two slots of 32: the 40 checks all start, and the one job slot stays free for the other kind.
      await expect.poll(() => running, { timeout: 5000 }).toBe(40);
      await expect.poll(() => otherRan, { timeout: 5000 }).toBe(true);
      answer();
      await expect.poll(() => db().job.count({ where: { shopId: shop.id, status: "done" } }), { timeout: 5000 }).toBe(41);
    } finally {
      answer();
      await worker.stop();
    }
  });

  it("marks jobs finishing together done by their own leases: one taken over meanwhile stays its new owner's", async () => {
    const { shop } = await createConnectedShop();
    for (let i = 0; i < 6; i++) await enqueueJob(shop.id, "waiting_test_kind", `job-${i}`, {});
    let running = 0;
    let answer = () => {};
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const worker = createAppWorker({ idleMs: 20, jobConcurrency: 8, jobHandlers: { waiting_test_kind: async () => void (running++, await answered) } });
    worker.start();
    try {
      await expect.poll(() => running, { timeout: 5000 }).toBe(6);
      const taken = await db().job.findFirstOrThrow({ where: { shopId: shop.id, key: "job-3" } });
      await db().job.update({ where: { id: taken.id }, data: { leaseOwner: "another-worker" } });
      answer();
      await expect.poll(() => db().job.count({ where: { shopId: shop.id, status: "done" } }), { timeout: 5000 }).toBe(5);
      expect(await db().job.findUniqueOrThrow({ where: { id: taken.id } })).toMatchObject({ status: "processing", leaseOwner: "another-worker" });
    } finally {
      answer();
      await worker.stop();
    }
  });

  it("retries a failing job with backoff and dead-letters it after the last attempt", async () => {
    const { shop } = await createConnectedShop();
    // A kind of its own: the other tests' payment events enqueued jobs too.
    await enqueueJob(shop.id, "flaky_test_kind", "p2");
    let calls = 0;
    const worker = testWorker({
      maxAttempts: 2,
      jobHandlers: {
        flaky_test_kind: async () => {
          calls++;
          throw new Error("Shopify answered 502");
        },
      },
    });
    await worker.runUntilIdle();
    expect(await db().job.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "Shopify answered 502",
    });
    worker.advance(1000);
    await worker.runUntilIdle();
    expect(await db().job.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "dead", attempts: 2, lastError: "Shopify answered 502" });
    expect(calls).toBe(2);
  });
});

describe("running and stopping", () => {
  it("wakes up when an event is stored, and stops claiming once stopped", async () => {
    const { shop, connection } = await createConnectedShop();
    const worker = createAppWorker({ jobHandlers: {}, idleMs: 60_000 });
    worker.start();
    try {
      const row = await putInInbox(connection, captured());
      await expect
        .poll(
          () =>
            db()
              .webhookEvent.findUniqueOrThrow({ where: { id: row.id } })
              .then((e) => e.status),
          { timeout: 5000 },
        )
        .toBe("processed");
    } finally {
      await worker.stop();
    }
    const later = await putInInbox(connection, captured());
    await new Promise((r) => setTimeout(r, 300));
    expect((await db().webhookEvent.findUniqueOrThrow({ where: { id: later.id } })).status).toBe("pending");
    expect(await db().payment.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("returns to the event loop between rows, so requests are answered while it works through a backlog", async () => {
    const { shop } = await createConnectedShop();
    for (let i = 0; i < 60; i++) await enqueueJob(shop.id, "backlog_test_kind", `job-${i}`);
    let ran = 0;
    // A handler that only talks to SQLite: its queries resolve in the microtask queue, so a worker that
    // never yields would let the timer below fire only once the whole backlog is done.
    const worker = createAppWorker({ jobConcurrency: 2, jobHandlers: { backlog_test_kind: async () => void (await db().shop.count(), ran++) } });
    worker.start();
    try {
      while (ran === 0) await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(ran).toBeLessThan(60);
    } finally {
      await worker.stop();
    }
  });

  it("gives back the lease of work that does not finish within the grace period", async () => {
    const { shop } = await createConnectedShop();
    await enqueueJob(shop.id, "slow_test_kind", "slow");
    let release = () => {};
    let started = false;
    const worker = createAppWorker({
      idleMs: 20,
      jobHandlers: {
        slow_test_kind: () =>
          new Promise<void>((resolve) => {
            started = true;
            release = resolve;
          }),
      },
    });
    worker.start();
    await expect.poll(() => started, { timeout: 5000 }).toBe(true);
    await worker.stop(50);
    expect(await db().job.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "pending", leaseOwner: null });
    release();
    await new Promise((r) => setTimeout(r, 50));
    // Finishing late does not mark it done behind a lease it gave back.
    expect(await db().job.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "pending" });
  });

  it("renews the lease of a row that runs longer than the lease, so no other worker takes it over", async () => {
    const { shop } = await createConnectedShop();
    await enqueueJob(shop.id, "long_test_kind", "long");
    const runs: string[] = [];
    const handler = (name: string) => async () => {
      runs.push(name);
      await new Promise((r) => setTimeout(r, 1_200));
    };
    // Leases of 300 ms, renewed every 100 ms: without renewals the second worker would take the job over.
    const first = createAppWorker({ owner: "first", idleMs: 20, leaseMs: 300, jobHandlers: { long_test_kind: handler("first") } });
    first.start();
    await expect.poll(() => runs.length, { timeout: 5000 }).toBe(1);
    const second = createAppWorker({ owner: "second", idleMs: 20, leaseMs: 300, jobHandlers: { long_test_kind: handler("second") } });
    second.start();
    try {
      await expect
        .poll(
          () =>
            db()
              .job.findFirstOrThrow({ where: { shopId: shop.id } })
              .then((j) => j.status),
          { timeout: 5000 },
        )
        .toBe("done");
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    expect(runs).toEqual(["first"]);
    expect(await db().job.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ attempts: 1, leaseOwner: null });
  });

  it("does not start a claimed row whose lease another worker has taken over", async () => {
    const { shop } = await createConnectedShop();
    // Both due, "a" first (claims are in order of due time).
    await enqueueJob(shop.id, "queued_test_kind", "a", {}, { runAt: new Date(Date.now() - 1_000) });
    await enqueueJob(shop.id, "queued_test_kind", "b");
    const runs: string[] = [];
    let release = () => {};
    // One slot: "a" runs and waits, "b" waits in the claimed buffer while its lease is taken over.
    const worker = createAppWorker({
      owner: "slow",
      jobConcurrency: 1,
      idleMs: 20,
      leaseMs: 300,
      jobHandlers: {
        queued_test_kind: (job) => (runs.push(job.key), job.key === "a" ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve()),
      },
    });
    worker.start();
    try {
      await expect.poll(() => runs.length, { timeout: 5000 }).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 50));
      expect(runs).toEqual(["a"]);
      await db().job.updateMany({ where: { shopId: shop.id, key: "b" }, data: { leaseOwner: "other-worker", leaseExpiresAt: new Date(Date.now() + 60_000) } });
      await new Promise((r) => setTimeout(r, 400)); // a renewal finds it gone
      release();
      await expect
        .poll(
          () =>
            db()
              .job.findFirstOrThrow({ where: { shopId: shop.id, key: "a" } })
              .then((j) => j.status),
          { timeout: 5000 },
        )
        .toBe("done");
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await worker.stop();
    }
    expect(runs).toEqual(["a"]);
    expect(await db().job.findFirstOrThrow({ where: { shopId: shop.id, key: "b" } })).toMatchObject({ status: "processing", leaseOwner: "other-worker" });
  });
});
