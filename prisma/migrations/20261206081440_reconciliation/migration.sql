-- CreateTable
CREATE TABLE "ReconciliationIssue" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
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

-- CreateTable
CREATE TABLE "ReconciliationSweep" (
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "checked" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,

    PRIMARY KEY ("shopId", "day"),
    CONSTRAINT "ReconciliationSweep_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Payout" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "payoutId" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "entityId" TEXT,
    "currency" TEXT NOT NULL,
    "payoutDate" DATETIME NOT NULL,
    "gross" INTEGER NOT NULL,
    "refunds" INTEGER NOT NULL,
    "chargebacks" INTEGER NOT NULL,
    "processingFees" INTEGER NOT NULL,
    "schemeFees" INTEGER NOT NULL,
    "otherFees" INTEGER NOT NULL,
    "net" INTEGER NOT NULL,
    "lineCount" INTEGER NOT NULL,
    "linesTied" INTEGER NOT NULL,
    "linesOtherShop" INTEGER NOT NULL,
    "importedAt" DATETIME,
    CONSTRAINT "Payout_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PayoutLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "payoutRowId" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "actionType" TEXT NOT NULL,
    "ckoPaymentId" TEXT,
    "paymentId" TEXT,
    "belongs" TEXT NOT NULL,
    "reference" TEXT,
    "processingChannelId" TEXT,
    "processedOn" DATETIME NOT NULL,
    "currency" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "processingFees" INTEGER NOT NULL,
    "schemeFees" INTEGER NOT NULL,
    "otherFees" INTEGER NOT NULL,
    "net" INTEGER NOT NULL,
    CONSTRAINT "PayoutLine_payoutRowId_fkey" FOREIGN KEY ("payoutRowId") REFERENCES "Payout" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PayoutImport" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "importedUpTo" DATETIME,
    "lastRunAt" DATETIME,
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "retryAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PayoutImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ReconciliationIssue_shopId_status_kind_idx" ON "ReconciliationIssue"("shopId", "status", "kind");

-- CreateIndex
CREATE INDEX "ReconciliationIssue_paymentId_idx" ON "ReconciliationIssue"("paymentId");

-- CreateIndex
CREATE UNIQUE INDEX "ReconciliationIssue_shopId_paymentId_orderGid_kind_key" ON "ReconciliationIssue"("shopId", "paymentId", "orderGid", "kind");

-- CreateIndex
CREATE INDEX "Payout_shopId_payoutDate_idx" ON "Payout"("shopId", "payoutDate");

-- CreateIndex
CREATE UNIQUE INDEX "Payout_shopId_payoutId_key" ON "Payout"("shopId", "payoutId");

-- CreateIndex
CREATE INDEX "PayoutLine_payoutRowId_processedOn_idx" ON "PayoutLine"("payoutRowId", "processedOn");

-- CreateIndex
CREATE UNIQUE INDEX "PayoutLine_shopId_actionId_key" ON "PayoutLine"("shopId", "actionId");

