-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "orderBlockSeenAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "RiskRules" ADD COLUMN     "reviewedAt" TIMESTAMP(3);

