// The Admin API stand-in answers like Shopify: refuses invalid documents, reads the store through
// the real schema, searches and pages orders, and keeps each shop's data to itself.
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../../helpers/env";
import { createShopifyStandIn, type ShopifyStandIn } from "./index";

const SHOP = "north-loop.myshopify.com";
const OTHER = "other-shop.myshopify.com";

let standIn: ShopifyStandIn;
beforeEach(() => {
  standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET });
  standIn.store.createShop({ domain: SHOP, name: "North Loop", currencyCode: "EUR" });
  standIn.store.createShop({ domain: OTHER });
});

async function gql(query: string, variables?: Record<string, unknown>, shop = SHOP) {
  const response = await standIn.graphql(shop, { query, variables });
  return response.body as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }>; extensions?: any };
}

describe("refusals", () => {
  it("refuses an unknown field with Shopify's message and code, and runs nothing", async () => {
    const body = await gql("{ shop { name nmae } }");
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: "Field 'nmae' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 15 }],
        extensions: expect.objectContaining({ code: "undefinedField" }),
      }),
    ]);
  });

  it("refuses a literal of the wrong type", async () => {
    const body = await gql('{ orders(first: "ten") { nodes { id } } }');
    expect(body.errors?.[0]).toMatchObject({
      message: `Argument 'first' on Field 'orders' has an invalid value ("ten"). Expected type 'Int'.`,
      extensions: { code: "argumentLiteralsIncompatible" },
    });
  });

  it("refuses missing required arguments and unknown arguments", async () => {
    const body = await gql("{ order { id } orders(first: 1, since: 3) { nodes { id } } }");
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(["missingRequiredArguments", "argumentNotAccepted"]);
  });

  it("refuses variables that do not coerce", async () => {
    const body = await gql("query($id: ID!) { order(id: $id) { id } }", {});
    expect(body.errors?.[0]).toMatchObject({ message: "Variable $id of type ID! was provided invalid value", extensions: { code: "INVALID_VARIABLE" } });
  });

  it("refuses a malformed global id and a connection without first or last", async () => {
    expect((await gql('{ order(id: "1001") { id } }')).errors?.[0].message).toBe("Invalid global id '1001'");
    expect((await gql("{ orders { nodes { id } } }")).errors?.[0].message).toBe("you must provide one of first or last");
  });

  it("says so when a valid field is not implemented by the stand-in, instead of answering null", async () => {
    const body = await gql("{ shop { plan { publicDisplayName } } }");
    expect(body.errors?.[0].message).toMatch(/Shop\.plan is not implemented by the Shopify stand-in/);
  });
});

describe("reads", () => {
  it("answers an order with money in the shop's and the buyer's currency", async () => {
    const order = standIn.store.createOrder({
      shop: SHOP,
      currency: "USD",
      exchangeRate: 0.9,
      lineItems: [{ title: "Trail shoe", price: "120.00", quantity: 2, sku: "TRL-42", variantTitle: "42" }],
      shippingPrice: "10.00",
      billingAddress: { countryCodeV2: "DE", city: "Berlin", zip: "10115" },
      customer: { email: "mara@example.com", firstName: "Mara", lastName: "Weiss" },
    });
    const body = await gql(
      `query($id: ID!) { order(id: $id) {
        name email displayFinancialStatus clientIp
        totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        lineItems(first: 5) { nodes { title quantity sku variantTitle } }
        billingAddress { countryCodeV2 city zip }
        customer { email numberOfOrders }
        transactions { kind status gateway paymentId amountSet { presentmentMoney { amount } } }
      } }`,
      { id: order.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.order).toMatchObject({
      name: "#1001",
      email: "mara@example.com",
      displayFinancialStatus: "PAID",
      totalPriceSet: { shopMoney: { amount: "225.0", currencyCode: "EUR" }, presentmentMoney: { amount: "250.0", currencyCode: "USD" } },
      lineItems: { nodes: [{ title: "Trail shoe", quantity: 2, sku: "TRL-42", variantTitle: "42" }] },
      billingAddress: { countryCodeV2: "DE", city: "Berlin", zip: "10115" },
      customer: { email: "mara@example.com", numberOfOrders: "1" },
      transactions: [
        {
          kind: "SALE",
          status: "SUCCESS",
          gateway: "checkout_com",
          paymentId: order.transactions[0].paymentId,
          amountSet: { presentmentMoney: { amount: "250.0" } },
        },
      ],
    });
  });

  it("answers the shop and its policies", async () => {
    const body = await gql("{ shop { name currencyCode myshopifyDomain shopPolicies { type title url body } } }");
    expect(body.data.shop).toMatchObject({ name: "North Loop", currencyCode: "EUR", myshopifyDomain: SHOP });
    expect(body.data.shop.shopPolicies.map((p: { type: string }) => p.type)).toEqual([
      "REFUND_POLICY",
      "SHIPPING_POLICY",
      "PRIVACY_POLICY",
      "TERMS_OF_SERVICE",
    ]);
    expect(body.data.shop.shopPolicies[0].url).toBe(`https://${SHOP}/policies/refund-policy`);
  });

  it("never shows another shop's records", async () => {
    const foreign = standIn.store.createOrder({ shop: OTHER });
    const body = await gql(
      `query($id: ID!, $c: ID!) { order(id: $id) { id } customer(id: $c) { id } nodes(ids: [$id]) { id } orders(first: 10) { nodes { id } } }`,
      {
        id: foreign.id,
        c: foreign.customerId,
      },
    );
    expect(body.data).toEqual({ order: null, customer: null, nodes: [null], orders: { nodes: [] } });
  });

  it("resolves nodes of different types", async () => {
    const order = standIn.store.createOrder({ shop: SHOP });
    const fo = order.fulfillmentOrders[0];
    const body = await gql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Order { name } ... on FulfillmentOrder { status } } }`, {
      ids: [order.id, fo.id, "gid://shopify/Order/1"],
    });
    expect(body.data.nodes).toEqual([
      { __typename: "Order", id: order.id, name: "#1001" },
      { __typename: "FulfillmentOrder", id: fo.id, status: "OPEN" },
      null,
    ]);
  });
});

describe("orders search and paging", () => {
  beforeEach(() => {
    standIn.store.createOrder({ shop: SHOP, createdAt: "2026-03-01T10:00:00Z", email: "a@example.com", checkoutToken: "tok-a" });
    standIn.store.createOrder({
      shop: SHOP,
      createdAt: "2026-03-05T10:00:00Z",
      email: "b@example.com",
      payment: { kind: "AUTHORIZATION", paymentId: "pay_abc" },
    });
    standIn.store.createOrder({ shop: SHOP, createdAt: "2026-03-09T10:00:00Z", email: "c@example.com", tags: ["vip"] });
  });
  const names = async (query: string, extra = "") =>
    (await gql(`query($q: String) { orders(first: 10, query: $q${extra}) { nodes { name } } }`, { q: query })).data.orders.nodes.map(
      (n: { name: string }) => n.name,
    );

  it("filters by name, email, dates, tokens, payment id, status and tags", async () => {
    expect(await names("name:#1002")).toEqual(["#1002"]);
    expect(await names("name:1003")).toEqual(["#1003"]);
    expect(await names("email:a@example.com")).toEqual(["#1001"]);
    expect(await names("created_at:>=2026-03-05")).toEqual(["#1002", "#1003"]);
    expect(await names("created_at:>=2026-03-02 created_at:<2026-03-06")).toEqual(["#1002"]);
    expect(await names("checkout_token:tok-a")).toEqual(["#1001"]);
    expect(await names("payment_id:pay_abc")).toEqual(["#1002"]);
    expect(await names("financial_status:authorized")).toEqual(["#1002"]);
    expect(await names("tag:vip OR email:a@example.com")).toEqual(["#1001", "#1003"]);
    expect(await names("-tag:vip")).toEqual(["#1001", "#1002"]);
  });

  it("sorts and reverses", async () => {
    expect(await names("", ", sortKey: CREATED_AT, reverse: true")).toEqual(["#1003", "#1002", "#1001"]);
  });

  it("warns about unknown search fields and ignores them, like Shopify", async () => {
    const body = await gql('{ orders(first: 10, query: "colour:red email:b@example.com") { nodes { name } } }');
    expect(body.data.orders.nodes).toEqual([{ name: "#1002" }]);
    expect(body.extensions.search).toEqual([
      { path: ["orders"], query: "colour:red email:b@example.com", warnings: [{ field: "colour", message: "Invalid search field for this query." }] },
    ]);
  });

  it("pages with first/after and reports pageInfo", async () => {
    const page = async (after: string | null) =>
      (
        await gql(
          "query($after: String) { orders(first: 2, after: $after, sortKey: CREATED_AT) { edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage endCursor } } }",
          { after },
        )
      ).data.orders;
    const first = await page(null);
    expect(first.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(["#1001", "#1002"]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: first.edges[1].cursor });
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(["#1003"]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it("lists a customer's orders", async () => {
    const customer = standIn.store.createCustomer({ shop: SHOP, email: "loyal@example.com" });
    standIn.store.createOrder({ shop: SHOP, customer: customer.id });
    standIn.store.createOrder({ shop: SHOP, customer: customer.id });
    const body = await gql("query($id: ID!) { customer(id: $id) { email numberOfOrders orders(first: 5) { nodes { name } } } }", { id: customer.id });
    expect(body.data.customer).toEqual({ email: "loyal@example.com", numberOfOrders: "2", orders: { nodes: [{ name: "#1004" }, { name: "#1005" }] } });
  });
});
