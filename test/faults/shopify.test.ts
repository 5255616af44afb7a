// Shopify misbehaves: a fifth of the app's Admin API calls are answered THROTTLED (as when other apps
// spend the shop's bucket) or 503, on top of a bucket small enough to run dry. Every hold must still
// be placed, once per risky order (with one risk assessment and the tag), nothing dead-lettered, and
// the app must pace itself: THROTTLED answers are waited out by the paced caller, never surfaced as a
// failed job, and the bucket is rarely found empty.
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "../../app/db.server";
import { HOLD_TAG } from "../../app/holds/holds.server";
import { orderPayment, paymentEvents, startWorld, type World } from "./world";

// A bucket the burst runs dry, refilling quickly enough for a test.
const BUCKET = { maximumAvailable: 200, restoreRate: 200 };

let world: World;
beforeAll(async () => {
  world = await startWorld({ bucket: BUCKET });
  await world.startApp();
});
afterAll(() => world?.close());

it("places every hold once, within the throttle, while Shopify answers THROTTLED or 503 to a fifth of calls", async () => {
  const riskyOrders = Array.from({ length: 40 }, () => world.createOrder());
  const safeOrders = Array.from({ length: 20 }, () => world.createOrder());
  // 10% 503, then 10% of the rest THROTTLED: a fifth of all calls fail.
  world.shopify.limits.setFaults({ serverErrorRate: 0.1, serverErrorStatus: 503, throttledRate: 0.1 / 0.9 });

  const started = performance.now();
  const events = [...riskyOrders, ...safeOrders].flatMap((o, i) => paymentEvents(orderPayment(o.name, i < riskyOrders.length)));
  await world.deliverUntilAccepted(events, 16);
  await world.waitUntilSettled(120_000);
  const seconds = (performance.now() - started) / 1000;

  // Every acknowledged event is kept (one once vanished with a rolled-back transaction it had joined).
  const stored = await db().webhookEvent.findMany({ select: { eventId: true } });
  expect(stored.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.id).sort());
  // Each payment is linked to its own order, though every order has the same email and amount.
  const links = await db().orderLink.findMany({ select: { orderName: true, payment: { select: { reference: true } } } });
  expect(links.filter((l) => l.orderName !== l.payment.reference)).toEqual([]);
  expect(links).toHaveLength(riskyOrders.length + safeOrders.length);

  for (const order of riskyOrders) {
    const marks = world.ourMarks(order.id);
    expect({ order: order.name, holds: marks.holds.length, assessments: marks.assessments.length, tagged: marks.tags.includes(HOLD_TAG) }).toEqual({
      order: order.name,
      holds: 1,
      assessments: 1,
      tagged: true,
    });
  }
  for (const order of safeOrders) expect(world.ourMarks(order.id).holds).toHaveLength(0);
  expect(await db().hold.count({ where: { status: "held", riskAssessmentDone: true, tagged: true } })).toBe(riskyOrders.length);
  expect(await db().job.count({ where: { status: "dead" } })).toBe(0);
  expect(await db().webhookEvent.count({ where: { status: { not: "processed" } } })).toBe(0);

  const calls = world.relay.calls;
  const injectedThrottles = calls.filter((c) => c.throttled === "injected").length;
  const emptyBucket = calls.filter((c) => c.throttled === "bucket").length;
  const serverErrors = calls.filter((c) => c.status >= 500).length;
  const failedShare = (injectedThrottles + serverErrors) / calls.length;
  const spent = calls.reduce((sum, c) => sum + c.cost, 0);
  console.log(
    `Shopify faults: ${calls.length} calls in ${seconds.toFixed(1)} s; ${injectedThrottles} injected THROTTLED, ${serverErrors} 503, ` +
      `${emptyBucket} THROTTLED because the bucket was empty (${(100 * failedShare) | 0}% of calls failed on purpose); ${spent} points spent from a bucket of ${BUCKET.maximumAvailable} refilling ${BUCKET.restoreRate}/s`,
  );
  // The faults really happened, at about the rate asked.
  expect(failedShare).toBeGreaterThan(0.1);
  expect(failedShare).toBeLessThan(0.3);
  expect(injectedThrottles).toBeGreaterThan(0);
  expect(serverErrors).toBeGreaterThan(0);
  // Within the throttle: the burst needed the bucket several times over, and the paced caller waited
  // for it to refill instead of spending it blind.
  expect(spent).toBeGreaterThan(3 * BUCKET.maximumAvailable);
  expect(emptyBucket).toBeLessThanOrEqual(Math.max(3, calls.length * 0.02));
  // A THROTTLED answer is waited out and retried by the paced caller; none fails a job attempt.
  const throttledFailures = world.appLog
    .join("")
    .split("\n")
    .filter((line) => line.includes("worker.job_retry") && /throttl/i.test(line));
  expect(throttledFailures).toEqual([]);
});
