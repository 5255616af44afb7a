// The shop's name, currency and time zone from Shopify, kept on the Shop row for screens and evidence.
import { db } from "../db.server";
import type { GraphqlTransport } from "../shopify/admin-api.server";
import type { ShopInfoQuery } from "../types/admin.generated";

const SHOP_INFO_QUERY = `#graphql
  query ShopInfo {
    shop {
      name
      currencyCode
      myshopifyDomain
      ianaTimezone
    }
  }
`;

/** `graphql`: the Admin API of the session just authorised (shopify.server.ts's afterAuth). */
export async function refreshShopInfo(domain: string, graphql: GraphqlTransport) {
  const { data } = (await graphql(SHOP_INFO_QUERY)) as { data?: ShopInfoQuery };
  if (!data) throw new Error("Shopify answered the shop query without data");
  return db().shop.update({
    where: { domain },
    data: { name: data.shop.name, currency: data.shop.currencyCode, ianaTimezone: data.shop.ianaTimezone },
  });
}
