// Prompts: the steps of the two jobs an agent most often does here, naming the tools in the order to
// use them. They read no data (the tools they name check scopes and the shop), so any token lists them.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { GetPromptResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AgentContext } from "./tool.server";

const userText = (text: string): GetPromptResult => ({ messages: [{ role: "user", content: { type: "text", text } }] });

function respondToDisputeText(disputeId: string): string {
  return [
    `Respond to Checkout.com dispute ${disputeId} for this store.`,
    `1. Call get_dispute with dispute "${disputeId}": read its reason, amount, status and deadline. If Checkout.com no longer takes evidence (the answer says why: submitted, accepted, closed or past the deadline), stop and report that.`,
    `2. Call get_evidence_draft with the same dispute: read each field's text and file, and what is missing. The resource dispute://${disputeId}/evidence-summary says the same in one page.`,
    "3. If something is missing or wrong, report what and why to the user rather than guessing; the merchant can add it on the dispute's page.",
    `4. Only when the evidence is complete and the deadline has not passed, call submit_dispute_evidence for ${disputeId} with dry_run: true, then again with dry_run: false. Submitting is final: Checkout.com takes one answer per dispute.`,
    "Say amounts and dates as the tools' summaries say them.",
  ].join("\n");
}

function reviewHeldOrderText(payment: string): string {
  return [
    `Review the risk hold on payment or order "${payment}" of this store.`,
    `1. Call get_order_risk with payment "${payment}": why it was held (the rules that fired), Checkout.com's assessment (risk flag, score, 3-D Secure, AVS and CVV) and any allow or deny list entry it hits.`,
    "2. Call get_customer with the payment's customer email: their other payments, refunds, disputes and holds here, and their Checkout.com customer.",
    "3. Decide: release_hold when the evidence says the customer is genuine; cancel_order (cancels the Shopify order and voids or refunds the payment) when it says fraud. If unsure, say so and leave the hold for a person.",
    "4. For cancel_order, call it with dry_run: true first and read exactly what it would void or refund; then call it again with the same idempotency_key and dry_run: false. For release_hold, give a note saying why the order is genuine.",
  ].join("\n");
}

export function registerPrompts(server: McpServer, _context: AgentContext) {
  server.registerPrompt(
    "respond_to_dispute",
    {
      title: "Respond to a dispute",
      description: "Read a dispute and its evidence draft, check the deadline, and submit the evidence only when it is complete.",
      argsSchema: { dispute_id: z.string().describe('The Checkout.com dispute id ("dsp_...").') },
    },
    ({ dispute_id }) => userText(respondToDisputeText(dispute_id)),
  );

  server.registerPrompt(
    "review_held_order",
    {
      title: "Review a held order",
      description: "Read why an order is held and who the customer is, then release the hold or cancel the order, with a dry run first.",
      argsSchema: { payment: z.string().describe('A Checkout.com payment id ("pay_..."), a Shopify order name ("#1001") or the payment reference.') },
    },
    ({ payment }) => userText(reviewHeldOrderText(payment)),
  );
}
