-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "ordersIndexedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "IndexedOrder" (
    "shopId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "legacyId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "checkoutToken" TEXT,
    "email" TEXT,
    "total" INTEGER,
    "currency" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "indexedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IndexedOrder_pkey" PRIMARY KEY ("shopId","orderGid")
);

-- CreateTable
CREATE TABLE "IndexedOrderReference" (
    "shopId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "IndexedOrderReference_pkey" PRIMARY KEY ("shopId","orderGid","value")
);

-- CreateIndex
CREATE INDEX "IndexedOrder_shopId_nameKey_idx" ON "IndexedOrder"("shopId", "nameKey");

-- CreateIndex
CREATE INDEX "IndexedOrder_shopId_checkoutToken_idx" ON "IndexedOrder"("shopId", "checkoutToken");

-- CreateIndex
CREATE INDEX "IndexedOrder_shopId_email_createdAt_idx" ON "IndexedOrder"("shopId", "email", "createdAt");

-- CreateIndex
CREATE INDEX "IndexedOrderReference_shopId_value_idx" ON "IndexedOrderReference"("shopId", "value");

-- AddForeignKey
ALTER TABLE "IndexedOrder" ADD CONSTRAINT "IndexedOrder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IndexedOrderReference" ADD CONSTRAINT "IndexedOrderReference_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

