// One Insights roll-up table of the shop as CSV, for the page's range and filters: its rows as kept (a day,
// currency and customer country each, and the table's own keys), days the shop's local days, amounts in
// major units beside their currency, averages where the table keeps sums. English, as exports are.
import { csvTable } from "../lib/csv";
import { db } from "../db.server";
import { minorToDecimal } from "../lib/money";
import type { InsightsQuery } from "./model";

export const INSIGHTS_CSV_TABLES = ["payments", "declines", "disputes", "holds"] as const;
export type InsightsCsvTable = (typeof INSIGHTS_CSV_TABLES)[number];

/** More rows than a spreadsheet is read for; a larger export is narrowed by the dates. */
export const INSIGHTS_CSV_LIMIT = 50_000;

export const isInsightsCsvTable = (value: string | null): value is InsightsCsvTable => (INSIGHTS_CSV_TABLES as readonly (string | null)[]).includes(value);

const money = (minor: bigint | number, currency: string) => minorToDecimal(Number(minor), currency);

/** `total ÷ count ÷ unit` to two decimals, empty without a count. */
const average = (total: bigint | number, count: number, unit: number) => (count > 0 ? (Number(total) / count / unit).toFixed(2) : "");

/** The rule of a hold row: its name, or the row that counts every hold once. */
const ruleCell = (rule: string) => rule || "(all holds)";

const COLUMNS: Record<InsightsCsvTable, readonly string[]> = {
  payments: [
    "day",
    "currency",
    "country",
    "payments",
    "approved",
    "approved_amount",
    "declined",
    "declined_amount",
    "captured",
    "captured_amount",
    "average_capture_hours",
    "refunded_amount",
  ],
  declines: [
    "day",
    "currency",
    "country",
    "decline_class",
    "response_code",
    "reason",
    "card_country",
    "scheme",
    "bin",
    "declines",
    "amount",
    "recovered",
    "recovered_amount",
  ],
  disputes: [
    "day",
    "currency",
    "country",
    "category",
    "disputes",
    "amount",
    "won",
    "won_amount",
    "lost",
    "lost_amount",
    "evidence_submitted",
    "accepted",
    "average_days_to_evidence",
  ],
  holds: ["day", "currency", "country", "rule", "monitor_only", "holds", "amount", "released", "canceled", "average_decision_hours", "protected_amount"],
};

type Cells = Array<string | null>;

/** The table's rows of the range and filters, in order of day, currency and country, one more than the limit. */
async function rowsOf(table: InsightsCsvTable, shopId: string, query: InsightsQuery): Promise<Cells[]> {
  const where = {
    shopId,
    day: { gte: query.from, lte: query.to },
    ...(query.currency ? { currency: query.currency } : {}),
    ...(query.country ? { country: query.country } : {}),
  };
  const page = { take: INSIGHTS_CSV_LIMIT + 1 };
  const order = [{ day: "asc" }, { currency: "asc" }, { country: "asc" }] as const;
  switch (table) {
    case "payments":
      return (await db().insightPaymentDay.findMany({ where, orderBy: [...order, { id: "asc" }], ...page })).map((r) => [
        r.day,
        r.currency,
        r.country,
        String(r.payments),
        String(r.approved),
        money(r.approvedAmount, r.currency),
        String(r.declined),
        money(r.declinedAmount, r.currency),
        String(r.captured),
        money(r.capturedAmount, r.currency),
        average(r.captureSeconds, r.captured, 3600),
        money(r.refundedAmount, r.currency),
      ]);
    case "declines":
      return (
        await db().insightDeclineDay.findMany({
          where,
          orderBy: [...order, { declineClass: "asc" }, { responseCode: "asc" }, { bin: "asc" }, { id: "asc" }],
          ...page,
        })
      ).map((r) => [
        r.day,
        r.currency,
        r.country,
        r.declineClass,
        r.responseCode,
        r.reason,
        r.cardCountry,
        r.scheme,
        r.bin,
        String(r.declines),
        money(r.amount, r.currency),
        String(r.recovered),
        money(r.recoveredAmount, r.currency),
      ]);
    case "disputes":
      return (await db().insightDisputeDay.findMany({ where, orderBy: [...order, { category: "asc" }, { id: "asc" }], ...page })).map((r) => [
        r.day,
        r.currency,
        r.country,
        r.category,
        String(r.disputes),
        money(r.amount, r.currency),
        String(r.won),
        money(r.wonAmount, r.currency),
        String(r.lost),
        money(r.lostAmount, r.currency),
        String(r.evidenceSubmitted),
        String(r.accepted),
        average(r.respondSeconds, r.evidenceSubmitted, 86_400),
      ]);
    case "holds":
      return (await db().insightHoldDay.findMany({ where, orderBy: [...order, { rule: "asc" }, { monitorOnly: "asc" }, { id: "asc" }], ...page })).map((r) => [
        r.day,
        r.currency,
        r.country,
        ruleCell(r.rule),
        String(r.monitorOnly),
        String(r.holds),
        money(r.amount, r.currency),
        String(r.released),
        String(r.canceled),
        average(r.decisionSeconds, r.released + r.canceled, 3600),
        money(r.protectedAmount, r.currency),
      ]);
  }
}

/** The shop's rows of one table for the range and filters, as CSV (at most INSIGHTS_CSV_LIMIT rows). */
export async function insightsCsv(shopId: string, table: InsightsCsvTable, query: InsightsQuery): Promise<{ csv: string; count: number; truncated: boolean }> {
  const rows = await rowsOf(table, shopId, query);
  const shown = rows.slice(0, INSIGHTS_CSV_LIMIT);
  return { csv: csvTable(COLUMNS[table], shown), count: shown.length, truncated: rows.length > INSIGHTS_CSV_LIMIT };
}
