-- CreateTable
CREATE TABLE "ReconciliationIssue" (
    "id" TEXT NOT NULL,
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
    "dismissedAt" TIMESTAMP(3),
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastCheckedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "ReconciliationIssue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconciliationSweep" (
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "checked" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ReconciliationSweep_pkey" PRIMARY KEY ("shopId","day")
);

-- CreateTable
CREATE TABLE "Payout" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "payoutId" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "entityId" TEXT,
    "currency" TEXT NOT NULL,
    "payoutDate" TIMESTAMP(3) NOT NULL,
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
    "importedAt" TIMESTAMP(3),

    CONSTRAINT "Payout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayoutLine" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "payoutRowId" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "actionType" TEXT NOT NULL,
    "ckoPaymentId" TEXT,
    "paymentId" TEXT,
    "belongs" TEXT NOT NULL,
    "reference" TEXT,
    "processingChannelId" TEXT,
    "processedOn" TIMESTAMP(3) NOT NULL,
    "currency" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "processingFees" INTEGER NOT NULL,
    "schemeFees" INTEGER NOT NULL,
    "otherFees" INTEGER NOT NULL,
    "net" INTEGER NOT NULL,

    CONSTRAINT "PayoutLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayoutImport" (
    "shopId" TEXT NOT NULL,
    "importedUpTo" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMP(3),
    "retryAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PayoutImport_pkey" PRIMARY KEY ("shopId")
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

-- AddForeignKey
ALTER TABLE "ReconciliationIssue" ADD CONSTRAINT "ReconciliationIssue_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconciliationIssue" ADD CONSTRAINT "ReconciliationIssue_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconciliationSweep" ADD CONSTRAINT "ReconciliationSweep_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoutLine" ADD CONSTRAINT "PayoutLine_payoutRowId_fkey" FOREIGN KEY ("payoutRowId") REFERENCES "Payout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoutImport" ADD CONSTRAINT "PayoutImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

