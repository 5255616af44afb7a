// Saving, submitting and accepting against the Checkout.com stand-in: files uploaded once, answers
// sent once whatever the clicks and retries, refusals after the deadline or on closed disputes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDispute, requestsTo, startDisputeWorld, type DisputeWorld } from "../../test/helpers/disputes";
import { createConnectedShop } from "../../test/helpers/factories";
import { db } from "../db.server";
import { say } from "../i18n/i18n";
import { parseDraft } from "./model";
import { acceptDispute, disputeIdempotencyKey, evidenceReadiness, saveEvidenceToCheckout, submitDisputeEvidence } from "./respond.server";

const merchant = { actor: "merchant@example.com", source: "admin" as const };
let world: DisputeWorld;

beforeAll(async () => {
  world = await startDisputeWorld();
});
afterAll(async () => world?.close());
beforeEach(() => world.checkout.faults.clear());

const evidencePath = (id: string) => new RegExp(`^/disputes/${id}/evidence$`);

describe("Save to Checkout.com", () => {
  it("uploads each file once, keeps its file id, and attaches texts and files to the dispute", async () => {
    const { shop, dispute, remoteDispute } = await openDispute(world);
    const uploadsBefore = requestsTo(world.checkout, "POST", /^\/files$/).length;
    const first = await saveEvidenceToCheckout(shop.id, dispute.id, merchant);
    expect(first.ok).toBe(true);

    const files = await db().evidenceFile.findMany({ where: { disputeId: dispute.id } });
    expect(files.length).toBeGreaterThan(0);
    expect(requestsTo(world.checkout, "POST", /^\/files$/).length - uploadsBefore).toBe(files.length);
    for (const f of files) expect(f.ckoFileId).toMatch(/^file_/);

    const stored = world.checkout.state.disputes.get(remoteDispute.fixture.id)!.evidence;
    const draft = parseDraft(dispute.evidenceDraft);
    for (const [field, text] of Object.entries(draft.texts)) expect(stored[field]).toBe(text);
    for (const f of files) expect(stored[f.field]).toBe(f.ckoFileId);
    // What Checkout.com holds is the PDF we generated, byte for byte.
    for (const f of files) expect(Buffer.compare(world.checkout.state.files.get(f.ckoFileId!)!.data, Buffer.from(f.data))).toBe(0);

    // Saving again sends the evidence again but uploads nothing.
    expect((await saveEvidenceToCheckout(shop.id, dispute.id, merchant)).ok).toBe(true);
    expect(requestsTo(world.checkout, "POST", /^\/files$/).length - uploadsBefore).toBe(files.length);
    expect(requestsTo(world.checkout, "PUT", evidencePath(remoteDispute.fixture.id))).toHaveLength(2);
    expect((await db().dispute.findUniqueOrThrow({ where: { id: dispute.id } })).evidenceSavedAt).not.toBeNull();
    expect(await db().auditLog.count({ where: { shopId: shop.id, disputeId: dispute.id, action: "evidence.save", result: "ok" } })).toBe(2);
  });

  it("uploads each file once when two saves run at the same time", async () => {
    const { shop, dispute } = await openDispute(world);
    const uploadsBefore = requestsTo(world.checkout, "POST", /^\/files$/).length;
    const results = await Promise.all([saveEvidenceToCheckout(shop.id, dispute.id, merchant), saveEvidenceToCheckout(shop.id, dispute.id, merchant)]);
    expect(results.some((r) => r.ok)).toBe(true);
    for (const r of results) if (!r.ok) expect(r.code).toBe("in_progress");
    const files = await db().evidenceFile.findMany({ where: { disputeId: dispute.id } });
    expect(requestsTo(world.checkout, "POST", /^\/files$/).length - uploadsBefore).toBe(files.length);
  });

  it("lets a failed upload be tried again, and then uploads it once", async () => {
    const { shop, dispute } = await openDispute(world);
    world.checkout.faults.set({ status: 503, paths: /^\/files$/ });
    const failed = await saveEvidenceToCheckout(shop.id, dispute.id, merchant);
    expect(failed).toMatchObject({ ok: false, code: "upstream" });
    world.checkout.faults.clear();
    const files = await db().evidenceFile.findMany({ where: { disputeId: dispute.id } });
    for (const f of files) expect(f).toMatchObject({ ckoFileId: null, uploadedAt: null });
    expect((await saveEvidenceToCheckout(shop.id, dispute.id, merchant)).ok).toBe(true);
  });
});

describe("Submit evidence", () => {
  it("submits exactly once, whatever the double clicks: one POST to Checkout.com", async () => {
    const { shop, dispute, remoteDispute } = await openDispute(world);
    const results = await Promise.all([1, 2, 3].map(() => submitDisputeEvidence(shop.id, dispute.id, merchant)));
    expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.code).toBe("in_progress");
    const again = await submitDisputeEvidence(shop.id, dispute.id, merchant);
    expect(again).toMatchObject({ ok: true, replayed: true });

    const posts = requestsTo(world.checkout, "POST", evidencePath(remoteDispute.fixture.id));
    expect(posts).toHaveLength(1);
    expect(posts[0].idempotencyKey).toBe(disputeIdempotencyKey(shop.id, remoteDispute.fixture.id, "submit"));
    expect(world.checkout.state.disputes.get(remoteDispute.fixture.id)!.fixture.status).toBe("evidence_under_review");
    const row = await db().dispute.findUniqueOrThrow({ where: { id: dispute.id } });
    expect(row).toMatchObject({ responseState: "submitted", status: "evidence_under_review", submittedBy: "merchant@example.com" });
    expect(row.submittedAt).not.toBeNull();
    expect(await db().auditLog.count({ where: { shopId: shop.id, disputeId: dispute.id, action: "evidence.submit", result: "ok" } })).toBe(
      results.filter((r) => r.ok).length + 1,
    );
  });

  it("a 502 after Checkout.com acted is retried with the same key, and Checkout.com answers with the first result", async () => {
    const { shop, dispute, remoteDispute } = await openDispute(world);
    world.checkout.faults.set({ status: 502, count: 1, methods: ["POST"], paths: evidencePath(remoteDispute.fixture.id), when: "after" });
    expect(await submitDisputeEvidence(shop.id, dispute.id, merchant)).toMatchObject({ ok: true, replayed: false });
    const posts = requestsTo(world.checkout, "POST", evidencePath(remoteDispute.fixture.id));
    expect(posts.map((p) => p.status)).toEqual([502, 204]);
    expect(new Set(posts.map((p) => p.idempotencyKey)).size).toBe(1);
    await world.checkout.webhooks.idle();
    const submitted = world.checkout.webhooks.deliveries().filter((d) => d.type === "dispute_evidence_submitted" && d.body.includes(remoteDispute.fixture.id));
    expect(submitted).toHaveLength(1);
  });

  it("when Checkout.com never confirms, the dispute stays locked and a later submit finishes it without acting twice", async () => {
    const { shop, dispute, remoteDispute } = await openDispute(world);
    world.checkout.faults.set({ status: 503, count: 10, methods: ["POST"], paths: evidencePath(remoteDispute.fixture.id), when: "after" });
    const first = await submitDisputeEvidence(shop.id, dispute.id, merchant);
    expect(first).toMatchObject({ ok: false, code: "upstream" });
    expect(!first.ok && first.message).toMatch(/Nothing will be sent twice: try again to finish\.$/);
    // In German, Checkout.com's trouble kept as its explainer wrote it (English), inside our words.
    expect(!first.ok && first.words && say("de", first.words)).toMatch(
      /^Checkout\.com .+ Nichts wird doppelt gesendet: Versuchen Sie es noch einmal, um den Vorgang abzuschließen\.$/,
    );
    // Not editable meanwhile: the evidence may be with Checkout.com already.
    const pending = await db().dispute.findUniqueOrThrow({ where: { id: dispute.id } });
    expect(pending.responseState).toBe("submitting");
    expect(evidenceReadiness(pending).refusal).toMatch(/being submitted/);

    world.checkout.faults.clear();
    expect(await submitDisputeEvidence(shop.id, dispute.id, merchant)).toMatchObject({ ok: true, replayed: false });
    const posts = requestsTo(world.checkout, "POST", evidencePath(remoteDispute.fixture.id));
    expect(posts.length).toBeGreaterThan(2);
    expect(new Set(posts.map((p) => p.idempotencyKey)).size).toBe(1);
    await world.checkout.webhooks.idle();
    expect(
      world.checkout.webhooks.deliveries().filter((d) => d.type === "dispute_evidence_submitted" && d.body.includes(remoteDispute.fixture.id)),
    ).toHaveLength(1);
  });

  it("refuses after the deadline, with a clear message, and sends nothing", async () => {
    const past = new Date(Date.now() - 3600_000).toISOString();
    const { shop, dispute, remoteDispute } = await openDispute(world, { evidenceRequiredBy: past });
    const before = world.checkout.requests.length;
    for (const result of [await submitDisputeEvidence(shop.id, dispute.id, merchant), await saveEvidenceToCheckout(shop.id, dispute.id, merchant)]) {
      expect(result).toMatchObject({ ok: false, code: "closed" });
      expect(!result.ok && result.message).toMatch(/^The deadline to respond was .* Checkout.com no longer accepts evidence/);
    }
    expect(world.checkout.requests.slice(before).filter((r) => r.path.includes(remoteDispute.fixture.id) || r.path === "/files")).toEqual([]);
    expect(await db().auditLog.count({ where: { shopId: shop.id, disputeId: dispute.id, action: "evidence.submit", result: "error" } })).toBe(1);
  });

  it("refuses on a closed dispute", async () => {
    const { shop, dispute, remoteDispute } = await openDispute(world);
    await db().dispute.update({ where: { id: dispute.id }, data: { status: "won" } });
    const result = await submitDisputeEvidence(shop.id, dispute.id, merchant);
    expect(result).toMatchObject({ ok: false, code: "closed" });
    expect(!result.ok && result.message).toContain("is won: Checkout.com no longer accepts evidence");
    expect(requestsTo(world.checkout, "POST", evidencePath(remoteDispute.fixture.id))).toHaveLength(0);
  });

  it("when Checkout.com refuses (the dispute closed there first), nothing is recorded as submitted", async () => {
    const { shop, dispute, remoteDispute } = await openDispute(world);
    world.checkout.state.setDisputeStatus(remoteDispute.fixture.id, "canceled");
    const result = await submitDisputeEvidence(shop.id, dispute.id, merchant);
    expect(result).toMatchObject({
      ok: false,
      code: "closed",
      message: "Checkout.com no longer accepts evidence for this dispute. Its status will update shortly.",
    });
    expect(!result.ok && result.words && say("fr", result.words)).toBe(
      "Checkout.com n'accepte plus de preuves pour ce litige. Son statut sera mis à jour sous peu.",
    );
    expect((await db().dispute.findUniqueOrThrow({ where: { id: dispute.id } })).responseState).toBe("none");
  });

  it("refuses to submit nothing", async () => {
    const { shop, dispute } = await openDispute(world);
    await db().dispute.update({ where: { id: dispute.id }, data: { evidenceDraft: JSON.stringify({ texts: {}, files: {}, types: ["invoice_or_receipt"] }) } });
    expect(await submitDisputeEvidence(shop.id, dispute.id, merchant)).toMatchObject({ ok: false, code: "not_ready" });
  });
});

describe("Accept dispute", () => {
  it("accepts once, then refuses evidence", async () => {
    const { shop, dispute, remoteDispute } = await openDispute(world);
    const results = await Promise.all([acceptDispute(shop.id, dispute.id, merchant), acceptDispute(shop.id, dispute.id, merchant)]);
    expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    expect(requestsTo(world.checkout, "POST", new RegExp(`^/disputes/${remoteDispute.fixture.id}/accept$`))).toHaveLength(1);
    const row = await db().dispute.findUniqueOrThrow({ where: { id: dispute.id } });
    expect(row).toMatchObject({ responseState: "accepted", status: "accepted", acceptedBy: "merchant@example.com" });
    const submit = await submitDisputeEvidence(shop.id, dispute.id, merchant);
    expect(submit).toMatchObject({ ok: false, code: "closed", message: "This dispute was accepted, so no evidence can be sent." });
  });
});

describe("tenancy", () => {
  it("another shop can neither save, submit nor accept this shop's dispute", async () => {
    const { dispute, remoteDispute } = await openDispute(world);
    const { shop: other } = await createConnectedShop();
    for (const act of [saveEvidenceToCheckout, submitDisputeEvidence, acceptDispute]) {
      expect(await act(other.id, dispute.id, merchant)).toMatchObject({ ok: false, code: "not_found" });
    }
    expect(world.checkout.requests.filter((r) => r.path.includes(remoteDispute.fixture.id) && r.method !== "GET")).toEqual([]);
    const audits = await db().auditLog.findMany({ where: { shopId: other.id, NOT: { action: "checkout.connection.save" } } });
    expect(audits).toHaveLength(3);
    for (const a of audits) expect(a.disputeId).toBeNull();
  });
});
