// Wake-ups across processes (PostgreSQL LISTEN/NOTIFY): a worker with no in-process intake and a
// poll far longer than the test claims an event within moments of another writer storing it.
import { describe, expect, it } from "vitest";
import { checkoutEvent, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { putInInbox } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop } from "../../test/helpers/factories";
import { db } from "../db.server";
import { applyEvent } from "../events/handlers.server";
import { isPostgresClient } from "../lib/row-lock.server";
import { announceWork, listenForWork } from "./wakeups.server";
import { createWorker } from "./worker.server";

describe("wake-ups between processes", () => {
  it("wake a worker that would otherwise sleep for a minute when another process stores an event (PostgreSQL; SQLite has one process)", async () => {
    const { connection } = await createConnectedShop();
    if (!isPostgresClient(db())) {
      // Nothing to hear on SQLite: intake wakes the worker in its own process (app/events/registry.server.ts).
      let woken = 0;
      const stop = listenForWork(() => woken++);
      await announceWork();
      await stop();
      expect(woken).toBe(0);
      return;
    }
    // No `intake`: this worker hears of stored events only through NOTIFY, as one in its own process does.
    const worker = createWorker({ applyEvent, jobHandlers: {} }, { idleMs: 60_000 });
    worker.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 500)); // listening, and idle
      const row = await putInInbox(connection, checkoutEvent("payment_captured", paymentEventData("payment_captured", paymentFixture())));
      const started = Date.now();
      let status = row.status;
      while (status !== "processed" && Date.now() - started < 10_000) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        status = (await db().webhookEvent.findUniqueOrThrow({ where: { id: row.id } })).status;
      }
      expect(status).toBe("processed");
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await worker.stop();
    }
  });
});
