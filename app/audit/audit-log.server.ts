// The shop-wide audit log: every entry of one shop, filtered by who, what, when, outcome and order,
// newest first, a page at a time or all of them as CSV. Dates are whole days in UTC.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";
import { csvTable } from "../lib/csv";
import { pageParam, searchParam } from "../lib/list-params";
import { orderNameKey } from "../holds/matching";

export const AUDIT_PAGE_SIZE = 50;
/** More than anyone reads in a spreadsheet; a larger export is narrowed by the date filters. */
export const AUDIT_CSV_LIMIT = 50_000;

const day = z
  .string()
  .optional()
  .transform((v) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : undefined));

export const auditFiltersSchema = z.object({
  who: searchParam,
  what: searchParam,
  result: z
    .string()
    .optional()
    .transform((v) => (v === "ok" || v === "error" ? v : undefined)),
  from: day,
  to: day,
  order: searchParam,
  page: pageParam,
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

/** The order ids a filter names: a Shopify id (numeric or GID), or an order name ("#1001", "1001"). */
async function orderGidsFor(shopId: string, order: string): Promise<string[]> {
  if (order.startsWith("gid://shopify/Order/")) return [order];
  const gids = new Set<string>();
  // Long numbers are ids; short ones (and anything else) names. Both are tried for the ambiguous middle.
  if (/^\d{6,}$/.test(order)) gids.add(`gid://shopify/Order/${order}`);
  const key = orderNameKey(order);
  const [indexed, linked] = await Promise.all([
    db().indexedOrder.findMany({ where: { shopId, nameKey: key }, select: { orderGid: true } }),
    db().orderLink.findMany({ where: { shopId, orderName: { in: [`#${key}`, key, order.trim()] } }, select: { orderGid: true } }),
  ]);
  for (const row of [...indexed, ...linked]) gids.add(row.orderGid);
  return [...gids];
}

async function whereOf(shopId: string, filters: AuditFilters): Promise<Prisma.AuditLogWhereInput> {
  const createdAt = {
    ...(filters.from ? { gte: new Date(`${filters.from}T00:00:00Z`) } : {}),
    ...(filters.to ? { lt: new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
  };
  return {
    shopId,
    ...(filters.who ? { actor: { contains: filters.who } } : {}),
    ...(filters.what ? { action: filters.what } : {}),
    ...(filters.result ? { result: filters.result } : {}),
    ...(filters.from || filters.to ? { createdAt } : {}),
    ...(filters.order ? { orderGid: { in: await orderGidsFor(shopId, filters.order) } } : {}),
  };
}

export async function listAuditEntries(shopId: string, filters: AuditFilters) {
  const where = await whereOf(shopId, filters);
  const [rows, actions] = await Promise.all([
    db().auditLog.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (filters.page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE + 1,
    }),
    // What the "what" filter offers: the actions this shop's log holds.
    db().auditLog.groupBy({ by: ["action"], where: { shopId }, orderBy: { action: "asc" } }),
  ]);
  return {
    entries: rows.slice(0, AUDIT_PAGE_SIZE).map(viewOf),
    hasNext: rows.length > AUDIT_PAGE_SIZE,
    actions: actions.map((a) => a.action),
  };
}

function viewOf(row: Prisma.AuditLogGetPayload<object>) {
  return {
    id: row.id,
    at: row.createdAt.toISOString(),
    actor: row.actor,
    source: row.source,
    action: row.action,
    result: row.result,
    error: row.error,
    orderGid: row.orderGid,
    paymentId: row.paymentId,
    disputeId: row.disputeId,
    details: row.details,
  };
}

const CSV_COLUMNS = ["time_utc", "actor", "source", "action", "result", "error", "order_id", "payment_id", "dispute_id", "details"] as const;

/** The filtered log as CSV (every page, newest first, up to AUDIT_CSV_LIMIT rows). */
export async function auditCsv(shopId: string, filters: AuditFilters): Promise<{ csv: string; truncated: boolean }> {
  const rows = await db().auditLog.findMany({
    where: await whereOf(shopId, filters),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: AUDIT_CSV_LIMIT + 1,
  });
  const lines = rows
    .slice(0, AUDIT_CSV_LIMIT)
    .map((r) => [r.createdAt.toISOString(), r.actor, r.source, r.action, r.result, r.error, r.orderGid, r.paymentId, r.disputeId, r.details]);
  return { csv: csvTable(CSV_COLUMNS, lines), truncated: rows.length > AUDIT_CSV_LIMIT };
}
