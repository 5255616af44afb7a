// Sending a dispute's evidence to Checkout.com and answering the dispute. One place for the Polaris
// page, the Zendesk backend and automatic submission.
//
// - Files are uploaded once: a file's Checkout.com id is kept, and an upload in flight is claimed in
//   the database (uploadedAt set, no ckoFileId yet) so a concurrent save waits instead of uploading
//   the same file twice.
// - Submitting and accepting happen at most once: the dispute moves from "none" to "submitting" (or
//   "accepting") by a conditional update, so only one request can send; the Cko-Idempotency-Key is
//   derived from the dispute, so a resumed attempt repeats the same request and Checkout.com answers
//   it with the first result.
// - The evidence body's key is derived from its content: changed evidence is a new request, while
//   Checkout.com would answer a reused key with the old result and drop the change.
import crypto from "node:crypto";
import type { Dispute, EvidenceFile } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { planRefusal } from "../billing/billing.server";
import type { CheckoutClient } from "../checkout/client.server";
import { clientFor, getConnection } from "../checkout/connection.server";
import { CheckoutError, explainCheckoutError } from "../checkout/errors";
import type { EvidenceRequest } from "../checkout/schemas";
import { db, rawSql } from "../db.server";
import { disputeTime, markInsightsStale } from "../insights/stale.server";
import type { Words } from "../i18n/locales";
import type { Actor } from "./draft.server";
import { hasEvidence, missingEvidence, parseDraft, type EvidenceDraft } from "./model";
import { EVIDENCE_RECEIVED_STATUSES, evidenceRefusal } from "./status";

/** How long an upload or an answer may be in flight before another request may resume it. */
const IN_FLIGHT_LEASE_MS = 2 * 60_000;

export type DisputeActionCode = "not_found" | "plan_required" | "closed" | "not_ready" | "not_connected" | "in_progress" | "upstream";
/**
 * A refusal's `message` is English (the Zendesk API, the audit log); its `words`, where they are ours,
 * say it in a staff member's language (Checkout.com's own text kept inside as a value). A "closed"
 * refusal's reason is `refusalReason(dispute)` (status.ts), which the screens put in words themselves.
 */
export type DisputeActionResult =
  { ok: true; dispute: Dispute; replayed: boolean } | { ok: false; code: DisputeActionCode; message: string; words?: Words; dispute?: Dispute };

export interface RespondOptions {
  /** Another client (tests); defaults to the shop's connection. */
  client?: CheckoutClient;
  now?: () => Date;
}

/** Cko-Idempotency-Key for an action on a dispute: stable for the same shop, dispute, action and content. */
export function disputeIdempotencyKey(shopId: string, ckoDisputeId: string, action: "evidence" | "submit" | "accept", content = "") {
  return crypto.createHash("sha256").update(`${shopId}\n${ckoDisputeId}\n${action}\n${content}`).digest("hex").slice(0, 48);
}

class InFlight extends Error {
  readonly words: Words = { key: "disputes.uploadInFlight" };
}

async function uploadOnce(client: CheckoutClient, file: EvidenceFile, now: Date): Promise<string> {
  if (file.ckoFileId) return file.ckoFileId;
  const claimed = await db().evidenceFile.updateMany({
    where: { id: file.id, ckoFileId: null, OR: [{ uploadedAt: null }, { uploadedAt: { lt: new Date(now.getTime() - IN_FLIGHT_LEASE_MS) } }] },
    data: { uploadedAt: now },
  });
  if (claimed.count === 0) {
    const fresh = await db().evidenceFile.findUniqueOrThrow({ where: { id: file.id } });
    if (fresh.ckoFileId) return fresh.ckoFileId;
    throw new InFlight("A file of this evidence is being uploaded by another request. Try again in a moment.");
  }
  try {
    const uploaded = await client.uploadFile({ filename: file.filename, data: file.data });
    await db().evidenceFile.update({ where: { id: file.id }, data: { ckoFileId: uploaded.id, uploadedAt: new Date() } });
    return uploaded.id;
  } catch (error) {
    await db().evidenceFile.updateMany({ where: { id: file.id, ckoFileId: null }, data: { uploadedAt: null } });
    throw error;
  }
}

/** Uploads the draft's files (once each) and sends the evidence body: PUT /disputes/{id}/evidence. */
async function provideDraft(client: CheckoutClient, dispute: Dispute, draft: EvidenceDraft, now: Date): Promise<EvidenceRequest> {
  const ids = Object.values(draft.files);
  const files = await db().evidenceFile.findMany({ where: { id: { in: ids }, shopId: dispute.shopId, disputeId: dispute.id } });
  const body: EvidenceRequest = {};
  for (const [field, text] of Object.entries(draft.texts)) if (text?.trim()) body[field as keyof EvidenceRequest] = text;
  for (const file of files.sort((a, b) => a.field.localeCompare(b.field))) {
    body[file.field as keyof EvidenceRequest] = await uploadOnce(client, file, now);
  }
  const content = crypto
    .createHash("sha256")
    .update(JSON.stringify(Object.entries(body).sort()))
    .digest("hex");
  await client.provideEvidence(dispute.ckoDisputeId, body, disputeIdempotencyKey(dispute.shopId, dispute.ckoDisputeId, "evidence", content));
  return body;
}

interface Prepared {
  dispute: Dispute;
  draft: EvidenceDraft;
  client: CheckoutClient;
}

async function prepare(
  shopId: string,
  disputeId: string,
  options: RespondOptions,
  needsEvidence: boolean,
): Promise<Prepared | Extract<DisputeActionResult, { ok: false }>> {
  const dispute = await db().dispute.findFirst({ where: { id: disputeId, shopId } });
  if (!dispute) return { ok: false, code: "not_found", message: "This dispute does not exist in this shop.", words: { key: "disputeNotFound" } };
  // A shop that left a plan with disputes still sees them, but sends nothing more to Checkout.com.
  const planRefused = await planRefusal(shopId, "disputes");
  if (planRefused) return { ok: false, code: "plan_required", message: planRefused.message, words: planRefused.text, dispute };
  const draft = parseDraft(dispute.evidenceDraft);
  if (needsEvidence && !hasEvidence(draft)) {
    return {
      ok: false,
      code: "not_ready",
      message: "Add at least one text or file before sending evidence.",
      words: { key: "disputes:actions.notReady" },
      dispute,
    };
  }
  const connection = options.client ? null : await getConnection(shopId);
  if (!options.client && !connection) {
    return { ok: false, code: "not_connected", message: "Connect Checkout.com in Settings first.", words: { key: "disputes:actions.notConnected" }, dispute };
  }
  return { dispute, draft, client: options.client ?? clientFor(connection!) };
}

function failure(error: unknown, dispute: Dispute): Extract<DisputeActionResult, { ok: false }> {
  if (error instanceof InFlight) return { ok: false, code: "in_progress", message: error.message, words: error.words, dispute };
  if (!(error instanceof CheckoutError)) throw error;
  const closed = error.codes.some((c) => c === "dispute_status_invalid" || c === "dispute_expired");
  // Checkout.com's trouble in its explainer's words (English): no words of ours around it.
  return closed
    ? {
        ok: false,
        code: "closed",
        message: "Checkout.com no longer accepts evidence for this dispute. Its status will update shortly.",
        words: { key: "disputes.closedAtCheckout" },
        dispute,
      }
    : { ok: false, code: "upstream", message: explainCheckoutError(error), dispute };
}

async function record(
  shopId: string,
  dispute: Dispute | undefined,
  disputeId: string,
  by: Actor,
  action: string,
  result: DisputeActionResult,
  details: Record<string, unknown> = {},
) {
  await audit({
    shopId,
    ...by,
    action,
    disputeId: dispute?.id ?? null,
    paymentId: dispute?.paymentId ?? null,
    orderGid: dispute?.orderGid ?? null,
    details: {
      ckoDisputeId: dispute?.ckoDisputeId ?? null,
      requested: disputeId,
      ...details,
      ...(result.ok ? { replayed: result.replayed } : { code: result.code }),
    },
    result: result.ok ? "ok" : "error",
    error: result.ok ? null : result.message,
  });
  return result;
}

/** "Save to Checkout.com": uploads new files and attaches the evidence, without submitting it. */
export async function saveEvidenceToCheckout(shopId: string, disputeId: string, by: Actor, options: RespondOptions = {}): Promise<DisputeActionResult> {
  const now = options.now?.() ?? new Date();
  const prepared = await prepare(shopId, disputeId, options, true);
  if ("ok" in prepared) return record(shopId, prepared.dispute, disputeId, by, "evidence.save", prepared);
  const { dispute, draft, client } = prepared;
  const refusal = evidenceRefusal(dispute, now);
  if (refusal) return record(shopId, dispute, disputeId, by, "evidence.save", { ok: false, code: "closed", message: refusal, dispute });
  let result: DisputeActionResult;
  let fields: string[] = [];
  try {
    fields = Object.keys(await provideDraft(client, dispute, draft, now));
    result = { ok: true, replayed: false, dispute: await db().dispute.update({ where: { id: dispute.id }, data: { evidenceSavedAt: new Date() } }) };
  } catch (error) {
    result = failure(error, dispute);
  }
  return record(shopId, dispute, disputeId, by, "evidence.save", result, { fields });
}

type Answer = "submit" | "accept";
const STATES: Record<Answer, { during: string; done: string; status: string; action: string }> = {
  submit: { during: "submitting", done: "submitted", status: "evidence_under_review", action: "evidence.submit" },
  accept: { during: "accepting", done: "accepted", status: "accepted", action: "dispute.accept" },
};

async function answerOnce(answer: Answer, shopId: string, disputeId: string, by: Actor, options: RespondOptions): Promise<DisputeActionResult> {
  const now = options.now?.() ?? new Date();
  const state = STATES[answer];
  const prepared = await prepare(shopId, disputeId, options, answer === "submit");
  if ("ok" in prepared) return record(shopId, prepared.dispute, disputeId, by, state.action, prepared);
  const { dispute, draft, client } = prepared;
  // Already done: the same answer again is the first result (a double click, a retry).
  if (dispute.responseState === state.done) return record(shopId, dispute, disputeId, by, state.action, { ok: true, replayed: true, dispute });
  // A "submitting"/"accepting" of this same answer may be resumed; anything else must pass the checks.
  const resuming = dispute.responseState === state.during;
  const refusal = resuming ? null : evidenceRefusal(dispute, now);
  if (refusal) return record(shopId, dispute, disputeId, by, state.action, { ok: false, code: "closed", message: refusal, dispute });

  const claimed = await db().dispute.updateMany({
    where: {
      id: dispute.id,
      shopId,
      OR: [{ responseState: "none" }, { responseState: state.during, responseStartedAt: { lt: new Date(now.getTime() - IN_FLIGHT_LEASE_MS) } }],
    },
    data: { responseState: state.during, responseStartedAt: now, responseError: null },
  });
  if (claimed.count === 0) {
    const fresh = await db().dispute.findUniqueOrThrow({ where: { id: dispute.id } });
    const refusal = evidenceRefusal(fresh, now);
    const result: DisputeActionResult =
      fresh.responseState === state.done
        ? { ok: true, replayed: true, dispute: fresh }
        : fresh.responseState === state.during
          ? {
              ok: false,
              code: "in_progress",
              message: `This dispute is already being ${answer === "submit" ? "submitted" : "accepted"}. Reload in a moment.`,
              words: { key: `disputes.alreadyBeing.${answer}` },
              dispute: fresh,
            }
          : refusal
            ? { ok: false, code: "closed", message: refusal, dispute: fresh }
            : { ok: false, code: "closed", message: "This dispute was answered already.", words: { key: "disputes.answeredAlready" }, dispute: fresh };
    return record(shopId, fresh, disputeId, by, state.action, result);
  }

  const key = disputeIdempotencyKey(shopId, dispute.ckoDisputeId, answer);
  try {
    // Resuming an attempt that was never confirmed: Checkout.com's status says whether it went through.
    const remoteStatus = resuming ? (await client.getDispute(dispute.ckoDisputeId)).status : null;
    const alreadyDone = remoteStatus !== null && (answer === "submit" ? EVIDENCE_RECEIVED_STATUSES.includes(remoteStatus) : remoteStatus === "accepted");
    if (!alreadyDone && answer === "submit") {
      await provideDraft(client, dispute, draft, now);
      await client.submitEvidence(dispute.ckoDisputeId, key);
    } else if (!alreadyDone) {
      await client.acceptDispute(dispute.ckoDisputeId, key);
    }
  } catch (error) {
    const result = failure(error, dispute);
    // A refusal means Checkout.com did nothing: back to "none". Anything else (timeout, 5xx) may have
    // gone through: stay "submitting", resumable at once, and never editable meanwhile.
    const refused = error instanceof CheckoutError && !error.retryable;
    await db().dispute.updateMany({
      where: { id: dispute.id, responseState: state.during },
      data: refused
        ? { responseState: "none", responseStartedAt: null, responseError: result.message }
        : { responseStartedAt: new Date(0), responseError: result.message },
    });
    if (!refused && result.code === "upstream") {
      result.words = { key: "disputes.tryAgainToFinish", values: { error: result.message } };
      result.message = `${result.message} Nothing will be sent twice: try again to finish.`;
    }
    return record(shopId, dispute, disputeId, by, state.action, result, { key });
  }
  const done = await db().dispute.update({
    where: { id: dispute.id },
    data:
      answer === "submit"
        ? { responseState: state.done, status: state.status, submittedAt: now, submittedBy: by.actor, evidenceSavedAt: now, responseError: null }
        : { responseState: state.done, status: state.status, acceptedAt: now, acceptedBy: by.actor, responseError: null },
  });
  await markInsightsStale(rawSql(), shopId, disputeTime(done));
  return record(
    shopId,
    done,
    disputeId,
    by,
    state.action,
    { ok: true, replayed: false, dispute: done },
    { key, fields: answer === "submit" ? Object.keys(draft.texts).concat(Object.keys(draft.files)) : [] },
  );
}

/** "Submit evidence": final. Sends the current draft, then submits it, exactly once. */
export const submitDisputeEvidence = (shopId: string, disputeId: string, by: Actor, options: RespondOptions = {}) =>
  answerOnce("submit", shopId, disputeId, by, options);

/** "Accept dispute": final. The merchant gives up the disputed amount. */
export const acceptDispute = (shopId: string, disputeId: string, by: Actor, options: RespondOptions = {}) =>
  answerOnce("accept", shopId, disputeId, by, options);

/** Whether the evidence can be sent now, and what is missing for it to be complete. */
export function evidenceReadiness(dispute: Dispute, now = new Date()) {
  const draft = parseDraft(dispute.evidenceDraft);
  const refusal = evidenceRefusal(dispute, now);
  const missing = missingEvidence(draft);
  return { canSend: !refusal && hasEvidence(draft), complete: hasEvidence(draft) && missing.length === 0, missing, refusal };
}
