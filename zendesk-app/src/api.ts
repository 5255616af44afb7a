// Calls to the Remix backend (/api/zendesk/*), always through Zendesk's proxy: it signs the JWT with
// the shared secret (a secure setting the browser never sees) and puts it in the Authorization header.
import type { z } from "zod";
import {
  actionResultSchema,
  lookupResponseSchema,
  moneyPlanSchema,
  orderViewSchema,
  paymentTimelineSchema,
  zendeskErrorSchema,
  zendeskRoutes,
  ZENDESK_JWT_ALGORITHM,
  ZENDESK_JWT_EXPIRY_SECONDS,
  type ActionResult,
  type CancelOrderRequest,
  type EvidenceRequest,
  type LookupRequest,
  type LookupResponse,
  type MoneyPlanView,
  type OrderView,
  type PaymentTimeline,
  type RefundRequest,
  type VoidRequest,
} from "#app/zendesk/contract";
import type { SidebarSettings, TicketContext } from "./ticket";
import { speechFor, type Words } from "./words";
import type { ZafClient, ZafRequestFailure, ZafRequestOptions } from "./zaf";

/** An error whose message is written for the agent. */
export class SidebarError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = "SidebarError";
  }
}

export interface SidebarApi {
  lookup(query: Omit<LookupRequest, "ticketId">): Promise<LookupResponse>;
  timeline(paymentId: string): Promise<PaymentTimeline>;
  /** Before a refund or void: through the Shopify order or straight to Checkout.com, and the limits. */
  moneyPlan(paymentId: string): Promise<MoneyPlanView>;
  refund(paymentId: string, body: Omit<RefundRequest, "ticketId">): Promise<ActionResult>;
  voidPayment(paymentId: string): Promise<ActionResult>;
  submitEvidence(paymentId: string, disputeId: string): Promise<ActionResult>;
  /** The Shopify order behind the payment and the app's risk hold on it. */
  order(paymentId: string): Promise<OrderView>;
  /** Cancels the order and voids or refunds the payment (read moneyPlan first to say which). */
  cancelOrder(paymentId: string, body: Omit<CancelOrderRequest, "ticketId">): Promise<ActionResult>;
}

type Method = "GET" | "POST";

export function createSidebarApi(client: ZafClient, settings: SidebarSettings, ticket: TicketContext): SidebarApi {
  const ticketId = ticket.ticketId;
  const { w } = speechFor(ticket.agent.locale);

  async function call<S extends z.ZodTypeAny>(method: Method, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    const options: ZafRequestOptions = {
      url: settings.backendUrl + path,
      type: method,
      contentType: "application/json",
      headers: { Authorization: "Bearer {{jwt.token}}" },
      secure: true,
      cors: false,
      jwt: {
        algorithm: ZENDESK_JWT_ALGORITHM,
        secret_key: "{{setting.shared_secret}}",
        expiry: ZENDESK_JWT_EXPIRY_SECONDS,
        claims: {
          connection_id: settings.connectionId,
          subdomain: ticket.subdomain,
          ticket_id: ticketId,
          agent_id: ticket.agent.id,
          agent_email: ticket.agent.email,
          agent_name: ticket.agent.name,
        },
      },
      ...(body === undefined ? {} : { data: JSON.stringify(body) }),
    };
    let response: unknown;
    try {
      response = await client.request(options);
    } catch (failure) {
      throw explainFailure(failure, w);
    }
    const parsed = schema.safeParse(typeof response === "string" ? safeJson(response) : response);
    if (!parsed.success) {
      throw new SidebarError(w.errors.notUnderstood, 200);
    }
    return parsed.data;
  }

  return {
    lookup: (query) => call("POST", zendeskRoutes.lookup, lookupResponseSchema, { ticketId, ...query }),
    timeline: (paymentId) => call("GET", zendeskRoutes.payment(paymentId), paymentTimelineSchema),
    moneyPlan: (paymentId) => call("GET", zendeskRoutes.moneyPlan(paymentId), moneyPlanSchema),
    refund: (paymentId, body) => call("POST", zendeskRoutes.refund(paymentId), actionResultSchema, { ticketId, ...body } satisfies RefundRequest),
    voidPayment: (paymentId) => call("POST", zendeskRoutes.void(paymentId), actionResultSchema, { ticketId } satisfies VoidRequest),
    submitEvidence: (paymentId, disputeId) =>
      call("POST", zendeskRoutes.evidence(paymentId), actionResultSchema, { ticketId, disputeId } satisfies EvidenceRequest),
    order: (paymentId) => call("GET", zendeskRoutes.order(paymentId), orderViewSchema),
    cancelOrder: (paymentId, body) =>
      call("POST", zendeskRoutes.cancelOrder(paymentId), actionResultSchema, { ticketId, ...body } satisfies CancelOrderRequest),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const MESSAGE_BY_STATUS: Record<number, keyof Words["errors"]> = {
  0: "unreachable",
  401: "signature",
  403: "forbidden",
  404: "notFound",
  409: "conflict",
  429: "busy",
};

/**
 * Turns whatever client.request() rejected with into a SidebarError an agent can act on: the backend's
 * own message (English) when it sent one, else ours in the agent's words.
 */
function explainFailure(failure: unknown, w: Words): SidebarError {
  const f = (failure ?? {}) as Partial<ZafRequestFailure>;
  const status = typeof f.status === "number" ? f.status : 0;
  const body = zendeskErrorSchema.safeParse(f.responseJSON ?? safeJson(f.responseText ?? ""));
  if (body.success && status !== 401) return new SidebarError(body.data.error.message, status, body.data.error.code);
  const known = MESSAGE_BY_STATUS[status];
  const message = known ? w.errors[known] : status >= 500 ? w.errors.server : w.errors.refused;
  return new SidebarError(message, status, body.success ? body.data.error.code : null);
}
