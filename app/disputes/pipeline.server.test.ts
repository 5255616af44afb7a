// From Checkout.com's webhooks to a submitted dispute, through the real intake and worker: the
// dispute events create the dispute, the payment is matched to its Shopify order, the evidence is built
// from that order (whichever of the two jobs runs first), and a submission is sent once and confirmed
// by Checkout.com's own event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliver, startWebhookServer, type WebhookServer } from "../../test/helpers/checkout-webhooks";
import { deliveredOrderInput, requestsTo, startDisputeWorld, type DisputeWorld } from "../../test/helpers/disputes";
import { deliverOrderWebhooks, installShop } from "../../test/helpers/holds";
import { db } from "../db.server";
import { createAppWorker } from "../events/registry.server";
import { parseDraft } from "./model";
import { submitDisputeEvidence } from "./respond.server";

let world: DisputeWorld;
let webhooks: WebhookServer;
beforeAll(async () => {
  world = await startDisputeWorld();
  webhooks = await startWebhookServer();
});
afterAll(async () => {
  await webhooks?.close();
  await world?.close();
});

/** Forwards what the stand-in sent since `from` to the app's webhook route, in order. */
async function forward(endpointId: string, from: number) {
  await world.checkout.webhooks.idle();
  const sent = world.checkout.webhooks.deliveries().slice(from);
  for (const d of sent) {
    const answer = await deliver(webhooks, endpointId, d.body);
    expect(answer.status).toBe(200);
  }
  return sent.map((d) => d.type);
}

describe("dispute pipeline", () => {
  it("builds evidence from the matched order and submits it once", async () => {
    const shop = await installShop(world.shopify);
    const order = world.shopify.store.createOrder({ shop: shop.domain, ...deliveredOrderInput() });
    // Shopify's order webhooks put it in the order index, where matching finds it.
    await deliverOrderWebhooks(world.shopify, order);
    const worker = createAppWorker({ concurrency: 2, idleMs: 10 });

    const before = world.checkout.webhooks.deliveries().length;
    const played = await world.checkout.scenarios.play("dispute", {
      account: "shop_a",
      payment: { reference: order.name, amount: 9400, currency: "USD", email: "ada@example.com" },
      dispute: { category: "product_service_not_received" },
    });
    expect(await forward(shop.connection.endpointId, before)).toEqual([
      "payment_approved",
      "payment_captured",
      "dispute_received",
      "dispute_evidence_required",
    ]);
    // Jobs enqueue jobs (matching enqueues a sync); run until nothing is left.
    while ((await worker.runUntilIdle()) > 0);

    const dispute = await db().dispute.findFirstOrThrow({ where: { shopId: shop.shop.id, ckoDisputeId: played.dispute!.fixture.id } });
    expect(dispute).toMatchObject({ orderGid: order.id, category: "product_service_not_received", status: "evidence_required" });
    expect(dispute.evidenceBuiltAt).not.toBeNull();
    const draft = parseDraft(dispute.evidenceDraft);
    expect(draft.texts.proof_of_delivery_or_service_text).toContain(`Order ${order.name}`);
    expect(draft.texts.proof_of_delivery_or_service_text).toContain("RM123456789GB");

    const submittedAt = world.checkout.webhooks.deliveries().length;
    expect(await submitDisputeEvidence(shop.shop.id, dispute.id, { actor: "merchant@example.com", source: "admin" })).toMatchObject({ ok: true });
    expect(await forward(shop.connection.endpointId, submittedAt)).toEqual(["dispute_evidence_submitted"]);
    while ((await worker.runUntilIdle()) > 0);

    const after = await db().dispute.findUniqueOrThrow({ where: { id: dispute.id } });
    expect(after).toMatchObject({ status: "evidence_under_review", responseState: "submitted" });
    expect(requestsTo(world.checkout, "POST", new RegExp(`^/disputes/${played.dispute!.fixture.id}/evidence$`))).toHaveLength(1);
    expect(await db().job.count({ where: { shopId: shop.shop.id, status: "dead" } })).toBe(0);
  });
});
