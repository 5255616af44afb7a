// Calls to the Remix backend (/api/zendesk/*), always through Zendesk's proxy: it signs the JWT with
// the shared secret (a secure setting the browser never sees) and puts it in the Authorization header.
import type { z } from "zod";
import {
  actionResultSchema,
  lookupResponseSchema,
  moneyPlanSchema,
  paymentTimelineSchema,
  zendeskErrorSchema,
  zendeskRoutes,
  ZENDESK_JWT_ALGORITHM,
  ZENDESK_JWT_EXPIRY_SECONDS,
  type ActionResult,
  type EvidenceRequest,
  type LookupRequest,
  type LookupResponse,
  type MoneyPlanView,
  type PaymentTimeline,
  type RefundRequest,
  type VoidRequest,
} from "#app/zendesk/contract";
import type { SidebarSettings, TicketContext } from "./ticket";
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
}

type Method = "GET" | "POST";

export function createSidebarApi(client: ZafClient, settings: SidebarSettings, ticket: TicketContext): SidebarApi {
  const ticketId = ticket.ticketId;

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
      throw explainFailure(failure);
    }
    const parsed = schema.safeParse(typeof response === "string" ? safeJson(response) : response);
    if (!parsed.success) {
      throw new SidebarError("The payments service sent an answer this app does not understand. Try reloading the app.", 200);
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
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const MESSAGE_BY_STATUS: Record<number, string> = {
  0: "Could not reach the payments service. Check your connection and try again.",
  401: "The payments service did not accept this Zendesk app's signature. Ask a Zendesk admin to check the shared secret in the app settings.",
  403: "This store does not allow that action from Zendesk.",
  404: "The payments service does not know this payment.",
  409: "The same action is already in progress. Wait a moment, then refresh.",
  429: "The payments service is busy. Wait a minute and try again.",
};

/** Turns whatever client.request() rejected with into a SidebarError an agent can act on. */
function explainFailure(failure: unknown): SidebarError {
  const f = (failure ?? {}) as Partial<ZafRequestFailure>;
  const status = typeof f.status === "number" ? f.status : 0;
  const body = zendeskErrorSchema.safeParse(f.responseJSON ?? safeJson(f.responseText ?? ""));
  if (body.success && status !== 401) return new SidebarError(body.data.error.message, status, body.data.error.code);
  const message =
    MESSAGE_BY_STATUS[status] ??
    (status >= 500
      ? "The payments service or Checkout.com did not answer properly. Refresh in a minute to see whether anything changed; trying again will not repeat an action."
      : "The payments service refused the request. Refresh the app and try again.");
  return new SidebarError(message, status, body.success ? body.data.error.code : null);
}
