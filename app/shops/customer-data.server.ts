// Everything one shop holds about one customer, for Shopify's privacy webhooks: the data report
// (customers/data_request) and redaction (customers/redact) read the same rows, found here.
//
// A customer is known by their email (any case), the orders Shopify names, and what those lead to:
// the payments (by email, by their order link, by an order id in a hold, money action or dispute, by
// the order id as the payment's reference, by a webhook payload that carries the email), the
// Checkout.com customer ids, card fingerprints and emails on those payments and payloads, which lead
// to further payments, until nothing new turns up. Then every row tied to those payments, disputes
// or orders, and every other row of the shop whose text carries one of the customer's strong
// identifiers (redaction.ts), is the customer's.
import {
  Prisma,
  type AuditLog,
  type Dispute,
  type EvidenceFile,
  type Hold,
  type IndexedOrder,
  type Job,
  type ListEntry,
  type MoneyAction,
  type OrderLink,
  type Payment,
  type PaymentActivity,
  type PrismaClient,
  type WebhookEvent,
} from "@prisma/client";
import { db, type Tx } from "../db.server";
import { ident } from "../lib/sql.server";
import { addIdentifier, emailsOf, emptyIdentifiers, identifiersInPayload, mentionsCustomer, type CustomerIdentifiers } from "./redaction";

type Client = PrismaClient | Tx;

export interface CustomerQuery {
  email?: string | null;
  phone?: string | null;
  /** Shopify order ids (numbers or GIDs): orders_requested / orders_to_redact. */
  orderIds: Array<number | string>;
}

type EvidenceFileInfo = Omit<EvidenceFile, "data">;

export interface CustomerData {
  identifiers: CustomerIdentifiers;
  orderGids: string[];
  payments: Array<Payment & { orderLink: OrderLink | null }>;
  activities: PaymentActivity[];
  events: WebhookEvent[];
  holds: Hold[];
  disputes: Dispute[];
  files: EvidenceFileInfo[];
  moneyActions: MoneyAction[];
  /** Allow and deny entries whose value is the customer's email, Checkout.com customer id or card fingerprint. */
  listEntries: ListEntry[];
  /** Other list entries whose note names the customer. */
  listNotes: ListEntry[];
  auditLogs: AuditLog[];
  jobs: Job[];
  /** The customer's orders in the order index (app/orders/): by email, or the orders found above; with their transaction ids. */
  indexedOrders: Array<IndexedOrder & { references: string[] }>;
}

const orderGid = (id: number | string) => (String(id).startsWith("gid://") ? String(id) : `gid://shopify/Order/${id}`);
const legacyOrderId = (id: number | string) => String(id).replace(/^gid:\/\/shopify\/Order\//, "");

// Parameters per statement stay well under SQLite's and PostgreSQL's limits.
const CHUNK = 500;
const chunks = <T>(values: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
};
const unique = <T>(values: Iterable<T | null | undefined>) => [...new Set([...values].filter((v): v is T => v !== null && v !== undefined))];

/** What is searched for in texts: strong identifiers and fingerprints' prefixes (summaries shorten them). */
function needlesOf(ids: CustomerIdentifiers): string[] {
  return unique([...ids.strong, ...ids.fingerprints.map((f) => f.slice(0, 8).toLowerCase())]);
}

type TextTable = "PaymentActivity" | "WebhookEvent" | "Hold" | "Dispute" | "MoneyAction" | "AuditLog" | "Job" | "ListEntry";

/**
 * Ids of the shop's rows in `table` whose `columns` contain one of `needles` (lowercase), in any
 * case. LIKE's wildcards in a needle only widen the search; callers check the rows they load.
 */
async function idsMentioning(client: Client, table: TextTable, columns: string[], shopId: string, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const part of chunks(needles)) {
    if (!part.length) continue;
    const conditions = columns.flatMap((c) => part.map((n) => Prisma.sql`LOWER(${ident(c)}) LIKE ${`%${n}%`}`));
    const rows = await client.$queryRaw<Array<{ id: string }>>`
      SELECT "id" FROM ${ident(table)} WHERE "shopId" = ${shopId} AND (${Prisma.join(conditions, " OR ")})`;
    found.push(...rows.map((r) => r.id));
  }
  return unique(found);
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** The identifiers a payment row carries. */
function identifiersOfPayment(ids: CustomerIdentifiers, p: Payment) {
  addIdentifier(ids, "strong", p.customerEmail);
  addIdentifier(ids, "strong", p.ckoCustomerId);
  addIdentifier(ids, "fingerprint", p.cardFingerprint);
  addIdentifier(ids, "weak", p.customerName);
  addIdentifier(ids, "weak", p.ipAddress);
}

/** The payments an order leads to: linked, held, acted on, disputed, or carrying the order as reference. */
async function paymentsOfOrders(client: Client, shopId: string, orderGids: string[], orderRefs: string[]) {
  const paymentIds = new Set<string>();
  const ckoPaymentIds = new Set<string>();
  if (orderGids.length) {
    const [links, holds, actions, disputes, byReference] = await Promise.all([
      client.orderLink.findMany({ where: { shopId, orderGid: { in: orderGids } }, select: { paymentId: true } }),
      client.hold.findMany({ where: { shopId, orderGid: { in: orderGids } }, select: { paymentId: true } }),
      client.moneyAction.findMany({ where: { shopId, orderGid: { in: orderGids } }, select: { paymentId: true } }),
      client.dispute.findMany({ where: { shopId, orderGid: { in: orderGids } }, select: { paymentId: true, ckoPaymentId: true } }),
      client.payment.findMany({ where: { shopId, reference: { in: orderRefs } }, select: { id: true } }),
    ]);
    for (const r of [...links, ...holds, ...actions, ...disputes]) if (r.paymentId) paymentIds.add(r.paymentId);
    for (const d of disputes) if (d.ckoPaymentId) ckoPaymentIds.add(d.ckoPaymentId);
    for (const p of byReference) paymentIds.add(p.id);
  }

  return { paymentIds, ckoPaymentIds };
}

/**
 * Follows the identifiers until nothing new turns up (a few rounds at most in practice): payments by
 * email, customer id or card, then the webhook events of those payments or naming the customer, whose
 * payloads may carry further identifiers. Adds to `ids`, `paymentIds` and `ckoPaymentIds`; returns the events' ids.
 */
async function followIdentifiers(client: Client, shopId: string, ids: CustomerIdentifiers, paymentIds: Set<string>, ckoPaymentIds: Set<string>) {
  const eventIds = new Set<string>();
  for (let round = 0; round < 10; round++) {
    const before = `${ids.strong.length}/${paymentIds.size}/${ckoPaymentIds.size}/${eventIds.size}`;
    const emails = emailsOf(ids);
    const strong = ids.strong;
    const byEmail = emails.length
      ? await client.$queryRaw<Array<{ id: string }>>`
          SELECT "id" FROM "Payment" WHERE "shopId" = ${shopId} AND LOWER("customerEmail") IN (${Prisma.join(emails)})`
      : [];
    for (const p of byEmail) paymentIds.add(p.id);
    const payments = await client.payment.findMany({
      where: {
        shopId,
        OR: [
          { id: { in: [...paymentIds] } },
          { ckoPaymentId: { in: [...ckoPaymentIds] } },
          ...(strong.length ? [{ ckoCustomerId: { in: strong } }] : []),
          ...(ids.fingerprints.length ? [{ cardFingerprint: { in: unique(ids.fingerprints.flatMap((f) => [f, f.toUpperCase(), f.toLowerCase()])) } }] : []),
        ],
      },
    });
    for (const p of payments) {
      paymentIds.add(p.id);
      ckoPaymentIds.add(p.ckoPaymentId);
      identifiersOfPayment(ids, p);
    }
    // Webhook events: the payments' own, and any whose payload carries the customer (a payment not
    // recorded yet, a dead event).
    const mentioning = await idsMentioning(client, "WebhookEvent", ["payload"], shopId, needlesOf(ids));
    const events = await client.webhookEvent.findMany({
      where: { shopId, OR: [{ ckoPaymentId: { in: [...ckoPaymentIds] } }, { id: { in: mentioning } }] },
      select: { id: true, ckoPaymentId: true, payload: true },
    });
    for (const e of events) {
      if ((e.ckoPaymentId && ckoPaymentIds.has(e.ckoPaymentId)) || mentionsCustomer(e.payload, ids)) {
        eventIds.add(e.id);
        if (e.ckoPaymentId) ckoPaymentIds.add(e.ckoPaymentId);
        const parsed = parseJson(e.payload) as { data?: unknown } | null;
        identifiersInPayload(parsed?.data ?? parsed, ids);
      }
    }
    if (`${ids.strong.length}/${paymentIds.size}/${ckoPaymentIds.size}/${eventIds.size}` === before) break;
  }
  return eventIds;
}

export async function findCustomerData(shopId: string, query: CustomerQuery, client: Client = db()): Promise<CustomerData> {
  const ids = emptyIdentifiers();
  if (query.email) addIdentifier(ids, "strong", query.email);
  if (query.phone) addIdentifier(ids, "weak", query.phone);
  const orderGids = unique(query.orderIds.map(orderGid));
  // A payment whose reference is the order's id (matched by reference_id) before any link exists.
  const orderRefs = unique([...query.orderIds.map(legacyOrderId), ...orderGids]);

  const { paymentIds, ckoPaymentIds } = await paymentsOfOrders(client, shopId, orderGids, orderRefs);
  const eventIds = await followIdentifiers(client, shopId, ids, paymentIds, ckoPaymentIds);
  const needles = needlesOf(ids);
  const payIds = [...paymentIds];
  const ckoIds = [...ckoPaymentIds];

  const [paymentRows, events] = await Promise.all([
    client.payment.findMany({ where: { shopId, id: { in: payIds } }, include: { orderLink: true }, orderBy: { createdAt: "asc" } }),
    client.webhookEvent.findMany({ where: { shopId, id: { in: [...eventIds] } }, orderBy: { receivedAt: "asc" } }),
  ]);
  const linkedOrders = unique([...orderGids, ...paymentRows.map((p) => p.orderLink?.orderGid)]);

  const mentioned = async (table: TextTable, columns: string[]) => idsMentioning(client, table, columns, shopId, needles);
  const [activityIds, holdIds, disputeIds, actionIds, auditIds, listIds] = await Promise.all([
    mentioned("PaymentActivity", ["summary", "details"]),
    mentioned("Hold", ["note", "ruleHits"]),
    mentioned("Dispute", ["evidenceDraft", "responseError"]),
    mentioned("MoneyAction", ["reason", "error", "shopifyInput"]),
    mentioned("AuditLog", ["details", "error"]),
    mentioned("ListEntry", ["value", "note"]),
  ]);
  // Rows found only by a widened LIKE must really name the customer.
  const named = <T>(rows: T[], texts: (row: T) => Array<string | null>) => rows.filter((r) => texts(r).some((t) => mentionsCustomer(t, ids)));

  const [activitiesLinked, activitiesNamed, holdsLinked, holdsNamed, disputesLinked, disputesNamed, actionsLinked, actionsNamed] = await Promise.all([
    client.paymentActivity.findMany({ where: { shopId, paymentId: { in: payIds } } }),
    client.paymentActivity.findMany({ where: { shopId, id: { in: activityIds }, paymentId: { notIn: payIds } } }),
    client.hold.findMany({ where: { shopId, paymentId: { in: payIds } } }),
    client.hold.findMany({ where: { shopId, id: { in: holdIds }, paymentId: { notIn: payIds } } }),
    client.dispute.findMany({
      where: { shopId, OR: [{ paymentId: { in: payIds } }, { ckoPaymentId: { in: ckoIds } }, ...(orderGids.length ? [{ orderGid: { in: orderGids } }] : [])] },
    }),
    client.dispute.findMany({ where: { shopId, id: { in: disputeIds } } }),
    client.moneyAction.findMany({ where: { shopId, paymentId: { in: payIds } } }),
    client.moneyAction.findMany({ where: { shopId, id: { in: actionIds }, paymentId: { notIn: payIds } } }),
  ]);
  const activities = [...activitiesLinked, ...named(activitiesNamed, (a) => [a.summary, a.details])].sort(
    (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime(),
  );
  const holds = [...holdsLinked, ...named(holdsNamed, (h) => [h.note, h.ruleHits])];
  const linkedDisputeIds = new Set(disputesLinked.map((d) => d.id));
  const disputes = [
    ...disputesLinked,
    ...named(
      disputesNamed.filter((d) => !linkedDisputeIds.has(d.id)),
      (d) => [d.evidenceDraft, d.responseError],
    ),
  ];
  const moneyActions = [...actionsLinked, ...named(actionsNamed, (m) => [m.reason, m.error, m.shopifyInput])];
  const allDisputeIds = disputes.map((d) => d.id);

  const emails = emailsOf(ids);
  const [files, auditRows, listRows, jobs, indexed] = await Promise.all([
    client.evidenceFile.findMany({
      where: { shopId, disputeId: { in: allDisputeIds } },
      select: {
        id: true,
        shopId: true,
        disputeId: true,
        field: true,
        filename: true,
        contentType: true,
        sha256: true,
        size: true,
        generated: true,
        ckoFileId: true,
        uploadedAt: true,
        createdAt: true,
      },
    }),
    client.auditLog.findMany({
      where: {
        shopId,
        OR: [
          { paymentId: { in: payIds } },
          { disputeId: { in: allDisputeIds } },
          ...(linkedOrders.length ? [{ orderGid: { in: linkedOrders } }] : []),
          { id: { in: auditIds } },
        ],
      },
      orderBy: { createdAt: "asc" },
    }),
    client.listEntry.findMany({ where: { shopId, OR: [{ kind: { in: ["email", "customer", "card_fingerprint"] } }, { id: { in: listIds } }] } }),
    jobsOf(
      client,
      shopId,
      [...needles, ...payIds, ...ckoIds, ...allDisputeIds, ...holds.map((h) => h.id), ...moneyActions.map((m) => m.id), ...linkedOrders],
      ids,
    ),
    client.indexedOrder.findMany({ where: { shopId, OR: [{ email: { in: emails } }, { orderGid: { in: linkedOrders } }] }, orderBy: { createdAt: "asc" } }),
  ]);
  const references = await client.indexedOrderReference.findMany({
    where: { shopId, orderGid: { in: indexed.map((o) => o.orderGid) } },
    orderBy: { value: "asc" },
  });
  const indexedOrders = indexed.map((o) => ({ ...o, references: references.filter((r) => r.orderGid === o.orderGid).map((r) => r.value) }));
  const linkedAudit = (a: AuditLog) =>
    (a.paymentId && paymentIds.has(a.paymentId)) || (a.disputeId && allDisputeIds.includes(a.disputeId)) || (a.orderGid && linkedOrders.includes(a.orderGid));
  const auditLogs = auditRows.filter((a) => linkedAudit(a) || mentionsCustomer(a.details, ids) || mentionsCustomer(a.error, ids));

  const fingerprints = new Set(ids.fingerprints.map((f) => f.toUpperCase()));
  const isCustomersValue = (e: ListEntry) =>
    (e.kind === "email" && ids.strong.includes(e.value.trim().toLowerCase())) ||
    (e.kind === "customer" && ids.strong.includes(e.value.trim().toLowerCase())) ||
    (e.kind === "card_fingerprint" && fingerprints.has(e.value.trim().toUpperCase()));
  const listEntries = listRows.filter(isCustomersValue);
  const listNotes = listRows.filter((e) => !isCustomersValue(e) && mentionsCustomer(e.note, ids));

  return {
    identifiers: ids,
    orderGids: linkedOrders,
    payments: paymentRows,
    activities,
    events,
    holds,
    disputes,
    files,
    moneyActions,
    listEntries,
    listNotes,
    auditLogs,
    jobs,
    indexedOrders,
  };
}

/** The shop's jobs whose payload or error carries one of `needles` (identifiers or the ids of the customer's rows). */
async function jobsOf(client: Client, shopId: string, needles: string[], ids: CustomerIdentifiers): Promise<Job[]> {
  const lowered = unique(needles.map((n) => n.toLowerCase()));
  const jobIds = await idsMentioning(client, "Job", ["payload", "lastError"], shopId, lowered);
  if (!jobIds.length) return [];
  const rows = await client.job.findMany({ where: { shopId, id: { in: jobIds } }, orderBy: { createdAt: "asc" } });
  return rows.filter(
    (j) => lowered.some((n) => j.payload.toLowerCase().includes(n) || j.lastError?.toLowerCase().includes(n)) || mentionsCustomer(j.payload, ids),
  );
}

/** How much was found, for logs (no personal data). */
export function countsOf(data: CustomerData) {
  return {
    payments: data.payments.length,
    timelineEntries: data.activities.length,
    webhookEvents: data.events.length,
    holds: data.holds.length,
    disputes: data.disputes.length,
    evidenceFiles: data.files.length,
    moneyActions: data.moneyActions.length,
    listEntries: data.listEntries.length,
    auditEntries: data.auditLogs.length,
    jobs: data.jobs.length,
    indexedOrders: data.indexedOrders.length,
  };
}
