// Submitting a dispute's evidence, as the store prepared it, to Checkout.com: the same checks as from
// Zendesk (app/zendesk/actions.server.ts: the plan, a dispute still open, a complete draft) and the
// same service (app/disputes/respond.server.ts). It takes no idempotency key: the service submits a
// dispute's evidence at most once by itself (its answer moves from "none" to "submitting" by a
// conditional update, and Checkout.com's key is derived from the dispute), so a repeat answers with
// the first result, `replayed`.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { planRefusal } from "../../billing/billing.server";
import { db } from "../../db.server";
import { EVIDENCE_LABELS, EVIDENCE_TYPES } from "../../disputes/model";
import { evidenceReadiness, submitDisputeEvidence } from "../../disputes/respond.server";
import { evidenceSent } from "../../disputes/status";
import { money, moneySchema, time, timeSchema } from "../format";
import { defineTool, ToolRefusal, type AgentContext } from "../tool.server";

export function registerEvidenceTools(server: McpServer, context: AgentContext) {
  defineTool(
    server,
    context,
    {
      name: "submit_dispute_evidence",
      title: "Submit a dispute's evidence",
      description:
        "Submits a dispute's evidence to Checkout.com exactly as the store prepared it (get_evidence_draft shows it). Final: evidence cannot be changed once submitted. Only a complete draft of a dispute still open is submitted; a repeat answers with the first result. Call with dry_run: true first to see whether it is ready, what is missing and the deadline.",
      scope: "evidence",
      input: {
        dispute: z
          .string()
          .trim()
          .regex(/^dsp_\w+$/, 'A Checkout.com dispute id looks like "dsp_" followed by letters and digits.')
          .describe('The Checkout.com dispute id ("dsp_...").'),
        dry_run: z.boolean().default(false).describe("true: send nothing and say whether the evidence is ready, what is missing and the deadline."),
      },
      output: {
        dry_run: z.boolean(),
        disputeId: z.string(),
        paymentId: z.string().nullable().describe("The disputed Checkout.com payment."),
        amount: moneySchema,
        deadline: timeSchema.nullable().describe("Checkout.com must have the evidence by then."),
        ready: z.boolean().describe("The draft is complete and the dispute takes evidence (or it was submitted already)."),
        missing: z.array(z.object({ type: z.enum(EVIDENCE_TYPES), label: z.string() })).describe("Chosen evidence types with neither a text nor a file yet."),
        refusal: z.string().nullable().describe("Why submitting is (or would be) refused, sending nothing; null when it goes ahead."),
        submittedAt: timeSchema.nullable(),
        replayed: z.boolean().optional().describe("Real calls: true when it was submitted before, so nothing was sent again."),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async ({ dispute: ckoDisputeId, dry_run: dryRun }, caller) => {
      const dispute = await db().dispute.findFirst({ where: { shopId: caller.shopId, ckoDisputeId } });
      if (!dispute) throw new ToolRefusal(`This store has no dispute ${ckoDisputeId}.`);
      const subject = { disputeId: dispute.id, paymentId: dispute.paymentId, orderGid: dispute.orderGid };
      const readiness = evidenceReadiness(dispute);
      const missing = readiness.missing.map((type) => ({ type, label: EVIDENCE_LABELS[type] }));
      const notReady = `The store has not finished this dispute's evidence (${missing.length ? `missing: ${missing.map((m) => m.label.toLowerCase()).join(", ")}` : "nothing is written yet"}). A store admin can complete it on the app's Disputes page.`;
      // Submitted or being submitted: the service answers with the first result, or resumes it.
      const sent = evidenceSent(dispute.responseState);
      const refusal = (await planRefusal(caller.shopId, "disputes"))?.message ?? (sent ? null : (readiness.refusal ?? (readiness.complete ? null : notReady)));
      const view = {
        disputeId: dispute.ckoDisputeId,
        paymentId: dispute.ckoPaymentId,
        amount: money(dispute.amount, dispute.currency),
        deadline: dispute.evidenceRequiredBy ? time(dispute.evidenceRequiredBy, caller.timeZone) : null,
        ready: refusal === null,
        missing,
        refusal,
      };
      const named = `Dispute ${dispute.ckoDisputeId} (${view.amount.formatted}${view.deadline ? `, evidence due ${view.deadline.formatted}` : ""})`;

      if (dryRun) {
        const outcome = refusal
          ? `A real call would be refused, sending nothing: ${refusal}`
          : sent
            ? "Its evidence was submitted already; a real call answers with that result and sends nothing."
            : "The evidence is complete: a real call submits it to Checkout.com, finally.";
        return {
          summary: `Dry run, nothing sent. ${named}: ${outcome}`,
          data: { ...view, dry_run: true, submittedAt: dispute.submittedAt ? time(dispute.submittedAt, caller.timeZone) : null },
          audit: { ...subject, details: { dryRun: true, refusal } },
        };
      }
      if (refusal) throw new ToolRefusal(refusal, subject);
      const result = await submitDisputeEvidence(caller.shopId, dispute.id, { actor: caller.name, source: "agent" });
      if (!result.ok) throw new ToolRefusal(result.message, subject);
      const submittedAt = result.dispute.submittedAt;
      return {
        summary: `${named}: ${result.replayed ? "its evidence was submitted already; nothing was sent again." : "evidence submitted to Checkout.com."}`,
        data: { ...view, dry_run: false, submittedAt: submittedAt ? time(submittedAt, caller.timeZone) : null, replayed: result.replayed },
        audit: { ...subject, details: { replayed: result.replayed } },
      };
    },
  );
}
