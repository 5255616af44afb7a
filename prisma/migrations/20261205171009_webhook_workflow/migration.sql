-- AlterTable
ALTER TABLE "CheckoutConnection" ADD COLUMN "workflowId" TEXT;
ALTER TABLE "CheckoutConnection" ADD COLUMN "workflowMessage" TEXT;
ALTER TABLE "CheckoutConnection" ADD COLUMN "workflowStatus" TEXT;
ALTER TABLE "CheckoutConnection" ADD COLUMN "workflowSyncedAt" DATETIME;

