// Shopify's mandatory privacy webhooks. What this app stores about a customer: Checkout.com payment
// records (email, name, IP, card BIN/last4/fingerprint, countries), their raw webhook payloads and
// timeline entries (summaries and details), hold notes and rule hits, dispute evidence (texts and
// PDFs), money actions' reasons, audit details, queued jobs, allow/deny list entries and data
// reports; also the email on the shop's indexed orders (app/orders), a copy of Shopify's own order.
// customer-data.server.ts finds them; customers/data_request stores them as a report for the
// merchant (data-reports.server.ts, the Privacy page); customers/redact removes the personal data and
// keeps every row the app needs (ids, amounts, statuses, types, action ids, rule names).
import { z } from "zod";
import { audit } from "../audit/audit.server";
import { db } from "../db.server";
import { log } from "../log.server";
import { countsOf, findCustomerData } from "./customer-data.server";
import { buildReport, deleteReportsAbout, saveDataReport } from "./data-reports.server";
import { markPaymentStale } from "../insights/stale.server";
import { forgetCustomerEmails } from "../orders/order-index.server";
import { emailsOf, scrubJsonText, scrubNullableText, scrubPayload, scrubText } from "./redaction";

const customerSchema = z.object({
  id: z.union([z.number(), z.string()]).optional().nullable(),
  email: z.string().optional().nullable(),
  phone: z.string().optional().nullable(),
});

const dataRequestSchema = z.object({
  shop_domain: z.string(),
  customer: customerSchema,
  orders_requested: z.array(z.union([z.number(), z.string()])).default([]),
  data_request: z.object({ id: z.union([z.number(), z.string()]) }).optional(),
});

const customerRedactSchema = z.object({
  shop_domain: z.string(),
  customer: customerSchema,
  orders_to_redact: z.array(z.union([z.number(), z.string()])).default([]),
});

async function shopOf(domain: string) {
  return db().shop.findUnique({ where: { domain }, select: { id: true, domain: true } });
}

const idText = (id: number | string | null | undefined) => (id === null || id === undefined ? null : String(id));

/** customers/data_request: the report of everything held about the customer, for the merchant (Privacy page). */
export async function reportCustomerData(shopDomain: string, payload: unknown) {
  const request = dataRequestSchema.parse(payload);
  const shop = await shopOf(shopDomain);
  if (!shop) {
    log.info("compliance.data_request", { shop: shopDomain, held: "nothing (shop not installed)" });
    return { payments: [], reportId: null };
  }
  const data = await findCustomerData(shop.id, { email: request.customer.email, phone: request.customer.phone, orderIds: request.orders_requested });
  const reportRequest = {
    shopDomain: shop.domain,
    requestId: idText(request.data_request?.id),
    customerId: idText(request.customer.id),
    email: request.customer.email ?? null,
    phone: request.customer.phone ?? null,
    ordersRequested: request.orders_requested,
  };
  const report = await saveDataReport(shop.id, reportRequest, buildReport(reportRequest, data));
  const counts = countsOf(data);
  await audit({
    shopId: shop.id,
    actor: "Shopify",
    source: "system",
    action: "privacy.data_request",
    details: { reportId: report.id, dataRequestId: reportRequest.requestId, ...counts },
    result: "ok",
  });
  const summary = {
    shop: shopDomain,
    dataRequestId: request.data_request?.id,
    customerId: request.customer.id,
    reportId: report.id,
    ...counts,
    payments: data.payments.map((p) => p.ckoPaymentId),
  };
  log.info("compliance.data_request", summary);
  return summary;
}

/** The evidence draft of a redacted dispute: its chosen evidence types, no texts, no files. */
function emptiedDraft(draft: string): string {
  let types: unknown = [];
  try {
    types = (JSON.parse(draft) as { types?: unknown }).types ?? [];
  } catch {
    // an unreadable draft becomes an empty one
  }
  return JSON.stringify({ texts: {}, files: {}, types: Array.isArray(types) ? types : [] });
}

/** customers/redact: the customer's personal data goes from every row; the rows stay, so totals, statuses and ids still add up. */
export async function redactCustomer(shopDomain: string, payload: unknown) {
  const request = customerRedactSchema.parse(payload);
  const shop = await shopOf(shopDomain);
  if (!shop) return { payments: 0 };
  const shopId = shop.id;
  const result = await db().$transaction(
    async (tx) => {
      const data = await findCustomerData(shopId, { email: request.customer.email, phone: request.customer.phone, orderIds: request.orders_to_redact }, tx);
      const ids = data.identifiers;
      const paymentIds = data.payments.map((p) => p.id);
      const cleared = {
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
      };
      await tx.payment.updateMany({ where: { shopId, id: { in: paymentIds } }, data: cleared });
      for (const p of data.payments) {
        // Insights computes the payment's day (and its hold's and disputes', which show its country) again without her.
        await markPaymentStale(tx, p, cleared);
        const reference = scrubNullableText(p.reference, ids);
        if (reference !== p.reference) await tx.payment.update({ where: { id: p.id }, data: { reference } });
      }
      for (const a of data.activities) {
        const changed = { summary: scrubText(a.summary, ids), details: scrubJsonText(a.details, ids) };
        if (changed.summary !== a.summary || changed.details !== a.details) await tx.paymentActivity.update({ where: { id: a.id }, data: changed });
      }
      for (const e of data.events) {
        const changed = { payload: scrubPayload(e.payload, ids), lastError: scrubNullableText(e.lastError, ids) };
        if (changed.payload !== e.payload || changed.lastError !== e.lastError) await tx.webhookEvent.update({ where: { id: e.id }, data: changed });
      }
      for (const h of data.holds) {
        // The customer's own holds lose their reviewer notes; another payment's hold keeps its note with the customer taken out.
        const own = paymentIds.includes(h.paymentId);
        await tx.hold.update({ where: { id: h.id }, data: { note: own ? null : scrubNullableText(h.note, ids), ruleHits: scrubJsonText(h.ruleHits, ids) } });
      }
      const disputeIds = data.disputes.map((d) => d.id);
      for (const d of data.disputes) {
        await tx.dispute.update({
          where: { id: d.id },
          data: { evidenceDraft: emptiedDraft(d.evidenceDraft), responseError: scrubNullableText(d.responseError, ids) },
        });
      }
      const files = await tx.evidenceFile.deleteMany({ where: { shopId, disputeId: { in: disputeIds } } });
      for (const m of data.moneyActions) {
        const changed = {
          reason: scrubNullableText(m.reason, ids),
          error: scrubNullableText(m.error, ids),
          shopifyInput: m.shopifyInput === null ? null : scrubJsonText(m.shopifyInput, ids),
        };
        if (changed.reason !== m.reason || changed.error !== m.error || changed.shopifyInput !== m.shopifyInput)
          await tx.moneyAction.update({ where: { id: m.id }, data: changed });
      }
      for (const a of data.auditLogs) {
        const changed = { details: scrubJsonText(a.details, ids), error: scrubNullableText(a.error, ids) };
        if (changed.details !== a.details || changed.error !== a.error) await tx.auditLog.update({ where: { id: a.id }, data: changed });
      }
      for (const j of data.jobs) {
        const changed = { payload: scrubJsonText(j.payload, ids), lastError: scrubNullableText(j.lastError, ids) };
        if (changed.payload !== j.payload || changed.lastError !== j.lastError) await tx.job.update({ where: { id: j.id }, data: changed });
      }
      await tx.listEntry.deleteMany({ where: { shopId, id: { in: data.listEntries.map((e) => e.id) } } });
      for (const e of data.listNotes) await tx.listEntry.update({ where: { id: e.id }, data: { note: scrubNullableText(e.note, ids) } });
      const reports = await deleteReportsAbout(tx, shopId, idText(request.customer.id), ids);
      // The order index keeps the orders (the merchant's) without the customer's email.
      const indexedOrders = await forgetCustomerEmails(tx, shopId, { emails: emailsOf(ids), orderGids: data.orderGids });
      const counts = { ...countsOf(data), evidenceFiles: files.count, dataReports: reports, indexedOrders };
      await audit({ shopId, actor: "Shopify", source: "system", action: "privacy.customer_redact", details: counts, result: "ok" }, tx);
      return counts;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  log.info("compliance.customers_redact", { shop: shopDomain, ...result });
  return result;
}

/** The shop's Insights rows: their tables have no foreign key to the shop, so deleting it does not cascade to them. */
const deleteInsightsOf = (shopId: string) => [
  db().insightStaleHour.deleteMany({ where: { shopId } }),
  db().insightRollupState.deleteMany({ where: { shopId } }),
  db().insightPaymentDay.deleteMany({ where: { shopId } }),
  db().insightDeclineDay.deleteMany({ where: { shopId } }),
  db().insightDisputeDay.deleteMany({ where: { shopId } }),
  db().insightHoldDay.deleteMany({ where: { shopId } }),
];

/** shop/redact (48 hours after uninstall): everything this app holds for the shop goes. */
export async function redactShop(shopDomain: string) {
  const shop = await shopOf(shopDomain);
  const [shops, sessions] = await db().$transaction([
    db().shop.deleteMany({ where: { domain: shopDomain } }),
    db().session.deleteMany({ where: { shop: shopDomain } }),
    ...(shop ? deleteInsightsOf(shop.id) : []),
  ]);
  log.info("compliance.shop_redact", { shop: shopDomain, shopsDeleted: shops.count, sessionsDeleted: sessions.count });
  return { deleted: shops.count > 0 };
}
