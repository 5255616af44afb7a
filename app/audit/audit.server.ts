// The audit log: who did what, when, and how it ended. Every action a person takes on money, holds or
// disputes writes one entry, whatever the outcome.
import { db, type Tx } from "../db.server";

export interface AuditEntry {
  shopId: string;
  actor: string;
  source: "admin" | "zendesk" | "system" | "agent";
  action: string;
  paymentId?: string | null;
  orderGid?: string | null;
  disputeId?: string | null;
  details?: Record<string, unknown>;
  result: "ok" | "error";
  error?: string | null;
}

export async function audit(entry: AuditEntry, tx?: Tx) {
  return (tx ?? db()).auditLog.create({
    data: {
      shopId: entry.shopId,
      actor: entry.actor,
      source: entry.source,
      action: entry.action,
      paymentId: entry.paymentId ?? null,
      orderGid: entry.orderGid ?? null,
      disputeId: entry.disputeId ?? null,
      details: JSON.stringify(entry.details ?? {}),
      result: entry.result,
      error: entry.error ?? null,
    },
  });
}

/** Entries for one order or payment of one shop, newest first. */
export async function auditTrail(shopId: string, where: { orderGid?: string; paymentId?: string; disputeId?: string }, take = 100) {
  return db().auditLog.findMany({
    where: {
      shopId,
      OR: [
        ...(where.orderGid ? [{ orderGid: where.orderGid }] : []),
        ...(where.paymentId ? [{ paymentId: where.paymentId }] : []),
        ...(where.disputeId ? [{ disputeId: where.disputeId }] : []),
      ],
    },
    orderBy: { createdAt: "desc" },
    take,
  });
}
