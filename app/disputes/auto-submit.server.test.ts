// Automatic submission: off by default; when on, only complete evidence within the chosen days of an
// open deadline is submitted, once. Its hourly job is tested in deadlines.server.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDispute, requestsTo, startDisputeWorld, type DisputeWorld } from "../../test/helpers/disputes";
import { installShop } from "../../test/helpers/holds";
import { db } from "../db.server";
import { autoSubmitDue } from "./auto-submit.server";
import { updateAutoSubmitSettings } from "./deadlines.server";

const merchant = { actor: "merchant@example.com", source: "admin" as const };
const COMPLETE = ["proof_of_delivery_or_service", "invoice_or_receipt", "additional_evidence"];
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

let world: DisputeWorld;
beforeAll(async () => {
  world = await startDisputeWorld();
});
afterAll(async () => world?.close());

describe("automatic submission", () => {
  it("is off by default: nothing is submitted however close the deadline", async () => {
    const { shop, dispute } = await openDispute(world, { relevantEvidence: COMPLETE, evidenceRequiredBy: inDays(0.5) });
    expect((await db().shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } })).autoSubmitEvidence).toBe(false);
    expect(await autoSubmitDue(shop.id)).toEqual([]);
    expect((await db().dispute.findUniqueOrThrow({ where: { id: dispute.id } })).responseState).toBe("none");
  });

  it("when on, submits complete evidence due within the chosen days, and only that", async () => {
    const installed = await installShop(world.shopify);
    const shopId = installed.shop.id;
    expect(await updateAutoSubmitSettings(shopId, { autoSubmitEvidence: "on", autoSubmitDaysBefore: "2" }, merchant)).toEqual({
      ok: true,
      enabled: true,
      days: 2,
    });
    const due = await openDispute(world, { relevantEvidence: COMPLETE, evidenceRequiredBy: inDays(1) }, installed);
    const later = await openDispute(world, { relevantEvidence: COMPLETE, evidenceRequiredBy: inDays(5) }, installed);
    // customer_communication cannot be built (no conversation, no order notes): incomplete.
    const incomplete = await openDispute(world, { relevantEvidence: [...COMPLETE, "customer_communication"], evidenceRequiredBy: inDays(1) }, installed);
    const passed = await openDispute(world, { relevantEvidence: COMPLETE, evidenceRequiredBy: inDays(-0.1) }, installed);

    const results = await autoSubmitDue(shopId);
    expect(results.map((r) => r.disputeId)).toEqual([due.dispute.id]);
    expect(results[0].result.ok).toBe(true);
    const state = async (id: string) => (await db().dispute.findUniqueOrThrow({ where: { id } })).responseState;
    expect(await state(due.dispute.id)).toBe("submitted");
    for (const d of [later, incomplete, passed]) expect(await state(d.dispute.id)).toBe("none");
    expect((await db().dispute.findUniqueOrThrow({ where: { id: due.dispute.id } })).submittedBy).toBe("Automatic submission");

    // Running again submits nothing more.
    expect(await autoSubmitDue(shopId)).toEqual([]);
    expect(requestsTo(world.checkout, "POST", new RegExp(`^/disputes/${due.remoteDispute.fixture.id}/evidence$`))).toHaveLength(1);
  });

  it("validates the settings and saves nothing when they are wrong", async () => {
    const installed = await installShop(world.shopify);
    const result = await updateAutoSubmitSettings(installed.shop.id, { autoSubmitEvidence: "on", autoSubmitDaysBefore: "0" }, merchant);
    expect(result).toEqual({
      ok: false,
      fieldErrors: { autoSubmitDaysBefore: "At least 1 day." },
      fieldWords: { autoSubmitDaysBefore: { key: "disputes.settings.atLeastDays", values: { count: 1 } } },
    });
    expect((await db().shopSettings.findUniqueOrThrow({ where: { shopId: installed.shop.id } })).autoSubmitEvidence).toBe(false);
    expect(await db().auditLog.count({ where: { shopId: installed.shop.id, action: "settings.auto_submit", result: "error" } })).toBe(1);
  });
});
