// submit_dispute_evidence through the SDK's client, against the Checkout.com stand-in: a dry run says
// whether the store's draft is ready (what is missing, the deadline) and sends nothing; a complete
// draft is submitted once however often it is asked; another shop's token finds no dispute.
import { describe, expect, it } from "vitest";
import { createConnectedShop, createOrderPayment } from "../../../test/helpers/factories";
import { agentToken, callTool, mcpClient } from "../../../test/helpers/mcp";
import { useMoneyStandIns } from "../../../test/helpers/money-world";
import { db } from "../../db.server";

const standIns = useMoneyStandIns();

/** An open dispute at Checkout.com and in our database, its draft complete or not. */
async function openDispute(options: { complete: boolean }) {
  const { shop } = await createConnectedShop();
  const cko = standIns.checkout.state.createPayment({ amount: 10_000, currency: "EUR", capture: true });
  const { payment } = await createOrderPayment(shop.id, {
    payment: { ckoPaymentId: cko.fixture.id, amount: 10_000, currency: "EUR", status: "Captured", capturedAmount: 10_000 },
  });
  const remote = standIns.checkout.state.createDispute({ account: "shop_a", paymentId: cko.fixture.id, category: "product_service_not_received" });
  const texts = options.complete
    ? { proof_of_delivery_or_service_text: "Delivered 8 Jan, signed by A. Lovelace.", customer_communication_text: "The customer confirmed receipt by email." }
    : { proof_of_delivery_or_service_text: "Delivered 8 Jan." };
  const dispute = await db().dispute.create({
    data: {
      shopId: shop.id,
      ckoDisputeId: remote.fixture.id,
      paymentId: payment.id,
      ckoPaymentId: cko.fixture.id,
      category: "product_service_not_received",
      amount: 10_000,
      currency: "EUR",
      status: "evidence_required",
      evidenceRequiredBy: new Date(Date.now() + 5 * 86_400_000),
      evidenceDraft: JSON.stringify({ texts, files: {}, types: ["proof_of_delivery_or_service", "customer_communication"] }),
      evidenceBuiltAt: new Date(),
    },
  });
  const submits = () => standIns.checkout.requests.filter((r) => r.method === "POST" && r.path === `/disputes/${remote.fixture.id}/evidence`);
  return { shop, dispute, ckoDisputeId: remote.fixture.id, submits };
}

const clientFor = async (shopId: string) => mcpClient((await agentToken(shopId, { name: "Dispute bot" })).token);

describe("submit_dispute_evidence", () => {
  it("a dry run on an unfinished draft says what is missing and the deadline, and sends nothing; the real call is refused", async () => {
    const w = await openDispute({ complete: false });
    const client = await clientFor(w.shop.id);
    const dry = await callTool(client, "submit_dispute_evidence", { dispute: w.ckoDisputeId, dry_run: true });
    expect(dry.isError, dry.text).toBe(false);
    expect(dry.data).toMatchObject({
      dry_run: true,
      disputeId: w.ckoDisputeId,
      amount: { minor: 10_000, formatted: "€100.00" },
      deadline: { iso: w.dispute.evidenceRequiredBy!.toISOString() },
      ready: false,
      missing: [{ type: "customer_communication", label: "Customer communication" }],
      refusal: expect.stringContaining("missing: customer communication"),
      submittedAt: null,
    });
    expect(dry.text).toContain("A real call would be refused, sending nothing");

    const real = await callTool(client, "submit_dispute_evidence", { dispute: w.ckoDisputeId });
    expect(real).toMatchObject({ isError: true, text: expect.stringContaining("missing: customer communication") });
    expect(w.submits()).toHaveLength(0);
    expect((await db().dispute.findUniqueOrThrow({ where: { id: w.dispute.id } })).responseState).toBe("none");
  });

  it("submits a complete draft once: a repeat is answered `replayed`", async () => {
    const w = await openDispute({ complete: true });
    const client = await clientFor(w.shop.id);
    const dry = await callTool(client, "submit_dispute_evidence", { dispute: w.ckoDisputeId, dry_run: true });
    expect(dry.data).toMatchObject({ ready: true, missing: [], refusal: null });
    expect(w.submits()).toHaveLength(0);

    const first = await callTool(client, "submit_dispute_evidence", { dispute: w.ckoDisputeId });
    expect(first.isError, first.text).toBe(false);
    expect(first.data).toMatchObject({ dry_run: false, replayed: false, submittedAt: { iso: expect.any(String) } });
    const again = await callTool(client, "submit_dispute_evidence", { dispute: w.ckoDisputeId });
    expect(again.data).toMatchObject({ replayed: true });
    expect(w.submits()).toHaveLength(1);
    expect(await db().dispute.findUniqueOrThrow({ where: { id: w.dispute.id } })).toMatchObject({ responseState: "submitted", submittedBy: "Dispute bot" });
    expect(await db().auditLog.count({ where: { disputeId: w.dispute.id, action: "evidence.submit", source: "agent", actor: "Dispute bot" } })).toBe(2);
  });

  it("never reaches another shop's dispute", async () => {
    const w = await openDispute({ complete: true });
    const other = await createConnectedShop();
    const answer = await callTool(await clientFor(other.shop.id), "submit_dispute_evidence", { dispute: w.ckoDisputeId });
    expect(answer).toMatchObject({ isError: true, text: `This store has no dispute ${w.ckoDisputeId}.` });
    expect(w.submits()).toHaveLength(0);
  });
});
