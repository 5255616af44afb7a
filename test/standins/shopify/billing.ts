// Shopify's Billing API for the calling app: appSubscriptionCreate (a PENDING subscription and the
// confirmation URL where the merchant approves or declines it), currentAppInstallation's
// activeSubscriptions, oneTimePurchases and allSubscriptions, and appSubscriptionCancel. Approving
// (the local admin's charge page, admin/charge-pages.ts) makes the subscription ACTIVE for its period
// and cancels the app's other active one on the shop, as STANDARD and APPLY_IMMEDIATELY do for
// 30-day plans. Not implemented (refused loudly): usage pricing, discounts, APPLY_ON_NEXT_BILLING_CYCLE,
// one-time purchases (appPurchaseOneTimeCreate), a subscription expiring when never answered.
import { GraphQLError } from "graphql";
import { connection } from "./connection";
import { pass, requireGid, type Args, type RequestContext, type Resolvers } from "./context";
import { formatDecimal, toMinor } from "./money";
import { isoTime, legacyId, type AppRecord, type AppSubscriptionRecord, type PricingInterval, type ShopifyStore } from "./store";

const DAY_MS = 86_400_000;
const PERIOD_DAYS: Record<PricingInterval, number> = { EVERY_30_DAYS: 30, ANNUAL: 365 };

const notImplemented = (what: string) =>
  new GraphQLError(`${what} is not implemented by the Shopify stand-in`, { extensions: { code: "NOT_IMPLEMENTED_BY_STAND_IN" } });

interface UserError {
  field: string[] | null;
  message: string;
}

const userError = (field: string[] | null, message: string): UserError => ({ field, message });

const storeHandle = (shop: string) => shop.replace(/\.myshopify\.com$/, "");

/**
 * Where Shopify sends the merchant to approve a subscription: a page of the admin. The local admin
 * serves it (admin/charge-pages.ts); the App Bridge stand-in opens admin.shopify.com URLs there.
 */
function confirmationUrl(subscription: AppSubscriptionRecord, app: AppRecord): string {
  return `https://admin.shopify.com/store/${storeHandle(subscription.shop)}/charges/${app.handle}/${legacyId(subscription.id)}/RecurringApplicationCharge/confirm_recurring_application_charge`;
}

/** The app's subscriptions on the shop, oldest first. */
export function subscriptionsOf(store: ShopifyStore, shop: string, appId?: string): AppSubscriptionRecord[] {
  return [...store.appSubscriptions.values()].filter((s) => s.shop === shop.toLowerCase() && (!appId || s.appId === appId));
}

function recurringLineItem(store: ShopifyStore, input: Args, index: number): AppSubscriptionRecord["lineItems"][number] | UserError {
  if (input.plan.appUsagePricingDetails) throw notImplemented("Usage pricing (appUsagePricingDetails)");
  const details = input.plan.appRecurringPricingDetails;
  if (!details) return userError(["lineItems", String(index), "plan"], "A line item needs a pricing plan.");
  if (details.discount) throw notImplemented("Subscription discounts");
  const currency: string = details.price.currencyCode;
  const minor = toMinor(details.price.amount, currency);
  if (minor < 0) return userError(["lineItems", String(index), "plan", "appRecurringPricingDetails", "price"], "Price must be greater than or equal to 0.");
  return {
    id: store.newId("AppSubscriptionLineItem"),
    plan: {
      pricingDetails: {
        __typename: "AppRecurringPricing",
        interval: details.interval ?? "EVERY_30_DAYS",
        price: { amount: formatDecimal(minor, currency), currencyCode: currency },
        discount: null,
        planHandle: null,
      },
    },
  };
}

function appSubscriptionCreate(_s: unknown, args: Args, ctx: RequestContext) {
  const none = { appSubscription: null, confirmationUrl: null };
  if ((args.replacementBehavior ?? "STANDARD") === "APPLY_ON_NEXT_BILLING_CYCLE") throw notImplemented("replacementBehavior APPLY_ON_NEXT_BILLING_CYCLE");
  const errors: UserError[] = [];
  if (!String(args.name ?? "").trim()) errors.push(userError(["name"], "Name can't be blank."));
  if (!/^https?:\/\/[^/\s]+/.test(args.returnUrl ?? "")) errors.push(userError(["returnUrl"], "Return URL must be an absolute http(s) URL."));
  const items = (args.lineItems as Args[]).map((item, i) => recurringLineItem(ctx.store, item, i));
  if (items.length === 0) errors.push(userError(["lineItems"], "At least one line item is required."));
  if (items.length > 1) errors.push(userError(["lineItems"], "Only one pricing plan can be defined for each available type."));
  errors.push(...items.filter((item): item is UserError => "message" in item));
  if (errors.length) return { ...none, userErrors: errors };
  const subscription: AppSubscriptionRecord = {
    id: ctx.store.newId("AppSubscription"),
    shop: ctx.shop.myshopifyDomain,
    appId: ctx.app.id,
    name: args.name,
    test: args.test ?? false,
    status: "PENDING",
    trialDays: args.trialDays ?? 0,
    createdAt: ctx.store.now(),
    currentPeriodEnd: null,
    returnUrl: args.returnUrl,
    lineItems: items as AppSubscriptionRecord["lineItems"],
    prorated: null,
  };
  ctx.store.appSubscriptions.set(subscription.id, subscription);
  return { appSubscription: subscription, confirmationUrl: confirmationUrl(subscription, ctx.app), userErrors: [] };
}

function appSubscriptionCancel(_s: unknown, args: Args, ctx: RequestContext) {
  const subscription = ctx.store.appSubscriptions.get(requireGid(args.id));
  if (!subscription || subscription.shop !== ctx.shop.myshopifyDomain || subscription.appId !== ctx.app.id) {
    return { appSubscription: null, userErrors: [userError(["id"], "The app subscription wasn't found.")] };
  }
  if (subscription.status !== "ACTIVE" && subscription.status !== "FROZEN") {
    return { appSubscription: null, userErrors: [userError(["id"], `The app subscription is ${subscription.status.toLowerCase()} and can't be cancelled.`)] };
  }
  Object.assign(subscription, { status: "CANCELLED", currentPeriodEnd: null, prorated: args.prorate ?? false });
  return { appSubscription: subscription, userErrors: [] };
}

export const BILLING_MUTATIONS: Resolvers<unknown> = { appSubscriptionCreate, appSubscriptionCancel };

/** The merchant's answer on the confirmation page: approve (ACTIVE for a period) or decline. Returns where Shopify sends them next. */
export function decideSubscription(
  store: ShopifyStore,
  id: string,
  decision: "approve" | "decline",
): { subscription: AppSubscriptionRecord; redirectTo: string } {
  const subscription = store.appSubscriptions.get(id);
  if (!subscription) throw new Error(`No app subscription ${id}`);
  if (subscription.status !== "PENDING")
    throw new Error(`This charge was already ${subscription.status === "ACTIVE" ? "approved" : subscription.status.toLowerCase()}`);
  if (decision === "decline") subscription.status = "DECLINED";
  else {
    // The app's current subscription on the shop is replaced at once (STANDARD for 30-day plans).
    for (const other of subscriptionsOf(store, subscription.shop, subscription.appId)) {
      if (other.status === "ACTIVE") Object.assign(other, { status: "CANCELLED", currentPeriodEnd: null });
    }
    const days = subscription.trialDays + PERIOD_DAYS[subscription.lineItems[0].plan.pricingDetails.interval];
    Object.assign(subscription, { status: "ACTIVE", currentPeriodEnd: isoTime(store.clock() + days * DAY_MS) });
  }
  const back = new URL(subscription.returnUrl);
  back.searchParams.set("charge_id", legacyId(subscription.id));
  return { subscription, redirectTo: back.toString() };
}

/** The app's installation on the shop: what `currentAppInstallation` answers. */
interface InstallationRecord {
  shop: string;
  app: AppRecord;
}

export const currentAppInstallation = (_s: unknown, _a: Args, ctx: RequestContext): InstallationRecord => ({ shop: ctx.shop.myshopifyDomain, app: ctx.app });

export const BILLING_RESOLVERS: Record<string, Resolvers<never>> = {
  AppInstallation: {
    app: (i: InstallationRecord) => i.app,
    activeSubscriptions: (i: InstallationRecord, _a, ctx) => subscriptionsOf(ctx.store, i.shop, i.app.id).filter((s) => s.status === "ACTIVE"),
    allSubscriptions: (i: InstallationRecord, args, ctx) => {
      const all = subscriptionsOf(ctx.store, i.shop, i.app.id);
      return connection(args.reverse ? all.reverse() : all, args);
    },
    // The stand-in sells no one-time purchases: always an empty page.
    oneTimePurchases: (_i: InstallationRecord, args) => connection<{ id: string }>([], args),
  } as Resolvers<never>,
  AppSubscription: pass<AppSubscriptionRecord>(
    "id",
    "name",
    "test",
    "status",
    "trialDays",
    "createdAt",
    "currentPeriodEnd",
    "returnUrl",
    "lineItems",
  ) as Resolvers<never>,
};
