-- CreateTable
CREATE TABLE "DisputeTicket" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "disputeId" TEXT NOT NULL,
    "ticketId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'creating',
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DisputeTicket_disputeId_fkey" FOREIGN KEY ("disputeId") REFERENCES "Dispute" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ZendeskAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "subdomain" TEXT NOT NULL,
    "authKind" TEXT NOT NULL,
    "email" TEXT,
    "accessTokenEnc" TEXT NOT NULL,
    "refreshTokenEnc" TEXT,
    "accessTokenExpiresAt" DATETIME,
    "scopes" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'connected',
    "statusDetail" TEXT,
    "connectedBy" TEXT NOT NULL,
    "connectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ZendeskAccount_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ZendeskAuthorization" (
    "state" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "subdomain" TEXT NOT NULL,
    "codeVerifierEnc" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ZendeskAuthorization_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShopSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ShopSettings" ("auditRetentionDays", "autoSubmitDaysBefore", "autoSubmitEvidence", "defaultStaffRole", "evidenceReminderHours", "flowTriggers", "jobRetentionDays", "matchWindowMinutes", "orderBlockSeenAt", "payloadRetentionDays", "retentionCounts", "retentionRunAt", "shopId", "updatedAt") SELECT "auditRetentionDays", "autoSubmitDaysBefore", "autoSubmitEvidence", "defaultStaffRole", "evidenceReminderHours", "flowTriggers", "jobRetentionDays", "matchWindowMinutes", "orderBlockSeenAt", "payloadRetentionDays", "retentionCounts", "retentionRunAt", "shopId", "updatedAt" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
CREATE TABLE "new_ZendeskConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "subdomain" TEXT NOT NULL,
    "sharedSecretEnc" TEXT NOT NULL,
    "secretLast4" TEXT NOT NULL,
    "allowRefunds" BOOLEAN NOT NULL DEFAULT true,
    "allowVoids" BOOLEAN NOT NULL DEFAULT true,
    "allowEvidence" BOOLEAN NOT NULL DEFAULT true,
    "allowCancel" BOOLEAN NOT NULL DEFAULT false,
    "previousSecretEnc" TEXT,
    "previousSecretExpiresAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    CONSTRAINT "ZendeskConnection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ZendeskConnection" ("allowEvidence", "allowRefunds", "allowVoids", "createdAt", "id", "revokedAt", "secretLast4", "sharedSecretEnc", "shopId", "subdomain") SELECT "allowEvidence", "allowRefunds", "allowVoids", "createdAt", "id", "revokedAt", "secretLast4", "sharedSecretEnc", "shopId", "subdomain" FROM "ZendeskConnection";
DROP TABLE "ZendeskConnection";
ALTER TABLE "new_ZendeskConnection" RENAME TO "ZendeskConnection";
CREATE INDEX "ZendeskConnection_shopId_idx" ON "ZendeskConnection"("shopId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "DisputeTicket_disputeId_key" ON "DisputeTicket"("disputeId");

-- CreateIndex
CREATE INDEX "DisputeTicket_shopId_idx" ON "DisputeTicket"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "ZendeskAccount_shopId_key" ON "ZendeskAccount"("shopId");

-- CreateIndex
CREATE INDEX "ZendeskAuthorization_shopId_idx" ON "ZendeskAuthorization"("shopId");

