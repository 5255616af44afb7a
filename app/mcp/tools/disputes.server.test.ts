// The dispute read tools through the SDK's client: a dispute synced from the Checkout.com stand-in with
// the evidence built from its Shopify order, a draft with something missing, the open disputes by
// deadline, and one shop's token never reaching another shop's disputes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDispute, startDisputeWorld, type DisputeWorld } from "../../../test/helpers/disputes";
import { createConnectedShop, createOrderPayment } from "../../../test/helpers/factories";
import { agentToken, callTool, mcpClient } from "../../../test/helpers/mcp";
import { db } from "../../db.server";
import { parseDraft } from "../../disputes/model";
import { evidenceReadiness } from "../../disputes/respond.server";

let world: DisputeWorld;
beforeAll(async () => {
  world = await startDisputeWorld();
});
afterAll(async () => world?.close());

const DAY = 86_400_000;

const disputeIds = (answer: Awaited<ReturnType<typeof callTool>>): string[] => answer.data!.disputes.map((d: { disputeId: string }) => d.disputeId);

/** A dispute row as the sync stores it, on a payment of the shop. */
async function storedDispute(
  shopId: string,
  data: { ckoDisputeId: string; evidenceRequiredBy: Date | null; status?: string; responseState?: string; orderName?: string },
) {
  const { payment } = await createOrderPayment(shopId, {
    orderName: data.orderName ?? null,
    payment: { currency: "EUR", amount: 7000, status: "Captured", capturedAmount: 7000 },
  });
  return db().dispute.create({
    data: {
      shopId,
      ckoDisputeId: data.ckoDisputeId,
      paymentId: payment.id,
      ckoPaymentId: payment.ckoPaymentId,
      category: "product_service_not_received",
      reasonCode: "13.1",
      amount: 7000,
      currency: "EUR",
      status: data.status ?? "evidence_required",
      responseState: data.responseState ?? "none",
      evidenceRequiredBy: data.evidenceRequiredBy,
      receivedOn: new Date(),
    },
  });
}

describe("get_dispute and get_evidence_draft on a synced dispute", () => {
  it("answers the dispute with its deadline and the evidence built from the order, files by name and size only", async () => {
    const { shop, dispute, payment } = await openDispute(world);
    const { token } = await agentToken(shop.id);
    const client = await mcpClient(token);

    const byId = await callTool(client, "get_dispute", { dispute: dispute!.ckoDisputeId });
    expect(byId.isError, byId.text).toBe(false);
    const readiness = evidenceReadiness(dispute!);
    expect(byId.data).toMatchObject({
      disputeId: dispute!.ckoDisputeId,
      paymentId: payment.ckoPaymentId,
      reason: { category: "fraudulent", label: "Fraudulent" },
      amount: { minor: 9400, currency: "USD", formatted: "$94.00" },
      status: "evidence_required",
      statusText: "Evidence required",
      deadline: { at: { iso: dispute!.evidenceRequiredBy!.toISOString() }, timeLeft: expect.stringMatching(/left$/), overdue: false },
      evidence: { responseState: "none", canSend: readiness.canSend, complete: readiness.complete, submittedAt: null },
    });
    expect(byId.data!.deadline.daysLeft).toBeGreaterThanOrEqual(6);
    expect(byId.text).toContain(`Dispute ${dispute!.ckoDisputeId} (Fraudulent, $94.00)`);

    // The payment's id finds the same dispute (its newest).
    const byPayment = await callTool(client, "get_dispute", { dispute: payment.ckoPaymentId });
    expect(byPayment.data?.disputeId).toBe(dispute!.ckoDisputeId);

    const draft = await callTool(client, "get_evidence_draft", { dispute: dispute!.ckoDisputeId });
    expect(draft.isError, draft.text).toBe(false);
    const stored = parseDraft(dispute!.evidenceDraft);
    const files = await db().evidenceFile.findMany({ where: { disputeId: dispute!.id } });
    expect(files.length).toBeGreaterThan(0);
    for (const field of draft.data!.fields) expect(field.text).toBe(stored.texts[field.textField as keyof typeof stored.texts] ?? "");
    const answeredFiles = draft.data!.fields.flatMap((f: { file: unknown }) => (f.file ? [f.file] : []));
    expect(answeredFiles).toEqual(
      expect.arrayContaining(
        files.map((f) => ({ name: f.filename, contentType: f.contentType, sizeBytes: f.size, generated: true, uploadedToCheckout: false })),
      ),
    );
    expect(draft.data!.readiness).toMatchObject({ canSend: readiness.canSend, complete: readiness.complete });
    // Names and sizes, never the bytes.
    expect(JSON.stringify(draft.data)).not.toContain(Buffer.from(files[0].data).subarray(0, 64).toString("base64"));
    expect(draft.text).toContain(`file ${files[0].filename}`);
  });
});

describe("get_evidence_draft", () => {
  it("says what the dispute asks for that is missing, and that the draft can still be sent", async () => {
    const { shop } = await createConnectedShop();
    const dispute = await storedDispute(shop.id, { ckoDisputeId: "dsp_missing1", evidenceRequiredBy: new Date(Date.now() + 3 * DAY), orderName: "#8101" });
    const file = await db().evidenceFile.create({
      data: {
        shopId: shop.id,
        disputeId: dispute.id,
        field: "invoice_or_receipt_file",
        filename: "invoice-8101.pdf",
        contentType: "application/pdf",
        sha256: "a".repeat(64),
        size: 20_480,
        data: Buffer.from("%PDF-1.7 invoice"),
      },
    });
    await db().dispute.update({
      where: { id: dispute.id },
      data: {
        evidenceDraft: JSON.stringify({
          types: ["proof_of_delivery_or_service", "invoice_or_receipt"],
          texts: { invoice_or_receipt_text: "Invoice #8101: one analytical engine manual." },
          files: { invoice_or_receipt_file: file.id },
        }),
        evidenceBuiltAt: new Date(),
      },
    });
    const { token } = await agentToken(shop.id);
    const answer = await callTool(await mcpClient(token), "get_evidence_draft", { dispute: "#8101" });
    expect(answer.isError, answer.text).toBe(false);
    expect(answer.data!.readiness).toEqual({
      canSend: true,
      complete: false,
      missing: [{ type: "proof_of_delivery_or_service", label: "Proof of delivery or service" }],
      refusal: null,
    });
    expect(answer.data!.fields).toEqual([
      expect.objectContaining({ type: "proof_of_delivery_or_service", text: "", file: null, missing: true }),
      expect.objectContaining({
        type: "invoice_or_receipt",
        text: "Invoice #8101: one analytical engine manual.",
        file: { name: "invoice-8101.pdf", contentType: "application/pdf", sizeBytes: 20_480, generated: true, uploadedToCheckout: false },
        missing: false,
      }),
    ]);
    expect(answer.text).toContain("Proof of delivery or service: nothing yet");
    expect(answer.text).toContain("file invoice-8101.pdf (20 KB)");
    expect(answer.text).toContain("Missing Proof of delivery or service");
  });

  it("says why nothing can be sent once evidence was submitted", async () => {
    const { shop } = await createConnectedShop();
    await storedDispute(shop.id, { ckoDisputeId: "dsp_sent1", evidenceRequiredBy: new Date(Date.now() + DAY), responseState: "submitted" });
    await db().dispute.update({
      where: { shopId_ckoDisputeId: { shopId: shop.id, ckoDisputeId: "dsp_sent1" } },
      data: { submittedAt: new Date(), submittedBy: "Support bot" },
    });
    const { token } = await agentToken(shop.id);
    const answer = await callTool(await mcpClient(token), "get_dispute", { dispute: "dsp_sent1" });
    expect(answer.data!.evidence).toMatchObject({ canSend: false, submittedBy: "Support bot", refusal: expect.stringContaining("Evidence was submitted") });
    expect(answer.text).toContain("Evidence was submitted");
  });
});

describe("list_open_disputes", () => {
  it("lists the unanswered disputes soonest deadline first, overdue ones marked, and not the answered or closed ones", async () => {
    const { shop } = await createConnectedShop();
    const now = Date.now();
    await storedDispute(shop.id, { ckoDisputeId: "dsp_late", evidenceRequiredBy: new Date(now + 10 * DAY), orderName: "#8201" });
    await storedDispute(shop.id, { ckoDisputeId: "dsp_soon", evidenceRequiredBy: new Date(now + 2 * DAY + 3_600_000) });
    await storedDispute(shop.id, { ckoDisputeId: "dsp_overdue", evidenceRequiredBy: new Date(now - 3_600_000) });
    await storedDispute(shop.id, { ckoDisputeId: "dsp_answered", evidenceRequiredBy: new Date(now + DAY), responseState: "submitted" });
    await storedDispute(shop.id, { ckoDisputeId: "dsp_won", evidenceRequiredBy: new Date(now + DAY), status: "won" });
    await storedDispute(shop.id, { ckoDisputeId: "dsp_undated", evidenceRequiredBy: null });
    const { token } = await agentToken(shop.id);
    const client = await mcpClient(token);

    const all = await callTool(client, "list_open_disputes");
    expect(all.isError, all.text).toBe(false);
    expect(disputeIds(all)).toEqual(["dsp_overdue", "dsp_soon", "dsp_late", "dsp_undated"]);
    expect(all.data!.disputes[0].deadline).toMatchObject({ overdue: true, timeLeft: "Overdue", daysLeft: -1 });
    expect(all.data!.disputes[1].deadline).toMatchObject({ overdue: false, timeLeft: "2 days left", daysLeft: 2 });
    expect(all.data!.disputes[2]).toMatchObject({ orderName: "#8201", amount: { formatted: "€70.00" }, reason: { label: "Product or service not received" } });
    expect(all.data!.disputes[3].deadline).toBeNull();
    expect(all.data!.nextCursor).toBeNull();
    expect(all.text).toContain("4 disputes need an answer, soonest first");
    expect(all.text).toContain("dsp_undated (Product or service not received, €70.00) no deadline given");

    // Two pages of two: every open dispute once, in order, and no third page.
    const first = await callTool(client, "list_open_disputes", { limit: 2 });
    expect(disputeIds(first)).toEqual(["dsp_overdue", "dsp_soon"]);
    expect(first.text).toContain("call again with the nextCursor");
    const second = await callTool(client, "list_open_disputes", { limit: 2, cursor: first.data!.nextCursor });
    expect(second.isError, second.text).toBe(false);
    expect(disputeIds(second)).toEqual(["dsp_late", "dsp_undated"]);
    expect(second.data!.nextCursor).toBeNull();

    // Due within some days: those with a deadline only.
    const soon = await callTool(client, "list_open_disputes", { due_within_days: 5, limit: 1 });
    expect(disputeIds(soon)).toEqual(["dsp_overdue"]);
    const soonAfter = await callTool(client, "list_open_disputes", { due_within_days: 5, limit: 1, cursor: soon.data!.nextCursor });
    expect(disputeIds(soonAfter)).toEqual(["dsp_soon"]);
    expect(soonAfter.data!.nextCursor).toBeNull();
  });

  it("pages through disputes sharing a deadline and those without one without losing or repeating one", async () => {
    const { shop } = await createConnectedShop();
    const same = new Date(Date.now() + 4 * DAY);
    const made = [];
    for (let i = 0; i < 3; i += 1) made.push(await storedDispute(shop.id, { ckoDisputeId: `dsp_same${i}`, evidenceRequiredBy: same }));
    for (let i = 0; i < 2; i += 1) made.push(await storedDispute(shop.id, { ckoDisputeId: `dsp_none${i}`, evidenceRequiredBy: null }));
    const client = await mcpClient((await agentToken(shop.id)).token);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 3; page += 1) {
      const answer = await callTool(client, "list_open_disputes", { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(answer.isError, answer.text).toBe(false);
      seen.push(...disputeIds(answer));
      cursor = answer.data!.nextCursor ?? undefined;
    }
    expect(cursor).toBeUndefined();
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    const dated = made.slice(0, 3).sort(byId);
    const undated = made.slice(3).sort(byId);
    expect(seen).toEqual([...dated, ...undated].map((d) => d.ckoDisputeId));
  });
});

describe("tenancy", () => {
  it("never reaches another shop's dispute, by its id or its payment, nor lists it", async () => {
    const { shop } = await createConnectedShop();
    const other = await createConnectedShop();
    const theirs = await storedDispute(other.shop.id, { ckoDisputeId: "dsp_theirs1", evidenceRequiredBy: new Date(Date.now() + DAY), orderName: "#8301" });
    const { token } = await agentToken(shop.id);
    const client = await mcpClient(token);
    for (const tool of ["get_dispute", "get_evidence_draft"]) {
      const byId = await callTool(client, tool, { dispute: "dsp_theirs1" });
      expect(byId.isError).toBe(true);
      expect(byId.text).toContain('no Checkout.com dispute "dsp_theirs1"');
      const byPayment = await callTool(client, tool, { dispute: theirs.ckoPaymentId! });
      expect(byPayment.isError).toBe(true);
      expect(byPayment.text).toContain("no Checkout.com payment");
    }
    const list = await callTool(client, "list_open_disputes");
    expect(list.data!.disputes).toEqual([]);
    expect(list.text).toBe("No dispute waits for an answer.");
  });

  it("refuses a cursor from another shop's answer, or one it never gave, revealing none of the other shop's disputes", async () => {
    const { shop } = await createConnectedShop();
    const other = await createConnectedShop();
    await storedDispute(other.shop.id, { ckoDisputeId: "dsp_theirs_dated", evidenceRequiredBy: new Date(Date.now() + DAY) });
    for (let i = 0; i < 2; i += 1) await storedDispute(other.shop.id, { ckoDisputeId: `dsp_theirs_undated${i}`, evidenceRequiredBy: null });
    await storedDispute(shop.id, { ckoDisputeId: "dsp_ours_page", evidenceRequiredBy: new Date(Date.now() + 5 * DAY) });
    const theirClient = await mcpClient((await agentToken(other.shop.id)).token);
    // Their cursors past a dispute with a deadline and past one without.
    const theirCursors = [
      (await callTool(theirClient, "list_open_disputes", { limit: 1 })).data!.nextCursor,
      (await callTool(theirClient, "list_open_disputes", { limit: 2 })).data!.nextCursor,
    ];
    expect(theirCursors).toEqual([expect.any(String), expect.stringMatching(/^none_/)]);

    const ourClient = await mcpClient((await agentToken(shop.id)).token);
    for (const cursor of [...theirCursors, "page-2", "none_x"]) {
      const answer = await callTool(ourClient, "list_open_disputes", { cursor });
      expect(answer.isError, cursor).toBe(true);
      expect(answer.text).toContain("The cursor is not one this tool gave");
      expect(answer.text).not.toContain("dsp_theirs");
    }
    expect(disputeIds(await callTool(ourClient, "list_open_disputes"))).toEqual(["dsp_ours_page"]);
  });
});
