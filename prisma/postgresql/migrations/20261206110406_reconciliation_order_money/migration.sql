-- DropIndex
DROP INDEX "ReconciliationIssue_shopId_paymentId_orderGid_kind_key";

-- AlterTable
-- Every existing row is a payment's: its subject is the payment.
ALTER TABLE "ReconciliationIssue" ADD COLUMN     "subject" TEXT,
ALTER COLUMN "paymentId" DROP NOT NULL;
UPDATE "ReconciliationIssue" SET "subject" = "paymentId";
ALTER TABLE "ReconciliationIssue" ALTER COLUMN "subject" SET NOT NULL;

-- CreateTable
CREATE TABLE "IndexedOrderTransaction" (
    "shopId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "transactionGid" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "gateway" TEXT,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "parentGid" TEXT,
    "errorCode" TEXT,
    "references" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL,
    "indexedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IndexedOrderTransaction_pkey" PRIMARY KEY ("shopId","orderGid","transactionGid")
);

-- CreateIndex
CREATE INDEX "IndexedOrderTransaction_shopId_createdAt_idx" ON "IndexedOrderTransaction"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReconciliationIssue_shopId_subject_orderGid_kind_key" ON "ReconciliationIssue"("shopId", "subject", "orderGid", "kind");

-- AddForeignKey
ALTER TABLE "IndexedOrderTransaction" ADD CONSTRAINT "IndexedOrderTransaction_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

