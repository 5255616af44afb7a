// The prompts through the SDK's client: listed with their arguments, and got with the argument in place.
import { describe, expect, it } from "vitest";
import { createConnectedShop } from "../../test/helpers/factories";
import { agentToken, mcpClient } from "../../test/helpers/mcp";

const promptText = (result: { messages: Array<{ content: { type: string; text?: string } }> }) =>
  result.messages.map((m) => (m.content.type === "text" ? m.content.text : "")).join("\n");

describe("prompts", () => {
  it("lists respond_to_dispute and review_held_order with their required arguments", async () => {
    const { shop } = await createConnectedShop();
    const { token } = await agentToken(shop.id);
    const { prompts } = await (await mcpClient(token)).listPrompts();
    expect(prompts.map((p) => ({ name: p.name, args: p.arguments?.map((a) => [a.name, a.required]) }))).toEqual([
      { name: "respond_to_dispute", args: [["dispute_id", true]] },
      { name: "review_held_order", args: [["payment", true]] },
    ]);
  });

  it("guides a dispute's answer through the read tools to a submission only when complete", async () => {
    const { shop } = await createConnectedShop();
    const { token } = await agentToken(shop.id);
    const text = promptText(await (await mcpClient(token)).getPrompt({ name: "respond_to_dispute", arguments: { dispute_id: "dsp_abc123" } }));
    expect(text).toContain('Call get_dispute with dispute "dsp_abc123"');
    expect(text).toContain("get_evidence_draft");
    expect(text).toContain("dispute://dsp_abc123/evidence-summary");
    expect(text).toMatch(/Only when the evidence is complete and the deadline has not passed, call submit_dispute_evidence/);
  });

  it("guides a hold's review from the risk and the customer to a decision, dry run first", async () => {
    const { shop } = await createConnectedShop();
    const { token } = await agentToken(shop.id);
    const text = promptText(await (await mcpClient(token)).getPrompt({ name: "review_held_order", arguments: { payment: "#1001" } }));
    expect(text).toContain('Call get_order_risk with payment "#1001"');
    expect(text).toContain("get_customer");
    expect(text).toMatch(/release_hold.+cancel_order/);
    expect(text).toContain("dry_run: true first");
  });

  it("refuses a prompt without its argument", async () => {
    const { shop } = await createConnectedShop();
    const { token } = await agentToken(shop.id);
    await expect((await mcpClient(token)).getPrompt({ name: "respond_to_dispute", arguments: {} })).rejects.toThrow(/dispute_id/);
  });
});
