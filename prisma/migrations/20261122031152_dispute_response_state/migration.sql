-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Dispute" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "ckoDisputeId" TEXT NOT NULL,
    "paymentId" TEXT,
    "ckoPaymentId" TEXT,
    "orderGid" TEXT,
    "category" TEXT,
    "reasonCode" TEXT,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "evidenceRequiredBy" DATETIME,
    "relevantEvidence" TEXT NOT NULL DEFAULT '[]',
    "receivedOn" DATETIME,
    "evidenceDraft" TEXT NOT NULL DEFAULT '{}',
    "evidenceBuiltAt" DATETIME,
    "evidenceSavedAt" DATETIME,
    "submittedAt" DATETIME,
    "submittedBy" TEXT,
    "acceptedAt" DATETIME,
    "acceptedBy" TEXT,
    "responseState" TEXT NOT NULL DEFAULT 'none',
    "responseStartedAt" DATETIME,
    "responseError" TEXT,
    "lastSyncedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Dispute_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Dispute_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Dispute" ("acceptedAt", "amount", "category", "ckoDisputeId", "ckoPaymentId", "createdAt", "currency", "evidenceBuiltAt", "evidenceDraft", "evidenceRequiredBy", "evidenceSavedAt", "id", "lastSyncedAt", "orderGid", "paymentId", "reasonCode", "receivedOn", "relevantEvidence", "shopId", "status", "submittedAt", "submittedBy", "updatedAt") SELECT "acceptedAt", "amount", "category", "ckoDisputeId", "ckoPaymentId", "createdAt", "currency", "evidenceBuiltAt", "evidenceDraft", "evidenceRequiredBy", "evidenceSavedAt", "id", "lastSyncedAt", "orderGid", "paymentId", "reasonCode", "receivedOn", "relevantEvidence", "shopId", "status", "submittedAt", "submittedBy", "updatedAt" FROM "Dispute";
DROP TABLE "Dispute";
ALTER TABLE "new_Dispute" RENAME TO "Dispute";
CREATE INDEX "Dispute_shopId_evidenceRequiredBy_idx" ON "Dispute"("shopId", "evidenceRequiredBy");
CREATE UNIQUE INDEX "Dispute_shopId_ckoDisputeId_key" ON "Dispute"("shopId", "ckoDisputeId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

