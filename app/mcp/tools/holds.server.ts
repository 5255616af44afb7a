// Risk tools that act: release a payment's hold (its fulfillment holds in Shopify come off), and put a
// customer, card or email on the shop's deny list or take it off. They go through the review queue's
// and the risk settings' own functions, so an agent's action is what a reviewer's click is, named by
// the token in the audit log.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { db } from "../../db.server";
import { NOTE_MAX_LENGTH } from "../../holds/limits";
import { addHoldNote, releaseHold, type Reviewer } from "../../holds/review-actions.server";
import { LIST_KINDS, normalizeListValue, type ListKind } from "../../holds/rules";
import { addListEntry, removeListEntry } from "../../holds/rules-settings.server";
import { defineTool, ToolRefusal, type AgentContext } from "../tool.server";
import type { AgentCaller } from "../tokens.server";
import { findAgentPayment, paymentLookupSchema, paymentName } from "./payments.server";

const reviewerOf = (caller: AgentCaller): Reviewer => ({ shopId: caller.shopId, shop: caller.shopDomain, actor: caller.name, source: "agent" });

const listKindInput = z
  .enum(LIST_KINDS as [ListKind, ...ListKind[]])
  .describe(
    "email; card_fingerprint (Checkout.com's card fingerprint); bin (the card number's first 6 or 8 digits); customer (a Checkout.com customer id, cus_...).",
  );
const listValueInput = z.string().trim().min(1).max(200).describe("The email, card fingerprint, BIN or customer id.");

const listOutput = {
  kind: listKindInput,
  value: z.string().describe("As the list keeps it (emails lower-case, fingerprints upper-case)."),
  changed: z.boolean().describe("false: it was already so, nothing changed."),
};

export function registerHoldTools(server: McpServer, context: AgentContext) {
  defineTool(
    server,
    context,
    {
      name: "release_hold",
      title: "Release a risk hold",
      description:
        "Releases the risk hold on a payment's order: this app's fulfillment holds in Shopify come off (other apps' and staff holds stay), the order's risk assessment records who released it and why, and the order can ship. Releasing a released hold changes nothing. Add `note` to say why (kept on the hold and written into the assessment).",
      scope: "holds",
      input: {
        payment: paymentLookupSchema,
        note: z
          .string()
          .trim()
          .min(1)
          .max(NOTE_MAX_LENGTH)
          .optional()
          .describe("Why the order is genuine; kept on the hold and shown in Shopify's risk assessment."),
      },
      output: {
        paymentId: z.string(),
        order: z.object({ id: z.string(), name: z.string().nullable() }),
        status: z.literal("released"),
        repeated: z.boolean().describe("true: it was released already, nothing changed."),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async ({ payment: lookup, note }, caller) => {
      const payment = await findAgentPayment(caller, lookup);
      const subject = { paymentId: payment.id, orderGid: payment.orderLink?.orderGid ?? null };
      const hold = await db().hold.findFirst({ where: { paymentId: payment.id, shopId: caller.shopId } });
      if (!hold) throw new ToolRefusal(`${paymentName(payment)} has no risk hold.`, subject);
      const reviewer = reviewerOf(caller);
      // The note first: the release writes it into Shopify's risk assessment as the reason.
      if (note) {
        const noted = await addHoldNote(reviewer, hold.id, note);
        if (!noted.ok) throw new ToolRefusal(noted.message, { ...subject, orderGid: hold.orderGid });
      }
      const result = await releaseHold(reviewer, hold.id);
      if (!result.ok) throw new ToolRefusal(result.message, { ...subject, orderGid: hold.orderGid });
      return {
        summary: `${paymentName(payment)}: ${result.message}`,
        data: {
          paymentId: payment.ckoPaymentId,
          order: { id: hold.orderGid, name: hold.orderName },
          status: "released" as const,
          repeated: Boolean(result.repeated),
        },
        audit: { ...subject, orderGid: hold.orderGid, details: { holdId: hold.id, repeated: Boolean(result.repeated) } },
      };
    },
  );

  defineTool(
    server,
    context,
    {
      name: "add_to_deny_list",
      title: "Add to the deny list",
      description:
        "Puts an email, card fingerprint, BIN or Checkout.com customer on this store's deny list: the risk rules hold the orders of later payments that match it. Adding what is already listed changes nothing.",
      scope: "risk_lists",
      input: { kind: listKindInput, value: listValueInput, note: z.string().trim().max(500).optional().describe("Why, for the store's staff.") },
      output: listOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ kind, value, note }, caller) => {
      const result = await addListEntry(caller.shopId, { list: "deny", kind, value, note }, caller.name, { source: "agent" });
      if (!result.ok) throw new ToolRefusal(Object.values(result.fieldErrors).join(" "));
      const listed = normalizeListValue(kind, value);
      return {
        summary: result.created ? `${listed} (${kind}) added to the deny list.` : `${listed} (${kind}) was already on the deny list; nothing changed.`,
        data: { kind, value: listed, changed: result.created },
        audit: { details: { created: result.created } },
      };
    },
  );

  defineTool(
    server,
    context,
    {
      name: "remove_from_deny_list",
      title: "Remove from the deny list",
      description:
        "Takes an email, card fingerprint, BIN or Checkout.com customer off this store's deny list, so the risk rules no longer hold its payments' orders for it. Removing what is not listed changes nothing.",
      scope: "risk_lists",
      input: { kind: listKindInput, value: listValueInput },
      output: listOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ kind, value }, caller) => {
      const listed = normalizeListValue(kind, value);
      const entry = await db().listEntry.findUnique({
        where: { shopId_list_kind_value: { shopId: caller.shopId, list: "deny", kind, value: listed } },
        select: { id: true },
      });
      const removed = entry ? await removeListEntry(caller.shopId, entry.id, caller.name, "agent") : false;
      return {
        summary: removed ? `${listed} (${kind}) removed from the deny list.` : `${listed} (${kind}) was not on the deny list; nothing changed.`,
        data: { kind, value: listed, changed: removed },
        audit: { details: { removed } },
      };
    },
  );
}
