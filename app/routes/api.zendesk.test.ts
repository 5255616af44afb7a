// The /api/zendesk/* routes through their Remix handlers, with tokens signed like Zendesk's proxy
// signs them and money moving at the Checkout.com stand-in: who may call, what they may see, and
// what they may do (the shop's settings, not the claims), once per request however often it is sent.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nasAccount, otherNasAccount, OTHER_NAS_KEY } from "../../test/standins/checkout/testing";
import { paymentFixture } from "../../test/fixtures/checkout-events";
import { useCheckoutStandIn } from "../../test/helpers/checkout-standin";
import { createConnectedShop, createOrderPayment } from "../../test/helpers/factories";
import { startShopifyStandIn } from "../../test/helpers/holds";
import { seedOfflineSession } from "../../test/helpers/session-token";
import { legacyId } from "../../test/standins/shopify/store";
import { AGENT, ZENDESK_SUBDOMAIN, connectZendesk, zendeskRequest, zendeskToken, type TokenOptions, type ZendeskSetup } from "../../test/helpers/zendesk";
import { db } from "../db.server";
import { revokeZendeskConnection, rotateZendeskSecret } from "../zendesk/connections.server";
import { actionResultSchema, lookupResponseSchema, paymentTimelineSchema, zendeskErrorSchema, zendeskRoutes, type ZendeskError } from "../zendesk/contract";
import * as lookupRoute from "./api.zendesk.lookup";
import * as paymentRoute from "./api.zendesk.payments.$paymentId";
import * as evidenceRoute from "./api.zendesk.payments.$paymentId.evidence";
import * as refundRoute from "./api.zendesk.payments.$paymentId.refund";
import * as voidRoute from "./api.zendesk.payments.$paymentId.void";

type Handler = (args: LoaderFunctionArgs) => Promise<Response>;
const ACTIONS: Record<string, { action: Handler; loader: Handler }> = { refund: refundRoute, void: voidRoute, evidence: evidenceRoute };

/** Sends the request to the route the path names, as Remix would. */
async function send(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  const post = request.method === "POST";
  if (path === zendeskRoutes.lookup) return (post ? lookupRoute.action : lookupRoute.loader)({ request, params: {}, context: {} });
  const match = /^\/api\/zendesk\/payments\/([^/]+)(?:\/(\w+))?$/.exec(path);
  if (!match) throw new Error(`no route for ${path}`);
  const params = { paymentId: decodeURIComponent(match[1]) };
  const route = match[2] ? ACTIONS[match[2]] : paymentRoute;
  return (post ? route.action : route.loader)({ request, params, context: {} });
}

async function call(setup: ZendeskSetup, path: string, body?: unknown, token?: TokenOptions) {
  const response = await send(zendeskRequest(path, await zendeskToken(setup, token), { body }));
  return { status: response.status, body: (await response.json()) as any };
}

const errorOf = (body: unknown): ZendeskError["error"] => zendeskErrorSchema.parse(body).error;

const checkout = useCheckoutStandIn({ accounts: [nasAccount(), otherNasAccount()], actionLatencyMs: 5 });
// Shopify holds each payment's order, but without a Checkout.com transaction on it (paid outside
// Shopify's checkout): money goes straight to Checkout.com, which these tests watch. The path through
// Shopify is tested in app/money.
let shopify: ReturnType<typeof startShopifyStandIn>;
beforeAll(() => {
  shopify = startShopifyStandIn();
});
afterAll(() => shopify.close());

interface WorldOptions {
  capture?: boolean;
  amount?: number;
  permissions?: Parameters<typeof connectZendesk>[1];
  /** The other Checkout.com account (shop B). */
  otherAccount?: boolean;
}

/** A shop with a Zendesk connection and a EUR payment known to both the stand-in and our database. */
async function world(options: WorldOptions = {}) {
  const { shop } = await createConnectedShop(undefined, options.otherAccount ? { secretKey: OTHER_NAS_KEY } : {});
  const fixture = paymentFixture({ amount: options.amount ?? 10_000, currency: "EUR" });
  const captured = options.capture !== false;
  checkout().state.createPayment({ account: options.otherAccount ? "shop_b" : "shop_a", capture: captured, ...fixture });
  shopify.standIn.store.createShop({ domain: shop.domain, currencyCode: "EUR" });
  await seedOfflineSession(shop.domain, { accessToken: shopify.standIn.issueAccessToken(shop.domain).token });
  const order = shopify.standIn.store.createOrder({ shop: shop.domain, currency: "EUR", email: "ada@example.com", payment: null });
  const { payment, orderLink } = await createOrderPayment(shop.id, {
    orderId: Number(legacyId(order.id)),
    orderName: order.name,
    payment: {
      ckoPaymentId: fixture.id,
      amount: fixture.amount,
      currency: "EUR",
      status: captured ? "Captured" : "Authorized",
      capturedAmount: captured ? fixture.amount : 0,
      customerEmail: "ada@example.com",
      customerName: "Ada Lovelace",
      cardLast4: "4242",
    },
  });
  const zendesk = await connectZendesk(shop.id, options.permissions);
  const refundsAtCheckout = () => checkout().requests.filter((r) => r.method === "POST" && r.path === `/payments/${fixture.id}/refunds` && r.status === 202);
  const voidsAtCheckout = () => checkout().requests.filter((r) => r.method === "POST" && r.path === `/payments/${fixture.id}/voids` && r.status === 202);
  return { shop, payment, orderLink, zendesk, ckoId: fixture.id, refundsAtCheckout, voidsAtCheckout };
}

const refund = (amount: number, overrides: Record<string, unknown> = {}) => ({
  ticketId: 7,
  amount,
  currency: "EUR",
  reason: "Duplicate charge",
  ...overrides,
});

describe("who may call", () => {
  it("answers a valid token with the shop's payment, in the contract's shape", async () => {
    const w = await world();
    const { status, body } = await call(w.zendesk, zendeskRoutes.payment(w.ckoId));
    expect(status).toBe(200);
    const timeline = paymentTimelineSchema.parse(body);
    expect(timeline.payment).toMatchObject({
      paymentId: w.ckoId,
      state: "captured",
      refundableAmount: 10_000,
      canVoid: false,
      orderName: w.orderLink.orderName,
    });
  });

  const refusedTokens: Array<[string, (w: Awaited<ReturnType<typeof world>>) => Promise<string | null>]> = [
    ["no token", async () => null],
    ["a token that is not a JWT", async () => "not-a-jwt"],
    ["an expired token", (w) => zendeskToken(w.zendesk, { iat: nowSeconds() - 400, exp: nowSeconds() - 100 })],
    ["a token issued 2 minutes in the future", (w) => zendeskToken(w.zendesk, { iat: nowSeconds() + 120 })],
    ["a token older than its 5 minutes, whatever its exp says", (w) => zendeskToken(w.zendesk, { iat: nowSeconds() - 600, exp: nowSeconds() + 3600 })],
    ["a token without exp", (w) => zendeskToken(w.zendesk, { claims: { exp: undefined } })],
    ["a token signed with another secret", (w) => zendeskToken({ ...w.zendesk, secret: "not-the-shared-secret-0123456789abcdef" })],
    ["an unsigned token (alg none)", (w) => zendeskToken(w.zendesk, { alg: "none" })],
    ["a token signed with the right secret but HS512", (w) => zendeskToken(w.zendesk, { alg: "HS512" })],
    ["a token for an unknown connection", (w) => zendeskToken(w.zendesk, { claims: { connection_id: "00000000-0000-4000-8000-000000000000" } })],
    ["a token for another Zendesk account", (w) => zendeskToken(w.zendesk, { claims: { subdomain: "someone-else" } })],
    ["a token without the agent", (w) => zendeskToken(w.zendesk, { claims: { agent_email: undefined } })],
  ];
  it.each(refusedTokens)("refuses %s with 401", async (_name, makeToken) => {
    const w = await world();
    const response = await send(zendeskRequest(zendeskRoutes.payment(w.ckoId), await makeToken(w)));
    expect(response.status).toBe(401);
    expect(errorOf(await response.json()).code).toBe("unauthorized");
  });

  it("accepts a token issued a little in the future (clock skew under 60 s)", async () => {
    const w = await world();
    expect((await call(w.zendesk, zendeskRoutes.payment(w.ckoId), undefined, { iat: nowSeconds() + 30 })).status).toBe(200);
  });

  it("refuses a revoked connection, and the old secret after a rotation without grace", async () => {
    const w = await world();
    const rotated = await rotateZendeskSecret(w.shop.id, w.zendesk.connection.id, "owner@example.com", { graceHours: "0" });
    if (!rotated.ok) throw new Error(rotated.message);
    expect((await call(w.zendesk, zendeskRoutes.payment(w.ckoId))).status).toBe(401);
    const fresh = { connection: w.zendesk.connection, secret: rotated.secret };
    expect((await call(fresh, zendeskRoutes.payment(w.ckoId))).status).toBe(200);

    expect(await revokeZendeskConnection(w.shop.id, w.zendesk.connection.id, "owner@example.com")).toBe(true);
    const revoked = await call(fresh, zendeskRoutes.payment(w.ckoId));
    expect(revoked.status).toBe(401);
    expect(errorOf(revoked.body).message).toMatch(/revoked/);
  });

  it("gives no CORS headers: only Zendesk's proxy, server-side, calls these routes", async () => {
    const w = await world();
    const response = await send(zendeskRequest(zendeskRoutes.payment(w.ckoId), await zendeskToken(w.zendesk)));
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("one shop's connection cannot see or touch another shop", () => {
  it("answers 404 for shop B's payment, reads nothing and moves no money", async () => {
    const a = await world();
    const b = await world({ otherAccount: true });
    const read = await call(a.zendesk, zendeskRoutes.payment(b.ckoId));
    expect(read.status).toBe(404);
    expect(errorOf(read.body).code).toBe("not_found");

    const refunded = await call(a.zendesk, zendeskRoutes.refund(b.ckoId), refund(1_000));
    expect(refunded.status).toBe(404);
    const voided = await call(a.zendesk, zendeskRoutes.void(b.ckoId), { ticketId: 7 });
    expect(voided.status).toBe(404);
    expect(b.refundsAtCheckout()).toHaveLength(0);
    expect(await db().moneyAction.count({ where: { paymentId: b.payment.id } })).toBe(0);

    const found = await call(a.zendesk, zendeskRoutes.lookup, { ticketId: 7, paymentId: b.ckoId, email: "ada@example.com" });
    const lookup = lookupResponseSchema.parse(found.body);
    expect(lookup.matchedBy).toBe("email");
    expect(lookup.payments.map((p) => p.paymentId)).toEqual([a.ckoId]);
  });

  it("refuses a body whose ticket is not the one the token was signed for", async () => {
    const w = await world();
    const response = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(1_000, { ticketId: 8 }), { ticketId: 7 });
    expect(response.status).toBe(403);
    expect(errorOf(response.body).message).toMatch(/signed for ticket #7, not #8/);
    expect(w.refundsAtCheckout()).toHaveLength(0);
    const lookup = await call(w.zendesk, zendeskRoutes.lookup, { ticketId: 8, email: "ada@example.com" }, { ticketId: 7 });
    expect(lookup.status).toBe(403);
  });
});

describe("lookup", () => {
  it("finds by payment id, by order name with or without #, and by email in any case", async () => {
    const w = await world();
    const name = w.orderLink.orderName!;
    const ask = async (q: Record<string, string>) => lookupResponseSchema.parse((await call(w.zendesk, zendeskRoutes.lookup, { ticketId: 7, ...q })).body);
    expect(await ask({ paymentId: w.ckoId })).toMatchObject({
      matchedBy: "payment_id",
      payments: [{ paymentId: w.ckoId, orderName: name, state: "captured", cardLast4: "4242" }],
    });
    expect((await ask({ orderName: name })).matchedBy).toBe("order_name");
    expect((await ask({ orderName: name.replace("#", "") })).payments.map((p) => p.paymentId)).toEqual([w.ckoId]);
    expect((await ask({ email: "ADA@Example.com" })).payments.map((p) => p.paymentId)).toEqual([w.ckoId]);
    // The payment id wins when it matches; otherwise the next identifier is tried.
    expect((await ask({ paymentId: "pay_unknown0000000000000000", orderName: name })).matchedBy).toBe("order_name");
    expect(await ask({ email: "nobody@example.com" })).toEqual({ matchedBy: null, payments: [] });
  });

  it("finds an unmatched payment by its Checkout.com reference", async () => {
    const w = await world();
    await db().payment.create({
      data: { shopId: w.shop.id, ckoPaymentId: "pay_unmatched0001", reference: "#7777", amount: 500, currency: "EUR", status: "Authorized" },
    });
    const found = lookupResponseSchema.parse((await call(w.zendesk, zendeskRoutes.lookup, { ticketId: 7, orderName: "7777" })).body);
    expect(found.payments.map((p) => p.paymentId)).toEqual(["pay_unmatched0001"]);
  });

  it("lists at most 20 payments of the email, newest first", async () => {
    const w = await world();
    const base = Date.UTC(2026, 0, 1);
    await db().payment.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({
        shopId: w.shop.id,
        ckoPaymentId: `pay_many${String(i).padStart(4, "0")}`,
        amount: 100 + i,
        currency: "EUR",
        status: "Captured",
        customerEmail: "many@example.com",
        createdAt: new Date(base + i * 60_000),
      })),
    });
    const found = lookupResponseSchema.parse((await call(w.zendesk, zendeskRoutes.lookup, { ticketId: 7, email: "many@example.com" })).body);
    expect(found.payments).toHaveLength(20);
    expect(found.payments[0].paymentId).toBe("pay_many0024");
    expect(found.payments[19].paymentId).toBe("pay_many0005");
  });

  it("answers 400 with the reason for a request without any identifier or with bad JSON", async () => {
    const w = await world();
    const empty = await call(w.zendesk, zendeskRoutes.lookup, { ticketId: 7 });
    expect(empty.status).toBe(400);
    expect(errorOf(empty.body)).toMatchObject({ code: "invalid_request", message: expect.stringMatching(/paymentId, an orderName or an email/) });
    const garbled = await send(zendeskRequest(zendeskRoutes.lookup, await zendeskToken(w.zendesk), { body: "{not json" }));
    expect(garbled.status).toBe(400);
    const get = await send(zendeskRequest(zendeskRoutes.lookup, await zendeskToken(w.zendesk)));
    expect(get.status).toBe(405);
  });
});

describe("refunds", () => {
  it("refunds part of the payment once, accepted by Checkout.com, audited with the agent's name", async () => {
    const w = await world();
    const first = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(2_500));
    expect(first.status).toBe(202);
    const result = actionResultSchema.parse(first.body);
    expect(result).toMatchObject({ action: "refund", status: "accepted", amount: 2_500, currency: "EUR", replayed: false });
    expect(result.reference).toMatch(/^act_/);
    expect(checkout().state.payments.get(w.ckoId)!.refunded).toBe(2_500);

    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: w.shop.id, paymentId: w.payment.id, action: "payment.refund", result: "ok" } });
    expect(entry).toMatchObject({
      actor: `${AGENT.agent_name} <${AGENT.agent_email}> (as claimed in Zendesk ${ZENDESK_SUBDOMAIN})`,
      source: "zendesk",
      orderGid: w.orderLink.orderGid,
    });
    expect(JSON.parse(entry.details)).toMatchObject({
      amount: 2_500,
      reason: "Duplicate charge",
      intent: expect.stringContaining(":ticket:7:refund:2500:EUR"),
    });

    const timeline = paymentTimelineSchema.parse((await call(w.zendesk, zendeskRoutes.payment(w.ckoId))).body);
    expect(timeline.payment.refundableAmount).toBe(7_500);
    expect(timeline.entries.at(-1)).toMatchObject({
      type: "refund_requested",
      amount: 2_500,
      actor: `${AGENT.agent_name} <${AGENT.agent_email}> (as claimed in Zendesk ${ZENDESK_SUBDOMAIN})`,
    });
  });

  it("the same refund asked again answers the first result, replayed, and refunds nothing more", async () => {
    const w = await world();
    const first = actionResultSchema.parse((await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(10_000))).body);
    // Everything is refunded now, yet the retry is the first refund, not a refusal.
    const again = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(10_000));
    expect(again.status).toBe(200);
    expect(actionResultSchema.parse(again.body)).toEqual({ ...first, replayed: true });
    expect(w.refundsAtCheckout()).toHaveLength(1);
    expect(checkout().state.payments.get(w.ckoId)!.refunded).toBe(10_000);
  });

  it("a double click (the same refund sent concurrently) makes one refund at Checkout.com", async () => {
    const w = await world();
    const results = await Promise.all([1, 2, 3].map(() => call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(3_000))));
    const bodies = results.map((r) => actionResultSchema.parse(r.body));
    expect(bodies.filter((b) => !b.replayed)).toHaveLength(1);
    expect(new Set(bodies.map((b) => b.reference)).size).toBe(1);
    expect(new Set(w.refundsAtCheckout().map((r) => r.idempotencyKey)).size).toBe(1);
    expect(checkout().state.payments.get(w.ckoId)!.refunded).toBe(3_000);
    expect(await db().moneyAction.count({ where: { paymentId: w.payment.id } })).toBe(1);
  });

  it("refuses more than is refundable with the amount in words, and sends nothing", async () => {
    const w = await world();
    await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(6_000));
    const over = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(5_000));
    expect(over.status).toBe(422);
    expect(errorOf(over.body)).toEqual({ code: "amount_too_large", message: "You can refund at most EUR 40.00 on this payment." });
    expect(w.refundsAtCheckout()).toHaveLength(1);
  });

  it("refuses a refund on a payment that was never captured", async () => {
    const w = await world({ capture: false });
    const response = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(1_000));
    expect(response.status).toBe(422);
    expect(errorOf(response.body)).toMatchObject({ code: "not_refundable", message: expect.stringMatching(/void the authorisation instead/) });
  });

  it("holds Zendesk refunds on one payment to the shop's limit, in total", async () => {
    const w = await world({ permissions: { refundCaps: { EUR: 5_000 } } });
    const timeline = paymentTimelineSchema.parse((await call(w.zendesk, zendeskRoutes.payment(w.ckoId))).body);
    expect(timeline.permissions).toEqual({ refund: true, void: true, submitEvidence: true, maxRefundAmount: 5_000 });

    const over = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(5_001));
    expect(over.status).toBe(422);
    expect(errorOf(over.body)).toMatchObject({ code: "amount_too_large", message: expect.stringMatching(/limited to EUR 50\.00 per payment/) });

    expect((await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(3_000))).status).toBe(202);
    const second = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(3_000, { reason: "Late delivery" }), { ticketId: 8 });
    expect(second.status).toBe(403); // the body says ticket 7: the token is for 8
    const split = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), { ...refund(3_000), ticketId: 8 }, { ticketId: 8 });
    expect(split.status).toBe(422);
    expect(errorOf(split.body).message).toMatch(/EUR 30\.00 was already refunded from Zendesk, so at most EUR 20\.00 is left/);
    const after = paymentTimelineSchema.parse((await call(w.zendesk, zendeskRoutes.payment(w.ckoId))).body);
    expect(after.permissions.maxRefundAmount).toBe(2_000);
    expect(checkout().state.payments.get(w.ckoId)!.refunded).toBe(3_000);
    expect(await db().auditLog.count({ where: { paymentId: w.payment.id, action: "payment.refund", result: "error", source: "zendesk" } })).toBe(2);
  });

  it("keeps the limit when different refunds are asked at the same time", async () => {
    const w = await world({ permissions: { refundCaps: { EUR: 5_000 } } });
    const results = await Promise.all([7, 8].map((ticketId) => call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(3_000, { ticketId }), { ticketId })));
    expect(results.map((r) => r.status).sort()).toEqual([202, 422]);
    expect(checkout().state.payments.get(w.ckoId)!.refunded).toBe(3_000);
  });

  it("refuses with 403 when the shop turned refunds off, whatever the sidebar thinks, and audits it", async () => {
    const w = await world({ permissions: { allowRefunds: false } });
    const response = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(1_000));
    expect(response.status).toBe(403);
    expect(errorOf(response.body)).toMatchObject({ code: "forbidden", message: expect.stringMatching(/does not allow refunds from Zendesk/) });
    expect(w.refundsAtCheckout()).toHaveLength(0);
    const entry = await db().auditLog.findFirstOrThrow({ where: { paymentId: w.payment.id, action: "payment.refund" } });
    expect(entry).toMatchObject({
      result: "error",
      source: "zendesk",
      actor: `${AGENT.agent_name} <${AGENT.agent_email}> (as claimed in Zendesk ${ZENDESK_SUBDOMAIN})`,
    });
    expect(JSON.parse(entry.details)).toMatchObject({
      claimed: { ticketId: 7, agentId: AGENT.agent_id, agentEmail: AGENT.agent_email },
      verified: false,
      code: "forbidden",
    });
  });

  it("refuses another currency than the payment's", async () => {
    const w = await world();
    const response = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(1_000, { currency: "USD" }));
    expect(response.status).toBe(400);
    expect(errorOf(response.body).message).toBe("This payment is in EUR, not USD.");
  });

  it("answers 502 when Checkout.com fails, and a retry refunds once with the same key", async () => {
    const w = await world();
    checkout().faults.set({ status: 503, count: 20, paths: /\/refunds$/ });
    const failed = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(1_000));
    expect(failed.status).toBe(502);
    expect(errorOf(failed.body)).toMatchObject({ code: "upstream_error", message: expect.stringMatching(/will not be made twice/) });
    checkout().faults.clear();
    const retried = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(1_000));
    expect(retried.status).toBe(200);
    expect(actionResultSchema.parse(retried.body)).toMatchObject({ status: "accepted", replayed: true });
    expect(checkout().state.payments.get(w.ckoId)!.refunded).toBe(1_000);
    expect(
      new Set(
        checkout()
          .requests.filter((r) => r.path === `/payments/${w.ckoId}/refunds`)
          .map((r) => r.idempotencyKey),
      ).size,
    ).toBe(1);
  });
});

describe("refund limits are per currency", () => {
  it("refuses a payment in a currency the shop set no limit for: a won cap is not a dollar cap", async () => {
    const w = await world({ permissions: { refundCaps: { KRW: 100_000 } } });
    const timeline = paymentTimelineSchema.parse((await call(w.zendesk, zendeskRoutes.payment(w.ckoId))).body);
    expect(timeline.permissions.maxRefundAmount).toBe(0);
    const refused = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(1_000));
    expect(refused.status).toBe(403);
    expect(errorOf(refused.body)).toMatchObject({ code: "forbidden", message: expect.stringMatching(/no Zendesk refund limit for EUR/) });
    expect(w.refundsAtCheckout()).toHaveLength(0);
    expect(await db().auditLog.count({ where: { paymentId: w.payment.id, action: "payment.refund", result: "error" } })).toBe(1);
  });

  it("applies the payment's own currency's limit, in its minor units", async () => {
    const w = await world({ permissions: { refundCaps: { EUR: 2_500, USD: 1_000_000 } } });
    const over = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(2_501));
    expect(over.status).toBe(422);
    expect(errorOf(over.body).message).toMatch(/limited to EUR 25.00 per payment/);
    expect((await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(2_500))).status).toBe(202);
  });

  it("checks again before resending a request left unsent: refunds turned off or a lower limit meanwhile refuse it", async () => {
    const w = await world();
    checkout().faults.set({ status: 503, count: 20, paths: /\/refunds$/ });
    expect((await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(3_000))).status).toBe(502);
    checkout().faults.clear();
    // The merchant lowers the EUR limit below the refund still waiting to be sent.
    await db().zendeskRefundCap.updateMany({ where: { connectionId: w.zendesk.connection.id, currency: "EUR" }, data: { maxAmount: 2_000 } });
    const lowered = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(3_000));
    expect(lowered.status).toBe(422);
    expect(errorOf(lowered.body).message).toMatch(/limited to EUR 20.00/);
    // ... and turns refunds off.
    await db().zendeskConnection.update({ where: { id: w.zendesk.connection.id }, data: { allowRefunds: false } });
    expect((await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(3_000))).status).toBe(403);
    expect(checkout().state.payments.get(w.ckoId)!.refunded).toBe(0);
    expect(w.refundsAtCheckout()).toHaveLength(0);
  });

  it("answers a request that went out with its first result, whatever changed since", async () => {
    const w = await world();
    expect((await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(3_000))).status).toBe(202);
    await db().zendeskConnection.update({ where: { id: w.zendesk.connection.id }, data: { allowRefunds: false } });
    const again = await call(w.zendesk, zendeskRoutes.refund(w.ckoId), refund(3_000));
    expect(again.status).toBe(200);
    expect(actionResultSchema.parse(again.body).replayed).toBe(true);
    expect(checkout().state.payments.get(w.ckoId)!.refunded).toBe(3_000);
  });
});

describe("voids", () => {
  it("voids an authorised payment once; asking again is replayed", async () => {
    const w = await world({ capture: false });
    expect(paymentTimelineSchema.parse((await call(w.zendesk, zendeskRoutes.payment(w.ckoId))).body).payment.canVoid).toBe(true);
    const first = await call(w.zendesk, zendeskRoutes.void(w.ckoId), { ticketId: 7 });
    expect(first.status).toBe(202);
    expect(actionResultSchema.parse(first.body)).toMatchObject({ action: "void", status: "accepted", amount: 10_000, currency: "EUR", replayed: false });
    const again = await call(w.zendesk, zendeskRoutes.void(w.ckoId), { ticketId: 7 });
    expect(actionResultSchema.parse(again.body).replayed).toBe(true);
    expect(w.voidsAtCheckout()).toHaveLength(1);
    expect(
      await db().auditLog.count({
        where: {
          paymentId: w.payment.id,
          action: "payment.void",
          result: "ok",
          actor: `${AGENT.agent_name} <${AGENT.agent_email}> (as claimed in Zendesk ${ZENDESK_SUBDOMAIN})`,
        },
      }),
    ).toBe(1);
    // A void under way: nothing more to void.
    expect(paymentTimelineSchema.parse((await call(w.zendesk, zendeskRoutes.payment(w.ckoId))).body).payment.canVoid).toBe(false);
  });

  it("refuses to void a captured payment, in words that say what to do", async () => {
    const w = await world();
    const response = await call(w.zendesk, zendeskRoutes.void(w.ckoId), { ticketId: 7 });
    expect(response.status).toBe(422);
    expect(errorOf(response.body)).toEqual({ code: "not_voidable", message: "This payment cannot be voided: it has been captured, so refund it instead." });
    expect(w.voidsAtCheckout()).toHaveLength(0);
  });

  it("refuses with 403 when the shop turned voids off", async () => {
    const w = await world({ capture: false, permissions: { allowVoids: false } });
    const response = await call(w.zendesk, zendeskRoutes.void(w.ckoId), { ticketId: 7 });
    expect(response.status).toBe(403);
    expect(w.voidsAtCheckout()).toHaveLength(0);
  });
});

describe("dispute evidence", () => {
  /** An open dispute at Checkout.com and in our database, its evidence draft complete or not. */
  async function withDispute(options: { complete: boolean; permissions?: WorldOptions["permissions"] }) {
    const w = await world({ permissions: options.permissions });
    const remote = checkout().state.createDispute({ account: "shop_a", paymentId: w.ckoId, category: "product_service_not_received" });
    const types = ["proof_of_delivery_or_service", "customer_communication"];
    const texts = options.complete
      ? {
          proof_of_delivery_or_service_text: "Delivered 8 Jan, signed by A. Lovelace.",
          customer_communication_text: "The customer confirmed receipt by email.",
        }
      : { proof_of_delivery_or_service_text: "Delivered 8 Jan." };
    const dispute = await db().dispute.create({
      data: {
        shopId: w.shop.id,
        ckoDisputeId: remote.fixture.id,
        paymentId: w.payment.id,
        ckoPaymentId: w.ckoId,
        category: "product_service_not_received",
        amount: 10_000,
        currency: "EUR",
        status: "evidence_required",
        evidenceRequiredBy: new Date(Date.now() + 5 * 86_400_000),
        evidenceDraft: JSON.stringify({ texts, files: {}, types }),
        evidenceBuiltAt: new Date(),
      },
    });
    return { ...w, dispute, remote };
  }

  it("shows the open dispute and submits its complete evidence once", async () => {
    const w = await withDispute({ complete: true });
    const timeline = paymentTimelineSchema.parse((await call(w.zendesk, zendeskRoutes.payment(w.ckoId))).body);
    expect(timeline.dispute).toMatchObject({ disputeId: w.remote.fixture.id, isOpen: true, evidenceReady: true, evidenceSubmittedAt: null });
    expect(timeline.entries.map((e) => e.type)).toContain("dispute_opened");

    const first = await call(w.zendesk, zendeskRoutes.evidence(w.ckoId), { ticketId: 7, disputeId: w.remote.fixture.id });
    expect(first.status).toBe(200);
    expect(actionResultSchema.parse(first.body)).toEqual({
      action: "evidence",
      status: "succeeded",
      paymentId: w.ckoId,
      amount: null,
      currency: null,
      reference: w.remote.fixture.id,
      replayed: false,
    });
    const again = await call(w.zendesk, zendeskRoutes.evidence(w.ckoId), { ticketId: 7, disputeId: w.remote.fixture.id });
    expect(actionResultSchema.parse(again.body).replayed).toBe(true);
    const submits = checkout().requests.filter((r) => r.method === "POST" && r.path === `/disputes/${w.remote.fixture.id}/evidence`);
    expect(submits).toHaveLength(1);
    expect(
      await db().auditLog.count({
        where: {
          disputeId: w.dispute.id,
          action: "evidence.submit",
          result: "ok",
          source: "zendesk",
          actor: `${AGENT.agent_name} <${AGENT.agent_email}> (as claimed in Zendesk ${ZENDESK_SUBDOMAIN})`,
        },
      }),
    ).toBe(2);

    const after = paymentTimelineSchema.parse((await call(w.zendesk, zendeskRoutes.payment(w.ckoId))).body);
    expect(after.dispute).toMatchObject({ isOpen: false, evidenceSubmittedAt: expect.any(String) });
    expect(after.entries.find((e) => e.type === "evidence_submitted")).toMatchObject({
      actor: `${AGENT.agent_name} <${AGENT.agent_email}> (as claimed in Zendesk ${ZENDESK_SUBDOMAIN})`,
    });
  });

  it("refuses evidence the store has not finished, saying what is missing", async () => {
    const w = await withDispute({ complete: false });
    expect(paymentTimelineSchema.parse((await call(w.zendesk, zendeskRoutes.payment(w.ckoId))).body).dispute?.evidenceReady).toBe(false);
    const response = await call(w.zendesk, zendeskRoutes.evidence(w.ckoId), { ticketId: 7, disputeId: w.remote.fixture.id });
    expect(response.status).toBe(422);
    expect(errorOf(response.body)).toMatchObject({ code: "evidence_not_ready", message: expect.stringMatching(/missing: customer communication/) });
    expect(checkout().requests.filter((r) => r.path.startsWith(`/disputes/${w.remote.fixture.id}`))).toHaveLength(0);
  });

  it("refuses when the shop turned evidence off, and for a dispute of another payment", async () => {
    const off = await withDispute({ complete: true, permissions: { allowEvidence: false } });
    expect((await call(off.zendesk, zendeskRoutes.evidence(off.ckoId), { ticketId: 7, disputeId: off.remote.fixture.id })).status).toBe(403);
    const other = await world();
    const response = await call(other.zendesk, zendeskRoutes.evidence(other.ckoId), { ticketId: 7, disputeId: off.remote.fixture.id });
    expect(response.status).toBe(404);
  });
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
