// abandonedCheckouts as Shopify answers it: validated against the schema, searched with its own fields
// (an `email:` term is ignored with a warning, as Shopify does), sorted, and each shop's to itself.
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../../helpers/env";
import { createShopifyStandIn, type ShopifyStandIn } from "./index";

const SHOP = "north-loop.myshopify.com";
const OTHER = "other-shop.myshopify.com";

let standIn: ShopifyStandIn;
beforeEach(() => {
  standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET });
  standIn.store.createShop({ domain: SHOP, currencyCode: "EUR" });
  standIn.store.createShop({ domain: OTHER });
});

async function gql(query: string, variables?: Record<string, unknown>, shop = SHOP) {
  const response = await standIn.graphql(shop, { query, variables });
  return response.body as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }>; extensions?: any };
}

const CHECKOUTS = `query($query: String, $sortKey: AbandonedCheckoutSortKeys, $reverse: Boolean) {
  abandonedCheckouts(first: 10, query: $query, sortKey: $sortKey, reverse: $reverse) {
    nodes { id name abandonedCheckoutUrl createdAt completedAt customer { defaultEmailAddress { emailAddress } } }
  }
}`;

const names = (body: Awaited<ReturnType<typeof gql>>) => body.data.abandonedCheckouts.nodes.map((n: { name: string }) => n.name);

describe("abandonedCheckouts", () => {
  it("answers the shop's checkouts with the recovery URL, the customer and the money", async () => {
    const checkout = standIn.store.createAbandonedCheckout({
      shop: SHOP,
      email: "Ada@Example.com",
      currency: "USD",
      lineItems: [{ title: "Trail shoe", price: "120.00", quantity: 2, sku: "TRL-42" }],
      shippingPrice: "10.00",
      createdAt: "2026-03-01T10:00:00Z",
    });
    standIn.store.createAbandonedCheckout({ shop: OTHER, email: "ada@example.com" });

    const body = await gql(`{
      abandonedCheckouts(first: 5) {
        nodes {
          id name abandonedCheckoutUrl createdAt completedAt
          customer { defaultEmailAddress { emailAddress } }
          totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
          lineItems(first: 5) { nodes { title quantity sku originalUnitPriceSet { presentmentMoney { amount } } } }
        }
      }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.abandonedCheckouts.nodes).toEqual([
      {
        id: checkout.id,
        name: `#${checkout.id.split("/").pop()}`,
        abandonedCheckoutUrl: checkout.abandonedCheckoutUrl,
        createdAt: "2026-03-01T10:00:00Z",
        completedAt: null,
        customer: { defaultEmailAddress: { emailAddress: "ada@example.com" } },
        totalPriceSet: { shopMoney: { amount: "230.0", currencyCode: "EUR" }, presentmentMoney: { amount: "250.0", currencyCode: "USD" } },
        lineItems: { nodes: [{ title: "Trail shoe", quantity: 2, sku: "TRL-42", originalUnitPriceSet: { presentmentMoney: { amount: "120.0" } } }] },
      },
    ]);
    expect(checkout.abandonedCheckoutUrl).toMatch(/^https:\/\/north-loop\.myshopify\.com\/\d+\/checkouts\/ac\/[0-9a-f]{32}\/recover\?key=[0-9a-f]{32}$/);
    // The shop's customer with that email is the checkout's, as Shopify keeps one per email.
    expect(standIn.store.createAbandonedCheckout({ shop: SHOP, email: "ada@example.com" }).customerId).toBe(checkout.customerId);
  });

  it("searches by creation time, status and recovery, and free text on the customer's email; ignores email: with a warning", async () => {
    const at = (hour: number) => `2026-03-01T${String(hour).padStart(2, "0")}:00:00Z`;
    standIn.store.createAbandonedCheckout({ shop: SHOP, email: "ada@example.com", createdAt: at(8) });
    standIn.store.createAbandonedCheckout({ shop: SHOP, email: "bo@example.com", createdAt: at(10) });
    standIn.store.createAbandonedCheckout({ shop: SHOP, email: "ada@example.com", createdAt: at(12), completedAt: at(13) });
    const all = names(await gql(CHECKOUTS, { sortKey: "CREATED_AT" }));
    expect(all).toHaveLength(3);

    const newestFirst = await gql(CHECKOUTS, { sortKey: "CREATED_AT", reverse: true, query: `created_at:>='${at(9)}' created_at:<='${at(12)}'` });
    expect(names(newestFirst)).toEqual([all[2], all[1]]);
    expect(names(await gql(CHECKOUTS, { query: "status:open" }))).toEqual([all[0], all[1]]);
    expect(names(await gql(CHECKOUTS, { query: "recovery_state:recovered" }))).toEqual([all[2]]);
    expect(names(await gql(CHECKOUTS, { query: "ada@example.com" }))).toEqual([all[0], all[2]]);

    const byEmail = await gql(CHECKOUTS, { query: "email:ada@example.com" });
    expect(names(byEmail)).toEqual(all);
    expect(byEmail.extensions.search).toEqual([
      { path: ["abandonedCheckouts"], query: "email:ada@example.com", warnings: [{ field: "email", message: "Invalid search field for this query." }] },
    ]);
  });

  it("keeps each shop's checkouts to itself, also through node(id:)", async () => {
    const theirs = standIn.store.createAbandonedCheckout({ shop: OTHER, email: "ada@example.com" });
    expect((await gql(CHECKOUTS)).data.abandonedCheckouts.nodes).toEqual([]);
    const node = `query($id: ID!) { node(id: $id) { id } }`;
    expect((await gql(node, { id: theirs.id })).data.node).toBeNull();
    expect((await gql(node, { id: theirs.id }, OTHER)).data.node).toEqual({ id: theirs.id });
  });

  it("refuses fields the schema does not have, and says which valid ones it does not implement", async () => {
    expect((await gql("{ abandonedCheckouts(first: 1) { nodes { email } } }")).errors?.[0].message).toBe(
      "Field 'email' doesn't exist on type 'AbandonedCheckout'",
    );
    standIn.store.createAbandonedCheckout({ shop: SHOP, email: "ada@example.com" });
    expect((await gql("{ abandonedCheckouts(first: 1) { nodes { defaultCursor } } }")).errors?.[0].message).toMatch(
      /AbandonedCheckout\.defaultCursor is not implemented by the Shopify stand-in/,
    );
  });
});
