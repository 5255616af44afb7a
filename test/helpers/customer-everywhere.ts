// A customer present in every table the app keeps, written the way the app writes them where it can
// (webhook events applied by the payment recorder, holds decided by the hold code), for the privacy
// webhook tests: four payments found four different ways, their raw Checkout.com payloads, timeline
// entries, a hold with a note, a dispute linked only by Checkout.com payment id with an evidence draft
// and a PDF, allow and deny entries, audit entries, a money action, queued jobs.
import crypto, { randomUUID } from "node:crypto";
import type { CheckoutConnection, Shop } from "@prisma/client";
import { audit } from "../../app/audit/audit.server";
import { db } from "../../app/db.server";
import { recordHoldDecision } from "../../app/holds/holds.server";
import { indexOrders } from "../../app/orders/order-index.server";
import type { RuleHit } from "../../app/holds/rules";
import { paymentEventDataSchema } from "../../app/payments/payment-events";
import { applyPaymentEvent } from "../../app/payments/record.server";
import { checkoutEvent, ckoId, paymentEventData, paymentFixture } from "../fixtures/checkout-events";

export interface Person {
  /** As the customer typed it at checkout (mixed case). */
  email: string;
  name: string;
  address: string;
  phone: string;
  ip: string;
  /** Two cards: the first on the payments found by email, the second on the order-only payment. */
  cards: Array<{ fingerprint: string; last4: string; bin: string }>;
  shopifyCustomerId: number;
  /** Shopify order ids: [matched order of the first payment, matched order of the order-only payment]. */
  orders: [number, number];
}

const fingerprint = (seed: string) => crypto.createHash("sha256").update(seed).digest("hex").toUpperCase();

export const ADA: Person = {
  email: "Ada.Lovelace@Example.com",
  name: "Ada Lovelace",
  address: "12 Analytical Engine Row",
  phone: "2079460958",
  ip: "198.51.100.23",
  cards: [
    { fingerprint: fingerprint("ada-card-1"), last4: "4242", bin: "424242" },
    { fingerprint: fingerprint("ada-card-2"), last4: "5556", bin: "400005" },
  ],
  shopifyCustomerId: 7001,
  orders: [5001, 5003],
};

export const BOB: Person = {
  email: "bob.babbage@example.org",
  name: "Charles Babbage",
  address: "1 Difference Engine Lane",
  phone: "2079460111",
  ip: "192.0.2.77",
  cards: [
    { fingerprint: fingerprint("bob-card-1"), last4: "1881", bin: "555555" },
    { fingerprint: fingerprint("bob-card-2"), last4: "0005", bin: "378282" },
  ],
  shopifyCustomerId: 7002,
  orders: [6001, 6003],
};

/** The Checkout.com customer id Checkout.com gives this person (the fixtures derive it from the email). */
export const ckoCustomerIdOf = (person: Person) => ckoId("cus", person.email);

/** `data` of a payment event for this person, with their address and phone as Checkout.com sends them. */
function personData(type: string, person: Person, card: Person["cards"][number], paymentId: string, options: { email?: boolean; amount?: number } = {}) {
  const p = paymentFixture({
    id: paymentId,
    amount: options.amount ?? 6540,
    currency: "USD",
    reference: undefined,
    email: options.email === false ? undefined : person.email,
    name: person.name,
    fingerprint: card.fingerprint,
    last4: card.last4,
    bin: card.bin,
    ip: person.ip,
    billingCountry: "GB",
    shippingCountry: "GB",
  });
  const data = paymentEventData(type, p) as Record<string, unknown> & {
    source?: { billing_address?: unknown };
    shipping?: unknown;
    customer?: { phone?: unknown };
  };
  if (data.source?.billing_address) data.source.billing_address = { address_line1: person.address, city: "London", zip: "NW1 6XE", country: "GB" };
  if (data.shipping)
    data.shipping = {
      address: { address_line1: person.address, city: "London", zip: "NW1 6XE", country: "GB" },
      phone: { country_code: "+44", number: person.phone },
    };
  if (data.customer) data.customer.phone = { country_code: "+44", number: person.phone };
  if (options.email === false && data.customer) delete data.customer;
  return data;
}

/** Stores a Checkout.com event in the inbox and, unless `dead`, applies it as the worker does. */
async function deliver(shopId: string, connectionId: string, type: string, data: Record<string, unknown>, options: { dead?: string } = {}) {
  const event = checkoutEvent(type, data);
  const row = await db().webhookEvent.create({
    data: {
      shopId,
      connectionId,
      eventId: event.id as string,
      type,
      ckoPaymentId: data.id as string,
      payload: JSON.stringify(event),
      status: options.dead ? "dead" : "processed",
      attempts: options.dead ? 10 : 1,
      lastError: options.dead ?? null,
      processedAt: options.dead ? null : new Date(),
    },
  });
  if (!options.dead) {
    const d = paymentEventDataSchema.parse(data);
    await db().$transaction((tx) =>
      applyPaymentEvent(tx, { shopId, eventId: row.eventId, type, occurredAt: new Date() }, { ...d, paymentId: data.id as string }),
    );
  }
  return row;
}

const link = (shopId: string, paymentId: string, orderId: number) =>
  db().orderLink.create({
    data: { shopId, paymentId, orderGid: `gid://shopify/Order/${orderId}`, orderName: `#${orderId}`, matchedBy: "reference_name", confidence: "strong" },
  });

export interface Seeded {
  paymentIds: string[];
  ckoPaymentIds: string[];
  holdId: string;
  disputeId: string;
  fileId: string;
  moneyActionId: string;
}

/**
 * The person in every table of `shop`:
 * - payment 1: matched to orders[0], email stored lowercased (as the recorder stores it), card 1;
 * - payment 2: no order (unmatched), email stored in another case by an older version, card 1;
 *   disputed, the dispute linked only by its Checkout.com payment id;
 * - payment 3: matched to orders[1], no email anywhere, card 2 (found through the order);
 * - payment 4: no order, no email on the row: only its dead authorization event carries the email.
 */
export async function seedCustomerEverywhere(shop: Shop, connection: CheckoutConnection, person: Person): Promise<Seeded> {
  const shopId = shop.id;
  const [card1, card2] = person.cards;
  const email = person.email.toLowerCase();
  await db().shopSettings.upsert({
    where: { shopId },
    update: { flowTriggers: JSON.stringify(["cko-payment-flagged"]) },
    create: { shopId, flowTriggers: JSON.stringify(["cko-payment-flagged"]) },
  });

  const ids = [ckoId("pay"), ckoId("pay"), ckoId("pay"), ckoId("pay")];
  // Payment 1: authorised and captured, matched, held.
  await deliver(shopId, connection.id, "payment_approved", personData("payment_approved", person, card1, ids[0]));
  await deliver(shopId, connection.id, "payment_captured", paymentEventData("payment_captured", paymentFixture({ id: ids[0], amount: 6540 })));
  // Payment 2: authorised and captured, never matched.
  await deliver(shopId, connection.id, "payment_approved", personData("payment_approved", person, card1, ids[1], { amount: 12000 }));
  await deliver(shopId, connection.id, "payment_captured", paymentEventData("payment_captured", paymentFixture({ id: ids[1], amount: 12000 })));
  // Payment 3: a card payment without an email (paid by phone), matched to the second order.
  await deliver(shopId, connection.id, "payment_approved", personData("payment_approved", person, card2, ids[2], { email: false, amount: 2500 }));
  // Payment 4: the capture was recorded; the authorization with the customer died in the inbox.
  await deliver(shopId, connection.id, "payment_captured", paymentEventData("payment_captured", paymentFixture({ id: ids[3], amount: 990 })));
  await deliver(shopId, connection.id, "payment_approved", personData("payment_approved", person, card1, ids[3], { amount: 990 }), {
    dead: `Shopify answered 400 for ${email} (${person.name})`,
  });

  const payments = await Promise.all(ids.map((ckoPaymentId) => db().payment.findUniqueOrThrow({ where: { shopId_ckoPaymentId: { shopId, ckoPaymentId } } })));
  await db().payment.update({ where: { id: payments[0].id }, data: { matchStatus: "matched" } });
  await db().payment.update({ where: { id: payments[1].id }, data: { matchStatus: "unmatched", customerEmail: person.email.toUpperCase() } });
  await db().payment.update({ where: { id: payments[2].id }, data: { matchStatus: "matched" } });
  await db().payment.update({ where: { id: payments[3].id }, data: { matchStatus: "unmatched" } });
  const link1 = await link(shopId, payments[0].id, person.orders[0]);
  await link(shopId, payments[2].id, person.orders[1]);
  // Both orders in the order index, as orders/create wrote them: the first with the customer's email.
  await indexOrders(
    shopId,
    person.orders.map((id, i) => ({
      gid: `gid://shopify/Order/${id}`,
      legacyId: String(id),
      name: `#${id}`,
      checkoutToken: null,
      email: i === 0 ? person.email : null,
      createdAt: new Date(Date.now() - (2 - i) * 60_000),
      updatedAt: new Date(),
      total: 6540,
      currency: "USD",
      transactionIds: [ids[i * 2]],
    })),
  );

  // The hold, decided by the hold code (timeline entry, audit entry and the Flow trigger job), then held with a reviewer's note.
  const hits: RuleHit[] = [
    { rule: "deny_email", value: email, threshold: email },
    { rule: "deny_card_fingerprint", value: card1.fingerprint, threshold: card1.fingerprint },
  ];
  const p1 = await db().payment.findUniqueOrThrow({ where: { id: payments[0].id } });
  const hold = await recordHoldDecision(p1, link1, { action: "hold", hits });
  await db().hold.update({
    where: { id: hold.id },
    data: {
      status: "held",
      heldAt: new Date(),
      note: `${person.name} phoned from ${person.ip}; says the card ending ${card1.last4} is hers. Call back on ${person.phone}.`,
    },
  });
  await db().paymentActivity.create({
    data: {
      shopId,
      paymentId: p1.id,
      sourceKey: `note:${randomUUID()}`,
      kind: "action",
      type: "note_added",
      summary: `Note: ${person.name} <${email}> asked to ship to ${person.address}`,
      actor: "Sam Owner <staff74000001@example.com>",
      details: JSON.stringify({ note: `${person.name} asked to ship to ${person.address}`, email }),
      occurredAt: new Date(),
    },
  });

  // The dispute on payment 2, known only by its Checkout.com payment id, with evidence built.
  const pdf = Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nBT (Invoice for ${person.name}) Tj (${email}) Tj (${person.address}) Tj (IP ${person.ip}) Tj (Visa **** ${card1.last4}) Tj ET\n%%EOF\n`,
    "latin1",
  );
  const disputeId = randomUUID();
  const fileId = randomUUID();
  const dispute = await db().dispute.create({
    data: {
      id: disputeId,
      shopId,
      ckoDisputeId: `dsp_${crypto.randomBytes(10).toString("hex")}`,
      paymentId: null,
      ckoPaymentId: ids[1],
      category: "fraudulent",
      reasonCode: "10.4",
      amount: 12000,
      currency: "USD",
      status: "evidence_required",
      evidenceRequiredBy: new Date(Date.now() + 7 * 86_400_000),
      relevantEvidence: JSON.stringify(["proof_of_delivery_or_service", "invoice_or_receipt", "customer_communication"]),
      evidenceDraft: JSON.stringify({
        texts: {
          proof_of_delivery_or_service_text: `Delivered to ${person.name}, ${person.address}, London NW1 6XE, signed for by ${person.name}.`,
          customer_communication_text: `${email} wrote on 2 March from ${person.ip}: "Please send it to my office". Phone ${person.phone}.`,
          additional_evidence_text: `AVS match, CVV match, 3-D Secure authenticated; card ending ${card1.last4}. Earlier orders by ${email}: #4001, #4002.`,
        },
        files: { invoice_or_receipt_file: fileId },
        types: ["proof_of_delivery_or_service", "invoice_or_receipt", "customer_communication"],
      }),
      evidenceBuiltAt: new Date(),
    },
  });
  await db().evidenceFile.create({
    data: {
      id: fileId,
      shopId,
      disputeId,
      field: "invoice_or_receipt_file",
      filename: `invoice-${person.orders[0]}.pdf`,
      contentType: "application/pdf",
      sha256: crypto.createHash("sha256").update(pdf).digest("hex"),
      size: pdf.length,
      data: pdf,
    },
  });
  await audit({
    shopId,
    actor: "system",
    source: "system",
    action: "evidence.build",
    disputeId,
    result: "error",
    error: `The order note from ${email} is too long`,
  });

  // Allow and deny lists: the customer's email, Checkout.com customer and both cards; a BIN entry (not personal) too.
  const entries = [
    { list: "deny", kind: "email", value: email, note: `${person.name}: chargeback in 2026` },
    { list: "deny", kind: "customer", value: ckoCustomerIdOf(person), note: null },
    { list: "deny", kind: "card_fingerprint", value: card1.fingerprint, note: null },
    { list: "allow", kind: "card_fingerprint", value: card2.fingerprint, note: "Known good phone orders" },
    { list: "deny", kind: "bin", value: card1.bin, note: "Prepaid BIN" },
  ];
  for (const e of entries) {
    await db().listEntry.create({ data: { shopId, ...e, createdBy: "Sam Owner <staff74000001@example.com>" } });
    await audit({
      shopId,
      actor: "Sam Owner <staff74000001@example.com>",
      source: "admin",
      action: "list.add",
      details: { list: e.list, kind: e.kind, value: e.value, note: e.note },
      result: "ok",
    });
  }

  // A refund on payment 1, asked for by a staff member, with the customer in its reason.
  const action = await db().moneyAction.create({
    data: {
      shopId,
      paymentId: payments[0].id,
      kind: "refund",
      amount: 1000,
      currency: "USD",
      idempotencyKey: `refund:${randomUUID()}`,
      status: "succeeded",
      via: "checkout",
      ckoActionId: ckoId("act"),
      reason: `${person.name} returned the scarf (${email})`,
      requestedBy: "Sam Owner <staff74000001@example.com>",
      source: "admin",
      orderGid: link1.orderGid,
      orderName: link1.orderName,
    },
  });
  await audit({
    shopId,
    actor: "Sam Owner <staff74000001@example.com>",
    source: "admin",
    action: "payment.refund",
    paymentId: payments[0].id,
    orderGid: link1.orderGid,
    details: { amount: 1000, reason: action.reason },
    result: "ok",
  });

  // Queued work naming the customer: an order note and a Flow trigger carrying the email.
  await db().job.create({
    data: {
      shopId,
      kind: "order_note",
      key: `money-action:${action.id}`,
      payload: JSON.stringify({ orderGid: link1.orderGid, marker: action.id, text: `Refund of US$10.00. Reason: ${action.reason}.` }),
      status: "done",
    },
  });
  await db().job.create({
    data: {
      shopId,
      kind: "flow_trigger",
      key: `payment_flagged:legacy-${hold.id}`,
      payload: JSON.stringify({
        trigger: "payment_flagged",
        facts: { holdId: hold.id },
        sent: { "Customer email": email, "Customer name": person.name, Card: `Visa •••• ${card1.last4}` },
      }),
      status: "done",
    },
  });

  return { paymentIds: payments.map((p) => p.id), ckoPaymentIds: ids, holdId: hold.id, disputeId: dispute.id, fileId, moneyActionId: action.id };
}

/** The needles that must not be found after the person is redacted (regular expressions, any case). */
export function personalNeedles(person: Person): Array<[string, RegExp]> {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const lit = (s: string) => new RegExp(escape(s), "i");
  return [
    ["email", lit(person.email)],
    ["name", lit(person.name)],
    ["address", lit(person.address)],
    ["phone", lit(person.phone)],
    ["IP address", lit(person.ip)],
    ["Checkout.com customer id", lit(ckoCustomerIdOf(person))],
    ...person.cards.map((c, i): [string, RegExp] => [`card ${i + 1} fingerprint (or its first 8 characters)`, lit(c.fingerprint.slice(0, 8))]),
    ...person.cards.map((c, i): [string, RegExp] => [
      `card ${i + 1} last four in context`,
      new RegExp(`(?:[•*]{2,}\\s*|ending(?: in)? |"last4"\\s*:\\s*"|"cardLast4"\\s*:\\s*")${c.last4}`, "i"),
    ]),
  ];
}
