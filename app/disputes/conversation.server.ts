// The customer conversation about an order, for the customer_communication evidence: the customer's
// Zendesk tickets about it when the shop connected its Zendesk account (app/zendesk/conversation.server.ts),
// otherwise, or when they have nothing, the order's notes.
import { log } from "../log.server";
import { zendeskConversation, type ConversationQuery } from "../zendesk/conversation.server";
import type { Conversation, EvidenceOrder } from "./model";

export function orderNotesConversation(order: EvidenceOrder): Conversation | null {
  const note = order.note?.trim();
  if (!note) return null;
  return {
    source: "order_notes",
    reference: `Order ${order.name}`,
    messages: [{ author: "Order notes", role: "merchant", at: order.processedAt, body: note }],
  };
}

export async function conversationForOrder(
  shopId: string,
  order: EvidenceOrder | null,
  about: Omit<ConversationQuery, "order"> = { ckoPaymentId: null, excludedTickets: [] },
): Promise<Conversation | null> {
  if (!order) return null;
  try {
    const conversation = await zendeskConversation(shopId, { order, ...about });
    if (conversation) return conversation;
  } catch (error) {
    // Evidence without the ticket is still evidence; the notes stand in.
    log.warn("disputes.zendesk_conversation_failed", { shopId, order: order.id, error });
  }
  return orderNotesConversation(order);
}
