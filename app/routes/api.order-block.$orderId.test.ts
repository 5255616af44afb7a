// The order block's data route: a verified admin session token, one shop's rows only.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { createOrderPayment, createShop } from "../../test/helpers/factories";
import { callAction } from "../../test/helpers/shopify";
import { extensionRequest, seedOfflineSession, seedStaff, sessionToken } from "../../test/helpers/session-token";
import { loader } from "./api.order-block.$orderId";

const SHARED_ORDER = 5_550_001; // both shops hold a row for this id; each must see only its own
let shopA: string;
let shopB: string;
let orderA: number;
let orderB: number;

const get = async (shop: string, orderId: string | number, init: Parameters<typeof extensionRequest>[2] = {}) =>
  callAction(loader, extensionRequest(`/api/order-block/${orderId}`, shop, init), { orderId: String(orderId) });

beforeAll(async () => {
  const a = await createShop("block-a.myshopify.com");
  const b = await createShop("block-b.myshopify.com");
  shopA = a.domain;
  shopB = b.domain;
  await seedOfflineSession(shopA);
  await seedStaff(shopA, { userId: 74_000_001 });
  await seedOfflineSession(shopB);
  await seedStaff(shopB, { userId: 74_000_001 });

  const flagged = await createOrderPayment(a.id, {
    payment: { riskScore: 91, riskFlagged: true, cvvCheck: "N", capturedAmount: 12_345 },
  });
  orderA = flagged.orderId;
  await db().hold.create({
    data: {
      shopId: a.id,
      paymentId: flagged.payment.id,
      orderGid: flagged.orderLink.orderGid,
      status: "held",
      ruleHits: JSON.stringify([
        { rule: "risk_score", value: 91, threshold: 70 },
        { rule: "deny_card_fingerprint", value: "fp_0123456789abcdef0123456789", threshold: "fp_0123456789abcdef0123456789" },
      ]),
      externalId: `hold-${flagged.payment.id}`,
    },
  });
  await db().dispute.create({
    data: {
      shopId: a.id,
      ckoDisputeId: "dsp_block_a",
      paymentId: flagged.payment.id,
      ckoPaymentId: flagged.payment.ckoPaymentId,
      category: "fraudulent",
      amount: 12_345,
      currency: "USD",
      status: "evidence_required",
      evidenceRequiredBy: new Date("2030-01-02T03:04:05Z"),
    },
  });
  await createOrderPayment(a.id, {
    orderId: SHARED_ORDER,
    payment: { ckoPaymentId: "pay_shop_a_shared", status: "Declined", responseCode: "20051", declineClass: "soft" },
  });

  orderB = (await createOrderPayment(b.id, { payment: { ckoPaymentId: "pay_shop_b_secret", amount: 777 } })).orderId;
  await createOrderPayment(b.id, { orderId: SHARED_ORDER, payment: { ckoPaymentId: "pay_shop_b_shared" } });
});

describe("GET /api/order-block/:orderId", () => {
  it("answers the shop's order with payment, risk, hold and dispute, readable cross-origin", async () => {
    const response = await get(shopA, orderA);
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const body = await response.json();
    expect(body.orderGid).toBe(`gid://shopify/Order/${orderA}`);
    expect(body.payments).toHaveLength(1);
    const [payment] = body.payments;
    expect(payment).toMatchObject({
      status: "Authorized",
      amount: 12_345,
      currency: "USD",
      capturedAmount: 12_345,
      riskScore: 91,
      // Codes and figures, not sentences: the block says them in the staff member's language.
      riskFlags: ["flagged", "cvv_no_match"],
      decline: null,
      hold: {
        status: "held",
        ruleHits: [
          { rule: "risk_score", value: 91, threshold: 70 },
          // No more of the card's fingerprint than the hold's description names.
          { rule: "deny_card_fingerprint", value: "fp_012345678", threshold: "fp_012345678" },
        ],
      },
    });
    expect(payment.disputes).toEqual([
      expect.objectContaining({
        ckoDisputeId: "dsp_block_a",
        status: "evidence_required",
        category: "fraudulent",
        evidenceRequiredBy: "2030-01-02T03:04:05.000Z",
      }),
    ]);
  });

  it("explains a declined payment by its class and response code", async () => {
    const body = await (await get(shopA, SHARED_ORDER)).json();
    expect(body.payments).toEqual([
      expect.objectContaining({ ckoPaymentId: "pay_shop_a_shared", decline: { class: "soft", reason: { kind: "code", code: "20051" } } }),
    ]);
  });

  it("never shows another shop's order: 404 with nothing of it in the body", async () => {
    const response = await get(shopA, orderB);
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).not.toContain("pay_shop_b_secret");
    expect(JSON.parse(text)).toEqual({ error: "No Checkout.com payment is linked to this order." });

    expect((await get(shopB, orderA)).status).toBe(404);
  });

  it("scopes by shop even when both shops hold a row for the same order id", async () => {
    const a = await (await get(shopA, SHARED_ORDER)).json();
    const b = await (await get(shopB, SHARED_ORDER)).json();
    expect(a.payments.map((p: { ckoPaymentId: string }) => p.ckoPaymentId)).toEqual(["pay_shop_a_shared"]);
    expect(b.payments.map((p: { ckoPaymentId: string }) => p.ckoPaymentId)).toEqual(["pay_shop_b_shared"]);
  });

  it("refuses a token not signed with the app secret, or expired, without data", async () => {
    const forged = await get(shopA, orderA, { token: sessionToken(shopA, { apiSecret: "not-the-app-secret-000000000000" }) });
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toContain("pay_");

    const expired = await get(shopA, orderA, { token: sessionToken(shopA, { lifetime: -60 }) });
    expect(expired.status).toBe(401);
  });

  it("tells Home's setup checklist the block is in use when it answers with a payment, and not on a 404", async () => {
    const seenAt = async (domain: string) =>
      (await db().shopSettings.findFirst({ where: { shop: { domain } }, select: { orderBlockSeenAt: true } }))?.orderBlockSeenAt ?? null;
    await db().shopSettings.updateMany({ where: { shop: { domain: { in: [shopA, shopB] } } }, data: { orderBlockSeenAt: null } });
    expect((await get(shopA, orderB)).status).toBe(404);
    expect(await seenAt(shopA)).toBeNull();
    expect((await get(shopA, orderA)).status).toBe(200);
    expect(await seenAt(shopA)).not.toBeNull();
    expect(await seenAt(shopB)).toBeNull();
  });

  it("refuses an order id that is not numeric", async () => {
    const response = await get(shopA, "gid%3A%2F%2Fshopify%2FOrder%2F1");
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/numeric id/);
  });

  it("answers the CORS preflight the extension sandbox sends", async () => {
    const request = new Request(`https://cko-companion.test/api/order-block/${orderA}`, {
      method: "OPTIONS",
      headers: { Origin: "https://extensions.shopifycdn.com", "Access-Control-Request-Headers": "authorization" },
    });
    const response = await callAction(loader, request, { orderId: String(orderA) });
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
  });
});
