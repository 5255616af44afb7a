-- AlterTable
ALTER TABLE "Hold" ADD COLUMN "assignedAt" DATETIME;
ALTER TABLE "Hold" ADD COLUMN "assignedBy" TEXT;
ALTER TABLE "Hold" ADD COLUMN "assigneeName" TEXT;
ALTER TABLE "Hold" ADD COLUMN "assigneeUserId" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ShopSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "matchWindowMinutes" INTEGER NOT NULL DEFAULT 1440,
    "flowTriggers" TEXT NOT NULL DEFAULT '[]',
    "autoSubmitEvidence" BOOLEAN NOT NULL DEFAULT false,
    "autoSubmitDaysBefore" INTEGER NOT NULL DEFAULT 2,
    "evidenceReminderHours" INTEGER NOT NULL DEFAULT 72,
    "defaultStaffRole" TEXT NOT NULL DEFAULT 'viewer',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShopSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ShopSettings" ("autoSubmitDaysBefore", "autoSubmitEvidence", "defaultStaffRole", "flowTriggers", "matchWindowMinutes", "shopId", "updatedAt") SELECT "autoSubmitDaysBefore", "autoSubmitEvidence", "defaultStaffRole", "flowTriggers", "matchWindowMinutes", "shopId", "updatedAt" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
CREATE TABLE "new_RiskRules" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "monitorOnly" BOOLEAN NOT NULL DEFAULT false,
    "holdOnFlagged" BOOLEAN NOT NULL DEFAULT true,
    "scoreThreshold" INTEGER DEFAULT 70,
    "amountThresholds" TEXT NOT NULL DEFAULT '{}',
    "holdOnCountryMismatch" BOOLEAN NOT NULL DEFAULT false,
    "holdOnIpCountryMismatch" BOOLEAN NOT NULL DEFAULT false,
    "holdOnCardCountryMismatch" BOOLEAN NOT NULL DEFAULT false,
    "earlyWarningRefundUpTo" TEXT NOT NULL DEFAULT '{}',
    "velocityHours" INTEGER NOT NULL DEFAULT 24,
    "velocityMaxPayments" INTEGER,
    "velocityMaxCards" INTEGER,
    "holdOnAvsNoMatch" BOOLEAN NOT NULL DEFAULT false,
    "holdOnCvvNoMatch" BOOLEAN NOT NULL DEFAULT false,
    "holdOn3dsOutcomes" TEXT NOT NULL DEFAULT '[]',
    "holdOnPriorChargeback" BOOLEAN NOT NULL DEFAULT false,
    "holdOnPriorRefund" BOOLEAN NOT NULL DEFAULT false,
    "cancelOnDenyListHit" BOOLEAN NOT NULL DEFAULT false,
    "shipByHours" INTEGER,
    "shipByWarningHours" INTEGER NOT NULL DEFAULT 4,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RiskRules_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RiskRules" ("amountThresholds", "earlyWarningRefundUpTo", "enabled", "holdOn3dsOutcomes", "holdOnAvsNoMatch", "holdOnCardCountryMismatch", "holdOnCountryMismatch", "holdOnCvvNoMatch", "holdOnFlagged", "holdOnIpCountryMismatch", "holdOnPriorChargeback", "holdOnPriorRefund", "monitorOnly", "scoreThreshold", "shopId", "updatedAt", "velocityHours", "velocityMaxCards", "velocityMaxPayments") SELECT "amountThresholds", "earlyWarningRefundUpTo", "enabled", "holdOn3dsOutcomes", "holdOnAvsNoMatch", "holdOnCardCountryMismatch", "holdOnCountryMismatch", "holdOnCvvNoMatch", "holdOnFlagged", "holdOnIpCountryMismatch", "holdOnPriorChargeback", "holdOnPriorRefund", "monitorOnly", "scoreThreshold", "shopId", "updatedAt", "velocityHours", "velocityMaxCards", "velocityMaxPayments" FROM "RiskRules";
DROP TABLE "RiskRules";
ALTER TABLE "new_RiskRules" RENAME TO "RiskRules";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Payment_shopId_ckoCustomerId_idx" ON "Payment"("shopId", "ckoCustomerId");

-- CreateIndex
CREATE INDEX "Hold_shopId_assigneeUserId_idx" ON "Hold"("shopId", "assigneeUserId");


-- The hourly dispute job now also sends evidence reminders: one kind for both (app/disputes/deadlines.server.ts).
UPDATE "Job" SET "kind" = 'dispute_deadlines' WHERE "kind" = 'dispute_auto_submit';
