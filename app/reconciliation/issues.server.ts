// The merchant's side of reconciliation: the differences between Checkout.com and the Shopify orders
// that the checks found (check.server.ts, sweep.server.ts, and orders-without-payment.server.ts, whose
// issues are about an order alone and have no payment), listed and summed per kind and currency,
// exported as CSV, and dismissed (with a reason) or reopened by a person. Every query is the shop's.
import type { Prisma, ReconciliationIssue } from "@prisma/client";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import { messageWords, type FieldWords } from "../i18n/domain-words";
import { csvTable } from "../lib/csv";
import { ConflictError, NotFoundError } from "../lib/errors";
import { fieldErrorsOf } from "../lib/form";
import { cursorDirection, cursorPage, cursorParam, cursorText, type Cursor } from "../lib/list-params";
import { minorToDecimal } from "../lib/money";
import type { StaffRole } from "../shopify/roles";
import type { Staff } from "../shopify/staff.server";
import { MISMATCH_KINDS } from "./compare";

// Dismissing says a money difference needs no correction, a call on the books: Finance (and admins).
export const RECONCILIATION_DECIDER: StaffRole = "finance";

export const ISSUE_STATUSES = ["open", "dismissed", "resolved"] as const;
export const ISSUES_PAGE_SIZE = 50;
/** More open differences than anyone works through; the newest are exported. */
export const ISSUES_CSV_LIMIT = 50_000;

/** The list's filters, read leniently from the URL: a value it does not know means "not given". */
const issueFiltersSchema = z.object({
  status: z.enum(ISSUE_STATUSES).catch("open").default("open"),
  kind: z.enum(MISMATCH_KINDS).optional().catch(undefined),
  /** The page after (older than) this issue, or before (newer than) it. */
  after: cursorParam,
  before: cursorParam,
});
export type IssueFilters = z.input<typeof issueFiltersSchema>;

function issueView(issue: ReconciliationIssue & { payment: { ckoPaymentId: string } | null }) {
  return {
    id: issue.id,
    orderGid: issue.orderGid,
    orderName: issue.orderName,
    paymentId: issue.paymentId,
    ckoPaymentId: issue.payment?.ckoPaymentId ?? null,
    kind: issue.kind,
    currency: issue.currency,
    checkoutAmount: issue.checkoutAmount,
    shopifyAmount: issue.shopifyAmount,
    amount: issue.amount,
    status: issue.status,
    dismissReason: issue.dismissReason,
    dismissedBy: issue.dismissedBy,
    dismissedAt: issue.dismissedAt?.toISOString() ?? null,
    firstSeenAt: issue.firstSeenAt.toISOString(),
    lastCheckedAt: issue.lastCheckedAt.toISOString(),
    resolvedAt: issue.resolvedAt?.toISOString() ?? null,
  };
}
export type IssueView = ReturnType<typeof issueView>;

/** Issues strictly older (`lt`) or newer (`gt`) than the cursor, in the list's order. */
const beyond = (cursor: Cursor, side: "lt" | "gt"): Prisma.ReconciliationIssueWhereInput => ({
  OR: [{ firstSeenAt: { [side]: cursor.at } }, { firstSeenAt: cursor.at, id: { [side]: cursor.id } }],
});

/**
 * A page of the shop's issues, newest first sighting first, 50 at a time. `next` and `previous` are
 * the cursors of the pages around it (null at either end).
 */
export async function listReconciliationIssues(shopId: string, input: IssueFilters = {}) {
  const filters = issueFiltersSchema.parse(input);
  const where: Prisma.ReconciliationIssueWhereInput = { shopId, status: filters.status, ...(filters.kind ? { kind: filters.kind } : {}) };
  const { backwards, cursor } = cursorDirection(filters);
  const rows = await db().reconciliationIssue.findMany({
    where: cursor ? { AND: [where, beyond(cursor, backwards ? "gt" : "lt")] } : where,
    orderBy: backwards ? [{ firstSeenAt: "asc" }, { id: "asc" }] : [{ firstSeenAt: "desc" }, { id: "desc" }],
    take: ISSUES_PAGE_SIZE + 1,
    include: { payment: { select: { ckoPaymentId: true } } },
  });
  const { page, previous, next } = cursorPage(rows, ISSUES_PAGE_SIZE, { backwards, cursor }, (issue) => cursorText(issue.firstSeenAt, issue.id));
  return { issues: page.map(issueView), filters: { status: filters.status, kind: filters.kind ?? null }, previous, next };
}

/** An amount in one currency, and how many issues it is the sum of. */
export interface CurrencyValue {
  currency: string;
  minor: number;
  count: number;
}

/**
 * The shop's open issues: how many, their value per currency, the same per kind, and the last daily
 * sweep. Values are summed within a currency only.
 */
export async function reconciliationSummary(shopId: string) {
  const [groups, sweep] = await Promise.all([
    db().reconciliationIssue.groupBy({
      by: ["kind", "currency"],
      where: { shopId, status: "open" },
      _count: { _all: true },
      _sum: { amount: true },
      orderBy: [{ kind: "asc" }, { currency: "asc" }],
    }),
    db().reconciliationSweep.findFirst({ where: { shopId }, orderBy: { day: "desc" } }),
  ]);
  const byKind = new Map<string, CurrencyValue[]>();
  const byCurrency = new Map<string, CurrencyValue>();
  for (const g of groups) {
    const value = { currency: g.currency, minor: g._sum.amount ?? 0, count: g._count._all };
    byKind.set(g.kind, [...(byKind.get(g.kind) ?? []), value]);
    const total = byCurrency.get(g.currency) ?? { currency: g.currency, minor: 0, count: 0 };
    byCurrency.set(g.currency, { currency: g.currency, minor: total.minor + value.minor, count: total.count + value.count });
  }
  return {
    open: groups.reduce((count, g) => count + g._count._all, 0),
    values: [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    // The kinds in the order compare.ts lists them; one it no longer makes, after them.
    byKind: [...byKind]
      .map(([kind, values]) => ({ kind, count: values.reduce((n, v) => n + v.count, 0), values }))
      .sort((a, b) => kindRank(a.kind) - kindRank(b.kind)),
    lastSweep: sweep && {
      day: sweep.day,
      checked: sweep.checked,
      startedAt: sweep.startedAt.toISOString(),
      finishedAt: sweep.finishedAt?.toISOString() ?? null,
    },
  };
}
export type ReconciliationSummary = Awaited<ReturnType<typeof reconciliationSummary>>;

const kindRank = (kind: string) => {
  const rank = (MISMATCH_KINDS as readonly string[]).indexOf(kind);
  return rank < 0 ? MISMATCH_KINDS.length : rank;
};

const CSV_COLUMNS = ["first_seen", "order", "payment_id", "kind", "currency", "checkout_amount", "shopify_amount", "amount_at_stake", "status"] as const;

/**
 * The shop's open issues as CSV, newest first: amounts in major units beside their currency (empty where
 * a side has no figure), dates in UTC, and no payment id for an issue about an order alone.
 */
export async function openIssuesCsv(shopId: string): Promise<{ csv: string; count: number; truncated: boolean }> {
  const rows = await db().reconciliationIssue.findMany({
    where: { shopId, status: "open" },
    orderBy: [{ firstSeenAt: "desc" }, { id: "desc" }],
    take: ISSUES_CSV_LIMIT + 1,
    include: { payment: { select: { ckoPaymentId: true } } },
  });
  const shown = rows.slice(0, ISSUES_CSV_LIMIT);
  const decimal = (minor: number | null, currency: string) => (minor === null ? null : minorToDecimal(minor, currency));
  const lines = shown.map((r) => [
    r.firstSeenAt.toISOString(),
    r.orderName ?? r.orderGid,
    r.payment?.ckoPaymentId ?? null,
    r.kind,
    r.currency,
    decimal(r.checkoutAmount, r.currency),
    decimal(r.shopifyAmount, r.currency),
    decimal(r.amount, r.currency),
    r.status,
  ]);
  return { csv: csvTable(CSV_COLUMNS, lines), count: shown.length, truncated: rows.length > ISSUES_CSV_LIMIT };
}

/** The messages of a refused dismissal: English (the audit log's), with words for the screen (`errors.reconciliation.*`). */
const messages = messageWords("reconciliation");

const REASON_MIN = 3;
const REASON_MAX = 500;
const tooShort = messages.said("reason.tooShort", `Say why in at least ${REASON_MIN} characters.`, { min: REASON_MIN });
const dismissSchema = z.object({
  reason: z
    .string({ required_error: tooShort, invalid_type_error: tooShort })
    .trim()
    .min(REASON_MIN, tooShort)
    .max(REASON_MAX, messages.said("reason.tooLong", `Keep the reason to ${REASON_MAX} characters.`, { max: REASON_MAX })),
});

type Decider = Pick<Staff, "shopId" | "actor">;
export type DismissResult = { ok: true } | { ok: false; fieldErrors: Record<string, string>; fieldWords: FieldWords };

/** The shop's issue, or not found: another shop's id reads as no issue at all. */
export async function issueOf(staff: Decider, issueId: string) {
  const issue = await db().reconciliationIssue.findFirst({ where: { id: issueId, shopId: staff.shopId } });
  if (!issue) throw new NotFoundError("This difference does not exist in this shop.", { key: "reconciliation.notFound" });
  return issue;
}

/** Why an issue in this status cannot be changed as asked (it was dismissed, resolved or reopened meanwhile). */
function conflictOf(issue: ReconciliationIssue): ConflictError {
  if (issue.status === "open") return new ConflictError("This difference is open already.", { key: "reconciliation.alreadyOpen" });
  if (issue.status === "dismissed")
    return issue.dismissedBy
      ? new ConflictError(`This difference was already dismissed by ${issue.dismissedBy}.`, {
          key: "reconciliation.alreadyDismissedBy",
          values: { by: issue.dismissedBy },
        })
      : new ConflictError("This difference was already dismissed.", { key: "reconciliation.alreadyDismissed" });
  return new ConflictError("This difference is resolved: Checkout.com and the order agree now.", { key: "reconciliation.alreadyResolved" });
}

/**
 * Moves one issue of the staff member's shop from `from` to another status, audited either way. Only
 * while it is still `from`: a sweep resolving it or a colleague's change meanwhile wins (a conflict).
 */
async function decide(
  staff: Decider,
  issueId: string,
  change: {
    action: string;
    from: "open" | "dismissed";
    data: Prisma.ReconciliationIssueUpdateManyMutationInput;
    details: (issue: ReconciliationIssue) => Record<string, unknown>;
  },
): Promise<void> {
  const issue = await issueOf(staff, issueId);
  const entry = {
    shopId: staff.shopId,
    actor: staff.actor,
    source: "admin" as const,
    action: change.action,
    paymentId: issue.paymentId,
    orderGid: issue.orderGid,
  };
  const details = { issueId: issue.id, kind: issue.kind, currency: issue.currency, amount: issue.amount, ...change.details(issue) };
  const changed = await db().$transaction(async (tx) => {
    const { count } = await tx.reconciliationIssue.updateMany({ where: { id: issue.id, shopId: staff.shopId, status: change.from }, data: change.data });
    if (count) await audit({ ...entry, details, result: "ok" }, tx);
    return count > 0;
  });
  if (changed) return;
  const refusal = conflictOf(await issueOf(staff, issueId));
  await audit({ ...entry, details, result: "error", error: refusal.message });
  throw refusal;
}

/**
 * Marks an open issue as needing no correction, with the staff member's reason (3 to 500 characters).
 * A bad reason writes nothing and answers the field's error; another shop's issue is not found; one
 * dismissed or resolved meanwhile is a conflict.
 */
export async function dismissReconciliationIssue(staff: Decider, issueId: string, reason: unknown): Promise<DismissResult> {
  const parsed = dismissSchema.safeParse({ reason });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), fieldWords: messages.fieldWords(parsed.error) };
  await decide(staff, issueId, {
    action: "reconciliation.dismiss",
    from: "open",
    data: { status: "dismissed", dismissReason: parsed.data.reason, dismissedBy: staff.actor, dismissedAt: new Date() },
    details: () => ({ reason: parsed.data.reason }),
  });
  return { ok: true };
}

/** Opens a dismissed issue again; who dismissed it and why stay in the audit log. */
export async function reopenReconciliationIssue(staff: Decider, issueId: string): Promise<void> {
  await decide(staff, issueId, {
    action: "reconciliation.reopen",
    from: "dismissed",
    data: { status: "open", dismissReason: null, dismissedBy: null, dismissedAt: null },
    details: (issue) => ({ dismissedBy: issue.dismissedBy, dismissReason: issue.dismissReason }),
  });
}
