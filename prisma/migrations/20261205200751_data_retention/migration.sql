-- AlterTable
ALTER TABLE "Dispute" ADD COLUMN "closedAt" DATETIME;

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
    "orderBlockSeenAt" DATETIME,
    "payloadRetentionDays" INTEGER NOT NULL DEFAULT 30,
    "jobRetentionDays" INTEGER NOT NULL DEFAULT 30,
    "auditRetentionDays" INTEGER NOT NULL DEFAULT 365,
    "retentionRunAt" DATETIME,
    "retentionCounts" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShopSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ShopSettings" ("autoSubmitDaysBefore", "autoSubmitEvidence", "defaultStaffRole", "evidenceReminderHours", "flowTriggers", "matchWindowMinutes", "orderBlockSeenAt", "shopId", "updatedAt") SELECT "autoSubmitDaysBefore", "autoSubmitEvidence", "defaultStaffRole", "evidenceReminderHours", "flowTriggers", "matchWindowMinutes", "orderBlockSeenAt", "shopId", "updatedAt" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Disputes closed before closedAt existed: their last change is the best known close time (at or after it).
UPDATE "Dispute" SET "closedAt" = "updatedAt" WHERE "status" NOT IN ('evidence_required', 'evidence_under_review', 'arbitration_under_review');
