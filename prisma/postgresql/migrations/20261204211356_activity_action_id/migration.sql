-- The action id of each Checkout.com event on a timeline, as a column (docs/decisions/0009): a new
-- order carrying it finds its payment by index. Existing rows take it from their details.
ALTER TABLE "PaymentActivity" ADD COLUMN "actionId" TEXT;
UPDATE "PaymentActivity" SET "actionId" = "details"::jsonb ->> 'actionId' WHERE "kind" = 'event';

-- CreateIndex
CREATE INDEX "PaymentActivity_shopId_actionId_idx" ON "PaymentActivity"("shopId", "actionId");
