// Which stored events act: only the active environment's, and only the shop's processing channels' and entities'.
import { describe, expect, it } from "vitest";
import { checkoutEvent, disputeEventData, disputeFixture, paymentEventData, paymentFixture } from "../../test/fixtures/checkout-events";
import { putInInbox } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop } from "../../test/helpers/factories";
import { activateConnection, saveConnection } from "../checkout/connection.server";
import { db } from "../db.server";
import { queueInsightsRollup } from "../insights/stale.server";
import { inPreparedTransaction } from "../lib/prepared-sql.server";
import { lockRowForUpdate } from "../lib/row-lock.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { applyEvent } from "./handlers.server";
import { createAppWorker } from "./registry.server";

const run = () => createAppWorker({ jobHandlers: {} }).runUntilIdle();
const approved = (overrides: Parameters<typeof paymentFixture>[0] = {}) => {
  const payment = paymentFixture(overrides);
  return { payment, event: checkoutEvent("payment_approved", paymentEventData("payment_approved", payment)) };
};
const paymentIds = async (shopId: string) =>
  (await db().payment.findMany({ where: { shopId }, select: { ckoPaymentId: true } })).map((p) => p.ckoPaymentId).sort();
const CHANNEL_A = "pc_axclravnqf5u5ejkweijnp5zc4";
const CHANNEL_B = "pc_bqxhxvkd4p3f5pjn5jrbqmzd6y";
const ENTITY_A = "ent_axclravnqf5u5ejkweijnp5zc4";
const ENTITY_B = "ent_bqxhxvkd4p3f5pjn5jrbqmzd6y";

describe("events of the inactive environment", () => {
  it("are stored and labelled but never act; after a switch the other environment's are the ones kept aside", async () => {
    const { shop, connection: sandbox } = await createConnectedShop();
    const saved = await saveConnection(
      shop.id,
      { accountType: "NAS", environment: "production", subdomain: "live1234", secretKey: "sk_" + "p".repeat(27) },
      "admin@example.com",
    );
    if (!saved.ok) throw new Error("not saved");
    const production = await db().checkoutConnection.findFirstOrThrow({ where: { shopId: shop.id, environment: "production" } });

    const live = approved();
    const test = approved();
    const liveRow = await putInInbox(production, live.event);
    await putInInbox(sandbox, test.event);
    await run();

    expect(await paymentIds(shop.id)).toEqual([test.payment.id]);
    expect(await db().webhookEvent.findUniqueOrThrow({ where: { id: liveRow.id } })).toMatchObject({ status: "processed", skipped: "inactive_environment" });

    await activateConnection(shop.id, "production", "admin@example.com");
    const laterLive = approved();
    const laterTest = approved();
    await putInInbox(production, laterLive.event);
    const laterTestRow = await putInInbox(sandbox, laterTest.event);
    await run();

    expect(await paymentIds(shop.id)).toEqual([test.payment.id, laterLive.payment.id].sort());
    expect((await db().webhookEvent.findUniqueOrThrow({ where: { id: laterTestRow.id } })).skipped).toBe("inactive_environment");
  });
});

describe("processing channels", () => {
  it("only the shop's channels act; an event naming no channel acts as before; with no channels set, all act", async () => {
    const scoped = await createConnectedShop(undefined, { processingChannelIds: CHANNEL_A });
    const open = await createConnectedShop();
    const ours = approved({ processingChannelId: CHANNEL_A });
    const theirs = approved({ processingChannelId: CHANNEL_B });
    const unnamed = approved();
    for (const { event } of [ours, theirs, unnamed]) await putInInbox(scoped.connection, event);
    const elsewhere = approved({ processingChannelId: CHANNEL_B });
    await putInInbox(open.connection, elsewhere.event);
    await run();

    expect(await paymentIds(scoped.shop.id)).toEqual([ours.payment.id, unnamed.payment.id].sort());
    const skipped = await db().webhookEvent.findMany({
      where: { shopId: scoped.shop.id, skipped: { not: null } },
      select: { ckoPaymentId: true, skipped: true },
    });
    expect(skipped).toEqual([{ ckoPaymentId: theirs.payment.id, skipped: "other_processing_channel" }]);
    expect(await paymentIds(open.shop.id)).toEqual([elsewhere.payment.id]);
  });
});

describe("entities", () => {
  // Checkout.com names the entity in the event's data (`entity_id`, beside `processing_channel_id`).
  const ofEntity = (entity?: string) => {
    const payment = paymentFixture();
    return { payment, event: checkoutEvent("payment_approved", paymentEventData("payment_approved", payment, entity ? { entity_id: entity } : {})) };
  };
  const disputeOf = (entity: string) => {
    const dispute = disputeFixture();
    return { dispute, event: checkoutEvent("dispute_evidence_required", { ...disputeEventData(dispute), entity_id: entity }) };
  };

  it("only the shop's entities act, payments and disputes alike; an event naming no entity acts as before", async () => {
    const { shop, connection } = await createConnectedShop(undefined, { entityIds: ENTITY_A });
    const ours = ofEntity(ENTITY_A);
    const theirs = ofEntity(ENTITY_B);
    const unnamed = ofEntity();
    const ourDispute = disputeOf(ENTITY_A);
    const theirDispute = disputeOf(ENTITY_B);
    for (const { event } of [ours, theirs, unnamed, ourDispute, theirDispute]) await putInInbox(connection, event);
    await run();

    // A dispute event also records its payment: their dispute's must not appear.
    expect(await paymentIds(shop.id)).toEqual([ours.payment.id, unnamed.payment.id, ourDispute.dispute.paymentId].sort());
    const disputes = await db().dispute.findMany({ where: { shopId: shop.id }, select: { ckoDisputeId: true } });
    expect(disputes.map((d) => d.ckoDisputeId)).toEqual([ourDispute.dispute.id]);
    expect(await db().webhookEvent.count({ where: { shopId: shop.id, status: "processed" } })).toBe(5);
    const skipped = await db().webhookEvent.findMany({
      where: { shopId: shop.id, skipped: { not: null } },
      select: { eventId: true, skipped: true },
      orderBy: { eventId: "asc" },
    });
    expect(skipped).toEqual([theirs.event.id, theirDispute.event.id].sort().map((eventId) => ({ eventId, skipped: "other_entity" })));
  });
});

describe("two batches on PostgreSQL", () => {
  it.runIf(/^postgres/.test(process.env.TEST_DATABASE_URL ?? ""))(
    "never deadlock on the minute's Insights roll-up job and a payment: an event takes the job's row before its payment's",
    async () => {
      const { shop, connection } = await createConnectedShop();
      const { payment, event } = approved();
      await putInInbox(connection, event);
      await run();
      const stored = await db().payment.findFirstOrThrow({ where: { shopId: shop.id, ckoPaymentId: payment.id } });
      // The minute's roll-up job is not there yet: the first batch to queue it holds its row until it commits.
      await db().job.deleteMany({ where: { shopId: shop.id, kind: JOB_KINDS.insightsRollup } });
      const captured = await putInInbox(connection, checkoutEvent("payment_captured", paymentEventData("payment_captured", payment)));

      let queued!: () => void;
      const jobQueued = new Promise<void>((resolve) => (queued = resolve));
      const first = inPreparedTransaction(db(), async (tx) => {
        await queueInsightsRollup(tx, shop.id);
        queued();
        // The other batch is under way now; then this one needs the payment.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await lockRowForUpdate(tx, "Payment", stored.id);
      });
      await jobQueued;
      const second = inPreparedTransaction(db(), (tx) => applyEvent(tx, captured));
      await expect(Promise.all([first, second])).resolves.toEqual([undefined, "applied"]);
    },
  );
});
