// The Shopify app: OAuth/session-token auth, the Admin API client, webhook verification and billing
// (the app's plans, app/billing), from @shopify/shopify-app-remix. Configuration comes from env.server.ts.
import "@shopify/shopify-app-remix/adapters/node";
import { BillingInterval, LogSeverity, shopifyApi, type BillingConfig } from "@shopify/shopify-api";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { PAID_PLANS, PLAN_CURRENCY } from "./billing/plans";
import { db } from "./db.server";
import { env } from "./env.server";
import { log } from "./log.server";
import { refreshShopInfo } from "./shops/shop-info.server";
import { markReinstalled, queueFirstOrderBackfill } from "./shops/install.server";
import { scheduleDataRetention } from "./shops/retention.server";
import { schedulePayoutImport, scheduleReconciliationSweep } from "./reconciliation/queue.server";
import { ensureShop } from "./shops/shop.server";
import { queueInsightsRebuild } from "./insights/rebuild-queue.server";

const apiVersion = ApiVersion.July26;

/** The paid plans as Shopify app subscriptions, named after the plan (app/billing/plans.ts). */
const billing: BillingConfig = Object.fromEntries(
  PAID_PLANS.map((plan) => [plan.name, { lineItems: [{ amount: plan.price, currencyCode: PLAN_CURRENCY, interval: BillingInterval.Every30Days }] }]),
);

function createShopifyApp() {
  const config = env();
  return shopifyApp({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecretKey: config.SHOPIFY_API_SECRET,
    apiVersion,
    scopes: config.SCOPES?.split(",").map((s) => s.trim()),
    appUrl: config.SHOPIFY_APP_URL,
    authPathPrefix: "/auth",
    sessionStorage: new PrismaSessionStorage(db()),
    distribution: AppDistribution.AppStore,
    billing,
    // An online token per staff member says who they are and whether they own the shop (the staff
    // guard's roles, app/shopify/staff.server.ts); background work uses the shop's offline token.
    useOnlineTokens: true,
    future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
    hooks: {
      afterAuth: async ({ session, admin }) => {
        const shop = await ensureShop(session.shop);
        // A reinstall: the shop's data was kept (no shop/redact yet), so it is active again.
        await markReinstalled(session.shop);
        await queueFirstOrderBackfill(shop.id);
        await scheduleDataRetention(shop.id);
        await scheduleReconciliationSweep(shop.id);
        await schedulePayoutImport(shop.id);
        // Name and currency are conveniences; a failure here must not block the install.
        const graphql = async (document: string) => (await admin.graphql(document)).json();
        await refreshShopInfo(session.shop, graphql).catch((error) => log.warn("shop.info_failed", { shop: session.shop, error }));
        await queueInsightsRebuild(shop.id);
      },
    },
    ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
  });
}

type ShopifyApp = ReturnType<typeof createShopifyApp>;
let app: ShopifyApp | undefined;

/** Created on first use so importing this module never needs configuration (tests, scripts). */
export function shopify(): ShopifyApp {
  app ??= createShopifyApp();
  return app;
}

let libraryApi: ReturnType<typeof createLibraryApi> | undefined;

function createLibraryApi() {
  const config = env();
  const appUrl = new URL(config.SHOPIFY_APP_URL);
  return shopifyApi({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecretKey: config.SHOPIFY_API_SECRET,
    apiVersion,
    hostName: appUrl.host,
    hostScheme: appUrl.protocol === "http:" ? "http" : "https",
    isEmbeddedApp: true,
    isCustomStoreApp: false,
    billing,
    logger: { level: LogSeverity.Warning },
  });
}

/**
 * Shopify's Billing API from the same library, with the app's plans, for checks outside a staff
 * request (a job deciding a hold); given a session (the shop's offline one). Staff requests use the
 * `billing` of authenticate.admin, which also breaks out of the admin's iframe to confirm a charge.
 */
export function shopifyBilling() {
  libraryApi ??= createLibraryApi();
  return libraryApi.billing;
}

export const authenticate = {
  admin: (request: Request) => shopify().authenticate.admin(request),
  webhook: (request: Request) => shopify().authenticate.webhook(request),
  public: {
    appProxy: (request: Request) => shopify().authenticate.public.appProxy(request),
  },
};
export const unauthenticated = {
  admin: (shop: string) => shopify().unauthenticated.admin(shop),
};
export const login = (request: Request) => shopify().login(request);
export const addDocumentResponseHeaders = (request: Request, headers: Headers) => shopify().addDocumentResponseHeaders(request, headers);
