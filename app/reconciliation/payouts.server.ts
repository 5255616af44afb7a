// Payouts from Checkout.com (docs/decisions/0020-reconciliation.md): each payout's "financial actions by
// payout id" report (GET /reports, then its CSV file) becomes a Payout and its PayoutLines, one line per
// financial action, keyed by the action id, so a re-import changes nothing. Runs daily and when a
// merchant asks; each report is one transaction and moves the resume point, so an import that stops
// (a revoked key, a 429, an outage) goes on from the next report, and the screen says what failed.
import { randomUUID } from "node:crypto";
import type { CheckoutConnection } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { planRefusal, requireFeature } from "../billing/billing.server";
import type { CheckoutClient } from "../checkout/client.server";
import { clientFor, getConnection, processingChannelsOf } from "../checkout/connection.server";
import { CheckoutError, explainCheckoutError } from "../checkout/errors";
import type { ReportDetails } from "../checkout/schemas";
import { db, rawSql } from "../db.server";
import type { Words } from "../i18n/locales";
import { parseCsv } from "../lib/csv";
import { inPreparedTransaction } from "../lib/prepared-sql.server";
import { currencyDigits } from "../lib/money";
import { log } from "../log.server";
import { queueNextDay } from "../queue/daily.server";
import { enqueueJob, JOB_KINDS, JobMustWait, type JobHandler } from "../queue/jobs.server";
import type { Staff } from "../shopify/staff.server";

/** Checkout.com's report type for one payout's financial actions; its tag "payout_id:<id>" names the payout. */
const PAYOUT_REPORT_TYPE = "FinancialActionsByPayoutId";
/** The first import looks this far back; later ones from the last imported report (a day's overlap). */
const FIRST_IMPORT_DAYS = 90;
const OVERLAP_MS = 86_400_000;
const RATE_LIMITED_WAIT_MS = 60_000;
/** Lines written per transaction: each holds SQLite's one write lock, which webhooks wait for meanwhile. */
const LINES_PER_TRANSACTION = 2_000;
/** Ids per `IN` lookup (Prisma on SQLite binds at most 999 values in a statement). */
const LOOKUP_CHUNK = 500;
const CLIENT_OPTIONS = { retry: { retries: 1, baseMs: 500, maxMs: 2_000 }, timeoutMs: 60_000 };

// ---- the report's CSV: one row per breakdown line, columns found by name (unknown ones are ignored) ----

const COLUMNS = {
  actionId: "Action ID",
  actionType: "Action Type",
  paymentId: "Payment ID",
  reference: "Reference",
  channel: "Processing Channel ID",
  entity: "Client Entity ID",
  payoutId: "Payout ID",
  processedOn: "Processed On",
  breakdownType: "Breakdown Type",
  currency: "Holding Currency",
  amount: "Holding Currency Amount",
} as const;
const REQUIRED: ReadonlyArray<keyof typeof COLUMNS> = ["actionId", "actionType", "processedOn", "breakdownType", "currency", "amount"];

/** Amounts as integers of 10^-8 major units: breakdown amounts have up to 8 decimals, and no float may touch them. */
const SCALE = 8;
function units(decimal: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,8}))?$/.exec(decimal.trim());
  if (!match) throw new PayoutFileError(`"${decimal}" is not an amount`);
  const value = BigInt(match[2] + (match[3] ?? "").padEnd(SCALE, "0"));
  return match[1] ? -value : value;
}
/** Units to the currency's minor units, half away from zero. */
function minorOf(value: bigint, currency: string): number {
  const step = 10n ** BigInt(SCALE - currencyDigits(currency));
  const abs = value < 0n ? -value : value;
  const rounded = (abs + step / 2n) / step;
  return Number(value < 0n ? -rounded : rounded);
}

type Part = "gross" | "processingFees" | "schemeFees" | "otherFees";
/** Where a breakdown line goes: the money itself, a scheme's fee, Checkout.com's and the issuer's fees, or anything else (reserves, adjustments). */
function partOf(breakdownType: string): Part {
  if (/^(partial )?(capture|refund)$|^chargeback \(/i.test(breakdownType)) return "gross";
  if (/^scheme /i.test(breakdownType)) return "schemeFees";
  if (/fee$/i.test(breakdownType)) return "processingFees";
  return "otherFees";
}

interface ParsedLine {
  actionId: string;
  actionType: string;
  ckoPaymentId: string | null;
  reference: string | null;
  processingChannelId: string | null;
  processedOn: Date;
  currency: string;
  /** Minor units, signed as Checkout.com signs them (money in positive; fees, refunds, chargebacks negative). */
  parts: Record<Part, number>;
}

class PayoutFileError extends Error {}

function readCsv(csv: string): string[][] {
  try {
    return parseCsv(csv);
  } catch (error) {
    throw new PayoutFileError((error as Error).message);
  }
}

/** The report's rows as one line per financial action, in the file's order. */
function linesOf(csv: string): { lines: ParsedLine[]; entityId: string | null } {
  const [header, ...rows] = readCsv(csv).filter((row) => row.some((cell) => cell !== ""));
  if (!header) return { lines: [], entityId: null };
  const at = Object.fromEntries(Object.entries(COLUMNS).map(([field, name]) => [field, header.indexOf(name)])) as Record<keyof typeof COLUMNS, number>;
  const missing = REQUIRED.filter((field) => at[field] < 0).map((field) => COLUMNS[field]);
  if (missing.length) throw new PayoutFileError(`the report has no ${missing.join(", ")} column`);
  const cell = (row: string[], field: keyof typeof COLUMNS) => (at[field] >= 0 ? (row[at[field]] ?? "").trim() : "");
  const byAction = new Map<string, { line: ParsedLine; sums: Record<Part, bigint> }>();
  let entityId: string | null = null;
  for (const row of rows) {
    const actionId = cell(row, "actionId");
    const currency = cell(row, "currency").toUpperCase();
    if (!actionId || !/^[A-Z]{3}$/.test(currency)) throw new PayoutFileError(`a row has no action id or currency`);
    entityId ??= cell(row, "entity") || null;
    let entry = byAction.get(actionId);
    if (!entry) {
      const processedOn = new Date(cell(row, "processedOn"));
      if (Number.isNaN(processedOn.getTime())) throw new PayoutFileError(`action ${actionId} has no processing date`);
      entry = {
        line: {
          actionId,
          actionType: cell(row, "actionType"),
          ckoPaymentId: cell(row, "paymentId") || null,
          reference: cell(row, "reference") || null,
          processingChannelId: cell(row, "channel") || null,
          processedOn,
          currency,
          parts: { gross: 0, processingFees: 0, schemeFees: 0, otherFees: 0 },
        },
        sums: { gross: 0n, processingFees: 0n, schemeFees: 0n, otherFees: 0n },
      };
      byAction.set(actionId, entry);
    } else if (entry.line.currency !== currency) throw new PayoutFileError(`action ${actionId} is in two currencies`);
    entry.sums[partOf(cell(row, "breakdownType"))] += units(cell(row, "amount"));
  }
  // Rounded once per action and part, so a payout's totals are the sums of what its lines show.
  const lines = [...byAction.values()].map(({ line, sums }) => {
    for (const part of Object.keys(sums) as Part[]) line.parts[part] = minorOf(sums[part], line.currency);
    return line;
  });
  return { lines, entityId };
}

// ---- importing one payout ----

const payoutIdOf = (report: ReportDetails) =>
  report.tags
    .find((tag) => tag.startsWith("payout_id:"))
    ?.slice("payout_id:".length)
    .trim() || null;

/** The payout's date: in the report file's name (financial-actions_<entity>_<YYYYMMDD>_<payout>_1.csv), else the report's day. */
function payoutDateOf(report: ReportDetails, filename: string | undefined): Date {
  const day = /_(\d{4})(\d{2})(\d{2})_[^_]+_\d+\.csv$/i.exec(filename ?? "");
  return day ? new Date(`${day[1]}-${day[2]}-${day[3]}T00:00:00.000Z`) : new Date(report.created_on);
}

const kindOf = (actionType: string) => (/refund/i.test(actionType) ? "refund" : /chargeback/i.test(actionType) ? "chargeback" : "other");

/**
 * The payout, then its lines a chunk per transaction (a payout of 50,000 lines must not hold SQLite's
 * write lock for long), then `importedAt`, which shows it. A run that stopped half way goes on: the
 * payout row is found, lines already written are skipped by their action id. A line belongs to another
 * shop when its processing channel is not one of this connection's, or when this shop has never taken
 * a payment in the payout's currency; those lines are counted apart and never matched to an order.
 */
async function storePayout(
  shopId: string,
  connection: CheckoutConnection,
  report: ReportDetails,
  file: { payoutId: string; filename?: string; csv: string },
  /** The payout's row left by a run that stopped half way. */
  existing: { id: string } | null,
): Promise<void> {
  const { payoutId } = file;
  const { lines, entityId } = linesOf(file.csv);
  const currency = lines[0]?.currency ?? "";
  if (lines.some((line) => line.currency !== currency)) throw new PayoutFileError("the payout's lines are in more than one currency");
  const channels = processingChannelsOf(connection);
  const payments = await paymentsOf(shopId, [...new Set(lines.map((l) => l.ckoPaymentId).filter((id): id is string => Boolean(id)))]);
  const shopUsesCurrency = lines.length === 0 || (await db().payment.findFirst({ where: { shopId, currency }, select: { id: true } })) !== null;
  const totals = { gross: 0, refunds: 0, chargebacks: 0, processingFees: 0, schemeFees: 0, otherFees: 0, net: 0, linesTied: 0, linesOtherShop: 0 };
  const rows = lines.map((line) => {
    const payment = line.ckoPaymentId ? payments.get(line.ckoPaymentId) : undefined;
    const otherChannel = channels.length > 0 && line.processingChannelId !== null && !channels.includes(line.processingChannelId);
    const belongs = !shopUsesCurrency || otherChannel ? "other" : "shop";
    const { gross, processingFees, schemeFees, otherFees } = line.parts;
    const net = gross + processingFees + schemeFees + otherFees;
    const kind = kindOf(line.actionType);
    if (kind === "refund") totals.refunds -= gross;
    else if (kind === "chargeback") totals.chargebacks -= gross;
    else totals.gross += gross;
    totals.processingFees -= processingFees;
    totals.schemeFees -= schemeFees;
    totals.otherFees -= otherFees;
    totals.net += net;
    if (belongs === "other") totals.linesOtherShop += 1;
    else if (payment?.linked) totals.linesTied += 1;
    return { line, paymentId: belongs === "shop" ? (payment?.id ?? null) : null, belongs, net, fees: { processingFees, schemeFees, otherFees } };
  });
  const payoutRowId =
    existing?.id ??
    (
      await db().payout.create({
        data: {
          shopId,
          payoutId,
          reportId: report.id,
          entityId: entityId ?? report.account?.entity_id ?? null,
          currency,
          payoutDate: payoutDateOf(report, file.filename),
          lineCount: rows.length,
          ...totals,
        },
        select: { id: true },
      })
    ).id;
  for (let i = 0; i < rows.length; i += LINES_PER_TRANSACTION) {
    await inPreparedTransaction(db(), async (tx) => {
      for (const { line, paymentId, belongs, net, fees } of rows.slice(i, i + LINES_PER_TRANSACTION)) {
        // An action imported before (in an earlier payout, or by the run that stopped) keeps its line.
        await tx.$executeRaw`
          INSERT INTO "PayoutLine" ("id", "shopId", "payoutRowId", "actionId", "actionType", "ckoPaymentId", "paymentId", "belongs", "reference",
            "processingChannelId", "processedOn", "currency", "amount", "processingFees", "schemeFees", "otherFees", "net")
          VALUES (${randomUUID()}, ${shopId}, ${payoutRowId}, ${line.actionId}, ${line.actionType}, ${line.ckoPaymentId}, ${paymentId}, ${belongs},
            ${line.reference}, ${line.processingChannelId}, ${line.processedOn}, ${line.currency}, ${line.parts.gross}, ${-fees.processingFees},
            ${-fees.schemeFees}, ${-fees.otherFees}, ${net})
          ON CONFLICT ("shopId", "actionId") DO NOTHING`;
      }
    });
  }
  await db().payout.update({ where: { id: payoutRowId }, data: { importedAt: new Date() } });
}

/** This shop's payments by Checkout.com id, and whether each has its order. */
async function paymentsOf(shopId: string, ckoPaymentIds: string[]) {
  const found = new Map<string, { id: string; linked: boolean }>();
  for (let i = 0; i < ckoPaymentIds.length; i += LOOKUP_CHUNK) {
    const rows = await db().payment.findMany({
      where: { shopId, ckoPaymentId: { in: ckoPaymentIds.slice(i, i + LOOKUP_CHUNK) } },
      select: { id: true, ckoPaymentId: true, orderLink: { select: { id: true } } },
    });
    for (const row of rows) found.set(row.ckoPaymentId, { id: row.id, linked: row.orderLink !== null });
  }
  return found;
}

// ---- the import run ----

export interface ImportOptions {
  client?: CheckoutClient;
  now?: Date;
}

/**
 * Imports the payouts of every report created since the last import, oldest first, and returns how many
 * were new. Throws JobMustWait on a rate limit and CheckoutError on an outage (the queue retries it); a
 * refusal (a revoked key) or a file the app cannot read is recorded for the screen and ends the run.
 */
export async function importPayouts(shopId: string, options: ImportOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  const connection = await getConnection(shopId);
  if (!connection) return 0;
  const client = options.client ?? clientFor(connection, CLIENT_OPTIONS);
  const state = await db().payoutImport.upsert({ where: { shopId }, create: { shopId }, update: {} });
  const since = state.importedUpTo ? new Date(state.importedUpTo.getTime() - OVERLAP_MS) : new Date(now.getTime() - FIRST_IMPORT_DAYS * OVERLAP_MS);
  let imported = 0;
  try {
    const reports: ReportDetails[] = [];
    let paginationToken: string | undefined;
    do {
      const page = await client.listReports({ createdAfter: since.toISOString(), limit: 100, paginationToken });
      reports.push(...page.data.filter((report) => report.type === PAYOUT_REPORT_TYPE));
      paginationToken = page.nextPaginationToken ?? undefined;
    } while (paginationToken);
    reports.sort((a, b) => a.created_on.localeCompare(b.created_on));
    for (const report of reports) {
      const payoutId = payoutIdOf(report);
      const file = report.files.find((f) => (f.format ?? "CSV").toUpperCase() === "CSV");
      if (payoutId && file) {
        const existing = await db().payout.findUnique({ where: { shopId_payoutId: { shopId, payoutId } }, select: { id: true, importedAt: true } });
        if (!existing?.importedAt) {
          const csv = await client.getReportFile(report.id, file.id);
          await storePayout(shopId, connection, report, { payoutId, filename: file.filename, csv }, existing);
          imported += 1;
        }
      }
      await advance(shopId, new Date(report.created_on));
    }
    await refreshTies(shopId, now);
    await db().payoutImport.update({ where: { shopId }, data: { lastRunAt: now, lastError: null, lastErrorAt: null, retryAt: null } });
    return imported;
  } catch (error) {
    if (!(error instanceof CheckoutError) && !(error instanceof PayoutFileError)) throw error;
    const retryable = error instanceof CheckoutError && error.retryable;
    const message = error instanceof CheckoutError ? explainCheckoutError(error) : `A payout report could not be read: ${error.message}.`;
    const retryAt = retryable ? new Date(now.getTime() + RATE_LIMITED_WAIT_MS) : null;
    await db().payoutImport.update({ where: { shopId }, data: { lastRunAt: now, lastError: message, lastErrorAt: now, retryAt } });
    log.warn("payouts.import_failed", { shopId, kind: error instanceof CheckoutError ? error.kind : "file", imported });
    if (retryable) throw new JobMustWait(message, RATE_LIMITED_WAIT_MS);
    return imported;
  }
}

/**
 * Counts again, for the shop's payouts of the last FIRST_IMPORT_DAYS, the lines that tie to an order:
 * payments are matched to their orders after their payout is imported too, and the payouts list shows
 * the stored count (a payout's page counts live). One statement.
 */
async function refreshTies(shopId: string, now: Date) {
  const since = new Date(now.getTime() - FIRST_IMPORT_DAYS * OVERLAP_MS);
  await rawSql().$executeRaw`
    UPDATE "Payout" SET "linesTied" = (
      SELECT COUNT(*) FROM "PayoutLine" l JOIN "OrderLink" o ON o."paymentId" = l."paymentId" AND o."shopId" = l."shopId"
      WHERE l."payoutRowId" = "Payout"."id" AND l."shopId" = ${shopId} AND l."belongs" = 'shop')
    WHERE "shopId" = ${shopId} AND "payoutDate" >= ${since} AND "importedAt" IS NOT NULL`;
}

/** Moves the resume point forward, never back (reports are taken oldest first). */
async function advance(shopId: string, createdOn: Date) {
  await db().payoutImport.updateMany({
    where: { shopId, OR: [{ importedUpTo: null }, { importedUpTo: { lt: createdOn } }] },
    data: { importedUpTo: createdOn },
  });
}

/**
 * `payout_import`: key the UTC day (which queues the next day's first) or "now:<when>" (a merchant's
 * "Import now"). A shop whose plan lacks reconciliation imports nothing; the daily chain goes on, so a
 * plan that gains it imports from the next day.
 */
export const payoutImportJob: JobHandler = async (job) => {
  if (!job.key.startsWith("now:")) await queueNextDay(job.shopId, JOB_KINDS.payoutImport);
  if (await planRefusal(job.shopId, "reconciliation")) return;
  await importPayouts(job.shopId);
};

type ImportRequestResult = { ok: true; message: string; words: Words } | { ok: false; status: number; message: string; words: Words };

/** "Import now": queues an import at once (one per minute however often it is clicked), audited; PlanRequiredError on a plan without reconciliation. */
export async function requestPayoutImport(staff: Pick<Staff, "shopId" | "actor">, now = new Date()): Promise<ImportRequestResult> {
  await requireFeature(staff.shopId, "reconciliation");
  if (!(await getConnection(staff.shopId)))
    return { ok: false, status: 409, message: "Connect Checkout.com first.", words: { key: "payouts.import.noConnection" } };
  const minute = now.toISOString().slice(0, 16);
  const queued = await enqueueJob(staff.shopId, JOB_KINDS.payoutImport, `now:${minute}`, {});
  if (queued) await audit({ shopId: staff.shopId, actor: staff.actor, source: "admin", action: "payouts.import", details: {}, result: "ok" });
  return { ok: true, message: "Payouts are being imported from Checkout.com.", words: { key: "payouts.import.queued" } };
}
