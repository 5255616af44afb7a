// A shop's plan and what it allows (README: Plans, docs/decisions/0017-plans-with-shopify-billing.md).
// Paid plans are Shopify app subscriptions (shopify.server.ts's `billing`); the plan Shopify last
// reported is kept on ShopPlan and asked again once it is PLAN_TTL_MS old, so pages and jobs do not
// call Shopify each time. Shops the operator lists (BILLING_DEVELOPMENT_SHOPS) are on the development
// plan without asking. Over the Free plan's monthly holds, risky payments are recorded as "would
// hold" instead of held (holds.server.ts): nothing the shop has stops working.
import type { ShopPlan } from "@prisma/client";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { PlanRequiredError } from "../lib/errors";
import { log } from "../log.server";
import { shopifyBilling, unauthenticated } from "../shopify.server";
import { cheapestPlanWith, FEATURE_LABELS, PAID_PLANS, paidPlanNamed, planAllows, PLANS, type Feature, type Plan } from "./plans";

/** How long Shopify's answer stands: a plan chosen or canceled in the Plan page is written at once. */
const PLAN_TTL_MS = 10 * 60_000;

export interface ShopPlanState {
  plan: Plan;
  /** Shopify's AppSubscription id of a paid plan. */
  subscriptionId: string | null;
  test: boolean;
  currentPeriodEnd: Date | null;
  /** When Shopify was last asked; null: never (the development plan, or Shopify could not be asked). */
  checkedAt: Date | null;
}

const FREE: Omit<ShopPlanState, "checkedAt"> = { plan: PLANS.free, subscriptionId: null, test: false, currentPeriodEnd: null };

function isDevelopmentShop(domain: string) {
  const listed = env().BILLING_DEVELOPMENT_SHOPS;
  return listed.includes("*") || listed.includes(domain.toLowerCase());
}

const stateOf = (row: ShopPlan): ShopPlanState => ({
  plan: PLANS[row.plan as keyof typeof PLANS] ?? PLANS.free,
  subscriptionId: row.subscriptionId,
  test: row.test,
  currentPeriodEnd: row.currentPeriodEnd,
  checkedAt: row.checkedAt,
});

/** The paid plan among the shop's active subscriptions (the dearest if Shopify lists several), or Free. */
async function askShopify(domain: string): Promise<Omit<ShopPlanState, "checkedAt">> {
  const { session } = await unauthenticated.admin(domain);
  const { appSubscriptions } = await shopifyBilling().check({
    session,
    plans: PAID_PLANS.map((plan) => plan.name),
    isTest: env().BILLING_TEST,
    returnObject: true,
  });
  const paid = appSubscriptions
    .filter((s) => s.status === "ACTIVE")
    .flatMap((s) => {
      const plan = paidPlanNamed(s.name);
      return plan ? [{ plan, subscription: s }] : [];
    })
    .sort((a, b) => b.plan.price - a.plan.price)[0];
  if (!paid) return FREE;
  const { subscription } = paid;
  return {
    plan: paid.plan,
    subscriptionId: subscription.id,
    test: subscription.test,
    currentPeriodEnd: subscription.currentPeriodEnd ? new Date(subscription.currentPeriodEnd) : null,
  };
}

/** Keeps Shopify's answer; a different plan than before (chosen, canceled, frozen at Shopify) is audited. */
async function remember(shopId: string, kept: ShopPlan | null, state: Omit<ShopPlanState, "checkedAt">, now: Date): Promise<ShopPlanState> {
  const data = {
    plan: state.plan.id,
    subscriptionId: state.subscriptionId,
    test: state.test,
    currentPeriodEnd: state.currentPeriodEnd,
    checkedAt: now,
  };
  const row = await db().shopPlan.upsert({ where: { shopId }, update: data, create: { shopId, ...data } });
  const before = kept?.plan ?? PLANS.free.id;
  if (before !== state.plan.id) {
    await audit({
      shopId,
      actor: "Shopify billing",
      source: "system",
      action: "plan.change",
      details: { from: before, to: state.plan.id, subscriptionId: state.subscriptionId, test: state.test },
      result: "ok",
    });
  }
  return stateOf(row);
}

/**
 * The shop's plan. `refresh` asks Shopify even when the kept answer is fresh (the Plan page). When
 * Shopify cannot be asked, the last answer stands (Free if there is none) and is asked again next time.
 */
export async function currentPlan(shopId: string, options: { refresh?: boolean; now?: Date } = {}): Promise<ShopPlanState> {
  const now = options.now ?? new Date();
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true, plan: true } });
  if (isDevelopmentShop(shop.domain)) return { ...FREE, plan: PLANS.development, checkedAt: null };
  const kept = shop.plan;
  if (kept && !options.refresh && now.getTime() - kept.checkedAt.getTime() < PLAN_TTL_MS) return stateOf(kept);
  try {
    return await remember(shopId, kept, await askShopify(shop.domain), now);
  } catch (error) {
    log.warn("billing.check_failed", { shop: shop.domain, error });
    return kept ? stateOf(kept) : { ...FREE, checkedAt: null };
  }
}

/** After a plan change in the Plan page: what Shopify says now, kept. */
export const refreshPlan = (shopId: string) => currentPlan(shopId, { refresh: true });

/** The first instant of `now`'s calendar month, UTC: the Free plan's holds count from there. */
export const monthStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

/** Orders held (decided to hold, not only monitored) since the start of this calendar month (UTC). */
const holdsThisMonth = (shopId: string, now: Date) => db().hold.count({ where: { shopId, monitorOnly: false, decidedAt: { gte: monthStart(now) } } });

export interface HoldUsage {
  plan: Plan;
  used: number;
  /** null: the plan holds without limit. */
  limit: number | null;
}

/** The shop's holds this month against its plan's limit (counted only when there is one). */
export async function holdUsage(shopId: string, now = new Date()): Promise<HoldUsage> {
  const { plan } = await currentPlan(shopId, { now });
  if (plan.monthlyHolds === null) return { plan, used: 0, limit: null };
  return { plan, used: await holdsThisMonth(shopId, now), limit: plan.monthlyHolds };
}

/**
 * What the Plan page shows: the plan (asked of Shopify again when `refresh`, e.g. back from its
 * confirmation page) and the orders held this month against the plan's limit.
 */
export async function planOverview(shopId: string, options: { refresh?: boolean; now?: Date } = {}) {
  const now = options.now ?? new Date();
  const state = await currentPlan(shopId, { refresh: options.refresh, now });
  return {
    plan: state.plan.id,
    test: state.test,
    currentPeriodEnd: state.currentPeriodEnd?.toISOString() ?? null,
    holds: { used: await holdsThisMonth(shopId, now), limit: state.plan.monthlyHolds, since: monthStart(now).toISOString() },
  };
}

/** Over its plan's monthly holds, a shop's next risky payment is recorded as "would hold" instead. */
export const holdLimitReached = (usage: HoldUsage): usage is HoldUsage & { limit: number } => usage.limit !== null && usage.used >= usage.limit;

/**
 * Why the shop's plan does not include the feature (its message English, its text translated by
 * errors.server.ts's `domainErrorMessage`); null when it does.
 */
export async function planRefusal(shopId: string, feature: Feature): Promise<PlanRequiredError | null> {
  const { plan } = await currentPlan(shopId);
  if (planAllows(plan, feature)) return null;
  const needed = cheapestPlanWith(feature).name;
  return new PlanRequiredError(
    `${FEATURE_LABELS[feature]} needs the ${needed} plan (this shop is on ${plan.name}). A store admin can change the plan on the Plan page.`,
    { key: `planRequired.${feature}`, values: { plan: needed, current: plan.name } },
  );
}

/** Refuses (PlanRequiredError, 402) what the shop's plan does not include. */
export async function requireFeature(shopId: string, feature: Feature): Promise<void> {
  const refusal = await planRefusal(shopId, feature);
  if (refusal) throw refusal;
}
