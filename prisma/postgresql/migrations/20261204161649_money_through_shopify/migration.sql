-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "defaultStaffRole" TEXT NOT NULL DEFAULT 'viewer';

-- AlterTable
ALTER TABLE "MoneyAction" ADD COLUMN     "cancelOrder" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "lineItems" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "notifyCustomer" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "orderGid" TEXT,
ADD COLUMN     "orderName" TEXT,
ADD COLUMN     "restock" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "sendingUntil" TIMESTAMP(3),
ADD COLUMN     "shopifyInput" TEXT,
ADD COLUMN     "shopifyParentTransactionId" TEXT,
ADD COLUMN     "shopifyRefundId" TEXT,
ADD COLUMN     "shopifyTransactionId" TEXT,
ADD COLUMN     "via" TEXT NOT NULL DEFAULT 'checkout';

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "collaborator" BOOLEAN NOT NULL DEFAULT false,
    "role" TEXT,
    "roleSetBy" TEXT,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_shopId_userId_key" ON "StaffMember"("shopId", "userId");

-- AddForeignKey
ALTER TABLE "StaffMember" ADD CONSTRAINT "StaffMember_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

