// Data retention (docs/decisions/0015): how long a shop keeps processed webhook payloads, finished
// jobs, audit entries, evidence files and agents' idempotency keys, applied once a day per shop by the
// `data_retention` job.
// WebhookEvent and Job rows are the exactly-once guards of intake and of the queue, so they are shrunk,
// not deleted (except jobs keyed by a past hour or day, and reconciliation checks, which guard nothing). Payments and money actions
// are financial records and are not touched.
// Each kind is walked in windows along an index. A window is read, then one statement changes it by id
// and re-checks every condition, so a row that changed in between is left alone. Each statement is
// its own short transaction: SQLite's single writer is never held for long, and webhook intake
// takes its turns in between (decision 0010).
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import { REMOVED_PAYLOAD } from "../events/inbox-view";
import { log } from "../log.server";
import { queueNextDay, scheduleDailyJob } from "../queue/daily.server";
import { JOB_KINDS, type JobHandler } from "../queue/jobs.server";
import { fieldErrorsOf } from "../lib/form";
import { fieldWordsOf, type FieldWords } from "../i18n/domain-words";
import type { Words } from "../i18n/locales";
import { deleteExpiredPreviousSecrets } from "../zendesk/connections.server";

/** Rows per window: one read and one write statement. */
const BATCH = 500;
/** Evidence files per statement: each may be 4 MB. */
const FILE_BATCH = 20;
const DAY_MS = 86_400_000;
/** Evidence files are kept this long after their dispute closed. */
const EVIDENCE_DAYS_AFTER_CLOSE = 90;
/**
 * An agent's idempotency key (AgentRequest) is kept this long after its first use. It refuses the same
 * key with another request before anything is sent (decision 0022); agents retry within minutes or
 * hours, so a month is generous. Money is never moved twice past it: the money service finds the first
 * action by the key's intent on the MoneyAction, which is kept.
 */
const AGENT_KEY_DAYS = 30;
/**
 * Deleted, not shrunk: kinds keyed by a minute, an hour or a day, which their schedulers never queue
 * again once past, and reconciliation checks, which guard nothing (a check run again changes nothing) and are
 * queued for every recent linked payment every day by the sweep.
 */
const TIME_KEYED_KINDS: readonly string[] = [
  JOB_KINDS.disputeDeadlines,
  JOB_KINDS.dataRetention,
  JOB_KINDS.reconciliationSweep,
  JOB_KINDS.reconciliationCheck,
  JOB_KINDS.payoutImport,
  JOB_KINDS.insightsRollup,
];
/** Jobs that will never run again. */
const FINISHED_JOB_STATUSES = ["done", "dead", "canceled"];
const EMPTY_JOB_PAYLOAD = "{}";

/** The settings' allowed ranges, in days. */
const RETENTION_LIMITS = {
  payloadRetentionDays: { min: 7, max: 365 },
  jobRetentionDays: { min: 7, max: 365 },
  auditRetentionDays: { min: 90, max: 3650 },
} as const;

export interface RetentionCounts {
  eventPayloads: number;
  jobsShrunk: number;
  jobsDeleted: number;
  auditEntries: number;
  evidenceFiles: number;
}

/** Reads windows of up to `size` rows, each after the last row of the one before, and gives each to `change`. Returns the rows changed. */
async function inWindows<Row>(size: number, read: (after: Row | undefined) => Promise<Row[]>, change: (rows: Row[]) => Promise<number>): Promise<number> {
  let changed = 0;
  let after: Row | undefined;
  for (;;) {
    const rows = await read(after);
    if (rows.length) changed += await change(rows);
    if (rows.length < size) return changed;
    after = rows.at(-1);
  }
}

const idsOf = (rows: Array<{ id: string }>) => rows.map((r) => r.id);

/** Processed events lose their payload. The row stays, so a redelivery is still refused as a duplicate. */
function removeEventPayloads(shopId: string, cutoff: Date): Promise<number> {
  return inWindows(
    BATCH,
    // Along (shopId, receivedAt), in (receivedAt, id) order: an event processed before the cutoff was received before it.
    (after: { id: string; receivedAt: Date } | undefined) =>
      db().webhookEvent.findMany({
        where: {
          shopId,
          receivedAt: { lt: cutoff, gte: after?.receivedAt },
          ...(after && { OR: [{ receivedAt: { gt: after.receivedAt } }, { id: { gt: after.id } }] }),
        },
        orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
        select: { id: true, receivedAt: true },
        take: BATCH,
      }),
    async (rows) => {
      const { count } = await db().webhookEvent.updateMany({
        where: { id: { in: idsOf(rows) }, shopId, status: "processed", processedAt: { lt: cutoff }, payload: { not: REMOVED_PAYLOAD } },
        data: { payload: REMOVED_PAYLOAD },
      });
      return count;
    },
  );
}

/**
 * Finished jobs lose their payload and error, and keep (shopId, kind, key) as the guard. Kinds keyed by
 * a time are deleted instead. Only today's kinds are walked; a kind no longer enqueued keeps its rows.
 */
async function shrinkFinishedJobs(shopId: string, cutoff: Date): Promise<Pick<RetentionCounts, "jobsShrunk" | "jobsDeleted">> {
  const counts = { jobsShrunk: 0, jobsDeleted: 0 };
  const finishedBefore = {
    status: { in: FINISHED_JOB_STATUSES },
    // A dead or canceled job has no completion time: it was last due at runAt.
    OR: [{ completedAt: { lt: cutoff } }, { completedAt: null, runAt: { lt: cutoff } }],
  };
  for (const kind of Object.values(JOB_KINDS)) {
    const timeKeyed = TIME_KEYED_KINDS.includes(kind);
    const changed = await inWindows(
      BATCH,
      // Along the (shopId, kind, key) index.
      (after: { id: string; key: string } | undefined) =>
        db().job.findMany({ where: { shopId, kind, key: { gt: after?.key } }, orderBy: { key: "asc" }, select: { id: true, key: true }, take: BATCH }),
      async (rows) => {
        const where = { id: { in: idsOf(rows) }, shopId, ...finishedBefore };
        if (timeKeyed) return (await db().job.deleteMany({ where })).count;
        const notYetShrunk = { OR: [{ payload: { not: EMPTY_JOB_PAYLOAD } }, { lastError: { not: null } }] };
        const { count } = await db().job.updateMany({ where: { ...where, AND: [notYetShrunk] }, data: { payload: EMPTY_JOB_PAYLOAD, lastError: null } });
        return count;
      },
    );
    counts[timeKeyed ? "jobsDeleted" : "jobsShrunk"] += changed;
  }
  return counts;
}

/** Deletes `size` rows at a time, their ids read first, until a read finds fewer: the rows deleted leave the next read. */
function deleteInBatches(size: number, read: () => Promise<Array<{ id: string }>>, remove: (ids: string[]) => Promise<{ count: number }>): Promise<number> {
  return inWindows(size, read, async (rows) => (await remove(idsOf(rows))).count);
}

function deleteAuditEntries(shopId: string, cutoff: Date): Promise<number> {
  const old = { shopId, createdAt: { lt: cutoff } };
  return deleteInBatches(
    BATCH,
    () => db().auditLog.findMany({ where: old, orderBy: { createdAt: "asc" }, select: { id: true }, take: BATCH }),
    (ids) => db().auditLog.deleteMany({ where: { ...old, id: { in: ids } } }),
  );
}

/** Evidence files (the rows hold the bytes) of disputes closed before the cutoff. */
function deleteEvidenceFiles(shopId: string, cutoff: Date): Promise<number> {
  const ofDisputesClosedBefore = { shopId, dispute: { closedAt: { lt: cutoff } } };
  return deleteInBatches(
    FILE_BATCH,
    () => db().evidenceFile.findMany({ where: ofDisputesClosedBefore, select: { id: true }, take: FILE_BATCH }),
    (ids) => db().evidenceFile.deleteMany({ where: { ...ofDisputesClosedBefore, id: { in: ids } } }),
  );
}

/**
 * Agents' idempotency keys first used before the cutoff, token by token along (tokenId, key): the table
 * has no index by shop and time. Returns how many.
 */
async function deleteAgentKeys(shopId: string, cutoff: Date): Promise<number> {
  const tokens = await db().agentToken.findMany({ where: { shopId }, select: { id: true } });
  let deleted = 0;
  for (const { id: tokenId } of tokens) {
    const old = { shopId, tokenId, createdAt: { lt: cutoff } };
    deleted += await inWindows(
      BATCH,
      (after: { id: string; key: string } | undefined) =>
        db().agentRequest.findMany({ where: { ...old, key: { gt: after?.key } }, orderBy: { key: "asc" }, select: { id: true, key: true }, take: BATCH }),
      async (rows) => (await db().agentRequest.deleteMany({ where: { ...old, id: { in: idsOf(rows) } } })).count,
    );
  }
  return deleted;
}

/** The shop's settings, created with their defaults if missing. */
const settingsOf = (shopId: string) => db().shopSettings.upsert({ where: { shopId }, update: {}, create: { shopId } });

/** Applies the shop's retention policy now and records the run on its settings. Returns what it removed, by kind. */
export async function applyRetention(shopId: string): Promise<RetentionCounts> {
  const now = new Date();
  const settings = await settingsOf(shopId);
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const counts: RetentionCounts = {
    eventPayloads: await removeEventPayloads(shopId, daysAgo(settings.payloadRetentionDays)),
    ...(await shrinkFinishedJobs(shopId, daysAgo(settings.jobRetentionDays))),
    auditEntries: await deleteAuditEntries(shopId, daysAgo(settings.auditRetentionDays)),
    evidenceFiles: await deleteEvidenceFiles(shopId, daysAgo(EVIDENCE_DAYS_AFTER_CLOSE)),
  };
  // A rotated-out Zendesk secret past its grace is refused already; its sealed value goes here. Neither
  // it nor an agent's old idempotency key is a retention setting, so they are not counted.
  await deleteExpiredPreviousSecrets(shopId, now);
  await deleteAgentKeys(shopId, daysAgo(AGENT_KEY_DAYS));
  await db().shopSettings.update({ where: { shopId }, data: { retentionRunAt: now, retentionCounts: JSON.stringify(counts) } });
  return counts;
}

// ---------------------------------------------------------------------------------------------
// The daily job (app/queue/daily.server.ts): key the UTC day, so it runs once a day per shop.

/** Starts the shop's daily run unless one is waiting (after every Shopify authentication, app/shopify.server.ts). */
export function scheduleDataRetention(shopId: string, now = new Date()): Promise<void> {
  return scheduleDailyJob(shopId, JOB_KINDS.dataRetention, now);
}

/**
 * `data_retention`: the key is the day. It queues the next day's run before it works. Its own old rows
 * are deleted by the policy (TIME_KEYED_KINDS), while this run, which is processing, and the next one,
 * which is pending, are never touched.
 */
export const dataRetentionJob: JobHandler = async (job) => {
  await queueNextDay(job.shopId, JOB_KINDS.dataRetention);
  const counts = await applyRetention(job.shopId);
  log.info("retention.applied", { shopId: job.shopId, day: job.key, ...counts });
};

// ---------------------------------------------------------------------------------------------
// Settings → Data retention.

export interface RetentionView {
  payloadRetentionDays: number;
  jobRetentionDays: number;
  auditRetentionDays: number;
  evidenceDaysAfterClose: number;
  limits: typeof RETENTION_LIMITS;
  lastRun: { at: string; counts: RetentionCounts } | null;
}

export async function retentionView(shopId: string): Promise<RetentionView> {
  const settings = await settingsOf(shopId);
  return {
    payloadRetentionDays: settings.payloadRetentionDays,
    jobRetentionDays: settings.jobRetentionDays,
    auditRetentionDays: settings.auditRetentionDays,
    evidenceDaysAfterClose: EVIDENCE_DAYS_AFTER_CLOSE,
    limits: RETENTION_LIMITS,
    lastRun: settings.retentionRunAt
      ? { at: settings.retentionRunAt.toISOString(), counts: JSON.parse(settings.retentionCounts ?? "{}") as RetentionCounts }
      : null,
  };
}

const days = ({ min, max }: { min: number; max: number }) =>
  z.coerce
    .number({ invalid_type_error: "Enter a number of days." })
    .int("Enter a whole number of days.")
    .min(min, `At least ${min} days.`)
    .max(max, `At most ${max} days.`);

const retentionFormSchema = z.object({
  payloadRetentionDays: days(RETENTION_LIMITS.payloadRetentionDays),
  jobRetentionDays: days(RETENTION_LIMITS.jobRetentionDays),
  auditRetentionDays: days(RETENTION_LIMITS.auditRetentionDays),
});
type RetentionSettings = z.output<typeof retentionFormSchema>;

/** The words of a wrong number of days (errors.settings.retention.*), beside the schema's English. */
const retentionIssueWords = (issue: z.ZodIssue): Words | undefined => {
  if (issue.code === "too_small") return { key: "settings.retention.atLeast", values: { min: Number(issue.minimum) } };
  if (issue.code === "too_big") return { key: "settings.retention.atMost", values: { max: Number(issue.maximum) } };
  if (issue.code === "invalid_type") return { key: issue.expected === "integer" ? "settings.retention.wholeNumber" : "settings.retention.notNumber" };
  return undefined;
};

const RETENTION_CHANGED = "settings.retention_changed";

/** Validates and saves the shop's retention days, auditing the change (before and after) or the refusal. Nothing is saved when a field is wrong. */
export async function updateRetentionSettings(
  shopId: string,
  form: Record<string, unknown>,
  actor: string,
): Promise<{ ok: true } | { ok: false; fieldErrors: Record<string, string>; fieldWords: FieldWords }> {
  const parsed = retentionFormSchema.safeParse(form);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    const submitted = Object.fromEntries(Object.keys(retentionFormSchema.shape).map((field) => [field, form[field]]));
    await audit({
      shopId,
      actor,
      source: "admin",
      action: RETENTION_CHANGED,
      details: { submitted },
      result: "error",
      error: Object.values(fieldErrors).join(" "),
    });
    return { ok: false, fieldErrors, fieldWords: fieldWordsOf(parsed.error, retentionIssueWords) };
  }
  const after: RetentionSettings = parsed.data;
  await db().$transaction(async (tx) => {
    const current = await tx.shopSettings.upsert({ where: { shopId }, update: {}, create: { shopId } });
    const before: RetentionSettings = {
      payloadRetentionDays: current.payloadRetentionDays,
      jobRetentionDays: current.jobRetentionDays,
      auditRetentionDays: current.auditRetentionDays,
    };
    await tx.shopSettings.update({ where: { shopId }, data: after });
    await audit({ shopId, actor, source: "admin", action: RETENTION_CHANGED, details: { before, after }, result: "ok" }, tx);
  });
  return { ok: true };
}
