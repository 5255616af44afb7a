// Home's setup checklist. Each step ticks itself from what the shop really has (a tested key, an event
// received, rules saved, a Zendesk connection, the order block loading, a Flow trigger on), never from
// a click on the checklist, so it cannot say "done" about something that does not work.
import { db } from "../db.server";
import { enabledFlowTriggers } from "../flow/settings.server";

export interface OnboardingStep {
  id: "checkout" | "webhooks" | "rules" | "zendesk" | "order_block" | "flow";
  title: string;
  done: boolean;
  /** What is true now, or what to do. */
  detail: string;
  /** Where the merchant does it (an app path, or Shopify admin instructions when empty). */
  url: string | null;
}

export async function onboardingSteps(shopId: string): Promise<OnboardingStep[]> {
  const [connection, lastEvent, rules, zendesk, settings, flow] = await Promise.all([
    db().checkoutConnection.findFirst({ where: { shopId, active: true }, select: { id: true, lastTestOk: true, workflowStatus: true } }),
    db().webhookEvent.findFirst({ where: { shopId }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
    db().riskRules.findUnique({ where: { shopId }, select: { reviewedAt: true } }),
    db().zendeskConnection.count({ where: { shopId, revokedAt: null } }),
    db().shopSettings.findUnique({ where: { shopId }, select: { orderBlockSeenAt: true } }),
    enabledFlowTriggers(shopId),
  ]);
  // A registered workflow proves the key works as much as a passed connection test does.
  const keysWork = connection?.lastTestOk === true || connection?.workflowStatus === "registered";
  return [
    {
      id: "checkout",
      title: "Connect Checkout.com",
      done: keysWork,
      detail: !connection
        ? "Enter your Checkout.com keys."
        : keysWork
          ? "Your keys work."
          : "Your keys are saved but have not worked yet: run the connection test.",
      url: "/app/settings",
    },
    {
      id: "webhooks",
      title: "Receive payment events",
      done: Boolean(lastEvent),
      detail: lastEvent
        ? "Checkout.com events are arriving."
        : connection?.workflowStatus === "registered"
          ? "The webhook is registered; events appear with the next payment (or send a test event)."
          : "Register the webhook with Checkout.com in Settings.",
      url: "/app/settings",
    },
    {
      id: "rules",
      title: "Review the risk rules",
      done: Boolean(rules?.reviewedAt),
      detail: rules?.reviewedAt ? "Your rules are saved." : "Check which payments are held for review, and save the rules.",
      url: "/app/rules",
    },
    {
      id: "zendesk",
      title: "Connect Zendesk",
      done: zendesk > 0,
      detail: zendesk > 0 ? "Agents see payments in the ticket sidebar." : "Give support agents the payment timeline and refunds in Zendesk.",
      url: "/app/zendesk",
    },
    {
      id: "order_block",
      title: "Add the block to the order page",
      done: Boolean(settings?.orderBlockSeenAt),
      detail: settings?.orderBlockSeenAt
        ? "The order page shows each order's Checkout.com payment."
        : "Open any order in the Shopify admin, click the apps icon at the top of the page and add the Checkout.com block.",
      url: null,
    },
    {
      id: "flow",
      title: "Turn on Shopify Flow triggers",
      done: flow.length > 0,
      detail: flow.length > 0 ? `${flow.length} trigger${flow.length === 1 ? "" : "s"} on.` : "Start Flow workflows from payment and dispute events.",
      url: "/app/flow",
    },
  ];
}

/** The order page block loaded its data for this shop: the merchant has added it. */
export async function noteOrderBlockSeen(shopId: string, now = new Date()) {
  await db().shopSettings.upsert({ where: { shopId }, create: { shopId, orderBlockSeenAt: now }, update: { orderBlockSeenAt: now } });
}
