// The Flow settings page: turning triggers on and off, validated, for the signed-in shop only.
import { beforeAll, describe, expect, it } from "vitest";
import { enabledFlowTriggers } from "../flow/settings.server";
import { FLOW_TRIGGERS } from "../flow/triggers";
import { createShop } from "../../test/helpers/factories";
import { callAction } from "../../test/helpers/shopify";
import { extensionRequest, seedOfflineSession, seedStaff } from "../../test/helpers/session-token";
import { action, loader } from "./app.flow";

const A = "flow-settings-a.myshopify.com";
const B = "flow-settings-b.myshopify.com";
let shopA: string;
let shopB: string;

function save(shop: string, handles: string[]) {
  const body = new URLSearchParams(handles.map((h) => ["trigger", h]));
  return callAction(action, extensionRequest("/app/flow", shop, { method: "POST", body }));
}

beforeAll(async () => {
  shopA = (await createShop(A)).id;
  shopB = (await createShop(B)).id;
  await seedOfflineSession(A);
  await seedStaff(A, { userId: 74_000_001 });
  await seedOfflineSession(B);
  await seedStaff(B, { userId: 74_000_001 });
});

describe("/app/flow", () => {
  it("lists every trigger, all off for a new shop", async () => {
    const body = await (await callAction(loader, extensionRequest("/app/flow", A))).json();
    expect(body.triggers).toHaveLength(5);
    expect(body.triggers.every((t: { enabled: boolean }) => !t.enabled)).toBe(true);
  });

  it("saves the checked triggers for this shop only", async () => {
    const response = await save(A, [FLOW_TRIGGERS.dispute_opened.handle, FLOW_TRIGGERS.payment_flagged.handle]);
    expect(response.status).toBe(200);
    expect(await enabledFlowTriggers(shopA)).toEqual(["cko-payment-flagged", "cko-dispute-opened"]);
    expect(await enabledFlowTriggers(shopB)).toEqual([]);

    const listed = await (await callAction(loader, extensionRequest("/app/flow", A))).json();
    expect(listed.triggers.filter((t: { enabled: boolean }) => t.enabled).map((t: { handle: string }) => t.handle)).toEqual([
      "cko-payment-flagged",
      "cko-dispute-opened",
    ]);
  });

  it("turns everything off when nothing is checked", async () => {
    await save(A, [FLOW_TRIGGERS.refund_processed.handle]);
    await save(A, []);
    expect(await enabledFlowTriggers(shopA)).toEqual([]);
  });

  it("refuses an unknown trigger with 400 and keeps what was saved", async () => {
    await save(A, [FLOW_TRIGGERS.dispute_closed.handle]);
    const response = await save(A, [FLOW_TRIGGERS.payment_declined.handle, "someone-elses-trigger"]);
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/Unknown Flow trigger/);
    expect(await enabledFlowTriggers(shopA)).toEqual(["cko-dispute-closed"]);
  });
});
