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
    "maxRefundAmount" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    CONSTRAINT "ZendeskConnection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ZendeskConnection" ("allowRefunds", "allowVoids", "createdAt", "id", "maxRefundAmount", "revokedAt", "secretLast4", "sharedSecretEnc", "shopId", "subdomain") SELECT "allowRefunds", "allowVoids", "createdAt", "id", "maxRefundAmount", "revokedAt", "secretLast4", "sharedSecretEnc", "shopId", "subdomain" FROM "ZendeskConnection";
DROP TABLE "ZendeskConnection";
ALTER TABLE "new_ZendeskConnection" RENAME TO "ZendeskConnection";
CREATE INDEX "ZendeskConnection_shopId_idx" ON "ZendeskConnection"("shopId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Payment_shopId_customerEmail_createdAt_idx" ON "Payment"("shopId", "customerEmail", "createdAt");

-- CreateIndex
CREATE INDEX "OrderLink_shopId_orderName_idx" ON "OrderLink"("shopId", "orderName");

-- CreateIndex
CREATE INDEX "Dispute_shopId_paymentId_idx" ON "Dispute"("shopId", "paymentId");

-- CreateIndex
CREATE INDEX "Dispute_shopId_ckoPaymentId_idx" ON "Dispute"("shopId", "ckoPaymentId");

