-- AlterTable
ALTER TABLE "RiskRules" ADD COLUMN     "earlyWarningRefundUpTo" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "holdOn3dsOutcomes" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "holdOnAvsNoMatch" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "holdOnCvvNoMatch" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "holdOnPriorChargeback" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "holdOnPriorRefund" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "velocityHours" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "velocityMaxCards" INTEGER,
ADD COLUMN     "velocityMaxPayments" INTEGER;

-- CreateIndex
CREATE INDEX "Payment_shopId_cardFingerprint_createdAt_idx" ON "Payment"("shopId", "cardFingerprint", "createdAt");

-- CreateIndex
CREATE INDEX "Payment_shopId_ipAddress_createdAt_idx" ON "Payment"("shopId", "ipAddress", "createdAt");

