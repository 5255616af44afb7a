// The merchant's edits to an evidence draft: texts (at most 500 characters each) and attached files
// (one per evidence field, replacing the generated one). Every change is refused once the dispute is
// answered, closed or past its deadline, and every change is audited.
import type { Dispute } from "@prisma/client";
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { EVIDENCE_FILE_FIELDS, type EvidenceFileField } from "../checkout/schemas";
import { db } from "../db.server";
import { messageWords, type FieldWords } from "../i18n/domain-words";
import type { Words } from "../i18n/locales";
import { sha256 } from "./evidence.server";
import { checkEvidenceFile } from "./files";
import { parseDraft, TEXT_FIELDS, TEXT_LIMIT, type EvidenceDraft } from "./model";
import { evidenceRefusal, refusalReason, type RefusalReason } from "./status";
import { fieldErrorsOf } from "../lib/form";

export interface Actor {
  actor: string;
  source: "admin" | "zendesk" | "system" | "agent";
}

/**
 * A refused change: `message` and `fieldErrors` in English (the audit log, Zendesk); `words` and
 * `fieldWords` say them in a staff member's language, and `refusal` is why an answered or closed
 * dispute's evidence cannot change (the screens put it in words with the shop's dates).
 */
export type DraftResult =
  | { ok: true; draft: EvidenceDraft }
  | {
      ok: false;
      message: string;
      words?: Words;
      refusal?: RefusalReason;
      fieldErrors?: Record<string, string>;
      fieldWords?: FieldWords;
      notFound?: true;
    };

class Refused extends Error {
  constructor(
    message: string,
    readonly words: Words,
  ) {
    super(message);
  }
}

/**
 * Applies `change` to the stored draft. The write is conditional on the row being unchanged since it
 * was read (and unanswered), so concurrent edits are retried on fresh data rather than lost.
 */
async function changeDraft(
  shopId: string,
  disputeId: string,
  change: (draft: EvidenceDraft, dispute: Dispute) => Promise<EvidenceDraft> | EvidenceDraft,
): Promise<DraftResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const dispute = await db().dispute.findFirst({ where: { id: disputeId, shopId } });
    if (!dispute) return { ok: false, message: "This dispute does not exist in this shop.", words: { key: "disputeNotFound" }, notFound: true };
    const refusal = refusalReason(dispute);
    if (refusal) return { ok: false, message: evidenceRefusal(dispute)!, refusal };
    let draft: EvidenceDraft;
    try {
      draft = await change(parseDraft(dispute.evidenceDraft), dispute);
    } catch (error) {
      if (error instanceof Refused) return { ok: false, message: error.message, words: error.words };
      throw error;
    }
    const written = await db().dispute.updateMany({
      where: { id: dispute.id, shopId, updatedAt: dispute.updatedAt, responseState: "none" },
      data: { evidenceDraft: JSON.stringify(draft) },
    });
    if (written.count === 1) return { ok: true, draft };
  }
  return {
    ok: false,
    message: "The evidence was being changed at the same time. Reload the page and try again.",
    words: { key: "disputes.changedMeanwhile" },
  };
}

const textMessages = messageWords("disputes");
const tooLong = textMessages.said("textTooLong", `At most ${TEXT_LIMIT} characters.`, { count: TEXT_LIMIT });
const textsSchema = z.object(
  Object.fromEntries(TEXT_FIELDS.map((f) => [f, z.string().max(TEXT_LIMIT, tooLong).optional()])) as Record<
    (typeof TEXT_FIELDS)[number],
    z.ZodOptional<z.ZodString>
  >,
);

/** Replaces the texts given (others are kept). An empty text removes the field. */
export async function updateEvidenceTexts(shopId: string, disputeId: string, form: Record<string, unknown>, by: Actor): Promise<DraftResult> {
  const trimmed = Object.fromEntries(
    TEXT_FIELDS.filter((f) => typeof form[f] === "string").map((f) => [f, (form[f] as string).replace(/\r\n?/g, "\n").trim()]),
  );
  const parsed = textsSchema.safeParse(trimmed);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return {
      ok: false,
      message: "Some texts are too long. Nothing was saved.",
      words: { key: "disputes.textsTooLong" },
      fieldErrors,
      fieldWords: textMessages.fieldWords(parsed.error),
    };
  }
  const result = await changeDraft(shopId, disputeId, (draft) => {
    const texts = { ...draft.texts };
    for (const [field, text] of Object.entries(parsed.data) as Array<[keyof EvidenceDraft["texts"], string | undefined]>) {
      if (text === undefined) continue;
      if (text) texts[field] = text;
      else delete texts[field];
    }
    return { ...draft, texts };
  });
  return audited(shopId, disputeId, by, "evidence.edit_texts", { fields: Object.keys(parsed.data) }, result);
}

const fieldSchema = z.enum(EVIDENCE_FILE_FIELDS);

/** Attaches a merchant file to an evidence field, in place of whatever file the field had. */
export async function attachEvidenceFile(
  shopId: string,
  disputeId: string,
  field: string,
  file: { name: string; data: Uint8Array },
  by: Actor,
): Promise<DraftResult> {
  const parsedField = fieldSchema.safeParse(field);
  const check = checkEvidenceFile(file.name, file.data);
  const result: DraftResult = !parsedField.success
    ? { ok: false, message: "Choose which evidence the file belongs to.", words: { key: "disputes.chooseField" } }
    : !check.ok
      ? { ok: false, message: check.message, words: check.words }
      : await changeDraft(shopId, disputeId, async (draft, dispute) => {
          const hash = sha256(file.data);
          const stored = await db().evidenceFile.upsert({
            where: { disputeId_field_sha256: { disputeId: dispute.id, field: parsedField.data, sha256: hash } },
            update: { generated: false },
            create: {
              shopId,
              disputeId: dispute.id,
              field: parsedField.data,
              filename: check.filename,
              contentType: check.contentType,
              sha256: hash,
              size: file.data.length,
              data: Buffer.from(file.data),
              generated: false,
            },
          });
          return { ...draft, files: { ...draft.files, [parsedField.data]: stored.id } };
        });
  return audited(shopId, disputeId, by, "evidence.attach_file", { field, name: file.name, size: file.data.length }, result);
}

/** Takes the file off a field; a generated file for the field, if one was built, takes its place. */
export async function removeEvidenceFile(shopId: string, disputeId: string, field: string, by: Actor): Promise<DraftResult> {
  const parsedField = fieldSchema.safeParse(field);
  if (!parsedField.success) return { ok: false, message: "Unknown evidence field.", words: { key: "disputes.unknownField" } };
  const result = await changeDraft(shopId, disputeId, async (draft) => {
    const currentId = draft.files[parsedField.data];
    if (!currentId) throw new Refused("This evidence has no file.", { key: "disputes.noFile" });
    const current = await db().evidenceFile.findFirst({ where: { id: currentId, shopId, disputeId } });
    const generated = current?.generated
      ? null
      : await db().evidenceFile.findFirst({ where: { shopId, disputeId, field: parsedField.data, generated: true }, orderBy: { createdAt: "desc" } });
    const files = { ...draft.files };
    if (generated) files[parsedField.data as EvidenceFileField] = generated.id;
    else delete files[parsedField.data as EvidenceFileField];
    return { ...draft, files };
  });
  return audited(shopId, disputeId, by, "evidence.remove_file", { field }, result);
}

const ticketIdSchema = z.string().regex(/^\d{1,20}$/);

/**
 * Keeps one Zendesk ticket out of the customer communication, or lets it back in. The merchant decides
 * what the bank reads: a ticket about another matter stays out of every later build.
 */
export async function setTicketExcluded(shopId: string, disputeId: string, ticketId: string, excluded: boolean, by: Actor): Promise<DraftResult> {
  const parsed = ticketIdSchema.safeParse(ticketId);
  if (!parsed.success) return { ok: false, message: "Unknown ticket.", words: { key: "disputes.unknownTicket" } };
  const result = await changeDraft(shopId, disputeId, (draft) => {
    const others = draft.excludedTickets.filter((id) => id !== parsed.data);
    return { ...draft, excludedTickets: excluded ? [...others, parsed.data] : others };
  });
  return audited(shopId, disputeId, by, excluded ? "evidence.exclude_ticket" : "evidence.include_ticket", { ticketId: parsed.data }, result);
}

/** Records the change and its outcome; the row names the dispute only when it is this shop's. */
async function audited(shopId: string, disputeId: string, by: Actor, action: string, details: Record<string, unknown>, result: DraftResult) {
  const owned = (await db().dispute.count({ where: { id: disputeId, shopId } })) === 1;
  await audit({
    shopId,
    ...by,
    action,
    disputeId: owned ? disputeId : null,
    details,
    result: result.ok ? "ok" : "error",
    error: result.ok ? null : result.message,
  });
  return result;
}
