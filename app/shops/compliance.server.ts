// Shopify's mandatory privacy webhooks. What this app stores about a customer: Checkout.com payment
// records (email, name, IP, card BIN/last4/fingerprint, countries), their raw webhook payloads and
// timeline details, hold notes, dispute evidence, audit details and deny-list entries.
import { z } from "zod";
import { db } from "../db.server";
import { log } from "../log.server";

const customerSchema = z.object({
  id: z.union([z.number(), z.string()]).optional().nullable(),
  email: z.string().optional().nullable(),
  phone: z.string().optional().nullable(),
});

export const dataRequestSchema = z.object({
  shop_domain: z.string(),
  customer: customerSchema,
  orders_requested: z.array(z.union([z.number(), z.string()])).default([]),
  data_request: z.object({ id: z.union([z.number(), z.string()]) }).optional(),
});

export const customerRedactSchema = z.object({
  shop_domain: z.string(),
  customer: customerSchema,
  orders_to_redact: z.array(z.union([z.number(), z.string()])).default([]),
});

const orderGid = (id: number | string) => (String(id).startsWith("gid://") ? String(id) : `gid://shopify/Order/${id}`);

/** The payments of one customer in one shop: by email, or linked to one of the given orders. */
async function customerPayments(shopId: string, email: string | null | undefined, orderIds: Array<number | string>) {
  const gids = orderIds.map(orderGid);
  return db().payment.findMany({
    where: {
      shopId,
      OR: [
        ...(email ? [{ customerEmail: { equals: email.toLowerCase() } }, { customerEmail: { equals: email } }] : []),
        ...(gids.length ? [{ orderLink: { orderGid: { in: gids } } }] : []),
      ],
    },
    select: { id: true, ckoPaymentId: true },
  });
}

export async function reportCustomerData(shopDomain: string, payload: unknown) {
  const request = dataRequestSchema.parse(payload);
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) {
    log.info("compliance.data_request", { shop: shopDomain, held: "nothing (shop not installed)" });
    return { payments: 0 };
  }
  const payments = await customerPayments(shop.id, request.customer.email, request.orders_requested);
  const paymentIds = payments.map((p) => p.id);
  const [events, holds, disputes, audit, listEntries] = await Promise.all([
    db().webhookEvent.count({ where: { shopId: shop.id, ckoPaymentId: { in: payments.map((p) => p.ckoPaymentId) } } }),
    db().hold.count({ where: { shopId: shop.id, paymentId: { in: paymentIds } } }),
    db().dispute.count({ where: { shopId: shop.id, paymentId: { in: paymentIds } } }),
    db().auditLog.count({ where: { shopId: shop.id, paymentId: { in: paymentIds } } }),
    request.customer.email
      ? db().listEntry.count({ where: { shopId: shop.id, kind: "email", value: request.customer.email.toLowerCase() } })
      : 0,
  ]);
  const summary = {
    shop: shopDomain,
    dataRequestId: request.data_request?.id,
    customerId: request.customer.id,
    payments: payments.map((p) => p.ckoPaymentId),
    webhookEvents: events,
    holds,
    disputes,
    auditEntries: audit,
    listEntries,
  };
  log.info("compliance.data_request", summary);
  return summary;
}

const REDACTED = "[redacted]";

export async function redactCustomer(shopDomain: string, payload: unknown) {
  const request = customerRedactSchema.parse(payload);
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return { payments: 0 };
  const payments = await customerPayments(shop.id, request.customer.email, request.orders_to_redact);
  const ids = payments.map((p) => p.id);
  const ckoIds = payments.map((p) => p.ckoPaymentId);
  await db().$transaction(async (tx) => {
    await tx.payment.updateMany({
      where: { shopId: shop.id, id: { in: ids } },
      data: {
        customerEmail: null,
        customerName: null,
        ckoCustomerId: null,
        ipAddress: null,
        cardBin: null,
        cardLast4: null,
        cardFingerprint: null,
        billingCountry: null,
        shippingCountry: null,
        threeDs: null,
      },
    });
    // Raw payloads keep only what the app needs to stay consistent: id, type and payment id.
    const events = await tx.webhookEvent.findMany({
      where: { shopId: shop.id, ckoPaymentId: { in: ckoIds } },
      select: { id: true, eventId: true, type: true, ckoPaymentId: true },
    });
    for (const e of events) {
      await tx.webhookEvent.update({
        where: { id: e.id },
        data: { payload: JSON.stringify({ id: e.eventId, type: e.type, data: { id: e.ckoPaymentId }, redacted: true }) },
      });
    }
    await tx.paymentActivity.updateMany({ where: { shopId: shop.id, paymentId: { in: ids } }, data: { details: "{}" } });
    await tx.hold.updateMany({ where: { shopId: shop.id, paymentId: { in: ids } }, data: { note: null, ruleHits: "[]" } });
    await tx.auditLog.updateMany({ where: { shopId: shop.id, paymentId: { in: ids } }, data: { details: JSON.stringify({ redacted: true }) } });
    const disputes = await tx.dispute.findMany({ where: { shopId: shop.id, paymentId: { in: ids } }, select: { id: true } });
    await tx.dispute.updateMany({ where: { id: { in: disputes.map((d) => d.id) } }, data: { evidenceDraft: "{}" } });
    await tx.evidenceFile.deleteMany({ where: { shopId: shop.id, disputeId: { in: disputes.map((d) => d.id) } } });
    if (request.customer.email) {
      await tx.listEntry.deleteMany({ where: { shopId: shop.id, kind: "email", value: request.customer.email.toLowerCase() } });
    }
  });
  log.info("compliance.customers_redact", { shop: shopDomain, customerId: request.customer.id, payments: ckoIds.length, value: REDACTED });
  return { payments: ids.length };
}

/** shop/redact (48 hours after uninstall): everything this app holds for the shop goes. */
export async function redactShop(shopDomain: string) {
  const [shops, sessions] = await db().$transaction([
    db().shop.deleteMany({ where: { domain: shopDomain } }),
    db().session.deleteMany({ where: { shop: shopDomain } }),
  ]);
  log.info("compliance.shop_redact", { shop: shopDomain, shopsDeleted: shops.count, sessionsDeleted: sessions.count });
  return { deleted: shops.count > 0 };
}
