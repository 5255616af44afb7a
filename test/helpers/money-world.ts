// For tests whose money moves: the Shopify stand-in (msw) and the Checkout.com stand-in (HTTP, with the
// app's Checkout.com client pointed at it), started before the file's tests and stopped after them.
import { afterAll, beforeAll } from "vitest";
import { resetEnvForTests } from "../../app/env.server";
import { createCheckoutStandIn, type CheckoutStandIn } from "../standins/checkout/server";
import { nasAccount } from "../standins/checkout/testing";
import { startShopifyStandIn, type ShopifyStandIn } from "./holds";

export function useMoneyStandIns(): { shopify: ShopifyStandIn; checkout: CheckoutStandIn } {
  const standIns = {} as { shopify: ShopifyStandIn; checkout: CheckoutStandIn };
  let world: ReturnType<typeof startShopifyStandIn>;
  beforeAll(async () => {
    world = startShopifyStandIn();
    standIns.shopify = world.standIn;
    standIns.checkout = await createCheckoutStandIn({ accounts: [nasAccount()], actionLatencyMs: 5 });
    process.env.CHECKOUT_API_BASE_URL = standIns.checkout.url;
    resetEnvForTests();
  });
  afterAll(async () => {
    world.close();
    await standIns.checkout.stop();
    delete process.env.CHECKOUT_API_BASE_URL;
    resetEnvForTests();
  });
  return standIns;
}
