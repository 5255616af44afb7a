// Read tools about payments: find one (by Checkout.com id, order name or reference) with what may still
// be done on it.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Payment } from "@prisma/client";
import { z } from "zod";
import { db } from "../../db.server";
import { balances } from "../../money/balances.server";
import { money, moneySchema, time, timeSchema } from "../format";
import { defineTool, ToolRefusal, type AgentContext } from "../tool.server";
import type { AgentCaller } from "../tokens.server";

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

export const paymentLookupSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('A Checkout.com payment id ("pay_..."), a Shopify order name ("#1001") or the payment reference.');

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
  const link = await db().orderLink.findFirst({ where: { shopId, orderName }, orderBy: { createdAt: "desc" }, select: { paymentId: true } });
  const found =
    (link && (await db().payment.findFirst({ where: { id: link.paymentId, shopId }, include }))) ??
    (await db().payment.findFirst({ where: { shopId, reference: lookup }, orderBy: { createdAt: "desc" }, include }));
  if (!found) throw new ToolRefusal(`This store has no Checkout.com payment "${lookup}" (looked up as a payment id, an order name and a reference).`);
  return found;
}

export const paymentOutput = {
  paymentId: z.string().describe("Checkout.com payment id."),
  reference: z.string().nullable(),
  status: z.string().describe("Checkout.com's status name."),
  amount: moneySchema,
  captured: moneySchema,
  refunded: moneySchema,
  refundable: moneySchema.describe("What may still be refunded now (less actions under way)."),
  capturable: moneySchema,
  voidable: z.boolean(),
  riskFlagged: z.boolean(),
  riskScore: z.number().nullable(),
  customerEmail: z.string().nullable(),
  card: z.object({ scheme: z.string().nullable(), last4: z.string().nullable(), country: z.string().nullable() }),
  order: z.object({ id: z.string(), name: z.string().nullable() }).nullable().describe("The Shopify order the payment belongs to, once matched."),
  createdAt: timeSchema,
};

export async function paymentView(payment: Payment & { orderLink: { orderGid: string; orderName: string | null } | null }, caller: AgentCaller) {
  const left = await balances(payment);
  const m = (minor: number) => money(minor, payment.currency);
  return {
    paymentId: payment.ckoPaymentId,
    reference: payment.reference,
    status: payment.status,
    amount: m(payment.amount),
    captured: m(payment.capturedAmount),
    refunded: m(payment.refundedAmount),
    refundable: m(left.refundable),
    capturable: m(left.capturable),
    voidable: left.voidable,
    riskFlagged: payment.riskFlagged,
    riskScore: payment.riskScore,
    customerEmail: payment.customerEmail,
    card: { scheme: payment.cardScheme, last4: payment.cardLast4, country: payment.cardCountry },
    order: payment.orderLink ? { id: payment.orderLink.orderGid, name: payment.orderLink.orderName } : null,
    createdAt: time(payment.createdAt, caller.timeZone),
  };
}

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
      annotations: READ,
    },
    async ({ payment: lookup }, caller) => {
      const payment = await findAgentPayment(caller, lookup);
      const view = await paymentView(payment, caller);
      const order = view.order?.name ? ` for order ${view.order.name}` : "";
      return {
        summary: `Payment ${view.paymentId}${order}: ${view.amount.formatted}, ${view.status}. Refundable now: ${view.refundable.formatted}; capturable: ${view.capturable.formatted}; ${view.voidable ? "can be voided" : "cannot be voided"}.${view.riskFlagged ? " Flagged as risky by Checkout.com." : ""}`,
        data: view,
        audit: { paymentId: payment.id, orderGid: payment.orderLink?.orderGid ?? null },
      };
    },
  );
}
