-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_IndexedOrderReference" (
    "shopId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    PRIMARY KEY ("shopId", "value", "orderGid"),
    CONSTRAINT "IndexedOrderReference_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_IndexedOrderReference" ("orderGid", "shopId", "value") SELECT "orderGid", "shopId", "value" FROM "IndexedOrderReference";
DROP TABLE "IndexedOrderReference";
ALTER TABLE "new_IndexedOrderReference" RENAME TO "IndexedOrderReference";
CREATE INDEX "IndexedOrderReference_shopId_orderGid_value_idx" ON "IndexedOrderReference"("shopId", "orderGid", "value");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

