// The shop's name, currency and time zone as Shopify's Admin API (the stand-in) gives them at install,
// kept on the Shop row; the admin's dates read the zone back, each shop its own.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createShop } from "../../test/helpers/factories";
import { startShopifyStandIn, type ShopifyStandIn } from "../../test/helpers/holds";
import { seedOfflineSession } from "../../test/helpers/session-token";
import { unauthenticated } from "../shopify.server";
import { refreshShopInfo } from "./shop-info.server";
import { shopTimeZone } from "./shop.server";

let world: ReturnType<typeof startShopifyStandIn>;
let standIn: ShopifyStandIn;

beforeAll(() => {
  world = startShopifyStandIn();
  standIn = world.standIn;
});
afterAll(() => world.close());

/** A shop known to the app and to Shopify, and the Admin API as afterAuth hands it over. */
async function installedShop(input: { name: string; currencyCode: string; ianaTimezone: string }) {
  const domain = `info-${randomUUID().slice(0, 8)}.myshopify.com`;
  const shop = await createShop(domain);
  standIn.store.createShop({ domain, ...input });
  await seedOfflineSession(domain, { accessToken: standIn.issueAccessToken(domain).token });
  const graphql = async (document: string) => (await (await unauthenticated.admin(domain)).admin.graphql(document)).json();
  return { shop, domain, graphql };
}

describe("shop info", () => {
  it("keeps each shop's name, currency and IANA time zone; the zone is null (UTC) until Shopify told it", async () => {
    const kolkata = await installedShop({ name: "North Loop", currencyCode: "INR", ianaTimezone: "Asia/Kolkata" });
    const newYork = await installedShop({ name: "Demo Outfitters", currencyCode: "USD", ianaTimezone: "America/New_York" });
    expect(await shopTimeZone(kolkata.shop.id)).toBeNull();

    const stored = await refreshShopInfo(kolkata.domain, kolkata.graphql);
    expect({ name: stored.name, currency: stored.currency, ianaTimezone: stored.ianaTimezone }).toEqual({
      name: "North Loop",
      currency: "INR",
      ianaTimezone: "Asia/Kolkata",
    });
    await refreshShopInfo(newYork.domain, newYork.graphql);
    expect([await shopTimeZone(kolkata.shop.id), await shopTimeZone(newYork.shop.id)]).toEqual(["Asia/Kolkata", "America/New_York"]);
  });
});
