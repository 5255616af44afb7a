// Shopify's Checkout.com payments app, end to end with the Checkout.com stand-in: a refund, capture,
// void or cancellation made through the Admin API becomes one Checkout.com request per Shopify
// transaction (with a stable idempotency key), the transaction settles from Checkout.com's answer,
// and Checkout.com's own webhook follows. The stand-in runs behind msw, as in the app's tests, so
// this also checks that msw lets the payments app's loopback calls through.
import type { SetupServerApi } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../../helpers/env";
import { createCheckoutStandIn, type CheckoutStandIn } from "../checkout/server";
import { nasAccount, NAS_SANDBOX_KEY, startReceiver } from "../checkout/testing";
import { createShopifyStandIn, type ShopifyStandIn } from "./index";
import type { OrderRecord } from "./store";

const SHOP = "north-loop.myshopify.com";
const OTHER_SHOP = "quiet-shop.myshopify.com";

let checkout: CheckoutStandIn;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let standIn: ShopifyStandIn;
let server: SetupServerApi;
let keys = 0;

beforeAll(async () => {
  receiver = await startReceiver();
  checkout = await createCheckoutStandIn({
    accounts: [nasAccount({ webhookUrl: receiver.url })],
    actionLatencyMs: 5,
    webhooks: { delayMs: 5, retryDelaysMs: [] },
  });
  standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, paymentsApp: { retryDelaysMs: [20, 40, 80] } });
  server = standIn.listen();
  standIn.store.createShop({ domain: SHOP, currencyCode: "EUR" });
  standIn.store.createShop({ domain: OTHER_SHOP, currencyCode: "EUR" });
  standIn.connectPaymentsApp(SHOP, { baseUrl: checkout.url, secretKey: NAS_SANDBOX_KEY });
});

afterAll(async () => {
  server.close();
  await checkout.stop();
  await receiver.close();
});

beforeEach(() => checkout.faults.clear());

/** A Checkout.com payment and the Shopify order paid with it, as the payments app records it. */
function paidOrder(options: { capture: boolean; shop?: string }) {
  const shopifyPaymentId = `r${Math.random().toString(36).slice(2, 12)}shopify${++keys}`;
  const payment = checkout.state.createPayment({ account: "shop_a", amount: 8500, currency: "EUR", reference: shopifyPaymentId, capture: options.capture });
  const order = standIn.store.createOrder({
    shop: options.shop ?? SHOP,
    email: "ada@example.com",
    lineItems: [{ title: "Notebook", price: "40.00", quantity: 2, sku: "NB-1" }],
    shippingPrice: "5.00",
    payment: {
      kind: options.capture ? "SALE" : "AUTHORIZATION",
      gateway: "checkout_com",
      formattedGateway: "Checkout.com",
      paymentId: shopifyPaymentId,
      authorizationCode: null,
      receipt: { id: payment.fixture.id, status: options.capture ? "Captured" : "Authorized", approved: true },
    },
  });
  return { order, payment, ckoId: payment.fixture.id, parent: order.transactions[0] };
}

async function gql(query: string, variables?: Record<string, unknown>, shop = SHOP) {
  const body = (await standIn.graphql(shop, { query, variables })).body as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  return body;
}

const TX = "id kind status gateway errorCode receiptJson amountSet { presentmentMoney { amount } } parentTransaction { id }";
const REFUND = `mutation($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund { id transactions(first: 5) { nodes { ${TX} } } }
    userErrors { field message }
  }
}`;
const CAPTURE = `mutation($input: OrderCaptureInput!) { orderCapture(input: $input) { transaction { ${TX} } userErrors { field message } } }`;
const VOID = `mutation($id: ID!) { transactionVoid(parentTransactionId: $id) { transaction { ${TX} } userErrors { field message code } } }`;
const CANCEL = `mutation($id: ID!, $refund: Boolean!) { orderCancel(orderId: $id, reason: FRAUD, restock: true, refundMethod: { originalPaymentMethodsRefund: $refund }, notifyCustomer: true) { job { id } orderCancelUserErrors { field message code } } }`;
const STATUS = `query($id: ID!) { order(id: $id) { displayFinancialStatus transactions { ${TX} } } }`;

const requestsTo = (ckoId: string, action: string) => checkout.requests.filter((r) => r.method === "POST" && r.path === `/payments/${ckoId}/${action}`);
const settled = async () => {
  await standIn.paymentsApp.idle();
  await checkout.webhooks.idle();
};
const status = async (order: OrderRecord) => (await gql(STATUS, { id: order.id })).data.order;
const receipt = (tx: { receiptJson: unknown }) => (typeof tx.receiptJson === "string" ? JSON.parse(tx.receiptJson) : tx.receiptJson);
const webhooksOf = (ckoId: string, type: string) => receiver.events().filter((e) => e.type === type && e.data.id === ckoId);

describe("refunds through the payments app", () => {
  it("sends one refund to Checkout.com per Shopify transaction, settles it from the answer, and Checkout.com's webhook follows", async () => {
    const { order, ckoId, parent } = paidOrder({ capture: true });
    const input = {
      orderId: order.id,
      note: "Damaged on arrival",
      notify: true,
      refundLineItems: [{ lineItemId: order.lineItems[0].id, quantity: 1, restockType: "CANCEL" }],
      transactions: [{ orderId: order.id, parentId: parent.id, gateway: "checkout_com", kind: "REFUND", amount: "40.00" }],
    };
    const created = (await gql(REFUND, { input, key: "refund-1" })).data.refundCreate;
    expect(created.userErrors).toEqual([]);
    const [pending] = created.refund.transactions.nodes;
    expect(pending).toMatchObject({
      kind: "REFUND",
      status: "PENDING",
      gateway: "checkout_com",
      receiptJson: null,
      amountSet: { presentmentMoney: { amount: "40.0" } },
      parentTransaction: { id: parent.id },
    });

    await settled();
    const calls = requestsTo(ckoId, "refunds");
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      status: 202,
      accountId: "shop_a",
      idempotencyKey: `shopify-refund-${pending.id.split("/").pop()}`,
      body: { amount: 4000, reference: pending.id },
    });
    const read = await status(order);
    expect(read.displayFinancialStatus).toBe("PARTIALLY_REFUNDED");
    const refund = read.transactions.find((t: { id: string }) => t.id === pending.id);
    expect(refund).toMatchObject({ status: "SUCCESS", errorCode: null });
    const actionId = checkout.state.payments.get(ckoId)!.actions.at(-1)!.id;
    expect(receipt(refund)).toEqual({ action_id: actionId, reference: pending.id, payment_id: ckoId });
    expect(checkout.state.payments.get(ckoId)!.refunded).toBe(4000);
    // Checkout.com reports the refund to the app by itself; its action id is the one Shopify recorded.
    expect(webhooksOf(ckoId, "payment_refunded").map((e) => e.data.action_id)).toEqual([actionId]);
    expect(standIn.paymentsApp.calls.filter((c) => c.orderId === order.id)).toEqual([
      expect.objectContaining({
        kind: "REFUND",
        state: "succeeded",
        ckoPaymentId: ckoId,
        path: `/payments/${ckoId}/refunds`,
        attempts: [expect.objectContaining({ status: 202 })],
      }),
    ]);
  });

  it("repeats of the same refundCreate key return the first refund and reach Checkout.com once", async () => {
    const { order, ckoId, parent } = paidOrder({ capture: true });
    const input = { orderId: order.id, transactions: [{ orderId: order.id, parentId: parent.id, gateway: "checkout_com", kind: "REFUND", amount: "10.00" }] };
    const first = (await gql(REFUND, { input, key: "same-key" })).data.refundCreate;
    const again = (await gql(REFUND, { input, key: "same-key" })).data.refundCreate;
    expect(again.refund.id).toBe(first.refund.id);
    await settled();
    const after = (await gql(REFUND, { input, key: "same-key" })).data.refundCreate;
    expect(after.refund.transactions.nodes.map((t: { status: string }) => t.status)).toEqual(["SUCCESS"]);
    await settled();
    expect(requestsTo(ckoId, "refunds")).toHaveLength(1);
    expect(standIn.store.order(order.id)!.refunds).toHaveLength(1);
    expect(checkout.state.payments.get(ckoId)!.refunded).toBe(1000);
  });

  it("fails the Shopify transaction when Checkout.com refuses, and leaves the money where it was", async () => {
    const { order, ckoId, parent } = paidOrder({ capture: true });
    // Refunded at Checkout.com directly: Shopify does not know, so it still offers the refund.
    checkout.state.refund("shop_a", ckoId, {});
    const input = { orderId: order.id, transactions: [{ orderId: order.id, parentId: parent.id, gateway: "checkout_com", kind: "REFUND", amount: "85.00" }] };
    const created = (await gql(REFUND, { input, key: "refused" })).data.refundCreate;
    await settled();
    const read = await status(order);
    const refund = read.transactions.find((t: { id: string }) => t.id === created.refund.transactions.nodes[0].id);
    expect(refund).toMatchObject({ status: "FAILURE", errorCode: "AMOUNT_TOO_LARGE" });
    expect(receipt(refund)).toMatchObject({ status: 422, error_type: "request_invalid", error_codes: ["refund_amount_exceeds_balance"], payment_id: ckoId });
    expect(read.displayFinancialStatus).toBe("PAID");
    expect(requestsTo(ckoId, "refunds")).toHaveLength(1);
    expect(webhooksOf(ckoId, "payment_refunded")).toEqual([]);
  });

  it("retries 5xx answers with the same idempotency key, and gives up after the last retry", async () => {
    const ok = paidOrder({ capture: true });
    checkout.faults.set({ status: 503, count: 2, paths: /\/refunds$/ });
    await gql(REFUND, {
      input: {
        orderId: ok.order.id,
        transactions: [{ orderId: ok.order.id, parentId: ok.parent.id, gateway: "checkout_com", kind: "REFUND", amount: "5.00" }],
      },
      key: "retry-ok",
    });
    await settled();
    const tries = requestsTo(ok.ckoId, "refunds");
    expect(tries.map((r) => r.status)).toEqual([503, 503, 202]);
    expect(new Set(tries.map((r) => r.idempotencyKey)).size).toBe(1);
    expect((await status(ok.order)).transactions.at(-1).status).toBe("SUCCESS");

    const down = paidOrder({ capture: true });
    checkout.faults.set({ status: 502, paths: /\/refunds$/ });
    await gql(REFUND, {
      input: {
        orderId: down.order.id,
        transactions: [{ orderId: down.order.id, parentId: down.parent.id, gateway: "checkout_com", kind: "REFUND", amount: "5.00" }],
      },
      key: "retry-down",
    });
    await settled();
    expect(requestsTo(down.ckoId, "refunds").map((r) => r.status)).toEqual([502, 502, 502, 502]);
    expect((await status(down.order)).transactions.at(-1)).toMatchObject({ status: "FAILURE", errorCode: "PAYMENT_PROVIDER_ERROR" });
  });

  it("refunds once when Checkout.com acted but the answer was lost", async () => {
    const { order, ckoId, parent } = paidOrder({ capture: true });
    checkout.faults.set({ status: 502, count: 1, when: "after", paths: /\/refunds$/ });
    await gql(REFUND, {
      input: { orderId: order.id, transactions: [{ orderId: order.id, parentId: parent.id, gateway: "checkout_com", kind: "REFUND", amount: "20.00" }] },
      key: "lost-answer",
    });
    await settled();
    expect(requestsTo(ckoId, "refunds").map((r) => r.status)).toEqual([502, 202]);
    expect(checkout.state.payments.get(ckoId)!.refunded).toBe(2000);
    expect(webhooksOf(ckoId, "payment_refunded")).toHaveLength(1);
    expect((await status(order)).transactions.at(-1).status).toBe("SUCCESS");
  });

  it("finds the Checkout.com payment in the parent's receipt, or else in a pay_ payment id", async () => {
    const inReceipt = checkout.state.createPayment({ account: "shop_a", amount: 8500, currency: "EUR", capture: true });
    // The default seeded payment id looks like a Checkout.com id too; the receipt wins.
    const a = standIn.store.createOrder({
      shop: SHOP,
      lineItems: [{ title: "Tent", price: "85.00" }],
      shippingPrice: 0,
      payment: { receipt: { id: inReceipt.fixture.id } },
    });
    const byPaymentId = checkout.state.createPayment({ account: "shop_a", amount: 8500, currency: "EUR", capture: true });
    const b = standIn.store.createOrder({
      shop: SHOP,
      lineItems: [{ title: "Tent", price: "85.00" }],
      shippingPrice: 0,
      payment: { paymentId: byPaymentId.fixture.id, receipt: { status: "Captured" } },
    });
    for (const [i, o] of [a, b].entries()) {
      await gql(REFUND, {
        input: { orderId: o.id, transactions: [{ orderId: o.id, parentId: o.transactions[0].id, gateway: "checkout_com", kind: "REFUND", amount: "1.00" }] },
        key: `where-${i}`,
      });
    }
    await settled();
    expect(requestsTo(inReceipt.fixture.id, "refunds").map((r) => r.status)).toEqual([202]);
    expect(requestsTo(byPaymentId.fixture.id, "refunds").map((r) => r.status)).toEqual([202]);
  });

  it("leaves the transaction PENDING, with a note, when the shop has no payments app connected", async () => {
    const { order, ckoId, parent } = paidOrder({ capture: true, shop: OTHER_SHOP });
    const created = (
      await gql(
        REFUND,
        {
          input: { orderId: order.id, transactions: [{ orderId: order.id, parentId: parent.id, gateway: "checkout_com", kind: "REFUND", amount: "5.00" }] },
          key: "nowhere",
        },
        OTHER_SHOP,
      )
    ).data.refundCreate;
    await settled();
    expect((await gql(STATUS, { id: order.id }, OTHER_SHOP)).data.order.transactions.at(-1).status).toBe("PENDING");
    expect(standIn.paymentsApp.calls.find((c) => c.transactionId === created.refund.transactions.nodes[0].id)).toMatchObject({
      state: "not_connected",
      note: expect.stringContaining("connectPaymentsApp"),
      attempts: [],
    });
    expect(requestsTo(ckoId, "refunds")).toEqual([]);
  });
});

describe("captures, voids and cancellations through the payments app", () => {
  it("captures an authorization at Checkout.com", async () => {
    const { order, ckoId, parent } = paidOrder({ capture: false });
    expect((await status(order)).displayFinancialStatus).toBe("AUTHORIZED");
    const result = (await gql(CAPTURE, { input: { id: order.id, parentTransactionId: parent.id, amount: "85.00" } })).data.orderCapture;
    expect(result).toMatchObject({ userErrors: [], transaction: { kind: "CAPTURE", status: "PENDING" } });
    await settled();
    expect(requestsTo(ckoId, "captures")).toEqual([
      expect.objectContaining({
        status: 202,
        idempotencyKey: `shopify-capture-${result.transaction.id.split("/").pop()}`,
        body: { amount: 8500, reference: result.transaction.id },
      }),
    ]);
    const read = await status(order);
    expect(read.displayFinancialStatus).toBe("PAID");
    expect(receipt(read.transactions.at(-1)).action_id).toBe(checkout.state.payments.get(ckoId)!.actions.at(-1)!.id);
    expect(webhooksOf(ckoId, "payment_captured")).toHaveLength(1);
  });

  it("voids an authorization at Checkout.com (no amount in the body)", async () => {
    const { order, ckoId, parent } = paidOrder({ capture: false });
    const result = (await gql(VOID, { id: parent.id })).data.transactionVoid;
    expect(result).toMatchObject({ userErrors: [], transaction: { kind: "VOID", status: "PENDING" } });
    await settled();
    expect(requestsTo(ckoId, "voids")).toEqual([expect.objectContaining({ status: 202, body: { reference: result.transaction.id } })]);
    expect((await status(order)).displayFinancialStatus).toBe("VOIDED");
    expect(webhooksOf(ckoId, "payment_voided")).toHaveLength(1);
  });

  it("cancels a paid order: the refund goes to Checkout.com, stock comes back and the customer is told", async () => {
    const { order, ckoId } = paidOrder({ capture: true });
    expect((await gql(CANCEL, { id: order.id, refund: true })).data.orderCancel.orderCancelUserErrors).toEqual([]);
    await settled();
    expect(requestsTo(ckoId, "refunds")).toEqual([expect.objectContaining({ status: 202, body: expect.objectContaining({ amount: 8500 }) })]);
    expect((await status(order)).displayFinancialStatus).toBe("REFUNDED");
    expect(webhooksOf(ckoId, "payment_refunded")).toHaveLength(1);
    expect(standIn.store.notifications.filter((n) => n.orderId === order.id)).toEqual([expect.objectContaining({ kind: "cancel", to: "ada@example.com" })]);
  });

  it("cancels an authorized order without a refund: the authorization is voided anyway", async () => {
    const { order, ckoId } = paidOrder({ capture: false });
    expect((await gql(CANCEL, { id: order.id, refund: false })).data.orderCancel.orderCancelUserErrors).toEqual([]);
    await settled();
    expect(requestsTo(ckoId, "voids")).toHaveLength(1);
    expect(requestsTo(ckoId, "refunds")).toEqual([]);
    expect((await status(order)).displayFinancialStatus).toBe("VOIDED");
  });
});
