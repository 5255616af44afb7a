// The demo's seed against the two stand-ins (without the app): orders paid at Shopify's checkout carry
// the Checkout.com transaction as Shopify records it from the payments app, the payment-link order
// carries none, and the refunded order is refunded through Shopify, carried out at Checkout.com by
// the payments app, whose webhook follows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DASHBOARD_REFUND, DEMO, seedCheckoutHistory, seedShopify, type DemoOrder } from "../../demo/seed";
import { createCheckoutStandIn, type CheckoutStandIn } from "../checkout/server";
import { startReceiver } from "../checkout/testing";
import { shopifyControlClient, startControlServer } from "./control";
import { createShopifyStandIn } from "./index";
import { financialStatus } from "./search";

const standIn = createShopifyStandIn({ apiKey: DEMO.apiKey, apiSecret: DEMO.apiSecret });
let control: Awaited<ReturnType<typeof startControlServer>>;
let checkout: CheckoutStandIn;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let orders: DemoOrder[];
let seeded: Awaited<ReturnType<typeof seedCheckoutHistory>>;

beforeAll(async () => {
  receiver = await startReceiver();
  checkout = await createCheckoutStandIn({
    accounts: [{ id: "demo", secretKey: DEMO.secretKey, accountType: "NAS", signatureKey: DEMO.signatureKey, webhookUrl: receiver.url }],
    webhooks: { delayMs: 1, retryDelaysMs: [] },
  });
  control = await startControlServer(standIn);
  const shopify = shopifyControlClient(control.url);
  orders = await seedShopify(shopify);
  await shopify.connectPaymentsApp(DEMO.shop, { baseUrl: checkout.url, secretKey: DEMO.secretKey });
  seeded = await seedCheckoutHistory(checkout, orders, shopify);
}, 30_000);

afterAll(async () => {
  await control.close();
  await checkout.stop();
  await receiver.close();
});

const byKey = (key: string) => orders.find((o) => o.key === key)!;

describe("demo seed", () => {
  it("gives orders paid at Shopify's checkout the Checkout.com transaction the payments app recorded", () => {
    const expected: Record<string, [string, string]> = {
      captured: ["SALE", "PAID"],
      authorized: ["AUTHORIZATION", "AUTHORIZED"],
      risky: ["AUTHORIZATION", "AUTHORIZED"],
      disputed: ["SALE", "PAID"],
      refunded: ["SALE", "REFUNDED"],
    };
    for (const [key, [kind, status]] of Object.entries(expected)) {
      const demoOrder = byKey(key);
      const order = standIn.store.order(demoOrder.id)!;
      const payment = checkout.state.payments.get(demoOrder.ckoPaymentId)!;
      expect(order.transactions[0]).toMatchObject({
        id: demoOrder.transactionId,
        kind,
        status: "SUCCESS",
        gateway: "checkout_com",
        formattedGateway: "Checkout.com",
        paymentId: demoOrder.shopifyPaymentId,
        amount: demoOrder.amount,
      });
      expect(JSON.parse(order.transactions[0].receiptJson!)).toMatchObject({ id: demoOrder.ckoPaymentId, reference: demoOrder.shopifyPaymentId });
      expect(payment.fixture.reference).toBe(demoOrder.shopifyPaymentId);
      expect(seeded.payments[key as keyof typeof seeded.payments]).toBe(demoOrder.ckoPaymentId);
      expect(financialStatus(order)).toBe(status);
    }
  });

  it("leaves the payment-link order without any Shopify transaction, its Checkout.com reference the order name", () => {
    const yen = byKey("yen");
    const order = standIn.store.order(yen.id)!;
    expect(order.transactions).toEqual([]);
    expect(financialStatus(order)).toBe("PENDING");
    expect(yen).toMatchObject({ shopifyPaymentId: null, transactionId: null, reference: order.name });
    expect(checkout.state.payments.get(yen.ckoPaymentId)!.fixture.reference).toBe(order.name);
  });

  it("refunds the refunded order through Shopify: one Checkout.com refund, recorded on the Shopify transaction, then the webhook", () => {
    const refunded = byKey("refunded");
    const order = standIn.store.order(refunded.id)!;
    const refund = order.transactions.find((t) => t.kind === "REFUND")!;
    const requests = checkout.requests.filter((r) => r.path === `/payments/${refunded.ckoPaymentId}/refunds`);
    expect(requests).toEqual([expect.objectContaining({ status: 202, accountId: "demo", body: { amount: refunded.amount, reference: refund.id } })]);
    const action = checkout.state.payments.get(refunded.ckoPaymentId)!.actions.at(-1)!;
    expect(action).toMatchObject({ type: "Refund", amount: refunded.amount, approved: true });
    expect(refund).toMatchObject({ status: "SUCCESS", parentId: refunded.transactionId, refundId: seeded.shopifyRefundId });
    expect(JSON.parse(refund.receiptJson!)).toMatchObject({ action_id: action.id });
    expect(
      receiver
        .events()
        .filter((e) => e.type === "payment_refunded")
        .map((e) => e.data.id),
    ).toEqual([refunded.ckoPaymentId, seeded.payments.dashboardRefund]);
    expect(standIn.store.inventory(DEMO.shop, "PZ-7").available).toBe(1);
    expect(standIn.store.notifications).toEqual([expect.objectContaining({ kind: "refund", orderId: refunded.id, to: "alan@example.com" })]);
  });

  it("refunds part of the dashboard order at Checkout.com only, so its Shopify order shows no refund, and settles yesterday's payouts", () => {
    const order = standIn.store.order(byKey("dashboardRefund").id)!;
    expect(order.transactions.map((t) => t.kind)).toEqual(["SALE"]);
    expect(checkout.state.payments.get(seeded.payments.dashboardRefund)!.refunded).toBe(DASHBOARD_REFUND);
    const reports = checkout.state.finance.listReports("demo", { limit: 100 }).data;
    expect(new Set(reports.map((r) => r.currency))).toEqual(new Set(["EUR", "GBP", "JPY", "USD"]));
  });
});
