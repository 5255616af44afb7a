-- AlterTable
ALTER TABLE "Hold" ADD COLUMN "leaseExpiresAt" DATETIME;

