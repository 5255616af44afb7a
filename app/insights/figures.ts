// The Insights page's arithmetic, from rows the database already summed (queries.server.ts): rates as 0-1
// fractions, the previous period beside each figure, breakdowns per currency, and amounts converted into
// the shop's currency with the merchant's dated rates. Pure, so every figure is tested without a database.
import { currencyDigits } from "../lib/money";
import type {
  BreakdownRow,
  Compared,
  Converted,
  DeclinesInsight,
  DisputesInsight,
  DisputeThreshold,
  HoldsInsight,
  Money,
  PaymentsInsight,
  RateUsed,
} from "./model";
import { daysFrom } from "./query";
import { reachedThresholds } from "./thresholds";

/** An amount of one currency on a day, or over days that share one rate (a segment starting that day). */
export interface DatedAmount {
  currency: string;
  day: string;
  amount: number;
}

/** A period's first and last day. */
export interface Period {
  from: string;
  to: string;
}

/** `part ÷ whole`, or null when there is nothing to divide by. */
const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

const sum = <T>(rows: readonly T[], value: (row: T) => number) => rows.reduce((total, row) => total + value(row), 0);

const compared = <T>(current: T, previous: T): Compared<T> => ({ current, previous });

/** Amounts per currency (nonzero ones), by code. */
function moneyOf(rows: ReadonlyArray<{ currency: string; amount: number }>): Money[] {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.currency, (totals.get(row.currency) ?? 0) + row.amount);
  return [...totals]
    .filter(([, amount]) => amount !== 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => ({ currency, amount }));
}

/** Rows grouped by a key, in first-seen order. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

// ---- conversion ----

export interface RateRow {
  currency: string;
  rate: number;
  validFrom: string;
  source: string;
}

/**
 * Amounts into the shop's currency with the merchant's dated rates. An amount of currency C on day D uses
 * C's rate with the latest `validFrom` on or before D, else (D is before C's first rate) its earliest; the
 * shop's own currency is 1. Each currency's amounts are converted a day (or segment) at a time, summed, and
 * rounded once to the shop currency's minor units, minding each currency's own (JPY has none, KWD three).
 * Every rate applied is remembered for `used()`: the page lists them beside the figures.
 */
export class Conversion {
  private readonly rates = new Map<string, RateRow[]>();
  private readonly applied = new Map<string, RateRow>();

  constructor(
    readonly shopCurrency: string | null,
    rates: readonly RateRow[],
  ) {
    for (const rate of [...rates].sort((a, b) => a.validFrom.localeCompare(b.validFrom))) {
      if (rate.currency === shopCurrency) continue;
      const list = this.rates.get(rate.currency) ?? [];
      list.push(rate);
      this.rates.set(rate.currency, list);
    }
  }

  /** C's rate on `day`, or null when C has none. */
  rateOn(currency: string, day: string): RateRow | null {
    const list = this.rates.get(currency);
    if (!list?.length) return null;
    let found = list[0];
    for (const rate of list) if (rate.validFrom <= day) found = rate;
    return found;
  }

  /**
   * The days within (`from`, `to`] on which some rate starts: a query that groups its amounts by the
   * segments these begin (`segmentStart`) converts each segment at one rate, exactly as day by day.
   */
  boundaries(from: string, to: string): string[] {
    const days = new Set<string>();
    for (const list of this.rates.values()) for (const rate of list) if (rate.validFrom > from && rate.validFrom <= to) days.add(rate.validFrom);
    return [...days].sort();
  }

  /** The amounts in the shop's currency; null when the shop's currency is unknown. */
  convert(amounts: readonly DatedAmount[]): Converted | null {
    if (!this.shopCurrency) return null;
    const shopDigits = currencyDigits(this.shopCurrency);
    const missing = new Set<string>();
    let total = 0;
    for (const { currency, day, amount } of amounts) {
      if (amount === 0) continue;
      if (currency === this.shopCurrency) {
        total += amount;
        continue;
      }
      const rate = this.rateOn(currency, day);
      if (!rate) {
        missing.add(currency);
        continue;
      }
      this.applied.set(`${currency} ${rate.validFrom}`, rate);
      total += amount * rate.rate * 10 ** (shopDigits - currencyDigits(currency));
    }
    return { currency: this.shopCurrency, amount: Math.round(total), missing: [...missing].sort() };
  }

  /**
   * `part ÷ whole` of two sets of amounts (disputed ÷ approved value, won ÷ disputed): in their currency
   * when there is only one, else in the shop's; null when nothing is in `whole` or a rate is missing.
   */
  valueShare(part: readonly DatedAmount[], whole: readonly DatedAmount[]): number | null {
    const currencies = new Set([...part, ...whole].filter((a) => a.amount !== 0).map((a) => a.currency));
    if (currencies.size <= 1)
      return share(
        sum(part, (a) => a.amount),
        sum(whole, (a) => a.amount),
      );
    const [p, w] = [this.convert(part), this.convert(whole)];
    if (!p || !w || p.missing.length || w.missing.length) return null;
    return share(p.amount, w.amount);
  }

  /** Every rate applied so far, by currency and day. */
  used(): RateUsed[] {
    return [...this.applied.values()]
      .sort((a, b) => a.currency.localeCompare(b.currency) || a.validFrom.localeCompare(b.validFrom))
      .map(({ currency, rate, validFrom, source }) => ({ currency, rate, validFrom, source }));
  }
}

/** Rows of two periods apart: those on or after `from` are the current period's. */
const splitAt = <T extends { day: string }>(rows: readonly T[], from: string): [T[], T[]] => [
  rows.filter((r) => r.day >= from),
  rows.filter((r) => r.day < from),
];

// ---- payments and the decline rate ----

/** InsightPaymentDay summed per day and currency. */
export interface PaymentDayRow {
  day: string;
  currency: string;
  payments: number;
  approved: number;
  approvedAmount: number;
  declined: number;
  captured: number;
  capturedAmount: number;
  captureSeconds: number;
  refundedAmount: number;
}

function paymentTotals(rows: readonly PaymentDayRow[]) {
  return {
    payments: sum(rows, (r) => r.payments),
    approved: sum(rows, (r) => r.approved),
    approvedAmount: sum(rows, (r) => r.approvedAmount),
    capturedAmount: sum(rows, (r) => r.capturedAmount),
    refundedAmount: sum(rows, (r) => r.refundedAmount),
  };
}

const approvalRate = (rows: readonly PaymentDayRow[]) =>
  share(
    sum(rows, (r) => r.approved),
    sum(rows, (r) => r.payments),
  );
const declineRate = (rows: readonly PaymentDayRow[]) =>
  share(
    sum(rows, (r) => r.declined),
    sum(rows, (r) => r.payments),
  );
const captureHours = (rows: readonly PaymentDayRow[]) => {
  const hours = share(
    sum(rows, (r) => r.captureSeconds),
    sum(rows, (r) => r.captured),
  );
  return hours === null ? null : hours / 3600;
};

/** A rate for each day of the period, null on a day without payments. */
const dailyRates = (period: Period, rows: readonly PaymentDayRow[], rate: (rows: readonly PaymentDayRow[]) => number | null) => {
  const byDay = groupBy(rows, (r) => r.day);
  return daysFrom(period.from, period.to).map((day) => ({ day, rate: rate(byDay.get(day) ?? []) }));
};

const approvedAmounts = (rows: readonly PaymentDayRow[]): DatedAmount[] => rows.map((r) => ({ currency: r.currency, day: r.day, amount: r.approvedAmount }));

/**
 * Payments of the period and the one before (`rows` hold both). `days` has every day of the period for
 * each currency the period saw, so a chart's line has no gaps.
 */
export function paymentsInsight(query: Period, rows: readonly PaymentDayRow[], conversion: Conversion): PaymentsInsight {
  const [current, previous] = splitAt(rows, query.from);
  const byDayCurrency = new Map(current.map((r) => [`${r.day} ${r.currency}`, r]));
  const currencies = [...new Set(current.map((r) => r.currency))].sort();
  const days = daysFrom(query.from, query.to).flatMap((day) =>
    currencies.map((currency) => {
      const row = byDayCurrency.get(`${day} ${currency}`);
      return { day, currency, payments: row?.payments ?? 0, approved: row?.approved ?? 0, approvedAmount: row?.approvedAmount ?? 0 };
    }),
  );
  const now = groupBy(current, (r) => r.currency);
  const before = groupBy(previous, (r) => r.currency);
  const totals = [...new Set([...now.keys(), ...before.keys()])]
    .sort()
    .map((currency) => ({ currency, ...compared(paymentTotals(now.get(currency) ?? []), paymentTotals(before.get(currency) ?? [])) }));
  const convertedNow = conversion.convert(approvedAmounts(current));
  const convertedBefore = conversion.convert(approvedAmounts(previous));
  return {
    days,
    totals,
    converted: convertedNow && convertedBefore ? compared(convertedNow, convertedBefore) : null,
    approvalRate: compared(approvalRate(current), approvalRate(previous)),
    approvalRateDays: dailyRates(query, current, approvalRate),
    captureHours: compared(captureHours(current), captureHours(previous)),
  };
}

// ---- declines ----

interface DeclineFigures extends DatedAmount {
  declines: number;
  recovered: number;
  recoveredAmount: number;
}

/** InsightDeclineDay summed per reason (class, response code and its words) and scheme, currency and rate segment (`day`: its first day). */
export interface DeclineReasonRow extends DeclineFigures {
  declineClass: string;
  responseCode: string;
  reason: string;
  scheme: string;
}

/** InsightDeclineDay summed per key (a card country, a BIN), currency and rate segment. */
export interface DeclineRow extends DeclineFigures {
  key: string;
  /** Words for the key where it is a code; else the key. */
  label: string;
}

/** Breakdown rows, most declines first (then by key), each with its amounts per currency and converted. */
export function breakdown(rows: readonly DeclineRow[], conversion: Conversion): BreakdownRow[] {
  return [...groupBy(rows, (r) => r.key)]
    .map(([key, group]) => ({
      key,
      label: group.find((r) => r.label)?.label ?? key,
      count: sum(group, (r) => r.declines),
      amounts: moneyOf(group),
      converted: conversion.convert(group),
    }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** The response codes that lost the most: by converted value when every code converts, else by count; ten at most. */
export function topLost(byCode: readonly BreakdownRow[]): BreakdownRow[] {
  const byValue = byCode.length > 0 && byCode.every((row) => row.converted && row.converted.missing.length === 0);
  const value = (row: BreakdownRow) => (byValue ? row.converted!.amount : row.count);
  return [...byCode].sort((a, b) => value(b) - value(a) || b.count - a.count || a.key.localeCompare(b.key)).slice(0, 10);
}

export interface DeclineBreakdowns {
  reasons: DeclineReasonRow[];
  byCardCountry: DeclineRow[];
  byBin: DeclineRow[];
}

/** Declines of the period; the rate (declined ÷ payments) from the payments' rows of both periods. */
export function declinesInsight(query: Period, paymentRows: readonly PaymentDayRow[], rows: DeclineBreakdowns, conversion: Conversion): DeclinesInsight {
  const [current, previous] = splitAt(paymentRows, query.from);
  const { reasons } = rows;
  const by = (key: (r: DeclineReasonRow) => string, label = key) =>
    breakdown(
      reasons.map((r) => ({ ...r, key: key(r), label: label(r) })),
      conversion,
    );
  const byCode = by(
    (r) => r.responseCode,
    (r) => r.reason,
  );
  const declines = sum(reasons, (r) => r.declines);
  const recovered = sum(reasons, (r) => r.recovered);
  return {
    rate: compared(declineRate(current), declineRate(previous)),
    rateDays: dailyRates(query, current, declineRate),
    byClass: by((r) => r.declineClass),
    byCode,
    byCardCountry: breakdown(rows.byCardCountry, conversion),
    byBin: breakdown(rows.byBin, conversion),
    byScheme: by((r) => r.scheme),
    topLost: topLost(byCode),
    recovered: {
      declines,
      recovered,
      share: share(recovered, declines),
      amounts: moneyOf(reasons.map((r) => ({ currency: r.currency, amount: r.recoveredAmount }))),
    },
  };
}

// ---- disputes ----

/** InsightDisputeDay summed per category, currency and rate segment (`day`: its first day), both periods. */
export interface DisputeRow extends DatedAmount {
  category: string;
  disputes: number;
  won: number;
  wonAmount: number;
  lost: number;
  evidenceSubmitted: number;
  accepted: number;
  respondSeconds: number;
}

/** A month's disputes received or payments approved, per currency and rate segment (`day`: its first day). */
export interface MonthRow extends DatedAmount {
  month: string;
  count: number;
}

/** Every month from `from`'s to `to`'s, "2026-11". */
export function monthsFrom(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split("-").map(Number);
  for (let text = from.slice(0, 7); text <= to.slice(0, 7); text = `${year}-${String(month).padStart(2, "0")}`) {
    months.push(text);
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return months;
}

function disputeTotals(rows: readonly DisputeRow[]) {
  const won = sum(rows, (r) => r.won);
  const lost = sum(rows, (r) => r.lost);
  return {
    disputes: sum(rows, (r) => r.disputes),
    won,
    lost,
    evidenceSubmitted: sum(rows, (r) => r.evidenceSubmitted),
    accepted: sum(rows, (r) => r.accepted),
    winRate: share(won, won + lost),
  };
}

const respondDays = (rows: readonly DisputeRow[]) => {
  const seconds = share(
    sum(rows, (r) => r.respondSeconds),
    sum(rows, (r) => r.evidenceSubmitted),
  );
  return seconds === null ? null : seconds / 86_400;
};

/**
 * Disputes of the period and the one before (`rows` hold both), and each month the period touches with
 * the whole month's disputes and approved payments (`disputeMonths`, `approvedMonths`), so a month's ratio
 * is the month's, compared with the thresholds.
 */
export function disputesInsight(
  query: Period,
  rows: readonly DisputeRow[],
  months: { disputes: readonly MonthRow[]; approved: readonly MonthRow[] },
  thresholds: DisputeThreshold[],
  conversion: Conversion,
): DisputesInsight {
  const [current, previous] = splitAt(rows, query.from);
  const disputesByMonth = groupBy(months.disputes, (r) => r.month);
  const approvedByMonth = groupBy(months.approved, (r) => r.month);
  const byReason = [...groupBy(current, (r) => r.category)]
    .map(([category, group]) => {
      const won = sum(group, (r) => r.won);
      const lost = sum(group, (r) => r.lost);
      return {
        category,
        disputes: sum(group, (r) => r.disputes),
        won,
        lost,
        winRate: share(won, won + lost),
        lossRate: share(lost, won + lost),
        recoveryRate: conversion.valueShare(
          group.map((r) => ({ ...r, amount: r.wonAmount })),
          group,
        ),
        amounts: moneyOf(group),
      };
    })
    .sort((a, b) => b.disputes - a.disputes || a.category.localeCompare(b.category));
  return {
    months: monthsFrom(query.from, query.to).map((month) => {
      const disputed = disputesByMonth.get(month) ?? [];
      const approved = approvedByMonth.get(month) ?? [];
      const disputes = sum(disputed, (r) => r.count);
      const payments = sum(approved, (r) => r.count);
      const countRatio = share(disputes, payments);
      return {
        month,
        disputes,
        payments,
        countRatio,
        valueRatio: conversion.valueShare(disputed, approved),
        reached: reachedThresholds(thresholds, { disputes, countRatio }),
      };
    }),
    thresholds,
    byReason,
    totals: compared(disputeTotals(current), disputeTotals(previous)),
    respondDays: compared(respondDays(current), respondDays(previous)),
  };
}

// ---- holds ----

/** InsightHoldDay's whole-hold rows (rule "") summed per day, currency and monitor-only, both periods. */
export interface HoldDayRow {
  day: string;
  currency: string;
  monitorOnly: boolean;
  holds: number;
  released: number;
  canceled: number;
  decisionSeconds: number;
  protectedAmount: number;
}

/** InsightHoldDay's rows of one rule summed per rule, monitor-only and currency, this period. */
export interface HoldRuleRow extends Omit<HoldDayRow, "day"> {
  rule: string;
}

type HoldCounts = Pick<HoldDayRow, "released" | "canceled" | "decisionSeconds">;

const decided = (rows: readonly HoldCounts[]) => sum(rows, (r) => r.released + r.canceled);
const decisionHours = (rows: readonly HoldCounts[]) => {
  const seconds = share(
    sum(rows, (r) => r.decisionSeconds),
    decided(rows),
  );
  return seconds === null ? null : seconds / 3600;
};
const protectedAmounts = (rows: ReadonlyArray<Omit<HoldDayRow, "day">>) => moneyOf(rows.map((r) => ({ currency: r.currency, amount: r.protectedAmount })));

function holdTotals(rows: readonly HoldDayRow[]) {
  const held = rows.filter((r) => !r.monitorOnly);
  return {
    holds: sum(held, (r) => r.holds),
    monitored: sum(
      rows.filter((r) => r.monitorOnly),
      (r) => r.holds,
    ),
    released: sum(held, (r) => r.released),
    canceled: sum(held, (r) => r.canceled),
    releaseRate: share(
      sum(held, (r) => r.released),
      decided(held),
    ),
    decisionHours: decisionHours(held),
  };
}

/** Holds of the period and the one before (`dayRows` hold both), per day, per rule, and what canceling them saved. */
export function holdsInsight(query: Period, dayRows: readonly HoldDayRow[], ruleRows: readonly HoldRuleRow[], conversion: Conversion): HoldsInsight {
  const [current, previous] = splitAt(dayRows, query.from);
  const byDay = groupBy(current, (r) => r.day);
  const held = current.filter((r) => !r.monitorOnly);
  return {
    days: daysFrom(query.from, query.to).map((day) => {
      const { holds, monitored } = holdTotals(byDay.get(day) ?? []);
      return { day, holds, monitored };
    }),
    byRule: [...groupBy(ruleRows, (r) => `${r.monitorOnly ? 1 : 0} ${r.rule}`).values()]
      .map((group) => {
        const released = sum(group, (r) => r.released);
        const canceled = sum(group, (r) => r.canceled);
        return {
          rule: group[0].rule,
          monitorOnly: group[0].monitorOnly,
          holds: sum(group, (r) => r.holds),
          released,
          canceled,
          releaseRate: share(released, released + canceled),
          cancelRate: share(canceled, released + canceled),
          decisionHours: decisionHours(group),
          protectedAmounts: protectedAmounts(group),
        };
      })
      .sort((a, b) => b.holds - a.holds || a.rule.localeCompare(b.rule) || Number(a.monitorOnly) - Number(b.monitorOnly)),
    totals: compared(holdTotals(current), holdTotals(previous)),
    protectedAmounts: protectedAmounts(held),
    protectedConverted: conversion.convert(held.map((r) => ({ currency: r.currency, day: r.day, amount: r.protectedAmount }))),
  };
}
