// The marks writers leave for Insights' roll-ups: an hour once per transaction (every time outside
// one), the roll-up job queued once for the end of the minute, a payment's hold and disputes marked
// when what they show of it changes, and an event's mark taken by the job through the worker.
import { describe, expect, it } from "vitest";
import { checkoutEvent, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { putInInbox } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop, createShop } from "../../test/helpers/factories";
import { createPayment } from "../../test/helpers/holds";
import { db, rawSql } from "../db.server";
import { createAppWorker, JOB_HANDLERS } from "../events/registry.server";
import { localDay } from "../lib/dates";
import { inPreparedTransaction } from "../lib/prepared-sql.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { markInsightsStale, markPaymentStale, utcHour } from "./stale.server";

const marksOf = async (shopId: string) => (await db().insightStaleHour.findMany({ where: { shopId } })).map((m) => m.hour).sort();
const rollupJobsOf = (shopId: string) => db().job.findMany({ where: { shopId, kind: JOB_KINDS.insightsRollup } });

/** The job of a change made between `before` and `after`: keyed by its UTC minute, due 30 s after that minute. */
function expectJobOfTheMinute(job: { key: string; runAt: Date; status: string }, before: number, after: number) {
  const minute = Date.parse(`${job.key}:00Z`);
  expect(job.key).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
  expect(minute).toBeGreaterThanOrEqual(before - 60_000);
  expect(minute).toBeLessThanOrEqual(after);
  expect(job.runAt.getTime()).toBe(minute + 90_000);
  expect(job.status).toBe("pending");
}

describe("markInsightsStale", () => {
  it("marks each hour once in a transaction, and queues the shop's roll-up job once", async () => {
    const shop = await createShop();
    const before = Date.now();
    await inPreparedTransaction(db(), async (tx) => {
      await markInsightsStale(tx, shop.id, new Date("2026-12-06T14:05:00Z"));
      await markInsightsStale(tx, shop.id, new Date("2026-12-06T14:59:59Z"));
      await markInsightsStale(tx, shop.id, new Date("2026-12-06T15:00:00Z"));
    });
    expect(await marksOf(shop.id)).toEqual(["2026-12-06T14", "2026-12-06T15"]);
    const jobs = await rollupJobsOf(shop.id);
    expect(jobs).toHaveLength(1);
    expectJobOfTheMinute(jobs[0], before, Date.now());
  });

  it("marks every time outside a transaction, and in each transaction, as the shops are", async () => {
    const [a, b] = [await createShop(), await createShop()];
    const at = new Date("2026-12-06T14:05:00Z");
    await markInsightsStale(rawSql(), a.id, at);
    await markInsightsStale(rawSql(), a.id, at);
    await db().$transaction((tx) => markInsightsStale(tx, a.id, at));
    await db().$transaction(async (tx) => {
      await markInsightsStale(tx, a.id, at);
      await markInsightsStale(tx, b.id, at);
    });
    expect(await marksOf(a.id)).toEqual(Array(4).fill("2026-12-06T14"));
    expect(await marksOf(b.id)).toEqual(["2026-12-06T14"]);
    expect(await rollupJobsOf(b.id)).toHaveLength(1);
  });
});

describe("markPaymentStale", () => {
  it("marks the payment's hour, and its hold's and disputes' when what they show of it changes", async () => {
    const shop = await createShop();
    const payment = await createPayment(shop.id, { createdAt: new Date("2026-11-09T20:00:00Z"), billingCountry: null });
    await db().hold.create({
      data: {
        shopId: shop.id,
        paymentId: payment.id,
        orderGid: "gid://shopify/Order/1",
        externalId: `hold-${payment.id}`,
        status: "held",
        decidedAt: new Date("2026-11-12T20:10:00Z"),
      },
    });
    await db().dispute.createMany({
      data: [
        {
          shopId: shop.id,
          ckoDisputeId: "dsp_1",
          paymentId: payment.id,
          amount: 9400,
          currency: "USD",
          status: "won",
          receivedOn: new Date("2026-11-20T08:00:00Z"),
        },
        {
          shopId: shop.id,
          ckoDisputeId: "dsp_2",
          paymentId: payment.id,
          amount: 9400,
          currency: "USD",
          status: "won",
          createdAt: new Date("2026-11-21T09:30:00Z"),
        },
      ],
    });
    await markPaymentStale(rawSql(), payment, { riskScore: 10, billingCountry: null, amount: payment.amount });
    expect(await marksOf(shop.id)).toEqual(["2026-11-09T20"]);
    await db().insightStaleHour.deleteMany({ where: { shopId: shop.id } });

    await markPaymentStale(rawSql(), payment, { billingCountry: "FR" });
    expect(await marksOf(shop.id)).toEqual(["2026-11-09T20", "2026-11-12T20", "2026-11-20T08", "2026-11-21T09"]);
  });
});

describe("through the worker", () => {
  it("a batch of events marks their hours once, and the roll-up job then brings the day up to date", async () => {
    const { shop, connection } = await createConnectedShop();
    await db().shop.update({ where: { id: shop.id }, data: { ianaTimezone: "America/Los_Angeles" } });
    const [p, q] = [paymentFixture(), paymentFixture({ amount: 1_200, currency: "EUR", billingCountry: "DE" })];
    for (const [type, payment] of [
      ["payment_approved", p],
      ["payment_captured", p],
      ["payment_approved", q],
    ] as const) {
      await putInInbox(connection, checkoutEvent(type, paymentEventData(type, payment)));
    }
    const handlers = { [JOB_KINDS.insightsRollup]: JOB_HANDLERS[JOB_KINDS.insightsRollup] };
    const before = Date.now();
    // One transaction for the batch, however slow the machine.
    expect(await createAppWorker({ jobHandlers: handlers, jobConcurrency: 1, batchCommitMs: 60_000 }).runUntilIdle()).toBe(3);

    const payments = await db().payment.findMany({ where: { shopId: shop.id } });
    expect(await marksOf(shop.id)).toEqual([...new Set(payments.map((row) => utcHour(row.createdAt)))].sort());
    const [job, ...others] = await rollupJobsOf(shop.id);
    expect(others).toEqual([]);
    expectJobOfTheMinute(job, before, Date.now());
    // Not due yet: nothing rolled up.
    expect(await db().insightPaymentDay.count({ where: { shopId: shop.id } })).toBe(0);

    const later = createAppWorker({ jobHandlers: handlers, jobConcurrency: 1, now: () => new Date(job.runAt.getTime() + 1_000) });
    await later.runUntilIdle();
    expect(await db().job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "done" });
    expect(await marksOf(shop.id)).toEqual([]);
    const day = localDay(payments[0].createdAt, "America/Los_Angeles");
    const rows = await db().insightPaymentDay.findMany({ where: { shopId: shop.id }, orderBy: { currency: "asc" } });
    expect(rows.map((r) => [r.day, r.currency, r.country, r.approved, Number(r.approvedAmount), r.captured, Number(r.capturedAmount)])).toEqual([
      [day, "EUR", "DE", 1, 1_200, 0, 0],
      [day, "USD", "US", 1, 6_540, 1, 6_540],
    ]);
  });
});
