// An Insights view for the UI tests: a US shop (USD) selling in USD, EUR and JPY over a week, with an EUR
// rate and none for JPY, declines of each class, a dispute month at Mastercard's threshold, and holds.
import type { InsightsView } from "../model";

const compared = <T>(current: T, previous: T) => ({ current, previous });

export const fixtureView = (): InsightsView => ({
  query: { from: "2026-12-01", to: "2026-12-03", currency: null, country: null },
  previous: { from: "2026-11-28", to: "2026-11-30" },
  timeZone: "America/New_York",
  shopCurrency: "USD",
  currencies: ["EUR", "JPY", "USD"],
  countries: ["DE", "JP", "US"],
  rates: [{ currency: "EUR", rate: 1.08, validFrom: "2026-11-01", source: "ECB reference rate" }],
  payments: {
    days: [
      { day: "2026-11-29", currency: "USD", payments: 8, approved: 7, approvedAmount: 70_000 },
      { day: "2026-12-01", currency: "USD", payments: 10, approved: 9, approvedAmount: 125_050 },
      { day: "2026-12-01", currency: "EUR", payments: 4, approved: 4, approvedAmount: 40_000 },
      { day: "2026-12-02", currency: "USD", payments: 6, approved: 5, approvedAmount: 50_000 },
      { day: "2026-12-03", currency: "JPY", payments: 2, approved: 1, approvedAmount: 13_600 },
      { day: "2026-12-03", currency: "USD", payments: 4, approved: 4, approvedAmount: 36_000 },
    ],
    totals: [
      {
        currency: "EUR",
        current: { payments: 4, approved: 4, approvedAmount: 40_000, capturedAmount: 40_000, refundedAmount: 0 },
        previous: { payments: 0, approved: 0, approvedAmount: 0, capturedAmount: 0, refundedAmount: 0 },
      },
      {
        currency: "JPY",
        current: { payments: 2, approved: 1, approvedAmount: 13_600, capturedAmount: 13_600, refundedAmount: 0 },
        previous: { payments: 0, approved: 0, approvedAmount: 0, capturedAmount: 0, refundedAmount: 0 },
      },
      {
        currency: "USD",
        current: { payments: 20, approved: 18, approvedAmount: 211_050, capturedAmount: 200_000, refundedAmount: 5_000 },
        previous: { payments: 8, approved: 7, approvedAmount: 70_000, capturedAmount: 70_000, refundedAmount: 0 },
      },
    ],
    converted: compared({ currency: "USD", amount: 254_250, missing: ["JPY"] }, { currency: "USD", amount: 70_000, missing: [] }),
    approvalRate: compared<number | null>(0.8846, 0.875),
    approvalRateDays: [
      { day: "2026-12-01", rate: 0.9286 },
      { day: "2026-12-02", rate: 0.8333 },
      { day: "2026-12-03", rate: 0.8333 },
    ],
    captureHours: compared<number | null>(5.5, 26),
  },
  declines: {
    rate: compared<number | null>(0.1154, 0.125),
    rateDays: [
      { day: "2026-12-01", rate: 0.0714 },
      { day: "2026-12-02", rate: 0.1667 },
      { day: "2026-12-03", rate: 0.1667 },
    ],
    byClass: [
      { key: "soft", label: "soft", count: 2, amounts: [{ currency: "USD", amount: 24_000 }], converted: { currency: "USD", amount: 24_000, missing: [] } },
      { key: "hard", label: "hard", count: 1, amounts: [{ currency: "JPY", amount: 5_000 }], converted: { currency: "USD", amount: 0, missing: ["JPY"] } },
    ],
    byCode: [
      {
        key: "20051",
        label: "Insufficient Funds",
        count: 2,
        amounts: [{ currency: "USD", amount: 24_000 }],
        converted: { currency: "USD", amount: 24_000, missing: [] },
      },
      {
        key: "30004",
        label: "Pick Up Card (No Fraud)",
        count: 1,
        amounts: [{ currency: "JPY", amount: 5_000 }],
        converted: { currency: "USD", amount: 0, missing: ["JPY"] },
      },
    ],
    byCardCountry: [{ key: "US", label: "US", count: 3, amounts: [{ currency: "USD", amount: 29_000 }], converted: null }],
    byBin: [{ key: "424242", label: "424242", count: 3, amounts: [{ currency: "USD", amount: 29_000 }], converted: null }],
    byScheme: [{ key: "visa", label: "visa", count: 3, amounts: [{ currency: "USD", amount: 29_000 }], converted: null }],
    topLost: [
      {
        key: "20051",
        label: "Insufficient Funds",
        count: 2,
        amounts: [{ currency: "USD", amount: 24_000 }],
        converted: { currency: "USD", amount: 24_000, missing: [] },
      },
      {
        key: "30004",
        label: "Pick Up Card (No Fraud)",
        count: 1,
        amounts: [{ currency: "JPY", amount: 5_000 }],
        converted: { currency: "USD", amount: 0, missing: ["JPY"] },
      },
    ],
    recovered: { declines: 3, recovered: 1, share: 0.3333, amounts: [{ currency: "USD", amount: 12_000 }] },
  },
  disputes: {
    months: [{ month: "2026-12", disputes: 1, payments: 32, countRatio: 0.03125, valueRatio: 0.0118, reached: ["mastercard-ecm"] }],
    thresholds: [
      { id: "visa-vamp", scheme: "Visa", program: "VAMP", ratio: 0.009, minCount: 100, source: "Visa Acquirer Monitoring Program, 2025", changed: false },
      {
        id: "mastercard-ecm",
        scheme: "Mastercard",
        program: "Excessive Chargeback Merchant",
        ratio: 0.015,
        minCount: 1,
        source: "Mastercard Security Rules",
        changed: true,
      },
    ],
    byReason: [
      {
        category: "fraudulent",
        disputes: 1,
        won: 1,
        lost: 0,
        winRate: 1,
        lossRate: 0,
        recoveryRate: 1,
        amounts: [{ currency: "USD", amount: 14_200 }],
      },
    ],
    totals: compared(
      { disputes: 1, won: 1, lost: 0, evidenceSubmitted: 1, accepted: 0, winRate: 1 as number | null },
      { disputes: 0, won: 0, lost: 0, evidenceSubmitted: 0, accepted: 0, winRate: null },
    ),
    respondDays: compared<number | null>(2.5, null),
  },
  holds: {
    days: [
      { day: "2026-12-01", holds: 2, monitored: 1 },
      { day: "2026-12-02", holds: 0, monitored: 0 },
      { day: "2026-12-03", holds: 1, monitored: 0 },
    ],
    byRule: [
      {
        rule: "risk_score",
        monitorOnly: false,
        holds: 3,
        released: 2,
        canceled: 1,
        releaseRate: 0.6667,
        cancelRate: 0.3333,
        decisionHours: 3.25,
        protectedAmounts: [{ currency: "EUR", amount: 69_800 }],
      },
      {
        rule: "country_mismatch",
        monitorOnly: true,
        holds: 1,
        released: 0,
        canceled: 0,
        releaseRate: null,
        cancelRate: null,
        decisionHours: null,
        protectedAmounts: [],
      },
    ],
    totals: compared(
      { holds: 3, monitored: 1, released: 2, canceled: 1, releaseRate: 0.6667 as number | null, decisionHours: 3.25 as number | null },
      { holds: 1, monitored: 0, released: 1, canceled: 0, releaseRate: 1, decisionHours: 10 },
    ),
    protectedAmounts: [{ currency: "EUR", amount: 69_800 }],
    protectedConverted: { currency: "USD", amount: 75_384, missing: [] },
  },
  refreshedAt: "2026-12-03T17:05:00.000Z",
  building: false,
});
