// Jobs that must wait for something outside them wait instead of using up their attempts and
// dead-lettering: a payment review for a shop whose offline Shopify session is gone (lost token,
// reinstall pending) waits for the session, and the Events screen says meanwhile that work is
// waiting; a review whose hold a dead worker was placing waits for that worker's hold lease to end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { createOrder, createPayment, holdsOn, installShop, startShopifyStandIn, type ShopifyStandIn } from "../../test/helpers/holds";
import { seedOfflineSession } from "../../test/helpers/session-token";
import { listEvents } from "./inbox.server";
import { JOB_HANDLERS, createAppWorker } from "./registry.server";
import { enqueueJob, JOB_KINDS, WAITING_FOR_SHOPIFY } from "../queue/jobs.server";
import { reviewPayment } from "../holds/review.server";

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

describe("a review whose hold a dead worker was placing", () => {
  it("waits for the dead worker's hold lease without using attempts, polling every few seconds, then finishes the hold", async () => {
    const shop = await installShop(shopify);
    const order = createOrder(shopify, shop.domain);
    const payment = await createPayment(shop.shop.id, { reference: order.name, riskScore: 90 });
    expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
    // As if a worker died after Shopify placed the hold but before our writes, its hold lease still running.
    const leaseEnds = new Date(Date.now() + 120_000);
    await db().hold.update({
      where: { paymentId: payment.id },
      data: { status: "pending", shopifyHoldIds: "[]", riskAssessmentDone: false, tagged: false, leaseExpiresAt: leaseEnds },
    });
    await enqueueJob(shop.shop.id, JOB_KINDS.paymentReview, `${payment.id}:again`, { paymentId: payment.id, ckoPaymentId: payment.ckoPaymentId });

    let now = Date.now();
    const worker = createAppWorker({ jobHandlers: JOB_HANDLERS, now: () => new Date(now) });
    // More rounds than the queue's attempts, each past the longest backoff: a retry with attempts would be dead by now.
    for (let round = 0; round < 12; round++) {
      await worker.runUntilIdle();
      const job = await db().job.findFirstOrThrow({ where: { shopId: shop.shop.id, kind: JOB_KINDS.paymentReview, key: `${payment.id}:again` } });
      expect(job).toMatchObject({ status: "pending", attempts: 0, lastError: expect.stringContaining("being put into Shopify by another worker") });
      // Looked at again within a few seconds, not at the lease's end two minutes on: a live holder finishes sooner.
      expect(job.runAt.getTime() - now).toBeLessThanOrEqual(5_000);
      now += 11 * 60_000;
    }

    // A lease about to end: looked at again just after it ends, not a full poll later.
    await db().hold.update({ where: { paymentId: payment.id }, data: { leaseExpiresAt: new Date(Date.now() + 1_000) } });
    await worker.runUntilIdle();
    const soon = await db().job.findFirstOrThrow({ where: { shopId: shop.shop.id, key: `${payment.id}:again` } });
    expect(soon.runAt.getTime() - now).toBeGreaterThan(250);
    expect(soon.runAt.getTime() - now).toBeLessThanOrEqual(1_100);
    now += 11 * 60_000;

    await db().hold.update({ where: { paymentId: payment.id }, data: { leaseExpiresAt: new Date(Date.now() - 1) } });
    await worker.runUntilIdle();
    expect(await db().job.findFirstOrThrow({ where: { shopId: shop.shop.id, key: `${payment.id}:again` } })).toMatchObject({ status: "done" });
    expect(await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } })).toMatchObject({ status: "held", riskAssessmentDone: true, tagged: true });
    expect(holdsOn(shopify, order.id).ours).toHaveLength(1);
  });
});
