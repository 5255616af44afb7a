// The resources through the SDK's client: listed and read, in the shop's words, audited with the token's
// name, refused without the "read" scope, and never another shop's dispute.
import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { createConnectedShop, createOrderPayment } from "../../test/helpers/factories";
import { agentToken, mcpClient } from "../../test/helpers/mcp";
import { db } from "../db.server";

const DAY = 86_400_000;

/** An open dispute on a payment of the shop, its draft with an invoice text and no proof of delivery. */
async function openDisputeWithDraft(shopId: string, ckoDisputeId: string) {
  const { payment } = await createOrderPayment(shopId, {
    orderName: "#9101",
    payment: { currency: "EUR", amount: 4200, status: "Captured", capturedAmount: 4200 },
  });
  return db().dispute.create({
    data: {
      shopId,
      ckoDisputeId,
      paymentId: payment.id,
      ckoPaymentId: payment.ckoPaymentId,
      category: "product_service_not_received",
      amount: 4200,
      currency: "EUR",
      status: "evidence_required",
      evidenceRequiredBy: new Date(Date.now() + 4 * DAY + 3_600_000),
      evidenceDraft: JSON.stringify({
        types: ["proof_of_delivery_or_service", "invoice_or_receipt"],
        texts: { invoice_or_receipt_text: "Invoice #9101 for one teapot." },
      }),
    },
  });
}

const textOf = (result: ReadResourceResult) => {
  const [content] = result.contents;
  return content && "text" in content ? content.text : "";
};

describe("shop://risk-rules", () => {
  it("says the shop's rules in the Rules screen's words and the size of its lists, and audits the read", async () => {
    const { shop } = await createConnectedShop();
    await db().riskRules.update({
      where: { shopId: shop.id },
      data: { scoreThreshold: 80, amountThresholds: JSON.stringify({ EUR: 100_000 }), holdOnAvsNoMatch: true, velocityMaxPayments: 3, velocityHours: 12 },
    });
    await db().listEntry.createMany({
      data: [
        { shopId: shop.id, list: "deny", kind: "email", value: "a@example.com" },
        { shopId: shop.id, list: "deny", kind: "email", value: "b@example.com" },
        { shopId: shop.id, list: "deny", kind: "bin", value: "424242" },
      ],
    });
    const { token } = await agentToken(shop.id, { name: "Risk bot" });
    const client = await mcpClient(token);
    const result = await client.readResource({ uri: "shop://risk-rules" });
    expect(result.contents[0]).toMatchObject({ uri: "shop://risk-rules", mimeType: "text/markdown" });
    const text = textOf(result);
    expect(text).toContain(`# Risk rules of ${shop.domain}`);
    expect(text).toContain("- Hold payments Checkout.com flagged as risky");
    expect(text).toContain("- Hold when the risk score is at least 80");
    expect(text).toContain("- Hold when the amount is at least €1,000.00");
    expect(text).toContain("- Hold after more than this many payments: 3, within 12 hours");
    expect(text).toContain("- Hold when the address check (AVS) matches neither street address nor postcode");
    expect(text).not.toContain("security code");
    expect(text).toContain("- Deny list: 2 emails, 1 card BIN.");
    expect(text).toContain("- Allow list: empty.");
    const entries = await db().auditLog.findMany({ where: { shopId: shop.id, action: "mcp.resource.risk_rules" } });
    expect(entries).toEqual([expect.objectContaining({ actor: "Risk bot", source: "agent", result: "ok" })]);
  });

  it("says when the rules are off", async () => {
    const { shop } = await createConnectedShop();
    await db().riskRules.update({ where: { shopId: shop.id }, data: { enabled: false } });
    const { token } = await agentToken(shop.id);
    const text = textOf(await (await mcpClient(token)).readResource({ uri: "shop://risk-rules" }));
    expect(text).toContain("Risk rules are off");
  });
});

describe("dispute://{disputeId}/evidence-summary", () => {
  it("lists the store's disputes waiting for an answer, and reads one: what it is, its deadline, its evidence and what is missing", async () => {
    const { shop } = await createConnectedShop();
    const other = await createConnectedShop();
    const dispute = await openDisputeWithDraft(shop.id, "dsp_summary1");
    await openDisputeWithDraft(other.shop.id, "dsp_elsewhere1");
    const { token } = await agentToken(shop.id, { name: "Dispute bot" });
    const client = await mcpClient(token);

    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(["dispute://dsp_summary1/evidence-summary", "shop://risk-rules"]);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(["dispute://{disputeId}/evidence-summary"]);

    const text = textOf(await client.readResource({ uri: "dispute://dsp_summary1/evidence-summary" }));
    expect(text).toContain("# Dispute dsp_summary1 (Product or service not received, €42.00) for order #9101");
    expect(text).toContain("- Status: Evidence required");
    expect(text).toMatch(/- Deadline: .+ \(4 days left\)/);
    expect(text).toContain("- The store's answer: none yet.");
    expect(text).toContain("### Invoice or receipt\n\n> Invoice #9101 for one teapot.");
    expect(text).toContain("### Proof of delivery or service (missing)");
    expect(text).toContain("## What is missing\n\n- Proof of delivery or service");
    const entries = await db().auditLog.findMany({ where: { shopId: shop.id, action: "mcp.resource.dispute_evidence_summary" } });
    expect(entries).toEqual([expect.objectContaining({ actor: "Dispute bot", disputeId: dispute.id, paymentId: dispute.paymentId, result: "ok" })]);
  });

  it("never reads another shop's dispute, and refuses what is not a dispute id", async () => {
    const { shop } = await createConnectedShop();
    const other = await createConnectedShop();
    await openDisputeWithDraft(other.shop.id, "dsp_theirs2");
    const { token } = await agentToken(shop.id);
    const client = await mcpClient(token);
    await expect(client.readResource({ uri: "dispute://dsp_theirs2/evidence-summary" })).rejects.toThrow(
      'This store has no Checkout.com dispute "dsp_theirs2"',
    );
    await expect(client.readResource({ uri: "dispute://pay_123/evidence-summary" })).rejects.toThrow("is not a Checkout.com dispute id");
    const refused = await db().auditLog.findMany({ where: { shopId: shop.id, action: "mcp.resource.dispute_evidence_summary" } });
    expect(refused.map((e) => e.result)).toEqual(["error", "error"]);
  });
});

describe("the read scope", () => {
  it("refuses both resources to a token without it, naming the scope, and lists no dispute", async () => {
    const { shop } = await createConnectedShop();
    await openDisputeWithDraft(shop.id, "dsp_scoped1");
    const { token } = await agentToken(shop.id, { scopes: ["holds"] });
    const client = await mcpClient(token);
    await expect(client.readResource({ uri: "shop://risk-rules" })).rejects.toThrow('lacks the "read" scope');
    await expect(client.readResource({ uri: "dispute://dsp_scoped1/evidence-summary" })).rejects.toThrow('lacks the "read" scope');
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(["shop://risk-rules"]);
    const audited = await db().auditLog.findMany({ where: { shopId: shop.id, action: { startsWith: "mcp.resource." } } });
    expect(audited).toHaveLength(2);
    expect(audited.every((e) => e.result === "error" && e.error?.includes('"read" scope'))).toBe(true);
  });
});
