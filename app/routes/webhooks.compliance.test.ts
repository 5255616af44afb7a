import { describe, expect, it, vi } from "vitest";
import { db } from "../db.server";
import { log } from "../log.server";
import { createConnectedShop } from "../../test/helpers/factories";
import { callAction, shopifyWebhookRequest } from "../../test/helpers/shopify";
import { action } from "./webhooks.compliance";

async function seedCustomerPayment(shopId: string, email: string, ckoPaymentId: string, orderId: number) {
  const connection = await db().checkoutConnection.findUniqueOrThrow({ where: { shopId } });
  const payment = await db().payment.create({
    data: {
      shopId,
      ckoPaymentId,
      amount: 1000,
      currency: "EUR",
      status: "captured",
      customerEmail: email,
      customerName: "Ada Lovelace",
      ipAddress: "203.0.113.9",
      cardBin: "424242",
      cardLast4: "4242",
      cardFingerprint: "fp_1",
      orderLink: { create: { shopId, orderGid: `gid://shopify/Order/${orderId}`, matchedBy: "reference_name", confidence: "strong" } },
    },
  });
  await db().webhookEvent.create({
    data: {
      shopId,
      connectionId: connection.id,
      eventId: `evt_${ckoPaymentId}`,
      type: "payment_captured",
      ckoPaymentId,
      payload: JSON.stringify({ id: `evt_${ckoPaymentId}`, type: "payment_captured", data: { id: ckoPaymentId, customer: { email } } }),
    },
  });
  return payment;
}

const send = (topic: string, shop: string, payload: unknown, options?: { hmac?: string }) =>
  callAction(action, shopifyWebhookRequest("/webhooks/compliance", topic, shop, payload, options));

describe("compliance webhooks", () => {
  it("answers 401 to a bad HMAC and changes nothing", async () => {
    const { shop } = await createConnectedShop();
    const response = await send("shop/redact", shop.domain, { shop_domain: shop.domain }, { hmac: "bm9wZQ==" });
    expect(response.status).toBe(401);
    expect(await db().shop.count({ where: { id: shop.id } })).toBe(1);
  });

  it("customers/data_request logs what is held for the customer", async () => {
    const { shop } = await createConnectedShop();
    await seedCustomerPayment(shop.id, "ada@example.com", "pay_data1", 1001);
    const info = vi.spyOn(log, "info");
    const response = await send("customers/data_request", shop.domain, {
      shop_id: 1,
      shop_domain: shop.domain,
      orders_requested: [1001],
      customer: { id: 7, email: "ada@example.com", phone: null },
      data_request: { id: 99 },
    });
    expect(response.status).toBe(200);
    expect(info).toHaveBeenCalledWith(
      "compliance.data_request",
      expect.objectContaining({ payments: ["pay_data1"], webhookEvents: 1, dataRequestId: 99 }),
    );
  });

  it("customers/redact removes the customer's data and leaves other customers alone", async () => {
    const { shop } = await createConnectedShop();
    const ada = await seedCustomerPayment(shop.id, "ada@example.com", "pay_ada", 2001);
    const bob = await seedCustomerPayment(shop.id, "bob@example.com", "pay_bob", 2002);
    const response = await send("customers/redact", shop.domain, {
      shop_id: 1,
      shop_domain: shop.domain,
      customer: { id: 7, email: "ada@example.com", phone: null },
      orders_to_redact: [2001],
    });
    expect(response.status).toBe(200);
    const adaAfter = await db().payment.findUniqueOrThrow({ where: { id: ada.id } });
    expect(adaAfter).toMatchObject({ customerEmail: null, customerName: null, ipAddress: null, cardFingerprint: null, amount: 1000 });
    const adaEvent = await db().webhookEvent.findFirstOrThrow({ where: { ckoPaymentId: "pay_ada" } });
    expect(adaEvent.payload).not.toContain("ada@example.com");
    const bobAfter = await db().payment.findUniqueOrThrow({ where: { id: bob.id } });
    expect(bobAfter.customerEmail).toBe("bob@example.com");
  });

  it("shop/redact deletes everything the shop owns, and only that shop", async () => {
    const a = await createConnectedShop();
    const b = await createConnectedShop();
    await seedCustomerPayment(a.shop.id, "x@example.com", "pay_a1", 3001);
    await seedCustomerPayment(b.shop.id, "y@example.com", "pay_b1", 3002);
    const response = await send("shop/redact", a.shop.domain, { shop_id: 1, shop_domain: a.shop.domain });
    expect(response.status).toBe(200);
    expect(await db().shop.count({ where: { id: a.shop.id } })).toBe(0);
    expect(await db().payment.count({ where: { shopId: a.shop.id } })).toBe(0);
    expect(await db().webhookEvent.count({ where: { shopId: a.shop.id } })).toBe(0);
    expect(await db().checkoutConnection.count({ where: { shopId: a.shop.id } })).toBe(0);
    expect(await db().payment.count({ where: { shopId: b.shop.id } })).toBe(1);
  });
});
