// list_payments stays fast on a shop with many payments because it walks one index in the list's
// order and stops at the page: this asks SQLite (a fresh database, no ANALYZE statistics, as in
// production) how it runs each statement the tool sends. No scan of a table or a whole index, and no
// sort of all the shop's payments (a temp B-tree for the whole ORDER BY; one for the id that breaks
// ties of createdAt is fine), whatever the filters and the cursor.
import { describe, expect, it } from "vitest";
import { createConnectedShop, createOrderPayment } from "../../../test/helpers/factories";
import { agentToken, callTool, mcpClient } from "../../../test/helpers/mcp";
import { recordQueryPlans } from "../../../test/helpers/query-plans";

const recorded = recordQueryPlans();

describe("query plans of list_payments", () => {
  it("reads the shop's payments newest first on an index, with every filter and past a cursor", async () => {
    const { shop } = await createConnectedShop();
    for (let i = 0; i < 3; i += 1) await createOrderPayment(shop.id, { payment: { customerEmail: "ada@example.com", currency: "EUR" } });
    const { token } = await agentToken(shop.id);
    const client = await mcpClient(token);
    const first = await callTool(client, "list_payments", { limit: 1 });
    const cursor = first.data!.nextCursor as string;

    for (const args of [
      { limit: 1 },
      { limit: 1, cursor },
      { customer_email: "ada@example.com", cursor },
      { status: "Captured", risk_flagged: true, currency: "EUR", min_amount: 1, max_amount: 10_000 },
      { created_from: "2026-01-01", created_to: "2027-01-01", cursor },
      { has_dispute: true },
      { has_dispute: false, customer_email: "ada@example.com" },
    ]) {
      recorded.clear();
      const answer = await callTool(client, "list_payments", args);
      expect(answer.isError, answer.text).toBe(false);
      const selects = recorded.selects().filter((s) => /FROM [`"]?(main[`"]?\.[`"]?)?Payment[`"]? /.test(s.sql));
      expect(selects.length).toBeGreaterThan(0);
      const problems = recorded.problems(selects, (detail) => /^SCAN /.test(detail) || /USE TEMP B-TREE FOR ORDER BY/.test(detail));
      expect(problems, JSON.stringify(args)).toEqual([]);
    }
  });

  it("finds get_payment's payment by order name or reference on their own indexes, never walking the shop's payments by date", async () => {
    const { shop } = await createConnectedShop();
    for (let i = 0; i < 3; i += 1) await createOrderPayment(shop.id, { orderName: `#55${i}`, payment: { reference: `ref-55${i}` } });
    const client = await mcpClient((await agentToken(shop.id)).token);
    for (const lookup of ["#551", "ref-552", "nothing-like-it"]) {
      recorded.clear();
      await callTool(client, "get_payment", { payment: lookup });
      const selects = recorded.selects().filter((s) => /FROM [`"]?(main[`"]?\.[`"]?)?(Payment|OrderLink)[`"]? /.test(s.sql));
      expect(selects.length).toBeGreaterThan(0);
      // A lookup by name or reference that walks (shopId, createdAt) reads every payment of the shop; a
      // sort of the few rows sharing a name (Prisma orders a limited read by id) is fine.
      const problems = recorded.problems(selects, (detail) => /^SCAN /.test(detail) || /shopId_createdAt/.test(detail));
      expect(problems, lookup).toEqual([]);
    }
  });
});
