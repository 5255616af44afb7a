-- The action id of each Checkout.com event on a timeline, as a column (docs/decisions/0009): a new
-- order carrying it finds its payment by index. Written by hand as ADD COLUMN (in place) rather than a
-- copy of the table; existing rows take it from their details.
ALTER TABLE "PaymentActivity" ADD COLUMN "actionId" TEXT;
UPDATE "PaymentActivity" SET "actionId" = json_extract("details", '$.actionId') WHERE "kind" = 'event' AND json_valid("details");

CREATE INDEX "PaymentActivity_shopId_actionId_idx" ON "PaymentActivity"("shopId", "actionId");
