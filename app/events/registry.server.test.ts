// A payment review for a shop whose offline Shopify session is gone (lost token, reinstall pending)
// waits for the session instead of using up its attempts and dead-lettering; once the session is
// back it runs, and the Events screen says meanwhile that work is waiting.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { createOrder, createPayment, installShop, startShopifyStandIn, type ShopifyStandIn } from "../../test/helpers/holds";
import { seedOfflineSession } from "../../test/helpers/session-token";
import { listEvents } from "./inbox.server";
import { JOB_HANDLERS, createAppWorker } from "./registry.server";
import { enqueueJob, JOB_KINDS, WAITING_FOR_SHOPIFY } from "../queue/jobs.server";

let world: ReturnType<typeof startShopifyStandIn>;
let shopify: ShopifyStandIn;
beforeAll(() => {
  world = startShopifyStandIn();
  shopify = world.standIn;
});
afterAll(() => world.close());

describe("jobs without Shopify access", () => {
  it("wait for the shop's session without using attempts, then run", async () => {
    const shop = await installShop(shopify);
    const order = createOrder(shopify, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name, riskScore: 90 });
    await db().session.deleteMany({ where: { shop: shop.domain } });
    await enqueueJob(shop.shop.id, JOB_KINDS.paymentReview, payment.id, { paymentId: payment.id, ckoPaymentId: payment.ckoPaymentId });

    let now = Date.now();
    const worker = createAppWorker({ jobHandlers: JOB_HANDLERS, now: () => new Date(now) });
    for (let round = 0; round < 12; round++) {
      await worker.runUntilIdle();
      now += 11 * 60_000; // past each wait
    }
    const waiting = await db().job.findFirstOrThrow({ where: { shopId: shop.shop.id, kind: JOB_KINDS.paymentReview } });
    expect(waiting).toMatchObject({ status: "pending", attempts: 0 });
    expect(waiting.lastError).toMatch(new RegExp(`^${WAITING_FOR_SHOPIFY}`));
    expect((await listEvents(shop.shop.id, { page: 1 } as never)).waitingForShopify).toBe(1);
    expect(await db().hold.count({ where: { paymentId: payment.id } })).toBe(0);

    // Someone opens the app: the session is back, and the review runs (and holds the risky order).
    await seedOfflineSession(shop.domain, { accessToken: shopify.issueAccessToken(shop.domain).token });
    await worker.runUntilIdle();
    expect(await db().job.findFirstOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: "done" });
    expect(await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } })).toMatchObject({ status: "held" });
  });
});
