// Resources an agent (or its user) can read as context, in markdown: a dispute's evidence summary
// (dispute://{disputeId}/evidence-summary, one per dispute waiting for an answer in the list) and the
// shop's risk rules in words (shop://risk-rules). They do not go through defineTool, so each read
// checks the "read" scope (and the plan and the token maker's role) the same way and is audited the
// same way, as `mcp.resource.<name>`.
import { ResourceTemplate, type McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { disputesDueSoon } from "../disputes/queries.server";
import { LIST_KINDS, type ListKind, type ListName } from "../holds/rules";
import { listEntriesFor, loadRiskRules } from "../holds/rules-settings.server";
import { log } from "../log.server";
import { auditAgentCall, scopeRefusal, ToolRefusal, type AgentContext, type AuditSubject } from "./tool.server";
import {
  agentDisputeDetail,
  disputeName,
  disputeView,
  evidenceDraftView,
  readinessWords,
  type DisputeView,
  type EvidenceDraftView,
} from "./tools/disputes.server";
import { riskRulesInWords } from "./tools/risk.server";

const RISK_RULES_URI = "shop://risk-rules";
const EVIDENCE_SUMMARY_TEMPLATE = "dispute://{disputeId}/evidence-summary";
const evidenceSummaryUri = (ckoDisputeId: string) => `dispute://${ckoDisputeId}/evidence-summary`;

/** Disputes listed as evidence summaries: those waiting for an answer, soonest deadline first. */
const LISTED_DISPUTES = 50;

/** One read: the scope checked first, the answer (or the refusal) audited with the token's name. */
async function readAudited(
  context: AgentContext,
  name: string,
  uri: URL,
  read: () => Promise<{ markdown: string; subject?: AuditSubject }>,
): Promise<ReadResourceResult> {
  const action = `mcp.resource.${name}`;
  const args = { uri: uri.href };
  const refused = await scopeRefusal(context, "read");
  if (refused) {
    await auditAgentCall(context.caller, action, args, {}, refused);
    throw new Error(refused);
  }
  try {
    const { markdown, subject } = await read();
    await auditAgentCall(context.caller, action, args, subject ?? {}, null);
    return { contents: [{ uri: uri.href, mimeType: "text/markdown", text: markdown }] };
  } catch (error) {
    if (error instanceof ToolRefusal) {
      await auditAgentCall(context.caller, action, args, error.subject, error.message);
      throw error;
    }
    log.error("mcp resource failed", { resource: name, shopId: context.caller.shopId, error });
    const said = `Reading ${uri.href} failed on the app's side; it was logged.`;
    await auditAgentCall(context.caller, action, args, {}, said);
    throw new Error(said);
  }
}

function answerWords(view: DisputeView): string {
  const e = view.evidence;
  if (e.submittedAt) return `evidence submitted ${e.submittedAt.formatted}${e.submittedBy ? ` by ${e.submittedBy}` : ""}.`;
  if (e.acceptedAt) return `dispute accepted ${e.acceptedAt.formatted}${e.acceptedBy ? ` by ${e.acceptedBy}` : ""}.`;
  return e.responseState === "none" ? "none yet." : `${e.responseState}.`;
}

/** The evidence summary: what the dispute is, its deadline, what evidence there is and what is missing. */
function evidenceSummaryMarkdown(view: DisputeView, draft: EvidenceDraftView): string {
  const lines = [
    `# ${disputeName(view)}`,
    "",
    `- Status: ${view.statusText}`,
    `- Payment: ${view.paymentId ?? "not known"}${view.order?.name ? `, order ${view.order.name}` : ""}`,
    `- Reason: ${view.reason.label}${view.reason.reasonCode ? ` (reason code ${view.reason.reasonCode})` : ""}`,
    ...(view.receivedOn ? [`- Received: ${view.receivedOn.formatted}`] : []),
    `- Deadline: ${view.deadline ? `${view.deadline.at.formatted} (${view.deadline.timeLeft.toLowerCase()})` : "none given"}`,
    `- The store's answer: ${answerWords(view)}`,
    "",
    "## Evidence",
    "",
    readinessWords(draft.readiness),
    "",
    ...draft.fields.flatMap((f) => [
      `### ${f.label}${f.missing ? " (missing)" : ""}`,
      "",
      f.text ? `> ${f.text.replaceAll("\n", "\n> ")}` : "No text.",
      "",
      f.file
        ? `File: ${f.file.name} (${f.file.contentType}, ${f.file.sizeBytes} bytes, ${f.file.generated ? "built from the order" : "uploaded by the merchant"}).`
        : "No file.",
      "",
    ]),
    ...(draft.deliveryDateText ? [`Delivery date: ${draft.deliveryDateText}`, ""] : []),
    `Customer communication: ${draft.customerCommunication.tickets.length ? draft.customerCommunication.tickets.map((t) => `Zendesk ticket ${t.id} "${t.subject}" (${t.messages} messages)`).join("; ") : "no Zendesk ticket"}.`,
    "",
    "## What is missing",
    "",
    ...(draft.readiness.missing.length ? draft.readiness.missing.map((m) => `- ${m.label}`) : ["Nothing the dispute asks for."]),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}

const LIST_KIND_WORDS: Record<ListKind, [string, string]> = {
  email: ["email", "emails"],
  card_fingerprint: ["card fingerprint", "card fingerprints"],
  bin: ["card BIN", "card BINs"],
  customer: ["Checkout.com customer", "Checkout.com customers"],
};

/** "2 emails, 1 card BIN", or "empty". */
function listWords(entries: Array<{ list: ListName; kind: ListKind }>, list: ListName): string {
  const parts = LIST_KINDS.flatMap((kind) => {
    const n = entries.filter((e) => e.list === list && e.kind === kind).length;
    return n ? [`${n} ${LIST_KIND_WORDS[kind][n === 1 ? 0 : 1]}`] : [];
  });
  return parts.length ? parts.join(", ") : "empty";
}

/** The shop's risk rules in words (the Rules screen's), and how big its allow and deny lists are. */
function riskRulesMarkdown(shopDomain: string, words: ReturnType<typeof riskRulesInWords>, entries: Array<{ list: ListName; kind: ListKind }>): string {
  const lines = [
    `# Risk rules of ${shopDomain}`,
    "",
    words.mode,
    "",
    `## ${!words.enabled ? "Rules set (not applied while the rules are off)" : words.monitorOnly ? "An order would be held when" : "An order is held when"}`,
    "",
    ...words.holdWhen.map((line) => `- ${line}`),
    "",
    ...(words.alsoDoes.length ? ["## The rules also", "", ...words.alsoDoes.map((line) => `- ${line}`), ""] : []),
    "## Allow and deny lists",
    "",
    `- Deny list: ${listWords(entries, "deny")}.`,
    `- Allow list: ${listWords(entries, "allow")}. An allow-listed email, card, BIN or customer is never held, even when other rules fire.`,
    "",
    "get_order_risk says which rules fire and which entries a payment hits.",
  ];
  return `${lines.join("\n")}\n`;
}

export function registerResources(server: McpServer, context: AgentContext) {
  const { caller } = context;

  server.registerResource(
    "risk_rules",
    RISK_RULES_URI,
    {
      title: "The store's risk rules",
      description: "When this store holds an order's fulfillment for review, in words, and how big its allow and deny lists are.",
      mimeType: "text/markdown",
    },
    (uri) =>
      readAudited(context, "risk_rules", uri, async () => {
        const [rules, entries] = await Promise.all([loadRiskRules(caller.shopId), listEntriesFor(caller.shopId)]);
        return { markdown: riskRulesMarkdown(caller.shopDomain, riskRulesInWords(rules), entries) };
      }),
  );

  server.registerResource(
    "dispute_evidence_summary",
    new ResourceTemplate(EVIDENCE_SUMMARY_TEMPLATE, {
      // The disputes waiting for an answer; any other dispute of the store reads by its id.
      list: async () => {
        if (await scopeRefusal(context, "read")) return { resources: [] };
        const disputes = await disputesDueSoon(caller.shopId, 365, LISTED_DISPUTES);
        return {
          resources: disputes.map((d) => ({
            uri: evidenceSummaryUri(d.ckoDisputeId),
            name: `dispute_${d.ckoDisputeId}_evidence_summary`,
            title: `Evidence summary of dispute ${d.ckoDisputeId}`,
            mimeType: "text/markdown",
          })),
        };
      },
    }),
    {
      title: "A dispute's evidence summary",
      description:
        'What a dispute is (reason, amount, status), its deadline, the evidence drafted for it and what is still missing. disputeId is the Checkout.com dispute id ("dsp_...").',
      mimeType: "text/markdown",
    },
    (uri, variables) =>
      readAudited(context, "dispute_evidence_summary", uri, async () => {
        const disputeId = String(variables.disputeId ?? "");
        if (!/^dsp_/i.test(disputeId)) throw new ToolRefusal(`"${disputeId}" is not a Checkout.com dispute id ("dsp_...").`);
        const now = new Date();
        const detail = await agentDisputeDetail(caller, disputeId, now);
        const view = disputeView(detail, caller, now);
        return {
          markdown: evidenceSummaryMarkdown(view, evidenceDraftView(detail, view)),
          subject: { disputeId: detail.dispute.id, paymentId: detail.dispute.paymentId, orderGid: detail.dispute.orderGid },
        };
      }),
  );
}
