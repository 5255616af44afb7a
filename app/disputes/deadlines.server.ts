// The hourly dispute-deadline job, one per shop: it submits complete evidence automatically when the
// merchant turned that on (auto-submit.server.ts), and queues the Flow trigger "Dispute evidence due
// soon" for every unanswered dispute whose deadline is within the merchant's lead time, once per
// deadline (a new deadline is a new reminder). It schedules its successor while either is on; any
// dispute sync, turning automatic submission on and turning the trigger on (the Flow screen) restart it.
// The settings both read (days before for submission, hours before for the reminder) are saved here.
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import { enabledFlowTriggers } from "../flow/settings.server";
import { FLOW_TRIGGERS } from "../flow/triggers";
import { queueFlowTrigger } from "../flow/triggers.server";
import { enqueueJob, JOB_KINDS, type JobHandler } from "../queue/jobs.server";
import { autoSubmitDue } from "./auto-submit.server";
import { messageWords, type FieldWords } from "../i18n/domain-words";
import type { Actor } from "./draft.server";
import { fieldErrorsOf } from "../lib/form";

const HOUR_MS = 3_600_000;

/** What the job has to do for the shop: nothing once both are off. */
async function deadlineWork(shopId: string) {
  const [settings, triggers] = await Promise.all([db().shopSettings.findUnique({ where: { shopId } }), enabledFlowTriggers(shopId)]);
  return {
    autoSubmit: settings?.autoSubmitEvidence ?? false,
    reminders: triggers.includes(FLOW_TRIGGERS.dispute_evidence_due.handle),
  };
}

const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
const nextHourOf = (at: Date) => new Date(hourOf(at).getTime() + HOUR_MS);
const enqueueRun = (shopId: string, hour: Date, runAt: Date) => enqueueJob(shopId, JOB_KINDS.disputeDeadlines, hour.toISOString(), {}, { runAt });

/**
 * (Re)starts the shop's hourly job if it has something to do; idempotent (the job key is the hour).
 * When this hour's run exists already (it may have run and, finding nothing to do then, scheduled no
 * successor), the next hour's is scheduled, so a restart is never lost. True when a run is scheduled.
 */
export async function scheduleDisputeDeadlines(shopId: string, now: Date = new Date()): Promise<boolean> {
  const work = await deadlineWork(shopId);
  if (!work.autoSubmit && !work.reminders) return false;
  if (!(await enqueueRun(shopId, hourOf(now), now))) await enqueueRun(shopId, nextHourOf(now), nextHourOf(now));
  return true;
}

/**
 * Queues the "dispute evidence due soon" trigger for each unanswered dispute of the shop whose deadline
 * is ahead and within the lead time, keyed by the dispute and its deadline: running again queues
 * nothing new, a changed deadline queues a new reminder. Returns the disputes considered.
 */
export async function queueEvidenceReminders(shopId: string, now: Date = new Date()): Promise<Array<{ disputeId: string; key: string }>> {
  const [settings, triggers] = await Promise.all([db().shopSettings.findUnique({ where: { shopId } }), enabledFlowTriggers(shopId)]);
  if (!settings || !triggers.includes(FLOW_TRIGGERS.dispute_evidence_due.handle)) return [];
  const due = await db().dispute.findMany({
    where: {
      shopId,
      status: "evidence_required",
      responseState: "none",
      evidenceRequiredBy: { gt: now, lte: new Date(now.getTime() + settings.evidenceReminderHours * HOUR_MS) },
    },
    select: { id: true, evidenceRequiredBy: true },
    orderBy: { evidenceRequiredBy: "asc" },
  });
  const queued: Array<{ disputeId: string; key: string }> = [];
  for (const dispute of due) {
    const key = `${dispute.id}:${dispute.evidenceRequiredBy!.toISOString()}`;
    await queueFlowTrigger(shopId, "dispute_evidence_due", { disputeId: dispute.id }, { key });
    queued.push({ disputeId: dispute.id, key });
  }
  return queued;
}

/** `dispute_deadlines`: key the hour. Submits, reminds, and schedules the next hour while needed. */
export const disputeDeadlinesJob: JobHandler = async (job) => {
  const work = await deadlineWork(job.shopId);
  // Submission first: a dispute it answers needs no reminder.
  if (work.autoSubmit) await autoSubmitDue(job.shopId);
  if (work.reminders) await queueEvidenceReminders(job.shopId);
  // Its successor, while there is still something to do (re-read: a setting may have changed meanwhile).
  const next = nextHourOf(new Date());
  const still = await deadlineWork(job.shopId);
  if (still.autoSubmit || still.reminders) await enqueueRun(job.shopId, next, next);
};

type FieldErrors = Record<string, string>;
/** A refused settings form: its field errors in English (audited), and their words for the screen. */
type Refused = { ok: false; fieldErrors: FieldErrors; fieldWords: FieldWords };

/** The settings forms' messages: English in the schemas, with words for the staff member's language. */
const messages = messageWords("disputes");

/** Validates a settings form, saves it to ShopSettings and audits either outcome. Nothing is saved when it is wrong. */
async function saveSettings<S extends z.AnyZodObject>(
  shopId: string,
  by: Actor,
  action: string,
  schema: S,
  form: Record<string, unknown>,
): Promise<{ ok: true; data: z.output<S> } | Refused> {
  const parsed = schema.safeParse(form);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    const submitted = Object.fromEntries(Object.keys(schema.shape).map((field) => [field, form[field]]));
    await audit({ shopId, ...by, action, details: submitted, result: "error", error: Object.values(fieldErrors).join(" ") });
    return { ok: false, fieldErrors, fieldWords: messages.fieldWords(parsed.error) };
  }
  const data: z.output<S> = parsed.data;
  await db().shopSettings.upsert({ where: { shopId }, update: data, create: { shopId, ...data } });
  await audit({ shopId, ...by, action, details: data, result: "ok" });
  return { ok: true, data };
}

const autoSubmitFormSchema = z.object({
  autoSubmitEvidence: z
    .enum(["true", "false", "on"])
    .optional()
    .transform((v) => v === "true" || v === "on"),
  autoSubmitDaysBefore: z.coerce
    .number({ invalid_type_error: messages.said("settings.days", "Enter a number of days.") })
    .int(messages.said("settings.wholeDays", "Enter a whole number of days."))
    .min(1, messages.said("settings.atLeastDays", "At least 1 day.", { count: 1 }))
    .max(14, messages.said("settings.atMostDays", "At most 14 days.", { count: 14 })),
});

export type AutoSubmitSettingsResult = { ok: true; enabled: boolean; days: number } | Refused;

export async function updateAutoSubmitSettings(shopId: string, form: Record<string, unknown>, by: Actor): Promise<AutoSubmitSettingsResult> {
  const saved = await saveSettings(shopId, by, "settings.auto_submit", autoSubmitFormSchema, form);
  if (!saved.ok) return saved;
  if (saved.data.autoSubmitEvidence) await scheduleDisputeDeadlines(shopId);
  return { ok: true, enabled: saved.data.autoSubmitEvidence, days: saved.data.autoSubmitDaysBefore };
}

const evidenceReminderFormSchema = z.object({
  evidenceReminderHours: z.coerce
    .number({ invalid_type_error: messages.said("settings.hours", "Enter a number of hours.") })
    .int(messages.said("settings.wholeHours", "Enter a whole number of hours."))
    .min(1, messages.said("settings.atLeastHours", "At least 1 hour.", { count: 1 }))
    .max(336, messages.said("settings.atMostHours", "At most 336 hours (14 days).", { count: 336, days: 14 })),
});

export type EvidenceReminderSettingsResult = { ok: true; hours: number } | Refused;

/** The lead time of the "dispute evidence due soon" reminder, in hours before the deadline. */
export async function updateEvidenceReminderSettings(shopId: string, form: Record<string, unknown>, by: Actor): Promise<EvidenceReminderSettingsResult> {
  const saved = await saveSettings(shopId, by, "settings.evidence_reminder", evidenceReminderFormSchema, form);
  if (!saved.ok) return saved;
  return { ok: true, hours: saved.data.evidenceReminderHours };
}
