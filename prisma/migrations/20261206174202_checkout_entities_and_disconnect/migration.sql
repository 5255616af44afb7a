-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CheckoutConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "endpointId" TEXT NOT NULL,
    "accountType" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "subdomain" TEXT,
    "secretKeyEnc" TEXT NOT NULL,
    "secretKeyLast4" TEXT NOT NULL,
    "signatureKeyEnc" TEXT,
    "signatureKeyLast4" TEXT,
    "previousWebhookKeyEnc" TEXT,
    "previousWebhookKeyLast4" TEXT,
    "previousWebhookKeyUntil" DATETIME,
    "authorizationEnc" TEXT,
    "authorizationLast4" TEXT,
    "processingChannelIds" TEXT NOT NULL DEFAULT '',
    "entityIds" TEXT NOT NULL DEFAULT '',
    "disconnectedAt" DATETIME,
    "workflowId" TEXT,
    "workflowStatus" TEXT,
    "workflowMessage" TEXT,
    "workflowSyncedAt" DATETIME,
    "lastTestedAt" DATETIME,
    "lastTestOk" BOOLEAN,
    "lastTestMessage" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CheckoutConnection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CheckoutConnection" ("accountType", "active", "authorizationEnc", "authorizationLast4", "createdAt", "endpointId", "environment", "id", "lastTestMessage", "lastTestOk", "lastTestedAt", "previousWebhookKeyEnc", "previousWebhookKeyLast4", "previousWebhookKeyUntil", "processingChannelIds", "secretKeyEnc", "secretKeyLast4", "shopId", "signatureKeyEnc", "signatureKeyLast4", "subdomain", "updatedAt", "workflowId", "workflowMessage", "workflowStatus", "workflowSyncedAt") SELECT "accountType", "active", "authorizationEnc", "authorizationLast4", "createdAt", "endpointId", "environment", "id", "lastTestMessage", "lastTestOk", "lastTestedAt", "previousWebhookKeyEnc", "previousWebhookKeyLast4", "previousWebhookKeyUntil", "processingChannelIds", "secretKeyEnc", "secretKeyLast4", "shopId", "signatureKeyEnc", "signatureKeyLast4", "subdomain", "updatedAt", "workflowId", "workflowMessage", "workflowStatus", "workflowSyncedAt" FROM "CheckoutConnection";
DROP TABLE "CheckoutConnection";
ALTER TABLE "new_CheckoutConnection" RENAME TO "CheckoutConnection";
CREATE UNIQUE INDEX "CheckoutConnection_endpointId_key" ON "CheckoutConnection"("endpointId");
CREATE UNIQUE INDEX "CheckoutConnection_shopId_environment_key" ON "CheckoutConnection"("shopId", "environment");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

