// The merchant's view of their Checkout.com payouts (imported by payouts.server.ts): the payouts newest
// first with their totals per currency (never added across currencies), one payout's lines with the
// Shopify order each ties to and what needs a look, those lines as CSV, and Home's chart of each
// currency's payout days. Every query is the shop's.
import { Prisma, type Payout } from "@prisma/client";
import { z } from "zod";
import { db, rawSql } from "../db.server";
import { csvTable } from "../lib/csv";
import { NotFoundError } from "../lib/errors";
import { cursorDirection, cursorPage, cursorParam, cursorText, type Cursor } from "../lib/list-params";
import { minorToDecimal } from "../lib/money";

export const PAYOUTS_PAGE_SIZE = 50;
export const PAYOUT_LINES_PAGE_SIZE = 100;

/**
 * What a line needs a look for: another shop's (its processing channel is not this shop's: never matched
 * to an order), this shop's but tied to no order (or to no payment at all), or a capture of more than its
 * payment's captured total, or in another currency (a payment captured in parts has one line per part). One flag a line, in that order; null: nothing.
 */
type PayoutLineFlag = "other_shop" | "no_order" | "amount_differs";

/** A currency code from the URL, or undefined (every currency) for anything that is not one. */
const currencyParam = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/)
  .optional()
  .catch(undefined);

/** The payouts list's filters, read leniently from the URL: a value it does not know means "not given". */
const payoutFiltersSchema = z.object({
  currency: currencyParam,
  /** The page after (older than) this payout, or before (newer than) it. */
  after: cursorParam,
  before: cursorParam,
});
export type PayoutFilters = z.input<typeof payoutFiltersSchema>;

export const LINE_SHOWS = ["all", "problems"] as const;

/** A payout's lines' filters: every line or only those that need a look, and the page. */
const lineFiltersSchema = z.object({
  show: z.enum(LINE_SHOWS).catch("all").default("all"),
  after: cursorParam,
  before: cursorParam,
});
export type PayoutLineFilters = z.input<typeof lineFiltersSchema>;

function payoutView(payout: Payout) {
  return {
    id: payout.id,
    payoutId: payout.payoutId,
    currency: payout.currency,
    payoutDate: payout.payoutDate.toISOString(),
    gross: payout.gross,
    refunds: payout.refunds,
    chargebacks: payout.chargebacks,
    processingFees: payout.processingFees,
    schemeFees: payout.schemeFees,
    otherFees: payout.otherFees,
    net: payout.net,
    lineCount: payout.lineCount,
    linesTied: payout.linesTied,
    linesOtherShop: payout.linesOtherShop,
    // As the last import counted them (each import counts the last 90 days' again); the payout's page counts live.
    linesWithoutOrder: Math.max(0, payout.lineCount - payout.linesTied - payout.linesOtherShop),
  };
}

/** Payouts strictly older (`lt`) or newer (`gt`) than the cursor, in the list's order. */
const beyond = (cursor: Cursor, side: "lt" | "gt"): Prisma.PayoutWhereInput => ({
  OR: [{ payoutDate: { [side]: cursor.at } }, { payoutDate: cursor.at, id: { [side]: cursor.id } }],
});

/**
 * A page of the shop's payouts, newest first, 50 at a time, with the cursors of the pages around it;
 * the currencies it has payouts in; and `totalsByCurrency`: the sums of every payout the filter
 * shows (not only this page's), one row per currency.
 */
export async function listPayouts(shopId: string, input: PayoutFilters = {}) {
  const filters = payoutFiltersSchema.parse(input);
  // A payout still being imported shows once all its lines are in.
  const where: Prisma.PayoutWhereInput = { shopId, importedAt: { not: null }, ...(filters.currency ? { currency: filters.currency } : {}) };
  const direction = cursorDirection(filters);
  const [rows, groups] = await Promise.all([
    db().payout.findMany({
      where: direction.cursor ? { AND: [where, beyond(direction.cursor, direction.backwards ? "gt" : "lt")] } : where,
      orderBy: direction.backwards ? [{ payoutDate: "asc" }, { id: "asc" }] : [{ payoutDate: "desc" }, { id: "desc" }],
      take: PAYOUTS_PAGE_SIZE + 1,
    }),
    // Every currency of the shop's (the filter's choices); the filter's totals are some of these.
    db().payout.groupBy({
      by: ["currency"],
      where: { shopId, importedAt: { not: null } },
      _count: { _all: true },
      _sum: { gross: true, refunds: true, chargebacks: true, processingFees: true, schemeFees: true, otherFees: true, net: true },
      orderBy: { currency: "asc" },
    }),
  ]);
  const { page, previous, next } = cursorPage(rows, PAYOUTS_PAGE_SIZE, direction, (payout) => cursorText(payout.payoutDate, payout.id));
  return {
    payouts: page.map(payoutView),
    filters: { currency: filters.currency ?? null },
    currencies: groups.map((g) => g.currency),
    totalsByCurrency: groups
      .filter((g) => !filters.currency || g.currency === filters.currency)
      .map((g) => ({
        currency: g.currency,
        payouts: g._count._all,
        gross: g._sum.gross ?? 0,
        refunds: g._sum.refunds ?? 0,
        chargebacks: g._sum.chargebacks ?? 0,
        processingFees: g._sum.processingFees ?? 0,
        schemeFees: g._sum.schemeFees ?? 0,
        otherFees: g._sum.otherFees ?? 0,
        net: g._sum.net ?? 0,
      })),
    previous,
    next,
  };
}

const DAY_MS = 86_400_000;

/** A payout day's figures in one currency, minor units: what reached the bank and the fees taken (positive). */
interface PayoutDay {
  /** YYYY-MM-DD, in UTC. */
  day: string;
  net: number;
  processingFees: number;
  schemeFees: number;
  otherFees: number;
}

/**
 * Home's chart: the shop's imported payouts of the last `days` days (today in UTC and the days before
 * it), one series per currency (never added across currencies), one point per payout day, oldest first,
 * summing that day's payouts. The currency paid out on the most days comes first (the one shown), then
 * by code.
 */
export async function payoutSeries(shopId: string, { days = 90, now = new Date() } = {}) {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * DAY_MS);
  const rows = await db().payout.findMany({
    where: { shopId, importedAt: { not: null }, payoutDate: { gte: since } },
    select: { currency: true, payoutDate: true, net: true, processingFees: true, schemeFees: true, otherFees: true },
    orderBy: [{ payoutDate: "asc" }, { id: "asc" }],
  });
  const byCurrency = new Map<string, Map<string, PayoutDay>>();
  for (const row of rows) {
    // Keyed by the day rather than the date: a payout whose file names no day is dated by its report's time.
    const day = row.payoutDate.toISOString().slice(0, 10);
    const points = byCurrency.get(row.currency) ?? new Map<string, PayoutDay>();
    byCurrency.set(row.currency, points);
    const point = points.get(day) ?? { day, net: 0, processingFees: 0, schemeFees: 0, otherFees: 0 };
    points.set(day, {
      day,
      net: point.net + row.net,
      processingFees: point.processingFees + row.processingFees,
      schemeFees: point.schemeFees + row.schemeFees,
      otherFees: point.otherFees + row.otherFees,
    });
  }
  const currencies = [...byCurrency].map(([currency, points]) => ({ currency, days: [...points.values()] }));
  currencies.sort((a, b) => b.days.length - a.days.length || a.currency.localeCompare(b.currency));
  return { days, currencies };
}
export type PayoutSeries = Awaited<ReturnType<typeof payoutSeries>>;

/** Where the shop's payout import got to: its last run, and its last failure and when it tries again. */
export async function payoutImportStatus(shopId: string) {
  const state = await db().payoutImport.findUnique({ where: { shopId } });
  return {
    lastRunAt: state?.lastRunAt?.toISOString() ?? null,
    lastError: state?.lastError ?? null,
    lastErrorAt: state?.lastErrorAt?.toISOString() ?? null,
    retryAt: state?.retryAt?.toISOString() ?? null,
  };
}
export type PayoutImportStatus = Awaited<ReturnType<typeof payoutImportStatus>>;

// ---- a payout's lines: raw statements, as a line's payment and order are no relation Prisma knows ----

/** A line, its payment (a line of this shop only) and the payment's Shopify order. */
const LINE_FROM = Prisma.sql`"PayoutLine" l
  LEFT JOIN "Payment" p ON p."id" = l."paymentId" AND p."shopId" = l."shopId" AND l."belongs" = 'shop'
  LEFT JOIN "OrderLink" o ON o."paymentId" = p."id" AND o."shopId" = l."shopId"`;

/** The line's flag (PayoutLineFlag), in SQL: pages filter on it and counts group by it. */
const LINE_FLAG = Prisma.sql`CASE
    WHEN l."belongs" = 'other' THEN 'other_shop'
    WHEN o."id" IS NULL THEN 'no_order'
    WHEN l."actionType" = 'Capture' AND (l."amount" > p."capturedAmount" OR l."currency" <> p."currency") THEN 'amount_differs'
  END`;

interface LineRow {
  id: string;
  actionId: string;
  actionType: string;
  ckoPaymentId: string | null;
  paymentId: string | null;
  reference: string | null;
  processedOn: Date;
  currency: string;
  amount: number;
  processingFees: number;
  schemeFees: number;
  otherFees: number;
  net: number;
  orderGid: string | null;
  orderName: string | null;
  flag: PayoutLineFlag | null;
}

/**
 * The payout's lines newest first (oldest first when read `backwards`), only those flagged with
 * `problemsOnly`. A cursor reads on past it as a range of (payoutRowId, processedOn), the index's.
 */
function readLines(
  shopId: string,
  payoutRowId: string,
  options: { problemsOnly?: boolean; direction?: { backwards: boolean; cursor?: Cursor }; limit?: number },
) {
  const { backwards = false, cursor } = options.direction ?? {};
  const conditions = [Prisma.sql`l."shopId" = ${shopId}`, Prisma.sql`l."payoutRowId" = ${payoutRowId}`];
  if (options.problemsOnly) conditions.push(Prisma.sql`(${LINE_FLAG}) IS NOT NULL`);
  if (cursor)
    conditions.push(
      backwards
        ? Prisma.sql`l."processedOn" >= ${cursor.at} AND (l."processedOn" > ${cursor.at} OR l."id" > ${cursor.id})`
        : Prisma.sql`l."processedOn" <= ${cursor.at} AND (l."processedOn" < ${cursor.at} OR l."id" < ${cursor.id})`,
    );
  const order = backwards ? Prisma.sql`l."processedOn" ASC, l."id" ASC` : Prisma.sql`l."processedOn" DESC, l."id" DESC`;
  return rawSql().$queryRaw<LineRow[]>`
    SELECT l."id", l."actionId", l."actionType", l."ckoPaymentId", p."id" AS "paymentId", l."reference", l."processedOn", l."currency",
      l."amount", l."processingFees", l."schemeFees", l."otherFees", l."net", o."orderGid", o."orderName", ${LINE_FLAG} AS "flag"
    FROM ${LINE_FROM}
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${order}${options.limit ? Prisma.sql` LIMIT ${options.limit}` : Prisma.empty}`;
}

/**
 * How many lines the payout has, how many tie to an order of this shop now, and how many carry each
 * flag: one aggregate, no line loaded.
 */
async function lineCounts(shopId: string, payoutRowId: string) {
  const groups = await rawSql().$queryRaw<Array<{ flag: PayoutLineFlag | null; count: bigint | number | string }>>`
    SELECT ${LINE_FLAG} AS "flag", COUNT(*) AS "count"
    FROM ${LINE_FROM}
    WHERE l."shopId" = ${shopId} AND l."payoutRowId" = ${payoutRowId}
    GROUP BY 1`;
  const counts = { lines: 0, tied: 0, other_shop: 0, no_order: 0, amount_differs: 0 };
  for (const g of groups) {
    counts.lines += Number(g.count);
    if (g.flag) counts[g.flag] += Number(g.count);
  }
  counts.tied = counts.lines - counts.other_shop - counts.no_order;
  return counts;
}

const lineView = (line: LineRow) => ({ ...line, processedOn: line.processedOn.toISOString() });
export type PayoutLineView = ReturnType<typeof lineView>;

/** The shop's payout, or not found: another shop's id reads as no payout at all. */
async function payoutOf(shopId: string, payoutRowId: string): Promise<Payout & { importedAt: Date }> {
  const payout = await db().payout.findFirst({ where: { id: payoutRowId, shopId } });
  if (!payout?.importedAt) throw new NotFoundError("This payout does not exist in this shop.", { key: "payouts.notFound" });
  return { ...payout, importedAt: payout.importedAt };
}

/**
 * One payout of the shop with where it came from, a page of its lines (100, newest first; with
 * `show: "problems"` only the flagged ones), each with its Shopify order and flag, and how many lines
 * carry each flag. Another shop's payout is not found.
 */
export async function payoutDetail(shopId: string, payoutRowId: string, input: PayoutLineFilters = {}) {
  const filters = lineFiltersSchema.parse(input);
  const payout = await payoutOf(shopId, payoutRowId);
  const direction = cursorDirection(filters);
  const [rows, counts] = await Promise.all([
    readLines(shopId, payout.id, { problemsOnly: filters.show === "problems", direction, limit: PAYOUT_LINES_PAGE_SIZE + 1 }),
    lineCounts(shopId, payout.id),
  ]);
  const { page, previous, next } = cursorPage(rows, PAYOUT_LINES_PAGE_SIZE, direction, (line) => cursorText(line.processedOn, line.id));
  return {
    payout: { ...payoutView(payout), reportId: payout.reportId, entityId: payout.entityId, importedAt: payout.importedAt.toISOString() },
    counts,
    lines: page.map(lineView),
    filters: { show: filters.show },
    previous,
    next,
  };
}

const CSV_COLUMNS = [
  "processed_on",
  "action_id",
  "action_type",
  "payment_id",
  "order",
  "reference",
  "currency",
  "amount",
  "processing_fees",
  "scheme_fees",
  "other_fees",
  "net",
  "flag",
] as const;

/**
 * The shop's payout's lines as CSV, newest first: dates in UTC, amounts in major units beside their
 * currency (fees as positive amounts taken), the order's name (its id without one) and the flag.
 */
export async function payoutCsv(shopId: string, payoutRowId: string): Promise<{ csv: string; count: number; payoutId: string }> {
  const payout = await payoutOf(shopId, payoutRowId);
  const lines = await readLines(shopId, payout.id, {});
  const rows = lines.map((l) => [
    l.processedOn.toISOString(),
    l.actionId,
    l.actionType,
    l.ckoPaymentId,
    l.orderName ?? l.orderGid,
    l.reference,
    l.currency,
    minorToDecimal(l.amount, l.currency),
    minorToDecimal(l.processingFees, l.currency),
    minorToDecimal(l.schemeFees, l.currency),
    minorToDecimal(l.otherFees, l.currency),
    minorToDecimal(l.net, l.currency),
    l.flag,
  ]);
  return { csv: csvTable(CSV_COLUMNS, rows), count: rows.length, payoutId: payout.payoutId };
}
