// Dispute tracking and the first evidence draft, against both stand-ins.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDispute, startDisputeWorld, type DisputeWorld } from "../../test/helpers/disputes";
import { createConnectedShop } from "../../test/helpers/factories";
import { OTHER_NAS_KEY } from "../../test/standins/checkout/testing";
import { db } from "../db.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { buildDisputeEvidence } from "./evidence.server";
import { parseDraft } from "./model";
import { disputeSyncJob, syncDispute } from "./sync.server";

let world: DisputeWorld;
beforeAll(async () => {
  world = await startDisputeWorld();
});
afterAll(async () => world?.close());

describe("syncDispute", () => {
  it("stores the dispute as Checkout.com has it, linked to our payment and its Shopify order", async () => {
    const opened = await openDispute(world, { category: "product_service_not_received" });
    const d = opened.dispute;
    expect(d).toMatchObject({
      shopId: opened.shop.id,
      ckoDisputeId: opened.remoteDispute.fixture.id,
      category: "product_service_not_received",
      reasonCode: opened.remoteDispute.fixture.reasonCode,
      amount: 9400,
      currency: "USD",
      status: "evidence_required",
      paymentId: opened.payment.id,
      ckoPaymentId: opened.payment.ckoPaymentId,
      orderGid: opened.orderGid,
    });
    expect(d.evidenceRequiredBy?.toISOString()).toBe(new Date(opened.remoteDispute.fixture.evidenceRequiredBy).toISOString());
    expect(JSON.parse(d.relevantEvidence)).toEqual(opened.remoteDispute.relevantEvidence);
    expect(d.lastSyncedAt).not.toBeNull();
  });

  it("builds the evidence draft from the Shopify order on first sight, following relevant_evidence", async () => {
    const opened = await openDispute(world, {
      category: "fraudulent",
      relevantEvidence: ["proof_of_delivery_or_service", "invoice_or_receipt", "additional_evidence"],
    });
    const draft = parseDraft(opened.dispute.evidenceDraft);
    expect(opened.dispute.evidenceBuiltAt).not.toBeNull();
    expect(draft.types).toEqual(["proof_of_delivery_or_service", "invoice_or_receipt", "additional_evidence"]);
    expect(draft.texts.proof_of_delivery_or_service_text).toContain("Royal Mail, tracking number RM123456789GB");
    expect(draft.texts.proof_of_delivery_or_service_text).toContain("delivery on 8 Jan 2026");
    expect(draft.texts.proof_of_delivery_or_service_date_text).toBe("Delivered on 8 Jan 2026 (Royal Mail tracking RM123456789GB).");
    expect(draft.texts.invoice_or_receipt_text).toMatch(/94\.00/);
    expect(draft.texts.additional_evidence_text).toContain("3-D Secure 2.2.0 (ECI 05)");
    expect(draft.texts.additional_evidence_text).toContain("2 earlier paid orders with no dispute");
    const files = await db().evidenceFile.findMany({ where: { disputeId: opened.dispute.id } });
    expect(files.map((f) => f.field).sort()).toEqual(["additional_evidence_file", "invoice_or_receipt_file", "proof_of_delivery_or_service_file"]);
    for (const f of files) {
      expect(f).toMatchObject({ shopId: opened.shop.id, contentType: "application/pdf", generated: true, ckoFileId: null });
      expect(Buffer.from(f.data.subarray(0, 5)).toString()).toBe("%PDF-");
      expect(Object.values(draft.files)).toContain(f.id);
    }
    const audit = await db().auditLog.findFirst({ where: { shopId: opened.shop.id, disputeId: opened.dispute.id, action: "evidence.build" } });
    expect(audit?.result).toBe("ok");
  });

  it("rebuilding unchanged data keeps the same files (so nothing is uploaded twice)", async () => {
    const opened = await openDispute(world);
    const before = await db().evidenceFile.findMany({ where: { disputeId: opened.dispute.id }, orderBy: { field: "asc" } });
    await buildDisputeEvidence(opened.shop.id, opened.dispute.id);
    const after = await db().evidenceFile.findMany({ where: { disputeId: opened.dispute.id }, orderBy: { field: "asc" } });
    expect(after.map((f) => [f.id, f.sha256])).toEqual(before.map((f) => [f.id, f.sha256]));
  });

  it("waits for the order: no draft while the payment has no matched order", async () => {
    const opened = await openDispute(world, { order: null });
    expect(opened.dispute.orderGid).toBeNull();
    expect(opened.dispute.evidenceBuiltAt).toBeNull();
  });

  it("follows the dispute as it moves on, and a later sync does not rebuild an existing draft", async () => {
    const opened = await openDispute(world);
    const builtAt = opened.dispute.evidenceBuiltAt;
    world.checkout.state.setDisputeStatus(opened.remoteDispute.fixture.id, "won");
    const synced = await syncDispute(opened.shop.id, opened.remoteDispute.fixture.id);
    expect(synced.status).toBe("won");
    expect(synced.evidenceBuiltAt).toEqual(builtAt);
  });

  it("records when the dispute closed (its evidence files go 90 days later), keeps it, and clears it if arbitration reopens it", async () => {
    const opened = await openDispute(world);
    const id = opened.remoteDispute.fixture.id;
    expect(opened.dispute.closedAt).toBeNull();
    world.checkout.state.setDisputeStatus(id, "lost");
    const lost = await syncDispute(opened.shop.id, id);
    expect(lost.closedAt).toEqual(expect.any(Date));
    expect((await syncDispute(opened.shop.id, id)).closedAt).toEqual(lost.closedAt);
    world.checkout.state.setDisputeStatus(id, "arbitration_under_review");
    expect((await syncDispute(opened.shop.id, id)).closedAt).toBeNull();
  });

  it("never moves a dispute back to an earlier stage (a read that raced our submission)", async () => {
    const opened = await openDispute(world);
    await db().dispute.update({ where: { id: opened.dispute.id }, data: { status: "evidence_under_review", responseState: "submitted" } });
    const synced = await syncDispute(opened.shop.id, opened.remoteDispute.fixture.id);
    expect(synced.status).toBe("evidence_under_review");
  });

  it("the dispute_sync job reads the dispute id from its payload, as the webhook pipeline enqueues it", async () => {
    const opened = await openDispute(world);
    world.checkout.state.setDisputeStatus(opened.remoteDispute.fixture.id, "won");
    const payload = { disputeId: opened.dispute.id, ckoDisputeId: opened.remoteDispute.fixture.id, eventType: "dispute_won" };
    await disputeSyncJob({
      id: "job-0",
      shopId: opened.shop.id,
      kind: JOB_KINDS.disputeSync,
      key: `${opened.remoteDispute.fixture.id}:evt_1`,
      payload,
      attempts: 1,
    });
    expect((await db().dispute.findUniqueOrThrow({ where: { id: opened.dispute.id } })).status).toBe("won");
  });

  it("the dispute_sync job reads the dispute id from its key", async () => {
    const opened = await openDispute(world);
    world.checkout.state.setDisputeStatus(opened.remoteDispute.fixture.id, "lost");
    await disputeSyncJob({
      id: "job-1",
      shopId: opened.shop.id,
      kind: JOB_KINDS.disputeSync,
      key: `${opened.remoteDispute.fixture.id}:evt_123`,
      payload: {},
      attempts: 1,
    });
    expect((await db().dispute.findUniqueOrThrow({ where: { id: opened.dispute.id } })).status).toBe("lost");
  });

  it("keeps shops apart: a shop on another Checkout.com account cannot read the dispute, and gets no row", async () => {
    const opened = await openDispute(world);
    const { shop: other } = await createConnectedShop(undefined, { secretKey: OTHER_NAS_KEY, signatureKey: "whsec-other-signature-key-0002" });
    await expect(syncDispute(other.id, opened.remoteDispute.fixture.id)).rejects.toMatchObject({ kind: "not_found" });
    expect(await db().dispute.count({ where: { shopId: other.id } })).toBe(0);
  });

  it("links a dispute only to the syncing shop's own payment and order", async () => {
    const opened = await openDispute(world);
    const other = await openDispute(world);
    // Both shops use the same Checkout.com account here, so shop B can read shop A's dispute.
    const copy = await syncDispute(other.shop.id, opened.remoteDispute.fixture.id);
    expect(copy.shopId).toBe(other.shop.id);
    expect(copy.paymentId).toBeNull();
    expect(copy.orderGid).toBeNull();
    expect(copy.evidenceBuiltAt).toBeNull();
  });
});
