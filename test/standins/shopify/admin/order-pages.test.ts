// The local admin's Orders pages show an order as the merchant sees it in Shopify, read over the
// stand-in's control API: statuses, items with refunded and restocked quantities, transactions with
// the Checkout.com action id, refunds, cancellation, note and timeline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../../../helpers/env";
import { startControlServer } from "../control";
import { createShopifyStandIn } from "../index";
import { legacyId, type OrderRecord } from "../store";
import { startLocalAdmin, type LocalAdmin } from "./local-admin";

const SHOP = "north-loop.myshopify.com";
const standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET });
let control: Awaited<ReturnType<typeof startControlServer>>;
let admin: LocalAdmin;
let refunded: OrderRecord;
let canceled: OrderRecord;
let offShopify: OrderRecord;

async function gql(query: string, variables: Record<string, unknown>) {
  const body = (await standIn.graphql(SHOP, { query, variables })).body as { data?: any; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

beforeAll(async () => {
  standIn.store.createShop({ domain: SHOP, currencyCode: "EUR", name: "North Loop" });
  refunded = standIn.store.createOrder({
    shop: SHOP,
    email: "ada@example.com",
    note: "Leave at the door <please>",
    lineItems: [{ title: "Notebook", price: "20.00", quantity: 2, sku: "NB-1" }],
    shippingPrice: "5.00",
    payment: {
      kind: "SALE",
      gateway: "checkout_com",
      formattedGateway: "Checkout.com",
      paymentId: "rShopifyPaymentId0001",
      receipt: { id: "pay_abcdefghijklmnopqrstuvwxyz" },
    },
    fulfillment: { trackingNumber: "JD014600001" },
  });
  // As the payments app leaves it once Checkout.com accepted the refund.
  const refund = await gql(
    `mutation($input: RefundInput!) { refundCreate(input: $input) @idempotent(key: "page-1") { refund { id transactions(first: 1) { nodes { id } } } userErrors { message } } }`,
    {
      input: {
        orderId: refunded.id,
        note: "One arrived torn",
        notify: true,
        refundLineItems: [{ lineItemId: refunded.lineItems[0].id, quantity: 1, restockType: "RETURN" }],
        transactions: [{ orderId: refunded.id, parentId: refunded.transactions[0].id, gateway: "checkout_com", kind: "REFUND", amount: "20.00" }],
      },
    },
  );
  standIn.store.updateTransaction(refund.refundCreate.refund.transactions.nodes[0].id, {
    status: "SUCCESS",
    receiptJson: JSON.stringify({ action_id: "act_refundactionid0000000000001", reference: "x", payment_id: "pay_abcdefghijklmnopqrstuvwxyz" }),
  });

  canceled = standIn.store.createOrder({
    shop: SHOP,
    email: "grace@example.com",
    payment: { kind: "AUTHORIZATION", gateway: "bogus", formattedGateway: "Bogus" },
  });
  await gql(
    `mutation($id: ID!) { orderCancel(orderId: $id, reason: FRAUD, restock: true, staffNote: "Chargeback risk", notifyCustomer: true) { orderCancelUserErrors { message } } }`,
    { id: canceled.id },
  );

  offShopify = standIn.store.createOrder({ shop: SHOP, payment: null, name: "#2001" });

  control = await startControlServer(standIn);
  admin = await startLocalAdmin({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUpstream: "http://127.0.0.1:9", appHandle: "cko-companion" });
  admin.setShopifyControl(control.url);
});

afterAll(async () => {
  await admin.close();
  await control.close();
});

const page = async (path: string) => {
  const response = await fetch(`${admin.adminUrl}${path}`);
  return { status: response.status, type: response.headers.get("content-type"), html: await response.text() };
};
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("orders list", () => {
  it("lists the shop's orders with their statuses, linking to each order", async () => {
    const { status, type, html } = await page("/store/north-loop/orders");
    expect(status).toBe(200);
    expect(type).toContain("text/html");
    for (const order of [refunded, canceled, offShopify]) expect(html).toContain(`href="/store/north-loop/orders/${legacyId(order.id)}"`);
    expect(html).toContain('data-status="PARTIALLY_REFUNDED"');
    expect(html).toContain('data-status="VOIDED"');
    expect(html).toContain('data-status="PENDING"');
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
  });
});

describe("order page", () => {
  it("shows a refunded order: status, items with refunded and restocked quantities, the Checkout.com action id, the refund and timeline", async () => {
    const { status, html } = await page(`/store/north-loop/orders/${legacyId(refunded.id)}`);
    expect(status).toBe(200);
    expect(html).toMatch(
      /<h1>#1001 <span id="financial-status"><span class="badge [a-z]+" data-status="PARTIALLY_REFUNDED">Partially refunded<\/span><\/span> <span id="fulfillment-status"><span class="badge [a-z]+" data-status="FULFILLED">/,
    );
    const line = /<tr data-line="[^"]+">([\s\S]*?)<\/tr>/.exec(html)![1];
    expect(line).toContain('data-col="refunded">1<');
    expect(line).toContain('data-col="restocked">1<');
    expect(line).toContain('data-col="current">1<');
    expect(html).toContain('<code data-col="action">act_refundactionid0000000000001</code>');
    expect(text(html)).toContain("Shopify payment id rShopifyPaymentId0001");
    expect(text(html)).toContain("1 × Notebook · return · restocked");
    expect(text(html)).toContain("Note: One arrived torn");
    expect(html).toContain("Leave at the door &#60;please&#62;");
    expect(text(html)).toContain("Refund email sent to ada@example.com");
    expect(text(html)).toContain("Fulfillment #1001-F1 (2 items), tracking JD014600001");
  });

  it("shows a canceled order with its reason, staff note, void and restock", async () => {
    const { html } = await page(`/store/north-loop/orders/${legacyId(canceled.id)}`);
    const t = text(html);
    expect(html).toContain('data-status="VOIDED"');
    expect(html).toContain('id="cancellation"');
    expect(t).toContain("Reason fraud");
    expect(t).toContain("Staff note Chargeback risk");
    expect(t).toContain("void of 94.0 EUR through Bogus: success");
    expect(t).toContain("1 × Merino wool sweater · cancel · restocked");
    expect(t).toContain("Cancellation email sent to grace@example.com");
  });

  it("says when an order was not paid through Shopify, and answers 404 for unknown orders", async () => {
    expect(text((await page(`/store/north-loop/orders/${legacyId(offShopify.id)}`)).html)).toContain(
      "No transactions: this order was not paid through Shopify's checkout.",
    );
    expect((await page("/store/north-loop/orders/42")).status).toBe(404);
  });

  it("links Orders from the app's admin page", async () => {
    const { html } = await page("/store/north-loop/apps/cko-companion");
    expect(html).toContain('<a id="orders-link" href="#">Orders</a>');
    expect(html).toContain('document.getElementById("orders-link").href = settings.appBase.replace(');
  });
});
