// The HTTP contract between the Zendesk sidebar (zendesk-app/) and the /api/zendesk/* routes.
// Both sides import these zod schemas: the routes parse requests with them, the sidebar parses
// responses with them. Browser-safe: zod only, nothing server-side.
//
// Authentication: every request carries `Authorization: Bearer <JWT>`, an HS256 token that Zendesk's
// proxy signs with the connection's shared secret (a secure app setting the browser never sees).
// The claims (zendeskJwtClaimsSchema) are written by browser code, so the backend trusts them only
// as far as the signature goes: it checks signature, exp and iat (small skew), maps connection_id to
// exactly one shop, and applies that shop's own permissions and limits.
import { z } from "zod";

export const ZENDESK_JWT_ALGORITHM = "HS256";
export const ZENDESK_JWT_EXPIRY_SECONDS = 300;

export const zendeskRoutes = {
  lookup: "/api/zendesk/lookup",
  payment: (paymentId: string) => `/api/zendesk/payments/${encodeURIComponent(paymentId)}`,
  refund: (paymentId: string) => `/api/zendesk/payments/${encodeURIComponent(paymentId)}/refund`,
  void: (paymentId: string) => `/api/zendesk/payments/${encodeURIComponent(paymentId)}/void`,
  evidence: (paymentId: string) => `/api/zendesk/payments/${encodeURIComponent(paymentId)}/evidence`,
  moneyPlan: (paymentId: string) => `/api/zendesk/payments/${encodeURIComponent(paymentId)}/money-plan`,
  order: (paymentId: string) => `/api/zendesk/payments/${encodeURIComponent(paymentId)}/order`,
  cancelOrder: (paymentId: string) => `/api/zendesk/payments/${encodeURIComponent(paymentId)}/cancel`,
} as const;

/** Claims the sidebar asks Zendesk to sign; Zendesk adds iat and exp. */
export const zendeskJwtClaimsSchema = z.object({
  connection_id: z.string().min(1),
  subdomain: z.string().min(1),
  ticket_id: z.number().int().positive(),
  agent_id: z.number().int().positive(),
  agent_email: z.string().email(),
  agent_name: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type ZendeskJwtClaims = z.infer<typeof zendeskJwtClaimsSchema>;

const currency = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR");
const minorUnits = z.number().int().nonnegative();
const isoDate = z.string().datetime({ offset: true });
const ticketId = z.number().int().positive();
export const paymentIdSchema = z.string().regex(/^pay_[a-z0-9]+$/i, "must be a Checkout.com payment id (pay_...)");

/** Where a payment stands, as the sidebar shows it (the backend maps its own statuses onto these). */
const PAYMENT_STATES = [
  "pending",
  "authorized",
  "partially_captured",
  "captured",
  "partially_refunded",
  "refunded",
  "voided",
  "declined",
  "canceled",
  "expired",
] as const;
export const paymentStateSchema = z.enum(PAYMENT_STATES);
export type PaymentState = z.infer<typeof paymentStateSchema>;

// ---------------------------------------------------------------------------------------------
// POST /api/zendesk/lookup: find the ticket's payment. The backend tries paymentId, then orderName,
// then email, and answers with the first identifier that matched anything (newest first, at most 20).

export const lookupRequestSchema = z
  .object({
    ticketId,
    paymentId: paymentIdSchema.optional(),
    orderName: z.string().trim().min(1).max(64).optional(),
    email: z.string().trim().toLowerCase().email().optional(),
  })
  .refine((q) => q.paymentId || q.orderName || q.email, "give a paymentId, an orderName or an email");
export type LookupRequest = z.input<typeof lookupRequestSchema>;

const paymentCandidateSchema = z.object({
  paymentId: paymentIdSchema,
  orderName: z.string().nullable(),
  amount: minorUnits,
  currency,
  state: paymentStateSchema,
  createdAt: isoDate,
  customerName: z.string().nullable(),
  customerEmail: z.string().nullable(),
  cardLast4: z.string().nullable(),
});
export type PaymentCandidate = z.infer<typeof paymentCandidateSchema>;

export const lookupResponseSchema = z.object({
  matchedBy: z.enum(["payment_id", "order_name", "email"]).nullable(),
  payments: z.array(paymentCandidateSchema).max(20),
});
export type LookupResponse = z.infer<typeof lookupResponseSchema>;

// ---------------------------------------------------------------------------------------------
// GET /api/zendesk/payments/:paymentId: the payment, its dispute and its timeline (oldest first).

const TIMELINE_ENTRY_TYPES = [
  "authorized",
  "captured",
  "refund_requested",
  "refunded",
  "partially_refunded",
  "refund_declined",
  "void_requested",
  "voided",
  "declined",
  "flagged",
  "held",
  "released",
  "order_canceled",
  "dispute_opened",
  "evidence_submitted",
  "dispute_won",
  "dispute_lost",
  "other",
] as const;
const timelineEntryTypeSchema = z.enum(TIMELINE_ENTRY_TYPES);
export type TimelineEntryType = z.infer<typeof timelineEntryTypeSchema>;

export const timelineEntrySchema = z.object({
  id: z.string().min(1),
  type: timelineEntryTypeSchema,
  occurredAt: isoDate,
  /** One line written for an agent, e.g. "Refund requested by Jane Doe from Zendesk". */
  summary: z.string(),
  amount: minorUnits.nullable(),
  currency: currency.nullable(),
  actor: z.string().nullable(),
  /** For declines: soft (a retry may work), hard (it will not), risk (blocked by fraud checks). */
  declineClass: z.enum(["soft", "hard", "risk"]).nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

const disputeSummarySchema = z.object({
  disputeId: z.string().min(1),
  status: z.string(),
  category: z.string().nullable(),
  amount: minorUnits,
  currency,
  /** Open: Checkout.com still accepts evidence. */
  isOpen: z.boolean(),
  evidenceDueBy: isoDate.nullable(),
  /** The merchant's evidence draft is complete enough to submit. */
  evidenceReady: z.boolean(),
  evidenceSubmittedAt: isoDate.nullable(),
});
export type DisputeSummary = z.infer<typeof disputeSummarySchema>;

export const paymentTimelineSchema = z.object({
  payment: z.object({
    paymentId: paymentIdSchema,
    reference: z.string().nullable(),
    orderName: z.string().nullable(),
    state: paymentStateSchema,
    amount: minorUnits,
    currency,
    capturedAmount: minorUnits,
    refundedAmount: minorUnits,
    /** Captured minus refunded minus refunds still pending: the most a new refund may be. */
    refundableAmount: minorUnits,
    /** Authorised and nothing captured yet. */
    canVoid: z.boolean(),
    riskFlagged: z.boolean(),
    customerName: z.string().nullable(),
    customerEmail: z.string().nullable(),
    cardScheme: z.string().nullable(),
    cardLast4: z.string().nullable(),
    createdAt: isoDate,
  }),
  dispute: disputeSummarySchema.nullable(),
  /** What the shop allows from Zendesk (the backend enforces it again on every action). */
  permissions: z.object({
    refund: z.boolean(),
    void: z.boolean(),
    submitEvidence: z.boolean(),
    maxRefundAmount: minorUnits.nullable(),
  }),
  entries: z.array(timelineEntrySchema),
});
export type PaymentTimeline = z.infer<typeof paymentTimelineSchema>;

// ---------------------------------------------------------------------------------------------
// Actions. The backend derives the idempotency key from (connection, ticket, payment, action,
// amount), so a retry or a double click returns the first result (`replayed: true`).

export const refundRequestSchema = z.object({
  ticketId,
  amount: z.number().int().positive(),
  currency,
  reason: z.string().trim().min(3).max(200),
  /** Restock what has not shipped (a refund of everything left takes its lines with it). */
  restock: z.boolean().default(true),
  /** Shopify emails the customer about the refund. */
  notifyCustomer: z.boolean().default(false),
});
export type RefundRequest = z.input<typeof refundRequestSchema>;
/** A refund request as the backend reads it (defaults applied). */
export type ParsedRefundRequest = z.output<typeof refundRequestSchema>;

// GET /api/zendesk/payments/:paymentId/money-plan: read before confirming a refund or void: the path
// it takes and what may be refunded on each side (the lower figure applies).
export const moneyPlanSchema = z.object({
  /** shopify: through the Shopify order, which keeps its totals, stock and emails true; checkout: straight to Checkout.com. */
  via: z.enum(["shopify", "checkout"]),
  /** Why it cannot go through Shopify; null when it does. */
  directReason: z.string().nullable(),
  orderName: z.string().nullable(),
  currency,
  refundable: z.object({ checkout: minorUnits, shopify: minorUnits.nullable(), limit: minorUnits }),
  canVoid: z.boolean(),
});
export type MoneyPlanView = z.infer<typeof moneyPlanSchema>;

export const voidRequestSchema = z.object({ ticketId });
export type VoidRequest = z.infer<typeof voidRequestSchema>;

export const evidenceRequestSchema = z.object({ ticketId, disputeId: z.string().min(1) });
export type EvidenceRequest = z.infer<typeof evidenceRequestSchema>;

// ---------------------------------------------------------------------------------------------
// GET /api/zendesk/payments/:paymentId/order: the Shopify order behind the payment, as Shopify has it
// now, and the app's risk hold on it. What an agent needs to answer the customer: no card data.

/** Only web links: a tracking URL is put in an <a href>, so no javascript: or data: URLs. */
const webUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL");

const orderMoney = z.object({ amount: minorUnits, currency });

export const orderViewSchema = z.object({
  /** Why there is no order: none linked to the payment, or Shopify no longer has it. */
  missing: z.enum(["not_linked", "not_in_shopify"]).nullable(),
  order: z
    .object({
      name: z.string(),
      createdAt: isoDate,
      cancelledAt: isoDate.nullable(),
      /** Shopify's display statuses, as codes (PAID, PARTIALLY_REFUNDED, FULFILLED, ...): the sidebar says them. */
      financialStatus: z.string().nullable(),
      fulfillmentStatus: z.string(),
      total: orderMoney,
      lineItems: z.array(z.object({ title: z.string(), variantTitle: z.string().nullable(), quantity: z.number().int().nonnegative(), unitPrice: orderMoney })),
      /** More line items than shown. */
      moreLineItems: z.boolean(),
      fulfillments: z.array(
        z.object({
          status: z.string(),
          createdAt: isoDate,
          deliveredAt: isoDate.nullable(),
          tracking: z.array(z.object({ company: z.string().nullable(), number: z.string().nullable(), url: webUrl.nullable() })),
        }),
      ),
      shippingAddress: z
        .object({ name: z.string().nullable(), company: z.string().nullable(), lines: z.array(z.string()), country: z.string().nullable() })
        .nullable(),
    })
    .nullable(),
  /** The app's risk hold on the payment's order: its status (held, released, ...) and the rules that fired, in English. */
  hold: z.object({ status: z.enum(["pending", "held", "monitored", "released", "canceled", "failed"]), reasons: z.array(z.string()) }).nullable(),
  /** The store lets agents cancel the order from Zendesk (the backend checks again). */
  canCancel: z.boolean(),
});
export type OrderView = z.infer<typeof orderViewSchema>;

// POST /api/zendesk/payments/:paymentId/cancel: cancels the order and voids or refunds the payment
// (read GET .../money-plan first to say which). Once per ticket and order: a retry answers `replayed`.
export const cancelOrderRequestSchema = z.object({
  ticketId,
  reason: z.string().trim().min(3).max(200),
  /** Restock what has not shipped. */
  restock: z.boolean().default(true),
  /** Shopify emails the customer about the cancellation. */
  notifyCustomer: z.boolean().default(false),
});
export type CancelOrderRequest = z.input<typeof cancelOrderRequestSchema>;
export type ParsedCancelOrderRequest = z.output<typeof cancelOrderRequestSchema>;

export const actionResultSchema = z.object({
  /** cancel: the order was canceled, and `amount` voided or refunded (null: nothing was left to give back). */
  action: z.enum(["refund", "void", "evidence", "cancel"]),
  /** accepted: Checkout.com took the request (202) and confirms it later by webhook. */
  status: z.enum(["accepted", "succeeded"]),
  paymentId: paymentIdSchema,
  amount: minorUnits.nullable(),
  currency: currency.nullable(),
  /**
   * For the agent's note: Checkout.com's action id (act_...) when known, else Shopify's refund or
   * transaction id (gid://shopify/Refund/..., when the action went through the Shopify order), or the dispute id.
   */
  reference: z.string().nullable(),
  replayed: z.boolean(),
});
export type ActionResult = z.infer<typeof actionResultSchema>;

// ---------------------------------------------------------------------------------------------
// Errors: any non-2xx answer has this body. `message` is shown to the agent as is, so it is
// written for a support agent ("Refunds above €500.00 must be made by a store admin").

const ZENDESK_ERROR_CODES = [
  "invalid_request", // 400 (413 for a body over 16 KB, 415 for one that is not JSON)
  "unauthorized", // 401: bad, expired or unknown token
  "forbidden", // 403: the shop does not allow this from Zendesk
  "not_found", // 404: no such payment in this shop
  "conflict", // 409: the same action is already running, or the order is already canceled
  "not_refundable", // 422
  "amount_too_large", // 422: above what is refundable or the shop's limit
  "not_voidable", // 422
  "not_cancelable", // 422: no order to cancel, or Shopify or Checkout.com refused
  "evidence_not_ready", // 422
  "dispute_closed", // 422
  "rate_limited", // 429
  "upstream_error", // 502: Checkout.com failed or did not answer
] as const;
export const zendeskErrorSchema = z.object({
  error: z.object({ code: z.enum(ZENDESK_ERROR_CODES), message: z.string().min(1) }),
});
export type ZendeskError = z.infer<typeof zendeskErrorSchema>;
