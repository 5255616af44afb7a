-- CreateIndex
CREATE INDEX "IndexedOrder_shopId_currency_total_createdAt_idx" ON "IndexedOrder"("shopId", "currency", "total", "createdAt");

