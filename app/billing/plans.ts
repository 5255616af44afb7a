// The app's plans (README: Plans, docs/decisions/0017): what each costs and includes. Paid plans are
// Shopify app subscriptions named after the plan (shopify.server.ts's `billing`). Browser-safe: the
// Plan page shows this.

export type PlanId = "free" | "growth" | "plus" | "development";

/** What a plan can include. Every plan has webhooks, timeline and holds; the others are gated (billing.server.ts's planRefusal and requireFeature). */
export type Feature = "webhooks" | "timeline" | "holds" | "disputes" | "zendesk" | "reconciliation" | "agentTools";

export interface Plan {
  id: PlanId;
  /** The Shopify subscription's name for a paid plan, and the English one; the admin shows `plan:names.<id>`. */
  name: string;
  /** US dollars every 30 days. */
  price: number;
  /** Orders held a calendar month (UTC); null: no limit. */
  monthlyHolds: number | null;
  features: readonly Feature[];
}

/** Orders the Free plan holds each calendar month (UTC). */
export const FREE_MONTHLY_HOLDS = 50;

export const PLAN_CURRENCY = "USD";

const FREE_FEATURES: readonly Feature[] = ["webhooks", "timeline", "holds"];
const GROWTH_FEATURES: readonly Feature[] = [...FREE_FEATURES, "disputes", "zendesk"];
/** Every feature, in the order the Plan page lists them. */
export const ALL_FEATURES: readonly Feature[] = [...GROWTH_FEATURES, "reconciliation", "agentTools"];

export const PLANS: Record<PlanId, Plan> = {
  free: { id: "free", name: "Free", price: 0, monthlyHolds: FREE_MONTHLY_HOLDS, features: FREE_FEATURES },
  growth: { id: "growth", name: "Growth", price: 29, monthlyHolds: null, features: GROWTH_FEATURES },
  plus: { id: "plus", name: "Plus", price: 99, monthlyHolds: null, features: ALL_FEATURES },
  // Given, never chosen: the demo shop and shops the operator lists (BILLING_DEVELOPMENT_SHOPS).
  development: { id: "development", name: "Development", price: 0, monthlyHolds: null, features: ALL_FEATURES },
};

/** The plans a merchant chooses from, cheapest first. */
export const OFFERED_PLANS: readonly Plan[] = [PLANS.free, PLANS.growth, PLANS.plus];

/** The plans that are Shopify subscriptions. */
export const PAID_PLANS: readonly Plan[] = OFFERED_PLANS.filter((plan) => plan.price > 0);

/** In English, for messages the server makes (planRefusal); the Plan page shows `plan:features.<feature>`. */
export const FEATURE_LABELS: Record<Feature, string> = {
  webhooks: "Verified Checkout.com webhooks",
  timeline: "Payment timeline on every order",
  holds: "Risk holds on fulfillment",
  disputes: "Disputes and evidence",
  zendesk: "Zendesk payment sidebar",
  reconciliation: "Payout reconciliation",
  agentTools: "Agent tools",
};

export const planAllows = (plan: Plan, feature: Feature) => plan.features.includes(feature);

/** The cheapest offered plan with the feature (what an upgrade message names). */
export const cheapestPlanWith = (feature: Feature): Plan => OFFERED_PLANS.find((plan) => planAllows(plan, feature)) ?? PLANS.plus;

/** The paid plan a Shopify subscription's name stands for; null for a name that is not one (renamed, another app's). */
export const paidPlanNamed = (name: string): Plan | null => PAID_PLANS.find((plan) => plan.name === name) ?? null;
