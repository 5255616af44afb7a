// Checkout.com's webhooks about captures, refunds and voids, as outcomes of our money actions. Called
// by the worker inside the event's transaction (app/payments/record.server.ts): an outcome settles the
// action that asked for it, found by Checkout.com's action id or, for an action sent through Shopify
// (whose payments app called Checkout.com, not us), by kind and amount. A refund or void nobody here
// asked for is someone else's: a job finds out where it was made (jobs.server.ts).
import type { Tx } from "../db.server";
import type { RawSql } from "../lib/prepared-sql.server";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";
import { describeDecline } from "../payments/declines";

type Outcome = "succeeded" | "declined";
type Kind = "refund" | "void" | "capture";

const OUTCOMES: Partial<Record<string, [Kind, Outcome]>> = {
  payment_captured: ["capture", "succeeded"],
  payment_refunded: ["refund", "succeeded"],
  payment_voided: ["void", "succeeded"],
  payment_capture_declined: ["capture", "declined"],
  payment_refund_declined: ["refund", "declined"],
  payment_void_declined: ["void", "declined"],
};

const ACTION_OUTCOME_EVENTS = Object.keys(OUTCOMES);

interface OutcomeData {
  action_id?: string;
  amount?: number;
  response_code?: string;
  response_summary?: string;
}

/**
 * What the payment's processed events already said about one of its actions, or null. Checkout.com's
 * webhook can be processed before the answer to our request reaches us: the action then learns its
 * outcome here.
 */
export async function reportedActionOutcome(tx: Tx, paymentId: string, ckoActionId: string) {
  const rows = await tx.paymentActivity.findMany({
    where: { paymentId, kind: "event", type: { in: ACTION_OUTCOME_EVENTS } },
    select: { type: true, details: true },
  });
  for (const row of rows) {
    const details = JSON.parse(row.details) as { actionId?: string; responseCode?: string; responseSummary?: string };
    if (details.actionId !== ckoActionId) continue;
    const status = OUTCOMES[row.type]![1];
    return { status, error: status === "declined" ? describeDecline(details.responseCode, details.responseSummary) : null };
  }
  return null;
}

/** Settles the action this event reports on; queues the origin check when it is none of ours. */
export async function settleFromEvent(tx: RawSql, source: { shopId: string; eventId: string }, paymentId: string, type: string, d: OutcomeData) {
  const entry = OUTCOMES[type];
  if (!entry || !d.action_id) return;
  const [kind, outcome] = entry;
  const { shopId } = source;
  const error = outcome === "declined" ? describeDecline(d.response_code, d.response_summary) : null;
  const now = new Date();
  const byId = await tx.$executeRaw`
    UPDATE "MoneyAction" SET "status" = ${outcome}, "error" = ${error}, "updatedAt" = ${now}
    WHERE "shopId" = ${shopId} AND "paymentId" = ${paymentId} AND "ckoActionId" = ${d.action_id} AND "status" IN ('requested', 'accepted')`;
  if (byId > 0) return;
  const known = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "MoneyAction" WHERE "shopId" = ${shopId} AND "paymentId" = ${paymentId} AND "ckoActionId" = ${d.action_id} LIMIT 1`;
  if (known.length > 0) return;
  // Sent through Shopify: the oldest unsettled action of this kind (and amount) is the one Checkout.com reports.
  const mine = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "MoneyAction"
    WHERE "shopId" = ${shopId} AND "paymentId" = ${paymentId} AND "via" = 'shopify' AND "kind" = ${kind}
      AND "ckoActionId" IS NULL AND "status" IN ('requested', 'accepted') AND ("kind" = 'void' OR "amount" = ${d.amount ?? -1})
    ORDER BY "createdAt" LIMIT 1`;
  if (mine.length > 0) {
    await tx.$executeRaw`
      UPDATE "MoneyAction" SET "status" = ${outcome}, "error" = ${error}, "ckoActionId" = ${d.action_id}, "updatedAt" = ${now}
      WHERE "id" = ${mine[0].id}`;
    return;
  }
  if (outcome === "succeeded" && kind !== "capture") {
    await enqueueJob(shopId, JOB_KINDS.moneyElsewhere, source.eventId, { paymentId, kind, amount: d.amount ?? null, ckoActionId: d.action_id }, { tx });
  }
}
