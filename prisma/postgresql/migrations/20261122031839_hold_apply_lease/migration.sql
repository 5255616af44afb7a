-- AlterTable
ALTER TABLE "Hold" ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3);

