-- CreateTable
CREATE TABLE "IndexedOrderTransaction" (
    "shopId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "transactionGid" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "gateway" TEXT,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "parentGid" TEXT,
    "errorCode" TEXT,
    "references" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL,
    "indexedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shopId", "orderGid", "transactionGid"),
    CONSTRAINT "IndexedOrderTransaction_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ReconciliationIssue" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "paymentId" TEXT,
    "subject" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "orderName" TEXT,
    "kind" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "checkoutAmount" INTEGER,
    "shopifyAmount" INTEGER,
    "amount" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "dismissReason" TEXT,
    "dismissedBy" TEXT,
    "dismissedAt" DATETIME,
    "firstSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastCheckedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    CONSTRAINT "ReconciliationIssue_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReconciliationIssue_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Every existing row is a payment's: its subject is the payment.
INSERT INTO "new_ReconciliationIssue" ("amount", "checkoutAmount", "currency", "dismissReason", "dismissedAt", "dismissedBy", "firstSeenAt", "id", "kind", "lastCheckedAt", "orderGid", "orderName", "paymentId", "subject", "resolvedAt", "shopId", "shopifyAmount", "status") SELECT "amount", "checkoutAmount", "currency", "dismissReason", "dismissedAt", "dismissedBy", "firstSeenAt", "id", "kind", "lastCheckedAt", "orderGid", "orderName", "paymentId", "paymentId", "resolvedAt", "shopId", "shopifyAmount", "status" FROM "ReconciliationIssue";
DROP TABLE "ReconciliationIssue";
ALTER TABLE "new_ReconciliationIssue" RENAME TO "ReconciliationIssue";
CREATE INDEX "ReconciliationIssue_shopId_status_kind_idx" ON "ReconciliationIssue"("shopId", "status", "kind");
CREATE INDEX "ReconciliationIssue_paymentId_idx" ON "ReconciliationIssue"("paymentId");
CREATE UNIQUE INDEX "ReconciliationIssue_shopId_subject_orderGid_kind_key" ON "ReconciliationIssue"("shopId", "subject", "orderGid", "kind");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "IndexedOrderTransaction_shopId_createdAt_idx" ON "IndexedOrderTransaction"("shopId", "createdAt");

