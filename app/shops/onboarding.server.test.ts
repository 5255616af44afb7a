// The setup checklist ticks each step from the shop's real state, and from that shop's only.
import { describe, expect, it } from "vitest";
import { createConnectedShop, createShop } from "../../test/helpers/factories";
import { db } from "../db.server";
import { saveFlowSettings } from "../flow/settings.server";
import { FLOW_TRIGGERS } from "../flow/triggers";
import { createZendeskConnection } from "../zendesk/connections.server";
import { noteOrderBlockSeen, onboardingSteps } from "./onboarding.server";

const doneOf = async (shopId: string) => Object.fromEntries((await onboardingSteps(shopId)).map((s) => [s.id, s.done]));

/** Everything a fully set-up shop has. */
async function setUpEverything(shopId: string, connectionId: string) {
  await db().checkoutConnection.updateMany({ where: { shopId }, data: { lastTestOk: true } });
  await db().webhookEvent.create({ data: { shopId, connectionId, eventId: `evt_${shopId}`, type: "payment_approved", payload: "{}" } });
  await db().riskRules.update({ where: { shopId }, data: { reviewedAt: new Date() } });
  const zendesk = await createZendeskConnection(shopId, { subdomain: "acme-support" }, "admin@example.com");
  expect(zendesk.ok).toBe(true);
  await noteOrderBlockSeen(shopId);
  const form = new FormData();
  form.append("trigger", FLOW_TRIGGERS.payment_flagged.handle);
  expect((await saveFlowSettings(shopId, form)).ok).toBe(true);
}

describe("onboardingSteps", () => {
  it("a new shop has every step to do, each with where to do it", async () => {
    const shop = await createShop();
    const steps = await onboardingSteps(shop.id);
    expect(steps.map((s) => s.id)).toEqual(["checkout", "webhooks", "rules", "zendesk", "order_block", "flow"]);
    expect(steps.every((s) => !s.done)).toBe(true);
    expect(steps.find((s) => s.id === "checkout")!.detail).toBe("missing");
  });

  it("saved keys are not enough: they tick once a test passed or the webhook was registered", async () => {
    const { shop } = await createConnectedShop();
    expect((await doneOf(shop.id)).checkout).toBe(false);
    await db().checkoutConnection.updateMany({ where: { shopId: shop.id }, data: { workflowStatus: "registered" } });
    const steps = await onboardingSteps(shop.id);
    expect(steps.find((s) => s.id === "checkout")!.done).toBe(true);
    expect(steps.find((s) => s.id === "webhooks")!.detail).toBe("registered");
  });

  it("does not tick the keys once a connection test failed (a revoked key), even with the webhook registered, nor for a disconnected connection", async () => {
    const { shop } = await createConnectedShop();
    await db().checkoutConnection.updateMany({ where: { shopId: shop.id }, data: { workflowStatus: "registered", lastTestOk: true } });
    expect((await doneOf(shop.id)).checkout).toBe(true);

    await db().checkoutConnection.updateMany({ where: { shopId: shop.id }, data: { lastTestOk: false } });
    const failing = (await onboardingSteps(shop.id)).find((s) => s.id === "checkout")!;
    expect(failing).toMatchObject({ done: false, detail: "failing" });

    await db().checkoutConnection.updateMany({ where: { shopId: shop.id }, data: { lastTestOk: true, disconnectedAt: new Date(), active: false } });
    expect((await onboardingSteps(shop.id)).find((s) => s.id === "checkout")).toMatchObject({ done: false, detail: "missing" });
  });

  it("ticks every step from the shop's state", async () => {
    const { shop, connection } = await createConnectedShop();
    await setUpEverything(shop.id, connection.id);
    expect(await doneOf(shop.id)).toEqual({ checkout: true, webhooks: true, rules: true, zendesk: true, order_block: true, flow: true });
  });

  it("another shop's setup ticks nothing here, and a revoked Zendesk connection does not count", async () => {
    const a = await createConnectedShop();
    const b = await createConnectedShop();
    await setUpEverything(b.shop.id, b.connection.id);
    expect(Object.values(await doneOf(a.shop.id)).some(Boolean)).toBe(false);

    await db().zendeskConnection.updateMany({ where: { shopId: b.shop.id }, data: { revokedAt: new Date() } });
    expect((await doneOf(b.shop.id)).zendesk).toBe(false);
  });
});
