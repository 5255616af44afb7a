-- AlterTable
ALTER TABLE "CheckoutConnection" ADD COLUMN     "workflowId" TEXT,
ADD COLUMN     "workflowMessage" TEXT,
ADD COLUMN     "workflowStatus" TEXT,
ADD COLUMN     "workflowSyncedAt" TIMESTAMP(3);

