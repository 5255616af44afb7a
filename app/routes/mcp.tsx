// /mcp: the Model Context Protocol server for AI agents (app/mcp). Stateless Streamable HTTP: each POST
// carries one JSON-RPC message and a Bearer agent token; there are no sessions to open (GET) or end
// (DELETE). A missing, wrong, revoked or expired token is a 401 with its WWW-Authenticate challenge.
import type { ActionFunctionArgs } from "@remix-run/node";
import { AgentAuthError, agentChallenge, authenticateAgent } from "../mcp/tokens.server";

const jsonRpcError = (status: number, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return jsonRpcError(405, "This MCP server is stateless: send each message as a POST.", { allow: "POST" });
  try {
    const caller = await authenticateAgent(request);
    // Loaded on the first agent call: the SDK and the tools' schemas are 9 MB of heap that a shop
    // without agents need not carry in every web process.
    const { handleMcpRequest } = await import("../mcp/server.server");
    return await handleMcpRequest(request, caller);
  } catch (error) {
    if (error instanceof AgentAuthError) return jsonRpcError(401, error.message, { "www-authenticate": agentChallenge(error) });
    throw error;
  }
}

export const loader = () => jsonRpcError(405, "This MCP server is stateless: send each message as a POST.", { allow: "POST" });
