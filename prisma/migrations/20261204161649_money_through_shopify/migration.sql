-- CreateTable
CREATE TABLE "StaffMember" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "collaborator" BOOLEAN NOT NULL DEFAULT false,
    "role" TEXT,
    "roleSetBy" TEXT,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "StaffMember_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ShopSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "matchWindowMinutes" INTEGER NOT NULL DEFAULT 1440,
    "flowTriggers" TEXT NOT NULL DEFAULT '[]',
    "autoSubmitEvidence" BOOLEAN NOT NULL DEFAULT false,
    "autoSubmitDaysBefore" INTEGER NOT NULL DEFAULT 2,
    "defaultStaffRole" TEXT NOT NULL DEFAULT 'viewer',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShopSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ShopSettings" ("autoSubmitDaysBefore", "autoSubmitEvidence", "flowTriggers", "matchWindowMinutes", "shopId", "updatedAt") SELECT "autoSubmitDaysBefore", "autoSubmitEvidence", "flowTriggers", "matchWindowMinutes", "shopId", "updatedAt" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
CREATE TABLE "new_MoneyAction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amount" INTEGER,
    "currency" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'requested',
    "via" TEXT NOT NULL DEFAULT 'checkout',
    "ckoActionId" TEXT,
    "reason" TEXT,
    "requestedBy" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "error" TEXT,
    "orderGid" TEXT,
    "orderName" TEXT,
    "shopifyParentTransactionId" TEXT,
    "shopifyTransactionId" TEXT,
    "shopifyRefundId" TEXT,
    "cancelOrder" BOOLEAN NOT NULL DEFAULT false,
    "restock" BOOLEAN NOT NULL DEFAULT false,
    "notifyCustomer" BOOLEAN NOT NULL DEFAULT false,
    "lineItems" TEXT NOT NULL DEFAULT '[]',
    "shopifyInput" TEXT,
    "sendingUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MoneyAction_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MoneyAction_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_MoneyAction" ("amount", "ckoActionId", "createdAt", "currency", "error", "id", "idempotencyKey", "kind", "paymentId", "reason", "requestedBy", "shopId", "source", "status", "updatedAt") SELECT "amount", "ckoActionId", "createdAt", "currency", "error", "id", "idempotencyKey", "kind", "paymentId", "reason", "requestedBy", "shopId", "source", "status", "updatedAt" FROM "MoneyAction";
DROP TABLE "MoneyAction";
ALTER TABLE "new_MoneyAction" RENAME TO "MoneyAction";
CREATE INDEX "MoneyAction_paymentId_idx" ON "MoneyAction"("paymentId");
CREATE UNIQUE INDEX "MoneyAction_shopId_idempotencyKey_key" ON "MoneyAction"("shopId", "idempotencyKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_shopId_userId_key" ON "StaffMember"("shopId", "userId");

