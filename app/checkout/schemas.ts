// zod shapes of the Checkout.com responses the app reads (the SDK types everything as any).
// Unknown fields pass through; only what the app relies on is required.
import { z } from "zod";

const link = z.object({ href: z.string() }).passthrough();

const riskSchema = z.object({ flagged: z.boolean().optional(), score: z.number().optional() }).passthrough();

const address = z.object({ country: z.string().optional(), city: z.string().optional(), zip: z.string().optional() }).passthrough();

const paymentSourceSchema = z
  .object({
    type: z.string().optional(),
    id: z.string().optional(),
    scheme: z.string().optional(),
    bin: z.string().optional(),
    last4: z.string().optional(),
    fingerprint: z.string().optional(),
    issuer_country: z.string().optional(),
    card_type: z.string().optional(),
    avs_check: z.string().optional(),
    cvv_check: z.string().optional(),
    billing_address: address.optional(),
  })
  .passthrough();

export const paymentDetailsSchema = z
  .object({
    id: z.string(),
    requested_on: z.string().optional(),
    status: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    approved: z.boolean().optional(),
    reference: z.string().optional(),
    risk: riskSchema.optional(),
    source: paymentSourceSchema.optional(),
    customer: z.object({ id: z.string().optional(), email: z.string().optional(), name: z.string().optional() }).passthrough().optional(),
    shipping: z.object({ address: address.optional() }).passthrough().optional(),
    payment_ip: z.string().optional(),
    balances: z
      .object({
        total_authorized: z.number().optional(),
        total_captured: z.number().optional(),
        total_refunded: z.number().optional(),
        total_voided: z.number().optional(),
        available_to_capture: z.number().optional(),
        available_to_refund: z.number().optional(),
        available_to_void: z.number().optional(),
      })
      .passthrough()
      .optional(),
    "3ds": z.record(z.unknown()).optional(),
    _links: z.record(link.or(z.array(link))).optional(),
  })
  .passthrough();

/** GET /payments?reference= ("Get payment lists"): the payments with one reference, most recent first. */
export const paymentListSchema = z
  .object({ limit: z.number().optional(), skip: z.number().optional(), total_count: z.number().optional(), data: z.array(paymentDetailsSchema).default([]) })
  .passthrough();

const paymentActionSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    processed_on: z.string().optional(),
    amount: z.number().int().optional(),
    approved: z.boolean().optional(),
    response_code: z.string().optional(),
    response_summary: z.string().optional(),
    reference: z.string().optional(),
  })
  .passthrough();
export const paymentActionsSchema = z.array(paymentActionSchema);
export type PaymentDetails = z.infer<typeof paymentDetailsSchema>;
export type PaymentActionDetails = z.infer<typeof paymentActionSchema>;

export const actionAcceptedSchema = z
  .object({ action_id: z.string(), reference: z.string().optional(), _links: z.record(z.unknown()).optional() })
  .passthrough();

export const disputeSchema = z
  .object({
    id: z.string(),
    category: z.string().optional(),
    status: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    reason_code: z.string().optional(),
    evidence_required_by: z.string().optional(),
    received_on: z.string().optional(),
    last_update: z.string().optional(),
    relevant_evidence: z.array(z.string()).optional(),
    payment: z
      .object({ id: z.string(), amount: z.number().optional(), currency: z.string().optional(), reference: z.string().optional() })
      .passthrough()
      .optional(),
    payment_id: z.string().optional(),
    payment_reference: z.string().optional(),
  })
  .passthrough();

export const disputeListSchema = z
  .object({
    limit: z.number().optional(),
    skip: z.number().optional(),
    total_count: z.number().optional(),
    data: z.array(disputeSchema.partial({ amount: true, currency: true })).default([]),
  })
  .passthrough();

export const fileUploadedSchema = z.object({ id: z.string() }).passthrough();

/** The evidence fields Checkout.com accepts (PUT /disputes/{id}/evidence). */
export const EVIDENCE_TEXT_FIELDS = [
  "proof_of_delivery_or_service_text",
  "invoice_or_receipt_text",
  "invoice_showing_distinct_transactions_text",
  "customer_communication_text",
  "refund_or_cancellation_policy_text",
  "recurring_transaction_agreement_text",
  "additional_evidence_text",
] as const;
export const EVIDENCE_FILE_FIELDS = [
  "proof_of_delivery_or_service_file",
  "invoice_or_receipt_file",
  "invoice_showing_distinct_transactions_file",
  "customer_communication_file",
  "refund_or_cancellation_policy_file",
  "recurring_transaction_agreement_file",
  "additional_evidence_file",
] as const;
type EvidenceTextField = (typeof EVIDENCE_TEXT_FIELDS)[number];
export type EvidenceFileField = (typeof EVIDENCE_FILE_FIELDS)[number];
export type EvidenceRequest = Partial<Record<EvidenceTextField | EvidenceFileField, string>> & {
  proof_of_delivery_or_service_date_text?: string;
};

// Workflows (NAS): how Checkout.com delivers webhooks. Only what the app reads is checked.
export const workflowCreatedSchema = z.object({ id: z.string().regex(/^wf_\w+$/) }).passthrough();
export const workflowListSchema = z
  .object({ data: z.array(z.object({ id: z.string(), name: z.string().optional() }).passthrough()).default([]) })
  .passthrough();
export const workflowSchema = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    active: z.boolean().optional(),
    actions: z.array(z.object({ id: z.string(), type: z.string(), url: z.string().optional() }).passthrough()).default([]),
  })
  .passthrough();
export const workflowEventTypesSchema = z.array(
  z.object({ id: z.string(), events: z.array(z.object({ id: z.string() }).passthrough()).default([]) }).passthrough(),
);

/** The body of POST /workflows and PATCH /workflows/{id} as the app sends it. */
export interface WorkflowRequest {
  name: string;
  active: boolean;
  conditions: Array<
    { type: "event"; events: Record<string, string[]> } | { type: "processing_channel"; processing_channels: string[] } | { type: "entity"; entities: string[] }
  >;
  actions: Array<{ type: "webhook"; url: string; headers?: Record<string, string>; signature: { method: "HMACSHA256"; key: string } }>;
}

// Money settlement (GET /financial-actions, GET /reports). Amounts are decimal major units with up to
// 8 decimals, signed: money in positive, fees, refunds and chargebacks negative.
/** The `pagination_token` of a list's `_links.next.href`; null on the last page. */
function nextPaginationToken(links: { next?: { href: string } } | undefined): string | null {
  const href = links?.next?.href;
  if (!href) return null;
  try {
    return new URL(href).searchParams.get("pagination_token");
  } catch {
    return null;
  }
}

const listLinks = z.object({ self: link.optional(), next: link.optional() }).passthrough().optional();

const financialActionBreakdownSchema = z
  .object({
    breakdown_type: z.string(),
    fx_rate_applied: z.number().optional(),
    holding_currency: z.string(),
    holding_currency_amount: z.number(),
    processing_currency: z.string().optional(),
    processing_currency_amount: z.number().optional(),
  })
  .passthrough();

const financialActionSchema = z
  .object({
    action_id: z.string(),
    action_type: z.string(),
    payment_id: z.string(),
    entity_id: z.string(),
    currency_account_id: z.string().optional(),
    processing_channel_id: z.string().optional(),
    reference: z.string().optional(),
    processed_on: z.string(),
    requested_on: z.string().optional(),
    response_code: z.string().optional(),
    breakdown: z.array(financialActionBreakdownSchema).default([]),
  })
  .passthrough();

/** One page, latest first; `nextPaginationToken` continues it (null: last page). */
export const financialActionListSchema = z
  .object({ count: z.number().optional(), limit: z.number().optional(), data: z.array(financialActionSchema).default([]), _links: listLinks })
  .passthrough()
  .transform((page) => ({ ...page, nextPaginationToken: nextPaginationToken(page._links) }));

export const reportSchema = z
  .object({
    id: z.string(),
    created_on: z.string(),
    type: z.string(),
    account: z.object({ client_id: z.string().optional(), entity_id: z.string().optional() }).passthrough().optional(),
    /** "payout_id:<id>" on a FinancialActionsByPayoutId report. */
    tags: z.array(z.string()).default([]),
    from: z.string().optional(),
    to: z.string().optional(),
    files: z.array(z.object({ id: z.string(), filename: z.string().optional(), format: z.string().optional() }).passthrough()).default([]),
  })
  .passthrough();
export type ReportDetails = z.infer<typeof reportSchema>;

export const reportListSchema = z
  .object({ count: z.number().optional(), limit: z.number().optional(), data: z.array(reportSchema).default([]), _links: listLinks })
  .passthrough()
  .transform((page) => ({ ...page, nextPaginationToken: nextPaginationToken(page._links) }));

/** What checkout-sdk-node's reports.getReportFile resolves to: the file's bytes. */
export const reportFileSchema = z
  // Buffer is looked up when an answer is parsed, not when the module loads: browsers import this module too.
  .custom<Buffer>((value) => Buffer.isBuffer(value), "a report file's bytes")
  .transform((csv) => csv.toString("utf8"));

// Customers (the Vault's customer objects, /customers).
export const customerSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().optional(),
    phone: z.object({ country_code: z.string().optional(), number: z.string().optional() }).passthrough().optional(),
    /** Key-value pairs; Checkout.com may give numbers back as strings. */
    metadata: z.record(z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .passthrough();
export type CheckoutCustomer = z.infer<typeof customerSchema>;

export const customerCreatedSchema = z.object({ id: z.string() }).passthrough();

/** A 204's body: the app reads nothing from it. */
export const noContentSchema = z.undefined();

/** The fields of POST /customers and PATCH /customers/{id} the app sends; PATCH replaces each one it names, metadata as a whole. */
export interface CustomerDetails {
  name?: string;
  phone?: { country_code: string; number: string };
  /** At most 10 pairs, keys and values up to 100 characters. */
  metadata?: Record<string, string | number>;
}
