-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RiskRules_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RiskRules" ("amountThresholds", "enabled", "holdOnCardCountryMismatch", "holdOnCountryMismatch", "holdOnFlagged", "holdOnIpCountryMismatch", "monitorOnly", "scoreThreshold", "shopId", "updatedAt") SELECT "amountThresholds", "enabled", "holdOnCardCountryMismatch", "holdOnCountryMismatch", "holdOnFlagged", "holdOnIpCountryMismatch", "monitorOnly", "scoreThreshold", "shopId", "updatedAt" FROM "RiskRules";
DROP TABLE "RiskRules";
ALTER TABLE "new_RiskRules" RENAME TO "RiskRules";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Payment_shopId_cardFingerprint_createdAt_idx" ON "Payment"("shopId", "cardFingerprint", "createdAt");

-- CreateIndex
CREATE INDEX "Payment_shopId_ipAddress_createdAt_idx" ON "Payment"("shopId", "ipAddress", "createdAt");

