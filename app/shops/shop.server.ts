// The Shop row is the tenancy root: every merchant-owned row hangs off Shop.id and is deleted with it.
import type { Shop } from "@prisma/client";
import { db, rawSql } from "../db.server";
import { selectOne } from "../lib/sql.server";

/** The shop for a Shopify domain, created on first sight (install, first request). */
export async function ensureShop(domain: string): Promise<Shop> {
  return db().shop.upsert({
    where: { domain },
    update: {},
    create: { domain, settings: { create: {} }, riskRules: { create: {} } },
  });
}

/** The shop for a Shopify domain, if known (every Shopify webhook asks: a prepared statement). */
export async function findShop(domain: string): Promise<Shop | null> {
  return selectOne(rawSql(), "Shop", { domain });
}

/** The shop's IANA time zone for the admin's dates; null (UTC) until Shopify has told us. */
export async function shopTimeZone(shopId: string): Promise<string | null> {
  const shop = await db().shop.findUnique({ where: { id: shopId }, select: { ianaTimezone: true } });
  return shop?.ianaTimezone ?? null;
}
