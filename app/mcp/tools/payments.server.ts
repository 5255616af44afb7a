// Read tools about payments: find one (by Checkout.com id, order name or reference) with what may still
// be done on it, its timeline and money actions, and list the shop's payments by filters.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Payment, Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "../../db.server";
import { localDayStart } from "../../lib/dates";
import { cursorPage, cursorParam, cursorText } from "../../lib/list-params";
import { balances } from "../../money/balances.server";
import { PAYMENT_STATUSES } from "../../payments/status";
import { paymentDisputes } from "../../zendesk/payments.server";
import { timelineEntries } from "../../zendesk/timeline";
import { money, moneySchema, time, timeSchema } from "../format";
import { defineTool, ToolRefusal, type AgentContext } from "../tool.server";
import type { AgentCaller } from "../tokens.server";

/** Every read tool's annotations: reads this app's records only, changes nothing. */
export const READ_ANNOTATIONS = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

export const paymentLookupSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('A Checkout.com payment id ("pay_..."), a Shopify order name ("#1001") or the payment reference.');

/** How many payments sharing an order name or a reference are read to find the newest. */
const SHARED_LOOKUPS = 50;
const newestOf = <T extends { createdAt: Date }>(rows: T[]): T | null => rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0] ?? null;

/**
 * One payment of the caller's shop: by Checkout.com id, else by its order's name, else by reference
 * (the newest when several share one). Each is an indexed lookup scoped to the shop.
 */
export async function findAgentPayment(
  caller: Pick<AgentCaller, "shopId">,
  lookup: string,
): Promise<Payment & { orderLink: { orderGid: string; orderName: string | null } | null }> {
  const include = { orderLink: { select: { orderGid: true, orderName: true } } } as const;
  const { shopId } = caller;
  if (/^pay_/i.test(lookup)) {
    const byId = await db().payment.findUnique({ where: { shopId_ckoPaymentId: { shopId, ckoPaymentId: lookup } }, include });
    if (byId) return byId;
  }
  const orderName = lookup.startsWith("#") ? lookup : `#${lookup}`;
  // No ORDER BY in SQL: with one, SQLite (without ANALYZE statistics) walks the shop's payments by date
  // instead of the name's or the reference's index. The few rows that share one are sorted here.
  const link = newestOf(await db().orderLink.findMany({ where: { shopId, orderName }, select: { paymentId: true, createdAt: true }, take: SHARED_LOOKUPS }));
  const found =
    (link && (await db().payment.findFirst({ where: { id: link.paymentId, shopId }, include }))) ??
    newestOf(await db().payment.findMany({ where: { shopId, reference: lookup }, include, take: SHARED_LOOKUPS }));
  if (!found) throw new ToolRefusal(`This store has no Checkout.com payment "${lookup}" (looked up as a payment id, an order name and a reference).`);
  return found;
}

type LinkedPayment = Payment & { orderLink: { orderGid: string; orderName: string | null } | null };

/** What the payment row says on its own; list_payments answers these for each payment. */
const paymentFields = {
  paymentId: z.string().describe("Checkout.com payment id."),
  reference: z.string().nullable(),
  status: z.string().describe("Checkout.com's status name."),
  amount: moneySchema,
  captured: moneySchema,
  refunded: moneySchema,
  riskFlagged: z.boolean(),
  riskScore: z.number().nullable(),
  customerEmail: z.string().nullable(),
  card: z.object({ scheme: z.string().nullable(), last4: z.string().nullable(), country: z.string().nullable() }),
  order: z.object({ id: z.string(), name: z.string().nullable() }).nullable().describe("The Shopify order the payment belongs to, once matched."),
  createdAt: timeSchema,
};

const paymentOutput = {
  ...paymentFields,
  refundable: moneySchema.describe("What may still be refunded now (less actions under way)."),
  capturable: moneySchema,
  voidable: z.boolean(),
};

function paymentFieldsOf(payment: LinkedPayment, caller: AgentCaller) {
  const m = (minor: number) => money(minor, payment.currency);
  return {
    paymentId: payment.ckoPaymentId,
    reference: payment.reference,
    status: payment.status,
    amount: m(payment.amount),
    captured: m(payment.capturedAmount),
    refunded: m(payment.refundedAmount),
    riskFlagged: payment.riskFlagged,
    riskScore: payment.riskScore,
    customerEmail: payment.customerEmail,
    card: { scheme: payment.cardScheme, last4: payment.cardLast4, country: payment.cardCountry },
    order: payment.orderLink ? { id: payment.orderLink.orderGid, name: payment.orderLink.orderName } : null,
    createdAt: time(payment.createdAt, caller.timeZone),
  };
}

async function paymentView(payment: LinkedPayment, caller: AgentCaller) {
  const left = await balances(payment);
  return {
    ...paymentFieldsOf(payment, caller),
    refundable: money(left.refundable, payment.currency),
    capturable: money(left.capturable, payment.currency),
    voidable: left.voidable,
  };
}

/** "Payment pay_… for order #1001", as the summaries name a payment. */
export const paymentName = (payment: { ckoPaymentId: string; orderLink: { orderName: string | null } | null }) =>
  `Payment ${payment.ckoPaymentId}${payment.orderLink?.orderName ? ` for order ${payment.orderLink.orderName}` : ""}`;

const timelineEntrySchema = z.object({
  at: timeSchema,
  kind: z
    .enum(["event", "action", "dispute"])
    .describe(
      "event: reported by Checkout.com; action: taken by a person, an agent or the app (actor says who); dispute: a dispute milestone its events did not record.",
    ),
  type: z
    .string()
    .describe(
      "What happened: authorized, captured, refund_requested, refunded, partially_refunded, refund_declined, void_requested, voided, declined, flagged, held, released, order_canceled, dispute_opened, evidence_submitted, dispute_won, dispute_lost or other.",
    ),
  recordedType: z.string().nullable().describe("The type as recorded, e.g. payment_captured or hold_placed; null for a dispute milestone."),
  summary: z.string(),
  amount: moneySchema.nullable(),
  actor: z.string().nullable(),
  declineClass: z
    .enum(["soft", "hard", "risk"])
    .nullable()
    .describe("For declines: soft (a retry may work), hard (it will not), risk (blocked by fraud checks)."),
});

const moneyActionSchema = z.object({
  id: z.string(),
  kind: z.string().describe("refund, void or capture."),
  status: z.string().describe("requested, accepted (sent, not confirmed yet), succeeded, failed or declined."),
  amount: moneySchema.nullable().describe("Null for a void: the whole authorization."),
  via: z.string().describe("shopify: through the Shopify order; checkout: straight to Checkout.com."),
  requestedBy: z.string(),
  source: z.string().describe("Where it was asked: admin, zendesk, system or agent."),
  reason: z.string().nullable(),
  error: z.string().nullable(),
  checkoutActionId: z.string().nullable(),
  createdAt: timeSchema,
  updatedAt: timeSchema,
});

/** The payment's timeline (Checkout.com's events, the app's and people's actions, dispute milestones) and its money actions, oldest first. */
async function paymentActions(payment: LinkedPayment, caller: AgentCaller) {
  const [activities, disputes, actions] = await Promise.all([
    db().paymentActivity.findMany({ where: { shopId: caller.shopId, paymentId: payment.id } }),
    paymentDisputes(payment),
    db().moneyAction.findMany({ where: { shopId: caller.shopId, paymentId: payment.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  ]);
  const recorded = new Map(activities.map((a) => [a.id, a]));
  const timeline = timelineEntries(payment, activities, disputes).map((entry) => {
    const activity = recorded.get(entry.id);
    return {
      at: time(new Date(entry.occurredAt), caller.timeZone),
      kind: activity ? (activity.kind === "event" ? ("event" as const) : ("action" as const)) : ("dispute" as const),
      type: entry.type,
      recordedType: activity?.type ?? null,
      summary: entry.summary,
      amount: entry.amount !== null && entry.currency ? money(entry.amount, entry.currency) : null,
      actor: entry.actor,
      declineClass: entry.declineClass,
    };
  });
  const moneyActions = actions.map((a) => ({
    id: a.id,
    kind: a.kind,
    status: a.status,
    amount: a.amount === null ? null : money(a.amount, a.currency),
    via: a.via,
    requestedBy: a.requestedBy,
    source: a.source,
    reason: a.reason,
    error: a.error,
    checkoutActionId: a.ckoActionId,
    createdAt: time(a.createdAt, caller.timeZone),
    updatedAt: time(a.updatedAt, caller.timeZone),
  }));
  return { timeline, moneyActions };
}

const listPaymentsInput = {
  status: z.enum(PAYMENT_STATUSES).optional().describe("Only payments in this Checkout.com status."),
  customer_email: z.string().trim().email().optional().describe("Only this customer's payments (any case)."),
  created_from: z
    .union([z.string().date(), z.string().datetime({ offset: true })])
    .optional()
    .describe("Only payments made at or after this ISO 8601 date or time (\"2026-01-05\" is that day's midnight in the shop's time zone)."),
  created_to: z
    .union([z.string().date(), z.string().datetime({ offset: true })])
    .optional()
    .describe("Only payments made before this ISO 8601 date or time (not included)."),
  risk_flagged: z.boolean().optional().describe("true: only payments Checkout.com flagged as risky; false: only the others."),
  has_dispute: z.boolean().optional().describe("true: only disputed payments; false: only payments without a dispute."),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, "an ISO 4217 code such as EUR")
    .transform((c) => c.toUpperCase())
    .optional()
    .describe("Only payments in this currency (ISO 4217, e.g. EUR); needed for min_amount and max_amount."),
  min_amount: z.number().int().min(0).optional().describe("Only payments of at least this amount, in minor units of `currency` (needs currency)."),
  max_amount: z.number().int().min(0).optional().describe("Only payments of at most this amount, in minor units of `currency` (needs currency)."),
  limit: z.number().int().min(1).max(100).default(20).describe("How many payments to answer (at most 100)."),
  cursor: z.string().max(200).optional().describe("The nextCursor of the previous answer, for the next page."),
};
type ListPaymentsInput = z.infer<z.ZodObject<typeof listPaymentsInput>>;

/** A date is the shop's day (as its admin counts days); a time is that instant. */
const instantOf = (text: string, timeZone: string | null) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? localDayStart(text, timeZone) : new Date(text));

/** The filters as one query on the shop's payments; each filter narrows the (shopId, createdAt) walk, newest first. */
function listPaymentsWhere(shopId: string, timeZone: string | null, input: ListPaymentsInput): Prisma.PaymentWhereInput {
  if ((input.min_amount !== undefined || input.max_amount !== undefined) && !input.currency)
    throw new ToolRefusal('min_amount and max_amount are in minor units of one currency: give currency too (e.g. "EUR").');
  const cursor = input.cursor === undefined ? undefined : cursorParam.parse(input.cursor);
  if (input.cursor !== undefined && !cursor) throw new ToolRefusal("The cursor is not one this tool gave. Leave it out to start from the newest payment.");
  const createdAt: Prisma.DateTimeFilter = {
    ...(input.created_from ? { gte: instantOf(input.created_from, timeZone) } : {}),
    ...(input.created_to ? { lt: instantOf(input.created_to, timeZone) } : {}),
  };
  const and: Prisma.PaymentWhereInput[] = [];
  // Past the cursor: the range on createdAt keeps it one index range; the OR only settles ties.
  if (cursor) and.push({ createdAt: { lte: cursor.at } }, { OR: [{ createdAt: { lt: cursor.at } }, { id: { lt: cursor.id } }] });
  if (Object.keys(createdAt).length) and.push({ createdAt });
  return {
    shopId,
    ...(input.status ? { status: input.status } : {}),
    // Stored lowercased (app/payments/record.server.ts): equality on the (shopId, customerEmail, createdAt) index.
    ...(input.customer_email ? { customerEmail: input.customer_email.toLowerCase() } : {}),
    ...(input.risk_flagged !== undefined ? { riskFlagged: input.risk_flagged } : {}),
    // The shop in the dispute's condition lets the EXISTS look each payment up on Dispute's (shopId, paymentId) index.
    ...(input.has_dispute !== undefined ? { disputes: input.has_dispute ? { some: { shopId } } : { none: { shopId } } } : {}),
    ...(input.currency ? { currency: input.currency } : {}),
    ...(input.min_amount !== undefined || input.max_amount !== undefined
      ? {
          amount: {
            ...(input.min_amount !== undefined ? { gte: input.min_amount } : {}),
            ...(input.max_amount !== undefined ? { lte: input.max_amount } : {}),
          },
        }
      : {}),
    ...(and.length ? { AND: and } : {}),
  };
}

/** How many payments a list's summary names one by one; the data has them all. */
const NAMED_IN_SUMMARY = 10;

export function registerPaymentTools(server: McpServer, context: AgentContext) {
  defineTool(
    server,
    context,
    {
      name: "get_payment",
      title: "Get a payment",
      description:
        "A Checkout.com payment of this store with its status, amounts (captured, refunded, and what may still be refunded, captured or voided), risk flag, customer, card and Shopify order. Find it by payment id, order name or reference.",
      scope: "read",
      input: { payment: paymentLookupSchema },
      output: paymentOutput,
      annotations: READ_ANNOTATIONS,
    },
    async ({ payment: lookup }, caller) => {
      const payment = await findAgentPayment(caller, lookup);
      const view = await paymentView(payment, caller);
      return {
        summary: `${paymentName(payment)}: ${view.amount.formatted}, ${view.status}. Refundable now: ${view.refundable.formatted}; capturable: ${view.capturable.formatted}; ${view.voidable ? "can be voided" : "cannot be voided"}.${view.riskFlagged ? " Flagged as risky by Checkout.com." : ""}`,
        data: view,
        audit: { paymentId: payment.id, orderGid: payment.orderLink?.orderGid ?? null },
      };
    },
  );

  defineTool(
    server,
    context,
    {
      name: "get_payment_actions",
      title: "Get a payment's history",
      description:
        "What happened to a payment, oldest first: Checkout.com's events (authorized, captured, refunded, declined...), actions taken by people, agents or the app (refunds and voids asked for, holds placed and released, orders canceled), dispute milestones, and the refunds, voids and captures this app sent with their status. Reads this app's records, which follow Checkout.com's webhooks. Find the payment by payment id, order name or reference.",
      scope: "read",
      input: { payment: paymentLookupSchema },
      output: {
        paymentId: z.string(),
        status: z.string(),
        order: paymentFields.order,
        timeline: z.array(timelineEntrySchema),
        moneyActions: z.array(moneyActionSchema).describe("Refunds, voids and captures this app sent, oldest first."),
      },
      annotations: READ_ANNOTATIONS,
    },
    async ({ payment: lookup }, caller) => {
      const payment = await findAgentPayment(caller, lookup);
      const { timeline, moneyActions } = await paymentActions(payment, caller);
      const latest = timeline.at(-1);
      const actionWords = moneyActions
        .slice(-5)
        .map(
          (a) =>
            `${a.kind}${a.amount ? ` of ${a.amount.formatted}` : ""} ${a.status} (asked by ${a.requestedBy} via ${a.via === "shopify" ? "Shopify" : "Checkout.com"})`,
        );
      return {
        summary:
          `${paymentName(payment)} (${payment.status}): ${timeline.length} timeline ${timeline.length === 1 ? "entry" : "entries"}` +
          (latest ? `, the latest on ${latest.at.formatted}: ${latest.summary}.` : ".") +
          (moneyActions.length
            ? ` ${moneyActions.length} money ${moneyActions.length === 1 ? "action" : "actions"}${moneyActions.length > 5 ? ", the last five" : ""}: ${actionWords.join("; ")}.`
            : " No refund, void or capture was sent from this app."),
        data: {
          paymentId: payment.ckoPaymentId,
          status: payment.status,
          order: payment.orderLink ? { id: payment.orderLink.orderGid, name: payment.orderLink.orderName } : null,
          timeline,
          moneyActions,
        },
        audit: { paymentId: payment.id, orderGid: payment.orderLink?.orderGid ?? null },
      };
    },
  );

  defineTool(
    server,
    context,
    {
      name: "list_payments",
      title: "List payments",
      description:
        "This store's Checkout.com payments, newest first, filtered by status, customer email, creation time, risk flag, dispute, currency and amount. Answers at most `limit` payments and a nextCursor: pass it as `cursor` for the next page (null when there is none). For what may still be refunded or voided on one, call get_payment.",
      scope: "read",
      input: listPaymentsInput,
      output: {
        payments: z.array(z.object(paymentFields)),
        nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
      },
      annotations: READ_ANNOTATIONS,
    },
    async (input, caller) => {
      const where = listPaymentsWhere(caller.shopId, caller.timeZone, input);
      const rows = await db().payment.findMany({
        where,
        include: { orderLink: { select: { orderGid: true, orderName: true } } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
      });
      const { page, next } = cursorPage(rows, input.limit, { backwards: false }, (p) => cursorText(p.createdAt, p.id));
      const payments = page.map((p) => paymentFieldsOf(p, caller));
      const named = payments
        .slice(0, NAMED_IN_SUMMARY)
        .map((p) => `${p.paymentId}${p.order?.name ? ` (${p.order.name})` : ""} ${p.amount.formatted} ${p.status} on ${p.createdAt.formatted}`);
      const more = payments.length > NAMED_IN_SUMMARY ? ` and ${payments.length - NAMED_IN_SUMMARY} more` : "";
      return {
        summary:
          payments.length === 0
            ? `No payment of this store matches${input.cursor ? " past this cursor" : ""}.`
            : `${payments.length} ${payments.length === 1 ? "payment" : "payments"}, newest first: ${named.join("; ")}${more}.${next ? " More match: call again with the nextCursor." : " No more match."}`,
        data: { payments, nextCursor: next },
      };
    },
  );
}
