// The one way a tool is added to the MCP server: its scope is checked (and the role of the token's
// maker, and the shop's plan) before the handler runs, every call is audited with the token's name as
// the actor, and refusals come back as tool errors an agent can read (isError), never as thrown
// protocol errors. Input and output are zod shapes: the SDK publishes them as JSON Schema, refuses
// input that fails them naming the field, and checks every answer against the output schema.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z, ZodRawShape } from "zod";
import { audit } from "../audit/audit.server";
import { CheckoutError, explainCheckoutError } from "../checkout/errors";
import { DomainError } from "../lib/errors";
import { log } from "../log.server";
import { ShopifyApiError } from "../shopify/admin-api.server";
import { roleAllows } from "../shopify/roles";
import { currentStaffRole } from "../shopify/staff.server";
import { SCOPE_LABELS, SCOPE_ROLES, type AgentScope } from "./scopes";
import type { AgentCaller } from "./tokens.server";

/** One MCP request's caller, and what the shop's plan says (checked once per request). */
export interface AgentContext {
  caller: AgentCaller;
  /** Why the shop's plan does not include agent tools (English); null when it does. */
  planRefusal: string | null;
}

/** A refusal the agent should read: nothing was done (or, where it says so, what was). */
export class ToolRefusal extends Error {
  constructor(
    message: string,
    readonly subject: AuditSubject = {},
  ) {
    super(message);
    this.name = "ToolRefusal";
  }
}

/** What a call was about, for its audit entry. */
export interface AuditSubject {
  paymentId?: string | null;
  orderGid?: string | null;
  disputeId?: string | null;
}

export interface ToolAnswer<O extends ZodRawShape> {
  /** For the agent to read: what was found or done, money in the shop's formatting. */
  summary: string;
  /** The machine fields, matching the output schema. */
  data: z.infer<z.ZodObject<O>>;
  audit?: AuditSubject & { details?: Record<string, unknown> };
}

export interface ToolSpec<I extends ZodRawShape, O extends ZodRawShape> {
  name: string;
  title: string;
  /** What it does and when to use it; the scope it needs is appended. */
  description: string;
  scope: AgentScope;
  input: I;
  output: O;
  annotations: ToolAnnotations;
}

/** The arguments kept in the audit log: everything but long texts. */
function auditedArguments(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).map(([key, value]) => [key, typeof value === "string" && value.length > 200 ? `${value.slice(0, 200)}…` : value]),
  );
}

/** Why the caller may not use a scope now, or null (resources check it too: app/mcp/resources.server.ts). */
export async function scopeRefusal(context: AgentContext, scope: AgentScope): Promise<string | null> {
  const { caller } = context;
  if (context.planRefusal) return context.planRefusal;
  if (!caller.scopes.has(scope))
    return `This token lacks the "${scope}" scope (${SCOPE_LABELS[scope]}). A store admin can make a token with it in the app's Settings.`;
  if (caller.createdByUserId) {
    const role = await currentStaffRole(caller.shopId, caller.createdByUserId);
    const needed = SCOPE_ROLES[scope];
    if (!roleAllows(role, needed)) {
      return `The "${scope}" scope needs the ${needed} role, and the staff member who made this token is now ${role}. A store admin can change roles or make a new token.`;
    }
  }
  return null;
}

/** Words for an error the agent can act on; null for a bug (logged, answered generically). */
function refusalText(error: unknown): string | null {
  if (error instanceof ToolRefusal || error instanceof DomainError) return error.message;
  if (error instanceof CheckoutError) return `Checkout.com: ${explainCheckoutError(error)}`;
  if (error instanceof ShopifyApiError) return `Shopify: ${error.message}${error.retryable ? " Try again in a moment." : ""}`;
  return null;
}

/** One audit entry for an agent's call (a tool's, or a resource read's): the token's name as the actor, error null when it went through. */
export function auditAgentCall(
  caller: AgentCaller,
  action: string,
  args: Record<string, unknown>,
  subject: AuditSubject & { details?: Record<string, unknown> },
  error: string | null,
) {
  return audit({
    shopId: caller.shopId,
    actor: caller.name,
    source: "agent",
    action,
    paymentId: subject.paymentId ?? null,
    orderGid: subject.orderGid ?? null,
    disputeId: subject.disputeId ?? null,
    details: { tokenId: caller.tokenId, arguments: auditedArguments(args), ...subject.details },
    result: error === null ? "ok" : "error",
    error,
  });
}

export function defineTool<I extends ZodRawShape, O extends ZodRawShape>(
  server: McpServer,
  context: AgentContext,
  spec: ToolSpec<I, O>,
  handler: (args: z.infer<z.ZodObject<I>>, caller: AgentCaller) => Promise<ToolAnswer<O>>,
) {
  const { caller } = context;
  const entry = (args: Record<string, unknown>, subject: AuditSubject & { details?: Record<string, unknown> }, error: string | null) =>
    auditAgentCall(caller, `mcp.${spec.name}`, args, subject, error);
  server.registerTool(
    spec.name,
    {
      title: spec.title,
      description: `${spec.description} Needs the "${spec.scope}" scope.`,
      inputSchema: spec.input,
      outputSchema: spec.output,
      annotations: { title: spec.title, ...spec.annotations },
    },
    // The SDK's callback types are generic over its zod compatibility layer; ours are plain zod 3 shapes.
    (async (args: z.infer<z.ZodObject<I>>): Promise<CallToolResult> => {
      const refused = await scopeRefusal(context, spec.scope);
      if (refused) {
        await entry(args, {}, refused);
        return { isError: true, content: [{ type: "text", text: refused }] };
      }
      try {
        const answer = await handler(args, caller);
        await entry(args, answer.audit ?? {}, null);
        return { content: [{ type: "text", text: answer.summary }], structuredContent: answer.data as Record<string, unknown> };
      } catch (error) {
        const text = refusalText(error);
        if (text === null) log.error("mcp tool failed", { tool: spec.name, shopId: caller.shopId, error });
        const said = text ?? `The ${spec.name} tool failed on the app's side; it was logged. Check the state with a read tool before trying again.`;
        await entry(args, error instanceof ToolRefusal ? error.subject : {}, said);
        return { isError: true, content: [{ type: "text", text: said }] };
      }
    }) as never,
  );
}
