// Small builders for test data. Each returns what it created.
import { randomUUID } from "node:crypto";
import { saveConnection } from "../../app/checkout/connection.server";
import { db } from "../../app/db.server";
import { ensureShop } from "../../app/shops/shop.server";

export const NAS_SANDBOX_KEY = "sk_sbox_" + "abcdefghijklmnopqrstuvwxyz".slice(0, 26) + "2";
export const SIGNATURE_KEY = "whsec-test-signature-key-0001";

export async function createShop(domain = `shop-${randomUUID().slice(0, 8)}.myshopify.com`) {
  return ensureShop(domain);
}

/** A shop with a saved NAS sandbox connection. */
export async function createConnectedShop(domain?: string, overrides: Record<string, string> = {}) {
  const shop = await createShop(domain);
  const result = await saveConnection(shop.id, {
    accountType: "NAS",
    environment: "sandbox",
    subdomain: "abcd1234",
    secretKey: NAS_SANDBOX_KEY,
    signatureKey: SIGNATURE_KEY,
    ...overrides,
  });
  if (!result.ok) throw new Error(`connection not saved: ${JSON.stringify(result.fieldErrors)}`);
  const connection = await db().checkoutConnection.findUniqueOrThrow({ where: { shopId: shop.id } });
  return { shop, connection };
}
