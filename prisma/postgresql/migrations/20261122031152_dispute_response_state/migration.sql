-- AlterTable
ALTER TABLE "Dispute" ADD COLUMN     "acceptedBy" TEXT,
ADD COLUMN     "responseError" TEXT,
ADD COLUMN     "responseStartedAt" TIMESTAMP(3),
ADD COLUMN     "responseState" TEXT NOT NULL DEFAULT 'none';

