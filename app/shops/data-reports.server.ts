// Customer data reports (customers/data_request): everything the app holds about one customer, as
// JSON, kept for the merchant to download from the Privacy page for 30 days. A report is personal
// data, so it is sealed like a secret (app/crypto.server.ts, bound to its row: `data-report:<id>`),
// belongs to one shop, and is deleted when it expires (whenever reports are listed or made) or when
// the customer is redacted.
import { randomUUID } from "node:crypto";
import type { CustomerDataReport, PrismaClient } from "@prisma/client";
import { decryptSecret, DecryptionError, encryptSecret, resealed } from "../crypto.server";
import { db, type Tx } from "../db.server";
import { log } from "../log.server";
import type { CustomerData } from "./customer-data.server";
import { mentionsCustomer, type CustomerIdentifiers } from "./redaction";

export const REPORT_DAYS = 30;
const DAY_MS = 86_400_000;
const REPORT_FORMAT = "checkout-com-companion/customer-data-report/v1";

const reportContext = (id: string) => `data-report:${id}`;

export interface ReportRequest {
  shopDomain: string;
  /** Shopify's data_request id. */
  requestId: string | null;
  /** Shopify's customer id. */
  customerId: string | null;
  email: string | null;
  phone: string | null;
  ordersRequested: Array<number | string>;
}

const json = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** A row without the columns that say nothing about the customer (tenancy, leases). */
function row<T extends object>(r: T, parse: Array<keyof T> = []): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) {
    if (k === "shopId" || k === "leaseOwner" || k === "leaseExpiresAt" || k === "sendingUntil") continue;
    out[k] = parse.includes(k as keyof T) && (typeof v === "string" || v === null) ? json(v as string | null) : v;
  }
  return out;
}

type Row = Record<string, unknown>;

export interface DataReport {
  format: string;
  generatedAt: string;
  shop: string;
  request: { dataRequestId: string | null; customer: { id: string | null; email: string | null; phone: string | null }; ordersRequested: string[] };
  about: string;
  payments: Row[];
  timeline: Row[];
  webhookEvents: Row[];
  holds: Row[];
  disputes: Row[];
  moneyActions: Row[];
  listEntries: Row[];
  auditEntries: Row[];
  queuedWork: Row[];
  indexedOrders: Row[];
}

/** The report's content: every row found, with JSON columns as JSON, evidence files listed (not their bytes). */
export function buildReport(request: ReportRequest, data: CustomerData, now = new Date()): DataReport {
  return {
    format: REPORT_FORMAT,
    generatedAt: now.toISOString(),
    shop: request.shopDomain,
    request: {
      dataRequestId: request.requestId,
      customer: { id: request.customerId, email: request.email, phone: request.phone },
      ordersRequested: request.ordersRequested.map(String),
    },
    about:
      "Everything this app (Checkout.com companion) stores about the customer: Checkout.com payments and their timeline, " +
      "the raw Checkout.com webhooks about them, risk holds, disputes with their evidence texts and files, refunds, voids and captures, " +
      "allow and deny list entries, audit entries and queued work that name the customer, and the customer's orders as kept in the app's order index " +
      "(name, email, total and the payment ids on their transactions, used to match payments to orders).",
    payments: data.payments.map(({ orderLink, ...p }) => ({
      ...row(p, ["threeDs"]),
      order: orderLink
        ? { orderGid: orderLink.orderGid, orderName: orderLink.orderName, matchedBy: orderLink.matchedBy, confidence: orderLink.confidence }
        : null,
    })),
    timeline: data.activities.map((a) => row(a, ["details"])),
    webhookEvents: data.events.map((e) => row(e, ["payload"])),
    holds: data.holds.map((h) => row(h, ["ruleHits", "shopifyHoldIds"])),
    disputes: data.disputes.map((d) => ({
      ...row(d, ["evidenceDraft", "relevantEvidence"]),
      files: data.files
        .filter((f) => f.disputeId === d.id)
        .map((f) => ({
          id: f.id,
          field: f.field,
          name: f.filename,
          contentType: f.contentType,
          size: f.size,
          sha256: f.sha256,
          generated: f.generated,
          ckoFileId: f.ckoFileId,
          createdAt: f.createdAt,
        })),
    })),
    moneyActions: data.moneyActions.map((m) => row(m, ["lineItems", "shopifyInput"])),
    // Another entry whose note names the customer: the note, not the entry's value (someone else's).
    listEntries: [
      ...data.listEntries.map((e) => row(e)),
      ...data.listNotes.map((e) => ({ id: e.id, list: e.list, kind: e.kind, note: e.note, createdBy: e.createdBy, createdAt: e.createdAt })),
    ],
    auditEntries: data.auditLogs.map((a) => row(a, ["details"])),
    queuedWork: data.jobs.map((j) => row(j, ["payload"])),
    indexedOrders: data.indexedOrders.map((o) => row(o)),
  };
}

/** Deletes every expired report (any shop: they are no longer anyone's to download). */
async function purgeExpiredReports(now = new Date(), client: PrismaClient | Tx = db()) {
  const { count } = await client.customerDataReport.deleteMany({ where: { expiresAt: { lte: now } } });
  if (count) log.info("privacy.reports_expired", { deleted: count });
  return count;
}

/** Stores a report for 30 days, replacing an earlier one for the same data request (Shopify retries). */
export async function saveDataReport(shopId: string, request: ReportRequest, report: DataReport, now = new Date()): Promise<CustomerDataReport> {
  await purgeExpiredReports(now);
  const id = randomUUID();
  const reportEnc = encryptSecret(JSON.stringify(report, null, 2), reportContext(id));
  return db().$transaction(async (tx) => {
    if (request.requestId) await tx.customerDataReport.deleteMany({ where: { shopId, requestId: request.requestId } });
    return tx.customerDataReport.create({
      data: {
        id,
        shopId,
        requestId: request.requestId,
        customerId: request.customerId,
        reportEnc,
        createdAt: now,
        expiresAt: new Date(now.getTime() + REPORT_DAYS * DAY_MS),
      },
    });
  });
}

/** A report's JSON text, decrypted. */
export function reportText(report: Pick<CustomerDataReport, "id" | "reportEnc">): string {
  return decryptSecret(report.reportEnc, reportContext(report.id));
}

export interface ReportListItem {
  id: string;
  requestId: string | null;
  customerId: string | null;
  email: string | null;
  payments: number | null;
  createdAt: string;
  expiresAt: string;
  /** False when the report cannot be decrypted (ENCRYPTION_KEY changed without the previous key). */
  readable: boolean;
}

/** The shop's reports that have not expired, newest first (expired ones are deleted first). */
export async function listDataReports(shopId: string, now = new Date()): Promise<ReportListItem[]> {
  await purgeExpiredReports(now);
  const reports = await db().customerDataReport.findMany({ where: { shopId, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" }, take: 200 });
  return reports.map((r) => {
    let summary: { email: string | null; payments: number | null; readable: boolean } = { email: null, payments: null, readable: false };
    try {
      const content = JSON.parse(reportText(r)) as Partial<DataReport>;
      summary = { email: content.request?.customer.email ?? null, payments: content.payments?.length ?? null, readable: true };
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
    }
    return {
      id: r.id,
      requestId: r.requestId,
      customerId: r.customerId,
      ...summary,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
    };
  });
}

/** One report of this shop that has not expired, or null (another shop's, expired, unknown). */
export async function findDataReport(shopId: string, id: string, now = new Date()): Promise<CustomerDataReport | null> {
  return db().customerDataReport.findFirst({ where: { id, shopId, expiresAt: { gt: now } } });
}

/**
 * customers/redact: the reports about this customer go (they are the customer's data): those for
 * the same Shopify customer id, and any whose content names one of the customer's strong identifiers.
 */
export async function deleteReportsAbout(tx: Tx, shopId: string, customerId: string | null, ids: CustomerIdentifiers): Promise<number> {
  const reports = await tx.customerDataReport.findMany({ where: { shopId } });
  const doomed = reports.filter((r) => {
    if (customerId && r.customerId === customerId) return true;
    try {
      return mentionsCustomer(reportText(r), ids);
    } catch {
      // Unreadable (key lost): nothing in it can be shown to anyone; it expires with the others.
      return false;
    }
  });
  if (!doomed.length) return 0;
  const { count } = await tx.customerDataReport.deleteMany({ where: { shopId, id: { in: doomed.map((r) => r.id) } } });
  return count;
}

/** Seals every report again with the current ENCRYPTION_KEY (key rotation, like resealCheckoutSecrets). */
export async function resealDataReports(): Promise<number> {
  let changed = 0;
  for (const r of await db().customerDataReport.findMany({ select: { id: true, reportEnc: true } })) {
    const again = resealed(r.reportEnc, reportContext(r.id));
    if (!again) continue;
    const { count } = await db().customerDataReport.updateMany({ where: { id: r.id, reportEnc: r.reportEnc }, data: { reportEnc: again } });
    changed += count;
  }
  return changed;
}
