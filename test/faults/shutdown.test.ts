// Graceful shutdown under load: SIGTERM while webhooks pour in and the worker is busy with holds.
// The app says it is not ready (for SHUTDOWN_DRAIN_SECONDS, still serving), and the load balancer
// played by this test stops routing to it when /readyz says 503; the app answers every request it
// was sent, gives back the leases of work it did not finish and exits 0. After a restart, the events
// that went elsewhere meanwhile are delivered, and everything is processed once.
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "../../app/db.server";
import {
  accepted,
  declinedPaymentEvent,
  orderPayment,
  paymentEvents,
  startWorld,
  timelineEntriesPerEvent,
  type CheckoutEvent,
  type DeliveryAnswer,
  type World,
} from "./world";

let world: World;
beforeAll(async () => {
  // Shopify answering at 300 ms a call keeps the holds' jobs behind when the signal comes, whatever
  // this machine's speed: the leases given back are the point.
  world = await startWorld({ shopifyLatencyMs: 300 });
  // Two seconds of draining: /readyz answers 503 while requests are still served, then the server closes.
  await world.startApp({ SHUTDOWN_DRAIN_SECONDS: "2" });
});
afterAll(() => world?.close());

it("on SIGTERM under load: not ready, answers what it took, gives back its leases, exits 0", async () => {
  const orders = Array.from({ length: 30 }, () => world.createOrder());
  const events: CheckoutEvent[] = [
    ...orders.flatMap((o) => paymentEvents(orderPayment(o.name, true))),
    ...Array.from({ length: 1000 }, (_, i) => declinedPaymentEvent(i)),
  ];
  const app = world.app!;
  const exited = new Promise<number | null>((resolve) => app.child.once("exit", (code) => resolve(code)));

  const answers = new Map<string, DeliveryAnswer>();
  let next = 0;
  let signalled = false;
  let routed = true;
  const readiness: Array<number | "error"> = [];
  /** The load balancer's health check, from SIGTERM until the server stops answering. */
  const watchReadiness = async () => {
    for (;;) {
      const status = await fetch(`${world.appUrl}/readyz`).then(
        (r) => r.status,
        () => "error" as const,
      );
      readiness.push(status);
      if (status !== 200) routed = false;
      if (status === "error") return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  let watching: Promise<void> | undefined;
  const load = Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < events.length && routed) {
        const event = events[next++];
        answers.set(event.id, await world.deliver(event));
        if (!signalled && answers.size >= 400) {
          signalled = true;
          app.child.kill("SIGTERM");
          watching = watchReadiness();
        }
      }
    }),
  );
  expect(await exited).toBe(0);
  await load;
  await watching;

  const answered = [...answers.values()];
  const draining = readiness.indexOf(503);
  console.log(
    `shutdown: ${answered.length} of ${events.length} events sent before the load balancer stopped routing, ${answered.filter(accepted).length} acknowledged; ` +
      `/readyz after SIGTERM: ${readiness.filter((r) => r === 503).length} × 503, then ${readiness.at(-1)}`,
  );
  // Not ready from the signal on (a probe sent before the signal was handled may still say 200).
  expect(draining).toBeGreaterThanOrEqual(0);
  expect(readiness.slice(draining)).not.toContain(200);
  // Every request it was sent was answered, 2xx: none was cut or refused.
  expect(answered.filter((a) => !accepted(a))).toEqual([]);
  expect(answered.length).toBeLessThan(events.length);
  // The worker was behind when it stopped (on the holds' jobs at least); what it had claimed it
  // finished or gave back: nothing is left "processing" (leases held by a process that is gone).
  const waiting = (await db().webhookEvent.count({ where: { status: "pending" } })) + (await db().job.count({ where: { status: "pending" } }));
  console.log(`shutdown: ${waiting} events and jobs waiting after the exit`);
  expect(waiting).toBeGreaterThan(0);
  expect(await db().webhookEvent.count({ where: { status: "processing" } })).toBe(0);
  expect(await db().job.count({ where: { status: "processing" } })).toBe(0);
  expect(await db().hold.count({ where: { leaseExpiresAt: { not: null } } })).toBe(0);
  const stored = new Set((await db().webhookEvent.findMany({ select: { eventId: true } })).map((r) => r.eventId));
  expect(events.filter((e) => accepted(answers.get(e.id)) && !stored.has(e.id))).toEqual([]);

  await world.startApp();
  await world.deliverUntilAccepted(
    events.filter((e) => !accepted(answers.get(e.id))),
    8,
  );
  await world.waitUntilSettled(90_000);
  expect(await db().webhookEvent.count({ where: { status: "processed" } })).toBe(events.length);
  const timeline = await timelineEntriesPerEvent();
  expect(events.every((e) => timeline.get(e.id) === 1)).toBe(true);
  for (const order of orders) expect(world.ourMarks(order.id).holds).toHaveLength(1);
});
