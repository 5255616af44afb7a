// The facts evidence is built from, in plain shapes independent of Shopify's and Checkout.com's
// wire formats, and the evidence that comes out: texts per Checkout.com field and documents to render
// as PDFs. Browser-safe (types and zod only).
import { z } from "zod";
import { EVIDENCE_FILE_FIELDS, EVIDENCE_TEXT_FIELDS, type EvidenceFileField } from "../checkout/schemas";

/** Checkout.com's evidence types, as they appear in a dispute's `relevant_evidence`. */
export const EVIDENCE_TYPES = [
  "proof_of_delivery_or_service",
  "invoice_or_receipt",
  "invoice_showing_distinct_transactions",
  "customer_communication",
  "refund_or_cancellation_policy",
  "recurring_transaction_agreement",
  "additional_evidence",
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];
export const isEvidenceType = (value: string): value is EvidenceType => (EVIDENCE_TYPES as readonly string[]).includes(value);

/** Each evidence type in English (Zendesk); the admin screens translate it as `disputes:evidence.<type>`. */
export const EVIDENCE_LABELS: Record<EvidenceType, string> = {
  proof_of_delivery_or_service: "Proof of delivery or service",
  invoice_or_receipt: "Invoice or receipt",
  invoice_showing_distinct_transactions: "Invoice showing distinct transactions",
  customer_communication: "Customer communication",
  refund_or_cancellation_policy: "Refund or cancellation policy",
  recurring_transaction_agreement: "Recurring transaction agreement",
  additional_evidence: "Additional evidence",
};

/** Every text field the evidence request takes, including the delivery date text. */
export const TEXT_FIELDS = [...EVIDENCE_TEXT_FIELDS, "proof_of_delivery_or_service_date_text"] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export const textFieldOf = (type: EvidenceType) => `${type}_text` as TextField;
export const fileFieldOf = (type: EvidenceType) => `${type}_file` as EvidenceFileField;

/** Checkout.com refuses longer evidence texts. */
export const TEXT_LIMIT = 500;
/** Checkout.com refuses larger evidence files. */
export const FILE_LIMIT_BYTES = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Inputs

export interface Money {
  /** Minor units. */
  amount: number;
  currency: string;
}

export interface Address {
  name: string | null;
  company: string | null;
  lines: string[];
  country: string | null;
  phone: string | null;
}

export interface EvidenceLineItem {
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  unitPrice: Money;
  total: Money;
}

interface FulfillmentFacts {
  name: string;
  /** FulfillmentStatus: SUCCESS, CANCELLED, ERROR, FAILURE, OPEN, PENDING */
  status: string;
  /** What Shopify shows the merchant: DELIVERED, IN_TRANSIT, ... */
  displayStatus: string | null;
  createdAt: string;
  inTransitAt: string | null;
  deliveredAt: string | null;
  estimatedDeliveryAt: string | null;
  tracking: Array<{ company: string | null; number: string | null; url: string | null }>;
}

interface TransactionFacts {
  kind: string;
  status: string;
  gateway: string | null;
  processedAt: string | null;
  amount: Money;
  avsResultCode: string | null;
  cvvResultCode: string | null;
  cardCompany: string | null;
  cardNumber: string | null;
}

export interface EarlierOrder {
  id: string;
  name: string;
  processedAt: string;
  total: Money;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  /** A dispute exists for it (in Shopify or in this app). */
  disputed: boolean;
}

export interface EvidenceOrder {
  id: string;
  name: string;
  createdAt: string;
  processedAt: string;
  cancelledAt: string | null;
  note: string | null;
  email: string | null;
  phone: string | null;
  clientIp: string | null;
  requiresShipping: boolean;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  shippingMethod: string | null;
  subtotal: Money;
  shipping: Money;
  tax: Money;
  discounts: Money;
  total: Money;
  refunded: Money;
  lineItems: EvidenceLineItem[];
  /** More line items exist than were read. */
  lineItemsTruncated: boolean;
  billingAddress: Address | null;
  shippingAddress: Address | null;
  fulfillments: FulfillmentFacts[];
  transactions: TransactionFacts[];
  customer: {
    displayName: string;
    email: string | null;
    createdAt: string;
    numberOfOrders: number;
    earlierOrders: EarlierOrder[];
  } | null;
}

export interface ShopPolicyFacts {
  title: string;
  /** Plain text (HTML removed). */
  text: string;
  url: string;
}

export interface ShopFacts {
  name: string;
  domain: string;
  email: string | null;
  url: string | null;
  policies: {
    refund: ShopPolicyFacts | null;
    shipping: ShopPolicyFacts | null;
    terms: ShopPolicyFacts | null;
    subscription: ShopPolicyFacts | null;
  };
}

/** What Checkout.com told us about the payment (the Payment row). */
export interface PaymentFacts {
  ckoPaymentId: string;
  amount: Money;
  processedOn: string | null;
  customerName: string | null;
  customerEmail: string | null;
  ipAddress: string | null;
  cardScheme: string | null;
  cardLast4: string | null;
  avsCheck: string | null;
  cvvCheck: string | null;
  threeDs: { authenticated: boolean | null; version: string | null; eci: string | null; enrolled: string | null } | null;
}

export interface DisputeFacts {
  ckoDisputeId: string;
  category: string | null;
  reasonCode: string | null;
  amount: Money;
  relevantEvidence: string[];
  evidenceRequiredBy: string | null;
}

interface ConversationMessage {
  author: string;
  /** "customer" or "merchant": who wrote it, as far as the source says. */
  role: "customer" | "merchant";
  at: string | null;
  body: string;
}

/** A support ticket a conversation was taken from. */
export interface ConversationTicket {
  id: string;
  subject: string;
  /** Its public messages taken. */
  messages: number;
}

export interface Conversation {
  source: "zendesk" | "order_notes";
  /** e.g. "Zendesk ticket #812" */
  reference: string | null;
  messages: ConversationMessage[];
  /** The Zendesk tickets it was taken from. */
  tickets?: ConversationTicket[];
}

export interface EvidenceInput {
  shop: ShopFacts;
  dispute: DisputeFacts;
  payment: PaymentFacts | null;
  order: EvidenceOrder | null;
  conversation: Conversation | null;
}

// ---------------------------------------------------------------------------------------------
// Outputs

export type DocumentBlock =
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "facts"; rows: Array<[label: string, value: string]> }
  | {
      kind: "table";
      columns: Array<{ label: string; width: number; align?: "left" | "right" }>;
      rows: string[][];
      /** Rows after the body, in bold (totals). */
      footer?: string[][];
    };

/** A PDF to generate: the renderer puts the merchant and order on every page. */
export interface EvidenceDocument {
  field: EvidenceFileField;
  filename: string;
  title: string;
  merchant: string;
  /** e.g. "Order #1001" */
  subject: string;
  /** Dispute id, printed in the footer. */
  reference: string;
  /** Fixed creation date (ISO), so the same data gives the same bytes. */
  date: string;
  blocks: DocumentBlock[];
}

export interface EvidencePlan {
  /** The evidence types this plan answers, in the order chosen. */
  types: EvidenceType[];
  texts: Partial<Record<TextField, string>>;
  documents: EvidenceDocument[];
  /** Chosen types with nothing to show: the merchant should add these. */
  missing: EvidenceType[];
}

// ---------------------------------------------------------------------------------------------
// The stored draft (Dispute.evidenceDraft)

const evidenceDraftSchema = z.object({
  texts: z.record(z.enum(TEXT_FIELDS), z.string().max(TEXT_LIMIT)).default({}),
  /** Evidence file field → EvidenceFile id. One file per field, as Checkout.com takes. */
  files: z.record(z.enum(EVIDENCE_FILE_FIELDS), z.string()).default({}),
  /** The evidence types chosen for this dispute (relevant_evidence, or the category's defaults). */
  types: z.array(z.enum(EVIDENCE_TYPES)).default([]),
  /** The Zendesk tickets the customer communication was taken from at the last build. */
  conversationTickets: z.array(z.object({ id: z.string(), subject: z.string(), messages: z.number().int() })).default([]),
  /** Ticket ids the merchant removed from the evidence: kept out of every later build. */
  excludedTickets: z.array(z.string()).default([]),
});
export type EvidenceDraft = z.infer<typeof evidenceDraftSchema>;

export function parseDraft(json: string): EvidenceDraft {
  try {
    const parsed = evidenceDraftSchema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
  } catch {
    // an unreadable draft is an empty one: it is rebuilt from the order
  }
  return { texts: {}, files: {}, types: [], conversationTickets: [], excludedTickets: [] };
}

/** Chosen evidence types that have neither a text nor a file yet. */
export function missingEvidence(draft: EvidenceDraft): EvidenceType[] {
  return draft.types.filter((type) => !draft.texts[textFieldOf(type)]?.trim() && !draft.files[fileFieldOf(type)]);
}

/** Whether the draft has anything to send: Checkout.com needs at least one evidence field. */
export function hasEvidence(draft: EvidenceDraft): boolean {
  return Object.values(draft.texts).some((t) => t?.trim()) || Object.keys(draft.files).length > 0;
}
