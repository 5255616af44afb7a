// The Insights page's figures (model.ts) for one shop: its daily roll-ups brought up to date, then summed in
// the database for the range, the period before it and the months the range touches (GROUP BY in SQL: a
// few rows per day, currency or key come back, never the roll-up rows themselves), and the arithmetic done
// in figures.ts. Every query is the shop's, with the page's filters on every table.
import { Prisma } from "@prisma/client";
import { rawSql } from "../db.server";
import { ident, selectOne } from "../lib/sql.server";
import { addDays, localDay } from "../lib/dates";
import {
  Conversion,
  declinesInsight,
  disputesInsight,
  holdsInsight,
  paymentsInsight,
  type DeclineReasonRow,
  type DeclineRow,
  type DisputeRow,
  type HoldDayRow,
  type HoldRuleRow,
  type MonthRow,
  type PaymentDayRow,
  type Period,
  type RateRow,
} from "./figures";
import type { InsightsQuery, InsightsView } from "./model";
import { parseInsightsQuery, previousPeriod, type ParsedInsightsQuery } from "./query";
import { refreshInsights } from "./rollup.server";
import { thresholdsFor } from "./thresholds";

/** The busiest breakdowns (card BINs, card countries) keep their most-declined keys only: a page shows no thousand BINs. */
const BREAKDOWN_LIMIT = 25;

/** A SUM or COUNT as a number: PostgreSQL answers bigint and numeric sums as text (or bigint). */
const num = (value: unknown) => Number(value ?? 0);

/** The shop's rows of the period, with the page's currency and country filters. */
function scope(shopId: string, period: Period, query: InsightsQuery): Prisma.Sql {
  const conditions = [Prisma.sql`"shopId" = ${shopId}`, Prisma.sql`"day" >= ${period.from}`, Prisma.sql`"day" <= ${period.to}`];
  if (query.currency) conditions.push(Prisma.sql`"currency" = ${query.currency}`);
  if (query.country) conditions.push(Prisma.sql`"country" = ${query.country}`);
  return Prisma.join(conditions, " AND ");
}

/**
 * The first day of a row's rate segment: the period is cut where a conversion rate starts (and at `cuts`,
 * such as the current period's first day), so a segment's amounts convert at one rate and never straddle
 * two periods.
 */
function segmentStart(period: Period, conversion: Conversion, cuts: string[] = []): Prisma.Sql {
  const starts = [...new Set([...conversion.boundaries(period.from, period.to), ...cuts])].sort().reverse();
  // Every row is on or after period.from: its branch closes the CASE.
  const branches = [...starts, period.from].map((day) => Prisma.sql`WHEN "day" >= ${day} THEN ${day}`);
  return Prisma.sql`CASE ${Prisma.join(branches, " ")} END`;
}

async function paymentDays(shopId: string, span: Period, query: InsightsQuery): Promise<PaymentDayRow[]> {
  const rows = await rawSql().$queryRaw<Array<Record<string, unknown>>>`
    SELECT "day", "currency", SUM("payments") AS "payments", SUM("approved") AS "approved", SUM("approvedAmount") AS "approvedAmount",
      SUM("declined") AS "declined", SUM("captured") AS "captured", SUM("capturedAmount") AS "capturedAmount",
      SUM("captureSeconds") AS "captureSeconds", SUM("refundedAmount") AS "refundedAmount"
    FROM "InsightPaymentDay" WHERE ${scope(shopId, span, query)}
    GROUP BY "day", "currency"`;
  return rows.map((r) => ({
    day: String(r.day),
    currency: String(r.currency),
    payments: num(r.payments),
    approved: num(r.approved),
    approvedAmount: num(r.approvedAmount),
    declined: num(r.declined),
    captured: num(r.captured),
    capturedAmount: num(r.capturedAmount),
    captureSeconds: num(r.captureSeconds),
    refundedAmount: num(r.refundedAmount),
  }));
}

const DECLINE_SUMS = Prisma.sql`SUM("declines") AS "declines", SUM("amount") AS "amount", SUM("recovered") AS "recovered",
  SUM("recoveredAmount") AS "recoveredAmount"`;

const declineSums = (r: Record<string, unknown>) => ({
  currency: String(r.currency),
  day: String(r.day),
  declines: num(r.declines),
  amount: num(r.amount),
  recovered: num(r.recovered),
  recoveredAmount: num(r.recoveredAmount),
});

/**
 * Declines of the period by reason (class, response code and its words) and scheme, per currency and rate
 * segment: the class, code and scheme breakdowns and what was recovered, from one read (a response code
 * has one class; codes, schemes and currencies are few).
 */
async function declineReasons(shopId: string, query: InsightsQuery, conversion: Conversion): Promise<DeclineReasonRow[]> {
  const rows = await rawSql().$queryRaw<Array<Record<string, unknown>>>`
    SELECT "declineClass", "responseCode", MAX("reason") AS "reason", "scheme", "currency", ${segmentStart(query, conversion)} AS "day", ${DECLINE_SUMS}
    FROM "InsightDeclineDay" WHERE ${scope(shopId, query, query)}
    GROUP BY 1, 2, 4, 5, 6`;
  return rows.map((r) => ({
    declineClass: String(r.declineClass),
    responseCode: String(r.responseCode),
    reason: String(r.reason ?? ""),
    scheme: String(r.scheme),
    ...declineSums(r),
  }));
}

/**
 * Declines of the period by card country or BIN, per currency and rate segment: only the BREAKDOWN_LIMIT
 * keys with the most declines, ranked in the same read.
 */
async function declinesBy(shopId: string, query: InsightsQuery, conversion: Conversion, column: "cardCountry" | "bin"): Promise<DeclineRow[]> {
  const key = ident(column);
  const rows = await rawSql().$queryRaw<Array<Record<string, unknown>>>`
    SELECT "key", "currency", "day", "declines", "amount", "recovered", "recoveredAmount" FROM (
      SELECT g.*, DENSE_RANK() OVER (ORDER BY "keyDeclines" DESC, "key") AS "rank" FROM (
        SELECT ${key} AS "key", "currency", ${segmentStart(query, conversion)} AS "day", ${DECLINE_SUMS},
          SUM(SUM("declines")) OVER (PARTITION BY ${key}) AS "keyDeclines"
        FROM "InsightDeclineDay" WHERE ${scope(shopId, query, query)}
        GROUP BY 1, 2, 3
      ) g
    ) ranked WHERE "rank" <= ${BREAKDOWN_LIMIT}`;
  return rows.map((r) => ({ key: String(r.key), label: String(r.key), ...declineSums(r) }));
}

async function disputeRows(shopId: string, span: Period, query: InsightsQuery, conversion: Conversion): Promise<DisputeRow[]> {
  const rows = await rawSql().$queryRaw<Array<Record<string, unknown>>>`
    SELECT "category", "currency", ${segmentStart(span, conversion, [query.from])} AS "day",
      SUM("disputes") AS "disputes", SUM("amount") AS "amount", SUM("won") AS "won", SUM("wonAmount") AS "wonAmount", SUM("lost") AS "lost",
      SUM("evidenceSubmitted") AS "evidenceSubmitted", SUM("accepted") AS "accepted", SUM("respondSeconds") AS "respondSeconds"
    FROM "InsightDisputeDay" WHERE ${scope(shopId, span, query)}
    GROUP BY 1, 2, 3`;
  return rows.map((r) => ({
    category: String(r.category),
    currency: String(r.currency),
    day: String(r.day),
    disputes: num(r.disputes),
    amount: num(r.amount),
    won: num(r.won),
    wonAmount: num(r.wonAmount),
    lost: num(r.lost),
    evidenceSubmitted: num(r.evidenceSubmitted),
    accepted: num(r.accepted),
    respondSeconds: num(r.respondSeconds),
  }));
}

/** A month's disputes received (or payments approved) per currency and rate segment, for the whole months of `span`. */
async function monthRows(
  table: "InsightDisputeDay" | "InsightPaymentDay",
  shopId: string,
  span: Period,
  query: InsightsQuery,
  conversion: Conversion,
): Promise<MonthRow[]> {
  const [count, amount] = table === "InsightDisputeDay" ? ["disputes", "amount"] : ["approved", "approvedAmount"];
  const rows = await rawSql().$queryRaw<Array<Record<string, unknown>>>`
    SELECT substr("day", 1, 7) AS "month", "currency", ${segmentStart(span, conversion)} AS "day",
      SUM(${ident(count)}) AS "count", SUM(${ident(amount)}) AS "amount"
    FROM ${ident(table)} WHERE ${scope(shopId, span, query)}
    GROUP BY 1, 2, 3`;
  return rows.map((r) => ({ month: String(r.month), currency: String(r.currency), day: String(r.day), count: num(r.count), amount: num(r.amount) }));
}

const HOLD_SUMS = Prisma.sql`SUM("holds") AS "holds", SUM("released") AS "released", SUM("canceled") AS "canceled",
  SUM("decisionSeconds") AS "decisionSeconds", SUM("protectedAmount") AS "protectedAmount"`;

const holdSums = (r: Record<string, unknown>) => ({
  currency: String(r.currency),
  monitorOnly: num(r.monitorOnly) === 1,
  holds: num(r.holds),
  released: num(r.released),
  canceled: num(r.canceled),
  decisionSeconds: num(r.decisionSeconds),
  protectedAmount: num(r.protectedAmount),
});

/** Whole holds (rule "") per day, currency and monitor-only. */
async function holdDays(shopId: string, span: Period, query: InsightsQuery): Promise<HoldDayRow[]> {
  const rows = await rawSql().$queryRaw<Array<Record<string, unknown>>>`
    SELECT "day", "currency", CASE WHEN "monitorOnly" THEN 1 ELSE 0 END AS "monitorOnly", ${HOLD_SUMS}
    FROM "InsightHoldDay" WHERE ${scope(shopId, span, query)} AND "rule" = ''
    GROUP BY 1, 2, 3`;
  return rows.map((r) => ({ day: String(r.day), ...holdSums(r) }));
}

/** Holds of the period per rule they hit, monitor-only and currency. */
async function holdRules(shopId: string, query: InsightsQuery): Promise<HoldRuleRow[]> {
  const rows = await rawSql().$queryRaw<Array<Record<string, unknown>>>`
    SELECT "rule", CASE WHEN "monitorOnly" THEN 1 ELSE 0 END AS "monitorOnly", "currency", ${HOLD_SUMS}
    FROM "InsightHoldDay" WHERE ${scope(shopId, query, query)} AND "rule" <> ''
    GROUP BY 1, 2, 3`;
  return rows.map((r) => ({ rule: String(r.rule), ...holdSums(r) }));
}

/** What the filters offer: the currencies and countries the shop's payments were rolled up with (every dispute and hold is of one). */
async function filterChoices(shopId: string): Promise<{ currencies: string[]; countries: string[] }> {
  const rows = await rawSql().$queryRaw<Array<{ currency: string; country: string }>>`
    SELECT DISTINCT "currency", "country" FROM "InsightPaymentDay" WHERE "shopId" = ${shopId}`;
  const distinct = (values: string[]) => [...new Set(values.filter(Boolean))].sort();
  return { currencies: distinct(rows.map((r) => r.currency)), countries: distinct(rows.map((r) => r.country)) };
}

/** The shop's zone and currency, and its local today. */
export async function shopClock(shopId: string, now = new Date()) {
  const shop = await selectOne(rawSql(), "Shop", { id: shopId });
  if (!shop) throw new Error(`No shop ${shopId}`);
  const timeZone = shop.ianaTimezone ?? "UTC";
  return { timeZone, currency: shop.currency, today: localDay(now, timeZone) };
}

/** The range and filters a request's search params ask for, with the shop's today as the last day possible. */
export async function parseInsightsRequest(shopId: string, params: URLSearchParams, now = new Date()): Promise<ParsedInsightsQuery> {
  return parseInsightsQuery(params, (await shopClock(shopId, now)).today);
}

/** The shop's thresholds, when its roll-ups were last brought up to date, and its rates: raw reads, as the page's figures are. */
async function pageSettings(shopId: string) {
  const [[settings], rates] = await Promise.all([
    rawSql().$queryRaw<Array<{ disputeThresholds: string | null; refreshedAt: Date | string | null }>>`
      SELECT st."disputeThresholds", r."refreshedAt" FROM "Shop" s
        LEFT JOIN "ShopSettings" st ON st."shopId" = s."id" LEFT JOIN "InsightRollupState" r ON r."shopId" = s."id"
      WHERE s."id" = ${shopId}`,
    rawSql().$queryRaw<RateRow[]>`SELECT "currency", "rate", "validFrom", "source" FROM "CurrencyRate" WHERE "shopId" = ${shopId}`,
  ]);
  const refreshedAt = settings?.refreshedAt ?? null;
  return {
    thresholds: thresholdsFor(settings?.disputeThresholds),
    refreshedAt: refreshedAt === null ? null : new Date(refreshedAt).toISOString(),
    rates: rates.map((r) => ({ ...r, rate: Number(r.rate) })),
  };
}

const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
/** The last day of `day`'s month. */
const monthEnd = (day: string) => addDays(`${addDays(monthStart(day), 31).slice(0, 7)}-01`, -1);

/** Everything the Insights page shows for the shop's range and filters (model.ts). */
export async function loadInsights(shopId: string, query: InsightsQuery): Promise<InsightsView> {
  const { building } = await refreshInsights(shopId);
  const [clock, { thresholds, refreshedAt, rates }] = await Promise.all([shopClock(shopId), pageSettings(shopId)]);
  const conversion = new Conversion(clock.currency, rates);
  const previous = previousPeriod(query);
  // Both periods in one read each: the rows split at `query.from`.
  const span: Period = { from: previous.from, to: query.to };
  const months: Period = { from: monthStart(query.from), to: monthEnd(query.to) };
  const [payments, reasons, byCardCountry, byBin, disputes, disputeMonths, approvedMonths, holds, rules, seen] = await Promise.all([
    paymentDays(shopId, span, query),
    declineReasons(shopId, query, conversion),
    declinesBy(shopId, query, conversion, "cardCountry"),
    declinesBy(shopId, query, conversion, "bin"),
    disputeRows(shopId, span, query, conversion),
    monthRows("InsightDisputeDay", shopId, months, query, conversion),
    monthRows("InsightPaymentDay", shopId, months, query, conversion),
    holdDays(shopId, span, query),
    holdRules(shopId, query),
    filterChoices(shopId),
  ]);
  const view = {
    query,
    previous: { from: previous.from, to: previous.to },
    timeZone: clock.timeZone,
    shopCurrency: clock.currency,
    ...seen,
    payments: paymentsInsight(query, payments, conversion),
    declines: declinesInsight(query, payments, { reasons, byCardCountry, byBin }, conversion),
    disputes: disputesInsight(query, disputes, { disputes: disputeMonths, approved: approvedMonths }, thresholds, conversion),
    holds: holdsInsight(query, holds, rules, conversion),
    refreshedAt,
    building,
  };
  // Last: the rates every conversion above applied.
  return { ...view, rates: conversion.used() };
}
