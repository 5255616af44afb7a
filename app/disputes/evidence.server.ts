// Building a dispute's evidence draft: gather the facts (Shopify order and policies, the Payment row,
// the conversation), plan the evidence, render its PDFs (in a worker thread: pdf-thread.server.ts) and
// store texts and files as the draft the merchant reviews. Files are kept by content hash, so
// rebuilding unchanged data reuses the stored file (and its Checkout.com file id) instead of uploading
// it again.
import crypto from "node:crypto";
import type { Dispute, Payment, Shop } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import { NotFoundError, RefusedError } from "../lib/errors";
import { log } from "../log.server";
import { adminApi, ShopifyApiError, type GraphqlTransport } from "../shopify/admin-api.server";
import { conversationForOrder } from "./conversation.server";
import { FILE_LIMIT_BYTES, parseDraft, type DisputeFacts, type EvidenceDraft, type EvidenceInput, type PaymentFacts } from "./model";
import { fetchEvidenceFacts } from "./order-query.server";
import { renderEvidencePdfInThread } from "./pdf-thread.server";
import { planEvidence } from "./plan";

/** The calculated cost of the evidence query, so the pacer waits for a bucket that can pay it. */
const EVIDENCE_QUERY_RESERVE = 700;

export interface BuildOptions {
  /** Another Admin API transport (tests); defaults to the shop's offline session. */
  transport?: GraphqlTransport;
  actor?: string;
  source?: "admin" | "zendesk" | "system" | "agent";
}

function paymentFacts(p: Payment): PaymentFacts {
  let threeDs: PaymentFacts["threeDs"] = null;
  if (p.threeDs) {
    try {
      const t = JSON.parse(p.threeDs) as Record<string, unknown>;
      const str = (v: unknown) => (typeof v === "string" && v ? v : null);
      threeDs = {
        // Checkout.com reports the issuer's answer: Y = fully authenticated.
        authenticated: t.authenticated === true || str(t.authentication_response) === "Y",
        version: str(t.version),
        eci: str(t.eci),
        enrolled: str(t.enrolled),
      };
    } catch {
      threeDs = null;
    }
  }
  return {
    ckoPaymentId: p.ckoPaymentId,
    amount: { amount: p.amount, currency: p.currency },
    processedOn: p.processedOn?.toISOString() ?? null,
    customerName: p.customerName,
    customerEmail: p.customerEmail,
    ipAddress: p.ipAddress,
    cardScheme: p.cardScheme,
    cardLast4: p.cardLast4,
    avsCheck: p.avsCheck,
    cvvCheck: p.cvvCheck,
    threeDs,
  };
}

function disputeFacts(d: Dispute): DisputeFacts {
  return {
    ckoDisputeId: d.ckoDisputeId,
    category: d.category,
    reasonCode: d.reasonCode,
    amount: { amount: d.amount, currency: d.currency },
    relevantEvidence: safeJsonArray(d.relevantEvidence),
    evidenceRequiredBy: d.evidenceRequiredBy?.toISOString() ?? null,
  };
}

const safeJsonArray = (json: string): string[] => {
  try {
    const value = JSON.parse(json);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
};

export const sha256 = (data: Uint8Array) => crypto.createHash("sha256").update(data).digest("hex");

/** The order a dispute is about: its own link, else the payment's matched order. */
async function disputeOrderGid(dispute: Dispute): Promise<string | null> {
  if (dispute.orderGid) return dispute.orderGid;
  if (!dispute.paymentId) return null;
  const link = await db().orderLink.findFirst({ where: { shopId: dispute.shopId, paymentId: dispute.paymentId } });
  return link?.orderGid ?? null;
}

/** Gathers the facts for one dispute of one shop. */
async function gatherEvidenceInput(shop: Shop, dispute: Dispute, options: BuildOptions = {}): Promise<EvidenceInput> {
  const orderGid = await disputeOrderGid(dispute);
  const [payment, disputed] = await Promise.all([
    dispute.paymentId ? db().payment.findFirst({ where: { id: dispute.paymentId, shopId: shop.id } }) : null,
    db().dispute.findMany({ where: { shopId: shop.id, orderGid: { not: null } }, select: { orderGid: true } }),
  ]);
  const api = adminApi(shop.domain, options.transport, { reserve: EVIDENCE_QUERY_RESERVE });
  const facts = await fetchEvidenceFacts(api, orderGid, new Set(disputed.map((d) => d.orderGid!)));
  return {
    shop: facts.shop,
    dispute: disputeFacts(dispute),
    payment: payment ? paymentFacts(payment) : null,
    order: facts.order,
    conversation: await conversationForOrder(shop.id, facts.order, {
      ckoPaymentId: dispute.ckoPaymentId,
      excludedTickets: parseDraft(dispute.evidenceDraft).excludedTickets,
    }),
  };
}

/** The dispute was answered (or is being): its evidence no longer changes. */
class EvidenceLockedError extends RefusedError {}
class EvidenceTooLargeError extends Error {}

/**
 * Builds the draft from the order and stores it. Texts are replaced by the generated ones; a file the
 * merchant attached for a field stays in place of the generated one. Refused once the merchant has
 * answered the dispute (submitted or accepted).
 */
export async function buildDisputeEvidence(shopId: string, disputeId: string, options: BuildOptions = {}) {
  const dispute = await db().dispute.findFirst({ where: { id: disputeId, shopId } });
  if (!dispute) throw new NotFoundError("This dispute does not exist in this shop.", { key: "disputeNotFound" });
  if (dispute.responseState !== "none")
    throw new EvidenceLockedError("This dispute has been answered; its evidence can no longer change.", { key: "evidenceLocked" });
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId } });
  const input = await gatherEvidenceInput(shop, dispute, options);
  const plan = planEvidence(input);
  const rendered = await Promise.all(
    plan.documents.map(async (doc) => {
      const data = await renderEvidencePdfInThread(doc);
      if (data.length > FILE_LIMIT_BYTES) throw new EvidenceTooLargeError(`${doc.filename} is ${data.length} bytes, above Checkout.com's 4 MB limit`);
      return { doc, data, sha256: sha256(data) };
    }),
  );

  const saved = await db().$transaction(async (tx) => {
    const current = parseDraft((await tx.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).evidenceDraft);
    const attached = await tx.evidenceFile.findMany({
      where: { shopId, disputeId, generated: false, id: { in: Object.values(current.files) } },
      select: { id: true, field: true },
    });
    const files: EvidenceDraft["files"] = {};
    const generatedIds: string[] = [];
    for (const { doc, data, sha256: hash } of rendered) {
      const file = await tx.evidenceFile.upsert({
        where: { disputeId_field_sha256: { disputeId, field: doc.field, sha256: hash } },
        update: {},
        create: {
          shopId,
          disputeId,
          field: doc.field,
          filename: doc.filename,
          contentType: "application/pdf",
          sha256: hash,
          size: data.length,
          data: Buffer.from(data),
          generated: true,
        },
      });
      files[doc.field] = file.id;
      generatedIds.push(file.id);
    }
    for (const file of attached) files[file.field as keyof EvidenceDraft["files"]] = file.id;
    const draft: EvidenceDraft = {
      texts: plan.texts,
      files,
      types: plan.types,
      conversationTickets: input.conversation?.tickets ?? [],
      excludedTickets: current.excludedTickets,
    };
    // Older generated files, never sent, are dropped; this build's stay even under an attachment, to
    // come back if the attachment is removed.
    await tx.evidenceFile.deleteMany({ where: { shopId, disputeId, generated: true, ckoFileId: null, id: { notIn: generatedIds } } });
    // Conditional on no answer having started meanwhile: the evidence sent must be what was shown.
    const updated = await tx.dispute.updateMany({
      where: { id: dispute.id, shopId, responseState: "none" },
      data: { evidenceDraft: JSON.stringify(draft), evidenceBuiltAt: new Date(), ...(input.order && !dispute.orderGid ? { orderGid: input.order.id } : {}) },
    });
    if (updated.count === 0) throw new EvidenceLockedError("This dispute has been answered; its evidence can no longer change.");
    return tx.dispute.findUniqueOrThrow({ where: { id: dispute.id } });
  });
  await audit({
    shopId,
    actor: options.actor ?? "system",
    source: options.source ?? "system",
    action: "evidence.build",
    disputeId: dispute.id,
    paymentId: dispute.paymentId,
    orderGid: input.order?.id ?? null,
    details: { types: plan.types, missing: plan.missing, files: rendered.map((r) => ({ field: r.doc.field, size: r.data.length })) },
    result: "ok",
  });
  return { dispute: saved, plan };
}

/** Builds the first draft of a dispute that needs evidence, once its order is known. */
export async function buildIfDue(disputeId: string, shopId: string, options: BuildOptions = {}) {
  const dispute = await db().dispute.findFirstOrThrow({ where: { id: disputeId, shopId } });
  if (dispute.status !== "evidence_required" || dispute.responseState !== "none" || dispute.evidenceBuiltAt) return;
  if (!(await disputeOrderGid(dispute))) return;
  try {
    await buildDisputeEvidence(shopId, disputeId, options);
  } catch (error) {
    if (error instanceof EvidenceLockedError) return;
    // Shopify refusing the query or a document too large will not change by retrying: shown on the
    // dispute (audit) to rebuild by hand. Anything else (Shopify busy, network) retries the job.
    const permanent = (error instanceof ShopifyApiError && !error.retryable) || error instanceof EvidenceTooLargeError;
    if (!permanent) throw error;
    log.warn("disputes.evidence_build_failed", { shopId, disputeId, error });
    const message = error instanceof Error ? error.message : String(error);
    await audit({
      shopId,
      actor: options.actor ?? "system",
      source: options.source ?? "system",
      action: "evidence.build",
      disputeId,
      result: "error",
      error: message,
    });
  }
}
