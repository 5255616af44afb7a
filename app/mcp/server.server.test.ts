// The MCP server through the SDK's client: authentication, the tool list, a read, scopes and tenancy.
import { describe, expect, it } from "vitest";
import { createConnectedShop, createOrderPayment } from "../../test/helpers/factories";
import { agentToken, callTool, MCP_URL, mcpClient, sendToMcp } from "../../test/helpers/mcp";
import { db } from "../db.server";
import { markReinstalled, markUninstalled } from "../shops/install.server";
import { revokeAgentToken } from "./tokens.server";

const initialize = (authorization?: string) =>
  sendToMcp(
    new Request(MCP_URL, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      }),
    }),
  );

describe("the MCP server", () => {
  it("answers 401 with a WWW-Authenticate challenge for a missing, wrong, revoked or expired token", async () => {
    const { shop } = await createConnectedShop();
    const missing = await initialize();
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="mcp"');

    const wrong = await initialize("Bearer ckmcp_not-a-token");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toContain('error="invalid_token"');

    const { token, row } = await agentToken(shop.id);
    expect((await initialize(`Bearer ${token}`)).status).toBe(200);
    await revokeAgentToken(shop.id, row.id, "admin@example.com");
    const revoked = await initialize(`Bearer ${token}`);
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get("www-authenticate")).toContain("revoked");

    const expired = await agentToken(shop.id, { expiresAt: new Date(Date.now() - 1000) });
    const late = await initialize(`Bearer ${expired.token}`);
    expect(late.status).toBe(401);
    expect(late.headers.get("www-authenticate")).toContain("expired");
  });

  it("stores only the token's hash and records when it was last used", async () => {
    const { shop } = await createConnectedShop();
    const { token, row } = await agentToken(shop.id);
    expect(JSON.stringify(await db().agentToken.findUniqueOrThrow({ where: { id: row.id } }))).not.toContain(token);
    const client = await mcpClient(token);
    await client.listTools();
    expect((await db().agentToken.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt).not.toBeNull();
  });

  it("finds a payment by id, order name or reference, and audits the call with the token's name", async () => {
    const { shop } = await createConnectedShop();
    const { payment } = await createOrderPayment(shop.id, {
      orderName: "#7001",
      payment: { reference: "ref-7001", currency: "EUR", amount: 2500, capturedAmount: 2500, status: "Captured" },
    });
    const { token } = await agentToken(shop.id, { name: "Support bot" });
    const client = await mcpClient(token);
    for (const lookup of [payment.ckoPaymentId, "#7001", "7001", "ref-7001"]) {
      const answer = await callTool(client, "get_payment", { payment: lookup });
      expect(answer.isError, answer.text).toBe(false);
      expect(answer.data?.paymentId).toBe(payment.ckoPaymentId);
      expect(answer.data?.refundable).toMatchObject({ minor: 2500, currency: "EUR", decimal: "25.00", formatted: "€25.00" });
    }
    const entries = await db().auditLog.findMany({ where: { shopId: shop.id, action: "mcp.get_payment" } });
    expect(entries).toHaveLength(4);
    expect(entries.every((e) => e.actor === "Support bot" && e.source === "agent" && e.paymentId === payment.id)).toBe(true);
  });

  it("refuses a tool the token has no scope for, naming the scope", async () => {
    const { shop } = await createConnectedShop();
    const { payment } = await createOrderPayment(shop.id);
    const { token } = await agentToken(shop.id, { scopes: ["holds"] });
    const answer = await callTool(await mcpClient(token), "get_payment", { payment: payment.ckoPaymentId });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain('"read" scope');
  });

  it("refuses input that fails the tool's schema, naming the field", async () => {
    const { shop } = await createConnectedShop();
    const { token } = await agentToken(shop.id);
    const answer = await callTool(await mcpClient(token), "get_payment", { payment: 42 });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(/payment/);
  });

  it("never reaches another shop's payment", async () => {
    const { shop } = await createConnectedShop();
    const other = await createConnectedShop();
    const { payment } = await createOrderPayment(other.shop.id, { orderName: "#9901", payment: { reference: "ref-9901" } });
    const { token } = await agentToken(shop.id);
    const client = await mcpClient(token);
    for (const lookup of [payment.ckoPaymentId, "#9901", "ref-9901"]) {
      const answer = await callTool(client, "get_payment", { payment: lookup });
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain("no Checkout.com payment");
    }
  });

  it("revokes the shop's tokens for good when the app is uninstalled, so a reinstall does not bring them back", async () => {
    const { shop } = await createConnectedShop();
    const { token } = await agentToken(shop.id);
    await markUninstalled(shop.domain);
    expect((await initialize(`Bearer ${token}`)).status).toBe(401);
    await markReinstalled(shop.domain);
    const after = await initialize(`Bearer ${token}`);
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toContain("revoked");
  });
});
