// The customer conversation about an order, for the customer_communication evidence. When the shop
// has a Zendesk connection, a Zendesk source (registered by app/zendesk/) returns the ticket
// conversation; otherwise, or when it finds nothing, the order's notes stand in.
import { db } from "../db.server";
import { log } from "../log.server";
import type { Conversation, EvidenceOrder } from "./model";

/** Returns the support conversation for an order, or null when there is none. */
export type ConversationSource = (shopId: string, order: EvidenceOrder) => Promise<Conversation | null>;

let zendeskSource: ConversationSource | null = null;

/** Called by the Zendesk integration at start-up; `null` removes it (tests). */
export function registerZendeskConversationSource(source: ConversationSource | null) {
  zendeskSource = source;
}

export function orderNotesConversation(order: EvidenceOrder): Conversation | null {
  const note = order.note?.trim();
  if (!note) return null;
  return {
    source: "order_notes",
    reference: `Order ${order.name}`,
    messages: [{ author: "Order notes", role: "merchant", at: order.processedAt, body: note }],
  };
}

export async function conversationForOrder(shopId: string, order: EvidenceOrder | null): Promise<Conversation | null> {
  if (!order) return null;
  if (zendeskSource) {
    const connected = await db().zendeskConnection.count({ where: { shopId, revokedAt: null } });
    if (connected) {
      try {
        const conversation = await zendeskSource(shopId, order);
        if (conversation?.messages.length) return conversation;
      } catch (error) {
        // Evidence without the ticket is still evidence; the notes stand in.
        log.warn("disputes.zendesk_conversation_failed", { shopId, order: order.id, error });
      }
    }
  }
  return orderNotesConversation(order);
}
