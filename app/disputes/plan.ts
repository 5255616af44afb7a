// Which evidence to send for a dispute, and what it says. The dispute's `relevant_evidence` decides
// the evidence types (Checkout.com asks integrations to follow it rather than hard-code categories);
// the category's usual evidence is the fallback when the list is empty. Each type is written from the
// order, the payment, the shop's policies and the customer conversation: a text for the bank reviewer
// (<= 500 characters) and, where there is more to show, a document rendered as a PDF.
// Pure: the same input always gives the same plan.
import type { EvidenceFileField } from "../checkout/schemas";
import { formatDate, formatDateTime } from "../lib/dates";
import { addressLine, avsMatch, cardDescription, cvvMatched, money, sameAddress } from "./format";
import {
  fileFieldOf,
  isEvidenceType,
  textFieldOf,
  type DocumentBlock,
  type EarlierOrder,
  type EvidenceDocument,
  type EvidenceInput,
  type EvidenceOrder,
  type EvidencePlan,
  type EvidenceType,
  type TextField,
} from "./model";
import { composeText, quote } from "./text";

/** Usual evidence per category (Checkout.com's "dispute reasons and recommended evidence"). */
export const CATEGORY_EVIDENCE: Record<string, EvidenceType[]> = {
  fraudulent: ["proof_of_delivery_or_service", "invoice_or_receipt", "customer_communication", "additional_evidence"],
  unrecognized: ["invoice_or_receipt", "proof_of_delivery_or_service", "customer_communication", "additional_evidence"],
  canceled_recurring: ["recurring_transaction_agreement", "refund_or_cancellation_policy", "customer_communication"],
  product_service_not_received: ["proof_of_delivery_or_service", "invoice_or_receipt", "customer_communication"],
  not_as_described: ["invoice_or_receipt", "proof_of_delivery_or_service", "refund_or_cancellation_policy", "customer_communication"],
  credit_not_issued: ["refund_or_cancellation_policy", "invoice_or_receipt", "customer_communication"],
  duplicate: ["invoice_showing_distinct_transactions", "invoice_or_receipt"],
  incorrect_amount: ["invoice_or_receipt", "customer_communication"],
  general: ["invoice_or_receipt", "proof_of_delivery_or_service", "customer_communication", "refund_or_cancellation_policy", "additional_evidence"],
};

/** The evidence types to answer: relevant_evidence when Checkout.com gives it, else the category's. */
export function chooseEvidenceTypes(category: string | null, relevantEvidence: string[]): EvidenceType[] {
  const relevant = [...new Set(relevantEvidence.filter(isEvidenceType))];
  if (relevant.length) return relevant;
  return CATEGORY_EVIDENCE[category ?? "general"] ?? CATEGORY_EVIDENCE.general;
}

interface Piece {
  text: string;
  dateText?: string;
  document?: Omit<EvidenceDocument, "field" | "merchant" | "subject" | "reference" | "date" | "filename"> & { slug: string };
}

export function planEvidence(input: EvidenceInput): EvidencePlan {
  const types = chooseEvidenceTypes(input.dispute.category, input.dispute.relevantEvidence);
  const texts: Partial<Record<TextField, string>> = {};
  const documents: EvidenceDocument[] = [];
  const missing: EvidenceType[] = [];
  const subject = input.order ? `Order ${input.order.name}` : `Payment ${input.payment?.ckoPaymentId ?? input.dispute.ckoDisputeId}`;
  const date = input.order?.processedAt ?? input.payment?.processedOn ?? input.dispute.evidenceRequiredBy ?? "2000-01-01T00:00:00.000Z";
  for (const type of types) {
    const piece = WRITERS[type](input);
    if (!piece?.text) {
      missing.push(type);
      continue;
    }
    texts[textFieldOf(type)] = piece.text;
    if (piece.dateText) texts.proof_of_delivery_or_service_date_text = piece.dateText;
    if (piece.document) {
      const { slug, ...document } = piece.document;
      const field: EvidenceFileField = fileFieldOf(type);
      documents.push({
        ...document,
        field,
        filename: `${slug}-${fileSafe(input.order?.name ?? input.dispute.ckoDisputeId)}.pdf`,
        merchant: input.shop.name,
        subject,
        reference: `Checkout.com dispute ${input.dispute.ckoDisputeId}`,
        date,
      });
    }
  }
  return { types, texts, documents, missing };
}

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, "").toLowerCase() || "order";

type Writer = (input: EvidenceInput) => Piece | null;

const WRITERS: Record<EvidenceType, Writer> = {
  proof_of_delivery_or_service: proofOfDelivery,
  invoice_or_receipt: invoice,
  invoice_showing_distinct_transactions: distinctTransactions,
  customer_communication: customerCommunication,
  refund_or_cancellation_policy: refundPolicy,
  recurring_transaction_agreement: recurringAgreement,
  additional_evidence: additionalEvidence,
};

// ---------------------------------------------------------------------------------------------

function paidWith(input: EvidenceInput): string | null {
  const p = input.payment;
  const card = p ? cardDescription(p.cardScheme, p.cardLast4) : null;
  if (card) return card;
  const t = input.order?.transactions.find((x) => x.cardNumber || x.cardCompany);
  return t ? cardDescription(t.cardCompany, t.cardNumber?.replace(/\D/g, "").slice(-4) || null) : null;
}

function customerName(input: EvidenceInput): string | null {
  return input.order?.customer?.displayName ?? input.order?.billingAddress?.name ?? input.payment?.customerName ?? null;
}

function customerEmail(input: EvidenceInput): string | null {
  return input.order?.email ?? input.order?.customer?.email ?? input.payment?.customerEmail ?? null;
}

const shipments = (order: EvidenceOrder) => order.fulfillments.filter((f) => !/^(CANCELLED|CANCELED|ERROR|FAILURE)$/.test(f.status));

function proofOfDelivery(input: EvidenceInput): Piece | null {
  const order = input.order;
  if (!order) return null;
  const sent = shipments(order);
  if (!sent.length) return order.requiresShipping ? null : serviceDelivered(input, order);
  const delivered = sent.filter((f) => f.deliveredAt).sort((a, b) => a.deliveredAt!.localeCompare(b.deliveredAt!));
  const first = delivered[0] ?? sent[0];
  const tracking = first.tracking.find((t) => t.number) ?? first.tracking[0];
  const carrier = tracking?.company ?? "the carrier";
  const to = order.shippingAddress ? addressLine(order.shippingAddress) : null;
  const text = composeText([
    `Order ${order.name} (${money(order.total)}) was shipped on ${formatDate(first.createdAt)} with ${carrier}` +
      (tracking?.number ? `, tracking number ${tracking.number}` : "") +
      ".",
    first.deliveredAt ? `The carrier confirmed delivery on ${formatDate(first.deliveredAt)}${to ? ` to ${to}` : ""}.` : to ? `It was sent to ${to}.` : null,
    sameAddress(order.shippingAddress, order.billingAddress) && "This is the billing address the cardholder entered at checkout.",
    sent.length > 1 && `${sent.length} shipments in total; each is listed in the attached PDF.`,
    tracking?.url && `Tracking: ${tracking.url}`,
    "Shipment details are in the attached PDF.",
  ]);
  const dateText = first.deliveredAt
    ? composeText([`Delivered on ${formatDate(first.deliveredAt)}${tracking?.number ? ` (${carrier} tracking ${tracking.number})` : ""}.`])
    : undefined;

  const blocks: DocumentBlock[] = [
    {
      kind: "facts",
      rows: compact([
        ["Order", `${order.name}, placed ${formatDateTime(order.processedAt)}`],
        ["Total", money(order.total)],
        ["Customer", customerName(input)],
        ["Shipping method", order.shippingMethod],
        ["Shipped to", to],
        ["Billing address", order.billingAddress ? addressLine(order.billingAddress) : null],
      ]),
    },
  ];
  for (const f of sent) {
    blocks.push({ kind: "heading", text: `Shipment ${f.name}` });
    blocks.push({
      kind: "facts",
      rows: compact([
        ["Status", humanise(f.displayStatus ?? f.status)],
        ["Shipped", formatDateTime(f.createdAt)],
        ["In transit", f.inTransitAt && formatDateTime(f.inTransitAt)],
        ["Delivered", f.deliveredAt && formatDateTime(f.deliveredAt)],
        ["Estimated delivery", !f.deliveredAt && f.estimatedDeliveryAt ? formatDate(f.estimatedDeliveryAt) : null],
        ...f.tracking.flatMap((t): Array<[string, string | null]> => [
          ["Carrier", t.company],
          ["Tracking number", t.number],
          ["Tracking link", t.url],
        ]),
      ]),
    });
  }
  return { text, dateText, document: { slug: "proof-of-delivery", title: "Proof of delivery", blocks } };
}

/** Digital goods and services: nothing ships, so the proof is that Shopify marked the order fulfilled. */
function serviceDelivered(input: EvidenceInput, order: EvidenceOrder): Piece | null {
  if (order.fulfillmentStatus !== "FULFILLED") return null;
  const email = customerEmail(input);
  const text = composeText([
    `Order ${order.name} (${money(order.total)}, placed ${formatDate(order.processedAt)}) contains digital goods or services that need no shipping.`,
    `The shop marked it fulfilled${email ? ` for the customer's account ${email}` : ""}.`,
    "The order details are in the attached PDF.",
  ]);
  return { text, document: { slug: "proof-of-service", title: "Proof of service", blocks: invoiceBlocks(input, order) } };
}

function invoice(input: EvidenceInput): Piece | null {
  const order = input.order;
  if (!order) return null;
  const items = order.lineItems.reduce((n, li) => n + li.quantity, 0);
  const card = paidWith(input);
  const name = customerName(input);
  const email = customerEmail(input);
  const text = composeText([
    `Invoice for order ${order.name}, placed on ${formatDate(order.processedAt)}` +
      (name ? ` by ${name}` : "") +
      (email ? ` (${email})` : "") +
      `: ${items} item${items === 1 ? "" : "s"}, total ${money(order.total)}` +
      (card ? `, paid with ${card}` : "") +
      (input.payment ? ` (Checkout.com payment ${input.payment.ckoPaymentId})` : "") +
      ".",
    order.shippingAddress && `Shipped to ${addressLine(order.shippingAddress)}.`,
    order.refunded.amount > 0 && `${money(order.refunded)} has been refunded.`,
    "The itemised invoice is attached.",
  ]);
  return { text, document: { slug: "invoice", title: "Invoice", blocks: invoiceBlocks(input, order) } };
}

function invoiceBlocks(input: EvidenceInput, order: EvidenceOrder): DocumentBlock[] {
  const rows = order.lineItems.map((li) => [
    li.variantTitle ? `${li.title} (${li.variantTitle})` : li.title,
    li.sku ?? "",
    String(li.quantity),
    money(li.unitPrice),
    money(li.total),
  ]);
  if (order.lineItemsTruncated) rows.push(["More items are on the order than are listed here.", "", "", "", ""]);
  const totals: string[][] = [
    ["Subtotal", "", "", "", money(order.subtotal)],
    ...(order.discounts.amount ? [["Discounts", "", "", "", `-${money(order.discounts)}`]] : []),
    ["Shipping", "", "", "", money(order.shipping)],
    ["Tax", "", "", "", money(order.tax)],
    ["Total", "", "", "", money(order.total)],
    ...(order.refunded.amount ? [["Refunded", "", "", "", `-${money(order.refunded)}`]] : []),
  ];
  const blocks: DocumentBlock[] = [
    {
      kind: "facts",
      rows: compact([
        ["Order", order.name],
        ["Order date", formatDateTime(order.processedAt)],
        ["Customer", customerName(input)],
        ["Email", customerEmail(input)],
        ["Phone", order.phone],
        ["Paid with", paidWith(input)],
        ["Checkout.com payment", input.payment?.ckoPaymentId ?? null],
        ["Payment status", order.financialStatus && humanise(order.financialStatus)],
        ["Fulfillment status", order.fulfillmentStatus && humanise(order.fulfillmentStatus)],
        ["Billing address", order.billingAddress ? addressLine(order.billingAddress) : null],
        ["Shipping address", order.shippingAddress ? addressLine(order.shippingAddress) : null],
        ["Shipping method", order.shippingMethod],
      ]),
    },
    { kind: "heading", text: "Items" },
    {
      kind: "table",
      columns: [
        { label: "Item", width: 0.44 },
        { label: "SKU", width: 0.16 },
        { label: "Qty", width: 0.08, align: "right" },
        { label: "Unit price", width: 0.16, align: "right" },
        { label: "Total", width: 0.16, align: "right" },
      ],
      rows,
      footer: totals,
    },
  ];
  if (order.transactions.length) blocks.push({ kind: "heading", text: "Payments" }, transactionsTable(order));
  return blocks;
}

function transactionsTable(order: EvidenceOrder): DocumentBlock {
  return {
    kind: "table",
    columns: [
      { label: "Date", width: 0.3 },
      { label: "Type", width: 0.18 },
      { label: "Status", width: 0.16 },
      { label: "Gateway", width: 0.18 },
      { label: "Amount", width: 0.18, align: "right" },
    ],
    rows: order.transactions.map((t) => [
      t.processedAt ? formatDateTime(t.processedAt) : "",
      humanise(t.kind),
      humanise(t.status),
      t.gateway ?? "",
      money(t.amount),
    ]),
  };
}

function distinctTransactions(input: EvidenceInput): Piece | null {
  const order = input.order;
  if (!order) return null;
  const others = (order.customer?.earlierOrders ?? []).filter((o) => o.id !== order.id);
  const charges = order.transactions.filter((t) => /^(SALE|CAPTURE)$/.test(t.kind) && t.status === "SUCCESS");
  const text = composeText([
    `Order ${order.name} (${money(order.total)}, placed ${formatDate(order.processedAt)}) was charged ` +
      (charges.length <= 1 ? "once" : `in ${charges.length} parts that add up to the order total`) +
      (input.payment ? ` (Checkout.com payment ${input.payment.ckoPaymentId})` : "") +
      ".",
    others.length > 0 &&
      `The customer's other charges are for separate orders, each placed and paid on its own: ${others
        .slice(0, 5)
        .map((o) => `${o.name} (${money(o.total)}, ${formatDate(o.processedAt)})`)
        .join("; ")}.`,
    "The attached PDF lists each order and its payments.",
  ]);
  const blocks: DocumentBlock[] = [
    {
      kind: "facts",
      rows: compact([
        ["Order", `${order.name}, placed ${formatDateTime(order.processedAt)}`],
        ["Total", money(order.total)],
        ["Customer", customerName(input)],
      ]),
    },
    { kind: "heading", text: `Payments for order ${order.name}` },
    transactionsTable(order),
  ];
  if (others.length) blocks.push({ kind: "heading", text: "The customer's other orders" }, ordersTable(others));
  return { text, document: { slug: "distinct-transactions", title: "Distinct transactions", blocks } };
}

function ordersTable(orders: EarlierOrder[]): DocumentBlock {
  return {
    kind: "table",
    columns: [
      { label: "Order", width: 0.18 },
      { label: "Date", width: 0.26 },
      { label: "Payment", width: 0.2 },
      { label: "Fulfillment", width: 0.18 },
      { label: "Total", width: 0.18, align: "right" },
    ],
    rows: orders.map((o) => [o.name, formatDate(o.processedAt), humanise(o.financialStatus ?? ""), humanise(o.fulfillmentStatus ?? ""), money(o.total)]),
  };
}

function customerCommunication(input: EvidenceInput): Piece | null {
  const conversation = input.conversation;
  const messages = conversation?.messages.filter((m) => m.body.trim()) ?? [];
  if (!conversation || !messages.length) return null;
  const dated = messages
    .filter((m) => m.at)
    .map((m) => m.at!)
    .sort();
  const fromCustomer = [...messages].reverse().find((m) => m.role === "customer");
  const where = conversation.source === "zendesk" ? (conversation.reference ?? "the shop's support desk") : "the order's notes";
  const text =
    conversation.source === "order_notes"
      ? composeText([said("The order's notes record:", messages.map((m) => m.body).join(" "), 420), "They are attached as a PDF."])
      : composeText([
          `${messages.length} message${messages.length === 1 ? "" : "s"} between the customer and the shop in ${where}` +
            (dated.length ? ` from ${formatDate(dated[0])} to ${formatDate(dated[dated.length - 1])}` : "") +
            ".",
          fromCustomer && said(`The customer's latest message${fromCustomer.at ? ` (${formatDate(fromCustomer.at)})` : ""}:`, fromCustomer.body, 260),
          "The full conversation is attached.",
        ]);
  const blocks: DocumentBlock[] = [
    {
      kind: "facts",
      rows: compact([
        ["Source", conversation.source === "zendesk" ? "Support conversation (Zendesk)" : "Order notes"],
        ["Reference", conversation.reference],
        ["Customer", customerName(input)],
        ["Email", customerEmail(input)],
      ]),
    },
  ];
  for (const m of messages) {
    blocks.push({ kind: "heading", text: `${m.author} (${m.role})${m.at ? `, ${formatDateTime(m.at)}` : ""}` });
    blocks.push({ kind: "paragraph", text: m.body });
  }
  return { text, document: { slug: "customer-communication", title: "Customer communication", blocks } };
}

function refundPolicy(input: EvidenceInput): Piece | null {
  const policy = input.shop.policies.refund ?? input.shop.policies.terms;
  if (!policy) return null;
  const order = input.order;
  const refunds = order?.transactions.filter((t) => t.kind === "REFUND" && t.status === "SUCCESS") ?? [];
  const text = composeText([
    `${input.shop.name}'s ${policy.title.toLowerCase()} is published at ${policy.url}.`,
    refunds.length > 0 &&
      `Refunds issued for order ${order!.name}: ${refunds.map((r) => `${money(r.amount)}${r.processedAt ? ` on ${formatDate(r.processedAt)}` : ""}`).join(", ")}.`,
    said("It says:", policy.text, 330),
    "The full policy is attached.",
  ]);
  const blocks: DocumentBlock[] = [
    {
      kind: "facts",
      rows: compact([
        ["Policy", policy.title],
        ["Published at", policy.url],
        ["Order", order?.name ?? null],
      ]),
    },
  ];
  if (refunds.length && order) {
    blocks.push({ kind: "heading", text: "Refunds issued for this order" });
    blocks.push({
      kind: "table",
      columns: [
        { label: "Date", width: 0.5 },
        { label: "Amount", width: 0.5, align: "right" },
      ],
      rows: refunds.map((r) => [r.processedAt ? formatDateTime(r.processedAt) : "", money(r.amount)]),
    });
  }
  blocks.push({ kind: "heading", text: policy.title }, ...paragraphs(policy.text));
  return { text, document: { slug: "refund-policy", title: policy.title, blocks } };
}

function recurringAgreement(input: EvidenceInput): Piece | null {
  const policy = input.shop.policies.subscription;
  if (!policy) return null;
  const text = composeText([
    `${input.shop.name}'s ${policy.title.toLowerCase()}, which governs recurring payments, is published at ${policy.url}.`,
    said("It says:", policy.text, 360),
    "The full policy is attached.",
  ]);
  const blocks: DocumentBlock[] = [
    {
      kind: "facts",
      rows: compact([
        ["Policy", policy.title],
        ["Published at", policy.url],
        ["Order", input.order?.name ?? null],
      ]),
    },
    { kind: "heading", text: policy.title },
    ...paragraphs(policy.text),
  ];
  return { text, document: { slug: "recurring-agreement", title: policy.title, blocks } };
}

/** Earlier orders of the customer that were paid and never disputed. */
function undisputedHistory(order: EvidenceOrder): EarlierOrder[] {
  return (order.customer?.earlierOrders ?? [])
    .filter((o) => o.id !== order.id && o.processedAt < order.processedAt && !o.disputed)
    .filter((o) => o.financialStatus === "PAID" || o.financialStatus === "PARTIALLY_REFUNDED")
    .sort((a, b) => b.processedAt.localeCompare(a.processedAt));
}

function additionalEvidence(input: EvidenceInput): Piece | null {
  const p = input.payment;
  const order = input.order;
  const threeDs = p?.threeDs?.authenticated ? p.threeDs : null;
  const avs = avsMatch(p?.avsCheck ?? order?.transactions.find((t) => t.avsResultCode)?.avsResultCode ?? null);
  const cvv = cvvMatched(p?.cvvCheck ?? order?.transactions.find((t) => t.cvvResultCode)?.cvvResultCode ?? null);
  const ip = p?.ipAddress ?? order?.clientIp ?? null;
  const history = order ? undisputedHistory(order) : [];
  if (!threeDs && !avs && !cvv && !history.length) return null;
  const oldest = history[history.length - 1];
  const text = composeText([
    threeDs &&
      `The cardholder was authenticated by their card issuer with 3-D Secure${threeDs.version ? ` ${threeDs.version}` : ""}${threeDs.eci ? ` (ECI ${threeDs.eci})` : ""}.`,
    avs && `Address verification: ${avs}.`,
    cvv && "The card security code (CVV) matched.",
    history.length > 0 &&
      `The same customer${order?.customer?.email ? ` (${order.customer.email})` : ""} has ${history.length} earlier paid order${history.length === 1 ? "" : "s"} with no dispute since ${formatDate(oldest.processedAt)}: ${history
        .slice(0, 6)
        .map((o) => o.name)
        .join(", ")}.`,
    ip && `The order was placed from IP address ${ip}.`,
    "Details are in the attached PDF.",
  ]);
  const blocks: DocumentBlock[] = [];
  const checks = compact([
    ["3-D Secure", threeDs ? `Authenticated${threeDs.version ? `, version ${threeDs.version}` : ""}${threeDs.eci ? `, ECI ${threeDs.eci}` : ""}` : null],
    ["Address verification (AVS)", avs && `${humanise(avs)} (code ${(p?.avsCheck ?? "").toUpperCase() || "reported by the gateway"})`],
    ["Card security code (CVV)", cvv ? "Matched" : null],
    ["Card", p ? cardDescription(p.cardScheme, p.cardLast4) : null],
    ["Checkout.com payment", p?.ckoPaymentId ?? null],
    ["Payment date", p?.processedOn ? formatDateTime(p.processedOn) : null],
  ]);
  if (checks.length) blocks.push({ kind: "heading", text: "Payment security checks" }, { kind: "facts", rows: checks });
  const placement = compact([
    ["Order", order ? `${order.name}, placed ${formatDateTime(order.processedAt)}` : null],
    ["IP address", ip],
    ["Email", customerEmail(input)],
    ["Phone", order?.phone ?? null],
    ["Customer since", order?.customer ? formatDate(order.customer.createdAt) : null],
    ["Orders by this customer", order?.customer ? String(order.customer.numberOfOrders) : null],
  ]);
  if (placement.length) blocks.push({ kind: "heading", text: "How the order was placed" }, { kind: "facts", rows: placement });
  if (history.length) blocks.push({ kind: "heading", text: "Earlier paid orders without a dispute" }, ordersTable(history));
  return { text, document: { slug: "additional-evidence", title: "Additional evidence", blocks } };
}

// ---------------------------------------------------------------------------------------------

/** `intro “words”.`, or nothing when the words cannot be quoted within `limit`. */
function said(intro: string, words: string, limit: number): string | null {
  const q = quote(words, limit);
  return q ? `${intro} ${q}.` : null;
}

function compact(rows: Array<[string, string | null | undefined | false]>): Array<[string, string]> {
  return rows.filter((r): r is [string, string] => typeof r[1] === "string" && r[1].trim() !== "");
}

function paragraphs(text: string): DocumentBlock[] {
  return text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => ({ kind: "paragraph" as const, text: p }));
}

/** "IN_TRANSIT" → "In transit". */
function humanise(code: string): string {
  const s = code.replaceAll("_", " ").toLowerCase();
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
