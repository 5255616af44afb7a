-- DropIndex
DROP INDEX "CheckoutConnection_shopId_key";

-- AlterTable
ALTER TABLE "CheckoutConnection" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "processingChannelIds" TEXT NOT NULL DEFAULT '';

-- The one channel id a connection had becomes its list of channels.
UPDATE "CheckoutConnection" SET "processingChannelIds" = "processingChannelId" WHERE "processingChannelId" IS NOT NULL;
ALTER TABLE "CheckoutConnection" DROP COLUMN "processingChannelId";

-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "skipped" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "CheckoutConnection_shopId_environment_key" ON "CheckoutConnection"("shopId", "environment");

