-- CreateTable
CREATE TABLE "ShopPlan" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "plan" TEXT NOT NULL DEFAULT 'free',
    "subscriptionId" TEXT,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "currentPeriodEnd" DATETIME,
    "checkedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShopPlan_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

