// MCP in tests: the SDK's own client talking to the /mcp route's Remix handlers (no HTTP server), and
// agent tokens made as the Settings screen makes them.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createAgentToken, type AgentTokenInput } from "../../app/mcp/tokens.server";
import { AGENT_SCOPES } from "../../app/mcp/scopes";
import * as mcpRoute from "../../app/routes/mcp";

export const MCP_URL = "https://app.example.test/mcp";

/** Sends a request to the /mcp route as Remix would. */
export async function sendToMcp(request: Request): Promise<Response> {
  const args = { request, params: {}, context: {} };
  return request.method === "GET" || request.method === "HEAD" ? mcpRoute.loader() : mcpRoute.action(args);
}

/** A token of the shop with `input`'s settings (every scope, no limits, no expiry by default). */
export async function agentToken(shopId: string, input: Partial<AgentTokenInput> = {}, by = { actor: "admin@example.com", userId: null as string | null }) {
  const { token, row } = await createAgentToken(
    shopId,
    {
      name: input.name ?? `agent-${Math.random().toString(36).slice(2, 8)}`,
      scopes: input.scopes ?? [...AGENT_SCOPES],
      limits: input.limits ?? {},
      expiresAt: input.expiresAt ?? null,
    },
    by,
  );
  return { token, row };
}

/** The SDK's client, connected with `token` (none: no Authorization header). */
export async function mcpClient(token: string | null): Promise<Client> {
  const client = new Client({ name: "test-agent", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(MCP_URL), {
    requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : {},
    fetch: (url, init) => sendToMcp(new Request(url, init)),
  });
  await client.connect(transport);
  return client;
}

/** A tool's answer: its text, structured content and whether it is an error. */
export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  return { isError: result.isError === true, text, data: result.structuredContent as Record<string, any> | undefined };
}
