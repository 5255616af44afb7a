// What the screens read: the disputes list, the ones due soon (and those within the reminder's lead
// time), one dispute with its evidence, and an evidence file's bytes. Every read is scoped to one
// shop; file bytes never leave in lists.
import type { Prisma } from "@prisma/client";
import { auditTrail } from "../audit/audit.server";
import { db } from "../db.server";
import { EVIDENCE_TYPES, fileFieldOf, parseDraft, textFieldOf, type EvidenceType } from "./model";
import { evidenceReadiness } from "./respond.server";

const listInclude = { payment: { select: { ckoPaymentId: true, orderLink: { select: { orderName: true, orderGid: true } } } } } satisfies Prisma.DisputeInclude;
type ListRow = Prisma.DisputeGetPayload<{ include: typeof listInclude }>;

function listItem(d: ListRow) {
  return {
    id: d.id,
    ckoDisputeId: d.ckoDisputeId,
    ckoPaymentId: d.ckoPaymentId,
    paymentId: d.paymentId,
    category: d.category,
    reasonCode: d.reasonCode,
    amount: d.amount,
    currency: d.currency,
    status: d.status,
    responseState: d.responseState,
    evidenceRequiredBy: d.evidenceRequiredBy?.toISOString() ?? null,
    receivedOn: d.receivedOn?.toISOString() ?? null,
    orderName: d.payment?.orderLink?.orderName ?? null,
    evidenceBuilt: d.evidenceBuiltAt !== null,
    /** Waiting for the merchant: evidence required and not answered yet. */
    needsResponse: d.status === "evidence_required" && d.responseState === "none",
  };
}
export type DisputeListItem = ReturnType<typeof listItem>;

/** Disputes waiting for an answer first, soonest deadline first; then the rest, newest first. */
export async function listDisputes(shopId: string, take = 200): Promise<DisputeListItem[]> {
  const rows = await db().dispute.findMany({ where: { shopId }, include: listInclude, orderBy: [{ evidenceRequiredBy: "asc" }], take });
  const items = rows.map(listItem);
  const time = (iso: string | null, missing: number) => (iso ? Date.parse(iso) : missing);
  const waiting = items.filter((d) => d.needsResponse).sort((a, b) => time(a.evidenceRequiredBy, Infinity) - time(b.evidenceRequiredBy, Infinity));
  const rest = items
    .filter((d) => !d.needsResponse)
    .sort((a, b) => time(b.receivedOn ?? b.evidenceRequiredBy, 0) - time(a.receivedOn ?? a.evidenceRequiredBy, 0));
  return [...waiting, ...rest];
}

/** Disputes waiting for this store's answer: evidence required, and none sent or accepted yet. */
export const AWAITING_ANSWER = { status: "evidence_required", responseState: "none" } as const;

/** Unanswered disputes whose deadline is within `days` (or already passed), soonest first. */
export async function disputesDueSoon(shopId: string, days = 7, take = 5, now = new Date()): Promise<DisputeListItem[]> {
  const rows = await db().dispute.findMany({
    where: { shopId, ...AWAITING_ANSWER, evidenceRequiredBy: { lte: new Date(now.getTime() + days * 86_400_000) } },
    include: listInclude,
    orderBy: { evidenceRequiredBy: "asc" },
    take,
  });
  return rows.map(listItem);
}

/**
 * Home's warning: how many unanswered disputes need evidence within the shop's reminder lead time
 * (ShopSettings.evidenceReminderHours; deadlines already passed are not counted), and the nearest deadline.
 */
export async function evidenceDueWithinLeadTime(shopId: string, now = new Date()) {
  const settings = await db().shopSettings.findUnique({ where: { shopId }, select: { evidenceReminderHours: true } });
  const hours = settings?.evidenceReminderHours ?? 72;
  const due = await db().dispute.aggregate({
    where: { shopId, ...AWAITING_ANSWER, evidenceRequiredBy: { gt: now, lte: new Date(now.getTime() + hours * 3_600_000) } },
    _count: { _all: true },
    _min: { evidenceRequiredBy: true },
  });
  return { count: due._count._all, nearest: due._min.evidenceRequiredBy?.toISOString() ?? null, hours };
}

/** One dispute with its evidence, field by field, for the dispute page. Null when not this shop's. */
export async function getDisputeDetail(shopId: string, disputeId: string, now = new Date()) {
  const dispute = await db().dispute.findFirst({ where: { id: disputeId, shopId }, include: listInclude });
  if (!dispute) return null;
  const draft = parseDraft(dispute.evidenceDraft);
  const fileIds = Object.values(draft.files);
  const [files, payment, trail] = await Promise.all([
    db().evidenceFile.findMany({
      where: { shopId, disputeId, id: { in: fileIds } },
      select: { id: true, field: true, filename: true, contentType: true, size: true, generated: true, ckoFileId: true, sha256: true },
    }),
    dispute.paymentId ? db().payment.findFirst({ where: { id: dispute.paymentId, shopId } }) : null,
    auditTrail(shopId, { disputeId }, 30),
  ]);
  const readiness = evidenceReadiness(dispute, now);
  // The chosen types, then any other type the merchant gave a text or a file.
  const shown = EVIDENCE_TYPES.filter((t) => !draft.types.includes(t) && (draft.texts[textFieldOf(t)] || draft.files[fileFieldOf(t)]));
  const evidence = [...draft.types, ...shown].map((type: EvidenceType) => {
    const file = files.find((f) => f.id === draft.files[fileFieldOf(type)]) ?? null;
    return { type, textField: textFieldOf(type), text: draft.texts[textFieldOf(type)] ?? "", file, missing: readiness.missing.includes(type) };
  });
  return {
    dispute: {
      ...listItem(dispute),
      orderGid: dispute.orderGid ?? dispute.payment?.orderLink?.orderGid ?? null,
      evidenceBuiltAt: dispute.evidenceBuiltAt?.toISOString() ?? null,
      evidenceSavedAt: dispute.evidenceSavedAt?.toISOString() ?? null,
      submittedAt: dispute.submittedAt?.toISOString() ?? null,
      submittedBy: dispute.submittedBy,
      acceptedAt: dispute.acceptedAt?.toISOString() ?? null,
      acceptedBy: dispute.acceptedBy,
      responseError: dispute.responseError,
      lastSyncedAt: dispute.lastSyncedAt?.toISOString() ?? null,
    },
    payment: payment && {
      ckoPaymentId: payment.ckoPaymentId,
      amount: payment.amount,
      currency: payment.currency,
      customerEmail: payment.customerEmail,
      cardScheme: payment.cardScheme,
      cardLast4: payment.cardLast4,
    },
    evidence,
    /** The Zendesk tickets the customer communication was taken from, and those the merchant removed. */
    conversation: { tickets: draft.conversationTickets, excludedTickets: draft.excludedTickets },
    deliveryDateText: draft.texts.proof_of_delivery_or_service_date_text ?? "",
    readiness,
    activity: trail.map((a) => ({ id: a.id, at: a.createdAt.toISOString(), actor: a.actor, action: a.action, result: a.result, error: a.error })),
  };
}

/** An evidence file's bytes, only through its own dispute and shop. */
export async function getEvidenceFileContent(shopId: string, disputeId: string, fileId: string) {
  return db().evidenceFile.findFirst({ where: { id: fileId, disputeId, shopId }, select: { filename: true, contentType: true, data: true, size: true } });
}

/** A dispute as its page shows it. */
export type DisputeDetail = NonNullable<Awaited<ReturnType<typeof getDisputeDetail>>>;
