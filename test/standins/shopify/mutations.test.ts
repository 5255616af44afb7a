// Mutations follow Shopify's rules: holds and releases touch only what they name, bad input gets
// userErrors, and other shops' records are out of reach.
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../../helpers/env";
import { createShopifyStandIn, type ShopifyStandIn } from "./index";
import type { OrderRecord } from "./store";

const SHOP = "north-loop.myshopify.com";

let standIn: ShopifyStandIn;
let order: OrderRecord;
let foId: string;
beforeEach(() => {
  standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, flowTriggerHandles: ["payment-flagged"] });
  standIn.store.createShop({ domain: SHOP });
  order = standIn.store.createOrder({ shop: SHOP });
  foId = order.fulfillmentOrders[0].id;
});

async function gql(query: string, variables?: Record<string, unknown>) {
  const body = (await standIn.graphql(SHOP, { query, variables })).body as { data?: any; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const HOLD = `mutation($id: ID!, $hold: FulfillmentOrderHoldInput!) {
  fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) {
    fulfillmentHold { id handle reason reasonNotes heldByRequestingApp heldByApp { apiKey } }
    fulfillmentOrder { id status supportedActions { action } }
    remainingFulfillmentOrder { id status }
    userErrors { field message code }
  }
}`;
const RELEASE = `mutation($id: ID!, $holdIds: [ID!]) {
  fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) {
    fulfillmentOrder { id status fulfillmentHolds { id handle } }
    userErrors { field message code }
  }
}`;
const hold = async (handle: string, id = foId, extra: Record<string, unknown> = {}) =>
  (await gql(HOLD, { id, hold: { reason: "HIGH_RISK_OF_FRAUD", reasonNotes: "Risk score 91", handle, ...extra } })).fulfillmentOrderHold;
const release = async (holdIds?: string[], id = foId) => (await gql(RELEASE, { id, holdIds })).fulfillmentOrderReleaseHold;

describe("fulfillment holds", () => {
  it("holds a fulfillment order as the requesting app", async () => {
    const result = await hold("cko-risk");
    expect(result.userErrors).toEqual([]);
    expect(result.fulfillmentHold).toMatchObject({
      handle: "cko-risk",
      reason: "HIGH_RISK_OF_FRAUD",
      reasonNotes: "Risk score 91",
      heldByRequestingApp: true,
      heldByApp: { apiKey: TEST_API_KEY },
    });
    expect(result.fulfillmentOrder.status).toBe("ON_HOLD");
    expect(result.fulfillmentOrder.supportedActions.map((a: { action: string }) => a.action)).toContain("RELEASE_HOLD");
    const read = await gql("query($id: ID!) { order(id: $id) { displayFulfillmentStatus } }", { id: order.id });
    expect(read.order.displayFulfillmentStatus).toBe("ON_HOLD");
  });

  it("releases only the holds it names and reopens when none remain", async () => {
    const first = (await hold("cko-risk")).fulfillmentHold.id;
    const second = (await hold("cko-review")).fulfillmentHold.id;
    const afterFirst = await release([first]);
    expect(afterFirst.userErrors).toEqual([]);
    expect(afterFirst.fulfillmentOrder).toMatchObject({ status: "ON_HOLD", fulfillmentHolds: [{ id: second, handle: "cko-review" }] });
    const afterSecond = await release([second]);
    expect(afterSecond.fulfillmentOrder).toMatchObject({ status: "OPEN", fulfillmentHolds: [] });
  });

  it("releases every hold, including other apps' and staff's, when holdIds is omitted", async () => {
    await hold("cko-risk");
    const other = standIn.store.registerApp({ apiKey: "other-app" });
    standIn.store.addHold(foId, { handle: "", reason: "OTHER", reasonNotes: null, appId: other.id, externalId: null, notifyMerchant: false });
    const result = await release(undefined);
    expect(result.fulfillmentOrder).toMatchObject({ status: "OPEN", fulfillmentHolds: [] });
  });

  it("refuses a hold id that is not on the fulfillment order and releases nothing", async () => {
    const own = (await hold("cko-risk")).fulfillmentHold.id;
    const elsewhere = standIn.store.createOrder({ shop: SHOP });
    const foreign = standIn.store.addHold(elsewhere.fulfillmentOrders[0].id, {
      handle: "x",
      reason: "OTHER",
      reasonNotes: null,
      appId: standIn.app.id,
      externalId: null,
      notifyMerchant: false,
    });
    const result = await release([own, foreign.id]);
    expect(result.fulfillmentOrder).toBeNull();
    expect(result.userErrors).toEqual([{ field: ["holdIds"], message: expect.stringContaining(foreign.id), code: null }]);
    expect(standIn.store.fulfillmentOrder(foId)!.fulfillmentOrder.holds.map((h) => h.id)).toEqual([own]);
  });

  it("tells apart another app's hold from its own", async () => {
    const other = standIn.store.registerApp({ apiKey: "other-app", title: "Other" });
    standIn.store.addHold(foId, { handle: "", reason: "AWAITING_PAYMENT", reasonNotes: null, appId: other.id, externalId: null, notifyMerchant: false });
    await hold("cko-risk");
    const read = await gql("query($id: ID!) { fulfillmentOrder(id: $id) { fulfillmentHolds { handle heldByRequestingApp heldByApp { title } } } }", {
      id: foId,
    });
    expect(read.fulfillmentOrder.fulfillmentHolds).toEqual([
      { handle: "", heldByRequestingApp: false, heldByApp: { title: "Other" } },
      { handle: "cko-risk", heldByRequestingApp: true, heldByApp: { title: "Checkout.com companion" } },
    ]);
  });

  it("answers userErrors for a duplicate handle, a closed or unknown fulfillment order, and the hold limit", async () => {
    await hold("cko-risk");
    expect((await hold("cko-risk")).userErrors).toEqual([
      { field: ["fulfillmentHold", "handle"], message: expect.any(String), code: "DUPLICATE_FULFILLMENT_HOLD_HANDLE" },
    ]);
    expect((await hold("x", "gid://shopify/FulfillmentOrder/1")).userErrors[0].code).toBe("FULFILLMENT_ORDER_NOT_FOUND");
    for (let i = 1; i < 10; i++) expect((await hold(`h${i}`)).userErrors).toEqual([]);
    expect((await hold("h10")).userErrors[0].code).toBe("FULFILLMENT_ORDER_HOLD_LIMIT_REACHED");

    const shipped = standIn.store.createOrder({ shop: SHOP, fulfillment: { trackingNumber: "1Z999" } });
    const closed = await hold("cko-risk", shipped.fulfillmentOrders[0].id);
    expect(closed).toMatchObject({ fulfillmentHold: null, userErrors: [{ field: ["id"], message: expect.stringContaining("closed") }] });
    expect((await release(undefined, shipped.fulfillmentOrders[0].id)).userErrors[0].message).toBe("The fulfillment order is not on hold.");
  });

  it("holds some line items and moves the rest to a new open fulfillment order", async () => {
    const multi = standIn.store.createOrder({
      shop: SHOP,
      lineItems: [
        { title: "Tent", price: 300, quantity: 1 },
        { title: "Stove", price: 80, quantity: 2 },
      ],
    });
    const fo = multi.fulfillmentOrders[0];
    const result = await hold("part", fo.id, { fulfillmentOrderLineItems: [{ id: fo.lineItems[0].id, quantity: 1 }] });
    expect(result.userErrors).toEqual([]);
    expect(result.remainingFulfillmentOrder.status).toBe("OPEN");
    expect(standIn.store.order(multi.id)!.fulfillmentOrders.map((f) => [f.status, f.lineItems.map((l) => l.remainingQuantity)])).toEqual([
      ["ON_HOLD", [1]],
      ["OPEN", [2]],
    ]);
    const tooMany = await hold("more", result.remainingFulfillmentOrder.id, { fulfillmentOrderLineItems: [{ id: fo.lineItems[0].id, quantity: 5 }] });
    expect(tooMany.userErrors[0].code).toBe("INVALID_LINE_ITEM_QUANTITY");
  });
});

describe("other mutations", () => {
  it("adds a risk assessment from the app and refuses unknown orders", async () => {
    const create = `mutation($input: OrderRiskAssessmentCreateInput!) { orderRiskAssessmentCreate(orderRiskAssessmentInput: $input) { orderRiskAssessment { riskLevel provider { apiKey } facts { description sentiment } } userErrors { field code } } }`;
    const facts = [{ description: "Checkout.com risk score 91", sentiment: "NEGATIVE" }];
    const ok = (await gql(create, { input: { orderId: order.id, riskLevel: "HIGH", facts } })).orderRiskAssessmentCreate;
    expect(ok).toEqual({ orderRiskAssessment: { riskLevel: "HIGH", provider: { apiKey: TEST_API_KEY }, facts }, userErrors: [] });
    const read = await gql("query($id: ID!) { order(id: $id) { risk { recommendation assessments { riskLevel } } } }", { id: order.id });
    expect(read.order.risk).toEqual({ recommendation: "CANCEL", assessments: [{ riskLevel: "LOW" }, { riskLevel: "HIGH" }] });
    const missing = (await gql(create, { input: { orderId: "gid://shopify/Order/42", riskLevel: "HIGH", facts } })).orderRiskAssessmentCreate;
    expect(missing.userErrors).toEqual([{ field: ["orderRiskAssessmentInput", "orderId"], code: "NOT_FOUND" }]);
  });

  it("adds and removes tags, splitting commas and ignoring case duplicates", async () => {
    const add = "mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { ... on Order { tags } } userErrors { field message } } }";
    const remove = "mutation($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { node { ... on Order { tags } } userErrors { field message } } }";
    expect((await gql(add, { id: order.id, tags: ["cko:held, risk:high", "CKO:HELD"] })).tagsAdd).toEqual({
      node: { tags: ["cko:held", "risk:high"] },
      userErrors: [],
    });
    expect((await gql(remove, { id: order.id, tags: ["Risk:High"] })).tagsRemove.node.tags).toEqual(["cko:held"]);
    expect((await gql(add, { id: "gid://shopify/Order/7", tags: ["x"] })).tagsAdd).toEqual({
      node: null,
      userErrors: [{ field: ["id"], message: "Order does not exist." }],
    });
  });

  it("cancels an order with a refund and refuses to cancel it twice", async () => {
    // A gateway other than Checkout.com refunds at once (Checkout.com's goes through its payments app: payments-app.test.ts).
    order = standIn.store.createOrder({ shop: SHOP, payment: { gateway: "bogus", formattedGateway: "Bogus" } });
    const cancel = `mutation($id: ID!) { orderCancel(orderId: $id, refundMethod: { originalPaymentMethodsRefund: true }, restock: true, reason: FRAUD, notifyCustomer: true, staffNote: "Chargeback risk") { job { id done } orderCancelUserErrors { field message code } } }`;
    const result = (await gql(cancel, { id: order.id })).orderCancel;
    expect(result.orderCancelUserErrors).toEqual([]);
    expect(result.job).toMatchObject({ id: expect.stringMatching(/^gid:\/\/shopify\/Job\//), done: false });
    const read = await gql(
      "query($id: ID!) { order(id: $id) { cancelledAt cancelReason displayFinancialStatus cancellation { staffNote } fulfillmentOrders(first: 5) { nodes { status } } transactions { kind amountSet { shopMoney { amount } } } } }",
      { id: order.id },
    );
    expect(read.order).toMatchObject({
      cancelReason: "FRAUD",
      displayFinancialStatus: "REFUNDED",
      cancellation: { staffNote: "Chargeback risk" },
      fulfillmentOrders: { nodes: [{ status: "CLOSED" }] },
    });
    expect(read.order.transactions.map((t: { kind: string }) => t.kind)).toEqual(["SALE", "REFUND"]);
    expect(standIn.store.order(order.id)!.cancellation).toMatchObject({ refund: true, restock: true, notifyCustomer: true });
    expect((await gql(cancel, { id: order.id })).orderCancel.orderCancelUserErrors).toEqual([
      { field: ["orderId"], message: "Order has already been canceled.", code: "INVALID" },
    ]);
  });

  it("updates an order's note", async () => {
    const result = (
      await gql('mutation($id: ID!) { orderUpdate(input: { id: $id, note: "Held by Checkout.com risk rules" }) { order { note } userErrors { message } } }', {
        id: order.id,
      })
    ).orderUpdate;
    expect(result).toEqual({ order: { note: "Held by Checkout.com risk rules" }, userErrors: [] });
  });

  it("records Flow triggers for known handles and refuses unknown ones", async () => {
    const trigger = "mutation($handle: String, $payload: JSON) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }";
    expect((await gql(trigger, { handle: "payment-flagged", payload: { "Order ID": order.id } })).flowTriggerReceive.userErrors).toEqual([]);
    expect((await gql(trigger, { handle: "nope", payload: {} })).flowTriggerReceive.userErrors[0].field).toEqual(["handle"]);
    expect(standIn.store.flowTriggers).toEqual([
      { shop: SHOP, appApiKey: TEST_API_KEY, handle: "payment-flagged", payload: { "Order ID": order.id }, receivedAt: expect.any(String) },
    ]);
  });
});
