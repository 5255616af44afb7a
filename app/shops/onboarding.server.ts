// Home's setup checklist. Each step ticks itself from what the shop really has (a tested key, an event
// received, rules saved, a Zendesk connection, the order block loading, a Flow trigger on), never from
// a click on the checklist, so it cannot say "done" about something that does not work.
import { db } from "../db.server";
import { enabledFlowTriggers } from "../flow/settings.server";

// Words are the screen's: a step names its state, and Home says it in the staff member's language
// (`home:setup.steps.<id>.title` and `.<detail>`).
export interface OnboardingStep {
  id: "checkout" | "webhooks" | "rules" | "zendesk" | "order_block" | "flow";
  done: boolean;
  /** What is true now, or what to do: a key under the step's translations. */
  detail: string;
  /** For a detail that counts (the Flow triggers on). */
  count?: number;
  /** Where the merchant does it (an app path, or Shopify admin instructions when empty). */
  url: string | null;
}

export async function onboardingSteps(shopId: string): Promise<OnboardingStep[]> {
  const [connection, lastEvent, rules, zendesk, settings, flow] = await Promise.all([
    db().checkoutConnection.findFirst({ where: { shopId, active: true, disconnectedAt: null }, select: { id: true, lastTestOk: true, workflowStatus: true } }),
    db().webhookEvent.findFirst({ where: { shopId }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
    db().riskRules.findUnique({ where: { shopId }, select: { reviewedAt: true } }),
    db().zendeskConnection.count({ where: { shopId, revokedAt: null } }),
    db().shopSettings.findUnique({ where: { shopId }, select: { orderBlockSeenAt: true } }),
    enabledFlowTriggers(shopId),
  ]);
  // A registered workflow proves the key works as much as a passed connection test does, until a later
  // test fails (a revoked key).
  const testFailed = connection?.lastTestOk === false;
  const keysWork = !testFailed && (connection?.lastTestOk === true || connection?.workflowStatus === "registered");
  return [
    {
      id: "checkout",
      done: keysWork,
      detail: !connection ? "missing" : keysWork ? "works" : testFailed ? "failing" : "untested",
      url: "/app/settings",
    },
    {
      id: "webhooks",
      done: Boolean(lastEvent),
      detail: lastEvent ? "arriving" : connection?.workflowStatus === "registered" ? "registered" : "unregistered",
      url: "/app/settings",
    },
    {
      id: "rules",
      done: Boolean(rules?.reviewedAt),
      detail: rules?.reviewedAt ? "saved" : "todo",
      url: "/app/rules",
    },
    {
      id: "zendesk",
      done: zendesk > 0,
      detail: zendesk > 0 ? "connected" : "todo",
      url: "/app/zendesk",
    },
    {
      id: "order_block",
      done: Boolean(settings?.orderBlockSeenAt),
      detail: settings?.orderBlockSeenAt ? "seen" : "todo",
      url: null,
    },
    {
      id: "flow",
      done: flow.length > 0,
      detail: flow.length > 0 ? "on" : "todo",
      count: flow.length,
      url: "/app/flow",
    },
  ];
}

/** The order page block loaded its data for this shop: the merchant has added it. */
export async function noteOrderBlockSeen(shopId: string, now = new Date()) {
  await db().shopSettings.upsert({ where: { shopId }, create: { shopId, orderBlockSeenAt: now }, update: { orderBlockSeenAt: now } });
}
