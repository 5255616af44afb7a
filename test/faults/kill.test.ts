// The app host dies mid-burst: server.ts (with its in-process worker) is killed with SIGKILL while
// signed webhooks pour in. Every event answered 2xx must already be in the inbox when the process is
// gone; after a restart, and Checkout.com redelivering what got no 2xx, every event is processed once:
// one timeline entry per event, one hold, one risk assessment and one tag per risky order in Shopify.
// Then the app is killed in the worst place for a hold: Shopify placed it, the answer never arrived.
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "../../app/db.server";
import { HOLD_TAG } from "../../app/holds/holds.server";
import { accepted, declinedPaymentEvent, orderPayment, paymentEvents, startWorld, timelineEntriesPerEvent, type World } from "./world";

let world: World;
beforeAll(async () => {
  world = await startWorld();
  await world.startApp();
});
afterAll(() => world?.close());

/** A fixed shuffle, so payments' events and the declines arrive interleaved, as in production. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 42;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

it("loses no acknowledged event and applies none twice when the app is killed mid-burst", async () => {
  const riskyOrders = Array.from({ length: 30 }, () => world.createOrder());
  const safeOrders = Array.from({ length: 30 }, () => world.createOrder());
  const events = shuffled([
    ...riskyOrders.flatMap((o) => paymentEvents(orderPayment(o.name, true))),
    ...safeOrders.flatMap((o) => paymentEvents(orderPayment(o.name, false))),
    ...Array.from({ length: 480 }, (_, i) => declinedPaymentEvent(i)),
  ]);

  const app = world.app!;
  const exited = new Promise<NodeJS.Signals | null>((resolve) => app.child.once("exit", (_code, signal) => resolve(signal)));
  let acknowledged = 0;
  const answers = await world.deliverAll(events, 16, (_event, answer) => {
    if (accepted(answer) && ++acknowledged === events.length / 2) app.child.kill("SIGKILL");
  });
  expect(await exited).toBe("SIGKILL");

  const acked = events.filter((e) => accepted(answers.get(e.id)));
  const refused = events.filter((e) => !accepted(answers.get(e.id)));
  expect(acked.length).toBeGreaterThanOrEqual(events.length / 2);
  expect(refused.length).toBeGreaterThan(0); // the kill landed mid-burst
  // An acknowledgement means durable: with the app dead, every acknowledged event is in the inbox.
  const stored = new Set((await db().webhookEvent.findMany({ select: { eventId: true } })).map((r) => r.eventId));
  expect(acked.filter((e) => !stored.has(e.id)).map((e) => e.id)).toEqual([]);

  await world.startApp();
  // Checkout.com redelivers everything that got no 2xx, and sometimes what did (at-least-once).
  await world.deliverUntilAccepted([...refused, ...acked.slice(0, 20)], 8);
  await world.waitUntilSettled(90_000);

  const inbox = await db().webhookEvent.groupBy({ by: ["status"], _count: { _all: true } });
  expect(Object.fromEntries(inbox.map((r) => [r.status, r._count._all]))).toEqual({ processed: events.length });
  const timeline = await timelineEntriesPerEvent();
  expect(timeline.size).toBe(events.length);
  expect([...timeline.values()].every((n) => n === 1)).toBe(true);
  expect(await db().job.count({ where: { status: "dead" } })).toBe(0);

  // Captures counted once: every captured payment shows its amount, not twice it.
  const captured = await db().payment.findMany({ where: { status: "Captured" }, select: { capturedAmount: true } });
  expect(captured.map((p) => p.capturedAmount)).toEqual(Array(60).fill(9400));

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
  const holds = await db().hold.findMany({ select: { status: true, riskAssessmentDone: true, tagged: true } });
  expect(holds).toHaveLength(30);
  expect(holds.every((h) => h.status === "held" && h.riskAssessmentDone && h.tagged)).toBe(true);
});

it("finishes a hold whose worker was killed after Shopify placed it but before the answer arrived", async () => {
  const app = world.app!;
  const order = world.createOrder();
  let placed!: () => void;
  const reachedShopify = new Promise<void>((resolve) => (placed = resolve));
  let answerNow!: () => void;
  const answerHeld = new Promise<void>((resolve) => (answerNow = resolve));
  world.relay.beforeAnswer = (call) => {
    if (call.operation !== "HoldFulfillmentOrder") return;
    placed();
    return answerHeld;
  };
  const exited = new Promise((resolve) => app.child.once("exit", resolve));
  const [approved] = paymentEvents(orderPayment(order.name, true));
  expect(await world.deliver(approved)).toBe(200);
  await reachedShopify;
  app.child.kill("SIGKILL");
  await exited;
  world.relay.beforeAnswer = undefined;
  answerNow();

  // Shopify holds the order; our record still says "pending", its lease held by the dead worker.
  expect(world.ourMarks(order.id).holds).toHaveLength(1);
  const hold = await db().hold.findFirstOrThrow({ where: { orderGid: order.id } });
  expect(hold).toMatchObject({ status: "pending", shopifyHoldIds: "[]" });
  expect(hold.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now());

  await world.startApp();
  await world.waitUntilSettled(60_000);
  expect(await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).toMatchObject({ status: "held", riskAssessmentDone: true, tagged: true });
  const marks = world.ourMarks(order.id);
  expect(marks.holds).toHaveLength(1);
  expect(marks.assessments).toHaveLength(1);
  expect(JSON.parse((await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).shopifyHoldIds)).toEqual([
    { fulfillmentOrderId: order.fulfillmentOrders[0].id, holdId: marks.holds[0].id },
  ]);
});
