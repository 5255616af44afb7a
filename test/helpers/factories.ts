// Small builders for test data. Each returns what it created.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { saveConnection } from "../../app/checkout/connection.server";
import { db } from "../../app/db.server";
import { ensureShop } from "../../app/shops/shop.server";

export const NAS_SANDBOX_KEY = "sk_sbox_" + "abcdefghijklmnopqrstuvwxyz".slice(0, 26) + "2";
export const SIGNATURE_KEY = "whsec-test-signature-key-0001";

export async function createShop(domain = `shop-${randomUUID().slice(0, 8)}.myshopify.com`) {
  return ensureShop(domain);
}

/** A shop with a saved NAS sandbox connection. */
export async function createConnectedShop(domain?: string, overrides: Record<string, string> = {}) {
  const shop = await createShop(domain);
  const result = await saveConnection(
    shop.id,
    {
      accountType: "NAS",
      environment: "sandbox",
      subdomain: "abcd1234",
      secretKey: NAS_SANDBOX_KEY,
      signatureKey: SIGNATURE_KEY,
      ...overrides,
    },
    "admin@example.com",
  );
  if (!result.ok) throw new Error(`connection not saved: ${JSON.stringify(result.fieldErrors)}`);
  const connection = await db().checkoutConnection.findFirstOrThrow({ where: { shopId: shop.id } });
  return { shop, connection };
}

let paymentSeq = 0;

/** A Checkout.com payment matched to a Shopify order (Payment + OrderLink). */
export async function createOrderPayment(
  shopId: string,
  options: { orderId?: number; orderName?: string | null; payment?: Partial<Prisma.PaymentUncheckedCreateInput> } = {},
) {
  paymentSeq += 1;
  const orderId = options.orderId ?? 450_789_000 + paymentSeq;
  const payment = await db().payment.create({
    data: {
      shopId,
      ckoPaymentId: `pay_${randomUUID().replaceAll("-", "").slice(0, 26)}`,
      amount: 12_345,
      currency: "USD",
      status: "Authorized",
      matchStatus: "matched",
      ...options.payment,
    },
  });
  const orderLink = await db().orderLink.create({
    data: {
      shopId,
      paymentId: payment.id,
      orderGid: `gid://shopify/Order/${orderId}`,
      orderName: options.orderName === undefined ? `#${1000 + paymentSeq}` : options.orderName,
      matchedBy: "reference_name",
      confidence: "strong",
    },
  });
  return { payment, orderLink, orderId };
}
