// Jobs that run once a day per shop (data retention, the reconciliation sweep), keyed by the UTC day
// ("2026-12-05"), so a day runs once. Each run queues the next day's before it works, so a failing run
// does not end the chain; that day follows today, not the run's key, so a worker that was down for
// days does not catch up run by run.
import { db } from "../db.server";
import { enqueueJob } from "./jobs.server";

const DAY_MS = 86_400_000;

/** The UTC day of a time, e.g. "2026-12-05". */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);
/** Midnight UTC of a day. */
export const startOf = (day: string) => new Date(`${day}T00:00:00.000Z`);
const dayAfter = (day: string) => dayOf(new Date(startOf(day).getTime() + DAY_MS));
const enqueueRun = (shopId: string, kind: string, day: string, runAt: Date) => enqueueJob(shopId, kind, day, {}, { runAt });

/**
 * Starts the shop's daily runs of `kind` unless one is waiting: today's run, or, when today's exists (it
 * ran, or an uninstall canceled it), the first later day without one. Called after every Shopify
 * authentication (app/shopify.server.ts): an install, a reinstall (the uninstall canceled the waiting
 * run), and a staff member's daily token, which is how shops installed before the kind existed get
 * their first run. From the first run on, each run queues the next.
 */
export async function scheduleDailyJob(shopId: string, kind: string, now = new Date()): Promise<void> {
  const waiting = await db().job.findFirst({ where: { shopId, kind, status: { in: ["pending", "processing"] } }, select: { id: true } });
  if (waiting) return;
  // Runs queue only the next day, so at most today's and tomorrow's exist: this ends by the third day.
  let day = dayOf(now);
  while (!(await enqueueRun(shopId, kind, day, day === dayOf(now) ? now : startOf(day)))) day = dayAfter(day);
}

/** Queues tomorrow's run of `kind` (a run calls this first). */
export async function queueNextDay(shopId: string, kind: string, now = new Date()): Promise<void> {
  const tomorrow = dayAfter(dayOf(now));
  await enqueueRun(shopId, kind, tomorrow, startOf(tomorrow));
}
