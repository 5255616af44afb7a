// The Billing API as the app's library (@shopify/shopify-api, configured with the app's plans) calls
// it: a subscription is PENDING with a confirmation URL until the merchant answers; approving makes it
// the shop's one active subscription, declining leaves none; the test flag is recorded; cancelling
// ends it; bad input gets userErrors; other shops' subscriptions are out of reach.
import { BillingError } from "@shopify/shopify-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shopifyBilling } from "../../../app/shopify.server";
import { startShopifyStandIn, type ShopifyStandIn } from "../../helpers/holds";
import { decideSubscription } from "./billing";
import { offlineSession } from "./index";
import { legacyId } from "./store";

const SHOP = "north-loop.myshopify.com";
const OTHER = "south-loop.myshopify.com";
const RETURN_URL = "https://admin.shopify.com/store/north-loop/apps/test-api-key/app/plan";
const PLANS = ["Growth", "Plus"];

let world: ReturnType<typeof startShopifyStandIn>;
let standIn: ShopifyStandIn;
const session = (shop = SHOP) => offlineSession(standIn.issueAccessToken(shop));

beforeEach(() => {
  world = startShopifyStandIn();
  standIn = world.standIn;
  standIn.store.createShop({ domain: SHOP });
  standIn.store.createShop({ domain: OTHER });
});
afterEach(() => world.close());

const request = (plan: string, isTest = true, shop = SHOP) =>
  shopifyBilling().request({ session: session(shop), plan, isTest, returnUrl: RETURN_URL, returnObject: true });
const check = (isTest = true, shop = SHOP) => shopifyBilling().check({ session: session(shop), plans: PLANS, isTest, returnObject: true });
const idOf = (subscription: { id: string } | undefined) => subscription!.id;

describe("appSubscriptionCreate", () => {
  it("creates a pending test subscription and answers the confirmation URL the local admin serves", async () => {
    const { confirmationUrl, appSubscription } = await request("Growth");
    expect(appSubscription).toMatchObject({ name: "Growth", status: "PENDING", test: true, trialDays: 0, currentPeriodEnd: null, returnUrl: RETURN_URL });
    expect(appSubscription!.lineItems[0].plan.pricingDetails).toMatchObject({ price: { amount: "29.0", currencyCode: "USD" }, interval: "EVERY_30_DAYS" });
    expect(confirmationUrl).toBe(
      `https://admin.shopify.com/store/north-loop/charges/${standIn.app.handle}/${legacyId(idOf(appSubscription))}/RecurringApplicationCharge/confirm_recurring_application_charge`,
    );
    expect((await check()).hasActivePayment).toBe(false);
  });

  it("records a real charge as one (test: false) and a test check leaves out nothing, a live check leaves out test charges", async () => {
    const live = await request("Growth", false);
    decideSubscription(standIn.store, idOf(live.appSubscription), "approve");
    expect(standIn.store.appSubscriptions.get(idOf(live.appSubscription))!.test).toBe(false);
    expect((await check(false)).appSubscriptions.map((s) => s.name)).toEqual(["Growth"]);

    const test = await request("Plus", true);
    decideSubscription(standIn.store, idOf(test.appSubscription), "approve");
    expect((await check(true)).appSubscriptions.map((s) => [s.name, s.test])).toEqual([["Plus", true]]);
    expect((await check(false)).hasActivePayment).toBe(false);
  });

  it("refuses bad input with userErrors and what it does not implement loudly", async () => {
    const CREATE = `mutation($name: String!, $returnUrl: URL!, $lineItems: [AppSubscriptionLineItemInput!]!) {
      appSubscriptionCreate(name: $name, returnUrl: $returnUrl, lineItems: $lineItems) { appSubscription { id } confirmationUrl userErrors { field message } }
    }`;
    const recurring = (amount: number) => ({ plan: { appRecurringPricingDetails: { price: { amount, currencyCode: "USD" } } } });
    const bad = await standIn.graphql(SHOP, { query: CREATE, variables: { name: " ", returnUrl: "/app/plan", lineItems: [recurring(29), recurring(-1)] } });
    const payload = (bad.body as { data: { appSubscriptionCreate: { appSubscription: null; userErrors: Array<{ field: string[]; message: string }> } } }).data
      .appSubscriptionCreate;
    expect(payload.appSubscription).toBeNull();
    expect(payload.userErrors.map((e) => e.field.join("."))).toEqual(["name", "returnUrl", "lineItems", "lineItems.1.plan.appRecurringPricingDetails.price"]);
    expect(standIn.store.appSubscriptions.size).toBe(0);

    const usage = await standIn.graphql(SHOP, {
      query: CREATE,
      variables: {
        name: "Usage",
        returnUrl: RETURN_URL,
        lineItems: [{ plan: { appUsagePricingDetails: { terms: "per hold", cappedAmount: { amount: 10, currencyCode: "USD" } } } }],
      },
    });
    expect(JSON.stringify(usage.body)).toContain("NOT_IMPLEMENTED_BY_STAND_IN");
  });
});

describe("the merchant's answer", () => {
  it("approving activates it for 30 days and sends the merchant back with charge_id", async () => {
    const { appSubscription } = await request("Growth");
    const { subscription, redirectTo } = decideSubscription(standIn.store, idOf(appSubscription), "approve");
    expect(subscription.status).toBe("ACTIVE");
    expect(Date.parse(subscription.currentPeriodEnd!) - standIn.store.clock()).toBeGreaterThan(29 * 86_400_000);
    expect(redirectTo).toBe(`${RETURN_URL}?charge_id=${legacyId(subscription.id)}`);
    const { appSubscriptions } = await check();
    expect(appSubscriptions).toHaveLength(1);
    expect(appSubscriptions[0]).toMatchObject({ id: subscription.id, name: "Growth", status: "ACTIVE", test: true });
    expect(() => decideSubscription(standIn.store, subscription.id, "decline")).toThrow("already approved");
  });

  it("a newly approved plan replaces the active one: one active subscription at a time", async () => {
    const growth = await request("Growth");
    decideSubscription(standIn.store, idOf(growth.appSubscription), "approve");
    const plus = await request("Plus");
    expect((await check()).appSubscriptions.map((s) => s.name)).toEqual(["Growth"]);
    decideSubscription(standIn.store, idOf(plus.appSubscription), "approve");
    expect((await check()).appSubscriptions.map((s) => s.name)).toEqual(["Plus"]);
    expect(standIn.store.appSubscriptions.get(idOf(growth.appSubscription))).toMatchObject({ status: "CANCELLED", currentPeriodEnd: null });
  });

  it("declining leaves it inactive", async () => {
    const { appSubscription } = await request("Plus");
    decideSubscription(standIn.store, idOf(appSubscription), "decline");
    expect(standIn.store.appSubscriptions.get(idOf(appSubscription))!.status).toBe("DECLINED");
    expect((await check()).hasActivePayment).toBe(false);
  });
});

describe("appSubscriptionCancel", () => {
  it("cancels the active subscription (prorated as asked) and refuses to cancel it twice", async () => {
    const { appSubscription } = await request("Growth");
    decideSubscription(standIn.store, idOf(appSubscription), "approve");
    const canceled = await shopifyBilling().cancel({ session: session(), subscriptionId: idOf(appSubscription), prorate: true });
    expect(canceled).toMatchObject({ status: "CANCELLED", currentPeriodEnd: null });
    expect(standIn.store.appSubscriptions.get(idOf(appSubscription))!.prorated).toBe(true);
    expect((await check()).hasActivePayment).toBe(false);
    await expect(shopifyBilling().cancel({ session: session(), subscriptionId: idOf(appSubscription) })).rejects.toBeInstanceOf(BillingError);
  });

  it("keeps shops apart: another shop sees none of them and cannot cancel them", async () => {
    const { appSubscription } = await request("Growth");
    decideSubscription(standIn.store, idOf(appSubscription), "approve");
    expect((await check(true, OTHER)).hasActivePayment).toBe(false);
    const refused = shopifyBilling().cancel({ session: session(OTHER), subscriptionId: idOf(appSubscription) });
    await expect(refused).rejects.toMatchObject({ errorData: [{ field: ["id"], message: "The app subscription wasn't found." }] });
    expect(standIn.store.appSubscriptions.get(idOf(appSubscription))!.status).toBe("ACTIVE");
  });
});
