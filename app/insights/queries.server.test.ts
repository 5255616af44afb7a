// The Insights page's figures from a shop's roll-ups: a week in Paris with USD and EUR payments (EUR at two
// dated rates), declines, disputes and holds, and the week before; each section's exact figures, the dispute
// months with the whole months' rows against the merchant's thresholds, a currency and a country filter,
// and another shop's rows (and rates) nowhere. The refresh the page does first computes a shop whose
// roll-ups were never made; while a rebuild job runs, the page says so.
import { beforeAll, describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { declineDays, disputeDays, holdDays, paymentDays, upToDate } from "../../test/helpers/insight-rollups";
import { db } from "../db.server";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";
import type { InsightsQuery } from "./model";
import { loadInsights } from "./queries.server";

let shopA: string;
let shopB: string;

const WEEK: InsightsQuery = { from: "2026-11-30", to: "2026-12-06", currency: null, country: null };
const US = { currency: "USD", country: "US" };
const FR = { currency: "EUR", country: "FR" };
const soft = { declineClass: "soft", responseCode: "20051", reason: "Insufficient Funds", cardCountry: "US", scheme: "visa", bin: "424242" };
const hard = { declineClass: "hard", responseCode: "20054", reason: "Expired Card", cardCountry: "FR", scheme: "mastercard", bin: "555555" };

async function seedShopA(shopId: string) {
  await paymentDays(shopId, [
    {
      day: "2026-12-01",
      ...US,
      payments: 10,
      approved: 8,
      approvedAmount: 80_000,
      declined: 2,
      declinedAmount: 2_000,
      captured: 8,
      capturedAmount: 80_000,
      captureSeconds: 8 * 3_600,
      refundedAmount: 1_000,
    },
    {
      day: "2026-12-01",
      ...FR,
      payments: 5,
      approved: 4,
      approvedAmount: 40_000,
      declined: 1,
      declinedAmount: 500,
      captured: 4,
      capturedAmount: 40_000,
      captureSeconds: 4 * 7_200,
    },
    { day: "2026-12-04", ...FR, payments: 2, approved: 2, approvedAmount: 10_000 },
    {
      day: "2026-12-04",
      currency: "USD",
      country: "DE",
      payments: 3,
      approved: 3,
      approvedAmount: 30_000,
      captured: 3,
      capturedAmount: 30_000,
      captureSeconds: 3 * 3_600,
    },
    // The week before.
    {
      day: "2026-11-25",
      ...US,
      payments: 20,
      approved: 18,
      approvedAmount: 180_000,
      declined: 2,
      captured: 18,
      capturedAmount: 180_000,
      captureSeconds: 18 * 7_200,
    },
    // Earlier in November: only November's dispute ratio counts it.
    { day: "2026-11-10", ...US, payments: 1_000, approved: 990, approvedAmount: 9_900_000, declined: 10 },
    // October: nothing shown counts it.
    { day: "2026-10-31", ...US, payments: 500, approved: 500, approvedAmount: 5_000_000 },
  ]);
  await declineDays(shopId, [
    { day: "2026-12-01", ...US, ...soft, declines: 2, amount: 2_000, recovered: 1, recoveredAmount: 1_000 },
    { day: "2026-12-01", ...FR, ...hard, declines: 1, amount: 500 },
    { day: "2026-11-25", ...US, ...soft, declines: 2, amount: 4_000 },
  ]);
  await disputeDays(shopId, [
    {
      day: "2026-12-02",
      ...US,
      category: "fraudulent",
      disputes: 2,
      amount: 20_000,
      won: 1,
      wonAmount: 10_000,
      lost: 1,
      lostAmount: 10_000,
      evidenceSubmitted: 2,
      respondSeconds: 2 * 2 * 86_400,
    },
    { day: "2026-12-05", ...FR, category: "product_service_not_received", disputes: 1, amount: 5_000, accepted: 1 },
    { day: "2026-11-26", ...US, category: "fraudulent", disputes: 1, amount: 3_000, lost: 1, lostAmount: 3_000, evidenceSubmitted: 1, respondSeconds: 86_400 },
    { day: "2026-11-12", ...US, category: "fraudulent", disputes: 12, amount: 120_000 },
  ]);
  const heldTwice = { holds: 2, amount: 20_000, released: 1, canceled: 1, decisionSeconds: 2 * 3 * 3_600, protectedAmount: 10_000 };
  await holdDays(shopId, [
    { day: "2026-12-03", ...US, rule: "", ...heldTwice },
    { day: "2026-12-03", ...US, rule: "risk_score", ...heldTwice },
    { day: "2026-12-03", ...US, rule: "amount", holds: 1, amount: 10_000, canceled: 1, decisionSeconds: 3 * 3_600, protectedAmount: 10_000 },
    { day: "2026-12-04", ...FR, rule: "", monitorOnly: true, holds: 1, amount: 5_000 },
    { day: "2026-12-04", ...FR, rule: "ip_country", monitorOnly: true, holds: 1, amount: 5_000 },
    { day: "2026-11-27", ...US, rule: "", holds: 1, amount: 4_000, released: 1, decisionSeconds: 3_600 },
  ]);
  await db().currencyRate.createMany({
    data: [
      { shopId, currency: "EUR", rate: 1.1, validFrom: "2026-11-01", source: "ECB, 1 Nov 2026" },
      { shopId, currency: "EUR", rate: 1.2, validFrom: "2026-12-03", source: "ECB, 3 Dec 2026" },
    ],
  });
  // The merchant warns at 10 disputes rather than Visa's 75.
  await db().shopSettings.update({
    where: { shopId },
    data: { disputeThresholds: JSON.stringify([{ id: "visa-vdmp-early-warning", ratio: 0.0065, minCount: 10 }]) },
  });
}

/** Another shop's rows on the same days, in the same and other currencies and countries: never to be seen. */
async function seedShopB(shopId: string) {
  const GB = { currency: "GBP", country: "GB" };
  await paymentDays(shopId, [
    { day: "2026-12-01", ...US, payments: 999, approved: 999, approvedAmount: 9_990_000, captured: 999, capturedAmount: 9_990_000 },
    { day: "2026-12-02", ...GB, payments: 50, approved: 40, approvedAmount: 400_000, declined: 10 },
  ]);
  await declineDays(shopId, [{ day: "2026-12-01", ...US, ...soft, declines: 50, amount: 50_000 }]);
  await disputeDays(shopId, [{ day: "2026-12-02", ...US, category: "fraudulent", disputes: 40, amount: 400_000, won: 40, wonAmount: 400_000 }]);
  await holdDays(shopId, [
    { day: "2026-12-03", ...US, rule: "", holds: 30, canceled: 30, protectedAmount: 300_000 },
    { day: "2026-12-03", ...US, rule: "risk_score", holds: 30, canceled: 30, protectedAmount: 300_000 },
  ]);
  await db().currencyRate.create({ data: { shopId, currency: "EUR", rate: 5, validFrom: "2026-01-01", source: "not shop A's" } });
}

beforeAll(async () => {
  shopA = (await createShop()).id;
  shopB = (await createShop()).id;
  await db().shop.update({ where: { id: shopA }, data: { ianaTimezone: "Europe/Paris", currency: "USD" } });
  await db().shop.update({ where: { id: shopB }, data: { ianaTimezone: "Europe/Paris", currency: "USD" } });
  await upToDate(shopA, "Europe/Paris");
  await upToDate(shopB, "Europe/Paris");
  await seedShopA(shopA);
  await seedShopB(shopB);
});

const zeroPayments = { payments: 0, approved: 0, approvedAmount: 0, capturedAmount: 0, refundedAmount: 0 };

describe("loadInsights", () => {
  it("shows the shop's week: the range, its zone and currency, what the filters offer, the rates used", async () => {
    const view = await loadInsights(shopA, WEEK);
    expect(view).toMatchObject({
      query: WEEK,
      previous: { from: "2026-11-23", to: "2026-11-29" },
      timeZone: "Europe/Paris",
      shopCurrency: "USD",
      currencies: ["EUR", "USD"],
      countries: ["DE", "FR", "US"],
      refreshedAt: "2026-12-06T08:00:00.000Z",
      building: false,
    });
    expect(view.rates).toEqual([
      { currency: "EUR", rate: 1.1, validFrom: "2026-11-01", source: "ECB, 1 Nov 2026" },
      { currency: "EUR", rate: 1.2, validFrom: "2026-12-03", source: "ECB, 3 Dec 2026" },
    ]);
  });

  it("sums payments per currency and day, now and the week before, converting EUR at the rate of each day", async () => {
    const { payments } = await loadInsights(shopA, WEEK);
    expect(payments.totals).toEqual([
      { currency: "EUR", current: { payments: 7, approved: 6, approvedAmount: 50_000, capturedAmount: 40_000, refundedAmount: 0 }, previous: zeroPayments },
      {
        currency: "USD",
        current: { payments: 13, approved: 11, approvedAmount: 110_000, capturedAmount: 110_000, refundedAmount: 1_000 },
        previous: { payments: 20, approved: 18, approvedAmount: 180_000, capturedAmount: 180_000, refundedAmount: 0 },
      },
    ]);
    // USD 1,100.00 + EUR 400.00 at 1.10 + EUR 100.00 at 1.20.
    expect(payments.converted).toEqual({
      current: { currency: "USD", amount: 166_000, missing: [] },
      previous: { currency: "USD", amount: 180_000, missing: [] },
    });
    expect(payments.days).toHaveLength(14);
    expect(payments.days.filter((d) => d.day === "2026-12-04")).toEqual([
      { day: "2026-12-04", currency: "EUR", payments: 2, approved: 2, approvedAmount: 10_000 },
      { day: "2026-12-04", currency: "USD", payments: 3, approved: 3, approvedAmount: 30_000 },
    ]);
    expect(payments.approvalRate).toEqual({ current: 0.85, previous: 0.9 });
    expect(payments.approvalRateDays.map((d) => d.rate)).toEqual([null, 12 / 15, null, null, 1, null, null]);
    // (8 × 1 h + 4 × 2 h + 3 × 1 h) ÷ 15 captures; the week before, 2 h each.
    expect(payments.captureHours).toEqual({ current: 19 / 15, previous: 2 });
  });

  it("breaks the week's declines down by class, code, card country, BIN and scheme, with what was recovered", async () => {
    const { declines } = await loadInsights(shopA, WEEK);
    expect(declines.rate).toEqual({ current: 0.15, previous: 0.1 });
    expect(declines.byCode).toEqual([
      {
        key: "20051",
        label: "Insufficient Funds",
        count: 2,
        amounts: [{ currency: "USD", amount: 2_000 }],
        converted: { currency: "USD", amount: 2_000, missing: [] },
      },
      { key: "20054", label: "Expired Card", count: 1, amounts: [{ currency: "EUR", amount: 500 }], converted: { currency: "USD", amount: 550, missing: [] } },
    ]);
    const keys = (rows: Array<{ key: string; count: number }>) => rows.map((r) => [r.key, r.count]);
    expect(keys(declines.byClass)).toEqual([
      ["soft", 2],
      ["hard", 1],
    ]);
    expect(keys(declines.byCardCountry)).toEqual([
      ["US", 2],
      ["FR", 1],
    ]);
    expect(keys(declines.byBin)).toEqual([
      ["424242", 2],
      ["555555", 1],
    ]);
    expect(keys(declines.byScheme)).toEqual([
      ["visa", 2],
      ["mastercard", 1],
    ]);
    expect(declines.byBin[1].label).toBe("555555");
    expect(declines.topLost.map((r) => r.key)).toEqual(["20051", "20054"]);
    expect(declines.recovered).toEqual({ declines: 3, recovered: 1, share: 1 / 3, amounts: [{ currency: "USD", amount: 1_000 }] });
  });

  it("has the dispute months' ratios from the whole months, the thresholds reached, outcomes by reason and totals", async () => {
    const { disputes } = await loadInsights(shopA, WEEK);
    expect(disputes.months).toEqual([
      // November: 12 + 1 disputes of 990 + 18 approved payments; USD only.
      {
        month: "2026-11",
        disputes: 13,
        payments: 1_008,
        countRatio: 13 / 1_008,
        valueRatio: 123_000 / 10_080_000,
        reached: ["visa-vdmp-early-warning"],
      },
      // December: USD 200.00 + EUR 50.00 at 1.20 of USD 1,660.00; 3 disputes reach no threshold.
      { month: "2026-12", disputes: 3, payments: 17, countRatio: 3 / 17, valueRatio: 26_000 / 166_000, reached: [] },
    ]);
    expect(disputes.thresholds.find((t) => t.id === "visa-vdmp-early-warning")).toMatchObject({ ratio: 0.0065, minCount: 10, changed: true });
    expect(disputes.byReason).toEqual([
      {
        category: "fraudulent",
        disputes: 2,
        won: 1,
        lost: 1,
        winRate: 0.5,
        lossRate: 0.5,
        recoveryRate: 0.5,
        amounts: [{ currency: "USD", amount: 20_000 }],
      },
      {
        category: "product_service_not_received",
        disputes: 1,
        won: 0,
        lost: 0,
        winRate: null,
        lossRate: null,
        recoveryRate: 0,
        amounts: [{ currency: "EUR", amount: 5_000 }],
      },
    ]);
    expect(disputes.totals).toEqual({
      current: { disputes: 3, won: 1, lost: 1, evidenceSubmitted: 2, accepted: 1, winRate: 0.5 },
      previous: { disputes: 1, won: 0, lost: 1, evidenceSubmitted: 1, accepted: 0, winRate: 0 },
    });
    expect(disputes.respondDays).toEqual({ current: 2, previous: 1 });
  });

  it("has holds per day and rule, now and before, and the money canceling them kept", async () => {
    const { holds } = await loadInsights(shopA, WEEK);
    expect(holds.days.filter((d) => d.holds || d.monitored)).toEqual([
      { day: "2026-12-03", holds: 2, monitored: 0 },
      { day: "2026-12-04", holds: 0, monitored: 1 },
    ]);
    expect(holds.days).toHaveLength(7);
    expect(holds.byRule).toEqual([
      {
        rule: "risk_score",
        monitorOnly: false,
        holds: 2,
        released: 1,
        canceled: 1,
        releaseRate: 0.5,
        cancelRate: 0.5,
        decisionHours: 3,
        protectedAmounts: [{ currency: "USD", amount: 10_000 }],
      },
      {
        rule: "amount",
        monitorOnly: false,
        holds: 1,
        released: 0,
        canceled: 1,
        releaseRate: 0,
        cancelRate: 1,
        decisionHours: 3,
        protectedAmounts: [{ currency: "USD", amount: 10_000 }],
      },
      {
        rule: "ip_country",
        monitorOnly: true,
        holds: 1,
        released: 0,
        canceled: 0,
        releaseRate: null,
        cancelRate: null,
        decisionHours: null,
        protectedAmounts: [],
      },
    ]);
    expect(holds.totals).toEqual({
      current: { holds: 2, monitored: 1, released: 1, canceled: 1, releaseRate: 0.5, decisionHours: 3 },
      previous: { holds: 1, monitored: 0, released: 1, canceled: 0, releaseRate: 1, decisionHours: 1 },
    });
    expect(holds.protectedAmounts).toEqual([{ currency: "USD", amount: 10_000 }]);
    expect(holds.protectedConverted).toEqual({ currency: "USD", amount: 10_000, missing: [] });
  });

  it("applies a currency filter to every table", async () => {
    const view = await loadInsights(shopA, { ...WEEK, currency: "EUR" });
    expect(view.payments.totals.map((t) => t.currency)).toEqual(["EUR"]);
    expect(view.payments.converted?.current).toEqual({ currency: "USD", amount: 56_000, missing: [] });
    expect(view.declines.byCode.map((r) => r.key)).toEqual(["20054"]);
    expect(view.disputes.months.map((m) => [m.month, m.disputes, m.payments, m.countRatio])).toEqual([
      ["2026-11", 0, 0, null],
      ["2026-12", 1, 6, 1 / 6],
    ]);
    expect(view.disputes.byReason.map((r) => r.category)).toEqual(["product_service_not_received"]);
    expect(view.holds.totals.current).toMatchObject({ holds: 0, monitored: 1 });
    expect(view.holds.byRule.map((r) => r.rule)).toEqual(["ip_country"]);
    // The filter's choices stay every currency and country of the shop.
    expect(view.currencies).toEqual(["EUR", "USD"]);
  });

  it("applies a country filter to every table", async () => {
    const view = await loadInsights(shopA, { ...WEEK, country: "US" });
    expect(view.payments.totals).toEqual([
      {
        currency: "USD",
        current: { payments: 10, approved: 8, approvedAmount: 80_000, capturedAmount: 80_000, refundedAmount: 1_000 },
        previous: { payments: 20, approved: 18, approvedAmount: 180_000, capturedAmount: 180_000, refundedAmount: 0 },
      },
    ]);
    expect(view.declines.byCode.map((r) => r.key)).toEqual(["20051"]);
    expect(view.disputes.byReason.map((r) => [r.category, r.disputes])).toEqual([["fraudulent", 2]]);
    expect(view.disputes.months[1]).toMatchObject({ disputes: 2, payments: 8 });
    expect(view.holds.totals.current).toMatchObject({ holds: 2, monitored: 0 });
    expect(view.rates).toEqual([]);
  });

  it("shows another shop only its own rows and rates", async () => {
    const view = await loadInsights(shopB, WEEK);
    expect(view.currencies).toEqual(["GBP", "USD"]);
    expect(view.payments.totals.map((t) => [t.currency, t.current.approved, t.previous.approved])).toEqual([
      ["GBP", 40, 0],
      ["USD", 999, 0],
    ]);
    // Shop B gave no GBP rate, and shop A's EUR rates are not its.
    expect(view.payments.converted?.current).toEqual({ currency: "USD", amount: 9_990_000, missing: ["GBP"] });
    expect(view.disputes.totals.current.disputes).toBe(40);
    expect(view.holds.totals.current.holds).toBe(30);
    expect(view.disputes.thresholds.every((t) => !t.changed)).toBe(true);
  });

  it("brings the roll-ups up to date first: a shop whose roll-ups were never made has them made", async () => {
    const shop = await createShop();
    await db().shop.update({ where: { id: shop.id }, data: { currency: "USD" } });
    await db().payment.create({
      data: {
        shopId: shop.id,
        ckoPaymentId: "pay_insights_refresh",
        amount: 12_345,
        currency: "USD",
        status: "Authorized",
        billingCountry: "US",
        createdAt: new Date("2026-12-02T12:00:00Z"),
      },
    });
    const view = await loadInsights(shop.id, WEEK);
    expect(view.payments.totals).toEqual([
      { currency: "USD", current: { ...zeroPayments, payments: 1, approved: 1, approvedAmount: 12_345 }, previous: zeroPayments },
    ]);
    expect(view.timeZone).toBe("UTC");
    expect(view.refreshedAt).not.toBeNull();
    expect(view.building).toBe(false);
  });

  it("says the roll-ups are being built while a rebuild job waits, showing the rows there are", async () => {
    const shop = await createShop();
    await db().shop.update({ where: { id: shop.id }, data: { currency: "USD" } });
    await upToDate(shop.id, "UTC");
    await paymentDays(shop.id, [{ day: "2026-12-01", ...US, payments: 2, approved: 2, approvedAmount: 5_000 }]);
    await db().insightStaleHour.create({ data: { shopId: shop.id, hour: "2026-12-01T10" } });
    await enqueueJob(shop.id, JOB_KINDS.insightsRollup, "rebuild:UTC:never");
    const view = await loadInsights(shop.id, WEEK);
    expect(view.building).toBe(true);
    expect(view.payments.totals.map((t) => [t.currency, t.current.approvedAmount])).toEqual([["USD", 5_000]]);
    // The mark waits for the rebuild.
    expect(await db().insightStaleHour.count({ where: { shopId: shop.id } })).toBe(1);
    // Another shop's rebuild is not this one's.
    expect((await loadInsights(shopA, WEEK)).building).toBe(false);
  });
});
