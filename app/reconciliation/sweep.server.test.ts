// The daily sweep: which payments it queues a check of, a page at a time, what it records of the day,
// and how it keeps itself going (and cleaned up) day after day.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { ckoId } from "../../test/fixtures/checkout-events";
import { db } from "../db.server";
import { createAppWorker, JOB_HANDLERS } from "../events/registry.server";
import { dayOf, startOf } from "../queue/daily.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { applyRetention } from "../shops/retention.server";
import { scheduleReconciliationSweep, SWEEP_PAGE_SIZE, sweepPage } from "./sweep.server";

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

/** Payments of the shop, each linked to an order unless `linked` is false. */
async function payments(shopId: string, count: number, data: { processedOn?: Date | null; createdAt?: Date; linked?: boolean } = {}) {
  const ids = Array.from({ length: count }, () => randomUUID());
  await db().payment.createMany({
    data: ids.map((id) => ({
      id,
      shopId,
      ckoPaymentId: ckoId("pay"),
      amount: 9_400,
      currency: "USD",
      status: "Captured",
      capturedAmount: 9_400,
      processedOn: data.processedOn === undefined ? daysAgo(1) : data.processedOn,
      ...(data.createdAt ? { createdAt: data.createdAt } : {}),
    })),
  });
  if (data.linked !== false) {
    await db().orderLink.createMany({
      data: ids.map((paymentId, i) => ({
        shopId,
        paymentId,
        orderGid: `gid://shopify/Order/${Date.now()}${i}`,
        matchedBy: "transaction",
        confidence: "strong",
      })),
    });
  }
  return ids;
}

const jobsOf = (shopId: string, kind: string) => db().job.findMany({ where: { shopId, kind }, orderBy: { key: "asc" } });
const sweepOf = (shopId: string, day: string) => db().reconciliationSweep.findUnique({ where: { shopId_day: { shopId, day } } });
/** The worker running due sweep jobs only (the checks they queue stay queued). */
const runSweeps = () => createAppWorker({ jobHandlers: { [JOB_KINDS.reconciliationSweep]: JOB_HANDLERS[JOB_KINDS.reconciliationSweep] } }).runUntilIdle();

describe("the daily reconciliation sweep", () => {
  it("queues a check of each payment of the last 60 days that has an order, once, and records the day", async () => {
    const shop = await createShop();
    const other = await createShop();
    const [processedRecently] = await payments(shop.id, 1, { processedOn: daysAgo(10), createdAt: daysAgo(100) });
    const [recordedRecently] = await payments(shop.id, 1, { processedOn: null, createdAt: daysAgo(5) });
    await payments(shop.id, 1, { processedOn: daysAgo(70) });
    await payments(shop.id, 1, { processedOn: null, createdAt: daysAgo(61) });
    await payments(shop.id, 1, { linked: false });
    await payments(other.id, 1);

    const now = new Date();
    const day = dayOf(now);
    await scheduleReconciliationSweep(shop.id, now);
    await scheduleReconciliationSweep(shop.id, now);
    expect((await jobsOf(shop.id, JOB_KINDS.reconciliationSweep)).map((j) => j.key)).toEqual([day]);
    await runSweeps();

    const checks = await jobsOf(shop.id, JOB_KINDS.reconciliationCheck);
    expect(checks.map((j) => [j.key, JSON.parse(j.payload)])).toEqual(
      [processedRecently, recordedRecently].sort().map((id) => [`${id}:sweep:${day}`, { paymentId: id }]),
    );
    expect(await jobsOf(other.id, JOB_KINDS.reconciliationCheck)).toEqual([]);
    const sweep = await sweepOf(shop.id, day);
    expect(sweep).toMatchObject({ checked: 2 });
    expect(sweep!.finishedAt!.getTime()).toBeGreaterThanOrEqual(sweep!.startedAt.getTime());
    expect(await sweepOf(other.id, day)).toBeNull();

    // The next day's sweep was queued first, for the start of that day.
    const tomorrow = dayOf(new Date(startOf(day).getTime() + DAY_MS));
    const runs = await jobsOf(shop.id, JOB_KINDS.reconciliationSweep);
    expect(runs.map((j) => [j.key, j.status])).toEqual([
      [day, "done"],
      [tomorrow, "pending"],
    ]);
    expect(runs[1].runAt).toEqual(startOf(tomorrow));

    // The day swept again (a retry): nothing more queued, the count unchanged.
    await sweepPage(shop.id, day, 0, null);
    expect(await jobsOf(shop.id, JOB_KINDS.reconciliationCheck)).toHaveLength(2);
    expect(await sweepOf(shop.id, day)).toMatchObject({ checked: 2 });
  });

  it("goes a page of 500 payments per job, and finishes the day with the last page", async () => {
    const shop = await createShop();
    await payments(shop.id, SWEEP_PAGE_SIZE + 1);
    const day = dayOf(new Date());

    expect(await sweepPage(shop.id, day, 0, null)).toBe(SWEEP_PAGE_SIZE);
    expect(await db().job.count({ where: { shopId: shop.id, kind: JOB_KINDS.reconciliationCheck } })).toBe(SWEEP_PAGE_SIZE);
    expect((await jobsOf(shop.id, JOB_KINDS.reconciliationSweep)).map((j) => j.key)).toEqual([`${day}:page:1`]);
    expect(await sweepOf(shop.id, day)).toMatchObject({ checked: SWEEP_PAGE_SIZE, finishedAt: null });

    await runSweeps();
    expect(await db().job.count({ where: { shopId: shop.id, kind: JOB_KINDS.reconciliationCheck } })).toBe(SWEEP_PAGE_SIZE + 1);
    expect(await db().job.count({ where: { shopId: shop.id, kind: JOB_KINDS.reconciliationCheck, key: { endsWith: `:sweep:${day}` } } })).toBe(
      SWEEP_PAGE_SIZE + 1,
    );
    const sweep = await sweepOf(shop.id, day);
    expect(sweep).toMatchObject({ checked: SWEEP_PAGE_SIZE + 1 });
    expect(sweep!.finishedAt).toBeInstanceOf(Date);
  });

  it("its old finished jobs, and old finished checks, are deleted by the data retention", async () => {
    const shop = await createShop();
    const finished = (kind: string, key: string, daysOld: number) =>
      db().job.create({ data: { shopId: shop.id, kind, key, status: "done", runAt: daysAgo(daysOld), completedAt: daysAgo(daysOld), payload: "{}" } });
    await finished(JOB_KINDS.reconciliationSweep, dayOf(daysAgo(40)), 40);
    await finished(JOB_KINDS.reconciliationSweep, `${dayOf(daysAgo(40))}:page:1`, 40);
    await finished(JOB_KINDS.reconciliationCheck, `${randomUUID()}:sweep:${dayOf(daysAgo(40))}`, 40);
    const recent = await finished(JOB_KINDS.reconciliationCheck, `${randomUUID()}:linked`, 1);

    expect(await applyRetention(shop.id)).toMatchObject({ jobsDeleted: 3, jobsShrunk: 0 });
    expect((await db().job.findMany({ where: { shopId: shop.id } })).map((j) => j.id)).toEqual([recent.id]);
  });
});
