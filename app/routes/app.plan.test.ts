// The Plan page as the embedded admin calls it: everyone sees the plan and this month's holds; only
// admins change it. Choosing a paid plan sends the merchant to Shopify's confirmation page (the
// library's way out of the iframe: a 401 App Bridge follows for a fetch, the exit-iframe page for a
// document) for a test charge; back with charge_id the page shows the new plan; going back to Free
// cancels the subscription. Each request is audited.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { resetBillingEnv, setBillingEnv, subscribe } from "../../test/helpers/billing";
import { TEST_API_KEY, TEST_APP_URL } from "../../test/helpers/env";
import { installShop, startShopifyStandIn, type ShopifyStandIn } from "../../test/helpers/holds";
import { seedStaff, sessionToken } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import { decideSubscription, subscriptionsOf } from "../../test/standins/shopify/billing";
import { legacyId } from "../../test/standins/shopify/store";
import * as planRoute from "./app.plan";

const ADMIN = 74_000_201;
const VIEWER = 74_000_202;
let world: ReturnType<typeof startShopifyStandIn>;
let shopify: ShopifyStandIn;
let shop: Awaited<ReturnType<typeof installShop>>;

beforeAll(() => {
  world = startShopifyStandIn();
  shopify = world.standIn;
  setBillingEnv({ BILLING_DEVELOPMENT_SHOPS: "" });
});
afterAll(() => {
  world.close();
  resetBillingEnv();
});
beforeEach(async () => {
  shop = await installShop(shopify);
  for (const [userId, role] of [
    [ADMIN, "owner"],
    [VIEWER, "viewer"],
  ] as const) {
    await seedStaff(shop.domain, { userId, role });
    // The staff member's online token is one Shopify issued: billing calls go out with it.
    await db().session.update({ where: { id: `${shop.domain}_${userId}` }, data: { accessToken: shopify.issueAccessToken(shop.domain, { userId }).token } });
  }
});

const store = () => shop.domain.replace(".myshopify.com", "");
const headers = (userId: number) => ({ Authorization: `Bearer ${sessionToken(shop.domain, { userId })}` });
const page = (userId: number, query = "") => callAction(planRoute.loader, new Request(`${TEST_APP_URL}/app/plan${query}`, { headers: headers(userId) }));
const change = (userId: number, form: Record<string, string>) =>
  callAction(planRoute.action, new Request(`${TEST_APP_URL}/app/plan`, { method: "POST", headers: headers(userId), body: new URLSearchParams(form) }));
const audits = (action: string) => db().auditLog.findMany({ where: { shopId: shop.shop.id, action }, orderBy: { createdAt: "asc" } });

describe("Plan page", () => {
  it("shows every staff member the plan and this month's holds against its limit", async () => {
    const response = await page(VIEWER);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ plan: "free", test: false, holds: { used: 0, limit: 50 }, role: "viewer", testCharges: true });
  });

  it("lets only admins change the plan", async () => {
    const response = await change(VIEWER, { intent: "choose", plan: "growth" });
    expect(response.status).toBe(403);
    expect(subscriptionsOf(shopify.store, shop.domain)).toEqual([]);
  });

  it("refuses a request that is not a plan in the staff member's language", async () => {
    await seedStaff(shop.domain, { userId: 74_000_203, role: "owner", locale: "de" });
    const response = await change(74_000_203, { intent: "choose", plan: "development" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ ok: false, message: "Wählen Sie den Tarif Growth oder Plus." });
  });

  it("refuses what is not a plan change", async () => {
    for (const form of [{ intent: "choose", plan: "development" }, { intent: "choose", plan: "free" }, { intent: "upgrade" }] as Array<
      Record<string, string>
    >) {
      const response = await change(ADMIN, form);
      expect(response.status).toBe(400);
    }
    expect(subscriptionsOf(shopify.store, shop.domain)).toEqual([]);
  });
});

describe("choosing a paid plan", () => {
  it("asks Shopify for a test subscription and sends the merchant to its confirmation page, then shows the plan once approved", async () => {
    const response = await change(ADMIN, { intent: "choose", plan: "growth" });
    // A fetch from the embedded app: App Bridge opens this header's URL at the top.
    expect(response.status).toBe(401);
    const [subscription] = subscriptionsOf(shopify.store, shop.domain);
    expect(subscription).toMatchObject({
      shop: shop.domain,
      name: "Growth",
      status: "PENDING",
      test: true,
      returnUrl: `https://admin.shopify.com/store/${store()}/apps/${TEST_API_KEY}/app/plan`,
    });
    expect(response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url")).toBe(
      `https://admin.shopify.com/store/${store()}/charges/${shopify.app.handle}/${legacyId(subscription.id)}/RecurringApplicationCharge/confirm_recurring_application_charge`,
    );
    expect(await audits("plan.request")).toMatchObject([{ actor: expect.stringContaining("Sam"), result: "ok" }]);

    const { redirectTo } = decideSubscription(shopify.store, subscription.id, "approve");
    const back = await page(ADMIN, new URL(redirectTo).search);
    expect(await back.json()).toMatchObject({ plan: "growth", test: true, holds: { limit: null } });
    expect(await audits("plan.change")).toMatchObject([{ details: expect.stringContaining('"to":"growth"') }]);
  });

  it("breaks out of the admin's iframe for a document request", async () => {
    const query = new URLSearchParams({
      embedded: "1",
      shop: shop.domain,
      host: Buffer.from(`admin.shopify.com/store/${store()}`).toString("base64"),
      id_token: sessionToken(shop.domain, { userId: ADMIN }),
    });
    const request = new Request(`${TEST_APP_URL}/app/plan?${query}`, { method: "POST", body: new URLSearchParams({ intent: "choose", plan: "plus" }) });
    const response = await callAction(planRoute.action, request);
    expect(response.status).toBe(302);
    const exit = new URL(response.headers.get("Location")!, TEST_APP_URL);
    expect(exit.pathname).toBe("/auth/exit-iframe");
    expect(exit.searchParams.get("exitIframe")).toMatch(/^https:\/\/admin\.shopify\.com\/store\/.+\/confirm_recurring_application_charge$/);
  });

  it("declined, the shop stays on its plan", async () => {
    await change(ADMIN, { intent: "choose", plan: "plus" });
    const [subscription] = subscriptionsOf(shopify.store, shop.domain);
    const { redirectTo } = decideSubscription(shopify.store, subscription.id, "decline");
    expect(await (await page(ADMIN, new URL(redirectTo).search)).json()).toMatchObject({ plan: "free" });
  });

  it("refuses the plan the shop is on, and any change on the development plan", async () => {
    await subscribe(shopify, shop.domain, "Growth");
    const same = await change(ADMIN, { intent: "choose", plan: "growth" });
    expect(same.status).toBe(409);
    expect(await same.json()).toEqual({ ok: false, message: "This shop is on the Growth plan already." });
    // The same reply to a German admin, in German (the audit keeps the English).
    const german = 74_000_204;
    await seedStaff(shop.domain, { userId: german, role: "owner", locale: "de" });
    await db().session.update({
      where: { id: `${shop.domain}_${german}` },
      data: { accessToken: shopify.issueAccessToken(shop.domain, { userId: german }).token },
    });
    expect(await (await change(german, { intent: "choose", plan: "growth" })).json()).toEqual({
      ok: false,
      message: "Dieser Shop hat bereits den Tarif Growth.",
    });
    expect((await audits("plan.request")).at(-1)).toMatchObject({ result: "error", error: "This shop is on the Growth plan already." });

    setBillingEnv({ BILLING_DEVELOPMENT_SHOPS: shop.domain });
    try {
      const development = await change(ADMIN, { intent: "choose", plan: "plus" });
      expect(development.status).toBe(422);
    } finally {
      setBillingEnv({ BILLING_DEVELOPMENT_SHOPS: "" });
    }
    expect((await audits("plan.request")).map((a) => a.result)).toEqual(["error", "error", "error"]);
  });
});

describe("going back to Free", () => {
  it("cancels the subscription with a prorated credit and shows Free", async () => {
    const subscription = await subscribe(shopify, shop.domain, "Plus", { price: 99 });
    const response = await change(ADMIN, { intent: "cancel" });
    expect(response.status).toBe(200);
    expect((await response.json()).message).toContain("The Plus subscription is canceled");
    expect(shopify.store.appSubscriptions.get(subscription.id)).toMatchObject({ status: "CANCELLED", prorated: true });
    expect(await (await page(ADMIN)).json()).toMatchObject({ plan: "free" });
    expect(await audits("plan.cancel")).toMatchObject([{ result: "ok" }]);

    const again = await change(ADMIN, { intent: "cancel" });
    expect(again.status).toBe(409);
  });
});
