// The MCP server an agent talks to at /mcp (docs/decisions/0022): built for one request and one caller
// (stateless Streamable HTTP, so it scales with the web instances), with every tool, resource and
// prompt registered in this one place.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { planRefusal } from "../billing/billing.server";
import type { AgentContext } from "./tool.server";
import type { AgentCaller } from "./tokens.server";
import { registerPrompts } from "./prompts.server";
import { registerResources } from "./resources.server";
import { registerCustomerTools } from "./tools/customers.server";
import { registerDisputeTools } from "./tools/disputes.server";
import { registerEvidenceTools } from "./tools/evidence.server";
import { registerHoldTools } from "./tools/holds.server";
import { registerMoneyTools } from "./tools/money.server";
import { registerPaymentTools } from "./tools/payments.server";
import { registerRiskTools } from "./tools/risk.server";

const MCP_SERVER_NAME = "checkout-companion";

const INSTRUCTIONS = `Payments, disputes and risk holds of one Shopify store that takes payments through Checkout.com.
Amounts are in minor units with their currency; every answer also says them as the store shows them.
Tools that move money (refund_payment, void_payment, capture_payment, cancel_order) take an idempotency_key you choose per intended action: repeating a call with the same key never repeats the action. Call them with dry_run: true first to see exactly what would happen.`;

function buildMcpServer(context: AgentContext): McpServer {
  const server = new McpServer({ name: MCP_SERVER_NAME, version: "1.0.0" }, { instructions: INSTRUCTIONS });
  registerPaymentTools(server, context);
  registerDisputeTools(server, context);
  registerRiskTools(server, context);
  registerMoneyTools(server, context);
  registerHoldTools(server, context);
  registerEvidenceTools(server, context);
  registerCustomerTools(server, context);
  registerResources(server, context);
  registerPrompts(server, context);
  return server;
}

/** Answers one MCP request (a JSON-RPC POST) for an authenticated caller. */
export async function handleMcpRequest(request: Request, caller: AgentCaller): Promise<Response> {
  const refusal = await planRefusal(caller.shopId, "agentTools");
  const server = buildMcpServer({ caller, planRefusal: refusal?.message ?? null });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    await server.close();
  }
}
