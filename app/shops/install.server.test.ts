// Uninstalling stops every job of the shop (scheduled ones included, such as automatic evidence
// submission and dispute sync) while its data stays; a reinstall starts without the stale work and
// works again. Other shops are not touched.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { enqueueJob, JOB_KINDS, type QueuedJob } from "../queue/jobs.server";
import { createAppWorker } from "../events/registry.server";
import { checkoutEvent, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { deliver, startWebhookServer, type WebhookServer } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop, createShop } from "../../test/helpers/factories";
import { callAction, shopifyWebhookRequest } from "../../test/helpers/shopify";
import { action as uninstalled } from "../routes/webhooks.app.uninstalled";
import { markReinstalled } from "./install.server";

/** A worker whose handlers only record which jobs ran. */
function recordingWorker() {
  const ran: QueuedJob[] = [];
  const record = async (job: QueuedJob) => {
    ran.push(job);
  };
  const worker = createAppWorker({
    jobHandlers: { [JOB_KINDS.disputeDeadlines]: record, [JOB_KINDS.disputeSync]: record, [JOB_KINDS.paymentReview]: record },
  });
  return { ran, worker };
}

async function uninstall(domain: string) {
  const response = await callAction(uninstalled, shopifyWebhookRequest("/webhooks/app/uninstalled", "app/uninstalled", domain, { domain }));
  expect(response.status).toBe(200);
}

describe("uninstalling", () => {
  it("cancels the shop's pending and scheduled jobs, and runs none of its jobs while it is uninstalled", async () => {
    const gone = await createShop();
    const other = await createShop();
    const inAnHour = new Date(Date.now() + 3_600_000);
    await enqueueJob(gone.id, JOB_KINDS.disputeSync, "dsp_1:evt_1", {});
    await enqueueJob(gone.id, JOB_KINDS.disputeDeadlines, "next-hour", {}, { runAt: inAnHour });
    await enqueueJob(other.id, JOB_KINDS.disputeSync, "dsp_2:evt_2", {});
    await db().session.create({ data: { id: `offline_${gone.domain}`, shop: gone.domain, state: "", accessToken: "shpat_x" } });

    await uninstall(gone.domain);
    expect(await db().session.count({ where: { shop: gone.domain } })).toBe(0);
    expect(await db().job.findMany({ where: { shopId: gone.id }, select: { kind: true, status: true } })).toEqual(
      expect.arrayContaining([
        { kind: JOB_KINDS.disputeSync, status: "canceled" },
        { kind: JOB_KINDS.disputeDeadlines, status: "canceled" },
      ]),
    );
    // Work that still gets queued for it (an event stored before the uninstall, processed after) waits unrun.
    await enqueueJob(gone.id, JOB_KINDS.paymentReview, "pay_late", {});

    const { ran, worker } = recordingWorker();
    await worker.runUntilIdle();
    expect(ran.map((j) => j.shopId)).toEqual([other.id]);
    expect(await db().job.findFirstOrThrow({ where: { shopId: gone.id, kind: JOB_KINDS.paymentReview } })).toMatchObject({ status: "pending", attempts: 0 });
    // Its data is kept until shop/redact.
    expect(await db().shop.findUniqueOrThrow({ where: { id: gone.id } })).toMatchObject({ uninstalledAt: expect.any(Date) });
  });

  it("a reinstall starts clean: the stale work is canceled and new work runs again", async () => {
    const shop = await createShop();
    await uninstall(shop.domain);
    await enqueueJob(shop.id, JOB_KINDS.paymentReview, "queued-while-uninstalled", {});

    await markReinstalled(shop.domain);
    expect(await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).toMatchObject({ uninstalledAt: null });
    expect(await db().job.findFirstOrThrow({ where: { shopId: shop.id, key: "queued-while-uninstalled" } })).toMatchObject({ status: "canceled" });

    await enqueueJob(shop.id, JOB_KINDS.disputeSync, "after-reinstall", {});
    const { ran, worker } = recordingWorker();
    await worker.runUntilIdle();
    expect(ran.map((j) => j.key)).toEqual(["after-reinstall"]);
  });
});

describe("Checkout.com deliveries for an uninstalled shop", () => {
  let server: WebhookServer;
  beforeAll(async () => {
    server = await startWebhookServer();
  });
  afterAll(() => server.close());
  const event = () => checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture()));

  it("are refused with 410 and stored nowhere; after a reinstall they are taken again", async () => {
    const { shop, connection } = await createConnectedShop();
    expect((await deliver(server, connection.endpointId, event())).status).toBe(200);
    await uninstall(shop.domain);

    const refused = await deliver(server, connection.endpointId, event());
    expect(refused.status).toBe(410);
    expect(refused.body).toEqual({ error: "The store has uninstalled this app; nothing was stored" });
    expect(await db().webhookEvent.count({ where: { shopId: shop.id } })).toBe(1);

    await markReinstalled(shop.domain);
    expect((await deliver(server, connection.endpointId, event())).status).toBe(200);
    expect(await db().webhookEvent.count({ where: { shopId: shop.id } })).toBe(2);
  });
});
