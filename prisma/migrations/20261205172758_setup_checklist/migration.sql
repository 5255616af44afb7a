-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN "orderBlockSeenAt" DATETIME;

-- AlterTable
ALTER TABLE "RiskRules" ADD COLUMN "reviewedAt" DATETIME;

