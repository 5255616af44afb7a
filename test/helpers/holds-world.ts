// The holds world for a test file (vitest's hooks): kept apart from helpers/holds.ts, which the
// benchmarks import outside vitest.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { installShop, startShopifyStandIn, type ShopifyStandIn } from "./holds";

/** For a test file: the stand-in, started once, and a shop installed afresh before each test. */
export function useHoldsWorld() {
  const world = {} as { standIn: ShopifyStandIn; shop: Awaited<ReturnType<typeof installShop>> };
  let close = () => {};
  beforeAll(() => {
    const started = startShopifyStandIn();
    world.standIn = started.standIn;
    close = started.close;
  });
  afterAll(() => close());
  beforeEach(async () => {
    world.shop = await installShop(world.standIn);
  });
  return world;
}
