import { describe, expect, it, vi } from "vitest";
import { db } from "../db.server";
import { getDisputeDetail } from "../disputes/queries.server";
import { describeHits, ruleHitsOf } from "../holds/holds.server";
import { log } from "../log.server";
import { applyEvent } from "../events/handlers.server";
import { utcHour } from "../insights/stale.server";
import { JOB_KINDS } from "../queue/jobs.server";
import { REPORT_DAYS, reportText, type DataReport } from "../shops/data-reports.server";
import { ADA, BOB, ckoCustomerIdOf, personalNeedles, seedCustomerEverywhere, type Person } from "../../test/helpers/customer-everywhere";
import { databaseCells, searchDatabase, type Cell, type Hit } from "../../test/helpers/database-search";
import { createConnectedShop } from "../../test/helpers/factories";
import { declineDays, disputeDays, holdDays, paymentDays, upToDate } from "../../test/helpers/insight-rollups";
import { callAction, shopifyWebhookRequest } from "../../test/helpers/shopify";
import { action } from "./webhooks.compliance";

async function seedCustomerPayment(shopId: string, email: string, ckoPaymentId: string, orderId: number) {
  const connection = await db().checkoutConnection.findFirstOrThrow({ where: { shopId } });
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

/** A row in each of Insights' tables. */
async function seedInsights(shopId: string) {
  const day = "2026-12-01";
  await db().insightStaleHour.create({ data: { shopId, hour: "2026-12-01T10" } });
  await upToDate(shopId, "UTC");
  await paymentDays(shopId, [{ day, currency: "EUR", country: "FR", payments: 1 }]);
  await declineDays(shopId, [
    { day, currency: "EUR", country: "FR", declineClass: "soft", responseCode: "20051", reason: "", cardCountry: "FR", scheme: "", bin: "" },
  ]);
  await disputeDays(shopId, [{ day, currency: "EUR", country: "FR", category: "fraudulent" }]);
  await holdDays(shopId, [{ day, currency: "EUR", country: "FR", rule: "" }]);
}

const insightCounts = (shopId: string) =>
  Promise.all([
    db().insightStaleHour.count({ where: { shopId } }),
    db().insightRollupState.count({ where: { shopId } }),
    db().insightPaymentDay.count({ where: { shopId } }),
    db().insightDeclineDay.count({ where: { shopId } }),
    db().insightDisputeDay.count({ where: { shopId } }),
    db().insightHoldDay.count({ where: { shopId } }),
  ]);

const send = (topic: string, shop: string, payload: unknown, options?: { hmac?: string }) =>
  callAction(action, shopifyWebhookRequest("/webhooks/compliance", topic, shop, payload, options));

describe("compliance webhooks", () => {
  it("answers 401 to a bad HMAC and changes nothing", async () => {
    const { shop } = await createConnectedShop();
    const response = await send("shop/redact", shop.domain, { shop_domain: shop.domain }, { hmac: "bm9wZQ==" });
    expect(response.status).toBe(401);
    expect(await db().shop.count({ where: { id: shop.id } })).toBe(1);
  });

  it("customers/data_request logs how much is held for the customer", async () => {
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
    expect(info).toHaveBeenCalledWith("compliance.data_request", expect.objectContaining({ payments: ["pay_data1"], webhookEvents: 1, dataRequestId: 99 }));
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
    // Insights computes her payment's day again, without her.
    expect((await db().insightStaleHour.findMany({ where: { shopId: shop.id } })).map((m) => m.hour)).toEqual([utcHour(ada.createdAt)]);
  });

  it("shop/redact deletes everything the shop owns, and only that shop", async () => {
    const a = await createConnectedShop();
    const b = await createConnectedShop();
    await seedCustomerPayment(a.shop.id, "x@example.com", "pay_a1", 3001);
    await seedCustomerPayment(b.shop.id, "y@example.com", "pay_b1", 3002);
    for (const shop of [a.shop, b.shop]) await seedInsights(shop.id);
    const response = await send("shop/redact", a.shop.domain, { shop_id: 1, shop_domain: a.shop.domain });
    expect(response.status).toBe(200);
    expect(await db().shop.count({ where: { id: a.shop.id } })).toBe(0);
    expect(await db().payment.count({ where: { shopId: a.shop.id } })).toBe(0);
    expect(await db().webhookEvent.count({ where: { shopId: a.shop.id } })).toBe(0);
    expect(await db().checkoutConnection.count({ where: { shopId: a.shop.id } })).toBe(0);
    expect(await db().payment.count({ where: { shopId: b.shop.id } })).toBe(1);
    // Insights' tables, which have no foreign key to the shop: A's rows are gone, B's stay.
    expect(await insightCounts(a.shop.id)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await insightCounts(b.shop.id)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

// ---------------------------------------------------------------------------------------------
// A customer present in every table (test/helpers/customer-everywhere.ts), another customer in the
// same shop, and the same customer in another shop.

const redactPayload = (shop: string, person: Person) => ({
  shop_id: 1,
  shop_domain: shop,
  customer: { id: person.shopifyCustomerId, email: person.email, phone: `+44${person.phone}` },
  orders_to_redact: person.orders,
});
const dataRequestPayload = (shop: string, person: Person, requestId: number) => ({
  shop_id: 1,
  shop_domain: shop,
  orders_requested: person.orders,
  customer: { id: person.shopifyCustomerId, email: person.email, phone: `+44${person.phone}` },
  data_request: { id: requestId },
});

async function world() {
  const a = await createConnectedShop();
  const b = await createConnectedShop();
  const ada = await seedCustomerEverywhere(a.shop, a.connection, ADA);
  const bob = await seedCustomerEverywhere(a.shop, a.connection, BOB);
  const adaInB = await seedCustomerEverywhere(b.shop, b.connection, ADA);
  // Another deny entry whose note mentions Ada: the note loses her, the entry stays.
  const crossNote = await db().listEntry.create({
    data: { shopId: a.shop.id, list: "deny", kind: "email", value: "mallory@example.net", note: `Same address as ${ADA.email.toLowerCase()}` },
  });
  const requests: Array<[string, Person, number]> = [
    [a.shop.domain, ADA, 101],
    [a.shop.domain, BOB, 102],
    [b.shop.domain, ADA, 103],
  ];
  for (const [shop, person, id] of requests) expect((await send("customers/data_request", shop, dataRequestPayload(shop, person, id))).status).toBe(200);
  const reports = await db().customerDataReport.findMany();
  const reportOf = (shopId: string, requestId: string) => reports.find((r) => r.shopId === shopId && r.requestId === requestId)!;
  return {
    a,
    b,
    ada,
    bob,
    adaInB,
    crossNote,
    reports: { adaA: reportOf(a.shop.id, "101"), bobA: reportOf(a.shop.id, "102"), adaB: reportOf(b.shop.id, "103") },
  };
}

const cellKey = (c: Cell) => `${c.table}.${c.column}#${c.rowId}`;
const inShop = (hits: Hit[], shopId: string) => hits.filter((h) => h.shopId === shopId);
const where = (hits: Hit[]) => hits.map((h) => `${h.needle} in ${h.table}.${h.column}: …${h.excerpt}…`);

describe("customers/redact with the customer in every table", () => {
  it("leaves nothing of the customer in the shop, and changes nothing else", async () => {
    const w = await world();
    const needles = personalNeedles(ADA);
    const before = await searchDatabase(needles);
    const bobBefore = await searchDatabase(personalNeedles(BOB));
    const cellsBefore = await databaseCells();
    // The seed really puts her everywhere, and the search finds every needle.
    const tablesBefore = new Set(inShop(before, w.a.shop.id).map((h) => h.table));
    for (const table of [
      "Payment",
      "PaymentActivity",
      "WebhookEvent",
      "Hold",
      "Dispute",
      "EvidenceFile",
      "ListEntry",
      "AuditLog",
      "MoneyAction",
      "Job",
      "IndexedOrder",
    ]) {
      expect(tablesBefore, table).toContain(table);
    }
    for (const [needle] of needles)
      expect(
        inShop(before, w.a.shop.id).some((h) => h.needle === needle),
        needle,
      ).toBe(true);

    const response = await send("customers/redact", w.a.shop.domain, redactPayload(w.a.shop.domain, ADA));
    expect(response.status).toBe(200);

    const after = await searchDatabase(needles);
    expect(where(inShop(after, w.a.shop.id))).toEqual([]);
    expect(where(after.filter((h) => h.shopId === null))).toEqual([]);
    // The same customer in another shop is that merchant's business: untouched. So is Bob.
    expect(inShop(after, w.b.shop.id)).toEqual(inShop(before, w.b.shop.id));
    expect(await searchDatabase(personalNeedles(BOB))).toEqual(bobBefore);
    // Her data report is gone (it is her data); Bob's and shop B's stay.
    expect(await db().customerDataReport.findUnique({ where: { id: w.reports.adaA.id } })).toBeNull();
    expect(await db().customerDataReport.findUnique({ where: { id: w.reports.bobA.id } })).not.toBeNull();
    expect(await db().customerDataReport.findUnique({ where: { id: w.reports.adaB.id } })).not.toBeNull();
    // Only rows that held her data (and her report) changed or went; new rows: the redaction's audit entry.
    const touched = new Set(inShop(before, w.a.shop.id).map((h) => `${h.table}#${h.rowId}`));
    touched.add(`CustomerDataReport#${w.reports.adaA.id}`);
    const cellsAfter = await databaseCells();
    const afterByKey = new Map(cellsAfter.map((c) => [cellKey(c), c]));
    const changed = cellsBefore.filter((c) => afterByKey.get(cellKey(c))?.text !== c.text);
    expect(changed.filter((c) => !touched.has(`${c.table}#${c.rowId}`)).map(cellKey)).toEqual([]);
    const beforeKeys = new Set(cellsBefore.map(cellKey));
    const addedCells = cellsAfter.filter((c) => !beforeKeys.has(cellKey(c)));
    // And Insights' marks of her payments' days, with their minute's roll-up job when the seed's minute was another.
    const rollupJobs = new Set(addedCells.filter((c) => c.table === "Job" && c.column === "kind" && c.text === JOB_KINDS.insightsRollup).map((c) => c.rowId));
    const added = new Set(addedCells.filter((c) => !(c.table === "Job" && rollupJobs.has(c.rowId))).map((c) => `${c.table}#${c.shopId}`));
    expect([...added]).toEqual([`AuditLog#${w.a.shop.id}`, `InsightStaleHour#${w.a.shop.id}`]);
  });

  it("finds her payments by email in any case, by order, and by a payload when the row has neither", async () => {
    const w = await world();
    const stored = await db().payment.findMany({
      where: { id: { in: w.ada.paymentIds } },
      select: { id: true, customerEmail: true },
      orderBy: { amount: "desc" },
    });
    // As seeded: lowercased, upper-cased, none (found by order), none (only a dead event has it).
    expect(stored.map((p) => p.customerEmail).sort()).toEqual([null, null, ADA.email.toLowerCase(), ADA.email.toUpperCase()].sort());
    const info = vi.spyOn(log, "info");
    await send("customers/redact", w.a.shop.domain, {
      ...redactPayload(w.a.shop.domain, ADA),
      customer: { id: ADA.shopifyCustomerId, email: ADA.email.toUpperCase(), phone: null },
    });
    expect(info).toHaveBeenCalledWith(
      "compliance.customers_redact",
      expect.objectContaining({ payments: 4, disputes: 1, evidenceFiles: 1, listEntries: 4, dataReports: 1 }),
    );
    for (const id of w.ada.paymentIds) {
      expect(await db().payment.findUniqueOrThrow({ where: { id } })).toMatchObject({
        customerEmail: null,
        customerName: null,
        ckoCustomerId: null,
        ipAddress: null,
        cardFingerprint: null,
        cardLast4: null,
        cardBin: null,
      });
    }
    // Bob's payments keep everything.
    const bobs = await db().payment.findMany({ where: { id: { in: w.bob.paymentIds } } });
    expect(bobs.filter((p) => p.customerEmail).map((p) => p.customerEmail!.toLowerCase())).toEqual([BOB.email, BOB.email]);
  });

  it("keeps the rows the app works with: amounts, statuses, ids, action ids, rule names, evidence types", async () => {
    const w = await world();
    const snapshot = async () => ({
      payments: await db().payment.findMany({
        where: { id: { in: w.ada.paymentIds } },
        select: {
          id: true,
          ckoPaymentId: true,
          amount: true,
          currency: true,
          status: true,
          capturedAmount: true,
          refundedAmount: true,
          riskScore: true,
          matchStatus: true,
          orderLink: { select: { orderGid: true, orderName: true } },
        },
        orderBy: { ckoPaymentId: "asc" },
      }),
      activities: await db().paymentActivity.findMany({
        where: { paymentId: { in: w.ada.paymentIds } },
        select: { id: true, type: true, kind: true, amount: true, currency: true, sourceKey: true, occurredAt: true },
        orderBy: { id: "asc" },
      }),
      events: await db().webhookEvent.findMany({
        where: { shopId: w.a.shop.id, ckoPaymentId: { in: w.ada.ckoPaymentIds } },
        select: { id: true, eventId: true, type: true, status: true, ckoPaymentId: true },
        orderBy: { id: "asc" },
      }),
      hold: await db().hold.findUniqueOrThrow({
        where: { id: w.ada.holdId },
        select: { status: true, orderGid: true, externalId: true, shopifyHoldIds: true },
      }),
      dispute: await db().dispute.findUniqueOrThrow({
        where: { id: w.ada.disputeId },
        select: { status: true, amount: true, currency: true, ckoDisputeId: true, ckoPaymentId: true, evidenceRequiredBy: true },
      }),
      action: await db().moneyAction.findUniqueOrThrow({
        where: { id: w.ada.moneyActionId },
        select: { amount: true, status: true, kind: true, ckoActionId: true, requestedBy: true, idempotencyKey: true },
      }),
    });
    const before = await snapshot();
    const capture = await db().paymentActivity.findFirstOrThrow({ where: { paymentId: w.ada.paymentIds[0], type: "payment_captured" } });
    expect((await send("customers/redact", w.a.shop.domain, redactPayload(w.a.shop.domain, ADA))).status).toBe(200);
    expect(await snapshot()).toEqual(before);

    // The timeline keeps the capture's action id (refund and capture totals are counted by it).
    expect(JSON.parse((await db().paymentActivity.findUniqueOrThrow({ where: { id: capture.id } })).details)).toEqual(JSON.parse(capture.details));
    // Summaries are rewritten, not emptied.
    const summaries = (await db().paymentActivity.findMany({ where: { paymentId: w.ada.paymentIds[0] } })).map((a) => a.summary);
    expect(summaries).toContain("Authorized USD 65.40 · Visa •••• [redacted] · risk score 12");
    expect(summaries.find((s) => s.startsWith("Hold decided"))).toBe(
      "Hold decided: Email [redacted] is on the deny list; Card fingerprint [redacted]… is on the deny list",
    );
    // The hold still says which rules fired, without the values.
    const hold = await db().hold.findUniqueOrThrow({ where: { id: w.ada.holdId } });
    expect(hold.note).toBeNull();
    expect(ruleHitsOf(hold).map((h) => h.rule)).toEqual(["deny_email", "deny_card_fingerprint"]);
    expect(describeHits(ruleHitsOf(hold), "USD")[0]).toBe("Email [redacted] is on the deny list");
    // The dispute page still opens: its evidence types stay, texts and files are gone.
    const detail = await getDisputeDetail(w.a.shop.id, w.ada.disputeId);
    expect(detail!.evidence.map((e) => [e.type, e.text, e.file])).toEqual([
      ["proof_of_delivery_or_service", "", null],
      ["invoice_or_receipt", "", null],
      ["customer_communication", "", null],
    ]);
    expect(await db().evidenceFile.count({ where: { disputeId: w.ada.disputeId } })).toBe(0);
    // The BIN entry (not personal) and the entry that only mentioned her stay.
    const entries = await db().listEntry.findMany({ where: { shopId: w.a.shop.id, value: { in: [ADA.cards[0].bin, "mallory@example.net"] } } });
    expect(entries.map((e) => [e.kind, e.note]).sort()).toEqual([
      ["bin", "Prepaid BIN"],
      ["email", "Same address as [redacted]"],
    ]);
    // Raw payloads keep what processing reads: ids, amounts, response, risk, countries.
    const approval = await db().webhookEvent.findFirstOrThrow({
      where: { shopId: w.a.shop.id, ckoPaymentId: w.ada.ckoPaymentIds[0], type: "payment_approved" },
    });
    const payload = JSON.parse(approval.payload);
    expect(payload).toMatchObject({
      type: "payment_approved",
      personal_data_removed: true,
      data: {
        id: w.ada.ckoPaymentIds[0],
        amount: 6540,
        currency: "USD",
        response_code: "10000",
        risk: { score: 12 },
        source: { scheme: "Visa", issuer_country: "US", billing_address: { country: "GB" } },
        shipping: { address: { country: "GB" } },
      },
    });
    expect(payload.data.customer).toBeUndefined();

    // The worker still applies a redacted event (one still pending, or replayed from the Events
    // screen, like her dead authorization): it puts nothing personal back and counts each capture once.
    for (const e of await db().webhookEvent.findMany({
      where: { shopId: w.a.shop.id, ckoPaymentId: { in: [w.ada.ckoPaymentIds[0], w.ada.ckoPaymentIds[3]] } },
    })) {
      expect(await db().$transaction((tx) => applyEvent(tx, { ...e, eventId: `replay-${e.eventId}` }))).toBe("applied");
    }
    const replayed = await db().payment.findMany({ where: { id: { in: [w.ada.paymentIds[0], w.ada.paymentIds[3]] } }, orderBy: { amount: "desc" } });
    expect(replayed).toMatchObject([
      {
        customerEmail: null,
        customerName: null,
        ckoCustomerId: null,
        cardLast4: null,
        cardFingerprint: null,
        ipAddress: null,
        capturedAmount: 6540,
        status: before.payments.find((p) => p.id === w.ada.paymentIds[0])!.status,
      },
      { customerEmail: null, customerName: null, ckoCustomerId: null, cardLast4: null, cardFingerprint: null, ipAddress: null, capturedAmount: 990 },
    ]);

    // Shopify may send the request again: the second time finds nothing more to do, and answers 200.
    expect((await send("customers/redact", w.a.shop.domain, redactPayload(w.a.shop.domain, ADA))).status).toBe(200);
  });
});

describe("customers/data_request with the customer in every table", () => {
  it("stores a sealed report of everything held about her, for 30 days, and replaces it when Shopify asks again", async () => {
    const a = await createConnectedShop();
    const ada = await seedCustomerEverywhere(a.shop, a.connection, ADA);
    await seedCustomerEverywhere(a.shop, a.connection, BOB);
    // Someone else's deny entry that mentions her: its note is hers to see, its value is not.
    await db().listEntry.create({
      data: { shopId: a.shop.id, list: "deny", kind: "email", value: "mallory@example.net", note: `Same address as ${ADA.email.toLowerCase()}` },
    });
    expect((await send("customers/data_request", a.shop.domain, dataRequestPayload(a.shop.domain, ADA, 99))).status).toBe(200);
    const [row] = await db().customerDataReport.findMany({ where: { shopId: a.shop.id } });
    expect(row).toMatchObject({ requestId: "99", customerId: String(ADA.shopifyCustomerId) });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(REPORT_DAYS * 86_400_000);
    expect(REPORT_DAYS).toBe(30);
    // Sealed: nothing readable at rest.
    expect(row.reportEnc).toMatch(/^v1\./);
    expect(row.reportEnc.toLowerCase()).not.toContain("lovelace");

    const text = reportText(row);
    const report = JSON.parse(text) as DataReport;
    expect(report.request).toMatchObject({
      dataRequestId: "99",
      customer: { id: String(ADA.shopifyCustomerId), email: ADA.email },
      ordersRequested: ["5001", "5003"],
    });
    // Payments, found four ways, with their fields and orders.
    expect(report.payments.map((p) => p.ckoPaymentId).sort()).toEqual([...ada.ckoPaymentIds].sort());
    const first = report.payments.find((p) => p.ckoPaymentId === ada.ckoPaymentIds[0])!;
    expect(first).toMatchObject({
      customerEmail: ADA.email.toLowerCase(),
      customerName: ADA.name,
      ipAddress: ADA.ip,
      cardLast4: ADA.cards[0].last4,
      cardFingerprint: ADA.cards[0].fingerprint,
      ckoCustomerId: ckoCustomerIdOf(ADA),
      amount: 6540,
      order: { orderGid: "gid://shopify/Order/5001", orderName: "#5001" },
    });
    // Timeline entries, webhook payloads (the dead one too), the hold and its note.
    expect(report.timeline.map((t) => t.summary)).toContain("Authorized USD 65.40 · Visa •••• 4242 · risk score 12");
    const dead = report.webhookEvents.find((e) => e.status === "dead") as { payload: { data: { customer: { email: string } } } };
    expect(dead.payload.data.customer.email).toBe(ADA.email);
    expect(report.webhookEvents).toHaveLength(7);
    expect(report.holds).toEqual([
      expect.objectContaining({
        id: ada.holdId,
        note: expect.stringContaining(ADA.name),
        ruleHits: expect.arrayContaining([expect.objectContaining({ rule: "deny_email" })]),
      }),
    ]);
    // The dispute linked only by Checkout.com payment id, its evidence texts, its file listed without bytes.
    expect(report.disputes).toHaveLength(1);
    const dispute = report.disputes[0] as { id: string; evidenceDraft: { texts: Record<string, string> }; files: Array<Record<string, unknown>> };
    expect(dispute.id).toBe(ada.disputeId);
    expect(dispute.evidenceDraft.texts.proof_of_delivery_or_service_text).toContain(ADA.address);
    const file = await db().evidenceFile.findUniqueOrThrow({ where: { id: ada.fileId } });
    expect(dispute.files).toEqual([expect.objectContaining({ name: file.filename, size: file.size, sha256: file.sha256, contentType: "application/pdf" })]);
    expect(dispute.files[0]).not.toHaveProperty("data");
    // Money actions, her allow and deny entries, audit entries, queued work.
    expect(report.moneyActions).toEqual([
      expect.objectContaining({ id: ada.moneyActionId, reason: expect.stringContaining(ADA.name), requestedBy: expect.any(String) }),
    ]);
    expect(report.listEntries.map((e) => `${e.list}:${e.kind}:${e.value ?? e.note}`).sort()).toEqual(
      [
        `allow:card_fingerprint:${ADA.cards[1].fingerprint}`,
        `deny:card_fingerprint:${ADA.cards[0].fingerprint}`,
        `deny:customer:${ckoCustomerIdOf(ADA)}`,
        `deny:email:${ADA.email.toLowerCase()}`,
        `deny:email:Same address as ${ADA.email.toLowerCase()}`,
      ].sort(),
    );
    const actions = report.auditEntries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["hold.decide", "payment.refund", "evidence.build", "list.add"]));
    expect(report.queuedWork.map((j) => j.kind)).toEqual(expect.arrayContaining(["flow_trigger", "order_note", "payment_review"]));
    // The order index: both orders (one by its email, both by their payments), with their payment ids.
    expect(report.indexedOrders.map((o) => ({ name: o.name, email: o.email, references: o.references }))).toEqual([
      { name: `#${ADA.orders[0]}`, email: ADA.email.toLowerCase(), references: [ada.ckoPaymentIds[0]] },
      { name: `#${ADA.orders[1]}`, email: null, references: [ada.ckoPaymentIds[2]] },
    ]);
    // Nobody else's data.
    expect(text.toLowerCase()).not.toContain(BOB.email);
    expect(text).not.toContain("mallory@example.net");
    expect(text).not.toContain(BOB.name);

    // Shopify retries the same request: one report, not two.
    expect((await send("customers/data_request", a.shop.domain, dataRequestPayload(a.shop.domain, ADA, 99))).status).toBe(200);
    expect(await db().customerDataReport.count({ where: { shopId: a.shop.id } })).toBe(1);
  });
});
