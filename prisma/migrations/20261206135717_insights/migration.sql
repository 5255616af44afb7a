-- CreateTable
CREATE TABLE "InsightStaleHour" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "hour" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "InsightRollupState" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "timeZone" TEXT NOT NULL,
    "rebuiltAt" DATETIME,
    "refreshedAt" DATETIME
);

-- CreateTable
CREATE TABLE "InsightPaymentDay" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "refundedAmount" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "InsightDeclineDay" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "recoveredAmount" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "InsightDisputeDay" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "respondSeconds" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "InsightHoldDay" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "protectedAmount" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "CurrencyRate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "rate" REAL NOT NULL,
    "validFrom" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT,
    CONSTRAINT "CurrencyRate_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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
    "disputeTickets" BOOLEAN NOT NULL DEFAULT false,
    "disputeTicketMinAmounts" TEXT NOT NULL DEFAULT '[]',
    "disputeTicketCategories" TEXT NOT NULL DEFAULT '[]',
    "disputeTicketRequester" TEXT NOT NULL DEFAULT 'customer',
    "disputeTicketRequesterEmail" TEXT,
    "disputeTicketGroupId" TEXT,
    "disputeTicketTags" TEXT NOT NULL DEFAULT '[]',
    "defaultStaffRole" TEXT NOT NULL DEFAULT 'viewer',
    "orderBlockSeenAt" DATETIME,
    "payloadRetentionDays" INTEGER NOT NULL DEFAULT 30,
    "jobRetentionDays" INTEGER NOT NULL DEFAULT 30,
    "auditRetentionDays" INTEGER NOT NULL DEFAULT 365,
    "retentionRunAt" DATETIME,
    "retentionCounts" TEXT,
    "disputeThresholds" TEXT NOT NULL DEFAULT '[]',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShopSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ShopSettings" ("auditRetentionDays", "autoSubmitDaysBefore", "autoSubmitEvidence", "defaultStaffRole", "disputeTicketCategories", "disputeTicketGroupId", "disputeTicketMinAmounts", "disputeTicketRequester", "disputeTicketRequesterEmail", "disputeTicketTags", "disputeTickets", "evidenceReminderHours", "flowTriggers", "jobRetentionDays", "matchWindowMinutes", "orderBlockSeenAt", "payloadRetentionDays", "retentionCounts", "retentionRunAt", "shopId", "updatedAt") SELECT "auditRetentionDays", "autoSubmitDaysBefore", "autoSubmitEvidence", "defaultStaffRole", "disputeTicketCategories", "disputeTicketGroupId", "disputeTicketMinAmounts", "disputeTicketRequester", "disputeTicketRequesterEmail", "disputeTicketTags", "disputeTickets", "evidenceReminderHours", "flowTriggers", "jobRetentionDays", "matchWindowMinutes", "orderBlockSeenAt", "payloadRetentionDays", "retentionCounts", "retentionRunAt", "shopId", "updatedAt" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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

