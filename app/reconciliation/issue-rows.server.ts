// How a found difference is kept as a ReconciliationIssue row, one per (subject, order, kind), whoever
// found it (a payment's check, check.server.ts; the orders paid without a payment,
// orders-without-payment.server.ts). Openings and resolutions are audited as the system.
import type { ReconciliationIssue } from "@prisma/client";
import { audit } from "../audit/audit.server";
import type { Tx } from "../db.server";

/** Issues whose difference may still be there: an open one, or one a merchant dismissed. */
export const UNRESOLVED = ["open", "dismissed"];

type IssueEvent = "reconciliation.issue_open" | "reconciliation.issue_resolved";

function auditIssue(
  tx: Tx,
  action: IssueEvent,
  issue: Pick<ReconciliationIssue, "shopId" | "paymentId" | "orderGid" | "orderName" | "kind" | "amount" | "currency">,
) {
  return audit(
    {
      shopId: issue.shopId,
      actor: "system",
      source: "system",
      action,
      paymentId: issue.paymentId,
      orderGid: issue.orderGid,
      details: { kind: issue.kind, amount: issue.amount, currency: issue.currency, orderName: issue.orderName },
      result: "ok",
    },
    tx,
  );
}

export interface IssueKey {
  shopId: string;
  /** The payment's id, or "order" for what the order alone shows. */
  subject: string;
  orderGid: string;
  kind: string;
}

export interface IssueFigures {
  paymentId: string | null;
  /** Left as it is when unknown. */
  orderName?: string | null;
  currency: string;
  checkoutAmount: number | null;
  shopifyAmount: number | null;
  amount: number;
}

/**
 * Keeps a difference found now: a new one opens; an open one is brought up to date; a dismissed one
 * stays dismissed while the amount at stake is the same, and opens again when it changes; a resolved
 * one opens again, as a new sighting. Returns whether it opened or was brought up to date.
 */
export async function keepIssue(tx: Tx, key: IssueKey, found: IssueFigures, now: Date): Promise<"opened" | "updated"> {
  const { paymentId, orderName, ...amounts } = found;
  const figures = { ...amounts, ...(orderName ? { orderName } : {}), lastCheckedAt: now };
  const existing = await tx.reconciliationIssue.findUnique({ where: { shopId_subject_orderGid_kind: key } });
  if (existing && (existing.status === "open" || (existing.status === "dismissed" && existing.amount === found.amount))) {
    await tx.reconciliationIssue.update({ where: { id: existing.id }, data: figures });
    return "updated";
  }
  const issue = existing
    ? await tx.reconciliationIssue.update({
        where: { id: existing.id },
        data: {
          ...figures,
          status: "open",
          resolvedAt: null,
          dismissReason: null,
          dismissedBy: null,
          dismissedAt: null,
          // A difference back after it was resolved is a new one; a dismissed one that grew is the same one.
          ...(existing.status === "resolved" ? { firstSeenAt: now } : {}),
        },
      })
    : await tx.reconciliationIssue.create({ data: { ...key, paymentId, ...figures, status: "open", firstSeenAt: now } });
  await auditIssue(tx, "reconciliation.issue_open", issue);
  return "opened";
}

/** Resolves a difference no longer found: both sides agree now. */
export async function resolveIssue(tx: Tx, issue: ReconciliationIssue, now: Date): Promise<void> {
  await tx.reconciliationIssue.update({ where: { id: issue.id }, data: { status: "resolved", resolvedAt: now, lastCheckedAt: now } });
  await auditIssue(tx, "reconciliation.issue_resolved", issue);
}
