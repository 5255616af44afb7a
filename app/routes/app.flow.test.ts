// The Flow settings page: turning triggers on and off, validated, for the signed-in shop only.
import { beforeAll, describe, expect, it } from "vitest";
import { enabledFlowTriggers } from "../flow/settings.server";
import { FLOW_TRIGGERS, FLOW_TRIGGER_HANDLES } from "../flow/triggers";
import { db } from "../db.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { createShop } from "../../test/helpers/factories";
import { callAction } from "../../test/helpers/shopify";
import { extensionRequest, seedOfflineSession, seedStaff, sessionToken } from "../../test/helpers/session-token";
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
    expect(body.triggers.map((t: { handle: string }) => t.handle)).toEqual(FLOW_TRIGGER_HANDLES);
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

  it('turning on "Dispute evidence due soon" starts the hourly dispute-deadline job for this shop only', async () => {
    const deadlineJobs = (shopId: string) => db().job.count({ where: { shopId, kind: JOB_KINDS.disputeDeadlines } });
    await save(A, [FLOW_TRIGGERS.dispute_opened.handle]);
    expect(await deadlineJobs(shopA)).toBe(0);
    const response = await save(A, [FLOW_TRIGGERS.dispute_evidence_due.handle]);
    expect(response.status).toBe(200);
    expect(await enabledFlowTriggers(shopA)).toEqual(["cko-dispute-evidence-due"]);
    expect(await deadlineJobs(shopA)).toBe(1);
    expect(await deadlineJobs(shopB)).toBe(0);
    await save(A, []);
  });

  it("answers in the staff member's language", async () => {
    await seedStaff(B, { userId: 74_000_010, locale: "fr" });
    const token = sessionToken(B, { userId: 74_000_010 });
    const post = (handles: string[]) =>
      callAction(action, extensionRequest("/app/flow", B, { method: "POST", token, body: new URLSearchParams(handles.map((h) => ["trigger", h])) }));
    expect(await (await post([FLOW_TRIGGERS.dispute_opened.handle])).json()).toEqual({ ok: true, message: "Déclencheurs Flow enregistrés." });
    const refused = await post(["someone-elses-trigger"]);
    expect(refused.status).toBe(400);
    expect((await refused.json()).message).toBe("Déclencheur Flow inconnu. Rien n'a été enregistré.");
    await post([]);
  });
});
