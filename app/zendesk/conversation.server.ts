// The customer's conversation about an order in the shop's Zendesk, for a dispute's
// customer_communication evidence: the tickets the customer opened that name the order (or its
// Checkout.com payment), their public comments with dates and authors. Internal notes never leave
// Zendesk. What is read is bounded: a few tickets, a bounded number of messages, each capped.
import type { ZendeskClient } from "node-zendesk";
import { z } from "zod";
import type { Conversation, EvidenceOrder } from "../disputes/model";
import { supportClientFor } from "./support-api.server";

/** The most recently updated tickets taken, messages over all of them, and characters per message. */
export const CONVERSATION_LIMITS = { tickets: 5, messages: 60, messageChars: 4000 } as const;

const searchResultSchema = z.object({ id: z.number(), result_type: z.string().optional(), subject: z.string().nullish(), updated_at: z.string().nullish() });
const commentSchema = z.object({
  id: z.number(),
  author_id: z.number(),
  public: z.boolean(),
  body: z.string().nullish(),
  plain_body: z.string().nullish(),
  created_at: z.string().nullish(),
});
const userSchema = z.object({ id: z.number(), name: z.string().nullish(), role: z.string().nullish() });

export interface ConversationQuery {
  order: EvidenceOrder;
  /** The payment's Checkout.com id: a ticket may name it rather than the order. */
  ckoPaymentId: string | null;
  /** Ticket ids the merchant removed from this dispute's evidence. */
  excludedTickets: readonly string[];
}

/** Text fit for a document: line breaks kept, other control and invisible characters dropped, capped. */
function cleanText(text: string): string {
  const cleaned = text
    .replace(/\r\n?/g, "\n")
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g, "")
    .trim();
  return cleaned.length > CONVERSATION_LIMITS.messageChars ? `${cleaned.slice(0, CONVERSATION_LIMITS.messageChars - 1)}…` : cleaned;
}

/** Search terms are quoted; a quote inside one would end it. */
const quoted = (term: string) => `"${term.replace(/"/g, "")}"`;

async function ticketsAbout(client: ZendeskClient, query: ConversationQuery) {
  const searches = [
    query.order.email && `type:ticket requester:${quoted(query.order.email)} ${quoted(query.order.name)}`,
    query.ckoPaymentId && `type:ticket ${quoted(query.ckoPaymentId)}`,
  ].filter((s): s is string => Boolean(s));
  const found = new Map<number, z.infer<typeof searchResultSchema>>();
  for (const search of searches) {
    const { result } = await client.search.query(`${search} order_by:updated_at sort:desc`);
    for (const hit of z.array(searchResultSchema).parse(result)) if (!hit.result_type || hit.result_type === "ticket") found.set(hit.id, hit);
  }
  // The most recently active tickets, then told oldest first like their messages.
  return [...found.values()]
    .filter((t) => !query.excludedTickets.includes(String(t.id)))
    .sort((a, b) => (b.updated_at ?? "").localeCompare(a.updated_at ?? "") || b.id - a.id)
    .slice(0, CONVERSATION_LIMITS.tickets)
    .reverse();
}

/**
 * The public conversation of the customer's tickets about the order, oldest message first, or null
 * when the shop has no connected Zendesk account or no ticket names the order.
 */
export async function zendeskConversation(shopId: string, query: ConversationQuery): Promise<Conversation | null> {
  const client = await supportClientFor(shopId);
  if (!client) return null;
  const tickets = await ticketsAbout(client, query);
  if (!tickets.length) return null;

  const perTicket = await Promise.all(
    tickets.map(async (ticket) => ({
      ticket,
      comments: z
        .array(commentSchema)
        .parse(await client.tickets.getComments(ticket.id))
        .filter((c) => c.public),
    })),
  );
  const authorIds = [...new Set(perTicket.flatMap((t) => t.comments.map((c) => c.author_id)))];
  const { result: users } = authorIds.length ? await client.users.showMany(authorIds) : { result: [] };
  const authors = new Map(
    z
      .array(userSchema)
      .parse(users)
      .map((u) => [u.id, u]),
  );

  const messages = perTicket
    .flatMap(({ comments }) =>
      comments.map((c) => {
        const author = authors.get(c.author_id);
        const role = !author?.role || author.role === "end-user" ? ("customer" as const) : ("merchant" as const);
        return {
          author: author?.name?.trim() || (role === "customer" ? "Customer" : "Support agent"),
          role,
          at: c.created_at ?? null,
          body: cleanText(c.plain_body ?? c.body ?? ""),
        };
      }),
    )
    .filter((m) => m.body)
    .sort((a, b) => (a.at ?? "").localeCompare(b.at ?? ""))
    .slice(-CONVERSATION_LIMITS.messages);
  if (!messages.length) return null;

  const used = perTicket.filter((t) => t.comments.length > 0);
  return {
    source: "zendesk",
    reference: `Zendesk ${used.length === 1 ? "ticket" : "tickets"} ${used.map((t) => `#${t.ticket.id}`).join(", ")}`,
    messages,
    tickets: used.map(({ ticket, comments }) => ({ id: String(ticket.id), subject: cleanText(ticket.subject ?? "").slice(0, 200), messages: comments.length })),
  };
}
