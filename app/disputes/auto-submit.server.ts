// Optional automatic submission (off by default): a chosen number of days before the deadline, a
// dispute whose evidence is complete (every chosen evidence type has a text or a file) is submitted
// as if the merchant had clicked "Submit evidence". It runs as an hourly job per shop that schedules
// its successor while the setting is on; turning the setting on, or any dispute sync, restarts it.
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import { enqueueJob, JOB_KINDS, type JobHandler } from "../queue/jobs.server";
import { log } from "../log.server";
import type { Actor } from "./draft.server";
import { buildIfDue } from "./evidence.server";
import { evidenceReadiness, submitDisputeEvidence, type DisputeActionResult, type RespondOptions } from "./respond.server";

const PERIOD_MS = 60 * 60_000;
const AUTOMATIC: Actor = { actor: "Automatic submission", source: "system" };

/** Makes sure this hour's run exists (the job key is the hour, so this is idempotent). */
export async function scheduleAutoSubmit(shopId: string, at: Date = new Date()) {
  const settings = await db().shopSettings.findUnique({ where: { shopId } });
  if (!settings?.autoSubmitEvidence) return;
  const hour = new Date(Math.floor(at.getTime() / PERIOD_MS) * PERIOD_MS);
  await enqueueJob(shopId, JOB_KINDS.disputeAutoSubmit, hour.toISOString(), {}, { runAt: at });
}

/** Submits every complete, unanswered dispute of the shop whose deadline is within the chosen days. */
export async function autoSubmitDue(shopId: string, options: RespondOptions = {}): Promise<Array<{ disputeId: string; result: DisputeActionResult }>> {
  const now = options.now?.() ?? new Date();
  const settings = await db().shopSettings.findUnique({ where: { shopId } });
  if (!settings?.autoSubmitEvidence) return [];
  const horizon = new Date(now.getTime() + settings.autoSubmitDaysBefore * 86_400_000);
  const due = await db().dispute.findMany({
    where: { shopId, status: "evidence_required", responseState: "none", evidenceRequiredBy: { gt: now, lte: horizon } },
    orderBy: { evidenceRequiredBy: "asc" },
  });
  const results: Array<{ disputeId: string; result: DisputeActionResult }> = [];
  for (const candidate of due) {
    // A draft that cannot be built now (Shopify down) is tried again at the next run.
    const built = await buildIfDue(candidate.id, shopId, AUTOMATIC).then(
      () => true,
      (error) => (log.warn("disputes.auto_submit_build_failed", { shopId, disputeId: candidate.id, error }), false),
    );
    if (!built) continue;
    const dispute = await db().dispute.findUniqueOrThrow({ where: { id: candidate.id } });
    if (!dispute.evidenceBuiltAt || !evidenceReadiness(dispute, now).complete) continue;
    results.push({ disputeId: dispute.id, result: await submitDisputeEvidence(shopId, dispute.id, AUTOMATIC, options) });
  }
  return results;
}

export const autoSubmitJob: JobHandler = async (job) => {
  await autoSubmitDue(job.shopId);
  await scheduleAutoSubmit(job.shopId, new Date((Math.floor(Date.now() / PERIOD_MS) + 1) * PERIOD_MS));
};

const autoSubmitFormSchema = z.object({
  autoSubmitEvidence: z
    .enum(["true", "false", "on"])
    .optional()
    .transform((v) => v === "true" || v === "on"),
  autoSubmitDaysBefore: z.coerce
    .number({ invalid_type_error: "Enter a number of days." })
    .int("Enter a whole number of days.")
    .min(1, "At least 1 day.")
    .max(14, "At most 14 days."),
});

export type AutoSubmitSettingsResult = { ok: true; enabled: boolean; days: number } | { ok: false; fieldErrors: Record<string, string> };

export async function updateAutoSubmitSettings(shopId: string, form: Record<string, unknown>, by: Actor): Promise<AutoSubmitSettingsResult> {
  const parsed = autoSubmitFormSchema.safeParse(form);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    await audit({
      shopId,
      ...by,
      action: "settings.auto_submit",
      details: { autoSubmitEvidence: form.autoSubmitEvidence, autoSubmitDaysBefore: form.autoSubmitDaysBefore },
      result: "error",
      error: Object.values(fieldErrors).join(" "),
    });
    return { ok: false, fieldErrors };
  }
  const data = { autoSubmitEvidence: parsed.data.autoSubmitEvidence, autoSubmitDaysBefore: parsed.data.autoSubmitDaysBefore };
  await db().shopSettings.upsert({ where: { shopId }, update: data, create: { shopId, ...data } });
  await audit({ shopId, ...by, action: "settings.auto_submit", details: data, result: "ok" });
  if (data.autoSubmitEvidence) await scheduleAutoSubmit(shopId);
  return { ok: true, enabled: data.autoSubmitEvidence, days: data.autoSubmitDaysBefore };
}
