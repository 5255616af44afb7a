-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "ordersIndexedAt" DATETIME;

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
    "createdAt" DATETIME NOT NULL,
    "shopifyUpdatedAt" DATETIME NOT NULL,
    "indexedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shopId", "orderGid"),
    CONSTRAINT "IndexedOrder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IndexedOrderReference" (
    "shopId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    PRIMARY KEY ("shopId", "orderGid", "value"),
    CONSTRAINT "IndexedOrderReference_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "IndexedOrder_shopId_nameKey_idx" ON "IndexedOrder"("shopId", "nameKey");

-- CreateIndex
CREATE INDEX "IndexedOrder_shopId_checkoutToken_idx" ON "IndexedOrder"("shopId", "checkoutToken");

-- CreateIndex
CREATE INDEX "IndexedOrder_shopId_email_createdAt_idx" ON "IndexedOrder"("shopId", "email", "createdAt");

-- CreateIndex
CREATE INDEX "IndexedOrderReference_shopId_value_idx" ON "IndexedOrderReference"("shopId", "value");

