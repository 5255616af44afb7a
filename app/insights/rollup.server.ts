// Insights' daily roll-ups per shop and local day (the shop's time zone): payments, declines, disputes
// and holds. A day's rows are never added to: they are computed again from the raw rows (the shop's
// rows of that day deleted in the four tables, fresh ones inserted, in one transaction), so they always
// equal a rebuild. Which days to compute again comes from the stale marks writers leave (stale.server.ts);
// the page refreshes before it reads, and the roll-up job a minute after a change. A whole rebuild (no
// roll-ups yet, or a new time zone) runs inside the refresh only for a small shop; a larger one's is a job
// of its own, and until it ends the refresh says the roll-ups are being built and does nothing else. The
// day's raw rows (a few thousand) are aggregated here in JavaScript: one code path for SQLite and PostgreSQL.
import { randomUUID } from "node:crypto";
import { setImmediate as nextTurn } from "node:timers/promises";
import { Prisma, type InsightRollupState } from "@prisma/client";
import { db, rawSql } from "../db.server";
import { disputeOutcome } from "../flow/triggers";
import { ruleHitsOf } from "../holds/holds.server";
import { addDays, localDay, localDayStart } from "../lib/dates";
import { inPreparedTransaction, type RawSql } from "../lib/prepared-sql.server";
import { ident, selectOne } from "../lib/sql.server";
import { explainResponse } from "../payments/declines";
import { CAPTURE_EVENT } from "../payments/payment-events";
import type { JobHandler } from "../queue/jobs.server";
import { isRebuildJob, planRebuild, rollupStatusOf, zoneOf, type RebuildPolicy } from "./rebuild-queue.server";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The state's zone before the first full rebuild: no shop's, so a refresh rebuilds. */
const NOT_BUILT = "";

const ROLLUP_TABLES = ["InsightPaymentDay", "InsightDeclineDay", "InsightDisputeDay", "InsightHoldDay"] as const;
type RollupTable = (typeof ROLLUP_TABLES)[number];

/** Dates as the drivers give them: a Date, or SQLite's text where a query computed the value. */
const asDate = (value: Date | string) => new Date(value);
const secondsBetween = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

// ---------------------------------------------------------------------------------------------
// A day's rows, computed from the raw rows.

interface PaymentRow {
  id: string;
  createdAt: Date;
  processedOn: Date | null;
  amount: number;
  currency: string;
  status: string;
  capturedAmount: number;
  refundedAmount: number;
  customerEmail: string | null;
  cardFingerprint: string | null;
  cardCountry: string | null;
  billingCountry: string | null;
  shippingCountry: string | null;
  cardScheme: string | null;
  cardBin: string | null;
  responseCode: string | null;
  responseSummary: string | null;
  declineClass: string | null;
}

/** The customer's country: billing, else shipping, else the card's; "" unknown. */
type Countries = Pick<PaymentRow, "billingCountry" | "shippingCountry" | "cardCountry">;
const countryOf = (p: Countries) => p.billingCountry || p.shippingCountry || p.cardCountry || "";

/** Statuses only an authorised payment reaches (app/payments/status.ts). */
const AUTHORIZED_STATUSES: ReadonlySet<string> = new Set([
  "Authorized",
  "Card Verified",
  "Voided",
  "Partially Captured",
  "Captured",
  "Paid",
  "Partially Refunded",
  "Refunded",
  "Returned",
]);

/**
 * Approved: authorised, whatever came after; declined: declined at authorisation; null: no outcome
 * (pending). A canceled or expired payment was authorised only if its authorisation approved it: a
 * pending one can expire or be canceled too.
 */
function outcomeOf(p: Pick<PaymentRow, "status" | "responseCode">): "approved" | "declined" | null {
  if (p.status === "Declined") return "declined";
  if (AUTHORIZED_STATUSES.has(p.status)) return "approved";
  if ((p.status === "Canceled" || p.status === "Expired") && explainResponse(p.responseCode).approved) return "approved";
  return null;
}

/** Rows keyed by their key columns, each starting from `zero` and summing what is added. */
function tally<K extends Record<string, string | boolean>, F extends Record<string, number>>(zero: F) {
  const rows = new Map<string, K & F>();
  return {
    add(key: K, figures: Partial<F>) {
      const id = JSON.stringify(Object.values(key));
      const row = rows.get(id) ?? rows.set(id, { ...key, ...zero }).get(id)!;
      const sums = row as Record<string, number>;
      for (const [name, value] of Object.entries(figures)) sums[name] += value ?? 0;
    },
    rows: () => [...rows.values()],
  };
}

/** A payment-day row's figures, all zero: what a day's tally starts from. */
export const PAYMENT_FIGURES = {
  payments: 0,
  approved: 0,
  approvedAmount: 0,
  declined: 0,
  declinedAmount: 0,
  captured: 0,
  capturedAmount: 0,
  captureSeconds: 0,
  refundedAmount: 0,
};

function paymentRows(payments: PaymentRow[], firstCaptures: Map<string, Date>) {
  const rows = tally<{ currency: string; country: string }, typeof PAYMENT_FIGURES>(PAYMENT_FIGURES);
  for (const p of payments) {
    const outcome = outcomeOf(p);
    if (!outcome) continue;
    const key = { currency: p.currency, country: countryOf(p) };
    if (outcome === "declined") {
      rows.add(key, { payments: 1, declined: 1, declinedAmount: p.amount });
      continue;
    }
    const capturedAt = firstCaptures.get(p.id);
    rows.add(key, {
      payments: 1,
      approved: 1,
      approvedAmount: p.amount,
      refundedAmount: p.refundedAmount,
      ...(p.capturedAmount > 0
        ? {
            captured: 1,
            capturedAmount: p.capturedAmount,
            captureSeconds: capturedAt ? secondsBetween(p.processedOn ?? p.createdAt, capturedAt) : 0,
          }
        : {}),
    });
  }
  return rows.rows();
}

type Approval = Pick<PaymentRow, "createdAt" | "customerEmail" | "cardFingerprint">;

/** Whether the declined payment's customer (same email, or same card) had a payment approved within the next 24 hours. */
function recoveredBy(approvals: Approval[]) {
  const customers = (p: Approval) =>
    [p.customerEmail && `email:${p.customerEmail}`, p.cardFingerprint && `card:${p.cardFingerprint}`].filter(Boolean) as string[];
  const times = new Map<string, number[]>();
  for (const a of approvals) {
    for (const who of customers(a))
      times
        .set(who, times.get(who) ?? [])
        .get(who)!
        .push(a.createdAt.getTime());
  }
  return (decline: PaymentRow) => {
    const at = decline.createdAt.getTime();
    return customers(decline).some((who) => times.get(who)?.some((t) => t > at && t <= at + DAY_MS));
  };
}

const DECLINE_FIGURES = { declines: 0, amount: 0, recovered: 0, recoveredAmount: 0 };

function declineRows(declines: PaymentRow[], recovered: (decline: PaymentRow) => boolean) {
  type Key = {
    currency: string;
    country: string;
    declineClass: string;
    responseCode: string;
    reason: string;
    cardCountry: string;
    scheme: string;
    bin: string;
  };
  const rows = tally<Key, typeof DECLINE_FIGURES>(DECLINE_FIGURES);
  for (const p of declines) {
    const key = {
      currency: p.currency,
      country: countryOf(p),
      declineClass: p.declineClass ?? "",
      responseCode: p.responseCode ?? "",
      reason: p.responseSummary ?? "",
      cardCountry: p.cardCountry ?? "",
      scheme: p.cardScheme ?? "",
      bin: p.cardBin ?? "",
    };
    rows.add(key, { declines: 1, amount: p.amount, ...(recovered(p) ? { recovered: 1, recoveredAmount: p.amount } : {}) });
  }
  return rows.rows();
}

interface DisputeRow extends Countries {
  receivedOn: Date | null;
  createdAt: Date;
  amount: number;
  currency: string;
  category: string | null;
  status: string;
  submittedAt: Date | null;
  acceptedAt: Date | null;
}

const DISPUTE_FIGURES = { disputes: 0, amount: 0, won: 0, wonAmount: 0, lost: 0, lostAmount: 0, evidenceSubmitted: 0, accepted: 0, respondSeconds: 0 };

function disputeRows(disputes: DisputeRow[]) {
  const rows = tally<{ currency: string; country: string; category: string }, typeof DISPUTE_FIGURES>(DISPUTE_FIGURES);
  for (const d of disputes) {
    const outcome = disputeOutcome(d.status);
    rows.add(
      { currency: d.currency, country: countryOf(d), category: d.category ?? "" },
      {
        disputes: 1,
        amount: d.amount,
        ...(outcome === "won" ? { won: 1, wonAmount: d.amount } : outcome === "lost" ? { lost: 1, lostAmount: d.amount } : {}),
        ...(d.submittedAt ? { evidenceSubmitted: 1, respondSeconds: secondsBetween(d.receivedOn ?? d.createdAt, d.submittedAt) } : {}),
        ...(d.acceptedAt ? { accepted: 1 } : {}),
      },
    );
  }
  return rows.rows();
}

interface HoldRow extends Countries {
  decidedAt: Date;
  resolvedAt: Date | null;
  status: string;
  monitorOnly: boolean;
  ruleHits: string;
  amount: number;
  currency: string;
}

const HOLD_FIGURES = { holds: 0, amount: 0, released: 0, canceled: 0, decisionSeconds: 0, protectedAmount: 0 };

/** A row per hold under rule "", and one under each rule it hit. */
function holdRows(holds: HoldRow[]) {
  const rows = tally<{ currency: string; country: string; rule: string; monitorOnly: boolean }, typeof HOLD_FIGURES>(HOLD_FIGURES);
  for (const h of holds) {
    const decided = h.status === "released" || h.status === "canceled";
    const figures = {
      holds: 1,
      amount: h.amount,
      ...(h.status === "released" ? { released: 1 } : {}),
      ...(h.status === "canceled" ? { canceled: 1, protectedAmount: h.amount } : {}),
      ...(decided && h.resolvedAt ? { decisionSeconds: secondsBetween(h.decidedAt, h.resolvedAt) } : {}),
    };
    for (const rule of new Set(["", ...ruleHitsOf(h).map((hit) => hit.rule)])) {
      rows.add({ currency: h.currency, country: countryOf(h), rule, monitorOnly: h.monitorOnly }, figures);
    }
  }
  return rows.rows();
}

// ---------------------------------------------------------------------------------------------
// Reading a day, and writing its rows.

const PAYMENT_COLUMNS = Prisma.sql`"id", "createdAt", "processedOn", "amount", "currency", "status", "capturedAmount", "refundedAmount",
  "customerEmail", "cardFingerprint", "cardCountry", "billingCountry", "shippingCountry", "cardScheme", "cardBin", "responseCode",
  "responseSummary", "declineClass"`;
const DISPUTE_COLUMNS = Prisma.sql`d."receivedOn", d."createdAt", d."amount", d."currency", d."category", d."status", d."submittedAt",
  d."acceptedAt", p."billingCountry", p."shippingCountry", p."cardCountry"
  FROM "Dispute" d LEFT JOIN "Payment" p ON p."id" = d."paymentId" AND p."shopId" = d."shopId"`;

async function readDay(tx: RawSql, shopId: string, start: Date, end: Date) {
  const payments = await tx.$queryRaw<PaymentRow[]>`
    SELECT ${PAYMENT_COLUMNS} FROM "Payment" WHERE "shopId" = ${shopId} AND "createdAt" >= ${start} AND "createdAt" < ${end}`;
  const captures = await tx.$queryRaw<Array<{ paymentId: string; capturedAt: Date | string }>>`
    SELECT a."paymentId" AS "paymentId", MIN(a."occurredAt") AS "capturedAt"
    FROM "Payment" p JOIN "PaymentActivity" a ON a."paymentId" = p."id" AND a."shopId" = p."shopId"
    WHERE p."shopId" = ${shopId} AND p."createdAt" >= ${start} AND p."createdAt" < ${end} AND p."capturedAmount" > 0 AND a."type" = ${CAPTURE_EVENT}
    GROUP BY a."paymentId"`;
  // A day's declines are recovered by approvals up to 24 hours after the last of them.
  const declines = payments.filter((p) => outcomeOf(p) === "declined");
  const identified = declines.filter((p) => p.customerEmail || p.cardFingerprint);
  const later = identified.length
    ? await tx.$queryRaw<Array<Approval & Pick<PaymentRow, "status" | "responseCode">>>`
        SELECT "createdAt", "status", "responseCode", "customerEmail", "cardFingerprint" FROM "Payment"
        WHERE "shopId" = ${shopId} AND "createdAt" > ${new Date(Math.min(...identified.map((p) => p.createdAt.getTime())))}
          AND "createdAt" <= ${new Date(Math.max(...identified.map((p) => p.createdAt.getTime())) + DAY_MS)}`
    : [];
  // Placed by their receipt, or, before Checkout.com said when, by when the app first saw them.
  const disputes = await tx.$queryRaw<DisputeRow[]>`
    SELECT ${DISPUTE_COLUMNS} WHERE d."shopId" = ${shopId} AND d."receivedOn" >= ${start} AND d."receivedOn" < ${end}
    UNION ALL
    SELECT ${DISPUTE_COLUMNS} WHERE d."shopId" = ${shopId} AND d."receivedOn" IS NULL AND d."createdAt" >= ${start} AND d."createdAt" < ${end}`;
  const holds = await tx.$queryRaw<HoldRow[]>`
    SELECT h."decidedAt", h."resolvedAt", h."status", h."monitorOnly", h."ruleHits", p."amount", p."currency",
      p."billingCountry", p."shippingCountry", p."cardCountry"
    FROM "Hold" h JOIN "Payment" p ON p."id" = h."paymentId" AND p."shopId" = h."shopId"
    WHERE h."shopId" = ${shopId} AND h."decidedAt" >= ${start} AND h."decidedAt" < ${end}`;
  return {
    payments,
    firstCaptures: new Map(captures.map((c) => [c.paymentId, asDate(c.capturedAt)])),
    declines,
    approvals: later.filter((p) => outcomeOf(p) === "approved"),
    // SQLite names no column type for a compound select's dates.
    disputes: disputes.map((d) => ({
      ...d,
      receivedOn: d.receivedOn && asDate(d.receivedOn),
      createdAt: asDate(d.createdAt),
      submittedAt: d.submittedAt && asDate(d.submittedAt),
    })),
    holds,
  };
}

/** Multi-row inserts of 64, 16, 4 or 1 rows: few round trips, and few statement texts to prepare. */
const INSERT_SIZES = [64, 16, 4, 1];

async function insertRows(tx: RawSql, table: RollupTable, rows: Array<Record<string, unknown>>) {
  for (let at = 0; at < rows.length;) {
    const size = INSERT_SIZES.find((n) => n <= rows.length - at)!;
    const chunk = rows.slice(at, (at += size));
    const columns = Object.keys(chunk[0]);
    await tx.$executeRaw`INSERT INTO ${ident(table)} (${Prisma.join(columns.map(ident))})
      VALUES ${Prisma.join(chunk.map((row) => Prisma.sql`(${Prisma.join(columns.map((column) => row[column]))})`))}`;
  }
}

/** Computes the shop's rows of `day` again, in the caller's transaction; returns how many it wrote. */
async function recomputeDay(tx: RawSql, shopId: string, day: string, timeZone: string): Promise<number> {
  const raw = await readDay(tx, shopId, localDayStart(day, timeZone), localDayStart(addDays(day, 1), timeZone));
  const rows: Record<RollupTable, Array<Record<string, unknown>>> = {
    InsightPaymentDay: paymentRows(raw.payments, raw.firstCaptures),
    InsightDeclineDay: declineRows(raw.declines, recoveredBy(raw.approvals)),
    InsightDisputeDay: disputeRows(raw.disputes),
    InsightHoldDay: holdRows(raw.holds),
  };
  let written = 0;
  for (const table of ROLLUP_TABLES) {
    await tx.$executeRaw`DELETE FROM ${ident(table)} WHERE "shopId" = ${shopId} AND "day" = ${day}`;
    await insertRows(
      tx,
      table,
      rows[table].map((row) => ({ id: randomUUID(), shopId, day, ...row })),
    );
    written += rows[table].length;
  }
  return written;
}

/**
 * In a transaction of its own, with the shop's roll-ups to itself: on PostgreSQL the state row is
 * locked, so two refreshes (the page's and the job's) never compute the same day at once.
 */
function withRollupsOf<T>(shopId: string, work: (tx: RawSql, state: InsightRollupState | null) => Promise<T>): Promise<T> {
  return inPreparedTransaction(db(), async (tx) => work(tx, await selectOne(tx, "InsightRollupState", { shopId }, { lock: true })));
}

// ---------------------------------------------------------------------------------------------
// Refresh and rebuild.

/**
 * The local days a change in `hour` (UTC, "2026-12-06T14") can alter: the hour's own (two where it
 * straddles midnight, in a half-hour zone) and those of the 24 hours before it, whose declines a
 * payment then may have recovered.
 */
function daysTouched(hour: string, timeZone: string): string[] {
  const start = Date.parse(`${hour}:00:00Z`);
  const last = localDay(new Date(start + HOUR_MS - 1), timeZone);
  const days: string[] = [];
  for (let day = localDay(new Date(start - DAY_MS), timeZone); day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * Takes the shop's stale marks and computes the local days they touch again, in the zone the roll-ups
 * are in, in one transaction; nothing while they were never built (the marks wait for the rebuild).
 */
function refreshMarked(shopId: string, now: Date): Promise<string[]> {
  return withRollupsOf(shopId, async (tx, state) => {
    const timeZone = state?.timeZone;
    if (!timeZone) return [];
    const marks = await tx.$queryRaw<Array<{ hour: string }>>`DELETE FROM "InsightStaleHour" WHERE "shopId" = ${shopId} RETURNING "hour"`;
    const touched = [...new Set(marks.flatMap((mark) => daysTouched(mark.hour, timeZone)))].sort();
    for (const day of touched) await recomputeDay(tx, shopId, day, timeZone);
    await tx.$executeRaw`UPDATE "InsightRollupState" SET "refreshedAt" = ${now} WHERE "shopId" = ${shopId}`;
    return touched;
  });
}

export interface RefreshResult {
  /**
   * A whole rebuild is queued or running as a job (a large shop's): the figures may be incomplete until
   * it ends. Nothing else was done; the marks wait for it.
   */
  building: boolean;
  /** Everything was computed again first: no roll-ups yet, or the shop's time zone changed (a small shop). */
  rebuilt: boolean;
  /** The days computed again from stale marks. */
  days: string[];
}

/**
 * Brings the shop's roll-ups up to date: the days its stale marks touch are computed again, in one
 * transaction that also takes the marks. When the roll-ups were made in another time zone or never, a
 * small shop's are rebuilt first; a large shop's rebuild is queued instead, and the refresh answers
 * `building` until that job is done. One indexed query when nothing changed.
 */
export async function refreshInsights(shopId: string, options: RebuildPolicy & { now?: Date } = {}): Promise<RefreshResult> {
  const now = options.now ?? new Date();
  const status = await rollupStatusOf(shopId);
  if (!status) return { building: false, rebuilt: false, days: [] };
  const plan = await planRebuild(shopId, status, options);
  if (plan === "job") return { building: true, rebuilt: false, days: [] };
  if (plan === "inline") await rebuildInsights(shopId, { now });
  else if (!status.stale) return { building: false, rebuilt: false, days: [] };
  // After a rebuild too: marks left while it ran may be of days it had done.
  return { building: false, rebuilt: plan === "inline", days: await refreshMarked(shopId, now) };
}

const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/;
/** Marks deleted by id per statement: within every driver's limit of bound values. */
const MARKS_PER_DELETE = 500;

/** The first and last local days with a payment, dispute or hold; null when the shop has none. */
async function recordedDays(shopId: string, timeZone: string): Promise<{ first: string; last: string } | null> {
  const spans = await rawSql().$queryRaw<Array<{ first: Date | string | null; last: Date | string | null }>>`
    SELECT MIN("createdAt") AS "first", MAX("createdAt") AS "last" FROM "Payment" WHERE "shopId" = ${shopId}
    UNION ALL SELECT MIN("receivedOn"), MAX("receivedOn") FROM "Dispute" WHERE "shopId" = ${shopId}
    UNION ALL SELECT MIN("createdAt"), MAX("createdAt") FROM "Dispute" WHERE "shopId" = ${shopId} AND "receivedOn" IS NULL
    UNION ALL SELECT MIN("decidedAt"), MAX("decidedAt") FROM "Hold" WHERE "shopId" = ${shopId}`;
  const days = spans.flatMap((s) => [s.first, s.last]).flatMap((at) => (at === null ? [] : [localDay(asDate(at), timeZone)]));
  return days.length ? { first: days.reduce((a, b) => (a < b ? a : b)), last: days.reduce((a, b) => (a > b ? a : b)) } : null;
}

export interface RebuildResult {
  days: number;
  rows: number;
}

/**
 * Computes the shop's roll-ups again from its raw rows, a day per transaction (SQLite's writer is
 * never held for a whole rebuild): every day from its first payment, dispute or hold to today, or the
 * days from `from` to `to` (inclusive, "2026-12-06"). A whole rebuild also removes rows of other days
 * (another zone's), records the zone it was made in, and takes the stale marks there were when it
 * started (their changes had committed: it read them); marks made while it ran stay for the next refresh.
 */
export async function rebuildInsights(shopId: string, options: { from?: string; to?: string; now?: Date } = {}): Promise<RebuildResult> {
  for (const day of [options.from, options.to]) if (day !== undefined && !DAY_FORMAT.test(day)) throw new Error(`Not a day (YYYY-MM-DD): ${day}`);
  const now = options.now ?? new Date();
  const shop = await selectOne(rawSql(), "Shop", { id: shopId });
  if (!shop) throw new Error(`No shop ${shopId}`);
  const timeZone = zoneOf(shop.ianaTimezone);
  const whole = options.from === undefined && options.to === undefined;
  // The row the transactions lock; its zone stays the old one (or none) until the whole rebuild is done.
  await rawSql().$executeRaw`INSERT INTO "InsightRollupState" ("shopId", "timeZone") VALUES (${shopId}, ${NOT_BUILT}) ON CONFLICT ("shopId") DO NOTHING`;
  // By id, not time: a mark's transaction may commit after a later-made one.
  const covered = whole ? await rawSql().$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "InsightStaleHour" WHERE "shopId" = ${shopId}` : [];
  const recorded = await recordedDays(shopId, timeZone);
  const today = localDay(now, timeZone);
  const from = options.from ?? recorded?.first;
  const to = options.to ?? (recorded && recorded.last > today ? recorded.last : today);
  const result: RebuildResult = { days: 0, rows: 0 };
  for (let day = from; day !== undefined && day <= to; day = addDays(day, 1)) {
    result.rows += await withRollupsOf(shopId, (tx) => recomputeDay(tx, shopId, day!, timeZone));
    result.days += 1;
    // On SQLite a day's statements run synchronously: the process's other work (requests, timers) gets in between days.
    await nextTurn();
  }
  if (whole) {
    await withRollupsOf(shopId, async (tx) => {
      for (const table of ROLLUP_TABLES) {
        const outside = from === undefined ? Prisma.empty : Prisma.sql` AND ("day" < ${from} OR "day" > ${to})`;
        await tx.$executeRaw`DELETE FROM ${ident(table)} WHERE "shopId" = ${shopId}${outside}`;
      }
      for (let at = 0; at < covered.length; at += MARKS_PER_DELETE) {
        const ids = covered.slice(at, at + MARKS_PER_DELETE).map((mark) => mark.id);
        await tx.$executeRaw`DELETE FROM "InsightStaleHour" WHERE "shopId" = ${shopId} AND "id" IN (${Prisma.join(ids)})`;
      }
      await tx.$executeRaw`UPDATE "InsightRollupState" SET "timeZone" = ${timeZone}, "rebuiltAt" = ${now}, "refreshedAt" = ${now} WHERE "shopId" = ${shopId}`;
    });
  }
  return result;
}

/**
 * The insights_rollup job. Keyed by the minute of the changes: the refresh the page would do. Keyed
 * "rebuild:<zone>:<last rebuild>": the whole rebuild (unless one was made since it was queued), then
 * the marks made meanwhile; the refresh cannot do it, as it waits for this very job.
 */
export const insightsRollupJob: JobHandler = async (job) => {
  if (!isRebuildJob(job.key)) {
    await refreshInsights(job.shopId);
    return;
  }
  const status = await rollupStatusOf(job.shopId);
  if (!status) return;
  if (status.builtIn !== status.timeZone) await rebuildInsights(job.shopId);
  await refreshMarked(job.shopId, new Date());
};
