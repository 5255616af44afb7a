// Many holds at once against a small Shopify bucket: the paced caller slows down and retries
// THROTTLED answers, so every hold is placed and no throttling error escapes.
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "../db.server";
import { createOrder, createPayment, holdsOn, installShop, startShopifyStandIn } from "../../test/helpers/holds";
import { reviewPayment } from "./review.server";

let world: ReturnType<typeof startShopifyStandIn>;
let throttled = 0;

beforeAll(() => {
  // A bucket that holds one candidate lookup and a bit, refilling fast enough for a test.
  world = startShopifyStandIn({ maximumAvailable: 200, restoreRate: 1000 });
  world.server.events.on("response:mocked", async ({ response }) => {
    if ((await response.clone().text()).includes('"THROTTLED"')) throttled++;
  });
});
afterAll(() => world.close());

it("places every hold when the bucket runs dry, without an unhandled THROTTLED", async () => {
  const shop = await installShop(world.standIn);
  const orders = Array.from({ length: 12 }, () => createOrder(world.standIn, shop.domain));
  const payments = await Promise.all(orders.map((o) => createPayment(shop.shop.id, { reference: o.name })));
  // Besides the bucket running dry, Shopify answers THROTTLED when other apps spend it: a few of those too.
  world.standIn.limits.failNext(5, "THROTTLED");
  const outcomes = await Promise.all(payments.map((p) => reviewPayment(shop.shop.id, p.id)));
  expect(outcomes).toEqual(payments.map(() => "held"));
  expect(throttled).toBeGreaterThan(0);
  for (const order of orders) expect(holdsOn(world.standIn, order.id).ours).toHaveLength(1);
  expect(await db().hold.count({ where: { shopId: shop.shop.id, riskAssessmentDone: true, tagged: true } })).toBe(12);
});
