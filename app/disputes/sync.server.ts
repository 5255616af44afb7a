// Keeping a dispute current: on every dispute_* event the webhook pipeline enqueues a dispute_sync
// job; the job reads the dispute from Checkout.com (the event may be stale or out of order, the API
// is the truth), links it to our payment and its Shopify order, and builds the evidence draft the
// first time the dispute needs evidence and its order is known.
import type { CheckoutClient } from "../checkout/client.server";
import { clientFor, getConnection } from "../checkout/connection.server";
import { db, rawSql } from "../db.server";
import { disputeTime, markDisputeStale, markInsightsStale } from "../insights/stale.server";
import { enqueueJob, JOB_KINDS, type JobHandler } from "../queue/jobs.server";
import { lockRowForUpdate } from "../lib/row-lock.server";
import type { RawSql } from "../lib/prepared-sql.server";
import { scheduleDisputeDeadlines } from "./deadlines.server";
import { nextDisputeStatus } from "./dispute-events.server";
import { buildIfDue, type BuildOptions } from "./evidence.server";
import { closedAtFor, EVIDENCE_RECEIVED_STATUSES } from "./status";
import { queueDisputeTicket } from "../zendesk/dispute-tickets.server";

export interface SyncOptions extends BuildOptions {
  client?: CheckoutClient;
}

const date = (value: string | undefined) => (value && !Number.isNaN(Date.parse(value)) ? new Date(value) : null);

export async function syncDispute(shopId: string, ckoDisputeId: string, options: SyncOptions = {}) {
  const connection = options.client ? null : await getConnection(shopId);
  if (!options.client && !connection) throw new Error("The shop has no Checkout.com connection to read the dispute from");
  const client = options.client ?? clientFor(connection!);
  const remote = await client.getDispute(ckoDisputeId);
  const ckoPaymentId = remote.payment?.id ?? remote.payment_id ?? null;
  const payment = ckoPaymentId ? await db().payment.findUnique({ where: { shopId_ckoPaymentId: { shopId, ckoPaymentId } } }) : null;

  const fields = {
    category: remote.category ?? null,
    reasonCode: remote.reason_code ?? null,
    amount: remote.amount,
    currency: remote.currency,
    evidenceRequiredBy: date(remote.evidence_required_by),
    relevantEvidence: JSON.stringify(remote.relevant_evidence ?? []),
    receivedOn: date(remote.received_on),
    ckoPaymentId,
    paymentId: payment?.id ?? null,
    lastSyncedAt: new Date(),
  };
  const dispute = await db().$transaction(async (tx) => {
    // The payment's row lock orders this against its matching (storeOrderLink updates that row, then
    // looks for its disputes): whichever commits second sees the other, so the order is never missed.
    if (payment) await lockRowForUpdate(tx, "Payment", payment.id);
    const link = payment ? await tx.orderLink.findFirst({ where: { shopId, paymentId: payment.id } }) : null;
    const where = { shopId_ckoDisputeId: { shopId, ckoDisputeId } };
    let existing = await tx.dispute.findUnique({ where });
    if (existing && (await lockRowForUpdate(tx, "Dispute", existing.id))) existing = await tx.dispute.findUniqueOrThrow({ where });
    // Never back to an earlier stage: a read that raced our own submission must not undo it.
    const status = nextDisputeStatus(existing?.status ?? null, "dispute_sync", remote.status);
    const closedAt = closedAtFor(status, existing?.closedAt ?? null, new Date());
    const saved = await tx.dispute.upsert({
      where,
      update: { ...fields, status, closedAt, ...(link ? { orderGid: link.orderGid } : {}) },
      create: { shopId, ckoDisputeId, ...fields, status, closedAt, orderGid: link?.orderGid ?? null },
    });
    await markDisputeStale(tx, shopId, existing, saved);
    return saved;
  });

  // An answer we could not confirm (a timeout) that Checkout.com shows as done is done.
  if (dispute.responseState === "submitting" && EVIDENCE_RECEIVED_STATUSES.includes(remote.status)) {
    await db().dispute.updateMany({
      where: { id: dispute.id, responseState: "submitting" },
      data: { responseState: "submitted", submittedAt: dispute.submittedAt ?? new Date(), responseError: null },
    });
    await markInsightsStale(rawSql(), shopId, disputeTime(dispute));
  }
  if (dispute.responseState === "accepting" && remote.status === "accepted") {
    await db().dispute.updateMany({
      where: { id: dispute.id, responseState: "accepting" },
      data: { responseState: "accepted", acceptedAt: dispute.acceptedAt ?? new Date(), responseError: null },
    });
    await markInsightsStale(rawSql(), shopId, disputeTime(dispute));
  }

  await buildIfDue(dispute.id, shopId, options);
  await scheduleDisputeDeadlines(shopId);
  // After the evidence draft, so a new ticket says whether it is built.
  await queueDisputeTicket(dispute);
  return db().dispute.findUniqueOrThrow({ where: { id: dispute.id } });
}

/** The dispute_sync job. Key: "<dispute id>:<event id>"; the payload may carry the dispute id too. */
export const disputeSyncJob: JobHandler = async (job) => {
  const payload = (job.payload ?? {}) as { disputeId?: unknown; ckoDisputeId?: unknown };
  const fromPayload = [payload.ckoDisputeId, payload.disputeId].find((v): v is string => typeof v === "string" && v.startsWith("dsp_"));
  const ckoDisputeId = fromPayload ?? job.key.split(":")[0];
  await syncDispute(job.shopId, ckoDisputeId);
};

/**
 * Called when a payment is matched to its Shopify order (app/holds/matching): its disputes are synced
 * again, in the same transaction, so their evidence is built from the order now known.
 */
export async function syncDisputesOfMatchedPayment(tx: RawSql, shopId: string, paymentId: string) {
  const disputes = await tx.$queryRaw<
    Array<{ ckoDisputeId: string }>
  >`SELECT "ckoDisputeId" FROM "Dispute" WHERE "shopId" = ${shopId} AND "paymentId" = ${paymentId}`;
  for (const d of disputes) await enqueueJob(shopId, JOB_KINDS.disputeSync, `${d.ckoDisputeId}:order-linked`, { ckoDisputeId: d.ckoDisputeId }, { tx });
}
