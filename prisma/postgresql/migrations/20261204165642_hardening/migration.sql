-- AlterTable
ALTER TABLE "CheckoutConnection" ADD COLUMN     "previousWebhookKeyEnc" TEXT,
ADD COLUMN     "previousWebhookKeyLast4" TEXT,
ADD COLUMN     "previousWebhookKeyUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ZendeskRefundCap" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "maxAmount" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ZendeskRefundCap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerDataReport" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "requestId" TEXT,
    "customerId" TEXT,
    "reportEnc" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerDataReport_pkey" PRIMARY KEY ("id")
);

-- Each connection's single limit (typed in the shop's currency) becomes that currency's cap; other
-- currencies get none, so they cannot be refunded from Zendesk until the merchant sets one.
INSERT INTO "ZendeskRefundCap" ("id", "shopId", "connectionId", "currency", "maxAmount", "updatedAt")
SELECT 'migrated-' || c."id", c."shopId", c."id", s."currency", c."maxRefundAmount", CURRENT_TIMESTAMP
FROM "ZendeskConnection" c JOIN "Shop" s ON s."id" = c."shopId"
WHERE s."currency" IS NOT NULL;

-- AlterTable
ALTER TABLE "ZendeskConnection" DROP COLUMN "maxRefundAmount";

-- CreateIndex
CREATE UNIQUE INDEX "ZendeskRefundCap_connectionId_currency_key" ON "ZendeskRefundCap"("connectionId", "currency");

-- CreateIndex
CREATE INDEX "CustomerDataReport_shopId_createdAt_idx" ON "CustomerDataReport"("shopId", "createdAt");

-- AddForeignKey
ALTER TABLE "ZendeskRefundCap" ADD CONSTRAINT "ZendeskRefundCap_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ZendeskConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerDataReport" ADD CONSTRAINT "CustomerDataReport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

