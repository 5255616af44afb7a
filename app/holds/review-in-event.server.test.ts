// The review done inside the event that queued it (reviewInEvent): a payment whose order is indexed and
// which the rules leave alone is linked and its review job marked done when the event commits, with no
// job run and no Shopify call; anything that needs Shopify (a flagged payment, a rule that holds, an
// order the index lacks, a payment still pending) is left to its job, a hold in the priority lane.
import { describe, expect, it } from "vitest";
import { db } from "../db.server";
import { createAppWorker, JOB_HANDLERS } from "../events/registry.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { checkoutEvent, paymentEventData, paymentFixture, type PaymentFixture } from "../../test/fixtures/checkout-events";
import { createOrder, deliverOrderWebhooks, holdsOn, shopifyCalls } from "../../test/helpers/holds";
import { useHoldsWorld } from "../../test/helpers/holds-world";

const world = useHoldsWorld();

/** Delivers a payment event to the inbox (pending), as intake stores it. */
async function deliver(type: string, payment: PaymentFixture) {
  const event = checkoutEvent(type, paymentEventData(type, payment));
  await db().webhookEvent.create({
    data: {
      shopId: world.shop.shop.id,
      connectionId: world.shop.connection.id,
      eventId: event.id as string,
      type,
      ckoPaymentId: payment.id,
      payload: JSON.stringify(event),
    },
  });
}

/** Processes the inbox with a worker that runs no job: whatever the events leave to a job stays pending. */
const processEventsOnly = () => createAppWorker({ jobHandlers: {} }).runUntilIdle();

const paymentOf = (ckoPaymentId: string) => db().payment.findUniqueOrThrow({ where: { shopId_ckoPaymentId: { shopId: world.shop.shop.id, ckoPaymentId } } });
const reviewJobs = (paymentId: string) =>
  db().job.findMany({ where: { shopId: world.shop.shop.id, kind: JOB_KINDS.paymentReview, key: { startsWith: paymentId } }, orderBy: { createdAt: "asc" } });

describe("a payment reviewed inside its event", () => {
  it("is linked to its indexed order and its review job is done when the event commits, with no Shopify call", async () => {
    const order = createOrder(world.standIn, world.shop.domain);
    await deliverOrderWebhooks(world.standIn, order);
    const payment = paymentFixture({ reference: order.name });
    const callsBefore = shopifyCalls(world.standIn, world.shop.domain).length;
    await deliver("payment_approved", payment);
    await deliver("payment_captured", payment);
    await processEventsOnly();

    const stored = await paymentOf(payment.id);
    expect(stored.matchStatus).toBe("matched");
    expect(await db().orderLink.findUnique({ where: { paymentId: stored.id } })).toMatchObject({ orderGid: order.id, matchedBy: "reference_name" });
    // One review (the capture changed nothing the rules read), done with the event.
    expect((await reviewJobs(stored.id)).map((j) => [j.key, j.status])).toEqual([[stored.id, "done"]]);
    expect(shopifyCalls(world.standIn, world.shop.domain).length).toBe(callsBefore);
    // Its order check is queued with the link, as a job's review queues it.
    expect(await db().job.count({ where: { shopId: world.shop.shop.id, kind: JOB_KINDS.reconciliationCheck, key: stored.id } })).toBe(1);
  });

  it.each([
    { held: "a payment Checkout.com flagged", payment: { flagged: true, riskScore: 90 }, denyBin: false },
    { held: "a payment the shop's rules hold (a deny-listed card)", payment: { riskScore: 5 }, denyBin: true },
  ])("leaves $held to its job in the priority lane, untouched, and the job holds the order", async ({ payment: risk, denyBin }) => {
    if (denyBin) await db().listEntry.create({ data: { shopId: world.shop.shop.id, list: "deny", kind: "bin", value: "424242" } });
    const order = createOrder(world.standIn, world.shop.domain);
    await deliverOrderWebhooks(world.standIn, order);
    const payment = paymentFixture({ reference: order.name, ...risk });
    await deliver("payment_approved", payment);
    await processEventsOnly();

    const stored = await paymentOf(payment.id);
    expect((await reviewJobs(stored.id)).map((j) => [j.status, j.priority])).toEqual([["pending", 1]]);
    expect(await db().orderLink.count({ where: { paymentId: stored.id } })).toBe(0);
    await createAppWorker({ jobHandlers: { [JOB_KINDS.paymentReview]: JOB_HANDLERS[JOB_KINDS.paymentReview] } }).runUntilIdle();
    expect(holdsOn(world.standIn, order.id).ours).toHaveLength(1);
  });

  it("leaves a payment whose order the index lacks to its job, which waits for the order", async () => {
    const order = createOrder(world.standIn, world.shop.domain);
    const payment = paymentFixture({ reference: order.name });
    await deliver("payment_approved", payment);
    await processEventsOnly();

    const stored = await paymentOf(payment.id);
    expect(stored.matchStatus).toBe("pending");
    expect((await reviewJobs(stored.id)).map((j) => [j.status, j.priority])).toEqual([["pending", 0]]);
    // The order arrives: its webhook finds the payment waiting and links it.
    await deliverOrderWebhooks(world.standIn, order);
    await createAppWorker({ jobHandlers: JOB_HANDLERS }).runUntilIdle();
    expect((await paymentOf(payment.id)).matchStatus).toBe("matched");
  });

  it("leaves a payment still pending at Checkout.com (3-D Secure) to its job, which looks again later", async () => {
    const order = createOrder(world.standIn, world.shop.domain);
    await deliverOrderWebhooks(world.standIn, order);
    const payment = paymentFixture({ reference: order.name });
    await deliver("payment_pending", payment);
    await processEventsOnly();

    const stored = await paymentOf(payment.id);
    expect(stored.matchStatus).toBe("pending");
    expect((await reviewJobs(stored.id)).map((j) => j.status)).toEqual(["pending"]);
  });
});
