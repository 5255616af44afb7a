// Customer tools: a customer as Checkout.com keeps them (its /customers object) beside what this shop
// has seen of their email (get_customer), and keeping that Checkout.com object up to date
// (create_or_update_customer). Emails are compared in lower case, the form payments store them in
// (app/payments/record.server.ts), and every history query is scoped to the caller's shop and served by
// an index (customers.query-plans.sqlite.test.ts).
import { createHash } from "node:crypto";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { CheckoutClient } from "../../checkout/client.server";
import { clientFor, getConnection } from "../../checkout/connection.server";
import { CheckoutError } from "../../checkout/errors";
import type { CheckoutCustomer, CustomerDetails } from "../../checkout/schemas";
import { db } from "../../db.server";
import { OPEN_DISPUTE_STATUSES } from "../../disputes/status";
import { money, moneySchema, time, timeSchema } from "../format";
import { canonicalJson } from "../idempotency.server";
import { defineTool, ToolRefusal, type AgentContext } from "../tool.server";
import type { AgentCaller } from "../tokens.server";

/** Payments read to find the email's disputes and holds; past this those are counted over the newest. */
const LOOKED_AT = 2_000;
const RECENT = 10;
/** Checkout.com's limits on a customer's metadata (StoreCustomerRequest). */
const METADATA_MAX_PAIRS = 10;
const METADATA_TEXT_MAX = 100;

const CUSTOMER_ID = /^cus_\w+$/;

const metadataValue = z.union([z.string(), z.number(), z.boolean()]);

const customerOutput = z.object({
  id: z.string().describe('Checkout.com customer id ("cus_...").'),
  email: z.string(),
  name: z.string().nullable(),
  phone: z.object({ country_code: z.string().nullable(), number: z.string().nullable() }).nullable(),
  metadata: z.record(metadataValue).describe("Key-value pairs kept on the customer at Checkout.com."),
});
type CustomerView = z.infer<typeof customerOutput>;

const customerView = (c: CheckoutCustomer): CustomerView => ({
  id: c.id,
  email: c.email,
  name: c.name ?? null,
  phone: c.phone ? { country_code: c.phone.country_code ?? null, number: c.phone.number ?? null } : null,
  metadata: c.metadata ?? {},
});

/** The client of the shop's active Checkout.com connection, the one that acts for the shop. */
async function checkoutClientOf(caller: AgentCaller): Promise<CheckoutClient> {
  const connection = await getConnection(caller.shopId);
  if (!connection) throw new ToolRefusal("This store has no active Checkout.com connection. A store admin can connect Checkout.com in the app's Settings.");
  return clientFor(connection);
}

/** The customer Checkout.com has under this id or email, or null when it has none. */
async function checkoutCustomerOrNull(client: CheckoutClient, identifier: string): Promise<CheckoutCustomer | null> {
  try {
    return await client.getCustomer(identifier);
  } catch (error) {
    if (error instanceof CheckoutError && error.kind === "not_found") return null;
    throw error;
  }
}

/** The email this shop's payments give a Checkout.com customer id, for a customer Checkout.com no longer has. */
async function emailOfCustomerId(shopId: string, ckoCustomerId: string): Promise<string | null> {
  // No ORDER BY: the [shopId, ckoCustomerId] index has no date (as in app/holds/customer-picture.server.ts).
  const payment = await db().payment.findFirst({ where: { shopId, ckoCustomerId, customerEmail: { not: null } }, select: { customerEmail: true } });
  return payment?.customerEmail ?? null;
}

const historyOutput = {
  payments: z.object({
    count: z.number().int(),
    declined: z.number().int(),
    totals: z
      .array(z.object({ currency: z.string(), payments: z.number().int(), captured: moneySchema, refunded: moneySchema }))
      .describe("Per currency: how many payments, how much was captured and refunded."),
    recent: z
      .array(
        z.object({
          paymentId: z.string(),
          amount: moneySchema,
          status: z.string().describe("Checkout.com's status name."),
          orderName: z.string().nullable(),
          date: timeSchema.describe("When the customer paid."),
        }),
      )
      .describe(`The last ${RECENT} payments, newest first.`),
  }),
  disputes: z.object({ count: z.number().int(), open: z.number().int().describe("Still awaiting evidence or a decision.") }),
  holds: z.object({
    total: z.number().int(),
    held: z.number().int().describe("Orders on hold now (or being put on hold)."),
    released: z.number().int(),
    canceled: z.number().int(),
  }),
  denyList: z
    .array(z.object({ kind: z.enum(["email", "customer"]), value: z.string(), note: z.string().nullable(), addedAt: timeSchema }))
    .describe("This store's deny-list entries for the email or the Checkout.com customer id."),
  partial: z
    .boolean()
    .describe(`True when the email has more than ${LOOKED_AT} payments here: disputes and holds are then counted over the newest ${LOOKED_AT}.`),
};

/** What this shop has seen of an email (lower case): payments, declines, disputes, holds and deny-list entries. */
export async function customerHistory(shopId: string, email: string, ckoCustomerId: string | null, timeZone: string | null) {
  const byEmail = { shopId, customerEmail: email };
  const denied = [{ kind: "email", value: email }, ...(ckoCustomerId ? [{ kind: "customer", value: ckoCustomerId }] : [])];
  const [groups, recent, looked, entries] = await Promise.all([
    db().payment.groupBy({ by: ["currency", "status"], where: byEmail, _count: { _all: true }, _sum: { capturedAmount: true, refundedAmount: true } }),
    db().payment.findMany({
      where: byEmail,
      orderBy: { createdAt: "desc" },
      take: RECENT,
      select: {
        ckoPaymentId: true,
        amount: true,
        currency: true,
        status: true,
        createdAt: true,
        processedOn: true,
        orderLink: { select: { orderName: true } },
      },
    }),
    db().payment.findMany({ where: byEmail, orderBy: { createdAt: "desc" }, take: LOOKED_AT + 1, select: { id: true, ckoPaymentId: true } }),
    db().listEntry.findMany({ where: { shopId, list: "deny", OR: denied }, orderBy: { createdAt: "desc" } }),
  ]);

  const payments = looked.slice(0, LOOKED_AT);
  const [linkedDisputes, disputesByCkoId, holds] = payments.length
    ? await Promise.all([
        db().dispute.findMany({ where: { shopId, paymentId: { in: payments.map((p) => p.id) } }, select: { id: true, status: true } }),
        // A dispute that arrived before its payment is linked only by the Checkout.com payment id.
        db().dispute.findMany({ where: { shopId, ckoPaymentId: { in: payments.map((p) => p.ckoPaymentId) } }, select: { id: true, status: true } }),
        db().hold.groupBy({ by: ["status"], where: { shopId, paymentId: { in: payments.map((p) => p.id) } }, _count: { _all: true } }),
      ])
    : [[], [], []];

  const totals = new Map<string, { payments: number; captured: number; refunded: number }>();
  let declined = 0;
  for (const g of groups) {
    const sum = totals.get(g.currency) ?? { payments: 0, captured: 0, refunded: 0 };
    sum.payments += g._count._all;
    sum.captured += g._sum.capturedAmount ?? 0;
    sum.refunded += g._sum.refundedAmount ?? 0;
    totals.set(g.currency, sum);
    if (g.status === "Declined") declined += g._count._all;
  }
  const disputes = new Map([...linkedDisputes, ...disputesByCkoId].map((d) => [d.id, d.status]));
  const holdCount = (...statuses: string[]) => holds.filter((h) => statuses.includes(h.status)).reduce((n, h) => n + h._count._all, 0);

  return {
    payments: {
      count: groups.reduce((n, g) => n + g._count._all, 0),
      declined,
      totals: [...totals.keys()].sort().map((currency) => {
        const sum = totals.get(currency)!;
        return { currency, payments: sum.payments, captured: money(sum.captured, currency), refunded: money(sum.refunded, currency) };
      }),
      recent: recent.map((p) => ({
        paymentId: p.ckoPaymentId,
        amount: money(p.amount, p.currency),
        status: p.status,
        orderName: p.orderLink?.orderName ?? null,
        date: time(p.processedOn ?? p.createdAt, timeZone),
      })),
    },
    disputes: {
      count: disputes.size,
      open: [...disputes.values()].filter((status) => (OPEN_DISPUTE_STATUSES as readonly string[]).includes(status)).length,
    },
    holds: {
      total: holds.reduce((n, h) => n + h._count._all, 0),
      held: holdCount("pending", "held"),
      released: holdCount("released"),
      canceled: holdCount("canceled"),
    },
    denyList: entries.map((e) => ({ kind: e.kind as "email" | "customer", value: e.value, note: e.note, addedAt: time(e.createdAt, timeZone) })),
    partial: looked.length > LOOKED_AT,
  };
}

type History = Awaited<ReturnType<typeof customerHistory>>;

function historyWords(h: History): string {
  const moneyWords = h.payments.totals.map((t) => `${t.captured.formatted} captured, ${t.refunded.formatted} refunded`).join("; ");
  const parts = [
    `${h.payments.count} payment${h.payments.count === 1 ? "" : "s"} in this store${moneyWords ? ` (${moneyWords})` : ""}, ${h.payments.declined} declined`,
    `${h.disputes.count} dispute${h.disputes.count === 1 ? "" : "s"} (${h.disputes.open} open)`,
    `holds: ${h.holds.held} held, ${h.holds.released} released, ${h.holds.canceled} canceled`,
  ];
  return `${parts.join("; ")}.${h.denyList.length ? ` On this store's deny list (${h.denyList.map((e) => e.kind).join(", ")}).` : ""}`;
}

const phoneInput = z
  .object({
    country_code: z
      .string()
      .trim()
      .regex(/^\+?\d{1,6}$/, 'A calling code: digits, optionally after "+", e.g. "+44".')
      .describe('International calling code, e.g. "+44".'),
    number: z
      .string()
      .trim()
      .regex(/^[\d ()-]{6,25}$/, "6 to 25 digits, spaces, dashes or brackets.")
      .describe("The number without the calling code (6-25 digits, spaces, dashes or brackets)."),
  })
  .strict();

const metadataInput = z
  .record(z.string().min(1).max(METADATA_TEXT_MAX), z.union([z.string().max(METADATA_TEXT_MAX), z.number().finite()]))
  .refine((m) => Object.keys(m).length <= METADATA_MAX_PAIRS, `At most ${METADATA_MAX_PAIRS} key-value pairs.`);

/** The fields that differ from what Checkout.com holds (PATCH replaces metadata as a whole, so it is compared whole). */
function changesFrom(current: CheckoutCustomer, wanted: CustomerDetails): CustomerDetails {
  const changes: CustomerDetails = {};
  if (wanted.name !== undefined && wanted.name !== current.name) changes.name = wanted.name;
  if (wanted.phone && (wanted.phone.country_code !== current.phone?.country_code || wanted.phone.number !== current.phone?.number))
    changes.phone = wanted.phone;
  if (wanted.metadata && !sameMetadata(wanted.metadata, current.metadata ?? {})) changes.metadata = wanted.metadata;
  return changes;
}

/** Compared as text: Checkout.com may give a number back as a string. */
function sameMetadata(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && String(a[k]) === String(b[k]));
}

/**
 * The same creation asked again (a retry, a repeated call) gets the same key, so Checkout.com answers
 * with the first customer rather than making another; a different body is another request.
 */
const creationKey = (shopId: string, body: CustomerDetails & { email: string }) =>
  `mcp-customer-${createHash("sha256")
    .update(`${shopId}\n${canonicalJson(body)}`)
    .digest("hex")}`;

const CHANGEABLE = ["name", "phone", "metadata"] as const;

export function registerCustomerTools(server: McpServer, context: AgentContext) {
  defineTool(
    server,
    context,
    {
      name: "get_customer",
      title: "Get a customer",
      description:
        "A customer by email (or Checkout.com customer id): their Checkout.com customer object (null when Checkout.com has none), and what this store has seen of the email: payments (count, captured and refunded per currency, declines, the last 10), disputes (how many, how many open), order holds, and deny-list entries.",
      scope: "read",
      input: {
        customer: z
          .string()
          .trim()
          .min(3)
          .max(255)
          .regex(/^(cus_\w+|[^\s@]+@[^\s@]+)$/, 'An email address or a Checkout.com customer id ("cus_...").')
          .describe('The customer\'s email address, or their Checkout.com customer id ("cus_...").'),
      },
      output: { email: z.string().describe("The email the history is for, in lower case."), checkoutCustomer: customerOutput.nullable(), ...historyOutput },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async ({ customer: lookup }, caller) => {
      const client = await checkoutClientOf(caller);
      const byId = CUSTOMER_ID.test(lookup);
      const found = await checkoutCustomerOrNull(client, byId ? lookup : lookup.toLowerCase());
      const email = byId ? (found?.email.toLowerCase() ?? (await emailOfCustomerId(caller.shopId, lookup))) : lookup.toLowerCase();
      if (!email) throw new ToolRefusal(`Checkout.com has no customer ${lookup} for this store's account, and no payment in this store names it.`);
      const history = await customerHistory(caller.shopId, email, found?.id ?? (byId ? lookup : null), caller.timeZone);
      const who = found ? `Checkout.com customer ${found.id}${found.name ? ` (${found.name})` : ""}` : "no Checkout.com customer";
      return {
        summary: `${email}: ${who}. ${historyWords(history)}${history.partial ? ` Disputes and holds counted over the newest ${LOOKED_AT} payments.` : ""}`,
        data: { email, checkoutCustomer: found ? customerView(found) : null, ...history },
        audit: { details: { customerId: found?.id ?? null } },
      };
    },
  );

  defineTool(
    server,
    context,
    {
      name: "create_or_update_customer",
      title: "Create or update a Checkout.com customer",
      description: `Makes Checkout.com's customer object for an email say the given name, phone and metadata: creates it when Checkout.com has none, otherwise changes only the fields that differ (fields left out are kept; metadata, when given, replaces the customer's metadata as a whole, at most ${METADATA_MAX_PAIRS} pairs). Calling it again with the same details changes nothing. dry_run: true says what would be sent without sending it.`,
      scope: "customers",
      input: {
        email: z.string().trim().toLowerCase().email().max(255).describe("The customer's email address: finds the customer, or is given to a new one."),
        name: z.string().trim().min(1).max(255).optional(),
        phone: phoneInput.optional(),
        metadata: metadataInput.optional().describe(`Up to ${METADATA_MAX_PAIRS} pairs; keys and text values up to ${METADATA_TEXT_MAX} characters.`),
        dry_run: z.boolean().optional().describe("true: check and say what would be sent, send nothing."),
      },
      output: {
        outcome: z.enum(["created", "updated", "unchanged"]).describe("What was done (for a dry run: what would be)."),
        dryRun: z.boolean(),
        changed: z.array(z.enum(CHANGEABLE)).describe("The fields sent besides the email."),
        sent: z
          .object({ method: z.enum(["POST", "PATCH"]), path: z.string(), body: z.record(z.unknown()) })
          .nullable()
          .describe("The request sent to Checkout.com (for a dry run: the one that would be); null when nothing needs sending."),
        customer: customerOutput.nullable().describe("The customer at Checkout.com after the call; for a dry run, as it is now (null: none yet)."),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async ({ email, name, phone, metadata, dry_run: dryRun = false }, caller) => {
      const client = await checkoutClientOf(caller);
      const wanted: CustomerDetails = {
        ...(name !== undefined ? { name } : {}),
        ...(phone ? { phone: { country_code: phone.country_code, number: phone.number } } : {}),
        ...(metadata ? { metadata } : {}),
      };
      const current = await checkoutCustomerOrNull(client, email);
      const changes = current ? changesFrom(current, wanted) : wanted;
      const changed = CHANGEABLE.filter((field) => field in changes);
      const outcome: "created" | "updated" | "unchanged" = !current ? "created" : changed.length ? "updated" : "unchanged";
      const created = { email, ...changes };
      const sent = !current
        ? { method: "POST" as const, path: "/customers", body: created }
        : changed.length
          ? { method: "PATCH" as const, path: `/customers/${current.id}`, body: { ...changes } }
          : null;

      let after = current;
      if (!dryRun && !current) {
        const { id } = await client.createCustomer(created, creationKey(caller.shopId, created));
        after = await client.getCustomer(id);
      } else if (!dryRun && current && changed.length) {
        await client.updateCustomer(current.id, changes);
        after = await client.getCustomer(current.id);
      }

      const fields = changed.length ? changed.join(", ") : "no other details";
      const summary = {
        created: dryRun
          ? `Dry run: would create a Checkout.com customer for ${email} with ${fields}. Nothing was sent.`
          : `Created Checkout.com customer ${after?.id} for ${email} with ${fields}.`,
        updated: dryRun
          ? `Dry run: would update Checkout.com customer ${current?.id} (${email}): ${fields}. Nothing was sent.`
          : `Updated Checkout.com customer ${current?.id} (${email}): ${fields}.`,
        unchanged: `Checkout.com customer ${current?.id} (${email}) already has these details; nothing was sent.`,
      }[outcome];
      return {
        summary,
        data: { outcome, dryRun, changed, sent, customer: after ? customerView(after) : null },
        audit: { details: { outcome, dryRun, customerId: after?.id ?? null, changed } },
      };
    },
  );
}
