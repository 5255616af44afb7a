// The local admin's charge confirmation page: appSubscriptionCreate's confirmation URL, opened in the
// local admin, shows the plan, its price and the test flag; "Approve" activates the subscription and
// "Decline" leaves it inactive, and both send the merchant back to the returnUrl with charge_id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../../../helpers/env";
import { startControlServer } from "../control";
import { createShopifyStandIn } from "../index";
import { legacyId } from "../store";
import { startLocalAdmin, type LocalAdmin } from "./local-admin";

const SHOP = "north-loop.myshopify.com";
const RETURN_URL = "https://admin.shopify.com/store/north-loop/apps/test-api-key/app/plan";
const standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET });
let control: Awaited<ReturnType<typeof startControlServer>>;
let admin: LocalAdmin;

const CREATE = `mutation($name: String!, $returnUrl: URL!, $test: Boolean, $lineItems: [AppSubscriptionLineItemInput!]!) {
  appSubscriptionCreate(name: $name, returnUrl: $returnUrl, test: $test, lineItems: $lineItems) { appSubscription { id } confirmationUrl userErrors { message } }
}`;

async function subscribe(name: string, test: boolean) {
  const { body } = await standIn.graphql(SHOP, {
    query: CREATE,
    variables: { name, returnUrl: RETURN_URL, test, lineItems: [{ plan: { appRecurringPricingDetails: { price: { amount: 99, currencyCode: "USD" } } } }] },
  });
  const payload = (body as { data: { appSubscriptionCreate: { appSubscription: { id: string }; confirmationUrl: string } } }).data.appSubscriptionCreate;
  // App Bridge opens Shopify's admin pages in the local admin.
  return { id: payload.appSubscription.id, page: payload.confirmationUrl.replace("https://admin.shopify.com", admin.adminUrl) };
}

const answer = (page: string, decision: string) =>
  fetch(page, {
    method: "POST",
    body: new URLSearchParams({ decision }),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });

beforeAll(async () => {
  standIn.store.createShop({ domain: SHOP });
  control = await startControlServer(standIn);
  admin = await startLocalAdmin({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUpstream: "http://127.0.0.1:9", shopifyControl: control.url });
});

afterAll(async () => {
  await admin.close();
  await control.close();
});

describe("charge confirmation page", () => {
  it("shows the plan, its price and that it is a test charge", async () => {
    const { page } = await subscribe("Plus", true);
    const response = await fetch(page);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<dd data-plan>Plus</dd>");
    expect(html).toContain("USD 99.00 every 30 days");
    expect(html).toContain('data-test-charge="true"');
    expect(html).toMatch(/<button type="submit" name="decision" value="approve">Approve<\/button>/);
  });

  it("Approve activates the subscription and goes back to the returnUrl in the local admin", async () => {
    const { id, page } = await subscribe("Plus", false);
    const response = await answer(page, "approve");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${admin.adminUrl}/store/north-loop/apps/test-api-key/app/plan?charge_id=${legacyId(id)}`);
    expect(standIn.store.appSubscriptions.get(id)).toMatchObject({ status: "ACTIVE", test: false });
    // Answered: no buttons any more, and a second answer is refused.
    expect(await (await fetch(page)).text()).toContain("already answered");
    expect((await answer(page, "decline")).status).toBe(422);
  });

  it("Decline leaves it inactive", async () => {
    const { id, page } = await subscribe("Growth", true);
    expect((await answer(page, "decline")).status).toBe(303);
    expect(standIn.store.appSubscriptions.get(id)!.status).toBe("DECLINED");
  });

  it("refuses another shop's charge and an answer that is neither", async () => {
    const { id, page } = await subscribe("Growth", true);
    expect((await fetch(page.replace("/store/north-loop/", "/store/south-loop/"))).status).toBe(404);
    expect((await answer(page, "maybe")).status).toBe(400);
    expect(standIn.store.appSubscriptions.get(id)!.status).toBe("PENDING");
  });
});
