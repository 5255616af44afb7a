// Money through Shopify, end to end against both stand-ins: the app asks Shopify (refundCreate,
// orderCapture, transactionVoid, orderCancel), Shopify's Checkout.com payments app asks Checkout.com,
// whose webhook comes back to the app's intake and worker. For each action: the Shopify order ends
// right (financial status, refund lines, restock, email), Checkout.com saw one call, the webhook does
// not count twice, and asking again changes nothing.
import type { CheckoutConnection, Shop } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { resetEnvForTests } from "../env.server";
import { JOB_HANDLERS, createAppWorker } from "../events/registry.server";
import { say } from "../i18n/i18n";
import { adminApi, ShopifyApiError, type ShopifyAdmin } from "../shopify/admin-api.server";
import { createCheckoutStandIn, type CheckoutStandIn } from "../../test/standins/checkout/server";
import { nasAccount, NAS_SANDBOX_KEY } from "../../test/standins/checkout/testing";
import { startShopifyStandIn, type ShopifyStandIn } from "../../test/helpers/holds";
import { startWebhookServer, type WebhookServer } from "../../test/helpers/checkout-webhooks";
import { createConnectedShop } from "../../test/helpers/factories";
import { createPaidOrder, type PaidOrder, type PaidOrderOptions } from "../../test/helpers/money-world";
import { seedOfflineSession } from "../../test/helpers/session-token";
import { legacyId } from "../../test/standins/shopify/store";
import {
  cancelOrderAndPayment,
  planMoneyActions,
  recordedRefunds,
  recordRefundOnOrder,
  requestMoneyAction,
  type MoneyActionRequest,
  type RecordRefundRequest,
} from "./actions.server";
import { REFUND_CREATE_MUTATION } from "./shopify-documents";

let shopifyWorld: ReturnType<typeof startShopifyStandIn>;
let shopify: ShopifyStandIn;
let checkout: CheckoutStandIn;
let webhooks: WebhookServer;
let shop: Shop;
let connection: CheckoutConnection;

beforeAll(async () => {
  shopifyWorld = startShopifyStandIn();
  shopify = shopifyWorld.standIn;
  webhooks = await startWebhookServer();
  ({ shop, connection } = await createConnectedShop());
  checkout = await createCheckoutStandIn({
    accounts: [nasAccount({ webhookUrl: `${webhooks.url}/webhooks/checkout/${connection.endpointId}` })],
    webhooks: { delayMs: 0, retryDelaysMs: [50, 200], timeoutMs: 5_000 },
  });
  process.env.CHECKOUT_API_BASE_URL = checkout.url;
  resetEnvForTests();
  shopify.store.createShop({ domain: shop.domain, currencyCode: "USD" });
  shopify.connectPaymentsApp(shop.domain, { baseUrl: checkout.url, secretKey: NAS_SANDBOX_KEY });
});

beforeEach(async () => {
  // A fresh offline token each test (the stand-in's expire after an hour of its clock).
  await seedOfflineSession(shop.domain, { accessToken: shopify.issueAccessToken(shop.domain).token });
  shopify.limits.clearFaults();
  checkout.faults.clear();
});

afterAll(async () => {
  await checkout.stop();
  await webhooks.close();
  shopifyWorld.close();
  delete process.env.CHECKOUT_API_BASE_URL;
  resetEnvForTests();
});

/** Lets everything that follows an action happen: the payments app's call, Checkout.com's webhook, our worker. */
async function settle() {
  await shopify.paymentsApp.idle();
  await checkout.webhooks.idle();
  await createAppWorker({ jobHandlers: JOB_HANDLERS }).runUntilIdle();
}

type Paid = PaidOrder;

/** An order paid through Checkout.com's payments app, its payment at Checkout.com and as the app recorded it. */
const paidOrder = (options: PaidOrderOptions = {}) => createPaidOrder({ shopify, checkout }, shop, options);

const ask = (paid: Paid, overrides: Partial<MoneyActionRequest> = {}): MoneyActionRequest => ({
  shopId: shop.id,
  paymentId: paid.paymentId,
  kind: "refund",
  reason: "Item returned",
  requestedBy: "Finance Person <finance@example.com>",
  source: "admin",
  intent: `test:${paid.paymentId}:${overrides.kind ?? "refund"}:${overrides.amount ?? "all"}`,
  ...overrides,
});

const callsAtCheckout = (ckoPaymentId: string, kind: "refunds" | "captures" | "voids") =>
  checkout.requests.filter((r) => r.method === "POST" && r.path === `/payments/${ckoPaymentId}/${kind}`);
const orderNow = (paid: Paid) => shopify.store.requireOrder(paid.order.id);
const paymentNow = (paid: Paid) => db().payment.findUniqueOrThrow({ where: { id: paid.paymentId } });

/** The shop's Admin API with `around` wrapped round each call: it may act before sending, or fail after the answer. */
function apiAround(around: (document: string, send: () => Promise<unknown>) => Promise<unknown>): ShopifyAdmin {
  const real = adminApi(shop.domain);
  const request = ((document, ...variables) => around(document, () => real.request(document, ...variables))) as ShopifyAdmin["request"];
  return { request };
}

describe("refunds through Shopify", () => {
  it("a partial refund: one refund in Shopify and at Checkout.com, counted once when the webhook comes, and nothing more when asked again", async () => {
    const paid = await paidOrder();
    const plan = await planMoneyActions(shop.id, paid.paymentId);
    expect(plan).toMatchObject({
      via: "shopify",
      directReason: null,
      limits: { refundable: 11_800 },
      shopify: { refundable: 11_800 },
      checkout: { refundable: 11_800 },
    });

    const result = await requestMoneyAction(ask(paid, { amount: 2_000 }));
    expect(result).toMatchObject({ ok: true, repeated: false, action: { via: "shopify", status: "accepted", amount: 2_000 } });
    const order = orderNow(paid);
    expect(order.refunds).toHaveLength(1);
    // An amount: no lines, so nothing is restocked.
    expect(order.refunds[0].lineItems).toEqual([]);
    await settle();
    expect(
      orderNow(paid)
        .transactions.filter((t) => t.kind === "REFUND")
        .map((t) => [t.status, t.amount]),
    ).toEqual([["SUCCESS", 2_000]]);
    expect(callsAtCheckout(paid.ckoPaymentId, "refunds")).toHaveLength(1);
    expect(checkout.state.payments.get(paid.ckoPaymentId)!.refunded).toBe(2_000);
    expect(await paymentNow(paid)).toMatchObject({ refundedAmount: 2_000, status: "Partially Refunded" });
    const action = await db().moneyAction.findFirstOrThrow({ where: { paymentId: paid.paymentId } });
    expect(action).toMatchObject({ status: "succeeded", via: "shopify" });
    expect(action.ckoActionId).toMatch(/^act_/);

    const again = await requestMoneyAction(ask(paid, { amount: 2_000 }));
    expect(again).toMatchObject({ ok: true, repeated: true });
    await settle();
    expect(orderNow(paid).refunds).toHaveLength(1);
    expect(callsAtCheckout(paid.ckoPaymentId, "refunds")).toHaveLength(1);
    expect((await paymentNow(paid)).refundedAmount).toBe(2_000);
    // Checkout.com delivering its webhook again changes nothing either.
    const delivery = checkout.webhooks.deliveries().find((d) => d.type === "payment_refunded")!;
    await fetch(delivery.url, { method: "POST", headers: delivery.headers, body: delivery.body });
    await settle();
    expect((await paymentNow(paid)).refundedAmount).toBe(2_000);
    expect(await db().paymentActivity.count({ where: { paymentId: paid.paymentId, type: { in: ["refund_elsewhere"] } } })).toBe(0);
  });

  it("a full refund restocks what has not shipped and emails the customer when asked", async () => {
    const paid = await paidOrder();
    const before = shopify.store.inventory(shop.domain, "SOCK-W").available;
    const result = await requestMoneyAction(ask(paid, { restock: true, notifyCustomer: true }));
    expect(result).toMatchObject({ ok: true, action: { amount: 11_800 } });
    await settle();
    const order = orderNow(paid);
    expect(order.refunds[0].lineItems.map((l) => [l.quantity, l.restockType])).toEqual([
      [1, "CANCEL"],
      [2, "CANCEL"],
    ]);
    expect(shopify.store.inventory(shop.domain, "SOCK-W").available).toBe(before + 2);
    expect(shopify.store.notifications.filter((n) => n.orderId === order.id && n.kind === "refund")).toHaveLength(1);
    expect(checkout.state.payments.get(paid.ckoPaymentId)!.refunded).toBe(11_800);
    expect(await paymentNow(paid)).toMatchObject({ refundedAmount: 11_800, status: "Refunded" });
    const financial = await shopify.graphql(shop.domain, { query: `{ order(id: "${paid.order.id}") { displayFinancialStatus } }` });
    expect(financial.body).toMatchObject({ data: { order: { displayFinancialStatus: "REFUNDED" } } });
  });

  it("a full refund without restock puts nothing back and emails nobody", async () => {
    const paid = await paidOrder();
    const before = shopify.store.inventory(shop.domain, "SWTR-M-NVY").available;
    await requestMoneyAction(ask(paid, { restock: false, notifyCustomer: false }));
    await settle();
    expect(orderNow(paid).refunds[0].lineItems.every((l) => l.restockType === "NO_RESTOCK")).toBe(true);
    expect(shopify.store.inventory(shop.domain, "SWTR-M-NVY").available).toBe(before);
    expect(shopify.store.notifications.filter((n) => n.orderId === paid.order.id)).toHaveLength(0);
    expect(callsAtCheckout(paid.ckoPaymentId, "refunds")).toHaveLength(1);
  });

  it("refunds chosen items at Shopify's price, never restocking what has shipped", async () => {
    const paid = await paidOrder({ fulfilled: true });
    const socks = paid.order.lineItems.find((l) => l.sku === "SOCK-W")!;
    const result = await requestMoneyAction(ask(paid, { lines: [{ lineItemId: socks.id, quantity: 1 }], restock: true, intent: "items:socks:1" }));
    expect(result).toMatchObject({ ok: true, action: { amount: 1_200 } });
    await settle();
    expect(orderNow(paid).refunds[0].lineItems.map((l) => [l.lineItemId, l.quantity, l.restockType])).toEqual([[socks.id, 1, "NO_RESTOCK"]]);
    expect(checkout.state.payments.get(paid.ckoPaymentId)!.refunded).toBe(1_200);
  });

  it("refuses more than is refundable, and items the order does not have, sending nothing", async () => {
    const paid = await paidOrder();
    const tooMuch = await requestMoneyAction(ask(paid, { amount: 11_801 }));
    expect(tooMuch).toMatchObject({ ok: false, message: "At most USD 118.00 can be refunded (the lower of Shopify's and Checkout.com's figures)." });
    if (!tooMuch.ok) {
      expect(say("de", tooMuch.words!)).toMatch(
        /^Es können höchstens 118,00\s\$ erstattet werden \(der niedrigere der Beträge von Shopify und Checkout\.com\)\.$/,
      );
    }
    const unknown = await requestMoneyAction(ask(paid, { lines: [{ lineItemId: "gid://shopify/LineItem/1", quantity: 1 }], intent: "items:unknown" }));
    expect(unknown).toMatchObject({ ok: false, message: `Order ${paid.order.name} has no line gid://shopify/LineItem/1.` });
    if (!unknown.ok) expect(say("fr", unknown.words!)).toBe(`La commande ${paid.order.name} n'a pas de ligne gid://shopify/LineItem/1.`);
    expect(orderNow(paid).refunds).toHaveLength(0);
    expect(callsAtCheckout(paid.ckoPaymentId, "refunds")).toHaveLength(0);
    expect(await db().moneyAction.count({ where: { paymentId: paid.paymentId } })).toBe(0);
  });

  it("keeps to Shopify's figure when it is lower than Checkout.com's", async () => {
    const paid = await paidOrder();
    // Somebody refunded 100.00 in the Shopify admin: Shopify has 14.00 left, while Checkout.com's
    // webhook for it has not been processed here yet.
    await shopify.graphql(shop.domain, {
      query: REFUND_CREATE_MUTATION,
      variables: {
        key: "admin-refund-1",
        input: {
          orderId: paid.order.id,
          currency: "USD",
          transactions: [{ orderId: paid.order.id, parentId: paid.order.transactions[0].id, amount: "100.00", kind: "REFUND", gateway: "checkout_com" }],
        },
      },
    });
    const plan = await planMoneyActions(shop.id, paid.paymentId);
    expect(plan!.shopify!.refundable).toBe(1_800);
    expect(plan!.limits.refundable).toBe(1_800);
    const refused = await requestMoneyAction(ask(paid, { amount: 2_000 }));
    expect(refused).toMatchObject({ ok: false, message: "At most USD 18.00 can be refunded (the lower of Shopify's and Checkout.com's figures)." });
    await settle();
  });
});

describe("captures and voids through Shopify", () => {
  it("captures part of an authorisation once", async () => {
    const paid = await paidOrder({ capture: false });
    const result = await requestMoneyAction(ask(paid, { kind: "capture", amount: 5_000 }));
    expect(result).toMatchObject({ ok: true, action: { via: "shopify", kind: "capture", amount: 5_000 } });
    expect(await requestMoneyAction(ask(paid, { kind: "capture", amount: 5_000 }))).toMatchObject({ ok: true, repeated: true });
    await settle();
    expect(
      orderNow(paid)
        .transactions.filter((t) => t.kind === "CAPTURE")
        .map((t) => [t.status, t.amount]),
    ).toEqual([["SUCCESS", 5_000]]);
    expect(callsAtCheckout(paid.ckoPaymentId, "captures")).toHaveLength(1);
    expect(await paymentNow(paid)).toMatchObject({ capturedAmount: 5_000 });
    expect(await db().moneyAction.findFirstOrThrow({ where: { paymentId: paid.paymentId } })).toMatchObject({ status: "succeeded" });
  });

  it("voids an authorisation once; the order shows VOIDED", async () => {
    const paid = await paidOrder({ capture: false });
    const result = await requestMoneyAction(ask(paid, { kind: "void" }));
    expect(result).toMatchObject({ ok: true, action: { via: "shopify", kind: "void" } });
    await settle();
    expect(await requestMoneyAction(ask(paid, { kind: "void" }))).toMatchObject({ ok: true, repeated: true });
    expect(callsAtCheckout(paid.ckoPaymentId, "voids")).toHaveLength(1);
    const financial = await shopify.graphql(shop.domain, { query: `{ order(id: "${paid.order.id}") { displayFinancialStatus } }` });
    expect(financial.body).toMatchObject({ data: { order: { displayFinancialStatus: "VOIDED" } } });
    expect(await paymentNow(paid)).toMatchObject({ status: "Voided" });
    const refused = await requestMoneyAction(ask(paid, { kind: "void", intent: "void-again" }));
    expect(refused.ok).toBe(false);
  });

  it("a void whose answer was lost is adopted from the order, not sent again", async () => {
    const paid = await paidOrder({ capture: false });
    // Shopify made the void, but its answer never reached us.
    let lost = false;
    const losingApi = apiAround(async (document, send) => {
      const answer = await send();
      if (!lost && document.includes("transactionVoid(")) {
        lost = true;
        throw new ShopifyApiError("Shopify is unavailable: the connection was reset", true);
      }
      return answer;
    });
    const first = await requestMoneyAction(ask(paid, { kind: "void", api: losingApi }));
    expect(first).toMatchObject({ ok: false, action: { status: "requested" } });
    const retry = await requestMoneyAction(ask(paid, { kind: "void" }));
    expect(retry).toMatchObject({ ok: true, action: { status: "accepted" } });
    await settle();
    expect(orderNow(paid).transactions.filter((t) => t.kind === "VOID")).toHaveLength(1);
    expect(callsAtCheckout(paid.ckoPaymentId, "voids")).toHaveLength(1);
  });
});

describe("cancelling an order through Shopify", () => {
  it("cancels for fraud, voids the authorisation and restocks, once", async () => {
    const paid = await paidOrder({ capture: false });
    const before = shopify.store.inventory(shop.domain, "SWTR-M-NVY").available;
    const request = {
      shopId: shop.id,
      paymentId: paid.paymentId,
      requestedBy: "Reviewer <r@example.com>",
      source: "admin" as const,
      intent: "hold:x:cancel",
      restock: true,
      notifyCustomer: false,
    };
    const results = await Promise.all([cancelOrderAndPayment(request), cancelOrderAndPayment(request)]);
    expect(results.every((r) => r.ok)).toBe(true);
    await settle();
    const order = orderNow(paid);
    expect(order.cancelReason).toBe("FRAUD");
    expect(order.cancellation).toMatchObject({ refund: true, restock: true, notifyCustomer: false });
    expect(order.transactions.filter((t) => t.kind === "VOID")).toHaveLength(1);
    expect(shopify.store.inventory(shop.domain, "SWTR-M-NVY").available).toBe(before + 1);
    expect(callsAtCheckout(paid.ckoPaymentId, "voids")).toHaveLength(1);
    expect(await db().moneyAction.findMany({ where: { paymentId: paid.paymentId } })).toMatchObject([
      { kind: "void", via: "shopify", cancelOrder: true, status: "succeeded" },
    ]);
    expect(await cancelOrderAndPayment(request)).toMatchObject({ ok: true, repeated: true });
    expect(callsAtCheckout(paid.ckoPaymentId, "voids")).toHaveLength(1);
  });

  it("cancels a captured order and refunds it through Shopify", async () => {
    const paid = await paidOrder({ capture: true });
    const result = await cancelOrderAndPayment({
      shopId: shop.id,
      paymentId: paid.paymentId,
      requestedBy: "Reviewer <r@example.com>",
      source: "admin",
      intent: "hold:y:cancel",
      restock: true,
      notifyCustomer: true,
    });
    expect(result).toMatchObject({
      ok: true,
      message: `Order ${paid.order.name} canceled. Shopify refunds USD 118.00 through its Checkout.com payments app.`,
    });
    expect(result.words && say("de", result.words)).toMatch(
      new RegExp(`^Bestellung ${paid.order.name} storniert\\. Shopify erstattet 118,00\\s\\$ über seine Checkout\\.com-Zahlungs-App\\.$`),
    );
    await settle();
    expect(
      orderNow(paid)
        .transactions.filter((t) => t.kind === "REFUND")
        .map((t) => t.amount),
    ).toEqual([11_800]);
    expect(checkout.state.payments.get(paid.ckoPaymentId)!.refunded).toBe(11_800);
    expect(shopify.store.notifications.filter((n) => n.orderId === paid.order.id && n.kind === "cancel")).toHaveLength(1);
    expect(await paymentNow(paid)).toMatchObject({ refundedAmount: 11_800 });
  });
});

describe("when Shopify fails", () => {
  it("answers Shopify's words for a refusal and sends nothing to Checkout.com", async () => {
    const paid = await paidOrder();
    // Between our look at the order and our refund, someone refunds it all in the Shopify admin.
    const racingApi = apiAround(async (document, send) => {
      if (document.includes("refundCreate(")) {
        await shopify.graphql(shop.domain, {
          query: REFUND_CREATE_MUTATION,
          variables: {
            key: "admin-full",
            input: {
              orderId: paid.order.id,
              currency: "USD",
              transactions: [{ orderId: paid.order.id, parentId: paid.order.transactions[0].id, amount: "118.00", kind: "REFUND", gateway: "checkout_com" }],
            },
          },
        });
      }
      return send();
    });
    const result = await requestMoneyAction(ask(paid, { amount: 2_000, api: racingApi }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^Shopify refused the refund: /);
    expect(result.ok || result.action?.status).toBe("failed");
    await settle();
    // Only the admin's refund reached Checkout.com.
    expect(callsAtCheckout(paid.ckoPaymentId, "refunds")).toHaveLength(1);
  });

  it("THROTTLED and 503 answers are retried or reported; a retry with the same key refunds once", async () => {
    const paid = await paidOrder();
    shopify.limits.failNext(1, "THROTTLED");
    const throttled = await requestMoneyAction(ask(paid, { amount: 1_000, intent: "throttled" }));
    expect(throttled.ok).toBe(true);
    shopify.limits.failNext(5, 503);
    const unavailable = await requestMoneyAction(ask(paid, { amount: 2_000, intent: "unavailable" }));
    expect(unavailable.ok).toBe(false);
    if (!unavailable.ok) {
      expect(unavailable.message).toMatch(/Shopify is unavailable/);
      // Shopify's words stay as Shopify wrote them, inside ours.
      expect(unavailable.words && say("de", unavailable.words)).toMatch(/Shopify is unavailable.* Versuchen Sie es (gleich )?noch einmal/);
    }
    shopify.limits.clearFaults();
    const retried = await requestMoneyAction(ask(paid, { amount: 2_000, intent: "unavailable" }));
    expect(retried).toMatchObject({ ok: true });
    await settle();
    expect(callsAtCheckout(paid.ckoPaymentId, "refunds")).toHaveLength(2);
    expect((await paymentNow(paid)).refundedAmount).toBe(3_000);
  });

  it("an answer lost in transit: the retry carries the same @idempotent key and Shopify returns the first refund", async () => {
    const paid = await paidOrder();
    let lost = false;
    const losingApi = apiAround(async (document, send) => {
      const answer = await send();
      if (!lost && document.includes("refundCreate(")) {
        lost = true;
        throw new ShopifyApiError("Shopify is unavailable: the connection was reset", true);
      }
      return answer;
    });
    const first = await requestMoneyAction(ask(paid, { amount: 3_000, api: losingApi }));
    expect(first.ok).toBe(false);
    const retry = await requestMoneyAction(ask(paid, { amount: 3_000 }));
    expect(retry).toMatchObject({ ok: true, repeated: true });
    await settle();
    expect(orderNow(paid).refunds).toHaveLength(1);
    expect(callsAtCheckout(paid.ckoPaymentId, "refunds")).toHaveLength(1);
    expect((await paymentNow(paid)).refundedAmount).toBe(3_000);
  });
});

describe("money moved elsewhere", () => {
  it("a refund made in the Shopify admin appears on the timeline as the admin's", async () => {
    const paid = await paidOrder();
    await shopify.graphql(shop.domain, {
      query: REFUND_CREATE_MUTATION,
      variables: {
        key: "admin-refund-2",
        input: {
          orderId: paid.order.id,
          currency: "USD",
          transactions: [{ orderId: paid.order.id, parentId: paid.order.transactions[0].id, amount: "10.00", kind: "REFUND", gateway: "checkout_com" }],
        },
      },
    });
    await settle();
    expect((await paymentNow(paid)).refundedAmount).toBe(1_000);
    const entry = await db().paymentActivity.findFirstOrThrow({ where: { paymentId: paid.paymentId, type: "refund_elsewhere" } });
    expect(entry.summary).toBe(`A refund of USD 10.00 was made on order ${paid.order.name} in the Shopify admin, not from this app.`);
    expect(orderNow(paid).note ?? "").not.toMatch(/Checkout.com companion/);
  });

  it("a refund made on Checkout.com's dashboard appears on the timeline, and the order gets a note once", async () => {
    const paid = await paidOrder();
    const response = await fetch(`${checkout.url}/payments/${paid.ckoPaymentId}/refunds`, {
      method: "POST",
      headers: { Authorization: `Bearer ${NAS_SANDBOX_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ amount: 1_500, reference: "dashboard" }),
    });
    expect(response.status).toBe(202);
    await settle();
    const entry = await db().paymentActivity.findFirstOrThrow({ where: { paymentId: paid.paymentId, type: "refund_elsewhere" } });
    expect(entry.summary).toBe(
      `A refund of USD 15.00 was made outside Shopify (on Checkout.com's dashboard or through its API); a note was added to order ${paid.order.name}.`,
    );
    const note = orderNow(paid).note ?? "";
    expect(note).toMatch(/^Checkout.com companion: A refund of USD 15.00 \(act_\w+\) was made at Checkout.com outside Shopify/);
    // The worker running the note job again (a retry) adds nothing.
    await db().job.updateMany({ where: { shopId: shop.id, kind: "order_note" }, data: { status: "pending", runAt: new Date(0) } });
    await settle();
    expect(orderNow(paid).note).toBe(note);
  });
});

describe("a refund made at Checkout.com, recorded on the order", () => {
  /** A refund on Checkout.com's dashboard, its webhook applied: the order does not show it. */
  async function dashboardRefund(paid: Paid, amount: number) {
    const response = await fetch(`${checkout.url}/payments/${paid.ckoPaymentId}/refunds`, {
      method: "POST",
      headers: { Authorization: `Bearer ${NAS_SANDBOX_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ amount, reference: "dashboard" }),
    });
    expect(response.status).toBe(202);
    await settle();
  }
  const record = (paid: Paid, amount: number, check?: RecordRefundRequest["check"]) =>
    recordRefundOnOrder({
      shopId: shop.id,
      paymentId: paid.paymentId,
      amount,
      requestedBy: "Finance Person <finance@example.com>",
      source: "admin",
      intent: `test:record:${paid.paymentId}:${amount}`,
      check,
    });

  it("writes it down on the manual gateway once: the order's refunded total moves, no money moves, nobody is emailed", async () => {
    const paid = await paidOrder();
    await dashboardRefund(paid, 1_500);
    const notified = shopify.store.notifications.length;

    const result = await record(paid, 1_500);
    expect(result).toMatchObject({ ok: true, repeated: false, action: { kind: "record_refund", via: "shopify", status: "succeeded", amount: 1_500 } });
    const refunds = orderNow(paid).transactions.filter((t) => t.kind === "REFUND");
    expect(refunds.map((t) => [t.gateway, t.status, t.amount, t.parentId])).toEqual([["manual", "SUCCESS", 1_500, null]]);
    expect(result.ok && result.action.shopifyTransactionId).toBe(refunds[0].id);
    expect(orderNow(paid).refunds.at(-1)?.note).toBe("Refunded at Checkout.com, outside Shopify (recorded by Finance Person <finance@example.com>)");
    expect(await recordedRefunds(shop.id, [paid.paymentId])).toEqual(new Map([[paid.paymentId, { transactionIds: new Set([refunds[0].id]), amount: 1_500 }]]));

    const again = await record(paid, 1_500);
    expect(again).toMatchObject({ ok: true, repeated: true });
    await settle();
    expect(orderNow(paid).transactions.filter((t) => t.kind === "REFUND")).toHaveLength(1);
    // Only the dashboard's refund reached Checkout.com; the customer got no email about the record.
    expect(callsAtCheckout(paid.ckoPaymentId, "refunds")).toHaveLength(1);
    expect(checkout.state.payments.get(paid.ckoPaymentId)!.refunded).toBe(1_500);
    expect(shopify.store.notifications.length).toBe(notified);
    const audited = await db().auditLog.findFirstOrThrow({ where: { shopId: shop.id, action: "payment.record_refund", paymentId: paid.paymentId } });
    expect(audited).toMatchObject({ result: "ok", actor: "Finance Person <finance@example.com>" });
  });

  it("refuses when the caller's check says the order no longer misses it, writing nothing", async () => {
    const paid = await paidOrder();
    await dashboardRefund(paid, 1_500);
    const result = await record(paid, 1_500, async () => "The order already shows Checkout.com's refunds of this payment.");
    expect(result).toMatchObject({ ok: false, message: "The order already shows Checkout.com's refunds of this payment." });
    expect(orderNow(paid).transactions.filter((t) => t.kind === "REFUND")).toEqual([]);
    expect(await db().moneyAction.count({ where: { paymentId: paid.paymentId } })).toBe(0);
  });
});

describe("payments whose money did not go through Shopify", () => {
  it("are refunded directly at Checkout.com, and the order is told in a note", async () => {
    const stored = checkout.state.createPayment({ amount: 5_000, currency: "USD", capture: true });
    const order = shopify.store.createOrder({ shop: shop.domain, currency: "USD", payment: null, email: "bo@example.com" });
    const payment = await db().payment.create({
      data: { shopId: shop.id, ckoPaymentId: stored.fixture.id, amount: 5_000, currency: "USD", status: "Captured", capturedAmount: 5_000 },
    });
    await db().orderLink.create({
      data: { shopId: shop.id, paymentId: payment.id, orderGid: order.id, orderName: order.name, matchedBy: "email_amount", confidence: "weak" },
    });
    const paid = { order, paymentId: payment.id, ckoPaymentId: stored.fixture.id };
    const plan = await planMoneyActions(shop.id, payment.id);
    expect(plan).toMatchObject({ via: "checkout", directReason: expect.stringContaining(`Order ${order.name} has no Checkout.com transaction in Shopify`) });
    const result = await requestMoneyAction(ask(paid, { amount: 1_000 }));
    expect(result).toMatchObject({ ok: true, action: { via: "checkout", status: "accepted" } });
    await settle();
    expect(orderNow(paid).refunds).toHaveLength(0);
    expect(callsAtCheckout(paid.ckoPaymentId, "refunds")).toHaveLength(1);
    expect(orderNow(paid).note).toMatch(/Refund of USD 10.00 made directly at Checkout.com by Finance Person/);
    expect(await db().moneyAction.findFirstOrThrow({ where: { paymentId: payment.id } })).toMatchObject({ status: "succeeded" });
    expect(legacyId(order.id)).toBeTruthy();
  });
});
