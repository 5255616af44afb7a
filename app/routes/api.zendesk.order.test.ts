// The sidebar's Order section and "Cancel order" through their Remix routes: the order read from the
// Shopify stand-in, tenancy by the signed connection, and a cancel that is allowed only when the store
// says so, happens once whatever the clicks, and is audited with the agent who asked.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nasAccount } from "../../test/standins/checkout/testing";
import { paymentFixture } from "../../test/fixtures/checkout-events";
import { useCheckoutStandIn } from "../../test/helpers/checkout-standin";
import { createConnectedShop, createOrderPayment } from "../../test/helpers/factories";
import { startShopifyStandIn } from "../../test/helpers/holds";
import { seedOfflineSession } from "../../test/helpers/session-token";
import { legacyId } from "../../test/standins/shopify/store";
import { AGENT, ZENDESK_SUBDOMAIN, connectZendesk, zendeskRequest, zendeskToken, type ZendeskSetup } from "../../test/helpers/zendesk";
import { db } from "../db.server";
import { actionResultSchema, orderViewSchema, zendeskErrorSchema, zendeskRoutes } from "../zendesk/contract";
import * as cancelRoute from "./api.zendesk.payments.$paymentId.cancel";
import * as orderRoute from "./api.zendesk.payments.$paymentId.order";

type Handler = (args: LoaderFunctionArgs) => Promise<Response>;

async function call(setup: ZendeskSetup, route: { loader: Handler; action: Handler }, paymentId: string, body?: unknown, ticketId = 7) {
  const path = body === undefined ? zendeskRoutes.order(paymentId) : zendeskRoutes.cancelOrder(paymentId);
  const request = zendeskRequest(path, await zendeskToken(setup, { ticketId }), { body });
  const response = await (body === undefined ? route.loader : route.action)({ request, params: { paymentId }, context: {} });
  return { status: response.status, body: (await response.json()) as unknown };
}

const CLAIMED_AGENT = `${AGENT.agent_name} <${AGENT.agent_email}> (as claimed in Zendesk ${ZENDESK_SUBDOMAIN})`;

const checkout = useCheckoutStandIn({ accounts: [nasAccount()], actionLatencyMs: 5 });
let shopify: ReturnType<typeof startShopifyStandIn>;
beforeAll(() => {
  shopify = startShopifyStandIn();
});
afterAll(() => shopify.close());

/** A shop with a Zendesk connection and an authorised EUR payment whose order was shipped with tracking. */
async function world(options: { allowCancel?: boolean; linked?: boolean; shipped?: boolean } = {}) {
  const { shop } = await createConnectedShop();
  const fixture = paymentFixture({ amount: 6_500, currency: "EUR" });
  checkout().state.createPayment({ account: "shop_a", capture: false, ...fixture });
  shopify.standIn.store.createShop({ domain: shop.domain, currencyCode: "EUR" });
  await seedOfflineSession(shop.domain, { accessToken: shopify.standIn.issueAccessToken(shop.domain).token });
  const order = shopify.standIn.store.createOrder({
    shop: shop.domain,
    currency: "EUR",
    email: "ada@example.com",
    lineItems: [
      { title: "Linen shirt", variantTitle: "M / Blue", price: "25.00", quantity: 2 },
      { title: "Gift wrap", price: "10.00" },
    ],
    shippingPrice: "5.00",
    shippingAddress: { name: "Ada Lovelace", address1: "12 Rue de Rivoli", city: "Paris", province: null, zip: "75001", country: "France" },
    payment: null,
  });
  if (options.shipped !== false)
    shopify.standIn.store.fulfillOrder(order.id, {
      trackingCompany: "DHL",
      trackingNumber: "JD0146000012345",
      trackingUrl: "https://dhl.example/track/JD0146000012345",
    });
  const paymentData = {
    ckoPaymentId: fixture.id,
    amount: fixture.amount,
    currency: "EUR",
    status: "Authorized",
    customerEmail: "ada@example.com",
    cardLast4: "4242",
  };
  const { payment } =
    options.linked === false
      ? { payment: await db().payment.create({ data: { shopId: shop.id, ...paymentData } }) }
      : await createOrderPayment(shop.id, { orderId: Number(legacyId(order.id)), orderName: order.name, payment: paymentData });
  const zendesk = await connectZendesk(shop.id);
  if (options.allowCancel)
    zendesk.connection = await db().zendeskConnection.update({
      where: { id: zendesk.connection.id },
      data: { allowCancel: true },
      include: { refundCaps: true },
    });
  const voidsAtCheckout = () => checkout().requests.filter((r) => r.method === "POST" && r.path === `/payments/${fixture.id}/voids` && r.status === 202);
  return { shop, order, payment, zendesk, ckoId: fixture.id, voidsAtCheckout };
}

describe("GET .../order", () => {
  it("answers the linked order: items, fulfilment with tracking, address, financial status, hold", async () => {
    const w = await world();
    await db().hold.create({
      data: {
        shopId: w.shop.id,
        paymentId: w.payment.id,
        orderGid: w.order.id,
        orderName: w.order.name,
        status: "held",
        externalId: `cko-companion-hold-${w.payment.id}`,
        ruleHits: JSON.stringify([{ rule: "risk_score", value: 91, threshold: 80 }]),
      },
    });
    const { status, body } = await call(w.zendesk, orderRoute, w.ckoId);
    expect(status).toBe(200);
    const view = orderViewSchema.parse(body);
    expect(view.missing).toBeNull();
    expect(view.canCancel).toBe(false);
    expect(view.order).toMatchObject({
      name: w.order.name,
      cancelledAt: null,
      fulfillmentStatus: "FULFILLED",
      total: { amount: 6_500, currency: "EUR" },
      lineItems: [
        { title: "Linen shirt", variantTitle: "M / Blue", quantity: 2, unitPrice: { amount: 2_500, currency: "EUR" } },
        { title: "Gift wrap", variantTitle: null, quantity: 1, unitPrice: { amount: 1_000, currency: "EUR" } },
      ],
      moreLineItems: false,
      shippingAddress: { name: "Ada Lovelace", lines: ["12 Rue de Rivoli", "75001 Paris"], country: "France" },
    });
    expect(view.order!.financialStatus).toEqual(expect.any(String));
    expect(view.order!.fulfillments).toEqual([
      expect.objectContaining({ tracking: [{ company: "DHL", number: "JD0146000012345", url: "https://dhl.example/track/JD0146000012345" }] }),
    ]);
    expect(view.hold).toEqual({ status: "held", reasons: [expect.stringMatching(/91/)] });
    // Nothing about the card reaches the sidebar through the order.
    expect(JSON.stringify(body)).not.toMatch(/4242|card/i);
  });

  it("drops a tracking link that is not a web address", async () => {
    const w = await world({ shipped: false });
    shopify.standIn.store.fulfillOrder(w.order.id, { trackingNumber: "X1", trackingUrl: "javascript:alert(1)" });
    const view = orderViewSchema.parse((await call(w.zendesk, orderRoute, w.ckoId)).body);
    expect(view.order!.fulfillments[0].tracking).toEqual([{ company: null, number: "X1", url: null }]);
  });

  it("says so when no order is linked to the payment", async () => {
    const w = await world({ linked: false, allowCancel: true });
    const { status, body } = await call(w.zendesk, orderRoute, w.ckoId);
    expect(status).toBe(200);
    expect(orderViewSchema.parse(body)).toEqual({ missing: "not_linked", order: null, hold: null, canCancel: true });
  });

  it("does not show shop B's payment to shop A's connection", async () => {
    const a = await world();
    const b = await world();
    const { status, body } = await call(a.zendesk, orderRoute, b.ckoId);
    expect(status).toBe(404);
    expect(zendeskErrorSchema.parse(body).error.code).toBe("not_found");
  });
});

describe("POST .../cancel", () => {
  const cancel = { ticketId: 7, reason: "Customer asked to cancel", restock: true, notifyCustomer: true };

  it("is refused with 403 (and audited) when the store does not allow it", async () => {
    const w = await world();
    const { status, body } = await call(w.zendesk, cancelRoute, w.ckoId, cancel);
    expect(status).toBe(403);
    expect(zendeskErrorSchema.parse(body).error.code).toBe("forbidden");
    expect(shopify.standIn.store.requireOrder(w.order.id).cancelledAt).toBeNull();
    expect(w.voidsAtCheckout()).toHaveLength(0);
    expect(await db().auditLog.count({ where: { shopId: w.shop.id, action: "order.cancel", result: "error", actor: CLAIMED_AGENT } })).toBe(1);
  });

  it("cancels the order and voids the payment once; a double click is replayed; audited with the agent", async () => {
    const w = await world({ allowCancel: true, shipped: false });
    const [first, second] = await Promise.all([call(w.zendesk, cancelRoute, w.ckoId, cancel), call(w.zendesk, cancelRoute, w.ckoId, cancel)]);
    const results = [first, second].map((r) => actionResultSchema.parse(r.body));
    expect(results.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(results[0]).toMatchObject({ action: "cancel", paymentId: w.ckoId, amount: 6_500, currency: "EUR" });
    expect(w.voidsAtCheckout()).toHaveLength(1);
    const canceled = shopify.standIn.store.requireOrder(w.order.id);
    expect(canceled.cancelledAt).not.toBeNull();
    expect(canceled.cancellation).toMatchObject({ restock: true, notifyCustomer: true });
    const audited = await db().auditLog.findMany({ where: { shopId: w.shop.id, action: "order.cancel", result: "ok", actor: CLAIMED_AGENT } });
    expect(audited.length).toBeGreaterThanOrEqual(1);
    expect(audited.some((e) => JSON.parse(e.details).claimed?.ticketId === 7)).toBe(true);
    // The sidebar's History shows it.
    expect(await db().paymentActivity.count({ where: { paymentId: w.payment.id, type: "order_canceled" } })).toBe(1);
    // Asked again later from the same ticket: the first result.
    const again = await call(w.zendesk, cancelRoute, w.ckoId, cancel);
    expect(again.status).toBe(200);
    expect(actionResultSchema.parse(again.body).replayed).toBe(true);
  });

  it("answers 409 when the order was already canceled (from another ticket, or in Shopify)", async () => {
    const w = await world({ allowCancel: true, shipped: false });
    expect((await call(w.zendesk, cancelRoute, w.ckoId, cancel)).status).toBeLessThan(300);
    const fromAnotherTicket = await call(w.zendesk, cancelRoute, w.ckoId, { ...cancel, ticketId: 8 }, 8);
    expect(fromAnotherTicket.status).toBe(409);
    expect(zendeskErrorSchema.parse(fromAnotherTicket.body).error).toMatchObject({ code: "conflict", message: expect.stringContaining("already canceled") });
    expect(w.voidsAtCheckout()).toHaveLength(1);
  });

  it("marks the app's undecided hold canceled, so the review queue does not offer to release it", async () => {
    const w = await world({ allowCancel: true, shipped: false });
    await db().hold.create({
      data: { shopId: w.shop.id, paymentId: w.payment.id, orderGid: w.order.id, status: "held", externalId: `cko-companion-hold-${w.payment.id}` },
    });
    expect((await call(w.zendesk, cancelRoute, w.ckoId, cancel)).status).toBeLessThan(300);
    expect(await db().hold.findUniqueOrThrow({ where: { paymentId: w.payment.id } })).toMatchObject({ status: "canceled", resolvedBy: CLAIMED_AGENT });
  });

  it("refuses an order with shipped items in words that say what to do, before asking Shopify to cancel", async () => {
    const w = await world({ allowCancel: true });
    const { status, body } = await call(w.zendesk, cancelRoute, w.ckoId, cancel);
    expect(status).toBe(422);
    expect(zendeskErrorSchema.parse(body).error).toMatchObject({ code: "not_cancelable", message: expect.stringContaining("shipped") });
    expect(w.voidsAtCheckout()).toHaveLength(0);
  });

  it("refuses a body signed for another ticket, and a payment with no order", async () => {
    const w = await world({ allowCancel: true, shipped: false });
    expect((await call(w.zendesk, cancelRoute, w.ckoId, { ...cancel, ticketId: 99 })).status).toBe(403);
    const unlinked = await world({ allowCancel: true, linked: false, shipped: false });
    const { status, body } = await call(unlinked.zendesk, cancelRoute, unlinked.ckoId, cancel);
    expect(status).toBe(422);
    expect(zendeskErrorSchema.parse(body).error.code).toBe("not_cancelable");
  });

  it("validates the body with the contract", async () => {
    const w = await world({ allowCancel: true, shipped: false });
    const { status, body } = await call(w.zendesk, cancelRoute, w.ckoId, { ticketId: 7, reason: "" });
    expect(status).toBe(400);
    expect(zendeskErrorSchema.parse(body).error.code).toBe("invalid_request");
  });
});
