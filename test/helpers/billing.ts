// Plans in tests: a shop's paid subscription approved in the Shopify stand-in, env for shops that are
// not on the development plan (test/helpers/env.ts puts every shop on it), and holds decided this month.
import { db } from "../../app/db.server";
import { resetEnvForTests } from "../../app/env.server";
import { decideSubscription } from "../standins/shopify/billing";
import type { ShopifyStandIn } from "./holds";
import { createPayment } from "./holds";
import { testEnv } from "./env";

const CREATE = `mutation($name: String!, $returnUrl: URL!, $test: Boolean, $lineItems: [AppSubscriptionLineItemInput!]!) {
  appSubscriptionCreate(name: $name, returnUrl: $returnUrl, test: $test, lineItems: $lineItems) { appSubscription { id } userErrors { message } }
}`;

/** The shop's merchant approved a subscription to the plan (named as the app names it: "Growth", "Plus"). */
export async function subscribe(standIn: ShopifyStandIn, shop: string, name: string, options: { price?: number; test?: boolean } = {}) {
  const { body } = await standIn.graphql(shop, {
    query: CREATE,
    variables: {
      name,
      test: options.test ?? true,
      returnUrl: "https://admin.shopify.com/store/x/apps/test-api-key/app/plan",
      lineItems: [{ plan: { appRecurringPricingDetails: { price: { amount: options.price ?? 29, currencyCode: "USD" } } } }],
    },
  });
  const id = (body as { data: { appSubscriptionCreate: { appSubscription: { id: string } } } }).data.appSubscriptionCreate.appSubscription.id;
  return decideSubscription(standIn.store, id, "approve").subscription;
}

/** Billing settings for this test file (BILLING_DEVELOPMENT_SHOPS "" puts shops on their Shopify plan); undo with resetBillingEnv. */
export function setBillingEnv(values: { BILLING_DEVELOPMENT_SHOPS?: string; BILLING_TEST?: string }) {
  Object.assign(process.env, values);
  resetEnvForTests();
}

export function resetBillingEnv() {
  process.env.BILLING_DEVELOPMENT_SHOPS = testEnv.BILLING_DEVELOPMENT_SHOPS;
  delete process.env.BILLING_TEST;
  resetEnvForTests();
}

/** `count` orders held (not monitored) by the shop, decided at `decidedAt`. */
export async function decidedHolds(shopId: string, count: number, decidedAt: Date, options: { monitorOnly?: boolean } = {}) {
  for (let i = 0; i < count; i++) {
    const payment = await createPayment(shopId);
    await db().hold.create({
      data: {
        shopId,
        paymentId: payment.id,
        orderGid: `gid://shopify/Order/${9_000_000 + i}`,
        status: options.monitorOnly ? "monitored" : "held",
        monitorOnly: options.monitorOnly ?? false,
        externalId: `cko-companion-hold-${payment.id}`,
        decidedAt,
      },
    });
  }
}
