// The internal note each action leaves on the ticket, so the next agent sees what was done.
import type { ActionResult, MoneyPlanView, PaymentTimeline } from "#app/zendesk/contract";
import { formatMoney } from "#app/lib/money";
import type { TicketContext } from "./ticket";
import type { ZafClient } from "./zaf";

const SIGNATURE = "Checkout.com payments app";

function paymentLabel(timeline: PaymentTimeline): string {
  const { paymentId, orderName } = timeline.payment;
  return orderName ? `payment ${paymentId} (order ${orderName})` : `payment ${paymentId}`;
}

export function noteForAction(
  result: ActionResult,
  timeline: PaymentTimeline,
  ticket: TicketContext,
  details: { reason?: string; plan?: MoneyPlanView | null; restock?: boolean; notifyCustomer?: boolean; orderName?: string } = {},
): string {
  const { payment, dispute } = timeline;
  const money = (minor: number) => formatMoney(minor, payment.currency);
  const lines: string[] = [];
  if (result.action === "refund") {
    const amount = result.amount ?? 0;
    const full = amount === payment.capturedAmount;
    const of = full ? "" : ` (of ${money(payment.capturedAmount)} captured)`;
    lines.push(`${full ? "Full" : "Partial"} refund of ${money(amount)}${of} requested on ${paymentLabel(timeline)}.`);
    if (details.reason) lines.push(`Reason: ${details.reason}`);
    if (details.plan?.via === "shopify") {
      const extras = [
        details.restock ? "unshipped items restocked" : "nothing restocked",
        details.notifyCustomer ? "customer emailed by Shopify" : "customer not emailed",
      ];
      lines.push(`Made through Shopify order ${details.plan.orderName ?? ""} (${extras.join(", ")}).`);
    } else if (details.plan) {
      lines.push("Made directly at Checkout.com: the Shopify order was not changed.");
    }
  } else if (result.action === "cancel") {
    const given =
      result.amount === null
        ? "nothing was left to void or refund"
        : details.plan?.canVoid
          ? `the authorisation of ${money(result.amount)} voided`
          : `${money(result.amount)} refunded`;
    lines.push(`Order ${details.orderName ?? payment.orderName ?? ""} canceled for ${paymentLabel(timeline)}: ${given}.`);
    if (details.reason) lines.push(`Reason: ${details.reason}`);
    lines.push(
      `${details.restock ? "Unshipped items restocked" : "Nothing restocked"}, ${details.notifyCustomer ? "customer emailed by Shopify" : "customer not emailed"}.`,
    );
  } else if (result.action === "void") {
    lines.push(`Authorisation of ${money(payment.amount)} voided on ${paymentLabel(timeline)}. The customer will not be charged.`);
  } else {
    const due = dispute?.evidenceDueBy ? ` (deadline ${formatDate(dispute.evidenceDueBy, ticket.agent.locale)})` : "";
    lines.push(`Dispute evidence submitted to Checkout.com for dispute ${dispute?.disputeId ?? "?"} on ${paymentLabel(timeline)}${due}.`);
  }
  if (result.status === "accepted") {
    lines.push(
      details.plan?.via === "shopify"
        ? "Shopify took the request; its Checkout.com payments app carries it out and Checkout.com will confirm it shortly."
        : "Checkout.com accepted the request and will confirm it shortly.",
    );
  }
  if (result.reference) lines.push(referenceLine(result.reference));
  lines.push(`Done by ${ticket.agent.name} with the ${SIGNATURE}.`);
  return lines.join("\n");
}

/** "Checkout.com reference: act_..." or "Shopify refund 123" (an action made through the Shopify order). */
function referenceLine(reference: string): string {
  const shopify = /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(reference);
  if (!shopify) return `Checkout.com reference: ${reference}`;
  const what = shopify[1] === "Refund" ? "refund" : "transaction";
  return `Shopify ${what} ${shopify[2]}`;
}

function formatDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

/** Adds a private comment to the ticket through Zendesk's own API (the Update Ticket endpoint). */
export async function addInternalNote(client: ZafClient, ticketId: number, body: string): Promise<void> {
  await client.request({
    url: `/api/v2/tickets/${ticketId}.json`,
    type: "PUT",
    contentType: "application/json",
    data: JSON.stringify({ ticket: { comment: { body, public: false } } }),
  });
}
