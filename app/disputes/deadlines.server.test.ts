// The hourly dispute-deadline job: one "dispute evidence due soon" reminder per unanswered dispute and
// deadline within the merchant's lead time (none for answered, closed or past-deadline disputes, none
// while the trigger is off), automatic submission first, and a successor only while either is on.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDispute, startDisputeWorld, type DisputeWorld } from "../../test/helpers/disputes";
import { createShop } from "../../test/helpers/factories";
import { installShop } from "../../test/helpers/holds";
import { db } from "../db.server";
import { JOB_HANDLERS } from "../events/registry.server";
import { saveFlowSettings } from "../flow/settings.server";
import { FLOW_TRIGGERS } from "../flow/triggers";
import { say } from "../i18n/i18n";
import { JOB_KINDS } from "../queue/jobs.server";
import { queueEvidenceReminders, scheduleDisputeDeadlines, updateAutoSubmitSettings, updateEvidenceReminderSettings } from "./deadlines.server";

const HOUR = 3_600_000;
const REMINDER = FLOW_TRIGGERS.dispute_evidence_due.handle;
const merchant = { actor: "merchant@example.com", source: "admin" as const };
const COMPLETE = ["proof_of_delivery_or_service", "invoice_or_receipt", "additional_evidence"];

let world: DisputeWorld;
beforeAll(async () => {
  world = await startDisputeWorld();
});
afterAll(async () => world?.close());

function setTriggers(shopId: string, handles: string[]) {
  const form = new FormData();
  for (const handle of handles) form.append("trigger", handle);
  return saveFlowSettings(shopId, form);
}

/** A shop with the reminder trigger on (or off) and the given lead time. */
async function shopWith(options: { reminder?: boolean; hours?: number } = {}) {
  const shop = await createShop();
  if (options.reminder ?? true) await setTriggers(shop.id, [REMINDER]);
  await db().shopSettings.update({ where: { shopId: shop.id }, data: { evidenceReminderHours: options.hours ?? 72 } });
  return shop.id;
}

async function disputeRow(shopId: string, options: { dueInHours: number | null; status?: string; responseState?: string }) {
  return db().dispute.create({
    data: {
      shopId,
      ckoDisputeId: `dsp_${randomUUID().replaceAll("-", "").slice(0, 26)}`,
      amount: 5_000,
      currency: "USD",
      category: "fraudulent",
      status: options.status ?? "evidence_required",
      responseState: options.responseState ?? "none",
      evidenceRequiredBy: options.dueInHours === null ? null : new Date(Date.now() + options.dueInHours * HOUR),
    },
  });
}

/** The job as the worker runs it (through the registry). */
const runJob = (shopId: string, key = "test") =>
  JOB_HANDLERS[JOB_KINDS.disputeDeadlines]({ id: randomUUID(), shopId, kind: JOB_KINDS.disputeDeadlines, key, payload: {}, attempts: 1 });

const reminderKey = (d: { id: string; evidenceRequiredBy: Date | null }) => `dispute_evidence_due:${d.id}:${d.evidenceRequiredBy!.toISOString()}`;

async function reminders(shopId: string) {
  const jobs = await db().job.findMany({ where: { shopId, kind: JOB_KINDS.flowTrigger, key: { startsWith: "dispute_evidence_due:" } } });
  return jobs.map((j) => ({ key: j.key, payload: JSON.parse(j.payload) as unknown })).sort((a, b) => a.key.localeCompare(b.key));
}
const reminderKeys = async (shopId: string) => (await reminders(shopId)).map((r) => r.key);

const deadlineJobs = (shopId: string) => db().job.findMany({ where: { shopId, kind: JOB_KINDS.disputeDeadlines }, orderBy: { runAt: "asc" } });

describe("evidence reminders", () => {
  it("queues one reminder per unanswered dispute due within the lead time, once per deadline", async () => {
    const shopId = await shopWith({ hours: 72 });
    const otherShop = await shopWith({ hours: 72 });
    const soon = await disputeRow(shopId, { dueInHours: 24 });
    const edge = await disputeRow(shopId, { dueInHours: 71.5 });
    await disputeRow(shopId, { dueInHours: 73 });
    await disputeRow(shopId, { dueInHours: 24, responseState: "submitted" });
    await disputeRow(shopId, { dueInHours: 24, responseState: "submitting" });
    await disputeRow(shopId, { dueInHours: 24, status: "accepted", responseState: "accepted" });
    await disputeRow(shopId, { dueInHours: 24, status: "evidence_under_review" });
    await disputeRow(shopId, { dueInHours: 24, status: "won" });
    await disputeRow(shopId, { dueInHours: -1 });
    await disputeRow(shopId, { dueInHours: null });
    await disputeRow(otherShop, { dueInHours: 24 });

    await runJob(shopId);
    const queued = await reminders(shopId);
    expect(queued.map((r) => r.key)).toEqual([reminderKey(soon), reminderKey(edge)].sort());
    expect(queued.map((r) => r.payload)).toEqual(
      expect.arrayContaining([
        { trigger: "dispute_evidence_due", facts: { disputeId: soon.id } },
        { trigger: "dispute_evidence_due", facts: { disputeId: edge.id } },
      ]),
    );
    // Another shop's disputes are its own job's business.
    expect(await reminders(otherShop)).toEqual([]);

    // Running again queues nothing new.
    await runJob(shopId);
    expect(await reminderKeys(shopId)).toEqual([reminderKey(soon), reminderKey(edge)].sort());

    // A new deadline is a new reminder (the old one stays sent once).
    const moved = await db().dispute.update({ where: { id: soon.id }, data: { evidenceRequiredBy: new Date(Date.now() + 48 * HOUR) } });
    await runJob(shopId);
    expect(await reminderKeys(shopId)).toEqual([reminderKey(soon), reminderKey(edge), reminderKey(moved)].sort());
  });

  it("queues nothing while the Flow trigger is off, even when the job runs for automatic submission", async () => {
    const shopId = await shopWith({ reminder: false });
    await updateAutoSubmitSettings(shopId, { autoSubmitEvidence: "on", autoSubmitDaysBefore: "1" }, merchant);
    await disputeRow(shopId, { dueInHours: 30 });
    await runJob(shopId);
    expect(await queueEvidenceReminders(shopId)).toEqual([]);
    expect(await reminders(shopId)).toEqual([]);
  });

  it("looks no further ahead than the lead time, and follows it when the merchant changes it", async () => {
    const shopId = await shopWith({ hours: 10 });
    const near = await disputeRow(shopId, { dueInHours: 5 });
    const far = await disputeRow(shopId, { dueInHours: 20 });
    await runJob(shopId);
    expect(await reminderKeys(shopId)).toEqual([reminderKey(near)]);

    expect(await updateEvidenceReminderSettings(shopId, { evidenceReminderHours: "24" }, merchant)).toEqual({ ok: true, hours: 24 });
    await runJob(shopId);
    expect(await reminderKeys(shopId)).toEqual([reminderKey(near), reminderKey(far)].sort());
  });

  it("submits first: a dispute automatic submission answers gets no reminder", async () => {
    const installed = await installShop(world.shopify);
    const shopId = installed.shop.id;
    await setTriggers(shopId, [REMINDER]);
    await updateAutoSubmitSettings(shopId, { autoSubmitEvidence: "on", autoSubmitDaysBefore: "1" }, merchant);
    const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
    const submitted = await openDispute(world, { relevantEvidence: COMPLETE, evidenceRequiredBy: inHours(12) }, installed);
    const reminded = await openDispute(world, { relevantEvidence: COMPLETE, evidenceRequiredBy: inHours(40) }, installed);

    await runJob(shopId);
    expect((await db().dispute.findUniqueOrThrow({ where: { id: submitted.dispute.id } })).responseState).toBe("submitted");
    expect(await reminderKeys(shopId)).toEqual([reminderKey(reminded.dispute)]);
  });
});

describe("the hourly dispute-deadline job", () => {
  it("runs only while automatic submission or the reminder is on, scheduling its successor on the hour", async () => {
    const shopId = await shopWith({ reminder: false });
    expect(await scheduleDisputeDeadlines(shopId)).toBe(false);
    expect(await deadlineJobs(shopId)).toEqual([]);

    await setTriggers(shopId, [REMINDER]);
    const now = new Date();
    expect(await scheduleDisputeDeadlines(shopId, now)).toBe(true);
    const [first] = await deadlineJobs(shopId);
    expect(first).toMatchObject({ key: new Date(Math.floor(now.getTime() / HOUR) * HOUR).toISOString(), runAt: now });

    await runJob(shopId, first.key);
    const jobs = await deadlineJobs(shopId);
    expect(jobs).toHaveLength(2);
    expect(jobs[1].runAt.getTime()).toBeGreaterThan(Date.now());
    expect(jobs[1].runAt.getTime() % HOUR).toBe(0);
    expect(jobs[1].key).toBe(jobs[1].runAt.toISOString());

    // Both off: the next run schedules no successor.
    await setTriggers(shopId, []);
    await runJob(shopId, jobs[1].key);
    expect(await deadlineJobs(shopId)).toHaveLength(2);
    expect(await scheduleDisputeDeadlines(shopId)).toBe(false);

    // Turned on again within an hour whose run already happened: the next hour's run is scheduled.
    await setTriggers(shopId, [REMINDER]);
    const later = new Date(jobs[1].runAt.getTime() + 30 * 60_000);
    expect(await scheduleDisputeDeadlines(shopId, later)).toBe(true);
    const restarted = await deadlineJobs(shopId);
    expect(restarted).toHaveLength(3);
    expect(restarted[2].runAt.getTime()).toBe(jobs[1].runAt.getTime() + HOUR);
  });

  it("is started by turning automatic submission on, not by saving it off", async () => {
    const shopId = await shopWith({ reminder: false });
    await updateAutoSubmitSettings(shopId, { autoSubmitDaysBefore: "3" }, merchant);
    expect(await deadlineJobs(shopId)).toEqual([]);
    await updateAutoSubmitSettings(shopId, { autoSubmitEvidence: "true", autoSubmitDaysBefore: "3" }, merchant);
    expect(await deadlineJobs(shopId)).toHaveLength(1);
  });

  it("is restarted by a dispute sync while the reminder is on, and only then", async () => {
    const off = await installShop(world.shopify);
    await openDispute(world, {}, off);
    expect(await deadlineJobs(off.shop.id)).toEqual([]);

    const on = await installShop(world.shopify);
    await setTriggers(on.shop.id, [REMINDER]);
    expect(await deadlineJobs(on.shop.id)).toEqual([]);
    await openDispute(world, {}, on);
    expect(await deadlineJobs(on.shop.id)).toHaveLength(1);
  });
});

describe("the reminder's lead time", () => {
  it("is 72 hours by default and takes a whole number of hours from 1 to 336, audited", async () => {
    const shopId = await shopWith({ reminder: false });
    expect((await db().shopSettings.findUniqueOrThrow({ where: { shopId } })).evidenceReminderHours).toBe(72);
    expect(await updateEvidenceReminderSettings(shopId, { evidenceReminderHours: "336" }, merchant)).toEqual({ ok: true, hours: 336 });
    expect(await updateEvidenceReminderSettings(shopId, { evidenceReminderHours: "1" }, merchant)).toEqual({ ok: true, hours: 1 });
    const ok = await db().auditLog.findMany({ where: { shopId, action: "settings.evidence_reminder", result: "ok" }, orderBy: { createdAt: "asc" } });
    expect(ok.map((a) => JSON.parse(a.details))).toEqual([{ evidenceReminderHours: 336 }, { evidenceReminderHours: 1 }]);
    expect(ok[0]).toMatchObject({ actor: "merchant@example.com", source: "admin" });
  });

  it.each([
    ["0", "At least 1 hour.", "Mindestens 1 Stunde."],
    ["337", "At most 336 hours (14 days).", "Höchstens 336 Stunden (14 Tage)."],
    ["1.5", "Enter a whole number of hours.", "Geben Sie eine ganze Zahl von Stunden ein."],
    ["soon", "Enter a number of hours.", "Geben Sie eine Anzahl von Stunden ein."],
    [undefined, "Enter a number of hours.", "Geben Sie eine Anzahl von Stunden ein."],
  ])("refuses %j with a field error (%s, and in German) and saves nothing", async (value, message, german) => {
    const shopId = await shopWith({ reminder: false, hours: 48 });
    const refused = await updateEvidenceReminderSettings(shopId, { evidenceReminderHours: value }, merchant);
    expect(refused).toEqual({
      ok: false,
      fieldErrors: { evidenceReminderHours: message },
      fieldWords: { evidenceReminderHours: expect.objectContaining({ key: expect.stringMatching(/^disputes\.settings\./) }) },
    });
    if (refused.ok) return;
    expect(say("en", refused.fieldWords.evidenceReminderHours)).toBe(message);
    expect(say("de", refused.fieldWords.evidenceReminderHours)).toBe(german);
    expect((await db().shopSettings.findUniqueOrThrow({ where: { shopId } })).evidenceReminderHours).toBe(48);
    const audited = await db().auditLog.findMany({ where: { shopId, action: "settings.evidence_reminder" } });
    expect(audited).toEqual([expect.objectContaining({ result: "error", error: message })]);
  });
});
