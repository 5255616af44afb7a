-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "WebhookEvent_status_priority_nextAttemptAt_idx" ON "WebhookEvent"("status", "priority", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Job_status_priority_runAt_idx" ON "Job"("status", "priority", "runAt");

