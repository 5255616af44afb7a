-- AlterTable
ALTER TABLE "CheckoutConnection" ADD COLUMN "previousWebhookKeyEnc" TEXT;
ALTER TABLE "CheckoutConnection" ADD COLUMN "previousWebhookKeyLast4" TEXT;
ALTER TABLE "CheckoutConnection" ADD COLUMN "previousWebhookKeyUntil" DATETIME;

-- CreateTable
CREATE TABLE "ZendeskRefundCap" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "maxAmount" INTEGER,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ZendeskRefundCap_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ZendeskConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Each connection's single limit (typed in the shop's currency) becomes that currency's cap; other
-- currencies get none, so they cannot be refunded from Zendesk until the merchant sets one.
INSERT INTO "ZendeskRefundCap" ("id", "shopId", "connectionId", "currency", "maxAmount", "updatedAt")
SELECT 'migrated-' || c."id", c."shopId", c."id", s."currency", c."maxRefundAmount", CURRENT_TIMESTAMP
FROM "ZendeskConnection" c JOIN "Shop" s ON s."id" = c."shopId"
WHERE s."currency" IS NOT NULL;

-- CreateTable
CREATE TABLE "CustomerDataReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "requestId" TEXT,
    "customerId" TEXT,
    "reportEnc" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "CustomerDataReport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ZendeskConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "subdomain" TEXT NOT NULL,
    "sharedSecretEnc" TEXT NOT NULL,
    "secretLast4" TEXT NOT NULL,
    "allowRefunds" BOOLEAN NOT NULL DEFAULT true,
    "allowVoids" BOOLEAN NOT NULL DEFAULT true,
    "allowEvidence" BOOLEAN NOT NULL DEFAULT true,
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
CREATE UNIQUE INDEX "ZendeskRefundCap_connectionId_currency_key" ON "ZendeskRefundCap"("connectionId", "currency");

-- CreateIndex
CREATE INDEX "CustomerDataReport_shopId_createdAt_idx" ON "CustomerDataReport"("shopId", "createdAt");

