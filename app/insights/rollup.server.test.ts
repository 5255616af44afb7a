// Insights' daily roll-ups: the exact rows of a shop in Los Angeles time (payments in two currencies and
// countries, declines of each class, one recovered the next day, disputes won, accepted and submitted,
// holds released, canceled and monitor-only under two rules); the same rows whether kept current change
// by change through the app's own paths or rebuilt from scratch; a time zone change; another shop's
// rows left alone; a large shop's whole rebuild made by a job, never inside a refresh, with the changes
// made meanwhile computed after it.
import type { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import {
  checkoutEvent,
  ckoId,
  disputeEventData,
  disputeFixture,
  paymentEventData,
  paymentFixture,
  type PaymentFixture,
} from "../../test/fixtures/checkout-events";
import { putInInbox } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop } from "../../test/helpers/factories";
import type { CheckoutClient } from "../checkout/client.server";
import { db, rawSql } from "../db.server";
import { syncDispute } from "../disputes/sync.server";
import { createAppWorker } from "../events/registry.server";
import { recordHoldDecision } from "../holds/holds.server";
import { releaseHold } from "../holds/review-actions.server";
import type { ShopifyAdmin } from "../holds/shopify-orders.server";
import { importPayment } from "../payments/import.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { queueInsightsRebuild } from "./rebuild-queue.server";
import { insightsRollupJob, rebuildInsights, refreshInsights } from "./rollup.server";
import { markInsightsStale, markPaymentStale } from "./stale.server";

const LA = "America/Los_Angeles";
const at = (iso: string) => new Date(iso);

type PaymentData = Partial<Prisma.PaymentUncheckedCreateInput> & { createdAt: Date; capturedAt?: Date };

async function payment(shopId: string, { capturedAt, ...data }: PaymentData) {
  const row = await db().payment.create({
    data: { shopId, ckoPaymentId: ckoId("pay"), amount: 1000, currency: "USD", status: "Captured", processedOn: data.createdAt, ...data },
  });
  if (capturedAt) {
    await db().paymentActivity.create({
      data: {
        shopId,
        paymentId: row.id,
        sourceKey: `capture:${row.id}`,
        kind: "event",
        type: "payment_captured",
        amount: row.capturedAmount,
        summary: "Captured",
        occurredAt: capturedAt,
      },
    });
  }
  return row;
}

async function hold(shopId: string, paymentId: string, data: Partial<Prisma.HoldUncheckedCreateInput> & { decidedAt: Date }) {
  const id = crypto.randomUUID();
  return db().hold.create({
    data: { id, shopId, paymentId, orderGid: `gid://shopify/Order/${id}`, externalId: `cko-companion-hold-${id}`, status: "held", ...data },
  });
}

const hits = (...rules: string[]) => JSON.stringify(rules.map((rule) => ({ rule, value: 1 })));

/**
 * The shop's history. Los Angeles is UTC-8 in November 2026: 2026-11-10 runs from 08:00Z to 08:00Z on
 * the 11th, so a payment at 03:00Z on the 11th is the 10th's.
 */
async function seedHistory(shopId: string) {
  const declined = { status: "Declined", capturedAmount: 0 };
  const p1 = await payment(shopId, {
    amount: 10_000,
    capturedAmount: 10_000,
    billingCountry: "US",
    customerEmail: "ada@example.com",
    createdAt: at("2026-11-10T18:00:00Z"),
    capturedAt: at("2026-11-10T19:00:00Z"),
  });
  const p2 = await payment(shopId, {
    amount: 5_000,
    capturedAmount: 5_000,
    refundedAmount: 2_000,
    status: "Partially Refunded",
    billingCountry: "US",
    createdAt: at("2026-11-11T03:00:00Z"),
    capturedAt: at("2026-11-11T03:10:00Z"),
  });
  const p3 = await payment(shopId, {
    amount: 7_000,
    currency: "EUR",
    status: "Authorized",
    shippingCountry: "DE",
    cardFingerprint: "FP-ERIN",
    createdAt: at("2026-11-10T20:00:00Z"),
  });
  const soft = {
    ...declined,
    declineClass: "soft",
    responseCode: "20051",
    responseSummary: "Insufficient funds",
    cardScheme: "Visa",
    cardBin: "411111",
    cardCountry: "GB",
  };
  // Bob tries again the next (local) day, and is approved: recovered. Carol does not.
  await payment(shopId, { ...soft, amount: 3_000, customerEmail: "bob@example.com", createdAt: at("2026-11-10T21:00:00Z") });
  await payment(shopId, {
    amount: 3_000,
    capturedAmount: 3_000,
    cardCountry: "GB",
    customerEmail: "bob@example.com",
    createdAt: at("2026-11-11T12:00:00Z"),
    capturedAt: at("2026-11-11T12:05:00Z"),
  });
  await payment(shopId, { ...soft, amount: 2_500, customerEmail: "carol@example.com", createdAt: at("2026-11-10T22:00:00Z") });
  // Dan's card is approved 25 and a half hours after its hard decline: too late to count.
  const p6 = await payment(shopId, {
    ...declined,
    amount: 8_000,
    billingCountry: "US",
    cardCountry: "US",
    declineClass: "hard",
    responseCode: "30043",
    responseSummary: "Stolen card",
    cardScheme: "Mastercard",
    cardBin: "555555",
    cardFingerprint: "FP-DAN",
    createdAt: at("2026-11-10T23:00:00Z"),
  });
  await payment(shopId, {
    amount: 8_000,
    capturedAmount: 8_000,
    billingCountry: "US",
    cardFingerprint: "FP-DAN",
    createdAt: at("2026-11-12T00:30:00Z"),
    capturedAt: at("2026-11-12T01:30:00Z"),
  });
  // Erin's card, blocked by risk checks, is approved an hour later (p3): recovered by card.
  await payment(shopId, {
    ...declined,
    amount: 6_000,
    currency: "EUR",
    billingCountry: "DE",
    cardCountry: "DE",
    declineClass: "risk",
    responseCode: "40101",
    responseSummary: "Blocked by Fraud Detection",
    cardScheme: "Visa",
    cardBin: "400000",
    cardFingerprint: "FP-ERIN",
    createdAt: at("2026-11-10T19:00:00Z"),
  });
  // No outcome yet: not counted.
  await payment(shopId, { amount: 4_000, status: "Pending", billingCountry: "US", createdAt: at("2026-11-10T19:30:00Z") });
  // A second before local midnight: the 9th.
  await payment(shopId, { billingCountry: "US", capturedAmount: 1_000, createdAt: at("2026-11-10T07:59:59Z"), capturedAt: at("2026-11-10T08:00:59Z") });
  // Held on the 12th, made on the 9th: its country arrives later (the key test).
  const p12 = await payment(shopId, { amount: 4_400, capturedAmount: 4_400, createdAt: at("2026-11-09T20:00:00Z") });

  await db().dispute.createMany({
    data: [
      {
        shopId,
        ckoDisputeId: "dsp_won",
        paymentId: p1.id,
        amount: 10_000,
        currency: "USD",
        category: "fraudulent",
        status: "won",
        receivedOn: at("2026-11-10T16:00:00Z"),
        submittedAt: at("2026-11-12T16:00:00Z"),
      },
      {
        shopId,
        ckoDisputeId: "dsp_accepted",
        paymentId: p2.id,
        amount: 5_000,
        currency: "USD",
        category: "fraudulent",
        status: "accepted",
        receivedOn: at("2026-11-11T02:00:00Z"),
        acceptedAt: at("2026-11-11T05:00:00Z"),
      },
      // No payment, no receipt date yet: placed by when the app saw it.
      {
        shopId,
        ckoDisputeId: "dsp_no_payment",
        amount: 4_000,
        currency: "GBP",
        category: "product_service_not_received",
        status: "evidence_under_review",
        createdAt: at("2026-11-10T17:00:00Z"),
        submittedAt: at("2026-11-10T18:00:00Z"),
      },
      {
        shopId,
        ckoDisputeId: "dsp_later",
        paymentId: p12.id,
        amount: 4_400,
        currency: "USD",
        status: "evidence_required",
        receivedOn: at("2026-11-12T21:00:00Z"),
      },
    ],
  });
  await hold(shopId, p1.id, {
    status: "released",
    ruleHits: hits("risk_score", "amount"),
    decidedAt: at("2026-11-10T18:05:00Z"),
    resolvedAt: at("2026-11-10T18:35:00Z"),
  });
  await hold(shopId, p3.id, {
    status: "canceled",
    ruleHits: hits("risk_score"),
    decidedAt: at("2026-11-10T20:05:00Z"),
    resolvedAt: at("2026-11-10T20:15:00Z"),
  });
  const monitored = await hold(shopId, p2.id, { status: "monitored", monitorOnly: true, ruleHits: hits("amount"), decidedAt: at("2026-11-11T03:05:00Z") });
  await hold(shopId, p12.id, { ruleHits: hits("flagged"), decidedAt: at("2026-11-12T20:00:00Z") });
  return { p1, p6, p12, monitored };
}

/** A row without its id, amounts as numbers, its columns in name order (so rows sort the same whoever wrote them). */
const plain = (row: object) =>
  Object.fromEntries(
    Object.entries(row)
      .filter(([key]) => key !== "id")
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => [key, typeof value === "bigint" ? Number(value) : value]),
  );
const sorted = <T extends object>(rows: T[]) => rows.map(plain).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** Every roll-up row of the shop (of one day when given), without ids, in a fixed order. */
async function rollups(shopId: string, day?: string) {
  const where = { shopId, ...(day ? { day } : {}) };
  return {
    payments: sorted(await db().insightPaymentDay.findMany({ where })),
    declines: sorted(await db().insightDeclineDay.findMany({ where })),
    disputes: sorted(await db().insightDisputeDay.findMany({ where })),
    holds: sorted(await db().insightHoldDay.findMany({ where })),
  };
}

/** Removes the shop's roll-ups and their state: the next refresh builds them from nothing. */
async function wipe(shopId: string) {
  await db().insightRollupState.deleteMany({ where: { shopId } });
  await db().insightPaymentDay.deleteMany({ where: { shopId } });
  await db().insightDeclineDay.deleteMany({ where: { shopId } });
  await db().insightDisputeDay.deleteMany({ where: { shopId } });
  await db().insightHoldDay.deleteMany({ where: { shopId } });
}

async function shopIn(timeZone: string | null) {
  const { shop, connection } = await createConnectedShop();
  await db().shop.update({ where: { id: shop.id }, data: { ianaTimezone: timeZone } });
  return { shopId: shop.id, connection };
}

const paymentDay = { approved: 0, approvedAmount: 0, declined: 0, declinedAmount: 0, captured: 0, capturedAmount: 0, captureSeconds: 0, refundedAmount: 0 };
const declineDay = { recovered: 0, recoveredAmount: 0 };
const disputeDay = { won: 0, wonAmount: 0, lost: 0, lostAmount: 0, evidenceSubmitted: 0, accepted: 0, respondSeconds: 0 };
const holdDay = { released: 0, canceled: 0, decisionSeconds: 0, protectedAmount: 0 };

describe("the daily roll-ups", () => {
  it("are computed from the raw rows, on the shop's local days", async () => {
    const { shopId } = await shopIn(LA);
    await seedHistory(shopId);
    // From the first record (the 9th, local) to today; the 12th's payment at 00:30Z is the 11th's.
    expect(await rebuildInsights(shopId, { now: at("2026-11-13T20:00:00Z") })).toEqual({ days: 5, rows: 22 });
    const day = "2026-11-10";
    const base = { shopId, day };
    expect(await rollups(shopId, day)).toEqual({
      payments: sorted([
        // p1 (captured after an hour) and p2 (03:00Z on the 11th, captured after 10 minutes, 20.00 refunded); Dan's decline; not the pending one.
        {
          ...base,
          ...paymentDay,
          currency: "USD",
          country: "US",
          payments: 3,
          approved: 2,
          approvedAmount: 15_000,
          declined: 1,
          declinedAmount: 8_000,
          captured: 2,
          capturedAmount: 15_000,
          captureSeconds: 3_600 + 600,
          refundedAmount: 2_000,
        },
        // Bob's and Carol's declines: the card's country, with neither billing nor shipping known.
        { ...base, ...paymentDay, currency: "USD", country: "GB", payments: 2, declined: 2, declinedAmount: 5_500 },
        // Erin's approval (shipping country) and her card's risk decline (billing country).
        { ...base, ...paymentDay, currency: "EUR", country: "DE", payments: 2, approved: 1, approvedAmount: 7_000, declined: 1, declinedAmount: 6_000 },
      ]),
      declines: sorted([
        {
          ...base,
          ...declineDay,
          currency: "USD",
          country: "GB",
          declineClass: "soft",
          responseCode: "20051",
          reason: "Insufficient funds",
          cardCountry: "GB",
          scheme: "Visa",
          bin: "411111",
          declines: 2,
          amount: 5_500,
          recovered: 1,
          recoveredAmount: 3_000,
        },
        {
          ...base,
          ...declineDay,
          currency: "USD",
          country: "US",
          declineClass: "hard",
          responseCode: "30043",
          reason: "Stolen card",
          cardCountry: "US",
          scheme: "Mastercard",
          bin: "555555",
          declines: 1,
          amount: 8_000,
        },
        {
          ...base,
          currency: "EUR",
          country: "DE",
          declineClass: "risk",
          responseCode: "40101",
          reason: "Blocked by Fraud Detection",
          cardCountry: "DE",
          scheme: "Visa",
          bin: "400000",
          declines: 1,
          amount: 6_000,
          recovered: 1,
          recoveredAmount: 6_000,
        },
      ]),
      disputes: sorted([
        // Won after evidence two days later; accepted (lost) without evidence.
        {
          ...base,
          ...disputeDay,
          currency: "USD",
          country: "US",
          category: "fraudulent",
          disputes: 2,
          amount: 15_000,
          won: 1,
          wonAmount: 10_000,
          lost: 1,
          lostAmount: 5_000,
          evidenceSubmitted: 1,
          accepted: 1,
          respondSeconds: 2 * 86_400,
        },
        {
          ...base,
          ...disputeDay,
          currency: "GBP",
          country: "",
          category: "product_service_not_received",
          disputes: 1,
          amount: 4_000,
          evidenceSubmitted: 1,
          respondSeconds: 3_600,
        },
      ]),
      holds: sorted([
        // Released after 30 minutes: under every hold (""), and under each of its two rules.
        ...["", "risk_score", "amount"].map((rule) => ({
          ...base,
          ...holdDay,
          currency: "USD",
          country: "US",
          rule,
          monitorOnly: false,
          holds: 1,
          amount: 10_000,
          released: 1,
          decisionSeconds: 1_800,
        })),
        // Canceled after 10 minutes: money kept from fraud.
        ...["", "risk_score"].map((rule) => ({
          ...base,
          ...holdDay,
          currency: "EUR",
          country: "DE",
          rule,
          monitorOnly: false,
          holds: 1,
          amount: 7_000,
          canceled: 1,
          decisionSeconds: 600,
          protectedAmount: 7_000,
        })),
        // Would have held.
        ...["", "amount"].map((rule) => ({ ...base, ...holdDay, currency: "USD", country: "US", rule, monitorOnly: true, holds: 1, amount: 5_000 })),
      ]),
    });
    // The second before local midnight, and the payment made on the 9th whose country is not known yet.
    expect((await rollups(shopId, "2026-11-09")).payments).toEqual(
      sorted([
        {
          shopId,
          day: "2026-11-09",
          ...paymentDay,
          currency: "USD",
          country: "US",
          payments: 1,
          approved: 1,
          approvedAmount: 1_000,
          captured: 1,
          capturedAmount: 1_000,
          captureSeconds: 60,
        },
        {
          shopId,
          day: "2026-11-09",
          ...paymentDay,
          currency: "USD",
          country: "",
          payments: 1,
          approved: 1,
          approvedAmount: 4_400,
          captured: 1,
          capturedAmount: 4_400,
        },
      ]),
    );
    expect(await db().insightRollupState.findUniqueOrThrow({ where: { shopId } })).toEqual({
      shopId,
      timeZone: LA,
      rebuiltAt: at("2026-11-13T20:00:00Z"),
      refreshedAt: at("2026-11-13T20:00:00Z"),
    });
  });

  it("kept current change by change through the app's paths, equal a rebuild from scratch", async () => {
    const { shopId, connection } = await shopIn(LA);
    const seeded = await seedHistory(shopId);
    await rebuildInsights(shopId);
    const deliver = async (...events: Array<Record<string, unknown>>) => {
      for (const event of events) await putInInbox(connection, event);
      expect(await createAppWorker({ jobHandlers: {} }).runUntilIdle()).toBe(events.length);
    };
    const paymentEvent = (type: string, p: PaymentFixture) => checkoutEvent(type, paymentEventData(type, p));
    const zoe = paymentFixture({ email: "zoe@example.com", currency: "GBP", amount: 2_000, billingCountry: "GB" });
    const yan = { email: "yan@example.com", billingCountry: "FR" };

    const changes: Array<[string, () => Promise<unknown>]> = [
      ["a new payment, approved and captured", () => deliver(paymentEvent("payment_approved", zoe), paymentEvent("payment_captured", zoe))],
      [
        "a decline, and the same customer approved",
        () =>
          deliver(
            paymentEvent("payment_declined", paymentFixture({ ...yan, responseCode: "20005", responseSummary: "Declined - Do Not Honour" })),
            paymentEvent("payment_approved", paymentFixture(yan)),
          ),
      ],
      ["a refund of a payment of the 10th", () => deliver(paymentEvent("payment_refunded", paymentFixture({ id: seeded.p1.ckoPaymentId, amount: 1_000 })))],
      // Its hold and dispute, of the 12th, show its country too.
      [
        "the authorisation of the 9th's payment, with its country",
        () => deliver(paymentEvent("payment_approved", paymentFixture({ id: seeded.p12.ckoPaymentId, amount: 4_400, billingCountry: "FR" }))),
      ],
      [
        "a dispute received on the 10th, of a payment the app had not seen",
        () => deliver(checkoutEvent("dispute_received", disputeEventData(disputeFixture({ amount: 2_200, receivedOn: "2026-11-10T12:00:00.000Z" })))),
      ],
      [
        "Carol's payment imported from Checkout.com's API: approved the next morning, it recovers her decline of the 10th",
        () =>
          db().$transaction((tx) =>
            importPayment(
              tx,
              shopId,
              {
                id: ckoId("pay"),
                requested_on: "2026-11-11T15:00:00.000Z",
                status: "Authorized",
                amount: 2_500,
                currency: "USD",
                customer: { email: "carol@example.com" },
              },
              [{ id: ckoId("act"), type: "Authorization", amount: 2_500, approved: true, processed_on: "2026-11-11T15:00:00.000Z", response_code: "10000" }],
            ),
          ),
      ],
      [
        "a hold decided on today's payment (monitor-only)",
        async () => {
          const row = await db().payment.findUniqueOrThrow({ where: { shopId_ckoPaymentId: { shopId, ckoPaymentId: zoe.id } } });
          const link = await db().orderLink.create({
            data: { shopId, paymentId: row.id, orderGid: "gid://shopify/Order/1", matchedBy: "reference_name", confidence: "strong" },
          });
          await recordHoldDecision(row, link, { action: "monitor", hits: [{ rule: "velocity_payments", value: 4, threshold: 3 }] });
        },
      ],
      [
        "the 10th's monitored hold released",
        async () => {
          const reviewer = { shopId, shop: "rollups.myshopify.com", actor: "Sam <sam@example.com>", api: {} as ShopifyAdmin };
          expect(await releaseHold(reviewer, seeded.monitored.id)).toMatchObject({ ok: true });
        },
      ],
      [
        "the dispute without a payment synced: won, of Dan's payment, received on the 8th",
        () => {
          const remote = {
            id: "dsp_no_payment",
            status: "won",
            amount: 4_000,
            currency: "GBP",
            category: "product_service_not_received",
            received_on: "2026-11-08T12:00:00.000Z",
            payment_id: seeded.p6.ckoPaymentId,
          };
          return syncDispute(shopId, remote.id, { client: { getDispute: async () => remote } as unknown as CheckoutClient });
        },
      ],
    ];
    // After each change, on its own: the refresh equals a rebuild of every day.
    for (const [change, make] of changes) {
      await make();
      expect(await db().insightStaleHour.count({ where: { shopId } }), change).toBeGreaterThan(0);
      expect((await refreshInsights(shopId)).rebuilt, change).toBe(false);
      expect(await db().insightStaleHour.count({ where: { shopId } }), change).toBe(0);
      const kept = await rollups(shopId);
      await rebuildInsights(shopId);
      expect(await rollups(shopId), change).toEqual(kept);
    }

    // What changed shows: Carol's decline recovered the next day, the released hold, the dispute moved
    // to the 8th with Dan's country, the hold and dispute of the 12th in their payment's new country.
    const now = await rollups(shopId);
    expect(now.declines.find((r) => r.day === "2026-11-10" && r.responseCode === "20051")).toMatchObject({ recovered: 2, recoveredAmount: 5_500 });
    expect(now.holds.find((r) => r.day === "2026-11-10" && r.monitorOnly && r.rule === "")).toMatchObject({ released: 1 });
    expect(now.disputes.filter((r) => r.category === "product_service_not_received")).toEqual([
      {
        shopId,
        day: "2026-11-08",
        ...disputeDay,
        currency: "GBP",
        country: "US",
        category: "product_service_not_received",
        disputes: 1,
        amount: 4_000,
        won: 1,
        wonAmount: 4_000,
        evidenceSubmitted: 1,
        // Submitted on the 10th at 18:00Z, received on the 8th at 12:00Z.
        respondSeconds: 2 * 86_400 + 6 * 3_600,
      },
    ]);
    expect(now.holds.filter((r) => r.day === "2026-11-12").map((r) => [r.rule, r.country])).toEqual([
      ["", "FR"],
      ["flagged", "FR"],
    ]);
    expect(now.disputes.find((r) => r.day === "2026-11-12")).toMatchObject({ country: "FR" });

    // And from nothing at all.
    await wipe(shopId);
    expect((await refreshInsights(shopId)).rebuilt).toBe(true);
    expect(await rollups(shopId)).toEqual(now);
  });

  it("are rebuilt when the shop's time zone changes", async () => {
    const { shopId } = await shopIn(LA);
    await seedHistory(shopId);
    await rebuildInsights(shopId);
    expect(await refreshInsights(shopId)).toEqual({ building: false, rebuilt: false, days: [] });

    // India is UTC+05:30: p2 (03:00Z on the 11th) is the 11th's there, p1 (18:00Z) still the 10th's.
    await db().shop.update({ where: { id: shopId }, data: { ianaTimezone: "Asia/Kolkata" } });
    expect((await refreshInsights(shopId)).rebuilt).toBe(true);
    expect(await db().insightRollupState.findUniqueOrThrow({ where: { shopId } })).toMatchObject({ timeZone: "Asia/Kolkata" });
    const usd = await db().insightPaymentDay.findMany({
      where: { shopId, currency: "USD", country: "US", day: { in: ["2026-11-10", "2026-11-11"] } },
      orderBy: { day: "asc" },
    });
    expect(usd.map((r) => [r.day, r.approved, Number(r.approvedAmount)])).toEqual([
      ["2026-11-10", 2, 11_000],
      ["2026-11-11", 1, 5_000],
    ]);
    const rebuiltInIndia = await rollups(shopId);
    // No row is left on a day of the old zone's: the same as a rebuild from nothing.
    await wipe(shopId);
    await refreshInsights(shopId);
    expect(await rollups(shopId)).toEqual(rebuiltInIndia);
  });

  it("come out the same when refreshes run at once (the page's and the job's, both rebuilding)", async () => {
    const { shopId } = await shopIn(LA);
    await seedHistory(shopId);
    await rebuildInsights(shopId);
    const once = await rollups(shopId);
    await wipe(shopId);
    const results = await Promise.all([refreshInsights(shopId), refreshInsights(shopId), refreshInsights(shopId)]);
    expect(results.map((r) => r.rebuilt)).toEqual([true, true, true]);
    expect(await rollups(shopId)).toEqual(once);
  });

  it("of one shop are never touched by another shop's refresh or rebuild", async () => {
    const a = await shopIn(LA);
    const b = await shopIn(null);
    await seedHistory(a.shopId);
    await seedHistory(b.shopId);
    await rebuildInsights(b.shopId);
    await db().insightStaleHour.create({ data: { shopId: b.shopId, hour: "2026-11-10T18" } });
    const rowsOf = async (shopId: string) => ({
      payments: await db().insightPaymentDay.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
      declines: await db().insightDeclineDay.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
      disputes: await db().insightDisputeDay.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
      holds: await db().insightHoldDay.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    });
    const before = await rowsOf(b.shopId);

    await rebuildInsights(a.shopId);
    await db().insightStaleHour.create({ data: { shopId: a.shopId, hour: "2026-11-10T18" } });
    expect(await refreshInsights(a.shopId)).toEqual({ building: false, rebuilt: false, days: ["2026-11-09", "2026-11-10"] });

    // B's rows are the same rows (same ids: not written again), and its mark waits for its own refresh.
    expect(await rowsOf(b.shopId)).toEqual(before);
    expect(await db().insightStaleHour.count({ where: { shopId: b.shopId } })).toBe(1);
  });

  it("rebuilds a range of days, leaving the others and the recorded zone alone", async () => {
    const { shopId } = await shopIn(LA);
    await seedHistory(shopId);
    expect(await rebuildInsights(shopId, { from: "2026-11-10", to: "2026-11-11" })).toEqual({ days: 2, rows: 17 });
    expect((await db().insightPaymentDay.findMany({ where: { shopId }, distinct: ["day"], orderBy: { day: "asc" } })).map((r) => r.day)).toEqual([
      "2026-11-10",
      "2026-11-11",
    ]);
    expect(await db().insightRollupState.findUniqueOrThrow({ where: { shopId } })).toMatchObject({ timeZone: "", rebuiltAt: null });
    await expect(rebuildInsights(shopId, { from: "10/11/2026" })).rejects.toThrow("Not a day (YYYY-MM-DD): 10/11/2026");
  });
});

describe("a whole rebuild", () => {
  // seedHistory's shop has 12 payments, 4 disputes and 4 holds: 20 records.
  const small = { inlineLimit: 21 };
  const large = { inlineLimit: 20 };
  const rebuildJobsOf = (shopId: string) => db().job.findMany({ where: { shopId, kind: JOB_KINDS.insightsRollup, key: { startsWith: "rebuild:" } } });
  const runJobs = () => createAppWorker({ jobHandlers: { [JOB_KINDS.insightsRollup]: insightsRollupJob }, jobConcurrency: 1 }).runUntilIdle();

  it("of a small shop is made inside the refresh, at once", async () => {
    const { shopId } = await shopIn(LA);
    await seedHistory(shopId);
    await queueInsightsRebuild(shopId, small);
    expect(await rebuildJobsOf(shopId)).toEqual([]);
    expect(await refreshInsights(shopId, small)).toEqual({ building: false, rebuilt: true, days: [] });
    expect(await db().insightRollupState.findUniqueOrThrow({ where: { shopId } })).toMatchObject({ timeZone: LA });
    expect((await rollups(shopId, "2026-11-10")).payments).toHaveLength(3);
  });

  it("of a large shop is a job: the refresh queues it once and answers that the roll-ups are being built until it is done", async () => {
    const { shopId } = await shopIn(LA);
    const seeded = await seedHistory(shopId);
    expect(await refreshInsights(shopId, large)).toEqual({ building: true, rebuilt: false, days: [] });
    expect(await refreshInsights(shopId, large)).toEqual({ building: true, rebuilt: false, days: [] });
    const [job, ...others] = await rebuildJobsOf(shopId);
    expect(others).toEqual([]);
    expect(job).toMatchObject({ key: `rebuild:${LA}:never`, status: "pending" });
    expect(await db().insightPaymentDay.count({ where: { shopId } })).toBe(0);
    await db().job.update({ where: { id: job.id }, data: { status: "processing" } });
    expect((await refreshInsights(shopId, large)).building).toBe(true);
    await db().job.update({ where: { id: job.id }, data: { status: "pending" } });

    // A change while the job waits: the refresh leaves its mark alone (the rebuild reads the change).
    const late = await payment(shopId, { amount: 900, billingCountry: "US", createdAt: at("2026-11-13T18:00:00Z") });
    await markInsightsStale(rawSql(), shopId, late.createdAt);
    expect(await refreshInsights(shopId, large)).toEqual({ building: true, rebuilt: false, days: [] });
    expect(await db().insightStaleHour.count({ where: { shopId } })).toBe(1);

    // The worker rebuilds; once it has done the 9th, the 9th's payment gets its country.
    const running = runJobs();
    while (!(await db().insightPaymentDay.count({ where: { shopId, day: "2026-11-09" } }))) await new Promise((resolve) => setTimeout(resolve, 1));
    const midway = await db().$transaction(async (tx) => {
      const before = await tx.payment.update({ where: { id: seeded.p12.id }, data: {} });
      await tx.payment.update({ where: { id: before.id }, data: { billingCountry: "FR" } });
      await markPaymentStale(tx, before, { billingCountry: "FR" });
      return (await tx.insightRollupState.findUniqueOrThrow({ where: { shopId } })).timeZone;
    });
    // The rebuild had not ended: the roll-ups had no zone yet.
    expect(midway).toBe("");
    expect(await running).toBe(1);
    expect(await db().job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "done" });
    // Its marks were taken after the rebuild, and the days they name computed again.
    expect(await db().insightStaleHour.count({ where: { shopId } })).toBe(0);
    expect(await refreshInsights(shopId, large)).toEqual({ building: false, rebuilt: false, days: [] });
    const built = await rollups(shopId);
    const ninth = built.payments.filter((r) => r.day === "2026-11-09").map((r) => [r.country, r.approvedAmount]);
    expect(ninth.sort()).toEqual([
      ["FR", 4_400],
      ["US", 1_000],
    ]);
    expect(built.holds.filter((r) => r.day === "2026-11-12").map((r) => [r.rule, r.country])).toEqual([
      ["", "FR"],
      ["flagged", "FR"],
    ]);
    expect(built.payments.filter((r) => r.day === "2026-11-13").map((r) => [r.country, r.approvedAmount])).toEqual([["US", 900]]);
    await rebuildInsights(shopId);
    expect(await rollups(shopId)).toEqual(built);
  });

  it("is queued after authentication for a large shop, again after each change of zone", async () => {
    const { shopId } = await shopIn(LA);
    await seedHistory(shopId);
    await queueInsightsRebuild(shopId, large);
    await queueInsightsRebuild(shopId, large);
    expect((await rebuildJobsOf(shopId)).map((j) => j.key)).toEqual([`rebuild:${LA}:never`]);
    expect(await runJobs()).toBe(1);
    const { rebuiltAt } = await db().insightRollupState.findUniqueOrThrow({ where: { shopId } });
    // Built: nothing to queue.
    await queueInsightsRebuild(shopId, large);
    expect(await rebuildJobsOf(shopId)).toHaveLength(1);

    // To India and back: each move is a rebuild of its own, though Los Angeles's first one is done.
    await db().shop.update({ where: { id: shopId }, data: { ianaTimezone: "Asia/Kolkata" } });
    await queueInsightsRebuild(shopId, large);
    expect(await runJobs()).toBe(1);
    const inIndia = await db().insightRollupState.findUniqueOrThrow({ where: { shopId } });
    expect(inIndia.timeZone).toBe("Asia/Kolkata");
    await db().shop.update({ where: { id: shopId }, data: { ianaTimezone: LA } });
    expect((await refreshInsights(shopId, large)).building).toBe(true);
    expect((await rebuildJobsOf(shopId)).map((j) => j.key).sort()).toEqual(
      [`rebuild:${LA}:never`, `rebuild:Asia/Kolkata:${rebuiltAt!.toISOString()}`, `rebuild:${LA}:${inIndia.rebuiltAt!.toISOString()}`].sort(),
    );
  });
});
