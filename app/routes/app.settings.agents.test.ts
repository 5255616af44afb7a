// Settings → Agent tools (MCP) through the route: an admin makes a token (shown once, in the action's
// reply, never by the loader), its fields are refused in the staff member's language, it is revoked
// for this shop only, non-admins are refused, and a shop whose plan has no agent tools gets the plan's
// message instead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { hashAgentToken } from "../mcp/tokens.server";
import { AGENT_TOKEN_INTENTS } from "../mcp/ui/token-form-fields";
import { createShop } from "../../test/helpers/factories";
import { resetBillingEnv, setBillingEnv } from "../../test/helpers/billing";
import { TEST_APP_URL } from "../../test/helpers/env";
import { agentToken, mcpClient } from "../../test/helpers/mcp";
import { callAction } from "../../test/helpers/shopify";
import { seedOfflineSession, seedStaff, staffRequest } from "../../test/helpers/session-token";
import { action, loader } from "./app.settings";

const A = "agent-settings-a.myshopify.com";
const B = "agent-settings-b.myshopify.com";
const GROWTH = "agent-settings-growth.myshopify.com";
const OWNER = 75_000_001;
const FINANCE = 75_000_002;
const GERMAN_ADMIN = 75_000_003;
let shopA: string;
let shopB: string;

const post = (shop: string, userId: number, form: Record<string, string>) => callAction(action, staffRequest(shop, "/app/settings", userId, form));
const load = (shop: string, userId: number) => callAction(loader, staffRequest(shop, "/app/settings", userId));

/** The Create form as the card posts it. */
const createForm = (fields: Record<string, string> = {}) => ({
  intent: AGENT_TOKEN_INTENTS.create,
  name: "Support bot",
  "scope.read": "true",
  "scope.refund": "true",
  limitCurrency: "EUR",
  limitPerAction: "",
  limitPerDay: "",
  expiresIn: "90",
  expiresOn: "",
  ...fields,
});

beforeAll(async () => {
  shopA = (await createShop(A)).id;
  shopB = (await createShop(B)).id;
  await createShop(GROWTH);
  for (const shop of [A, B, GROWTH]) {
    await seedOfflineSession(shop);
    await seedStaff(shop, { userId: OWNER });
    await seedStaff(shop, { userId: FINANCE, role: "finance" });
  }
  await seedStaff(A, { userId: GERMAN_ADMIN, role: "admin", locale: "de" });
  await db().shop.update({ where: { id: shopA }, data: { currency: "EUR", ianaTimezone: "Europe/Berlin" } });
});

afterAll(() => resetBillingEnv());

describe("Settings → Agent tools (MCP)", () => {
  it("makes a token for an admin and shows it once, in the reply; the loader lists it without its secret", async () => {
    const before = Date.now();
    const response = await post(A, OWNER, createForm({ limitPerAction: "500", limitPerDay: "2000.50" }));
    expect(response.status).toBe(200);
    const reply = await response.json();
    expect(reply).toMatchObject({ intent: AGENT_TOKEN_INTENTS.create, ok: true, message: "Token “Support bot” created.", token: { name: "Support bot" } });
    const token: string = reply.token.value;
    expect(token).toMatch(/^ckmcp_/);

    const row = await db().agentToken.findFirstOrThrow({ where: { shopId: shopA, name: "Support bot" } });
    expect(row.tokenHash).toBe(hashAgentToken(token));
    expect(JSON.parse(row.scopes)).toEqual(["read", "refund"]);
    expect(JSON.parse(row.limits)).toEqual({ EUR: { perAction: 50_000, perDay: 200_050 } });
    expect(row.createdByUserId).toBe(String(OWNER));
    expect(row.expiresAt!.getTime() - before).toBeGreaterThanOrEqual(90 * 86_400_000);
    expect(row.expiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(90 * 86_400_000);

    const page = await load(A, FINANCE);
    const text = await page.text();
    expect(text).not.toContain(token);
    expect(text).not.toContain(row.tokenHash);
    const { agents, canEdit } = JSON.parse(text);
    expect(canEdit).toBe(false);
    expect(agents).toMatchObject({ mcpUrl: `${TEST_APP_URL}/mcp`, currency: "EUR", planRefused: null });
    expect(agents.tokens).toEqual([
      expect.objectContaining({
        id: row.id,
        name: "Support bot",
        prefix: token.slice(0, 12),
        scopes: ["read", "refund"],
        limits: { EUR: { perAction: 50_000, perDay: 200_050 } },
        state: "active",
      }),
    ]);
    expect(Object.keys(agents.tokens[0])).not.toContain("tokenHash");

    // The token the reply gave works at the MCP server.
    const tools = await (await mcpClient(token)).listTools();
    expect(tools.tools.map((tool) => tool.name)).toContain("get_payment");
  });

  it("works through the end of a chosen day in the shop's time zone, with no limit when no amount is given", async () => {
    const response = await post(A, OWNER, createForm({ name: "Until new year", expiresIn: "date", expiresOn: "2099-12-31" }));
    expect(response.status).toBe(200);
    const row = await db().agentToken.findFirstOrThrow({ where: { shopId: shopA, name: "Until new year" } });
    // Midnight starting 1 January in Berlin (UTC+1).
    expect(row.expiresAt).toEqual(new Date("2099-12-31T23:00:00.000Z"));
    expect(JSON.parse(row.limits)).toEqual({});
  });

  it("refuses wrong fields beside them in the staff member's language, and makes nothing", async () => {
    const count = await db().agentToken.count({ where: { shopId: shopA } });
    const german = await post(
      A,
      GERMAN_ADMIN,
      createForm({ name: " ", "scope.read": "", "scope.refund": "", limitPerAction: "12.345", limitPerDay: "0", expiresIn: "date", expiresOn: "2001-01-01" }),
    );
    expect(german.status).toBe(400);
    expect(await german.json()).toMatchObject({
      ok: false,
      message: "Korrigieren Sie die markierten Felder. Es wurde nichts gespeichert.",
      fieldErrors: {
        name: "Geben Sie dem Token einen Namen (das Audit-Protokoll nennt seine Aktionen damit).",
        scopes: "Wählen Sie mindestens eine Berechtigung.",
        limitPerAction: "EUR hat 2 Nachkommastellen.",
        limitPerDay: "Geben Sie einen Betrag über null ein oder lassen Sie das Feld leer.",
        expiresOn: "Wählen Sie heute oder einen späteren Tag.",
      },
    });

    const english = await post(A, OWNER, createForm({ limitCurrency: "euro", limitPerDay: "10", expiresIn: "forever" }));
    expect(await english.json()).toMatchObject({
      ok: false,
      fieldErrors: { limitCurrency: "Enter a three-letter currency code, like EUR.", expiresIn: "Choose when the token expires." },
    });
    const notADay = await post(A, OWNER, createForm({ expiresIn: "date", expiresOn: "2099-02-31" }));
    expect((await notADay.json()).fieldErrors).toEqual({ expiresOn: "Choose a day, like 2027-01-31." });
    const over = await post(A, OWNER, createForm({ limitPerAction: "100", limitPerDay: "50" }));
    expect((await over.json()).fieldErrors).toEqual({ limitPerAction: "The limit per action cannot be more than the limit per 24 hours." });
    expect(await db().agentToken.count({ where: { shopId: shopA } })).toBe(count);
  });

  it("refuses a name an active token has, beside the name", async () => {
    const taken = await post(A, GERMAN_ADMIN, createForm());
    expect(taken.status).toBe(400);
    expect((await taken.json()).fieldErrors).toEqual({
      name: "Ein Token namens „Support bot“ gibt es bereits; widerrufen Sie es oder wählen Sie einen anderen Namen.",
    });
  });

  it("revokes the shop's own token only: another shop's id revokes nothing", async () => {
    const other = await agentToken(shopB, { name: "Shop B bot" });
    const refused = await post(A, OWNER, { intent: AGENT_TOKEN_INTENTS.revoke, id: other.row.id });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ ok: false, message: "This store has no active token with that id; it may be revoked already." });
    expect((await db().agentToken.findUniqueOrThrow({ where: { id: other.row.id } })).revokedAt).toBeNull();
    await expect(mcpClient(other.token)).resolves.toBeDefined();

    const mine = await agentToken(shopA, { name: "Short-lived" });
    const revoked = await post(A, OWNER, { intent: AGENT_TOKEN_INTENTS.revoke, id: mine.row.id });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ ok: true, message: "Token revoked. Agents using it are refused from now on." });
    const row = await db().agentToken.findUniqueOrThrow({ where: { id: mine.row.id } });
    expect(row.revokedBy).toBe("Sam Owner <staff75000001@example.com>");
    const { agents } = await (await load(A, OWNER)).json();
    expect(agents.tokens.find((t: { id: string }) => t.id === mine.row.id)).toMatchObject({ state: "revoked" });
    await expect(mcpClient(mine.token)).rejects.toThrow();
    expect((await post(A, OWNER, { intent: AGENT_TOKEN_INTENTS.revoke, id: mine.row.id })).status).toBe(404);
  });

  it("refuses a non-admin's create and revoke with 403", async () => {
    const count = await db().agentToken.count();
    const created = await post(A, FINANCE, createForm({ name: "Finance bot" }));
    expect(created.status).toBe(403);
    const target = await db().agentToken.findFirstOrThrow({ where: { shopId: shopA, revokedAt: null } });
    const revoked = await post(A, FINANCE, { intent: AGENT_TOKEN_INTENTS.revoke, id: target.id });
    expect(revoked.status).toBe(403);
    expect(await db().agentToken.count()).toBe(count);
    expect((await db().agentToken.findUniqueOrThrow({ where: { id: target.id } })).revokedAt).toBeNull();
  });

  it("gives a shop whose plan has no agent tools the plan's message, and refuses its create with 402", async () => {
    setBillingEnv({ BILLING_DEVELOPMENT_SHOPS: A });
    const growth = await db().shop.findUniqueOrThrow({ where: { domain: GROWTH } });
    await db().shopPlan.create({ data: { shopId: growth.id, plan: "growth", checkedAt: new Date() } });
    const { agents } = await (await load(GROWTH, OWNER)).json();
    expect(agents.planRefused).toBe("Agent tools need the Plus plan (this shop is on Growth). A store admin can change the plan on the Plan page.");
    const refused = await post(GROWTH, OWNER, createForm());
    expect(refused.status).toBe(402);
    expect(await refused.json()).toMatchObject({ ok: false, message: agents.planRefused });
    expect(await db().agentToken.count({ where: { shopId: growth.id } })).toBe(0);
  });
});
