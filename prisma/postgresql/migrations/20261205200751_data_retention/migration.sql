-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "auditRetentionDays" INTEGER NOT NULL DEFAULT 365,
ADD COLUMN     "jobRetentionDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "payloadRetentionDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "retentionCounts" TEXT,
ADD COLUMN     "retentionRunAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Dispute" ADD COLUMN     "closedAt" TIMESTAMP(3);


-- Disputes closed before closedAt existed: their last change is the best known close time (at or after it).
UPDATE "Dispute" SET "closedAt" = "updatedAt" WHERE "status" NOT IN ('evidence_required', 'evidence_under_review', 'arbitration_under_review');
