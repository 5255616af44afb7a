// The Insights arithmetic on rows as the database sums them: conversion with dated rates (EUR, JPY and a
// currency without a rate into USD; minor units of 0, 2 and 3 digits), rates as fractions and the previous
// period beside them, breakdowns and the codes that lost most, dispute months against thresholds, holds.
import { describe, expect, it } from "vitest";
import type { BreakdownRow, DisputeThreshold } from "./model";
import {
  breakdown,
  Conversion,
  declinesInsight,
  disputesInsight,
  holdsInsight,
  monthsFrom,
  paymentsInsight,
  topLost,
  type DeclineRow,
  type DisputeRow,
  type HoldDayRow,
  type HoldRuleRow,
  type MonthRow,
  type PaymentDayRow,
  type RateRow,
} from "./figures";

const RATES: RateRow[] = [
  { currency: "EUR", rate: 1.2, validFrom: "2026-12-03", source: "ECB reference rate, 3 Dec 2026" },
  { currency: "EUR", rate: 1.1, validFrom: "2026-11-01", source: "ECB reference rate, 1 Nov 2026" },
  { currency: "EUR", rate: 1.0, validFrom: "2026-10-01", source: "ECB reference rate, 1 Oct 2026" },
  { currency: "JPY", rate: 0.0067, validFrom: "2026-12-01", source: "Bank rate" },
  // The shop's own currency always converts at 1, whatever is written for it.
  { currency: "USD", rate: 2, validFrom: "2026-01-01", source: "typo" },
];
const usd = () => new Conversion("USD", RATES);

describe("Conversion", () => {
  it("converts EUR, USD and JPY into USD day by day with the rate valid then, and lists a currency without a rate as missing", () => {
    const conversion = usd();
    const converted = conversion.convert([
      { currency: "USD", day: "2026-12-02", amount: 10_000 },
      // EUR 50.00 before and after the rate of 3 December.
      { currency: "EUR", day: "2026-12-02", amount: 5_000 },
      { currency: "EUR", day: "2026-12-04", amount: 5_000 },
      // JPY 10,000 (no minor units) at 0.0067: USD 67.00; a day before JPY's first rate takes that first rate.
      { currency: "JPY", day: "2026-12-02", amount: 10_000 },
      { currency: "JPY", day: "2026-11-30", amount: 1_000 },
      { currency: "GBP", day: "2026-12-02", amount: 3_000 },
      // Nothing to convert needs no rate.
      { currency: "CHF", day: "2026-12-02", amount: 0 },
    ]);
    // 10,000 + 5,500 + 6,000 + 6,700 + 670
    expect(converted).toEqual({ currency: "USD", amount: 28_870, missing: ["GBP"] });
    expect(conversion.used()).toEqual([
      { currency: "EUR", rate: 1.1, validFrom: "2026-11-01", source: "ECB reference rate, 1 Nov 2026" },
      { currency: "EUR", rate: 1.2, validFrom: "2026-12-03", source: "ECB reference rate, 3 Dec 2026" },
      { currency: "JPY", rate: 0.0067, validFrom: "2026-12-01", source: "Bank rate" },
    ]);
  });

  it("minds each currency's minor units, rounding once to the shop currency's", () => {
    const kwd = new Conversion("USD", [{ currency: "KWD", rate: 3.25, validFrom: "2026-01-01", source: "s" }]);
    // KWD 1.234 × 3.25 = USD 4.0105 → 4.01; and twice that rounds once: 8.021 → 8.02.
    expect(kwd.convert([{ currency: "KWD", day: "2026-06-01", amount: 1_234 }])).toEqual({ currency: "USD", amount: 401, missing: [] });
    expect(
      kwd.convert([
        { currency: "KWD", day: "2026-06-01", amount: 1_234 },
        { currency: "KWD", day: "2026-06-02", amount: 1_234 },
      ]),
    ).toEqual({ currency: "USD", amount: 802, missing: [] });
    const yen = new Conversion("JPY", [{ currency: "USD", rate: 150, validFrom: "2026-01-01", source: "s" }]);
    // USD 12.34 × 150 = JPY 1,851.
    expect(yen.convert([{ currency: "USD", day: "2026-06-01", amount: 1_234 }])).toEqual({ currency: "JPY", amount: 1_851, missing: [] });
  });

  it("converts nothing without the shop's currency", () => {
    expect(new Conversion(null, RATES).convert([{ currency: "EUR", day: "2026-12-01", amount: 100 }])).toBeNull();
  });

  it("names the days within a period where a rate starts", () => {
    expect(usd().boundaries("2026-11-28", "2026-12-06")).toEqual(["2026-12-01", "2026-12-03"]);
    expect(usd().boundaries("2026-12-03", "2026-12-06")).toEqual([]);
  });

  it("divides values in their currency when there is one, else converted, and not at all when a rate is missing", () => {
    const conversion = usd();
    const eur = (amount: number) => ({ currency: "EUR", day: "2026-12-01", amount });
    expect(conversion.valueShare([eur(1_000)], [eur(4_000)])).toBe(0.25);
    expect(conversion.valueShare([eur(1_000)], [eur(0)])).toBeNull();
    // EUR 10.00 = USD 11.00 of USD 44.00 + EUR 10.00 (USD 55.00).
    expect(conversion.valueShare([eur(1_000)], [eur(1_000), { currency: "USD", day: "2026-12-01", amount: 4_400 }])).toBe(0.2);
    expect(conversion.valueShare([eur(1_000)], [eur(1_000), { currency: "GBP", day: "2026-12-01", amount: 100 }])).toBeNull();
  });
});

const payment = (day: string, currency: string, figures: Partial<PaymentDayRow>): PaymentDayRow => ({
  day,
  currency,
  payments: 0,
  approved: 0,
  approvedAmount: 0,
  declined: 0,
  captured: 0,
  capturedAmount: 0,
  captureSeconds: 0,
  refundedAmount: 0,
  ...figures,
});

const PAYMENT_ROWS = [
  payment("2026-12-01", "USD", {
    payments: 10,
    approved: 8,
    approvedAmount: 80_000,
    declined: 2,
    captured: 6,
    capturedAmount: 60_000,
    captureSeconds: 6 * 7_200,
    refundedAmount: 5_000,
  }),
  payment("2026-12-01", "EUR", { payments: 5, approved: 5, approvedAmount: 25_000, captured: 4, capturedAmount: 20_000, captureSeconds: 4 * 18_000 }),
  payment("2026-12-03", "USD", { payments: 4, approved: 2, approvedAmount: 20_000, declined: 2 }),
  // The previous period.
  payment("2026-11-29", "USD", {
    payments: 10,
    approved: 9,
    approvedAmount: 90_000,
    declined: 1,
    captured: 9,
    capturedAmount: 90_000,
    captureSeconds: 9 * 3_600,
  }),
];
const DAYS_3 = { from: "2026-12-01", to: "2026-12-03" };

describe("paymentsInsight", () => {
  it("has every day for each currency, totals and rates now and before, and the approved volume in USD", () => {
    const insight = paymentsInsight(DAYS_3, PAYMENT_ROWS, usd());
    expect(insight.days).toEqual([
      { day: "2026-12-01", currency: "EUR", payments: 5, approved: 5, approvedAmount: 25_000 },
      { day: "2026-12-01", currency: "USD", payments: 10, approved: 8, approvedAmount: 80_000 },
      { day: "2026-12-02", currency: "EUR", payments: 0, approved: 0, approvedAmount: 0 },
      { day: "2026-12-02", currency: "USD", payments: 0, approved: 0, approvedAmount: 0 },
      { day: "2026-12-03", currency: "EUR", payments: 0, approved: 0, approvedAmount: 0 },
      { day: "2026-12-03", currency: "USD", payments: 4, approved: 2, approvedAmount: 20_000 },
    ]);
    expect(insight.totals).toEqual([
      {
        currency: "EUR",
        current: { payments: 5, approved: 5, approvedAmount: 25_000, capturedAmount: 20_000, refundedAmount: 0 },
        previous: { payments: 0, approved: 0, approvedAmount: 0, capturedAmount: 0, refundedAmount: 0 },
      },
      {
        currency: "USD",
        current: { payments: 14, approved: 10, approvedAmount: 100_000, capturedAmount: 60_000, refundedAmount: 5_000 },
        previous: { payments: 10, approved: 9, approvedAmount: 90_000, capturedAmount: 90_000, refundedAmount: 0 },
      },
    ]);
    // EUR 250.00 at 1.10.
    expect(insight.converted).toEqual({
      current: { currency: "USD", amount: 127_500, missing: [] },
      previous: { currency: "USD", amount: 90_000, missing: [] },
    });
    expect(insight.approvalRate).toEqual({ current: 15 / 19, previous: 0.9 });
    expect(insight.approvalRateDays).toEqual([
      { day: "2026-12-01", rate: 13 / 15 },
      { day: "2026-12-02", rate: null },
      { day: "2026-12-03", rate: 0.5 },
    ]);
    // (6 × 2 h + 4 × 5 h) ÷ 10 captures.
    expect(insight.captureHours).toEqual({ current: 3.2, previous: 1 });
  });

  it("has nothing to compare with an empty period, and nothing converted without the shop's currency", () => {
    const insight = paymentsInsight(DAYS_3, [], new Conversion(null, []));
    expect(insight).toMatchObject({
      days: [],
      totals: [],
      converted: null,
      approvalRate: { current: null, previous: null },
      captureHours: { current: null, previous: null },
    });
    expect(insight.approvalRateDays.map((d) => d.rate)).toEqual([null, null, null]);
  });
});

const decline = (key: string, currency: string, declines: number, amount: number, more: Partial<DeclineRow> = {}): DeclineRow => ({
  key,
  label: key,
  currency,
  day: "2026-12-01",
  declines,
  amount,
  recovered: 0,
  recoveredAmount: 0,
  ...more,
});

describe("declinesInsight", () => {
  const reason = (
    declineClass: string,
    responseCode: string,
    label: string,
    scheme: string,
    currency: string,
    declines: number,
    amount: number,
    more = {},
  ) => ({
    ...decline(responseCode, currency, declines, amount, more),
    declineClass,
    responseCode,
    reason: label,
    scheme,
  });
  const reasons = [
    reason("soft", "20051", "Insufficient Funds", "visa", "USD", 3, 30_000, { recovered: 1, recoveredAmount: 10_000 }),
    reason("soft", "20051", "Insufficient Funds", "visa", "EUR", 1, 2_000, { recovered: 1, recoveredAmount: 2_000 }),
    reason("soft", "20005", "Declined - Do Not Honour", "mastercard", "GBP", 1, 9_000),
    reason("hard", "20054", "Expired Card", "visa", "USD", 2, 500),
  ];
  const byCode = reasons.map((r) => ({ ...r, key: r.responseCode, label: r.reason }));

  it("has the decline rate now and before, the breakdowns with their amounts and converted value, and what was recovered", () => {
    const byCardCountry = [decline("US", "USD", 5, 30_500), decline("FR", "EUR", 1, 2_000)];
    const insight = declinesInsight(DAYS_3, PAYMENT_ROWS, { reasons, byCardCountry, byBin: [] }, usd());
    expect(insight.rate).toEqual({ current: 4 / 19, previous: 0.1 });
    expect(insight.rateDays).toEqual([
      { day: "2026-12-01", rate: 2 / 15 },
      { day: "2026-12-02", rate: null },
      { day: "2026-12-03", rate: 0.5 },
    ]);
    expect(insight.byCode).toEqual([
      {
        key: "20051",
        label: "Insufficient Funds",
        count: 4,
        amounts: [
          { currency: "EUR", amount: 2_000 },
          { currency: "USD", amount: 30_000 },
        ],
        converted: { currency: "USD", amount: 32_200, missing: [] },
      },
      { key: "20054", label: "Expired Card", count: 2, amounts: [{ currency: "USD", amount: 500 }], converted: { currency: "USD", amount: 500, missing: [] } },
      {
        key: "20005",
        label: "Declined - Do Not Honour",
        count: 1,
        amounts: [{ currency: "GBP", amount: 9_000 }],
        converted: { currency: "USD", amount: 0, missing: ["GBP"] },
      },
    ]);
    const keys = (rows: BreakdownRow[]) => rows.map((r) => [r.key, r.label, r.count]);
    expect(keys(insight.byClass)).toEqual([
      ["soft", "soft", 5],
      ["hard", "hard", 2],
    ]);
    expect(keys(insight.byScheme)).toEqual([
      ["visa", "visa", 6],
      ["mastercard", "mastercard", 1],
    ]);
    expect(keys(insight.byCardCountry)).toEqual([
      ["US", "US", 5],
      ["FR", "FR", 1],
    ]);
    expect(insight.byBin).toEqual([]);
    // GBP has no rate: the codes are ranked by count.
    expect(insight.topLost.map((r) => r.key)).toEqual(["20051", "20054", "20005"]);
    expect(insight.recovered).toEqual({
      declines: 7,
      recovered: 2,
      share: 2 / 7,
      amounts: [
        { currency: "EUR", amount: 2_000 },
        { currency: "USD", amount: 10_000 },
      ],
    });
  });

  it("ranks the codes that lost most by converted value when every code converts, ten at most", () => {
    const conversion = usd();
    const rows = breakdown([...byCode.filter((r) => r.currency !== "GBP"), decline("20059", "EUR", 1, 100_000, { label: "Suspected Fraud" })], conversion);
    expect(topLost(rows).map((r) => [r.key, r.converted?.amount])).toEqual([
      ["20059", 110_000],
      ["20051", 32_200],
      ["20054", 500],
    ]);
    const many: BreakdownRow[] = Array.from({ length: 12 }, (_, i) => ({ key: `c${i}`, label: "", count: i, amounts: [], converted: null }));
    expect(topLost(many).map((r) => r.key)).toEqual(["c11", "c10", "c9", "c8", "c7", "c6", "c5", "c4", "c3", "c2"]);
  });
});

const QUERY_4 = { from: "2026-11-29", to: "2026-12-02" };

const dispute = (category: string, currency: string, day: string, figures: Partial<DisputeRow>): DisputeRow => ({
  category,
  currency,
  day,
  disputes: 0,
  amount: 0,
  won: 0,
  wonAmount: 0,
  lost: 0,
  evidenceSubmitted: 0,
  accepted: 0,
  respondSeconds: 0,
  ...figures,
});

const threshold = (id: string, ratio: number, minCount: number): DisputeThreshold => ({
  id,
  scheme: "Visa",
  program: id,
  ratio,
  minCount,
  source: "test",
  changed: false,
});

const month = (m: string, currency: string, count: number, amount: number): MonthRow => ({ month: m, currency, day: `${m}-01`, count, amount });

describe("disputesInsight", () => {
  const rows = [
    dispute("fraudulent", "USD", "2026-11-29", {
      disputes: 3,
      amount: 30_000,
      won: 1,
      wonAmount: 10_000,
      lost: 1,
      evidenceSubmitted: 2,
      respondSeconds: 2 * 3 * 86_400,
    }),
    dispute("fraudulent", "EUR", "2026-11-29", { disputes: 1, amount: 10_000, won: 1, wonAmount: 10_000, evidenceSubmitted: 1, respondSeconds: 86_400 }),
    dispute("product_service_not_received", "USD", "2026-11-29", { disputes: 2, amount: 5_000, lost: 1, accepted: 1 }),
    // The previous period.
    dispute("fraudulent", "USD", "2026-11-25", { disputes: 1, amount: 4_000, lost: 1, evidenceSubmitted: 1, respondSeconds: 2 * 86_400 }),
  ];
  const months = {
    disputes: [month("2026-11", "USD", 10, 100_000), month("2026-12", "USD", 3, 3_000), month("2026-12", "GBP", 1, 1_000)],
    approved: [month("2026-11", "USD", 500, 5_000_000), month("2026-12", "USD", 100, 1_000_000), month("2026-12", "GBP", 50, 100_000)],
  };
  const thresholds = [threshold("ratio-1pct-2", 0.01, 2), threshold("ratio-50pct", 0.5, 1), threshold("count-5", 0.001, 5)];

  it("has each month's ratios and the thresholds it reached, outcomes by reason, and totals now and before", () => {
    const insight = disputesInsight(QUERY_4, rows, months, thresholds, usd());
    expect(insight.months).toEqual([
      { month: "2026-11", disputes: 10, payments: 500, countRatio: 0.02, valueRatio: 0.02, reached: ["ratio-1pct-2", "count-5"] },
      // GBP has no rate: no value ratio across USD and GBP.
      { month: "2026-12", disputes: 4, payments: 150, countRatio: 4 / 150, valueRatio: null, reached: ["ratio-1pct-2"] },
    ]);
    expect(insight.thresholds).toBe(thresholds);
    expect(insight.byReason).toEqual([
      {
        category: "fraudulent",
        disputes: 4,
        won: 2,
        lost: 1,
        winRate: 2 / 3,
        lossRate: 1 / 3,
        // Won USD 100.00 + EUR 100.00 (USD 110.00) of USD 300.00 + USD 110.00.
        recoveryRate: 21_000 / 41_000,
        amounts: [
          { currency: "EUR", amount: 10_000 },
          { currency: "USD", amount: 30_000 },
        ],
      },
      {
        category: "product_service_not_received",
        disputes: 2,
        won: 0,
        lost: 1,
        winRate: 0,
        lossRate: 1,
        recoveryRate: 0,
        amounts: [{ currency: "USD", amount: 5_000 }],
      },
    ]);
    expect(insight.totals).toEqual({
      current: { disputes: 6, won: 2, lost: 2, evidenceSubmitted: 3, accepted: 1, winRate: 0.5 },
      previous: { disputes: 1, won: 0, lost: 1, evidenceSubmitted: 1, accepted: 0, winRate: 0 },
    });
    // (2 × 3 days + 1 day) ÷ 3 submitted.
    expect(insight.respondDays).toEqual({ current: 7 / 3, previous: 2 });
  });

  it("reaches nothing in a month without approved payments", () => {
    const insight = disputesInsight(
      { from: "2026-12-01", to: "2026-12-02" },
      [],
      { disputes: [month("2026-12", "USD", 9, 900)], approved: [] },
      thresholds,
      usd(),
    );
    expect(insight.months).toEqual([{ month: "2026-12", disputes: 9, payments: 0, countRatio: null, valueRatio: null, reached: [] }]);
  });
});

describe("monthsFrom", () => {
  it("lists every month a range touches, across a year's end", () => {
    expect(monthsFrom("2025-11-15", "2026-02-01")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(monthsFrom("2026-12-01", "2026-12-31")).toEqual(["2026-12"]);
  });
});

const holdDay = (day: string, currency: string, monitorOnly: boolean, figures: Partial<HoldDayRow>): HoldDayRow => ({
  day,
  currency,
  monitorOnly,
  holds: 0,
  released: 0,
  canceled: 0,
  decisionSeconds: 0,
  protectedAmount: 0,
  ...figures,
});
const holdRule = (rule: string, currency: string, monitorOnly: boolean, figures: Partial<HoldRuleRow>): HoldRuleRow => {
  const { day: _day, ...rest } = holdDay("", currency, monitorOnly, figures);
  return { rule, ...rest };
};

describe("holdsInsight", () => {
  const days = [
    holdDay("2026-12-01", "USD", false, { holds: 4, released: 2, canceled: 1, decisionSeconds: 3 * 7_200, protectedAmount: 5_000 }),
    holdDay("2026-12-01", "EUR", false, { holds: 1, canceled: 1, decisionSeconds: 3_600, protectedAmount: 2_000 }),
    holdDay("2026-12-02", "USD", true, { holds: 3 }),
    // The previous period.
    holdDay("2026-11-30", "USD", false, { holds: 2, released: 1, canceled: 1, decisionSeconds: 7_200, protectedAmount: 1_000 }),
  ];
  const rules = [
    holdRule("risk_score", "USD", false, { holds: 3, released: 2, canceled: 1, decisionSeconds: 21_600, protectedAmount: 5_000 }),
    holdRule("risk_score", "EUR", false, { holds: 1, canceled: 1, decisionSeconds: 3_600, protectedAmount: 2_000 }),
    holdRule("amount", "USD", true, { holds: 3 }),
    holdRule("card_country", "USD", false, { holds: 2, released: 1, decisionSeconds: 3_600 }),
  ];

  it("has holds and would-be holds per day, each rule's outcomes, totals now and before, and the money canceling kept", () => {
    const insight = holdsInsight({ from: "2026-12-01", to: "2026-12-02" }, days, rules, usd());
    expect(insight.days).toEqual([
      { day: "2026-12-01", holds: 5, monitored: 0 },
      { day: "2026-12-02", holds: 0, monitored: 3 },
    ]);
    expect(insight.byRule).toEqual([
      {
        rule: "risk_score",
        monitorOnly: false,
        holds: 4,
        released: 2,
        canceled: 2,
        releaseRate: 0.5,
        cancelRate: 0.5,
        decisionHours: 1.75,
        protectedAmounts: [
          { currency: "EUR", amount: 2_000 },
          { currency: "USD", amount: 5_000 },
        ],
      },
      { rule: "amount", monitorOnly: true, holds: 3, released: 0, canceled: 0, releaseRate: null, cancelRate: null, decisionHours: null, protectedAmounts: [] },
      { rule: "card_country", monitorOnly: false, holds: 2, released: 1, canceled: 0, releaseRate: 1, cancelRate: 0, decisionHours: 1, protectedAmounts: [] },
    ]);
    expect(insight.totals).toEqual({
      current: { holds: 5, monitored: 3, released: 2, canceled: 2, releaseRate: 0.5, decisionHours: 1.75 },
      previous: { holds: 2, monitored: 0, released: 1, canceled: 1, releaseRate: 0.5, decisionHours: 1 },
    });
    expect(insight.protectedAmounts).toEqual([
      { currency: "EUR", amount: 2_000 },
      { currency: "USD", amount: 5_000 },
    ]);
    expect(insight.protectedConverted).toEqual({ currency: "USD", amount: 7_200, missing: [] });
  });
});
