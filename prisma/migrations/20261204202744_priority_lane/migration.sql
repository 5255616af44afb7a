-- A priority for inbox events and jobs (docs/decisions/0009). Written by hand as ADD COLUMN, which
-- SQLite does in place, rather than Prisma's copy of both tables (a large inbox would take long).
ALTER TABLE "WebhookEvent" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Job" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 0;

CREATE INDEX "WebhookEvent_status_priority_nextAttemptAt_idx" ON "WebhookEvent"("status", "priority", "nextAttemptAt");
CREATE INDEX "Job_status_priority_runAt_idx" ON "Job"("status", "priority", "runAt");
