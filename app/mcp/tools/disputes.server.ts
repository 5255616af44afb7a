// Read tools about disputes: one dispute (by its Checkout.com id, or a payment's newest), the open ones
// waiting for an answer with their deadlines, and the evidence draft as built from the order (texts,
// files by name and size, never their bytes; what is missing; whether it can be sent).
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Dispute, Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "../../db.server";
import { EVIDENCE_LABELS, type EvidenceType } from "../../disputes/model";
import { AWAITING_ANSWER, getDisputeDetail, type DisputeDetail } from "../../disputes/queries.server";
import { categoryLabel, countdown, statusBadge } from "../../disputes/status";
import { cursorPage, cursorParam, cursorText } from "../../lib/list-params";
import { paymentDisputes } from "../../zendesk/payments.server";
import { money, moneySchema, time, timeSchema } from "../format";
import { defineTool, ToolRefusal, type AgentContext } from "../tool.server";
import type { AgentCaller } from "../tokens.server";
import { findAgentPayment, READ_ANNOTATIONS } from "./payments.server";

const DAY_MS = 86_400_000;

const disputeLookupSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('A Checkout.com dispute id ("dsp_..."), or a payment id, order name or payment reference (its newest dispute).');

/** One dispute of the caller's shop: by its Checkout.com id, else the newest dispute of the payment the lookup finds. */
async function findAgentDispute(caller: Pick<AgentCaller, "shopId">, lookup: string): Promise<Dispute> {
  if (/^dsp_/i.test(lookup)) {
    const dispute = await db().dispute.findUnique({ where: { shopId_ckoDisputeId: { shopId: caller.shopId, ckoDisputeId: lookup } } });
    if (!dispute) throw new ToolRefusal(`This store has no Checkout.com dispute "${lookup}".`);
    return dispute;
  }
  const payment = await findAgentPayment(caller, lookup);
  const [newest] = await paymentDisputes(payment);
  if (!newest) throw new ToolRefusal(`Payment ${payment.ckoPaymentId} has no dispute.`, { paymentId: payment.id });
  return newest;
}

/** The dispute's page data, for a dispute found in the caller's shop. */
export async function agentDisputeDetail(caller: Pick<AgentCaller, "shopId">, lookup: string, now: Date): Promise<DisputeDetail> {
  const dispute = await findAgentDispute(caller, lookup);
  const detail = await getDisputeDetail(caller.shopId, dispute.id, now);
  if (!detail) throw new ToolRefusal(`This store has no Checkout.com dispute "${lookup}".`);
  return detail;
}

const deadlineSchema = z
  .object({
    at: timeSchema,
    daysLeft: z.number().int().describe("Whole days until the deadline: 0 on its last day, negative once it passed."),
    timeLeft: z.string().describe('"3 days left", "5 hours left", or "Overdue".'),
    overdue: z.boolean(),
  })
  .nullable()
  .describe("When Checkout.com must have the evidence; null when it gave no deadline.");

function deadlineOf(at: string | null, caller: AgentCaller, now: Date) {
  if (!at) return null;
  const due = new Date(at);
  const left = countdown(due, now);
  return { at: time(due, caller.timeZone), daysLeft: Math.floor((due.getTime() - now.getTime()) / DAY_MS), timeLeft: left.text, overdue: left.overdue };
}

const reasonSchema = z.object({
  category: z.string().nullable().describe("Checkout.com's category, e.g. fraudulent, product_service_not_received."),
  label: z.string(),
  reasonCode: z.string().nullable().describe("The card scheme's reason code."),
});

const reasonOf = (d: { category: string | null; reasonCode: string | null }) => ({
  category: d.category,
  label: categoryLabel(d.category),
  reasonCode: d.reasonCode,
});

const missingSchema = z.array(z.object({ type: z.string(), label: z.string() }));
const missingOf = (types: EvidenceType[]) => types.map((type) => ({ type, label: EVIDENCE_LABELS[type] }));

const disputeOutput = {
  disputeId: z.string().describe("Checkout.com dispute id."),
  paymentId: z.string().nullable().describe("Checkout.com payment id."),
  order: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  reason: reasonSchema,
  amount: moneySchema,
  status: z.string().describe("Checkout.com's status, e.g. evidence_required, evidence_under_review, won, lost."),
  statusText: z.string(),
  receivedOn: timeSchema.nullable(),
  deadline: deadlineSchema,
  evidence: z.object({
    responseState: z.string().describe("This store's answer: none, submitting, submitted, accepting or accepted."),
    canSend: z.boolean().describe("Evidence can be submitted now (Checkout.com takes it and the draft has some)."),
    complete: z.boolean().describe("Every evidence type the dispute asks for has a text or a file."),
    missing: missingSchema.describe("Evidence types asked for that have neither a text nor a file yet."),
    refusal: z.string().nullable().describe("Why no evidence can be sent, when it cannot."),
    builtAt: timeSchema.nullable().describe("When the draft was built from the order."),
    savedAt: timeSchema.nullable().describe("When the draft was last saved to Checkout.com."),
    submittedAt: timeSchema.nullable(),
    submittedBy: z.string().nullable(),
    acceptedAt: timeSchema.nullable(),
    acceptedBy: z.string().nullable(),
    responseError: z.string().nullable().describe("What went wrong with the last attempt to answer."),
  }),
};

export function disputeView(detail: DisputeDetail, caller: AgentCaller, now: Date) {
  const d = detail.dispute;
  const at = (iso: string | null) => (iso ? time(new Date(iso), caller.timeZone) : null);
  return {
    disputeId: d.ckoDisputeId,
    paymentId: d.ckoPaymentId,
    order: d.orderGid ? { id: d.orderGid, name: d.orderName } : null,
    reason: reasonOf(d),
    amount: money(d.amount, d.currency),
    status: d.status,
    statusText: statusBadge(d.status).label,
    receivedOn: at(d.receivedOn),
    deadline: deadlineOf(d.evidenceRequiredBy, caller, now),
    evidence: {
      responseState: d.responseState,
      canSend: detail.readiness.canSend,
      complete: detail.readiness.complete,
      missing: missingOf(detail.readiness.missing),
      refusal: detail.readiness.refusal,
      builtAt: at(d.evidenceBuiltAt),
      savedAt: at(d.evidenceSavedAt),
      submittedAt: at(d.submittedAt),
      submittedBy: d.submittedBy,
      acceptedAt: at(d.acceptedAt),
      acceptedBy: d.acceptedBy,
      responseError: d.responseError,
    },
  };
}
export type DisputeView = ReturnType<typeof disputeView>;

/** "Dispute dsp_… (Fraudulent, $94.00) for order #1001", as the summaries name a dispute. */
export const disputeName = (view: Pick<DisputeView, "disputeId" | "reason" | "amount" | "order">) =>
  `Dispute ${view.disputeId} (${view.reason.label}, ${view.amount.formatted})${view.order?.name ? ` for order ${view.order.name}` : ""}`;

const deadlineWords = (deadline: DisputeView["deadline"]) =>
  deadline ? `due ${deadline.at.formatted} (${deadline.timeLeft.toLowerCase()})` : "no deadline given";

const evidenceFieldSchema = z.object({
  type: z.string().describe("Checkout.com's evidence type, e.g. proof_of_delivery_or_service."),
  label: z.string(),
  textField: z.string().describe("The Checkout.com field the text goes in."),
  text: z.string().describe("The text as drafted (at most 500 characters); empty when none."),
  file: z
    .object({
      name: z.string(),
      contentType: z.string(),
      sizeBytes: z.number().int(),
      generated: z.boolean().describe("Built by this app from the order (else uploaded by the merchant)."),
      uploadedToCheckout: z.boolean(),
    })
    .nullable(),
  missing: z.boolean().describe("Asked for by the dispute and has neither a text nor a file."),
});

const evidenceDraftOutput = {
  disputeId: z.string(),
  deadline: deadlineSchema,
  readiness: z.object({
    canSend: z.boolean(),
    complete: z.boolean(),
    missing: missingSchema,
    refusal: z.string().nullable(),
  }),
  fields: z.array(evidenceFieldSchema).describe("The evidence types asked for, then any other the draft has."),
  deliveryDateText: z.string().describe("The delivery date text sent with the proof of delivery; empty when none."),
  customerCommunication: z.object({
    tickets: z
      .array(z.object({ id: z.string(), subject: z.string(), messages: z.number().int() }))
      .describe("Zendesk tickets the customer communication was taken from."),
    excludedTickets: z.array(z.string()).describe("Ticket ids the merchant kept out of the evidence."),
  }),
  builtAt: timeSchema.nullable(),
  savedAt: timeSchema.nullable(),
};

/** The draft of a dispute as `disputeView` answered it. */
export function evidenceDraftView(detail: DisputeDetail, view: DisputeView) {
  return {
    disputeId: view.disputeId,
    deadline: view.deadline,
    readiness: { canSend: view.evidence.canSend, complete: view.evidence.complete, missing: view.evidence.missing, refusal: view.evidence.refusal },
    fields: detail.evidence.map((e) => ({
      type: e.type,
      label: EVIDENCE_LABELS[e.type],
      textField: e.textField,
      text: e.text,
      file: e.file && {
        name: e.file.filename,
        contentType: e.file.contentType,
        sizeBytes: e.file.size,
        generated: e.file.generated,
        uploadedToCheckout: e.file.ckoFileId !== null,
      },
      missing: e.missing,
    })),
    deliveryDateText: detail.deliveryDateText,
    customerCommunication: detail.conversation,
    builtAt: view.evidence.builtAt,
    savedAt: view.evidence.savedAt,
  };
}
export type EvidenceDraftView = ReturnType<typeof evidenceDraftView>;

/** Whether the evidence can go, in one sentence. */
export function readinessWords(readiness: EvidenceDraftView["readiness"]): string {
  if (readiness.refusal) return readiness.refusal;
  if (readiness.complete) return "Complete: it can be submitted with submit_dispute_evidence.";
  if (readiness.canSend) return `Missing ${readiness.missing.map((m) => m.label).join(", ")}; it can be submitted as it is, but it is weaker.`;
  return "Nothing to send yet.";
}

/** What the evidence has and lacks, field by field, and whether it can go. */
function evidenceWords(draft: EvidenceDraftView): string {
  const fields = draft.fields.map((f) => {
    const parts = [
      f.text ? `text of ${f.text.length} characters` : null,
      f.file ? `file ${f.file.name} (${Math.max(1, Math.round(f.file.sizeBytes / 1024))} KB)` : null,
    ];
    return `${f.label}: ${parts.filter(Boolean).join(" and ") || "nothing yet"}`;
  });
  return `${fields.length ? `${fields.join("; ")}.` : "No evidence drafted."} ${readinessWords(draft.readiness)}`;
}

/** How many open disputes a list's summary names one by one; the data has them all. */
const NAMED_IN_SUMMARY = 10;

/** What list_open_disputes answers of each; not the draft. */
const OPEN_DISPUTE_FIELDS = {
  id: true,
  ckoDisputeId: true,
  ckoPaymentId: true,
  category: true,
  reasonCode: true,
  amount: true,
  currency: true,
  status: true,
  evidenceRequiredBy: true,
  evidenceBuiltAt: true,
  payment: { select: { orderLink: { select: { orderName: true } } } },
} satisfies Prisma.DisputeSelect;

/** Where list_open_disputes' next page starts: just past a dispute, by its deadline (null: none given) and id. */
interface OpenDisputesCursor {
  at: Date | null;
  id: string;
}

/** A cursor for a dispute without a deadline; those with one use list-params' "<ISO time>_<id>". */
const NO_DEADLINE_CURSOR = /^none_([0-9a-f-]{36})$/;

const openDisputeCursorText = (d: Pick<Dispute, "evidenceRequiredBy" | "id">) =>
  d.evidenceRequiredBy ? cursorText(d.evidenceRequiredBy, d.id) : `none_${d.id}`;

/**
 * The cursor a list_open_disputes answer gave, refused unless it names a dispute of this shop: a cursor
 * is only a position, but one made up or taken from another store's answer is not one this tool gave.
 */
async function openDisputesCursor(shopId: string, text: string): Promise<OpenDisputesCursor> {
  const undated = NO_DEADLINE_CURSOR.exec(text);
  const cursor = undated ? { at: null, id: undated[1] } : cursorParam.parse(text);
  if (!cursor || !(await db().dispute.count({ where: { id: cursor.id, shopId } })))
    throw new ToolRefusal("The cursor is not one this tool gave. Leave it out to start from the soonest deadline.");
  return cursor;
}

/**
 * Up to `take` open disputes past `after`: those with a deadline (up to `dueBy`) soonest first along
 * (shopId, evidenceRequiredBy), then, when no `dueBy` was asked, those without one by id. Ties of a
 * deadline are settled by id, so a page never loses or repeats one.
 */
async function openDisputesPage(shopId: string, { dueBy, after, take }: { dueBy?: Date; after?: OpenDisputesCursor; take: number }) {
  const open = { shopId, ...AWAITING_ANSWER };
  const pastDated = after?.at ? { at: after.at, id: after.id } : undefined;
  // A cursor among the disputes without a deadline is past every dispute with one.
  const pastUndated = after && !after.at ? after.id : undefined;
  const dated = pastUndated
    ? []
    : await db().dispute.findMany({
        where: {
          ...open,
          // The range keeps it one index range; the OR only settles ties.
          evidenceRequiredBy: { not: null, lte: dueBy, gte: pastDated?.at },
          ...(pastDated && { OR: [{ evidenceRequiredBy: { gt: pastDated.at } }, { id: { gt: pastDated.id } }] }),
        },
        select: OPEN_DISPUTE_FIELDS,
        orderBy: [{ evidenceRequiredBy: "asc" }, { id: "asc" }],
        take,
      });
  if (dueBy || dated.length === take) return dated;
  const undated = await db().dispute.findMany({
    where: { ...open, evidenceRequiredBy: null, id: { gt: pastUndated } },
    select: OPEN_DISPUTE_FIELDS,
    orderBy: { id: "asc" },
    take: take - dated.length,
  });
  return [...dated, ...undated];
}

export function registerDisputeTools(server: McpServer, context: AgentContext) {
  defineTool(
    server,
    context,
    {
      name: "get_dispute",
      title: "Get a dispute",
      description:
        "A dispute of this store: its reason, amount, status, the deadline to answer (with the time left) and where the evidence stands (what is missing, whether it can be sent, whether it was submitted or accepted). Find it by its Checkout.com dispute id, or by a payment id, order name or reference (the payment's newest dispute).",
      scope: "read",
      input: { dispute: disputeLookupSchema },
      output: disputeOutput,
      annotations: READ_ANNOTATIONS,
    },
    async ({ dispute: lookup }, caller) => {
      const now = new Date();
      const detail = await agentDisputeDetail(caller, lookup, now);
      const view = disputeView(detail, caller, now);
      const evidence = view.evidence.refusal
        ? view.evidence.refusal
        : `Evidence ${view.evidence.complete ? "is complete" : `lacks ${view.evidence.missing.map((m) => m.label).join(", ") || "everything"}`}; read it with get_evidence_draft.`;
      return {
        summary: `${disputeName(view)}: ${view.statusText.toLowerCase()}, ${deadlineWords(view.deadline)}. ${evidence}`,
        data: view,
        audit: { disputeId: detail.dispute.id, paymentId: detail.dispute.paymentId, orderGid: detail.dispute.orderGid },
      };
    },
  );

  defineTool(
    server,
    context,
    {
      name: "list_open_disputes",
      title: "List disputes waiting for an answer",
      description:
        "This store's disputes that need evidence and have not been answered, soonest deadline first, each with its deadline and time left; those Checkout.com gave no deadline come after those with one. A deadline already passed is listed as overdue: Checkout.com no longer takes evidence for it. Answers at most `limit` disputes and a nextCursor: pass it as `cursor` for the next page (null when there is none).",
      scope: "read",
      input: {
        due_within_days: z
          .number()
          .int()
          .min(1)
          .max(365)
          .optional()
          .describe("Only those with a deadline within this many days, or already passed (default: all, those without a deadline too)."),
        limit: z.number().int().min(1).max(100).default(20).describe("How many to answer (at most 100)."),
        cursor: z.string().max(200).optional().describe("The nextCursor of the previous answer, for the next page."),
      },
      output: {
        disputes: z.array(
          z.object({
            disputeId: z.string(),
            paymentId: z.string().nullable(),
            orderName: z.string().nullable(),
            reason: reasonSchema,
            amount: moneySchema,
            status: z.string(),
            deadline: deadlineSchema,
            evidenceBuilt: z.boolean().describe("A draft was built from the order."),
          }),
        ),
        nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
      },
      annotations: READ_ANNOTATIONS,
    },
    async ({ due_within_days: days, limit, cursor }, caller) => {
      const now = new Date();
      const after = cursor === undefined ? undefined : await openDisputesCursor(caller.shopId, cursor);
      const dueBy = days === undefined ? undefined : new Date(now.getTime() + days * DAY_MS);
      const rows = await openDisputesPage(caller.shopId, { dueBy, after, take: limit + 1 });
      const { page, next } = cursorPage(rows, limit, { backwards: false }, openDisputeCursorText);
      const disputes = page.map((d) => ({
        disputeId: d.ckoDisputeId,
        paymentId: d.ckoPaymentId,
        orderName: d.payment?.orderLink?.orderName ?? null,
        reason: reasonOf(d),
        amount: money(d.amount, d.currency),
        status: d.status,
        deadline: deadlineOf(d.evidenceRequiredBy?.toISOString() ?? null, caller, now),
        evidenceBuilt: d.evidenceBuiltAt !== null,
      }));
      const named = disputes
        .slice(0, NAMED_IN_SUMMARY)
        .map((d) => `${d.disputeId} (${d.reason.label}, ${d.amount.formatted}${d.orderName ? `, order ${d.orderName}` : ""}) ${deadlineWords(d.deadline)}`);
      const more = disputes.length > NAMED_IN_SUMMARY ? ` and ${disputes.length - NAMED_IN_SUMMARY} more` : "";
      return {
        summary: disputes.length
          ? `${disputes.length} ${disputes.length === 1 ? "dispute needs" : "disputes need"} an answer, soonest first: ${named.join("; ")}${more}.${next ? " More wait: call again with the nextCursor." : ""}`
          : `No dispute waits for an answer${days === undefined ? "" : ` within ${days} days`}${cursor ? " past this cursor" : ""}.`,
        data: { disputes, nextCursor: next },
      };
    },
  );

  defineTool(
    server,
    context,
    {
      name: "get_evidence_draft",
      title: "Get a dispute's evidence draft",
      description:
        "The evidence this app drafted for a dispute from the order's data: the text for each evidence field, the files (name, type and size; never their content), what the dispute asks for that is still missing, and whether it can be submitted now. Find it by its Checkout.com dispute id, or by a payment id, order name or reference (the payment's newest dispute).",
      scope: "read",
      input: { dispute: disputeLookupSchema },
      output: evidenceDraftOutput,
      annotations: READ_ANNOTATIONS,
    },
    async ({ dispute: lookup }, caller) => {
      const now = new Date();
      const detail = await agentDisputeDetail(caller, lookup, now);
      const view = disputeView(detail, caller, now);
      const draft = evidenceDraftView(detail, view);
      return {
        summary: `${disputeName(view)}, ${deadlineWords(draft.deadline)}. Its evidence: ${evidenceWords(draft)}`,
        data: draft,
        audit: { disputeId: detail.dispute.id, paymentId: detail.dispute.paymentId, orderGid: detail.dispute.orderGid },
      };
    },
  );
}
