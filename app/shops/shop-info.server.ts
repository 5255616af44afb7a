// The shop's name and currency from Shopify, kept on the Shop row for screens and evidence.
import { db } from "../db.server";
import { adminApi } from "../shopify/admin-api.server";

export const SHOP_INFO_QUERY = `#graphql
  query ShopInfo {
    shop {
      name
      currencyCode
      myshopifyDomain
    }
  }
`;

export async function refreshShopInfo(domain: string) {
  const data = await adminApi(domain).request<{ shop: { name: string; currencyCode: string } }>(SHOP_INFO_QUERY);
  return db().shop.update({ where: { domain }, data: { name: data.shop.name, currency: data.shop.currencyCode } });
}
