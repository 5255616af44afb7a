-- CreateTable
CREATE TABLE "CheckoutBackfill" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "run" TEXT NOT NULL,
    "phase" TEXT NOT NULL DEFAULT 'disputes',
    "pagesDone" INTEGER NOT NULL DEFAULT 0,
    "pagesTotal" INTEGER,
    "disputesFound" INTEGER NOT NULL DEFAULT 0,
    "paymentsFound" INTEGER NOT NULL DEFAULT 0,
    "resumeFrom" TEXT,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CheckoutBackfill_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CheckoutBackfill_shopId_connectionId_idx" ON "CheckoutBackfill"("shopId", "connectionId");

-- CreateIndex
CREATE UNIQUE INDEX "CheckoutBackfill_shopId_run_key" ON "CheckoutBackfill"("shopId", "run");

-- AddForeignKey
ALTER TABLE "CheckoutBackfill" ADD CONSTRAINT "CheckoutBackfill_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

