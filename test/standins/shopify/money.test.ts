// The money side of an order as Shopify keeps it: suggested refunds, refundCreate's rules and its
// @idempotent key, refunds recorded with their lines, restocks and customer emails, orderCapture,
// transactionVoid, orderCancel, and the financial status that follows. Gateways other than
// Checkout.com succeed at once, so these run without the Checkout.com stand-in (see
// payments-app.test.ts for that path).
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../../helpers/env";
import { createShopifyStandIn, type ShopifyStandIn } from "./index";
import type { CreateOrderInput, OrderRecord } from "./store";

const SHOP = "north-loop.myshopify.com";
const DAY = 86_400_000;

let now = Date.parse("2026-11-02T10:00:00Z");
let standIn: ShopifyStandIn;

beforeEach(() => {
  now = Date.parse("2026-11-02T10:00:00Z");
  standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, clock: () => now });
  standIn.store.createShop({ domain: SHOP, currencyCode: "USD" });
});

/** Two tents and a stove, $10 shipping, $30 tax, paid with the bogus gateway (instant). */
function order(extra: Partial<CreateOrderInput> = {}): OrderRecord {
  return standIn.store.createOrder({
    shop: SHOP,
    email: "grace@example.com",
    lineItems: [
      { title: "Tent", price: "100.00", quantity: 2, sku: "TENT-2P" },
      { title: "Stove", price: "50.00", quantity: 1, sku: "STOVE-1" },
    ],
    shippingPrice: "10.00",
    tax: "30.00",
    payment: { kind: "SALE", gateway: "bogus", formattedGateway: "Bogus" },
    ...extra,
  });
}

async function gql(query: string, variables?: Record<string, unknown>) {
  return (await standIn.graphql(SHOP, { query, variables })).body as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}
async function data(query: string, variables?: Record<string, unknown>) {
  const body = await gql(query, variables);
  expect(body.errors).toBeUndefined();
  return body.data;
}

const REFUND = `mutation($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    order { id displayFinancialStatus }
    refund {
      id note totalRefundedSet { presentmentMoney { amount } }
      refundLineItems(first: 10) { nodes { quantity restockType restocked lineItem { id sku } subtotalSet { presentmentMoney { amount } } totalTaxSet { presentmentMoney { amount } } } }
      refundShippingLines(first: 1) { nodes { subtotalAmountSet { presentmentMoney { amount } } } }
      transactions(first: 5) { nodes { kind status gateway amountSet { presentmentMoney { amount } } parentTransaction { id } } }
    }
    userErrors { field message }
  }
}`;
let keyCount = 0;
const refund = async (input: Record<string, unknown>, key = `key-${++keyCount}`) => (await data(REFUND, { input, key })).refundCreate;
const money = (o: OrderRecord, amount: string, parentId = o.transactions[0].id) => ({
  orderId: o.id,
  parentId,
  gateway: o.transactions.find((t) => t.id === parentId)!.gateway,
  kind: "REFUND",
  amount,
});
const fieldsOf = (errors: Array<{ field: string[] | null }>) => errors.map((e) => e.field?.join("."));

const ORDER = `query($id: ID!) { order(id: $id) {
  displayFinancialStatus totalRefundedSet { presentmentMoney { amount } } netPaymentSet { presentmentMoney { amount } }
  lineItems(first: 5) { nodes { sku quantity currentQuantity refundableQuantity unfulfilledQuantity } }
  refunds { id note refundLineItems(first: 5) { nodes { quantity restockType } } }
} }`;

describe("suggestedRefund", () => {
  const SUGGEST = `query($id: ID!, $lines: [RefundLineItemInput!], $full: Boolean, $shipping: Boolean) { order(id: $id) {
    suggestedRefund(refundLineItems: $lines, suggestFullRefund: $full, refundShipping: $shipping) {
      amountSet { presentmentMoney { amount } } maximumRefundableSet { presentmentMoney { amount } }
      subtotalSet { presentmentMoney { amount } } discountedSubtotalSet { presentmentMoney { amount } } totalCartDiscountAmountSet { presentmentMoney { amount } }
      totalTaxSet { presentmentMoney { amount } } totalDutiesSet { presentmentMoney { amount } }
      refundLineItems { quantity restockType restocked lineItem { sku } priceSet { presentmentMoney { amount } } subtotalSet { presentmentMoney { amount } } totalTaxSet { presentmentMoney { amount } } }
      shipping { amountSet { presentmentMoney { amount } } maximumRefundableSet { presentmentMoney { amount } } taxSet { presentmentMoney { amount } } }
      suggestedTransactions { kind gateway parentTransaction { id } amountSet { presentmentMoney { amount } } maximumRefundableSet { presentmentMoney { amount } } }
      refundDuties { amountSet { presentmentMoney { amount } } } suggestedRefundMethods { __typename }
    }
  } }`;
  const amount = (v: string) => ({ presentmentMoney: { amount: v } });

  it("suggests everything with a full refund: unshipped units as CANCEL, shipped ones as RETURN, shipping, tax and the gateway", async () => {
    const o = order({ discount: "25.00" });
    // Hold one tent of two (the rest moves to a new fulfillment order), then ship the rest.
    const fo = o.fulfillmentOrders[0];
    const held = await data(
      `mutation($id: ID!, $hold: FulfillmentOrderHoldInput!) { fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) { userErrors { message } } }`,
      { id: fo.id, hold: { reason: "OTHER", handle: "one-tent", fulfillmentOrderLineItems: [{ id: fo.lineItems[0].id, quantity: 1 }] } },
    );
    expect(held.fulfillmentOrderHold.userErrors).toEqual([]);
    standIn.store.fulfillOrder(o.id);
    const s = (await data(SUGGEST, { id: o.id, full: true })).order.suggestedRefund;
    expect(s.refundLineItems.map((l: any) => [l.lineItem.sku, l.quantity, l.restockType, l.restocked])).toEqual([
      ["TENT-2P", 1, "CANCEL", false],
      ["TENT-2P", 1, "RETURN", false],
      ["STOVE-1", 1, "RETURN", false],
    ]);
    // $250 of goods less a $25 cart discount (split 20/5), $30 tax, $10 shipping: $265 received.
    expect(s).toMatchObject({
      subtotalSet: amount("250.0"),
      discountedSubtotalSet: amount("225.0"),
      totalCartDiscountAmountSet: amount("25.0"),
      totalTaxSet: amount("30.0"),
      totalDutiesSet: amount("0.0"),
      shipping: { amountSet: amount("10.0"), maximumRefundableSet: amount("10.0"), taxSet: amount("0.0") },
      amountSet: amount("265.0"),
      maximumRefundableSet: amount("265.0"),
      suggestedTransactions: [
        {
          kind: "SUGGESTED_REFUND",
          gateway: "bogus",
          parentTransaction: { id: o.transactions[0].id },
          amountSet: amount("265.0"),
          maximumRefundableSet: amount("265.0"),
        },
      ],
      refundDuties: [],
      suggestedRefundMethods: [],
    });
    expect(s.refundLineItems[0]).toMatchObject({ priceSet: amount("90.0"), subtotalSet: amount("90.0"), totalTaxSet: amount("12.0") });
  });

  it("prices chosen lines, leaves shipping out unless asked, and never suggests more than was received", async () => {
    const o = order();
    const s = (await data(SUGGEST, { id: o.id, lines: [{ lineItemId: o.lineItems[1].id, quantity: 5 }], shipping: true })).order.suggestedRefund;
    expect(s.refundLineItems).toEqual([
      expect.objectContaining({ quantity: 1, restockType: "CANCEL", subtotalSet: amount("50.0"), totalTaxSet: amount("6.0") }),
    ]);
    expect(s.amountSet).toEqual(amount("66.0"));
    await refund({ orderId: o.id, transactions: [money(o, "250.00")] });
    const after = (await data(SUGGEST, { id: o.id, full: true })).order.suggestedRefund;
    expect(after).toMatchObject({ amountSet: amount("40.0"), maximumRefundableSet: amount("40.0") });
  });
});

describe("refundCreate", () => {
  it("records refund lines without moving money when no transactions are given", async () => {
    const o = order();
    const result = await refund({
      orderId: o.id,
      note: "Wrong size",
      refundLineItems: [{ lineItemId: o.lineItems[0].id, quantity: 1, restockType: "CANCEL" }],
    });
    expect(result.userErrors).toEqual([]);
    expect(result.refund).toMatchObject({ note: "Wrong size", totalRefundedSet: { presentmentMoney: { amount: "0.0" } }, transactions: { nodes: [] } });
    expect(result.refund.refundLineItems.nodes).toEqual([
      {
        quantity: 1,
        restockType: "CANCEL",
        restocked: true,
        lineItem: { id: o.lineItems[0].id, sku: "TENT-2P" },
        subtotalSet: { presentmentMoney: { amount: "100.0" } },
        totalTaxSet: { presentmentMoney: { amount: "12.0" } },
      },
    ]);
    const read = (await data(ORDER, { id: o.id })).order;
    expect(read.displayFinancialStatus).toBe("PAID");
    expect(read.lineItems.nodes[0]).toEqual({ sku: "TENT-2P", quantity: 2, currentQuantity: 1, refundableQuantity: 1, unfulfilledQuantity: 1 });
    expect(read.refunds).toEqual([{ id: result.refund.id, note: "Wrong size", refundLineItems: { nodes: [{ quantity: 1, restockType: "CANCEL" }] } }]);
    expect(standIn.store.inventory(SHOP, "TENT-2P")).toMatchObject({
      available: 1,
      entries: [expect.objectContaining({ delta: 1, reason: "restock", restockType: "CANCEL", orderId: o.id, refundId: result.refund.id })],
    });
    expect(standIn.store.notifications).toEqual([]);
  });

  it("moves money with refund transactions: partially, then fully refunded", async () => {
    const o = order();
    const first = await refund({ orderId: o.id, notify: true, transactions: [money(o, "100.00")], shipping: { amount: "4.00" } });
    expect(first.refund.transactions.nodes).toEqual([
      {
        kind: "REFUND",
        status: "SUCCESS",
        gateway: "bogus",
        amountSet: { presentmentMoney: { amount: "100.0" } },
        parentTransaction: { id: o.transactions[0].id },
      },
    ]);
    expect(first.refund.refundShippingLines.nodes).toEqual([{ subtotalAmountSet: { presentmentMoney: { amount: "4.0" } } }]);
    expect(first.order.displayFinancialStatus).toBe("PARTIALLY_REFUNDED");
    expect(standIn.store.notifications).toEqual([
      expect.objectContaining({ kind: "refund", to: "grace@example.com", orderId: o.id, refundId: first.refund.id }),
    ]);
    const rest = await refund({ orderId: o.id, transactions: [money(o, "190.00")], shipping: { fullRefund: true } });
    expect(rest.userErrors).toEqual([]);
    const read = (await data(ORDER, { id: o.id })).order;
    expect(read).toMatchObject({
      displayFinancialStatus: "REFUNDED",
      totalRefundedSet: { presentmentMoney: { amount: "290.0" } },
      netPaymentSet: { presentmentMoney: { amount: "0.0" } },
    });
    const search = await data(
      `{ partly: orders(first: 5, query: "financial_status:partially_refunded") { nodes { id } } full: orders(first: 5, query: "financial_status:refunded") { nodes { id } } }`,
    );
    expect(search).toEqual({ partly: { nodes: [] }, full: { nodes: [{ id: o.id }] } });
  });

  it("records a refund made outside Shopify on the manual gateway: no parent, successful at once, within what was received", async () => {
    const o = order({ payment: { kind: "SALE", gateway: "checkout_com", formattedGateway: "Checkout.com" } });
    const outside = (amount: string, gateway = "manual") => ({ orderId: o.id, amount, kind: "REFUND", gateway });
    const recorded = await refund({ orderId: o.id, note: "Refunded at Checkout.com", transactions: [outside("40.00")] });
    expect(recorded.userErrors).toEqual([]);
    expect(recorded.refund.transactions.nodes).toEqual([
      { kind: "REFUND", status: "SUCCESS", gateway: "manual", amountSet: { presentmentMoney: { amount: "40.0" } }, parentTransaction: null },
    ]);
    expect(recorded.order.displayFinancialStatus).toBe("PARTIALLY_REFUNDED");
    // No payments app is asked to refund it, and nobody is emailed unless asked.
    expect(standIn.store.notifications).toEqual([]);
    const refused = await refund({ orderId: o.id, transactions: [outside("1.00", "checkout_com"), outside("251.00")] });
    expect(fieldsOf(refused.userErrors)).toEqual(["transactions.0.parentId", "transactions"]);
    expect(refused.userErrors[1].message).toBe("Refund amount (251.0 USD) is greater than the net payment received (250.0 USD).");
  });

  it("refuses quantities over what is refundable and restock types that do not fit what shipped", async () => {
    const o = order({ fulfillment: { trackingNumber: "1Z" } });
    const tent = o.lineItems[0].id;
    const errors = (
      await refund({
        orderId: o.id,
        refundLineItems: [
          { lineItemId: tent, quantity: 3, restockType: "RETURN" },
          { lineItemId: o.lineItems[1].id, quantity: 1, restockType: "CANCEL" },
          { lineItemId: tent, quantity: 1, restockType: "LEGACY_RESTOCK" },
          { lineItemId: "gid://shopify/LineItem/1", quantity: 1 },
          { lineItemId: tent, quantity: 0 },
        ],
      })
    ).userErrors;
    expect(fieldsOf(errors)).toEqual([
      "refundLineItems.0.quantity",
      "refundLineItems.1.restockType",
      "refundLineItems.2.restockType",
      "refundLineItems.3.lineItemId",
      "refundLineItems.4.quantity",
    ]);
    expect(errors[0].message).toMatch(/cannot refund more items than were purchased/);
    expect(errors[1].message).toMatch(/CANCEL is only for unfulfilled items/);
    const unshipped = order();
    expect(
      fieldsOf(
        (await refund({ orderId: unshipped.id, refundLineItems: [{ lineItemId: unshipped.lineItems[0].id, quantity: 1, restockType: "RETURN" }] })).userErrors,
      ),
    ).toEqual(["refundLineItems.0.restockType"]);
    expect(standIn.store.order(o.id)!.refunds).toEqual([]);
  });

  it("refuses refund transactions that do not fit their parent", async () => {
    const o = order();
    const auth = standIn.store.addTransaction(o.id, { kind: "AUTHORIZATION", gateway: "bogus", amount: "1.00" });
    const errors = (
      await refund({
        orderId: o.id,
        transactions: [
          { ...money(o, "300.00") },
          { ...money(o, "1.00"), gateway: "checkout_com" },
          { ...money(o, "1.00"), kind: "SALE" },
          { ...money(o, "1.00"), parentId: auth.id, gateway: "bogus" },
          { ...money(o, "1.00"), parentId: "gid://shopify/OrderTransaction/1" },
          { ...money(o, "1.00"), orderId: "gid://shopify/Order/1" },
          { ...money(o, "-1.00") },
        ],
      })
    ).userErrors;
    expect(fieldsOf(errors)).toEqual([
      "transactions.0.amount",
      "transactions.1.gateway",
      "transactions.2.kind",
      "transactions.3.parentId",
      "transactions.4.parentId",
      "transactions.5.orderId",
      "transactions.6.amount",
    ]);
    expect(errors[0].message).toBe("Amount 300.0 USD is more than can be refunded on the parent transaction (290.0 USD).");
    const twice = (await refund({ orderId: o.id, transactions: [money(o, "200.00"), money(o, "100.00")] })).userErrors;
    expect(fieldsOf(twice)).toEqual(["transactions.1.amount"]);
    expect(fieldsOf((await refund({ orderId: o.id, shipping: { amount: "11.00" } })).userErrors)).toEqual(["shipping.amount"]);
    expect((await refund({ orderId: o.id })).userErrors).toEqual([{ field: null, message: "A refund needs line items, shipping or transactions." }]);
    expect((await refund({ orderId: "gid://shopify/Order/1", note: "x" })).userErrors).toEqual([{ field: ["orderId"], message: "Order does not exist." }]);
  });

  it("requires the presentment currency on a multi-currency order, and refuses another one", async () => {
    const o = order({ currency: "EUR" });
    const required = (await refund({ orderId: o.id, transactions: [money(o, "10.00")] })).userErrors;
    expect(required).toEqual([
      { field: ["currency"], message: "Currency is required when the order's presentment currency (EUR) differs from the shop currency (USD)." },
    ]);
    expect(fieldsOf((await refund({ orderId: o.id, currency: "USD", transactions: [money(o, "10.00")] })).userErrors)).toEqual(["currency"]);
    const ok = await refund({ orderId: o.id, currency: "EUR", transactions: [money(o, "10.00")] });
    expect(ok.refund.transactions.nodes[0].amountSet).toEqual({ presentmentMoney: { amount: "10.0" } });
    const home = order();
    expect(fieldsOf((await refund({ orderId: home.id, currency: "EUR", transactions: [money(home, "10.00")] })).userErrors)).toEqual(["currency"]);
  });
});

describe("@idempotent on refundCreate", () => {
  const input = (o: OrderRecord) => ({ orderId: o.id, transactions: [money(o, "20.00")] });

  it("refuses a refundCreate without an idempotency key, or with a blank one", async () => {
    const o = order();
    const missing = await gql(`mutation($input: RefundInput!) { refundCreate(input: $input) { refund { id } userErrors { message } } }`, { input: input(o) });
    expect(missing.data).toEqual({ refundCreate: null });
    expect(missing.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining("requires an idempotency key"), extensions: { code: "BAD_REQUEST" } }),
    ]);
    const blank = await gql(REFUND, { input: input(o), key: "  " });
    expect(blank.errors?.[0].message).toBe("The idempotency key cannot be an empty string or whitespace only.");
    expect(standIn.store.order(o.id)!.refunds).toEqual([]);
  });

  it("returns the first refund for a repeat, refuses the key for other input, and forgets it after 24 hours", async () => {
    const o = order();
    const first = await refund(input(o), "k1");
    const repeat = await refund(input(o), "k1");
    expect(repeat.refund.id).toBe(first.refund.id);
    expect(standIn.store.order(o.id)!.refunds).toHaveLength(1);
    const other = await gql(REFUND, { input: { ...input(o), note: "changed" }, key: "k1" });
    expect(other.data).toEqual({ refundCreate: null });
    expect(other.errors).toEqual([
      expect.objectContaining({
        message: "The same idempotency key cannot be used with different operation parameters.",
        extensions: { code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" },
      }),
    ]);
    // Keys belong to the shop and app: the same key elsewhere is a new request.
    now += DAY - 1000;
    expect((await refund(input(o), "k1")).refund.id).toBe(first.refund.id);
    now += 2000;
    expect((await refund(input(o), "k1")).refund.id).not.toBe(first.refund.id);
    expect(standIn.store.order(o.id)!.refunds).toHaveLength(2);
  });

  it("refuses a repeat that arrives while the first is still being processed", async () => {
    standIn = createShopifyStandIn({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, clock: () => now, actionLatencyMs: 50 });
    standIn.store.createShop({ domain: SHOP, currencyCode: "USD" });
    const o = order();
    const [a, b] = await Promise.all([gql(REFUND, { input: input(o), key: "busy" }), gql(REFUND, { input: input(o), key: "busy" })]);
    expect(a.data.refundCreate.userErrors).toEqual([]);
    expect(b.errors).toEqual([
      expect.objectContaining({ message: "This request is currently in progress, please try again.", extensions: { code: "IDEMPOTENCY_CONCURRENT_REQUEST" } }),
    ]);
    expect((await gql(REFUND, { input: input(o), key: "busy" })).data.refundCreate.refund.id).toBe(a.data.refundCreate.refund.id);
  });
});

describe("orderCapture and transactionVoid", () => {
  const CAPTURE = `mutation($input: OrderCaptureInput!) { orderCapture(input: $input) { transaction { kind status amountSet { presentmentMoney { amount } } parentTransaction { id } } userErrors { field message } } }`;
  const VOID = `mutation($id: ID!) { transactionVoid(parentTransactionId: $id) { transaction { kind status amountSet { presentmentMoney { amount } } } userErrors { field message code } } }`;
  const STATUS = `query($id: ID!) { order(id: $id) { displayFinancialStatus capturable totalCapturableSet { presentmentMoney { amount } } transactions { kind status maximumRefundableV2 { amount } multiCapturable } } }`;
  const authorized = (extra: Partial<CreateOrderInput> = {}) =>
    order({ payment: { kind: "AUTHORIZATION", gateway: "bogus", formattedGateway: "Bogus" }, ...extra });

  it("captures part of an authorization, which closes it (not multi-capturable)", async () => {
    const o = authorized();
    const auth = o.transactions[0];
    expect((await data(STATUS, { id: o.id })).order).toMatchObject({
      displayFinancialStatus: "AUTHORIZED",
      capturable: true,
      totalCapturableSet: { presentmentMoney: { amount: "290.0" } },
    });
    const result = (await data(CAPTURE, { input: { id: o.id, parentTransactionId: auth.id, amount: "200.00" } })).orderCapture;
    expect(result).toEqual({
      transaction: { kind: "CAPTURE", status: "SUCCESS", amountSet: { presentmentMoney: { amount: "200.0" } }, parentTransaction: { id: auth.id } },
      userErrors: [],
    });
    expect((await data(STATUS, { id: o.id })).order).toMatchObject({
      displayFinancialStatus: "PARTIALLY_PAID",
      capturable: false,
      transactions: [
        { kind: "AUTHORIZATION", multiCapturable: false },
        { kind: "CAPTURE", maximumRefundableV2: { amount: "200.0" } },
      ],
    });
    const again = (await data(CAPTURE, { input: { id: o.id, parentTransactionId: auth.id, amount: "90.00" } })).orderCapture;
    expect(again.userErrors).toEqual([{ field: ["parentTransactionId"], message: expect.stringContaining("cannot be captured") }]);
  });

  it("refuses captures that do not fit", async () => {
    const o = authorized({ currency: "EUR" });
    const auth = o.transactions[0];
    const capture = async (input: Record<string, unknown>) =>
      (await data(CAPTURE, { input: { id: o.id, parentTransactionId: auth.id, amount: "10.00", currency: "EUR", ...input } })).orderCapture.userErrors;
    expect(fieldsOf(await capture({ amount: "300.00" }))).toEqual(["amount"]);
    expect(fieldsOf(await capture({ amount: "0" }))).toEqual(["amount"]);
    expect(fieldsOf(await capture({ currency: null }))).toEqual(["currency"]);
    expect(fieldsOf(await capture({ currency: "USD" }))).toEqual(["currency"]);
    const paid = order();
    expect((await data(CAPTURE, { input: { id: paid.id, parentTransactionId: paid.transactions[0].id, amount: "1.00" } })).orderCapture.userErrors).toEqual([
      { field: ["parentTransactionId"], message: "Parent transaction must be a successful authorization." },
    ]);
    expect(fieldsOf(await capture({ parentTransactionId: paid.transactions[0].id }))).toEqual(["parentTransactionId"]);
    expect(
      fieldsOf((await data(CAPTURE, { input: { id: "gid://shopify/Order/1", parentTransactionId: auth.id, amount: "1.00" } })).orderCapture.userErrors),
    ).toEqual(["id"]);
  });

  it("voids an authorization once, and answers Shopify's codes otherwise", async () => {
    const o = authorized();
    const auth = o.transactions[0];
    expect((await data(VOID, { id: auth.id })).transactionVoid).toEqual({
      transaction: { kind: "VOID", status: "SUCCESS", amountSet: { presentmentMoney: { amount: "290.0" } } },
      userErrors: [],
    });
    expect((await data(STATUS, { id: o.id })).order).toMatchObject({ displayFinancialStatus: "VOIDED", capturable: false });
    const code = async (id: string) => (await data(VOID, { id })).transactionVoid.userErrors.map((e: { code: string }) => e.code);
    expect(await code(auth.id)).toEqual(["AUTH_NOT_VOIDABLE"]);
    expect(await code("gid://shopify/OrderTransaction/1")).toEqual(["TRANSACTION_NOT_FOUND"]);
    expect(await code(order().transactions[0].id)).toEqual(["GENERIC_ERROR"]);
    const failed = order({ payment: { kind: "AUTHORIZATION", status: "FAILURE", gateway: "bogus" } });
    expect(await code(failed.transactions[0].id)).toEqual(["AUTH_NOT_SUCCESSFUL"]);
    const captured = authorized();
    await data(CAPTURE, { input: { id: captured.id, parentTransactionId: captured.transactions[0].id, amount: "290.00" } });
    expect(await code(captured.transactions[0].id)).toEqual(["AUTH_NOT_VOIDABLE"]);
  });
});

describe("orderCancel", () => {
  const CANCEL = `mutation($id: ID!, $refundMethod: OrderCancelRefundMethodInput, $refund: Boolean, $restock: Boolean!, $notify: Boolean) {
    orderCancel(orderId: $id, reason: CUSTOMER, refundMethod: $refundMethod, refund: $refund, restock: $restock, notifyCustomer: $notify, staffNote: "Customer changed their mind") { job { id } orderCancelUserErrors { field message code } }
  }`;
  const READ = `query($id: ID!) { order(id: $id) { displayFinancialStatus cancelReason cancellation { staffNote } lineItems(first: 5) { nodes { currentQuantity refundableQuantity } } transactions { kind status } refunds { transactions(first: 5) { nodes { kind } } refundLineItems(first: 5) { nodes { quantity restockType restocked } } } } }`;

  it("refunds captured money to the original payment method, restocks, and emails the customer", async () => {
    const o = order();
    expect(
      (await data(CANCEL, { id: o.id, refundMethod: { originalPaymentMethodsRefund: true }, restock: true, notify: true })).orderCancel.orderCancelUserErrors,
    ).toEqual([]);
    const read = (await data(READ, { id: o.id })).order;
    expect(read).toMatchObject({ displayFinancialStatus: "REFUNDED", cancelReason: "CUSTOMER", cancellation: { staffNote: "Customer changed their mind" } });
    expect(read.transactions).toEqual([
      { kind: "SALE", status: "SUCCESS" },
      { kind: "REFUND", status: "SUCCESS" },
    ]);
    expect(read.lineItems.nodes).toEqual([
      { currentQuantity: 0, refundableQuantity: 0 },
      { currentQuantity: 0, refundableQuantity: 0 },
    ]);
    expect(read.refunds).toEqual([
      {
        transactions: { nodes: [{ kind: "REFUND" }] },
        refundLineItems: {
          nodes: [
            { quantity: 2, restockType: "CANCEL", restocked: true },
            { quantity: 1, restockType: "CANCEL", restocked: true },
          ],
        },
      },
    ]);
    expect(standIn.store.inventory(SHOP, "TENT-2P").available).toBe(2);
    expect(standIn.store.inventory(SHOP, "STOVE-1").entries).toEqual([expect.objectContaining({ delta: 1, restockType: "CANCEL", orderId: o.id })]);
    expect(standIn.store.notifications).toEqual([expect.objectContaining({ kind: "cancel", orderId: o.id, to: "grace@example.com" })]);
  });

  it("voids uncaptured authorizations whatever the refund setting, and neither restocks nor emails unless asked", async () => {
    const o = order({ payment: { kind: "AUTHORIZATION", gateway: "bogus" } });
    expect(
      (await data(CANCEL, { id: o.id, refundMethod: { originalPaymentMethodsRefund: false }, restock: false, notify: false })).orderCancel
        .orderCancelUserErrors,
    ).toEqual([]);
    const read = (await data(READ, { id: o.id })).order;
    expect(read.displayFinancialStatus).toBe("VOIDED");
    expect(read.transactions.map((t: { kind: string }) => t.kind)).toEqual(["AUTHORIZATION", "VOID"]);
    expect(read.refunds[0].refundLineItems.nodes).toEqual([
      { quantity: 2, restockType: "NO_RESTOCK", restocked: false },
      { quantity: 1, restockType: "NO_RESTOCK", restocked: false },
    ]);
    expect(standIn.store.inventory(SHOP, "TENT-2P")).toMatchObject({ available: 0, entries: [] });
    expect(standIn.store.notifications).toEqual([]);
  });

  it("keeps the deprecated refund argument working, and keeps money when refund is false", async () => {
    const refunded = order();
    await data(CANCEL, { id: refunded.id, refund: true, restock: false });
    expect((await data(READ, { id: refunded.id })).order.displayFinancialStatus).toBe("REFUNDED");
    const kept = order();
    await data(CANCEL, { id: kept.id, refund: false, restock: false });
    expect((await data(READ, { id: kept.id })).order).toMatchObject({ displayFinancialStatus: "PAID", transactions: [{ kind: "SALE", status: "SUCCESS" }] });
    const both = order();
    expect(
      (await data(CANCEL, { id: both.id, refund: true, refundMethod: { originalPaymentMethodsRefund: true }, restock: false })).orderCancel
        .orderCancelUserErrors[0].field,
    ).toEqual(["refundMethod"]);
  });

  it("counts a refund on a Checkout.com gateway only once it succeeded", async () => {
    const o = order({ payment: { kind: "SALE", gateway: "checkout_com" } });
    await data(CANCEL, { id: o.id, refundMethod: { originalPaymentMethodsRefund: true }, restock: true });
    const read = (await data(READ, { id: o.id })).order;
    expect(read).toMatchObject({
      displayFinancialStatus: "PAID",
      transactions: [
        { kind: "SALE", status: "SUCCESS" },
        { kind: "REFUND", status: "PENDING" },
      ],
    });
    expect((await data(`{ orders(first: 5, query: "financial_status:paid") { nodes { id } } }`)).orders.nodes).toEqual([{ id: o.id }]);
  });
});
