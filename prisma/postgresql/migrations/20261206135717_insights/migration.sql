-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "disputeThresholds" TEXT NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "InsightStaleHour" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "hour" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InsightStaleHour_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InsightRollupState" (
    "shopId" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "rebuiltAt" TIMESTAMP(3),
    "refreshedAt" TIMESTAMP(3),

    CONSTRAINT "InsightRollupState_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "InsightPaymentDay" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "payments" INTEGER NOT NULL,
    "approved" INTEGER NOT NULL,
    "approvedAmount" BIGINT NOT NULL,
    "declined" INTEGER NOT NULL,
    "declinedAmount" BIGINT NOT NULL,
    "captured" INTEGER NOT NULL,
    "capturedAmount" BIGINT NOT NULL,
    "captureSeconds" BIGINT NOT NULL,
    "refundedAmount" BIGINT NOT NULL,

    CONSTRAINT "InsightPaymentDay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InsightDeclineDay" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "declineClass" TEXT NOT NULL,
    "responseCode" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "cardCountry" TEXT NOT NULL,
    "scheme" TEXT NOT NULL,
    "bin" TEXT NOT NULL,
    "declines" INTEGER NOT NULL,
    "amount" BIGINT NOT NULL,
    "recovered" INTEGER NOT NULL,
    "recoveredAmount" BIGINT NOT NULL,

    CONSTRAINT "InsightDeclineDay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InsightDisputeDay" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "disputes" INTEGER NOT NULL,
    "amount" BIGINT NOT NULL,
    "won" INTEGER NOT NULL,
    "wonAmount" BIGINT NOT NULL,
    "lost" INTEGER NOT NULL,
    "lostAmount" BIGINT NOT NULL,
    "evidenceSubmitted" INTEGER NOT NULL,
    "accepted" INTEGER NOT NULL,
    "respondSeconds" BIGINT NOT NULL,

    CONSTRAINT "InsightDisputeDay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InsightHoldDay" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "monitorOnly" BOOLEAN NOT NULL,
    "holds" INTEGER NOT NULL,
    "amount" BIGINT NOT NULL,
    "released" INTEGER NOT NULL,
    "canceled" INTEGER NOT NULL,
    "decisionSeconds" BIGINT NOT NULL,
    "protectedAmount" BIGINT NOT NULL,

    CONSTRAINT "InsightHoldDay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CurrencyRate" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "rate" DOUBLE PRECISION NOT NULL,
    "validFrom" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT,

    CONSTRAINT "CurrencyRate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InsightStaleHour_shopId_createdAt_idx" ON "InsightStaleHour"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "InsightPaymentDay_shopId_day_currency_country_key" ON "InsightPaymentDay"("shopId", "day", "currency", "country");

-- CreateIndex
CREATE INDEX "InsightDeclineDay_shopId_day_idx" ON "InsightDeclineDay"("shopId", "day");

-- CreateIndex
CREATE INDEX "InsightDisputeDay_shopId_day_idx" ON "InsightDisputeDay"("shopId", "day");

-- CreateIndex
CREATE INDEX "InsightHoldDay_shopId_day_idx" ON "InsightHoldDay"("shopId", "day");

-- CreateIndex
CREATE UNIQUE INDEX "CurrencyRate_shopId_currency_validFrom_key" ON "CurrencyRate"("shopId", "currency", "validFrom");

-- CreateIndex
CREATE INDEX "Hold_shopId_decidedAt_idx" ON "Hold"("shopId", "decidedAt");

-- CreateIndex
CREATE INDEX "Dispute_shopId_receivedOn_idx" ON "Dispute"("shopId", "receivedOn");

-- AddForeignKey
ALTER TABLE "CurrencyRate" ADD CONSTRAINT "CurrencyRate_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

