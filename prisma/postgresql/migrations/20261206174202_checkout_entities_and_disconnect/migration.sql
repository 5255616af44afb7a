-- AlterTable
ALTER TABLE "CheckoutConnection" ADD COLUMN     "disconnectedAt" TIMESTAMP(3),
ADD COLUMN     "entityIds" TEXT NOT NULL DEFAULT '';

