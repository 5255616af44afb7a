-- DropIndex
DROP INDEX "IndexedOrderReference_shopId_value_idx";

-- AlterTable
ALTER TABLE "IndexedOrderReference" DROP CONSTRAINT "IndexedOrderReference_pkey",
ADD CONSTRAINT "IndexedOrderReference_pkey" PRIMARY KEY ("shopId", "value", "orderGid");

-- CreateIndex
CREATE INDEX "IndexedOrderReference_shopId_orderGid_value_idx" ON "IndexedOrderReference"("shopId", "orderGid", "value");

