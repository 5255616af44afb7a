-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "evidenceReminderHours" INTEGER NOT NULL DEFAULT 72;

-- AlterTable
ALTER TABLE "RiskRules" ADD COLUMN     "cancelOnDenyListHit" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "shipByHours" INTEGER,
ADD COLUMN     "shipByWarningHours" INTEGER NOT NULL DEFAULT 4;

-- AlterTable
ALTER TABLE "Hold" ADD COLUMN     "assignedAt" TIMESTAMP(3),
ADD COLUMN     "assignedBy" TEXT,
ADD COLUMN     "assigneeName" TEXT,
ADD COLUMN     "assigneeUserId" TEXT;

-- CreateIndex
CREATE INDEX "Payment_shopId_ckoCustomerId_idx" ON "Payment"("shopId", "ckoCustomerId");

-- CreateIndex
CREATE INDEX "Hold_shopId_assigneeUserId_idx" ON "Hold"("shopId", "assigneeUserId");


-- The hourly dispute job now also sends evidence reminders: one kind for both (app/disputes/deadlines.server.ts).
UPDATE "Job" SET "kind" = 'dispute_deadlines' WHERE "kind" = 'dispute_auto_submit';
