-- AlterTable
ALTER TABLE "ZendeskConnection" ADD COLUMN     "allowEvidence" BOOLEAN NOT NULL DEFAULT true;

-- CreateIndex
CREATE INDEX "Payment_shopId_customerEmail_createdAt_idx" ON "Payment"("shopId", "customerEmail", "createdAt");

-- CreateIndex
CREATE INDEX "OrderLink_shopId_orderName_idx" ON "OrderLink"("shopId", "orderName");

-- CreateIndex
CREATE INDEX "Dispute_shopId_paymentId_idx" ON "Dispute"("shopId", "paymentId");

-- CreateIndex
CREATE INDEX "Dispute_shopId_ckoPaymentId_idx" ON "Dispute"("shopId", "ckoPaymentId");

