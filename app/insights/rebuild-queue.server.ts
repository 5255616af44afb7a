// Whether a shop's Insights roll-ups need a whole rebuild (none yet, or made in another time zone), and
// who makes it: a small shop's the refresh that finds it (rollup.server.ts), at once; a larger one's a
// job, queued here. Kept apart from the roll-ups so Shopify's authentication (app/shopify.server.ts, which
// the roll-ups reach through the holds) imports only this and the queue.
import { Prisma } from "@prisma/client";
import { rawSql } from "../db.server";
import { ident } from "../lib/sql.server";
import { enqueueJob, JOB_KINDS } from "../queue/jobs.server";

/**
 * A shop with fewer payments, disputes and holds than this (together) is rebuilt inside the refresh that
 * finds it unbuilt, a page load: a second or so. A larger one is rebuilt by a job (about 25 s a million payments).
 */
const INSIGHTS_INLINE_LIMIT = 20_000;

/** The start of a whole rebuild's insightsRollup job key; the refresh jobs' keys are minutes. */
const REBUILD_KEY = "rebuild:";

export const isRebuildJob = (key: string) => key.startsWith(REBUILD_KEY);

/** Shopify's zone for the shop; none is UTC. */
export const zoneOf = (ianaTimezone: string | null) => ianaTimezone ?? "UTC";

export interface RollupStatus {
  /** The shop's zone. */
  timeZone: string;
  /** The zone its roll-ups were made in: null none yet, "" while the first whole rebuild runs. */
  builtIn: string | null;
  rebuiltAt: Date | string | null;
  /** Stale marks wait. */
  stale: boolean;
  /** A whole rebuild's job waits or runs. */
  rebuilding: boolean;
}

/** Where the shop's roll-ups stand: one indexed query; null when there is no such shop. */
export async function rollupStatusOf(shopId: string): Promise<RollupStatus | null> {
  const [found] = await rawSql().$queryRaw<
    Array<{ ianaTimezone: string | null; timeZone: string | null; rebuiltAt: Date | string | null; stale: unknown; rebuilding: unknown }>
  >`
    SELECT s."ianaTimezone", r."timeZone", r."rebuiltAt",
      EXISTS (SELECT 1 FROM "InsightStaleHour" m WHERE m."shopId" = s."id") AS "stale",
      EXISTS (SELECT 1 FROM "Job" j WHERE j."shopId" = s."id" AND j."kind" = ${JOB_KINDS.insightsRollup}
        AND j."key" LIKE ${`${REBUILD_KEY}%`} AND j."status" IN ('pending', 'processing')) AS "rebuilding"
    FROM "Shop" s LEFT JOIN "InsightRollupState" r ON r."shopId" = s."id" WHERE s."id" = ${shopId}`;
  if (!found) return null;
  return {
    timeZone: zoneOf(found.ianaTimezone),
    builtIn: found.timeZone,
    rebuiltAt: found.rebuiltAt,
    stale: Boolean(found.stale),
    rebuilding: Boolean(found.rebuilding),
  };
}

/** Whether the shop has fewer than `limit` payments, disputes and holds together: each counted only up to the limit. */
async function isSmall(shopId: string, limit: number): Promise<boolean> {
  const upTo = (table: string) => Prisma.sql`(SELECT COUNT(*) FROM (SELECT 1 FROM ${ident(table)} WHERE "shopId" = ${shopId} LIMIT ${limit}) t)`;
  const [{ records }] = await rawSql().$queryRaw<Array<{ records: unknown }>>`
    SELECT ${upTo("Payment")} + ${upTo("Dispute")} + ${upTo("Hold")} AS "records"`;
  return Number(records) < limit;
}

export interface RebuildPolicy {
  /** Below this many payments, disputes and holds a whole rebuild runs at once (INSIGHTS_INLINE_LIMIT). */
  inlineLimit?: number;
}

/**
 * Whether the shop's roll-ups need a whole rebuild, and who makes it: nobody, the caller at once (a small
 * shop), or the job, queued here once however often it is asked for (and "job" while it waits or runs).
 */
export async function planRebuild(shopId: string, status: RollupStatus, policy: RebuildPolicy = {}): Promise<"none" | "inline" | "job"> {
  if (status.rebuilding) return "job";
  if (status.builtIn === status.timeZone) return "none";
  if (await isSmall(shopId, policy.inlineLimit ?? INSIGHTS_INLINE_LIMIT)) return "inline";
  // Keyed by the last rebuild too: a shop moved back to a zone it was built in once is built again.
  const last = status.rebuiltAt === null ? "never" : new Date(status.rebuiltAt).toISOString();
  await enqueueJob(shopId, JOB_KINDS.insightsRollup, `${REBUILD_KEY}${status.timeZone}:${last}`);
  return "job";
}

/**
 * After a Shopify authentication: a shop whose roll-ups need a whole rebuild (installed before Insights,
 * or its zone changed) and that is too large to rebuild within a page load has the rebuild queued, so it
 * is built before anyone opens Insights. A small shop's is left to its first refresh.
 */
export async function queueInsightsRebuild(shopId: string, policy: RebuildPolicy = {}): Promise<void> {
  const status = await rollupStatusOf(shopId);
  if (status) await planRebuild(shopId, status, policy);
}
